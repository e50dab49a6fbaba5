import json

import pytest
from conftest import ROOT, run_cli


def records(proc):
    lines = proc.stdout.decode("utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_parse_sample_files():
    samples = sorted((ROOT / "samples").glob("*.txt"))
    assert len(samples) >= 5
    out = records(run_cli("parse", *samples))
    assert [r["id"] for r in out] == [str(p) for p in samples]
    assert all(r["error"] is None for r in out)


def test_stdin_plain_text():
    out = records(run_cli("parse", stdin="BEIJING, Oct. 3 (Xinhua) -- Text.".encode()))
    assert len(out) == 1 and out[0]["id"] is None and out[0]["error"] is None


def test_jsonl_errors_are_records_with_line_numbers(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_bytes(
        b'{"id": "a", "text": "First."}\n'
        b'not json\n'
        b'{"id": "c"}\n'
        b'{"id": "d", "text": 7}\n'
        b'{"id": "e", "text": "bad \xff byte"}\n'
        b'\n'
        b'{"id": "g", "text": "Last, no final newline.", "date": "2023-02-31"}')
    proc = run_cli("parse", "--jsonl", "--date-field", "date", src, check=False)
    assert proc.returncode == 0
    out = records(proc)
    assert len(out) == 7
    assert [r["error"]["kind"] if r["error"] else None for r in out] == [
        "missing_field", "bad_json", "missing_field", "wrong_type", "invalid_utf8", "bad_json",
        "bad_date"]
    assert [r["error"]["line"] for r in out] == [1, 2, 3, 4, 5, 6, 7]
    assert [r["id"] for r in out] == ["a", None, "c", "d", None, None, "g"]

    proc = run_cli("parse", "--jsonl", src, check=False)
    out = records(proc)
    assert out[0]["error"] is None and out[6]["error"] is None


def test_jsonl_order_is_kept_with_threads(tmp_path):
    src = tmp_path / "many.jsonl"
    n = 5000
    with open(src, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": i, "text": f"Story {i}. " * (i % 13 + 1)}) + "\n")
    dst = tmp_path / "out.jsonl"
    run_cli("parse", "--jsonl", "--threads", "2", "-o", dst, src)
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in out] == list(range(n))


def test_empty_file_gives_no_records(tmp_path):
    src = tmp_path / "empty.jsonl"
    src.write_bytes(b"")
    assert records(run_cli("parse", "--jsonl", src)) == []


def test_missing_file_is_an_error_record_and_exit_1(tmp_path):
    proc = run_cli("parse", tmp_path / "nope.txt", ROOT / "samples" / "ap-style.txt", check=False)
    assert proc.returncode == 1
    out = records(proc)
    assert out[0]["error"]["kind"] == "io_error"
    assert out[1]["error"] is None


def test_invalid_utf8_plain_file_is_parsed(tmp_path):
    src = tmp_path / "bad.txt"
    src.write_bytes(b"PARIS (AFP) - Caf\xe9 \xff text.")
    out = records(run_cli("parse", src))
    assert out[0]["error"] is None


def test_bad_stage_is_exit_2():
    proc = run_cli("parse", "--stages", "nope", stdin=b"x", check=False)
    assert proc.returncode == 2
    assert b"unknown stage" in proc.stderr


# --- subcommands, Parquet, --resume ------------------------------------------------------------

import os
import random
import signal
import subprocess
import sys
import time

import pytest


def test_subcommands_come_from_cli_modules():
    from newsparse import cli
    assert "newsparse._cli_parse" in cli._subcommand_modules()
    assert run_cli("--version").stdout.startswith(b"newsparse ")
    proc = run_cli("--help")
    assert b"parse" in proc.stdout


def test_bad_date_option_is_exit_2():
    proc = run_cli("parse", "--date", "tomorrow", stdin=b"x", check=False)
    assert proc.returncode == 2 and b"ISO date" in proc.stderr


def test_bad_row_dates_are_worded_as_the_binding_words_them(engine):
    from newsparse._cli_parse import _valid_date
    # Shape errors, impossible days, a timestamp where a day is asked for, and strings past the
    # 40-byte cut (the last one cut inside a 2-byte letter).
    for bad in ("tomorrow", "2023-02-30", "2023-13-01", "2023-00-10", "23.02.2023", "2023-2-23",
                "2023-02-23T10:00", "x" * 60, "x" + "\u00e9" * 30):
        with pytest.raises(ValueError) as from_cli:
            _valid_date(bad)
        with pytest.raises(ValueError) as from_binding:
            engine.parse("x", date=bad)
        assert str(from_cli.value) == str(from_binding.value), bad
        assert str(from_cli.value).endswith(" is not an ISO date (YYYY-MM-DD)"), bad
    assert _valid_date("2024-02-29") == "2024-02-29"
    assert _valid_date(None) is None


def test_option_conflicts_are_exit_2(tmp_path):
    for args in (["--parquet"], ["--jsonl", "--parquet", "x"], ["--batch-size", "0"],
                 ["--threads", "-1"], ["--output-format", "parquet"]):
        proc = run_cli("parse", *args, stdin=b"", check=False)
        assert proc.returncode == 2, args
        assert proc.stderr.startswith(b"newsparse: ") or b"usage" in proc.stderr


def test_resume_needs_a_jsonl_output_file():
    proc = run_cli("parse", "--jsonl", "--resume", stdin=b"", check=False)
    assert proc.returncode == 2 and b"--resume" in proc.stderr


def write_jsonl(path, n, start=0):
    with open(path, "w", encoding="utf-8") as f:
        for i in range(start, start + n):
            f.write(json.dumps({"id": i, "text": f"Story {i} é 😀. " * (i % 7 + 1),
                                "date": "2024-02-%02d" % (i % 28 + 1)}) + "\n")


def test_resume_after_a_partial_last_line(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, 100)
    full = tmp_path / "full.jsonl"
    run_cli("parse", "--jsonl", "-o", full, src)
    expected = full.read_bytes()
    lines = expected.split(b"\n")
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"\n".join(lines[:37]) + b"\n" + lines[37][:11])  # cut inside line 38
    run_cli("parse", "--jsonl", "--resume", "-o", out, src)
    assert out.read_bytes() == expected
    run_cli("parse", "--jsonl", "--resume", "-o", out, src)  # finished: a no-op
    assert out.read_bytes() == expected


def test_resume_after_sigkill_at_random_points(tmp_path):
    src = tmp_path / "in.jsonl"
    write_jsonl(src, 20000)
    full = tmp_path / "full.jsonl"
    run_cli("parse", "--jsonl", "--threads", "2", "-o", full, src)
    expected = full.read_bytes()
    assert expected.count(b"\n") == 20000

    out = tmp_path / "out.jsonl"
    # Small batches: many fsyncs, so the kills land at many different points of the output.
    cmd = [sys.executable, "-m", "newsparse.cli", "parse", "--jsonl", "--resume", "--threads",
           "2", "--batch-size", "97", "-q", "-o", str(out), str(src)]
    rng = random.Random(8)
    done_at_kill = []

    def size():
        return out.stat().st_size if out.exists() else 0

    total = len(expected)
    for attempt in range(8):
        before = size()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        # Kill once this run's output has grown past a random share (5-50 %) of what is left to
        # write: a point set by progress, not by time, so every kill lands half-way and at a
        # different point however fast or slow the machine (a timed kill let a fast run finish).
        target = before + int(rng.uniform(0.05, 0.5) * (total - before))
        deadline = time.monotonic() + 120
        while proc.poll() is None and size() <= target and time.monotonic() < deadline:
            time.sleep(0.0005)
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait(timeout=60)
            done_at_kill.append(out.read_bytes().count(b"\n"))
        else:
            proc.wait(timeout=60)
            break
    final = subprocess.run(cmd, capture_output=True, timeout=600)
    assert final.returncode == 0, final.stderr
    # Several kills landed half-way, at different points.
    partial = [k for k in done_at_kill if 0 < k < 20000]
    assert len(set(partial)) >= 3, done_at_kill
    assert out.read_bytes() == expected


def test_resume_with_plain_text_files(tmp_path):
    files = []
    for i in range(5):
        p = tmp_path / f"a{i}.txt"
        p.write_text(f"Article {i}.", encoding="utf-8")
        files.append(p)
    out = tmp_path / "out.jsonl"
    run_cli("parse", "-o", out, *files[:2])
    run_cli("parse", "--resume", "-o", out, *files)
    assert [r["id"] for r in map(json.loads, out.read_text().splitlines())] == [
        str(p) for p in files]


def test_parquet_in_and_out(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    import newsparse
    n = 5000
    texts = [f"Story {i} é. " * (i % 5 + 1) for i in range(n)]
    texts[3] = None
    dates = [f"2024-01-{i % 28 + 1:02d}" for i in range(n)]
    dates[4] = "2024-02-30"
    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"doc_id": pa.array(range(n), pa.int64()), "body": texts,
                             "day": dates}), src)
    dst = tmp_path / "out.parquet"
    run_cli("parse", "--parquet", "--text-field", "body", "--date-field", "day", "--id-field",
            "doc_id", "--threads", "2", "--batch-size", "1000", "-o", dst, src)
    pf = pq.ParquetFile(dst)
    assert pf.metadata.num_row_groups == 5  # written batch by batch
    table = pf.read()
    assert table.schema.field("id").type == pa.int64()
    assert table.schema.remove(0).equals(newsparse.arrow_schema(), check_metadata=False)
    assert table.column("id").to_pylist() == list(range(n))
    errors = table.column("error").to_pylist()
    assert errors[3]["kind"] == "missing_field" and errors[3]["line"] == 4
    assert errors[4]["kind"] == "bad_date" and errors[4]["line"] == 5
    assert sum(e is not None for e in errors) == 2

    # Parquet in, JSON Lines out: the same records.
    proc = run_cli("parse", "--parquet", "--text-field", "body", "--id-field", "doc_id", src)
    out = records(proc)
    assert [r["id"] for r in out] == list(range(n))
    assert out[3]["error"]["kind"] == "missing_field"


def test_jsonl_to_parquet_and_empty_parquet(tmp_path):
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "in.jsonl"
    src.write_bytes(b'{"id": "a", "text": "One."}\nnot json\n{"id": 7, "text": "Two."}\n')
    dst = tmp_path / "out.parquet"
    run_cli("parse", "--jsonl", "-o", dst, src)
    table = pq.read_table(dst)
    assert table.column("id").to_pylist() == ["a", None, "7"]
    assert table.column("error").to_pylist()[1]["kind"] == "bad_json"
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    run_cli("parse", "--jsonl", "-o", tmp_path / "e.parquet", empty)
    assert pq.read_table(tmp_path / "e.parquet").num_rows == 0


def test_parquet_without_the_text_column(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"other": ["x"]}), src)
    proc = run_cli("parse", "--parquet", src, check=False)
    assert proc.returncode == 1
    assert records(proc)[0]["error"]["kind"] == "missing_field"


def test_resume_with_parquet_input(tmp_path):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": [f"r{i}" for i in range(300)],
                             "text": [f"Text {i}." for i in range(300)]}), src,
                   row_group_size=70)
    full = tmp_path / "full.jsonl"
    run_cli("parse", "--parquet", "-o", full, src)
    expected = full.read_bytes()
    out = tmp_path / "out.jsonl"
    lines = expected.split(b"\n")
    out.write_bytes(b"\n".join(lines[:123]) + b"\n" + lines[123][:5])
    run_cli("parse", "--parquet", "--resume", "--batch-size", "50", "-o", out, src)
    assert out.read_bytes() == expected
