"""Uses the whole public API with precise types; `mypy --strict` must accept it
(checked by test_typing.py). Also run as a plain script by that test."""

from __future__ import annotations

import datetime
from typing import List, Optional, Tuple

import newsparse
from newsparse import (Article, Attribution, Credit, Dateline, DateMention, Engine, Entity,
                       ParseError, Place, Span)


def spans_of(article: Article) -> List[Span]:
    out: List[Span] = []
    d: Optional[Dateline] = article.dateline
    if d is not None:
        out.append(d.span)
        places: Tuple[Place, ...] = d.places
        out.extend(p.span for p in places)
        if d.date is not None:
            value: Optional[str] = d.date.value
            assert value is None or len(value) == 10
            out.append(d.date.span)
        if d.source is not None:
            name: str = d.source.name
            assert name
        if d.byline is not None:
            out.append(d.byline)
        start: int = d.body_start
        assert start >= 0
    credit: Credit
    for credit in article.credits:
        out.append(credit.span)
    entity: Entity
    for entity in article.entities:
        kind: str = entity.type
        assert kind in ("PER", "ORG", "LOC", "MISC")
        out.extend(entity.mentions)
    attribution: Attribution
    for attribution in article.attributions:
        out.append(attribution.cue)
        if attribution.source is not None:
            ent: Optional[int] = attribution.source.entity
            assert ent is None or ent >= 0
        out.extend(attribution.content)
    mention: DateMention
    for mention in article.dates:
        out.append(mention.span)
    return out


def main() -> None:
    engine = Engine()
    data: str = engine.data_dir
    assert data
    shipped: Optional[str] = newsparse.data_dir()
    assert shipped is None or shipped == data
    text = "BEIJING, Oct. 3 (Xinhua) -- Wang Yi said talks went well."
    a: Article = engine.parse(text, date=datetime.date(2024, 10, 3), id="x")
    b: Article = engine.parse(text, date="2024-10-03", stages=["dateline", "entities"])
    c: Article = newsparse.parse(text, "2024-10-03")
    for article in (a, b, c):
        for s in spans_of(article):
            assert text[s.start:s.end] == s.text
    many: List[Article] = engine.parse_many([text, text], dates=[None, "2024-10-03"],
                                            ids=["a", 2], threads=2)
    more: List[Article] = newsparse.parse_many(t for t in [text])
    js: str = engine.parse_json(text)
    jsl: List[str] = engine.parse_many_json([text])
    again: Article = Article.from_json(js)
    assert again.to_dict() == Article.from_dict(again.to_dict()).to_dict()
    line: str = a.to_json()
    err: Optional[ParseError] = Engine(max_article_bytes=4).parse(text).error
    assert err is not None and err.kind == "too_large" and err.line == 0
    print(len(many), len(more), len(jsl), len(line), newsparse.SCHEMA_VERSION,
          newsparse.__version__)


def tables() -> None:
    """parse_arrow / parse_pandas (the arrow extra) and the spaCy component (the spacy extra)."""
    try:
        import pandas
        import pyarrow
    except ImportError:
        return
    table: pyarrow.Table = newsparse.parse_arrow(pyarrow.array(["One.", None]), threads=1)
    schema: pyarrow.Schema = newsparse.arrow_schema()
    assert table.schema.equals(schema)
    frame: pandas.DataFrame = newsparse.parse_pandas(pandas.Series(["One."]), "2024-01-02")
    assert len(frame) == 1
    days = newsparse.parse_dates_arrow(pyarrow.array(["Feb. 23", None]), "2023-02-23",
                                       languages=["en"])
    assert days.type == pyarrow.date32()


def spacy_pipeline() -> None:
    try:
        import spacy
    except ImportError:
        return
    from newsparse.spacy_component import NewsparseComponent, set_annotations
    nlp = spacy.blank("en")
    component = nlp.add_pipe("newsparse", config={"set_ents": True})
    assert isinstance(component, NewsparseComponent)
    doc = nlp("PARIS (AFP) - Text.")
    article: Article = doc._.newsparse
    set_annotations(doc, article, spans_key="other")


def date_strings() -> None:
    """parse_dates: a column of date strings to days."""
    days: List[Optional[datetime.date]] = newsparse.parse_dates(
        ["Feb. 23", "Wednesday", None], datetime.date(2023, 2, 23), languages="en")
    assert days[0] == datetime.date(2023, 2, 23)
    each = newsparse.parse_dates(("Feb. 23",), ["2023-02-23"])
    assert each == days[:1]
    assert "fr" in newsparse.DATE_LANGUAGES


if __name__ == "__main__":
    main()
    date_strings()
    tables()
    spacy_pipeline()
