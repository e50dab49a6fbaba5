"""Parsing a Spark DataFrame: ``newsparse.spark.parse_dataframe(df, "text", date_col="date")``.

Needs PySpark and pyarrow on the driver and on every executor (``pip install newsparse[spark]``),
and newsparse itself installed on the executors: the wheel installed on every node, or a packed
virtual environment shipped with ``spark-submit --archives`` (not ``--py-files``: Python cannot
import the compiled ``_core`` module from a zip file). See the README's "Spark" section.

The text column goes to the executors as Arrow record batches (``DataFrame.mapInArrow``); each
Python worker process creates one ``Engine`` the first time it parses (the engine is loaded once,
cached in this module and reused by every later task the worker runs, since Spark reuses Python
workers by default) and turns each batch into the columns of ``newsparse.arrow_schema()`` with
the same conversion as ``newsparse.parse_arrow``. The result has one row per input row: the
passthrough columns asked for (the id column first, then ``keep``), then ``error``, ``dateline``,
``credits``, ``entities``, ``attributions`` and ``dates`` as nested columns. A row that cannot be
parsed (a null text, a bad date) keeps its place and gets its ``error`` set; no row is dropped.
"""

from __future__ import annotations

import functools
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Sequence, Tuple

import pyarrow as pa

from . import STAGES, Engine, Stages, _stages, _threads
from ._arrow import arrow_schema, articles_to_batch
from ._cli_parse import _error_article, _valid_date
from ._model import Article

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame
    from pyspark.sql.types import DataType, StructType

__all__ = ["parse_dataframe", "spark_schema"]

_RESULT_COLUMNS = tuple(arrow_schema().names)


def _spark_type(t: pa.DataType) -> "DataType":
    from pyspark.sql import types as T
    if pa.types.is_string(t) or pa.types.is_large_string(t):
        return T.StringType()
    if pa.types.is_int32(t):
        return T.IntegerType()
    if pa.types.is_int64(t):
        return T.LongType()
    if pa.types.is_list(t) or pa.types.is_large_list(t):
        return T.ArrayType(_spark_type(t.value_type), containsNull=True)
    if pa.types.is_struct(t):
        return T.StructType([T.StructField(t.field(i).name, _spark_type(t.field(i).type), True)
                             for i in range(t.num_fields)])
    raise TypeError(f"no Spark type for the Arrow type {t}")  # pragma: no cover


def spark_schema() -> "StructType":
    """The Spark schema of the result columns: ``newsparse.arrow_schema()`` in Spark types
    (string -> StringType, int32 -> IntegerType, int64 -> LongType, list -> ArrayType,
    struct -> StructType; every field nullable)."""
    from pyspark.sql import types as T
    return T.StructType([T.StructField(f.name, _spark_type(f.type), True)
                         for f in arrow_schema()])


@dataclass(frozen=True)
class _Options:
    """What the executors need to know; pickled into each task."""
    text_col: str
    date_col: Optional[str]
    passthrough: Tuple[str, ...]
    stages: str
    threads: int
    data_dir: Optional[str]
    max_article_bytes: int


_engines: Dict[Tuple[Optional[str], int], Engine] = {}
_engines_lock = threading.Lock()


def _worker_engine(data_dir: Optional[str], max_article_bytes: int) -> Engine:
    """The Engine of this process for these options, created on first use and kept."""
    key = (data_dir, max_article_bytes)
    with _engines_lock:
        engine = _engines.get(key)
        if engine is None:
            engine = Engine(data_dir, max_article_bytes=max_article_bytes)
            _engines[key] = engine
        return engine


def _texts(column: pa.Array) -> List[Optional[str]]:
    """The column's values as str; invalid UTF-8 (which a Spark string may hold) is read with
    U+FFFD replacement, the way the parser reads invalid bytes."""
    try:
        return column.to_pylist()  # type: ignore[no-any-return]
    except UnicodeDecodeError:
        raw = column.cast(pa.binary()).to_pylist()
        return [None if b is None else b.decode("utf-8", "replace") for b in raw]


def _parse_rows(engine: Engine, opts: _Options, texts: List[Optional[str]],
                dates: Optional[List[Any]]) -> List[Article]:
    """One Article per row; a null text or a bad date gives that row an error result."""
    out: List[Optional[Article]] = [None] * len(texts)
    todo: List[int] = []
    todo_texts: List[str] = []
    todo_dates: List[Optional[str]] = []
    for i, text in enumerate(texts):
        if text is None:
            out[i] = _error_article(None, "missing_field", f"{opts.text_col} is null", 0)
            continue
        iso: Optional[str] = None
        if dates is not None and dates[i] is not None:
            try:
                iso = _valid_date(dates[i])
            except (TypeError, ValueError) as e:
                out[i] = _error_article(None, "bad_date", f"{opts.date_col} {dates[i]!r}: {e}", 0)
                continue
        todo.append(i)
        todo_texts.append(text)
        todo_dates.append(iso)
    parsed = engine.parse_many(todo_texts, dates=todo_dates, stages=opts.stages,
                               threads=opts.threads)
    for i, article in zip(todo, parsed):
        out[i] = article
    return out  # type: ignore[return-value]


def _parse_batches(opts: _Options, batches: Iterator[pa.RecordBatch]
                   ) -> Iterator[pa.RecordBatch]:
    """The mapInArrow function: input batches (text, date, passthrough columns) to result
    batches (passthrough columns, then the columns of arrow_schema())."""
    engine = _worker_engine(opts.data_dir, opts.max_article_bytes)
    for batch in batches:
        texts = _texts(batch.column(opts.text_col))
        dates = None if opts.date_col is None else batch.column(opts.date_col).to_pylist()
        result = articles_to_batch(_parse_rows(engine, opts, texts, dates))
        arrays = [batch.column(c) for c in opts.passthrough] + list(result.columns)
        names = list(opts.passthrough) + list(result.schema.names)
        yield pa.RecordBatch.from_arrays(arrays, names=names)


def _quoted(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def parse_dataframe(df: "DataFrame", text_col: str = "text", *, date_col: Optional[str] = None,
                    id_col: Optional[str] = None, keep: Sequence[str] = (),
                    stages: Stages = "all", threads: int = 1, data_dir: Optional[str] = None,
                    max_article_bytes: int = 64 << 20) -> "DataFrame":
    """Parses the articles in ``df[text_col]`` on the executors; returns a lazy DataFrame.

    ``text_col``: a string column (a null gives a row whose ``error.kind`` is
    ``"missing_field"``). ``date_col``: optional article dates, a date, timestamp or ISO
    ``YYYY-MM-DD`` string column (a null means no date; a bad value gives a row whose
    ``error.kind`` is ``"bad_date"``). ``id_col``: optional column kept first in the result, to
    join results back to their input. ``keep``: further columns passed through unchanged.
    ``stages``, ``max_article_bytes``: as for ``Engine``. ``threads``: C++ threads per Spark
    task (default 1, since Spark runs one task per core; raise it together with
    ``spark.task.cpus``). ``data_dir``: the run-time data folder on the executors (default: the
    one in the installed package).

    The result's schema is the passthrough columns (``id_col``, then ``keep``, with their input
    types) followed by ``spark_schema()``, which is ``newsparse.arrow_schema()`` in Spark types.
    One output row per input row; the row order within a partition is kept.

    Raises (on the driver, before any work) ValueError for a missing column, a passthrough
    column named like a result column, or an unknown stage; TypeError for a text column that is
    not a string, a date column that is not a date, timestamp or string, or a wrong option type.
    """
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    if not isinstance(text_col, str):
        raise TypeError(f"text_col must be a str, not {type(text_col).__name__}")
    if isinstance(keep, str):
        raise TypeError("keep must be a sequence of column names, not a single str")
    st = _stages(stages)
    _check_stages(st)
    th = _threads(threads)
    if isinstance(max_article_bytes, bool) or not isinstance(max_article_bytes, int):
        raise TypeError("max_article_bytes must be an int")
    if max_article_bytes <= 0:
        raise ValueError("max_article_bytes must be positive")
    if data_dir is not None and not isinstance(data_dir, str):
        raise TypeError(f"data_dir must be a str or None, not {type(data_dir).__name__}")

    fields = {f.name: f for f in df.schema.fields}

    def field(name: Any, what: str) -> T.StructField:
        if not isinstance(name, str):
            raise TypeError(f"{what} must be a column name (str), not {type(name).__name__}")
        if name not in fields:
            raise ValueError(f"{what} {name!r} is not a column of the DataFrame "
                             f"(columns: {', '.join(fields)})")
        return fields[name]

    if not isinstance(field(text_col, "text_col").dataType, T.StringType):
        raise TypeError(f"text column {text_col!r} must be a string column, not "
                        f"{fields[text_col].dataType.simpleString()}")
    if date_col is not None and not isinstance(
            field(date_col, "date_col").dataType,
            (T.DateType, T.TimestampType, T.TimestampNTZType, T.StringType)):
        raise TypeError(f"date column {date_col!r} must be a date, timestamp or string column, "
                        f"not {fields[date_col].dataType.simpleString()}")
    passthrough: List[str] = []
    wanted: List[Tuple[Any, str]] = [(id_col, "id_col")] if id_col is not None else []
    wanted += [(k, "keep column") for k in keep]
    for name, what in wanted:
        field(name, what)  # a str from here on
        if name.lower() in _RESULT_COLUMNS:
            raise ValueError(f"passthrough column {name!r} has the name of a result column; "
                             "rename it first (withColumnRenamed)")
        if name not in passthrough:
            passthrough.append(name)

    inputs = list(passthrough)
    for name in (text_col, date_col):
        if name is not None and name not in inputs:
            inputs.append(name)
    opts = _Options(text_col, date_col, tuple(passthrough), st, th, data_dir, max_article_bytes)
    out_schema = T.StructType([fields[c] for c in passthrough] + spark_schema().fields)
    selected = df.select(*[F.col(_quoted(c)) for c in inputs])
    return selected.mapInArrow(functools.partial(_parse_batches, opts), out_schema)


def _check_stages(stages: str) -> None:
    """ValueError for a stage list the C++ core would refuse (its rules: comma-separated names
    among "all" and STAGES, spaces ignored, at least one), so the mistake shows on the driver
    rather than in every task."""
    names = [s.strip(" ") for s in stages.split(",") if s.strip()]
    unknown = [s for s in names if s != "all" and s not in STAGES]
    if unknown:
        raise ValueError(f"unknown stage {unknown[0]!r} (expected all, {', '.join(STAGES)})")
    if not names:
        raise ValueError("no stage chosen")
