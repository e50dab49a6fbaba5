"""newsparse: datelines, entities and attributions from news articles, by a fast C++ core.

>>> import newsparse
>>> article = newsparse.parse("MOSCOW, Feb. 23 (Xinhua) -- ...", date="2023-02-23")
>>> article.dateline
"""

from __future__ import annotations

import datetime as _dt
import threading as _threading
from pathlib import Path as _Path
from typing import List, Optional, Sequence, Union

from . import _core
from ._model import (Article, Attribution, AttributionSource, Credit, Dateline, DatelineDate,
                     DateMention, Entity, ParseError, Place, Source, Span)

__all__ = [
    "Article", "Attribution", "AttributionSource", "Credit", "Dateline", "DatelineDate",
    "DateMention", "Engine", "Entity", "ParseError", "Place", "Source", "Span", "parse",
    "data_dir", "SCHEMA_VERSION", "__version__",
]

__version__ = "0.1.0"
SCHEMA_VERSION: int = _core.SCHEMA_VERSION

DateLike = Union[_dt.date, str, None]
STAGES = ("dateline", "entities", "attribution", "dates")


def data_dir() -> Optional[str]:
    """The run-time data folder shipped inside the package (None when running from a checkout
    without an installed package: the C++ core then uses its source tree's data/)."""
    d = _Path(__file__).resolve().parent / "data"
    return str(d) if d.is_dir() else None


_package_data_dir = data_dir


def _iso(date: DateLike) -> Optional[str]:
    if date is None:
        return None
    if isinstance(date, _dt.datetime):
        return date.date().isoformat()
    if isinstance(date, _dt.date):
        return date.isoformat()
    if isinstance(date, str):
        return date
    raise TypeError(f"date must be a datetime.date, an ISO string or None, not "
                    f"{type(date).__name__}")


def _stages(stages: Union[str, Sequence[str]]) -> str:
    return stages if isinstance(stages, str) else ",".join(stages)


class Engine:
    """Loads lexicons and models once; immutable and safe to share between threads."""

    def __init__(self, data_dir: Optional[str] = None, *,
                 max_article_bytes: int = 64 << 20) -> None:
        self._core = _core.Engine(data_dir if data_dir is not None else _package_data_dir(),
                                  max_article_bytes)

    @property
    def data_dir(self) -> str:
        return str(self._core.data_dir)

    def parse(self, text: str, *, date: DateLike = None, id: Optional[str] = None,
              stages: Union[str, Sequence[str]] = "all") -> Article:
        """Parses one article. ``date`` resolves dates without a year."""
        return Article.from_json(self._core.parse_json(text, _iso(date), id, _stages(stages)))

    def parse_json(self, text: str, *, date: DateLike = None, id: Optional[str] = None,
                   stages: Union[str, Sequence[str]] = "all") -> str:
        """Parses one article and returns its JSON form (one line)."""
        return str(self._core.parse_json(text, _iso(date), id, _stages(stages)))

    def parse_many(self, texts: Sequence[str], *, dates: Optional[Sequence[DateLike]] = None,
                   ids: Optional[Sequence[Optional[str]]] = None,
                   stages: Union[str, Sequence[str]] = "all", threads: int = 0) -> List[Article]:
        """Parses a batch on C++ threads without the GIL (``threads=0``: all cores)."""
        return [Article.from_json(s) for s in self.parse_many_json(
            texts, dates=dates, ids=ids, stages=stages, threads=threads)]

    def parse_many_json(self, texts: Sequence[str], *,
                        dates: Optional[Sequence[DateLike]] = None,
                        ids: Optional[Sequence[Optional[str]]] = None,
                        stages: Union[str, Sequence[str]] = "all",
                        threads: int = 0) -> List[str]:
        iso = [_iso(d) for d in dates] if dates is not None else None
        return list(self._core.parse_json_many(list(texts), iso,
                                               list(ids) if ids is not None else None,
                                               _stages(stages), threads))


_default_engine: Optional[Engine] = None
_default_lock = _threading.Lock()


def _default() -> Engine:
    global _default_engine
    with _default_lock:
        if _default_engine is None:
            _default_engine = Engine()
        return _default_engine


def parse(text: str, date: DateLike = None, *,
          stages: Union[str, Sequence[str]] = "all") -> Article:
    """Parses one article with a lazily created default Engine."""
    return _default().parse(text, date=date, stages=stages)
