"""Benchmark results records and their plot, on synthetic records written here."""

import json
import struct

import pytest

from newsparse import _bench_plot, _bench_record

from conftest import run_cli


def _bench_figures(threads_mb_s):
    runs = [{"threads": t, "mb_per_s": v, "articles_per_s": 100.0 * v, "tokens_per_s": 1e5 * v,
             "mb": 12.0, "articles": 4000, "peak_rss_mb": 300.0, "seconds": 12.0 / v,
             "stages": {}} for t, v in threads_mb_s]
    last = dict(runs[-1])
    last.update({"stages": {"tokens": {"ms": 200.0, "share": 0.1},
                            "entities": {"ms": 1500.0, "share": 0.75},
                            "json": {"ms": 300.0, "share": 0.15}},
                 "speedup": threads_mb_s[-1][1] / threads_mb_s[0][1], "runs": runs})
    return last


def test_record_has_figures_machine_and_source(tmp_path):
    rec = _bench_record.make_record("bench", {"mb_per_s": 3.5}, options={"threads": 2})
    assert rec["kind"] == "bench"
    assert rec["figures"] == {"mb_per_s": 3.5}
    assert rec["options"] == {"threads": 2}
    assert rec["timestamp"].endswith("Z") and rec["timestamp"][4] == "-"
    m = rec["machine"]
    assert m["cores"] >= 1 and m["cpu"] and m["python"].count(".") == 2
    assert m["load_avg"] is None or len(m["load_avg"]) == 3
    assert "version" in rec["source"]


def test_append_writes_one_line_per_record_in_a_dated_file(tmp_path):
    out = tmp_path / "results"
    first = _bench_record.make_record("peers", {"ratios": [{"label": "x", "ratio": 2.0}]})
    second = _bench_record.make_record("peers", {"ratios": [{"label": "x", "ratio": 3.0}]})
    p1 = _bench_record.append_record(out, first)
    p2 = _bench_record.append_record(out, second)
    assert p1 == p2 == out / f"{first['timestamp'][:10]}-peers.jsonl"
    lines = p1.read_text().splitlines()
    assert [json.loads(x)["figures"]["ratios"][0]["ratio"] for x in lines] == [2.0, 3.0]
    loaded = _bench_record.load_records(out)
    assert [r["figures"] for r in loaded] == [first["figures"], second["figures"]]
    assert _bench_record.load_records(out, kind="bench") == []


def test_bad_kind_unserialisable_figures_and_bad_files_are_errors(tmp_path):
    with pytest.raises(ValueError, match="kind"):
        _bench_record.make_record("../escape", {})
    rec = _bench_record.make_record("bench", {"x": object()})
    with pytest.raises(TypeError):
        _bench_record.append_record(tmp_path, rec)
    assert list(tmp_path.iterdir()) == []  # nothing half-written
    with pytest.raises(FileNotFoundError):
        _bench_record.load_records(tmp_path / "absent")
    (tmp_path / "2026-01-01-bench.jsonl").write_text('{"kind": "bench", "figures": {}}\n{oops\n')
    with pytest.raises(ValueError, match="2026-01-01-bench.jsonl:2"):
        _bench_record.load_records(tmp_path)


def test_plot_panels_come_from_the_latest_records():
    older = {"kind": "bench", "timestamp": "2026-01-01T00:00:00Z",
             "figures": _bench_figures([(1, 2.0), (2, 3.0)])}
    newer = {"kind": "bench", "timestamp": "2026-01-02T00:00:00Z",
             "figures": _bench_figures([(1, 4.0)])}
    stream = {"kind": "bench-stream", "timestamp": "2026-01-03T00:00:00Z",
              "figures": dict(_bench_figures([(2, 5.0)]), mb=1000.0)}
    records = [older, newer, stream]
    stages = dict(_bench_plot.stage_throughput(newer))
    assert stages == pytest.approx({"tokens": 60.0, "entities": 8.0, "json": 40.0})
    threads = _bench_plot.thread_throughput(records)
    assert threads[0] == ("1 thread", 4.0)      # the newer record wins for 1 thread
    assert threads[1] == ("2 threads", 3.0)     # only the older one has 2 threads
    assert threads[2][1] == 5.0 and "1.0 GB" in threads[2][0]
    assert _bench_plot.peer_ratios(records) == []


def _png_size(path):
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_plot_draws_a_png(tmp_path):
    pytest.importorskip("matplotlib")
    records = [{"kind": "bench", "timestamp": "2026-01-01T00:00:00Z",
                "figures": _bench_figures([(1, 2.0), (2, 3.5)])},
               {"kind": "peers", "timestamp": "2026-01-01T00:00:01Z",
                "figures": {"ratios": [{"label": "NER speed vs spacy", "ratio": 40.0},
                                       {"label": "date accuracy vs dateparser", "ratio": 1.01}]}}]
    out = _bench_plot.plot_records(records, tmp_path / "plot.png")
    width, height = _png_size(out)
    assert width > 600 and height > 200


def test_plot_without_figures_is_an_error(tmp_path):
    pytest.importorskip("matplotlib")
    with pytest.raises(ValueError, match="no bench or peers record"):
        _bench_plot.plot_records([], tmp_path / "plot.png")


def test_cli_plot_reads_a_results_folder(tmp_path):
    pytest.importorskip("matplotlib")
    results = tmp_path / "results"
    _bench_record.append_record(results, _bench_record.make_record(
        "bench", _bench_figures([(1, 2.0), (2, 3.0)])))
    out = tmp_path / "latest.png"
    run_cli("bench", "--plot", out, "--from", results)
    assert _png_size(out)[0] > 600
    missing = run_cli("bench", "--plot", out, "--from", tmp_path / "none", check=False)
    assert missing.returncode == 1 and b"no results folder" in missing.stderr
    no_corpus = run_cli("bench", check=False)
    assert no_corpus.returncode == 2 and b"--corpus is required" in no_corpus.stderr


def test_cli_bench_appends_a_record(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    texts = [f"LISBON, March {d} (Reuters) - The port authority said on Tuesday that ships "
             f"would wait {d} hours, its director Ana Costa told reporters." for d in range(1, 21)]
    corpus.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    results = tmp_path / "results"
    proc = run_cli("bench", "--corpus", corpus, "--threads", "2", "--json", "--record", results)
    printed = json.loads(proc.stdout)
    (rec,) = _bench_record.load_records(results)
    assert rec["kind"] == "bench"
    assert rec["figures"]["articles"] == printed["articles"] == 20
    assert [r["threads"] for r in rec["figures"]["runs"]] == [1, 2]
    assert rec["options"]["corpus"] == str(corpus)
    assert rec["machine"]["compiler"]
    stream = run_cli("bench", "--corpus", corpus, "--threads", "2", "--target-mb", "0.01",
                     "--record", results, "-q")
    assert stream.returncode == 0
    kinds = sorted(r["kind"] for r in _bench_record.load_records(results))
    assert kinds == ["bench", "bench-stream"]
