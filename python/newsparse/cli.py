"""The ``newsparse`` command line.

``newsparse parse [FILE ...]`` reads plain-text files (one article each), JSON Lines with
``--jsonl``, or standard input, and writes one JSON line per input record, in input order.
A record that cannot be parsed becomes an output line whose ``error`` is set (with the input line
number); nothing is dropped silently.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from typing import BinaryIO, Iterator, List, Optional, Sequence, TextIO, Tuple

from . import Engine, __version__

_BATCH_RECORDS = 2048
_BATCH_BYTES = 16 << 20


class _Progress:
    """A one-line progress report on stderr, shown only when stderr is a terminal."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.records = 0
        self.bytes = 0
        self.start = time.monotonic()
        self.last = 0.0

    def update(self, records: int, nbytes: int) -> None:
        self.records += records
        self.bytes += nbytes
        now = time.monotonic()
        if self.enabled and now - self.last >= 0.2:
            self.last = now
            self._draw(now)

    def _draw(self, now: float) -> None:
        secs = max(now - self.start, 1e-9)
        mb = self.bytes / 1e6
        sys.stderr.write(f"\r{self.records:,} records  {mb:,.1f} MB  "
                         f"{self.records / secs:,.0f} rec/s  {mb / secs:,.1f} MB/s ")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            self._draw(time.monotonic())
            sys.stderr.write("\n")


def _read_lines(stream: BinaryIO) -> Iterator[Tuple[List[bytes], int]]:
    """Batches of raw lines (without the newline) and their byte size."""
    batch: List[bytes] = []
    size = 0
    for raw in stream:
        line = raw[:-1] if raw.endswith(b"\n") else raw
        batch.append(line)
        size += len(raw)
        if len(batch) >= _BATCH_RECORDS or size >= _BATCH_BYTES:
            yield batch, size
            batch, size = [], 0
    if batch:
        yield batch, size


def _error_line(id_value: Optional[str], kind: str, message: str, line: int) -> str:
    return json.dumps({"schema_version": 1, "id": id_value,
                       "error": {"kind": kind, "message": message, "line": line},
                       "dateline": None, "credits": [], "entities": [], "attributions": [],
                       "dates": []}, ensure_ascii=False)


def _cmd_parse(args: argparse.Namespace) -> int:
    engine = Engine(args.data_dir)
    out: TextIO
    if args.output:
        out = open(args.output, "w", encoding="utf-8", newline="\n")
    else:
        out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n",
                               write_through=False)
    progress = _Progress(sys.stderr.isatty() and not args.quiet)
    status = 0
    try:
        if args.jsonl:
            sources: Sequence[str] = args.files or ["-"]
            for path in sources:
                try:
                    stream = sys.stdin.buffer if path == "-" else open(path, "rb")
                except OSError as e:
                    out.write(_error_line(path, "io_error", str(e), 0) + "\n")
                    status = 1
                    continue
                with stream:
                    line_no = 1
                    for batch, size in _read_lines(stream):
                        results = engine._core.parse_jsonl(
                            batch, line_no, args.text_field, args.date_field or "",
                            args.id_field, args.stages, args.threads, args.date)
                        out.write("\n".join(results))
                        out.write("\n")
                        line_no += len(batch)
                        progress.update(len(batch), size)
        else:
            paths: Sequence[str] = args.files or ["-"]
            for start in range(0, len(paths), 256):
                chunk = paths[start:start + 256]
                texts: List[str] = []
                ids: List[Optional[str]] = []
                errors = {}
                size = 0
                for i, path in enumerate(chunk):
                    try:
                        if path == "-":
                            data = sys.stdin.buffer.read()
                        else:
                            with open(path, "rb") as f:
                                data = f.read()
                    except OSError as e:
                        errors[i] = _error_line(path, "io_error", str(e), 0)
                        status = 1
                        data = b""
                    size += len(data)
                    # Invalid UTF-8 is read as U+FFFD per maximal subpart, exactly as the core
                    # reads it, so offsets are the same either way.
                    texts.append(data.decode("utf-8", errors="replace"))
                    ids.append(None if path == "-" else path)
                results = engine.parse_many_json(texts, ids=ids, stages=args.stages,
                                                 threads=args.threads,
                                                 dates=[args.date] * len(texts))
                for i, line in enumerate(results):
                    out.write(errors.get(i, line) + "\n")
                progress.update(len(chunk), size)
    except BrokenPipeError:
        return status
    except ValueError as e:
        sys.stderr.write(f"newsparse: {e}\n")
        return 2
    finally:
        progress.close()
        try:
            out.flush()
            if args.output:
                out.close()
        except BrokenPipeError:
            pass
    return status


def _add_parse(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("parse", help="parse articles and write JSON Lines",
                       description="Parse articles (plain-text files, JSON Lines with --jsonl, "
                                   "or standard input) and write one JSON line per record, in "
                                   "input order.")
    p.add_argument("files", nargs="*", help="input files ('-' or none: standard input)")
    p.add_argument("--jsonl", action="store_true", help="inputs are JSON Lines records")
    p.add_argument("--text-field", default="text", help="JSON field holding the article text")
    p.add_argument("--date-field", default=None,
                   help="JSON field holding the article date (YYYY-MM-DD...)")
    p.add_argument("--id-field", default="id", help="JSON field holding the record id")
    p.add_argument("--date", default=None,
                   help="reference date YYYY-MM-DD for records without one")
    p.add_argument("--stages", default="all",
                   help="comma-separated stages: all, dateline, entities, attribution, dates")
    p.add_argument("--threads", type=int, default=0, help="parser threads (0: all cores)")
    p.add_argument("-o", "--output", default=None, help="output file (default: stdout)")
    p.add_argument("--data-dir", default=None, help="run-time data folder (default: packaged)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_cmd_parse)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="newsparse",
                                     description="Fast news-article parser.")
    parser.add_argument("--version", action="version", version=f"newsparse {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    _add_parse(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
