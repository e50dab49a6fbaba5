"""Typed result objects: the JSON form (schema_version 1) as Python classes.

Every span's ``start``/``end`` are ``str`` indices into the parsed text, so
``text[span.start:span.end] == span.text`` for any input (non-ASCII, astral, combining marks).

The classes are frozen, slotted dataclasses; sequences are tuples, so a result is immutable,
hashable and safe to share between threads. ``Engine.parse`` and ``Engine.parse_many`` build them
directly in C++ (``newsparse._core``); ``Article.from_dict``/``from_json`` build them from the
JSON form, and ``to_dict``/``to_json`` give the JSON form back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, List, Optional, Tuple, Union

IdValue = Union[str, int, None]
_Json = Dict[str, Any]


def _short(text: str, limit: int = 40) -> str:
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of the parsed text: ``text == parsed[start:end]``."""
    text: str
    start: int
    end: int

    @classmethod
    def _from(cls, d: _Json) -> Span:
        return cls(d["text"], d["span"][0], d["span"][1])

    def _to(self) -> _Json:
        return {"text": self.text, "span": [self.start, self.end]}

    def __repr__(self) -> str:
        return f"Span({_short(self.text)}, {self.start}, {self.end})"


@dataclass(frozen=True, slots=True)
class Place:
    """One place of a dateline, e.g. "ANAHEIM, Calif." -> city "Anaheim", country "US"."""
    span: Span
    city: str
    region: Optional[str]
    country: Optional[str]

    @classmethod
    def _from(cls, d: _Json) -> Place:
        return cls(Span._from(d), d["city"], d["region"], d["country"])

    def _to(self) -> _Json:
        return {**self.span._to(), "city": self.city, "region": self.region,
                "country": self.country}

    def __repr__(self) -> str:
        return f"Place({_short(self.span.text)}, city={self.city!r}, country={self.country!r})"


@dataclass(frozen=True, slots=True)
class DatelineDate:
    """The date of a dateline as written, and its resolved ISO day (None when unresolvable)."""
    span: Span
    value: Optional[str]

    def _to(self) -> _Json:
        return {**self.span._to(), "value": self.value}

    def __repr__(self) -> str:
        return f"DatelineDate({_short(self.span.text)}, value={self.value!r})"


@dataclass(frozen=True, slots=True)
class Source:
    """The news agency of a dateline as written, and its canonical name."""
    span: Span
    name: str

    def _to(self) -> _Json:
        return {**self.span._to(), "name": self.name}

    def __repr__(self) -> str:
        return f"Source({_short(self.span.text)}, name={self.name!r})"


@dataclass(frozen=True, slots=True)
class Dateline:
    span: Span
    place: Optional[Place]
    places: Tuple[Place, ...]
    date: Optional[DatelineDate]
    source: Optional[Source]
    byline: Optional[Span]
    body_start: int

    @classmethod
    def _from(cls, d: _Json) -> Dateline:
        date = d["date"]
        source = d["source"]
        return cls(
            span=Span._from(d),
            place=Place._from(d["place"]) if d["place"] else None,
            places=tuple(Place._from(p) for p in d["places"]),
            date=DatelineDate(Span._from(date), date["value"]) if date else None,
            source=Source(Span._from(source), source["name"]) if source else None,
            byline=Span._from(d["byline"]) if d["byline"] else None,
            body_start=d["body_start"],
        )

    def _to(self) -> _Json:
        return {
            **self.span._to(),
            "place": self.place._to() if self.place else None,
            "places": [p._to() for p in self.places],
            "date": self.date._to() if self.date else None,
            "source": self.source._to() if self.source else None,
            "byline": self.byline._to() if self.byline else None,
            "body_start": self.body_start,
        }

    def __repr__(self) -> str:
        parts = [_short(self.span.text)]
        if self.date:
            parts.append(f"date={self.date.value!r}")
        if self.source:
            parts.append(f"source={self.source.name!r}")
        return f"Dateline({', '.join(parts)})"


@dataclass(frozen=True, slots=True)
class Credit:
    """A credit or sign-off ("Reuter", "(Reporting by ...)"); kind e.g. "signoff"."""
    kind: str
    span: Span

    def _to(self) -> _Json:
        return {"kind": self.kind, **self.span._to()}

    def __repr__(self) -> str:
        return f"Credit({self.kind}, {_short(self.span.text)})"


@dataclass(frozen=True, slots=True)
class Entity:
    """One entity of the article (type "PER", "ORG", "LOC" or "MISC") with all its mentions."""
    id: int
    type: str
    name: str
    mentions: Tuple[Span, ...]
    aliases: Tuple[str, ...]
    titles: Tuple[str, ...]

    def _to(self) -> _Json:
        return {"id": self.id, "type": self.type, "name": self.name,
                "mentions": [m._to() for m in self.mentions], "aliases": list(self.aliases),
                "titles": list(self.titles)}

    def __repr__(self) -> str:
        return f"Entity({self.id}, {self.type}, {self.name!r}, mentions={len(self.mentions)})"


@dataclass(frozen=True, slots=True)
class AttributionSource:
    """Who is quoted; ``entity`` is the id of the matching Entity, if any."""
    span: Span
    entity: Optional[int]

    def _to(self) -> _Json:
        return {**self.span._to(), "entity": self.entity}

    def __repr__(self) -> str:
        return f"AttributionSource({_short(self.span.text)}, entity={self.entity!r})"


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who said what: kind "direct", "indirect" or "mixed"."""
    kind: str
    cue: Span
    source: Optional[AttributionSource]
    content: Tuple[Span, ...]

    def _to(self) -> _Json:
        return {"kind": self.kind, "cue": self.cue._to(),
                "source": self.source._to() if self.source else None,
                "content": [c._to() for c in self.content]}

    def __repr__(self) -> str:
        who = self.source.span.text if self.source else None
        return f"Attribution({self.kind}, cue={self.cue.text!r}, source={who!r})"


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date in the body, resolved against the article date ("YYYY-MM-DD", "YYYY-MM", ...)."""
    span: Span
    value: str

    def _to(self) -> _Json:
        return {**self.span._to(), "value": self.value}

    def __repr__(self) -> str:
        return f"DateMention({_short(self.span.text)}, value={self.value!r})"


@dataclass(frozen=True, slots=True)
class ParseError:
    """Why a record could not be parsed. ``line`` is the 1-based input line (0: not line-based)."""
    kind: str
    message: str
    line: int


@dataclass(frozen=True, slots=True)
class Article:
    """The result of parsing one article. A stage that found nothing leaves its field empty."""
    id: IdValue
    error: Optional[ParseError]
    dateline: Optional[Dateline]
    credits: Tuple[Credit, ...] = ()
    entities: Tuple[Entity, ...] = ()
    attributions: Tuple[Attribution, ...] = ()
    dates: Tuple[DateMention, ...] = ()

    @classmethod
    def from_dict(cls, d: _Json) -> Article:
        """Builds an Article from its JSON form (schema_version 1)."""
        if d.get("schema_version") != 1:
            raise ValueError(f"unsupported schema_version {d.get('schema_version')!r}")
        err = d["error"]
        return cls(
            id=d["id"],
            error=ParseError(err["kind"], err["message"], err["line"]) if err else None,
            dateline=Dateline._from(d["dateline"]) if d["dateline"] else None,
            credits=tuple(Credit(c["kind"], Span._from(c)) for c in d["credits"]),
            entities=tuple(Entity(e["id"], e["type"], e["name"],
                                  tuple(Span._from(m) for m in e["mentions"]),
                                  tuple(e["aliases"]), tuple(e["titles"]))
                           for e in d["entities"]),
            attributions=tuple(Attribution(
                a["kind"], Span._from(a["cue"]),
                AttributionSource(Span._from(a["source"]), a["source"]["entity"])
                if a["source"] else None,
                tuple(Span._from(c) for c in a["content"])) for a in d["attributions"]),
            dates=tuple(DateMention(Span._from(x), x["value"]) for x in d["dates"]),
        )

    @classmethod
    def from_json(cls, s: Union[str, bytes]) -> Article:
        """Builds an Article from one line of the JSON form."""
        return cls.from_dict(json.loads(s))

    def to_dict(self) -> _Json:
        """The JSON form (schema_version 1) as a dict."""
        return {
            "schema_version": 1,
            "id": self.id,
            "error": ({"kind": self.error.kind, "message": self.error.message,
                       "line": self.error.line} if self.error else None),
            "dateline": self.dateline._to() if self.dateline else None,
            "credits": [c._to() for c in self.credits],
            "entities": [e._to() for e in self.entities],
            "attributions": [a._to() for a in self.attributions],
            "dates": [x._to() for x in self.dates],
        }

    def to_json(self) -> str:
        """The JSON form as one line (non-ASCII kept as is)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"))

    def __repr__(self) -> str:
        if self.error:
            return f"Article(id={self.id!r}, error={self.error.kind!r})"
        dl = _short(self.dateline.span.text) if self.dateline else None
        return (f"Article(id={self.id!r}, dateline={dl}, entities={len(self.entities)}, "
                f"attributions={len(self.attributions)})")


MODEL_CLASSES: Dict[str, type] = {
    c.__name__: c for c in (Span, Place, DatelineDate, Source, Dateline, Credit, Entity,
                            AttributionSource, Attribution, DateMention, ParseError, Article)}

__all__: List[str] = list(MODEL_CLASSES) + ["IdValue"]
