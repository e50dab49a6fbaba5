"""``newsparse parse``: parse articles and write one record per input record, in input order.

Inputs: plain-text files (one article each), JSON Lines (``--jsonl``), Parquet (``--parquet``:
a text column, optional date and id columns), or standard input. Output: JSON Lines (default) or
Parquet (``--output-format parquet`` or an ``-o`` path ending in ``.parquet``) with the schema of
``newsparse.parse_arrow``, written one row group per batch so memory stays bounded.

A record that cannot be parsed becomes an output record whose ``error`` is set (with its input
line, or row for Parquet); nothing is dropped silently.

``--resume`` (JSON Lines output to a file): output is flushed and fsync'd after every batch; on a
restart the complete lines already in the output are counted, a partial last line is cut off, and
that many input records are skipped, so a job killed at any point and started again with the
same command ends with every record exactly once, in order.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import time
from typing import (TYPE_CHECKING, Any, BinaryIO, Iterator, List, Optional, Sequence, TextIO,
                    Tuple)

from . import Engine, _iso
from ._model import Article, ParseError

if TYPE_CHECKING:  # pragma: no cover
    import pyarrow

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


def _error_line(id_value: Any, kind: str, message: str, line: int) -> str:
    return json.dumps({"schema_version": 1, "id": id_value,
                       "error": {"kind": kind, "message": message, "line": line},
                       "dateline": None, "credits": [], "entities": [], "attributions": [],
                       "dates": []}, ensure_ascii=False, separators=(",", ":"))


def _error_article(id_value: Any, kind: str, message: str, line: int) -> Article:
    return Article(id_value, ParseError(kind, message, line), None)


# --- outputs ------------------------------------------------------------------------------------

class _JsonlOut:
    """JSON Lines to a file or stdout; with ``durable``, fsync'd after every batch."""

    def __init__(self, path: Optional[str], resume: bool) -> None:
        self.skip = 0
        self.durable = resume
        self.path = path
        self.out: TextIO
        if path is None:
            self.out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="\n",
                                        write_through=False)
            return
        if resume and os.path.exists(path):
            self.skip = _complete_lines_and_truncate(path)
            self.out = open(path, "a", encoding="utf-8", newline="\n")
        else:
            self.out = open(path, "w", encoding="utf-8", newline="\n")

    def write_json(self, lines: Sequence[str]) -> None:
        if lines:
            self.out.write("\n".join(lines))
            self.out.write("\n")
            self._sync()

    def write_articles(self, articles: Sequence[Article], ids: Any = None) -> None:
        self.write_json([a.to_json() for a in articles])

    def _sync(self) -> None:
        if self.durable:
            self.out.flush()
            os.fsync(self.out.fileno())

    def close(self) -> None:
        self.out.flush()
        if self.path is not None:
            self.out.close()


def _complete_lines_and_truncate(path: str) -> int:
    """Counts the newline-terminated lines of `path` and cuts off a partial last line."""
    count = 0
    end = 0  # offset just past the last newline
    pos = 0
    with open(path, "r+b") as f:
        while True:
            chunk = f.read(1 << 20)
            if not chunk:
                break
            n = chunk.count(b"\n")
            if n:
                count += n
                end = pos + chunk.rindex(b"\n") + 1
            pos += len(chunk)
        if end != pos:
            f.truncate(end)
            f.flush()
            os.fsync(f.fileno())
    return count


class _ParquetOut:
    """Parquet with the parse_arrow schema, one row group per batch."""

    def __init__(self, path: str) -> None:
        import pyarrow.parquet as pq
        self.pq = pq
        self.path = path
        self.skip = 0
        self.writer: Optional[pq.ParquetWriter] = None

    def write_json(self, lines: Sequence[str]) -> None:
        self.write_articles([Article.from_json(s) for s in lines])

    def write_articles(self, articles: Sequence[Article],
                       ids: Optional["pyarrow.Array"] = None) -> None:
        import pyarrow as pa

        from ._arrow import articles_to_batch
        if not articles:
            return
        if ids is None:
            ids = pa.array([None if a.id is None else str(a.id) for a in articles],
                           type=pa.string())
        batch = articles_to_batch(articles, ids)
        if self.writer is None:
            self.writer = self.pq.ParquetWriter(self.path, batch.schema)
        self.writer.write_batch(batch)

    def close(self) -> None:
        if self.writer is None:  # no record: still a valid, empty file with the schema
            import pyarrow as pa

            from ._arrow import arrow_schema
            self.writer = self.pq.ParquetWriter(self.path, arrow_schema(pa.string()))
        self.writer.close()


# --- inputs -------------------------------------------------------------------------------------

class _Skip:
    """Input records still to skip (those already in the output when resuming)."""

    def __init__(self, n: int) -> None:
        self.n = n

    def take(self, available: int) -> int:
        k = min(self.n, available)
        self.n -= k
        return k


def _read_lines(stream: BinaryIO, skip: _Skip,
                batch_records: int) -> Iterator[Tuple[List[bytes], int, int]]:
    """Batches of raw lines (without the newline): (lines, first line number, byte size)."""
    batch: List[bytes] = []
    size = 0
    line_no = 0
    first = 1
    for raw in stream:
        line_no += 1
        if skip.n and skip.take(1):
            first = line_no + 1
            continue
        batch.append(raw[:-1] if raw.endswith(b"\n") else raw)
        size += len(raw)
        if len(batch) >= batch_records or size >= _BATCH_BYTES:
            yield batch, first, size
            first = line_no + 1
            batch, size = [], 0
    if batch:
        yield batch, first, size


def _valid_date(value: Any, what: str = "date") -> Optional[str]:
    """The ISO date of `value` (None for none); ValueError/TypeError naming `what` for a bad one."""
    iso = _iso(value, what)
    if iso is not None:
        import datetime
        try:
            if len(iso) != 10 or iso[4] != "-" or iso[7] != "-":
                raise ValueError
            datetime.date.fromisoformat(iso)
        except ValueError:
            # The wording of the binding's reference-date errors (python/_core_args.h).
            cut = iso.encode("utf-8", "surrogatepass")[:40].decode("utf-8", "replace")
            raise ValueError(f"{what}: {cut!r} is not an ISO date (YYYY-MM-DD)") from None
    return iso


def _parse_rows(engine: Engine, args: argparse.Namespace, texts: List[Any], dates: List[Any],
                ids: List[Any], first_row: int) -> List[Article]:
    """Parses rows of a table; a null text or a bad date gives an error record for that row."""
    out: List[Optional[Article]] = [None] * len(texts)
    todo: List[int] = []
    iso_dates: List[Optional[str]] = []
    for i, text in enumerate(texts):
        row = first_row + i
        if not isinstance(text, str):
            out[i] = _error_article(ids[i], "missing_field" if text is None else "wrong_type",
                                    f"{args.text_field} is "
                                    f"{'null' if text is None else type(text).__name__}", row)
            continue
        try:
            iso = _valid_date(dates[i]) if dates[i] is not None else args.date
        except (TypeError, ValueError) as e:
            out[i] = _error_article(ids[i], "bad_date", str(e), row)
            continue
        todo.append(i)
        iso_dates.append(iso)
    parsed = engine.parse_many([texts[i] for i in todo], dates=iso_dates,
                               ids=[ids[i] for i in todo], stages=args.stages,
                               threads=args.threads)
    for i, a in zip(todo, parsed):
        out[i] = a
    return out  # type: ignore[return-value]


def _id_value(v: Any) -> Any:
    return v if v is None or isinstance(v, (str, int)) and not isinstance(v, bool) else str(v)


# --- the command --------------------------------------------------------------------------------

def _run(args: argparse.Namespace) -> int:
    out_format = args.output_format or (
        "parquet" if args.output and args.output.endswith(".parquet") else "jsonl")
    if out_format == "parquet" and not args.output:
        sys.stderr.write("newsparse: Parquet output needs -o FILE\n")
        return 2
    if args.resume and (not args.output or out_format != "jsonl"):
        sys.stderr.write("newsparse: --resume needs JSON Lines output to a file (-o FILE)\n")
        return 2
    if args.jsonl and args.parquet:
        sys.stderr.write("newsparse: choose one of --jsonl and --parquet\n")
        return 2
    if args.parquet and not args.files:
        sys.stderr.write("newsparse: --parquet reads files, not standard input\n")
        return 2
    if args.batch_size < 1:
        sys.stderr.write("newsparse: --batch-size must be >= 1\n")
        return 2
    if args.threads < 0:
        sys.stderr.write("newsparse: --threads must be >= 0\n")
        return 2
    try:
        engine = Engine(args.data_dir)
        engine.parse("", stages=args.stages, date=args.date)  # bad options fail before output
    except (ValueError, TypeError, RuntimeError) as e:
        sys.stderr.write(f"newsparse: {e}\n")
        return 2
    try:
        out: Any = _ParquetOut(args.output) if out_format == "parquet" else \
            _JsonlOut(args.output, args.resume)
    except ImportError as e:
        sys.stderr.write(f"newsparse: Parquet needs pyarrow (pip install newsparse[arrow]): {e}\n")
        return 2
    except OSError as e:
        sys.stderr.write(f"newsparse: cannot write {args.output}: {e}\n")
        return 1
    progress = _Progress(sys.stderr.isatty() and not args.quiet)
    skip = _Skip(out.skip)
    status = 0
    try:
        if args.parquet:
            status = _from_parquet(engine, args, out, skip, progress)
        elif args.jsonl:
            status = _from_jsonl(engine, args, out, skip, progress)
        else:
            status = _from_text_files(engine, args, out, skip, progress)
    except BrokenPipeError:
        return status
    except ImportError as e:
        sys.stderr.write(f"newsparse: Parquet needs pyarrow (pip install newsparse[arrow]): {e}\n")
        return 2
    finally:
        progress.close()
        try:
            out.close()
        except BrokenPipeError:
            pass
    return status


def _from_jsonl(engine: Engine, args: argparse.Namespace, out: Any, skip: _Skip,
                progress: _Progress) -> int:
    status = 0
    for path in args.files or ["-"]:
        try:
            stream = sys.stdin.buffer if path == "-" else open(path, "rb")
        except OSError as e:
            if not skip.take(1):
                out.write_json([_error_line(path, "io_error", str(e), 0)])
            status = 1
            continue
        with stream:
            for batch, first, size in _read_lines(stream, skip, args.batch_size):
                out.write_json(engine._core.parse_jsonl(
                    batch, first, args.text_field, args.date_field or "", args.id_field,
                    args.stages, args.threads, args.date))
                progress.update(len(batch), size)
    return status


def _from_text_files(engine: Engine, args: argparse.Namespace, out: Any, skip: _Skip,
                     progress: _Progress) -> int:
    status = 0
    paths: Sequence[str] = args.files or ["-"]
    paths = paths[skip.take(len(paths)):]
    step = min(args.batch_size, 256)
    for start in range(0, len(paths), step):
        chunk = paths[start:start + step]
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
            # Invalid UTF-8 is read as U+FFFD per maximal subpart, exactly as the core reads
            # it, so offsets are the same either way.
            texts.append(data.decode("utf-8", errors="replace"))
            ids.append(None if path == "-" else path)
        results = engine.parse_many_json(texts, ids=ids, stages=args.stages,
                                         threads=args.threads, dates=[args.date] * len(texts))
        out.write_json([errors.get(i, line) for i, line in enumerate(results)])
        progress.update(len(chunk), size)
    return status


def _from_parquet(engine: Engine, args: argparse.Namespace, out: Any, skip: _Skip,
                  progress: _Progress) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq
    status = 0
    for path in args.files:
        try:
            pf = pq.ParquetFile(path)
        except (OSError, pa.ArrowException) as e:
            if not skip.take(1):
                out.write_articles([_error_article(path, "io_error", str(e), 0)])
            status = 1
            continue
        names = pf.schema_arrow.names
        if args.text_field not in names:
            if not skip.take(1):
                out.write_articles([_error_article(
                    path, "missing_field", f"no column {args.text_field!r} in {path}", 0)])
            status = 1
            continue
        cols = [args.text_field]
        date_col = args.date_field if args.date_field in names else None
        id_col = args.id_field if args.id_field in names else None
        cols += [c for c in (date_col, id_col) if c is not None and c not in cols]
        row = 1
        for batch in pf.iter_batches(batch_size=args.batch_size, columns=cols):
            k = skip.take(batch.num_rows)
            if k:
                batch = batch.slice(k)
                row += k
            if batch.num_rows == 0:
                continue
            texts = batch.column(args.text_field).to_pylist()
            n = len(texts)
            dates = batch.column(date_col).to_pylist() if date_col else [None] * n
            id_arr = batch.column(id_col) if id_col else None
            ids = [_id_value(v) for v in id_arr.to_pylist()] if id_arr is not None else [None] * n
            articles = _parse_rows(engine, args, texts, dates, ids, row)
            out.write_articles(articles, id_arr)
            row += n
            progress.update(n, sum(len(t) for t in texts if isinstance(t, str)))
    return status


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("parse", help="parse articles and write JSON Lines or Parquet",
                       description="Parse articles (plain-text files, JSON Lines with --jsonl, "
                                   "Parquet with --parquet, or standard input) and write one "
                                   "record per input record, in input order.")
    p.add_argument("files", nargs="*", help="input files ('-' or none: standard input)")
    p.add_argument("--jsonl", action="store_true", help="inputs are JSON Lines records")
    p.add_argument("--parquet", action="store_true",
                   help="inputs are Parquet files (columns named by --text-field, --date-field, "
                        "--id-field)")
    p.add_argument("--text-field", default="text", help="field/column holding the article text")
    p.add_argument("--date-field", default=None,
                   help="field/column holding the article date (YYYY-MM-DD...)")
    p.add_argument("--id-field", default="id", help="field/column holding the record id")
    p.add_argument("--date", default=None,
                   help="reference date YYYY-MM-DD for records without one")
    p.add_argument("--stages", default="all",
                   help="comma-separated stages: all, dateline, entities, attribution, dates")
    p.add_argument("--threads", type=int, default=0, help="parser threads (0: all cores)")
    p.add_argument("--batch-size", type=int, default=_BATCH_RECORDS,
                   help="records per batch: per Parquet row group, and per fsync with --resume "
                        f"(default {_BATCH_RECORDS})")
    p.add_argument("-o", "--output", default=None, help="output file (default: stdout)")
    p.add_argument("--output-format", choices=("jsonl", "parquet"), default=None,
                   help="default: parquet when -o ends in .parquet, else jsonl")
    p.add_argument("--resume", action="store_true",
                   help="continue an interrupted run: keep the complete records already in -o "
                        "and skip as many input records (JSON Lines output only)")
    p.add_argument("--data-dir", default=None, help="run-time data folder (default: packaged)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_run)
