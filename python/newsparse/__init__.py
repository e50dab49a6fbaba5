"""newsparse: datelines, entities and attributions from news articles, by a fast C++ core.

>>> import newsparse
>>> article = newsparse.parse("MOSCOW, Feb. 23 (Xinhua) -- ...", date="2023-02-23")
>>> article.dateline

``Engine`` loads the run-time data once and is immutable and thread-safe; ``Engine.parse_many``
parses a batch on C++ threads with the GIL released. Results are typed, frozen objects whose spans
are ``str`` indices (see ``newsparse._model``). ``parse_arrow``/``parse_pandas`` (with the
``arrow`` extra) give one table row per article.
"""

from __future__ import annotations

import datetime as _dt
import math as _math
import threading as _threading
from pathlib import Path as _Path
from typing import (TYPE_CHECKING, Any, Iterable, List, NoReturn, Optional, Sequence, Tuple,
                    Union)

from . import _core
from ._model import (MODEL_CLASSES as _MODEL_CLASSES, Article, Attribution, AttributionSource,
                     Credit, Dateline, DatelineDate, DateMention, Entity, IdValue, ParseError,
                     Place, Source, Span)

if TYPE_CHECKING:  # pragma: no cover
    import pandas
    import pyarrow

__all__ = [
    "Article", "Attribution", "AttributionSource", "Credit", "Dateline", "DatelineDate",
    "DateMention", "Engine", "Entity", "ParseError", "Place", "Source", "Span", "parse",
    "parse_many", "parse_arrow", "parse_pandas", "arrow_schema", "data_dir", "DateLike", "IdValue", "STAGES",
    "parse_dates", "parse_dates_arrow", "DATE_LANGUAGES",
    "SCHEMA_VERSION", "__version__",
]

__version__ = "0.1.0"
SCHEMA_VERSION: int = _core.SCHEMA_VERSION

_core.register_model(_MODEL_CLASSES)

DateLike = Union[_dt.date, str, None]
"""An article date: ``datetime.date``/``datetime.datetime``, an ISO ``YYYY-MM-DD`` str, or None."""
Stages = Union[str, Sequence[str]]
STAGES: Tuple[str, ...] = ("dateline", "entities", "attribution", "dates")
DATE_LANGUAGES: Tuple[str, ...] = ("en", "fr", "es", "pt", "it", "de", "ru")
"""The languages whose month, weekday and relative-day words ``parse_dates`` reads."""


def data_dir() -> Optional[str]:
    """The run-time data folder shipped inside the package (``newsparse/data``).

    None only when the package runs from a source checkout without its data installed; the C++
    core then falls back to $NEWSPARSE_DATA_DIR or the source tree it was built from."""
    d = _Path(__file__).resolve().parent / "data"
    return str(d) if d.is_dir() else None


_package_data_dir = data_dir


def _iso(date: object, what: str = "date") -> Optional[str]:
    if date is None:
        return None
    if isinstance(date, _dt.datetime):
        if date != date:  # pandas.NaT
            return None
        return date.date().isoformat()
    if isinstance(date, _dt.date):
        return date.isoformat()
    if isinstance(date, str):
        return date
    if isinstance(date, float) and _math.isnan(date):  # a missing value in pandas
        return None
    raise TypeError(f"{what} must be a datetime.date, an ISO date string or None, not "
                    f"{type(date).__name__}")


def _isos(dates: object) -> List[Optional[str]]:
    return [_iso(x, f"dates[{i}]") for i, x in enumerate(_seq(dates, "dates"))]


def _stages(stages: object) -> str:
    if isinstance(stages, str):
        return stages
    if isinstance(stages, (list, tuple, set, frozenset)) and all(
            isinstance(s, str) for s in stages):
        return ",".join(sorted(stages) if isinstance(stages, (set, frozenset)) else stages)
    raise TypeError("stages must be a str such as 'dateline,entities' or a sequence of str")


def _threads(threads: object) -> int:
    if isinstance(threads, bool) or not isinstance(threads, int):
        raise TypeError(f"threads must be an int, not {type(threads).__name__}")
    if threads < 0:
        raise ValueError("threads must be >= 0 (0: all cores)")
    return min(threads, 1024)


def _seq(values: object, what: str) -> Union[List[Any], Tuple[Any, ...]]:
    """A list or tuple of the items of `values` (any iterable, generators included)."""
    if isinstance(values, (list, tuple)):
        return values
    if isinstance(values, (str, bytes)):
        raise TypeError(f"{what} must be a sequence of items, not a single {type(values).__name__}")
    if not isinstance(values, Iterable):
        raise TypeError(f"{what} must be an iterable, not {type(values).__name__}")
    try:
        return list(values)
    except TypeError:
        raise TypeError(f"{what} must be an iterable, not {type(values).__name__}") from None


class Engine:
    """Loads lexicons and models once; immutable and safe to share between threads.

    ``data_dir``: the run-time data folder (default: the one shipped in the package).
    ``max_article_bytes``: longer articles (in UTF-8) give a result whose ``error.kind`` is
    ``"too_large"``.
    """

    __slots__ = ("_core", "_max_article_bytes")
    _core: _core.Engine
    _max_article_bytes: int

    def __init__(self, data_dir: Optional[str] = None, *,
                 max_article_bytes: int = 64 << 20) -> None:
        if data_dir is not None and not isinstance(data_dir, (str, _Path)):
            raise TypeError(f"data_dir must be a str or None, not {type(data_dir).__name__}")
        if isinstance(max_article_bytes, bool) or not isinstance(max_article_bytes, int):
            raise TypeError("max_article_bytes must be an int")
        if max_article_bytes <= 0:
            raise ValueError("max_article_bytes must be positive")
        d = str(data_dir) if data_dir is not None else _package_data_dir()
        object.__setattr__(self, "_core", _core.Engine(d, max_article_bytes))
        object.__setattr__(self, "_max_article_bytes", max_article_bytes)

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError("newsparse.Engine is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError("newsparse.Engine is immutable")

    def __reduce__(self) -> Tuple[Any, ...]:
        # Picklable (e.g. for multiprocessing): a copy is re-created from its data folder.
        return (_make_engine, (self.data_dir, self._max_article_bytes))

    def __repr__(self) -> str:
        return f"newsparse.Engine(data_dir={self.data_dir!r})"

    @property
    def data_dir(self) -> str:
        """The run-time data folder in use."""
        return self._core.data_dir

    @property
    def max_article_bytes(self) -> int:
        return self._max_article_bytes

    def parse(self, text: str, *, date: DateLike = None, id: IdValue = None,
              stages: Stages = "all") -> Article:
        """Parses one article. ``date`` (the article's date) resolves dates without a year.

        Raises TypeError for a non-str text and ValueError for a bad date, an unknown stage or
        a text with a lone surrogate. An article over ``max_article_bytes`` gives a result with
        ``error`` set."""
        return self._core.parse(text, _iso(date), id, _stages(stages))

    def parse_many(self, texts: Iterable[str], *, dates: Optional[Iterable[DateLike]] = None,
                   ids: Optional[Iterable[IdValue]] = None, stages: Stages = "all",
                   threads: int = 0) -> List[Article]:
        """Parses a batch on C++ threads without the GIL (``threads=0``: all cores).

        Results are in input order; ``dates`` and ``ids``, when given, have one entry per text."""
        t = _seq(texts, "texts")
        d = _isos(dates) if dates is not None else None
        i = _seq(ids, "ids") if ids is not None else None
        return self._core.parse_many(t, d, i, _stages(stages), _threads(threads))

    def parse_json(self, text: str, *, date: DateLike = None, id: IdValue = None,
                   stages: Stages = "all") -> str:
        """Parses one article and returns its JSON form (one line, schema_version 1)."""
        return self._core.parse_json(text, _iso(date), id, _stages(stages))

    def parse_many_json(self, texts: Iterable[str], *,
                        dates: Optional[Iterable[DateLike]] = None,
                        ids: Optional[Iterable[IdValue]] = None, stages: Stages = "all",
                        threads: int = 0) -> List[str]:
        """Like parse_many, but returns the JSON form of each article (one line each)."""
        t = _seq(texts, "texts")
        d = _isos(dates) if dates is not None else None
        i = _seq(ids, "ids") if ids is not None else None
        return self._core.parse_json_many(t, d, i, _stages(stages), _threads(threads))


def _make_engine(data_dir: str, max_article_bytes: int) -> Engine:
    return Engine(data_dir, max_article_bytes=max_article_bytes)


_default_engine: Optional[Engine] = None
_default_lock = _threading.Lock()


def _default() -> Engine:
    global _default_engine
    with _default_lock:
        if _default_engine is None:
            _default_engine = Engine()
        return _default_engine


def parse(text: str, date: DateLike = None, *, stages: Stages = "all") -> Article:
    """Parses one article with a lazily created default Engine."""
    return _default().parse(text, date=date, stages=stages)


def parse_many(texts: Iterable[str], dates: Optional[Iterable[DateLike]] = None, *,
               stages: Stages = "all", threads: int = 0) -> List[Article]:
    """Parses a batch with the default Engine (see Engine.parse_many)."""
    return _default().parse_many(texts, dates=dates, stages=stages, threads=threads)


def parse_arrow(texts: Any, dates: Any = None, *, ids: Any = None, stages: Stages = "all",
                threads: int = 0, engine: Optional[Engine] = None) -> "pyarrow.Table":
    """Parses a pyarrow string array (or chunked array / table column) into a pyarrow.Table with
    one row per article and the nested columns of ``newsparse.arrow_schema()``. A null text gives
    a row whose ``error`` is set. Needs pyarrow (``pip install newsparse[arrow]``)."""
    from ._arrow import parse_arrow as _parse_arrow
    return _parse_arrow(engine or _default(), texts, dates, ids=ids, stages=stages,
                        threads=threads)


def parse_pandas(texts: Any, dates: Any = None, *, stages: Stages = "all", threads: int = 0,
                 engine: Optional[Engine] = None) -> "pandas.DataFrame":
    """Parses a pandas Series of str into a DataFrame (one row per article, same index, the
    columns of parse_arrow). Needs pandas and pyarrow."""
    from ._arrow import parse_pandas as _parse_pandas
    return _parse_pandas(engine or _default(), texts, dates, stages=stages, threads=threads)


def arrow_schema() -> "pyarrow.Schema":
    """The pyarrow schema of parse_arrow's result (without the optional ``id`` column)."""
    from ._arrow import arrow_schema as _arrow_schema
    return _arrow_schema()


def _date_refs(reference_dates: Any) -> Any:
    """reference_dates as _core.parse_dates takes it: None, one date / ISO str, or a list."""
    if reference_dates is None or isinstance(reference_dates, (_dt.date, str, list, tuple)):
        return reference_dates
    if isinstance(reference_dates, (bytes, bytearray)):
        raise TypeError("reference_dates must be a date, datetime, ISO str, a sequence of them "
                        "or None, not bytes")
    if hasattr(reference_dates, "to_pylist"):  # a pyarrow array
        return reference_dates.to_pylist()
    try:
        return list(reference_dates)
    except TypeError:
        raise TypeError("reference_dates must be a date, datetime, ISO str, a sequence of them "
                        f"or None, not {type(reference_dates).__name__}") from None


def parse_dates(strings: Iterable[Optional[str]], reference_dates: Any = None, *,
                languages: Union[str, Iterable[str], None] = None) -> List[Optional[_dt.date]]:
    """Reads a column of date strings to days: the like-for-like of calling
    ``dateparser.parse(s, settings={"RELATIVE_BASE": ref})`` on each, in one C++ call.

    ``strings``: any iterable of ``str`` or ``None`` (one date per string, e.g. ``"Feb. 23"``,
    ``"23 février 2023"``, ``"2023-02-23"``, ``"Wednesday"``, ``"yesterday"``).
    ``reference_dates``: ``None``; one ``datetime.date`` / ``datetime.datetime`` (its date) / ISO
    ``YYYY-MM-DD`` str for every string; or an iterable of them (or ``None``) with one entry per
    string. A date without a year takes the year that puts it nearest its reference; weekdays are
    the most recent such day on or before it; ``yesterday``/``today``/``tomorrow`` count from it.
    Without a reference only dates with a written year (and ISO dates) are read.
    ``languages``: ``None`` (all of ``DATE_LANGUAGES``), or codes from it (``"en"``,
    ``["en", "fr"]``): only their month, weekday and relative-day words are read.

    Returns one entry per string, in order: the ``datetime.date``, or ``None`` where the string
    is ``None``, no date, names no single day (``"March 2024"``, ``"next Friday"``), or needs a
    missing reference. Strings over 96 bytes are no date (not read). Equal days share one
    ``date`` object. Raises ``TypeError`` for a string that is not ``str``/``None``
    (``strings[3] must be str or None, not int``) or a bad reference type, ``ValueError`` for a
    lone surrogate, a reference that is no ISO date, a length mismatch or an unknown language;
    the messages name the index. The parse runs in C++ with the GIL released."""
    if isinstance(strings, (str, bytes, bytearray)):
        raise TypeError(f"strings must be an iterable of str, not a single "
                        f"{type(strings).__name__}")
    if not isinstance(strings, (list, tuple)):
        strings = strings.to_pylist() if hasattr(strings, "to_pylist") else list(strings)
    return _core.parse_dates(strings, _date_refs(reference_dates), languages)


def parse_dates_arrow(strings: Any, reference_dates: Any = None, *,
                      languages: Union[str, Iterable[str], None] = None
                      ) -> Union["pyarrow.Array", "pyarrow.ChunkedArray"]:
    """``parse_dates`` for Arrow columns: a pyarrow ``date32`` array, null where
    ``parse_dates`` gives ``None``, written in C++ with no Python object per string.

    ``strings``: a pyarrow string / large_string / string_view ``Array`` or ``ChunkedArray``
    (read in place from its buffers), or any sequence of ``str``/``None``. Returns a
    ``pyarrow.ChunkedArray`` (one chunk per input chunk) for a ``ChunkedArray``, else a
    ``pyarrow.Array``. ``reference_dates``: as in ``parse_dates``, or a pyarrow array of one
    entry per string: ``date32`` (read in place), ``date64`` or ``timestamp`` (cast to
    ``date32``), or ISO strings; nulls mean no reference. Needs pyarrow
    (``pip install newsparse[arrow]``)."""
    from ._arrow import parse_dates_arrow as _parse_dates_arrow
    result: Union["pyarrow.Array", "pyarrow.ChunkedArray"] = _parse_dates_arrow(
        strings, reference_dates, languages)
    return result
