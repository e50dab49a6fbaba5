import json

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
