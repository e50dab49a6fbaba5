"""Typed result objects: the JSON form (schema_version 1) as Python classes.

Every span's ``start``/``end`` are ``str`` indices into the parsed text, so
``text[span.start:span.end] == span.text`` for any input, non-ASCII included.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int

    @classmethod
    def _from(cls, d: Dict[str, Any]) -> "Span":
        return cls(d["text"], d["span"][0], d["span"][1])

    def _to(self) -> Dict[str, Any]:
        return {"text": self.text, "span": [self.start, self.end]}

    def __repr__(self) -> str:
        return f"Span({self.text!r}, {self.start}, {self.end})"


@dataclass(frozen=True)
class Place:
    span: Span
    city: str
    region: Optional[str]
    country: Optional[str]

    @classmethod
    def _from(cls, d: Dict[str, Any]) -> "Place":
        return cls(Span._from(d), d["city"], d["region"], d["country"])

    def _to(self) -> Dict[str, Any]:
        return {**self.span._to(), "city": self.city, "region": self.region,
                "country": self.country}

    def __repr__(self) -> str:
        return f"Place({self.span.text!r}, city={self.city!r}, country={self.country!r})"


@dataclass(frozen=True)
class DatelineDate:
    span: Span
    value: Optional[str]

    def _to(self) -> Dict[str, Any]:
        return {**self.span._to(), "value": self.value}


@dataclass(frozen=True)
class Source:
    span: Span
    name: str

    def _to(self) -> Dict[str, Any]:
        return {**self.span._to(), "name": self.name}


@dataclass(frozen=True)
class Dateline:
    span: Span
    place: Optional[Place]
    places: List[Place]
    date: Optional[DatelineDate]
    source: Optional[Source]
    byline: Optional[Span]
    body_start: int

    @classmethod
    def _from(cls, d: Dict[str, Any]) -> "Dateline":
        date = d["date"]
        source = d["source"]
        return cls(
            span=Span._from(d),
            place=Place._from(d["place"]) if d["place"] else None,
            places=[Place._from(p) for p in d["places"]],
            date=DatelineDate(Span._from(date), date["value"]) if date else None,
            source=Source(Span._from(source), source["name"]) if source else None,
            byline=Span._from(d["byline"]) if d["byline"] else None,
            body_start=d["body_start"],
        )

    def _to(self) -> Dict[str, Any]:
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
        parts = [repr(self.span.text)]
        if self.date:
            parts.append(f"date={self.date.value!r}")
        if self.source:
            parts.append(f"source={self.source.name!r}")
        return f"Dateline({', '.join(parts)})"


@dataclass(frozen=True)
class Credit:
    kind: str
    span: Span

    def _to(self) -> Dict[str, Any]:
        return {"kind": self.kind, **self.span._to()}


@dataclass(frozen=True)
class Entity:
    id: int
    type: str
    name: str
    mentions: List[Span]
    aliases: List[str]
    titles: List[str]

    def _to(self) -> Dict[str, Any]:
        return {"id": self.id, "type": self.type, "name": self.name,
                "mentions": [m._to() for m in self.mentions], "aliases": list(self.aliases),
                "titles": list(self.titles)}

    def __repr__(self) -> str:
        return f"Entity({self.id}, {self.type}, {self.name!r}, mentions={len(self.mentions)})"


@dataclass(frozen=True)
class AttributionSource:
    span: Span
    entity: Optional[int]

    def _to(self) -> Dict[str, Any]:
        return {**self.span._to(), "entity": self.entity}


@dataclass(frozen=True)
class Attribution:
    kind: str
    cue: Span
    source: Optional[AttributionSource]
    content: List[Span]

    def _to(self) -> Dict[str, Any]:
        return {"kind": self.kind, "cue": self.cue._to(),
                "source": self.source._to() if self.source else None,
                "content": [c._to() for c in self.content]}

    def __repr__(self) -> str:
        who = self.source.span.text if self.source else None
        return f"Attribution({self.kind}, cue={self.cue.text!r}, source={who!r})"


@dataclass(frozen=True)
class DateMention:
    span: Span
    value: str

    def _to(self) -> Dict[str, Any]:
        return {**self.span._to(), "value": self.value}


@dataclass(frozen=True)
class ParseError:
    kind: str
    message: str
    line: int


@dataclass(frozen=True)
class Article:
    id: Optional[Any]
    error: Optional[ParseError]
    dateline: Optional[Dateline]
    credits: List[Credit] = field(default_factory=list)
    entities: List[Entity] = field(default_factory=list)
    attributions: List[Attribution] = field(default_factory=list)
    dates: List[DateMention] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: Dict[str, Any]) -> "Article":
        """Builds an Article from its JSON form (schema_version 1)."""
        if d.get("schema_version") != 1:
            raise ValueError(f"unsupported schema_version {d.get('schema_version')!r}")
        err = d["error"]
        return cls(
            id=d["id"],
            error=ParseError(err["kind"], err["message"], err["line"]) if err else None,
            dateline=Dateline._from(d["dateline"]) if d["dateline"] else None,
            credits=[Credit(c["kind"], Span._from(c)) for c in d["credits"]],
            entities=[Entity(e["id"], e["type"], e["name"],
                             [Span._from(m) for m in e["mentions"]], e["aliases"], e["titles"])
                      for e in d["entities"]],
            attributions=[Attribution(
                a["kind"], Span._from(a["cue"]),
                AttributionSource(Span._from(a["source"]), a["source"]["entity"])
                if a["source"] else None,
                [Span._from(c) for c in a["content"]]) for a in d["attributions"]],
            dates=[DateMention(Span._from(x), x["value"]) for x in d["dates"]],
        )

    @classmethod
    def from_json(cls, s: str) -> "Article":
        return cls.from_dict(json.loads(s))

    def to_dict(self) -> Dict[str, Any]:
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
        return json.dumps(self.to_dict(), ensure_ascii=False)

    def __repr__(self) -> str:
        if self.error:
            return f"Article(id={self.id!r}, error={self.error.kind!r})"
        return (f"Article(id={self.id!r}, dateline={self.dateline!r}, "
                f"entities={len(self.entities)}, attributions={len(self.attributions)})")
