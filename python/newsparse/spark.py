"""Parsing a Spark DataFrame: ``newsparse.spark.parse_dataframe(df, "text", date_col="date")``.

Needs PySpark and pyarrow on the driver and on every executor (``pip install newsparse[spark]``),
and newsparse itself installed on the executors: the wheel installed on every node, or a packed
virtual environment shipped with ``spark-submit --archives`` (not ``--py-files``: Python cannot
import the compiled ``_core`` module from a zip file). See the README's "Spark" section.

The text column goes to the executors as Arrow record batches (``DataFrame.mapInArrow``); each
Python worker process creates one ``Engine`` the first time it parses (the engine is loaded once,
cached in this module and reused by every later task the worker runs, since Spark reuses Python
workers by default) and turns each batch into the columns of ``newsparse.arrow_schema()`` with
the same C++ Arrow builder as ``newsparse.parse_arrow``. The result has one row per input row: the
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
from ._arrow import arrow_schema, parse_batches
from ._cli_parse import _valid_date

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


def _dates_and_errors(opts: _Options, dates: Optional[List[Any]]
                      ) -> Tuple[Optional[List[Optional[str]]],
                                 Optional[List[Optional[Tuple[str, str]]]]]:
    """ISO dates per row, and a "bad_date" error for each row whose date is not valid."""
    if dates is None:
        return None, None
    isos: List[Optional[str]] = [None] * len(dates)
    errors: List[Optional[Tuple[str, str]]] = [None] * len(dates)
    what = opts.date_col or "date"  # dates are read only when a date column is named
    for i, d in enumerate(dates):
        if d is None:
            continue
        try:
            isos[i] = _valid_date(d, what)
        except (TypeError, ValueError) as e:
            errors[i] = ("bad_date", str(e))
    return isos, errors


def _parse_batches(opts: _Options, batches: Iterator[pa.RecordBatch]
                   ) -> Iterator[pa.RecordBatch]:
    """The mapInArrow function: input batches (text, date, passthrough columns) to result
    batches (passthrough columns, then the columns of arrow_schema()), built in C++ from the
    Arrow text column (invalid UTF-8, which a Spark string may hold, is read with U+FFFD
    replacement, as the parser reads invalid bytes)."""
    engine = _worker_engine(opts.data_dir, opts.max_article_bytes)
    for batch in batches:
        dates = None if opts.date_col is None else batch.column(opts.date_col).to_pylist()
        isos, errors = _dates_and_errors(opts, dates)
        results = parse_batches(engine, [batch.column(opts.text_col)], isos, errors,
                                null_message=f"{opts.text_col} is null", stages=opts.stages,
                                threads=opts.threads, max_rows=max(batch.num_rows, 1))
        start = 0
        for result in results:
            arrays = [batch.column(c).slice(start, result.num_rows) for c in opts.passthrough]
            names = list(opts.passthrough) + list(result.schema.names)
            yield pa.RecordBatch.from_arrays(arrays + list(result.columns), names=names)
            start += result.num_rows


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
