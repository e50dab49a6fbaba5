"""A spaCy pipeline component: ``nlp.add_pipe("newsparse", config={...})``.

Registered through the ``spacy_factories`` entry point, so installing newsparse is enough::

    nlp = spacy.blank("en")
    nlp.add_pipe("newsparse", config={"set_ents": True})
    doc = nlp("MOSCOW, Feb. 23 (Xinhua) -- ...")
    doc._.dateline, doc._.attributions, doc.spans["newsparse"], doc._.newsparse

Config:
  ``stages``      which stages to run ("all" or e.g. "dateline,entities")
  ``set_ents``    also write entity mentions to ``doc.ents`` (overlaps with existing entities
                  are resolved by spacy.util.filter_spans: the longest span wins, then the first)
  ``spans_key``   the ``doc.spans`` key (None: do not set spans)
  ``date_key``    ``doc.user_data`` key holding the article date (datetime.date or ISO str)
  ``threads``     C++ threads for ``pipe()`` batches (0: all cores)
  ``data_dir``    run-time data folder (None: the one shipped in the package)

Spans are cut with ``doc.char_span(..., alignment_mode="expand")``, so a span that ends inside a
spaCy token covers the whole token. ``pipe()`` sends each batch to ``Engine.parse_many``.
"""

from __future__ import annotations

from typing import Any, Iterable, Iterator, List, Optional

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan
from spacy.util import filter_spans, minibatch

from . import Engine
from ._model import Article, Span

for _name, _default in (("newsparse", None), ("dateline", None), ("attributions", ())):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)

# Labels of the spans in doc.spans[spans_key]; entity mentions carry their type (PER, ORG, ...).
DATELINE, PLACE, DATELINE_DATE, SOURCE, BYLINE = (
    "DATELINE", "DATELINE_PLACE", "DATELINE_DATE", "DATELINE_SOURCE", "BYLINE")
CREDIT, ATTR_CUE, ATTR_SOURCE, ATTR_CONTENT, DATE = (
    "CREDIT", "ATTRIBUTION_CUE", "ATTRIBUTION_SOURCE", "ATTRIBUTION_CONTENT", "DATE")


def _cut(doc: Doc, span: Optional[Span], label: str, out: List[SpacySpan]) -> None:
    if span is None or span.end <= span.start:
        return
    s = doc.char_span(span.start, span.end, label=label, alignment_mode="expand")
    if s is not None:  # None only where the span is whitespace the tokenizer dropped
        out.append(s)


def set_annotations(doc: Doc, article: Article, *, spans_key: Optional[str] = "newsparse",
                    set_ents: bool = False) -> Doc:
    """Writes `article` (parsed from ``doc.text``) onto `doc`: ``doc._.newsparse``,
    ``doc._.dateline``, ``doc._.attributions``, ``doc.spans[spans_key]`` and, with
    ``set_ents``, the entity mentions into ``doc.ents``."""
    doc._.newsparse = article
    doc._.dateline = article.dateline
    doc._.attributions = article.attributions
    mentions: List[SpacySpan] = []
    for e in article.entities:
        for m in e.mentions:
            _cut(doc, m, e.type, mentions)
    if spans_key is not None:
        spans: List[SpacySpan] = []
        d = article.dateline
        if d is not None:
            _cut(doc, d.span, DATELINE, spans)
            for p in d.places:
                _cut(doc, p.span, PLACE, spans)
            _cut(doc, d.date.span if d.date else None, DATELINE_DATE, spans)
            _cut(doc, d.source.span if d.source else None, SOURCE, spans)
            _cut(doc, d.byline, BYLINE, spans)
        for credit in article.credits:
            _cut(doc, credit.span, CREDIT, spans)
        spans.extend(mentions)
        for a in article.attributions:
            _cut(doc, a.cue, ATTR_CUE, spans)
            _cut(doc, a.source.span if a.source else None, ATTR_SOURCE, spans)
            for c in a.content:
                _cut(doc, c, ATTR_CONTENT, spans)
        for x in article.dates:
            _cut(doc, x.span, DATE, spans)
        spans.sort(key=lambda s: (s.start, -s.end))
        doc.spans[spans_key] = spans
    if set_ents and mentions:
        doc.ents = sorted(filter_spans(list(doc.ents) + mentions), key=lambda s: s.start)
    return doc


class NewsparseComponent:
    """The pipeline component (see the module docstring for the config)."""

    def __init__(self, nlp: Language, name: str = "newsparse", *, stages: str = "all",
                 set_ents: bool = False, spans_key: Optional[str] = "newsparse",
                 date_key: str = "newsparse_date", threads: int = 0,
                 data_dir: Optional[str] = None) -> None:
        self.name = name
        self.stages = stages
        self.set_ents = set_ents
        self.spans_key = spans_key
        self.date_key = date_key
        self.threads = threads
        self.engine = Engine(data_dir)
        self.engine.parse("", stages=stages)  # reject a bad stage list now, not per document

    def _date(self, doc: Doc) -> Any:
        return doc.user_data.get(self.date_key)

    def __call__(self, doc: Doc) -> Doc:
        article = self.engine.parse(doc.text, date=self._date(doc), stages=self.stages)
        return set_annotations(doc, article, spans_key=self.spans_key, set_ents=self.set_ents)

    def pipe(self, stream: Iterable[Doc], *, batch_size: int = 128) -> Iterator[Doc]:
        for batch in minibatch(stream, size=batch_size):  # type: ignore[no-untyped-call]
            docs = list(batch)
            articles = self.engine.parse_many([d.text for d in docs],
                                              dates=[self._date(d) for d in docs],
                                              stages=self.stages, threads=self.threads)
            for doc, article in zip(docs, articles):
                yield set_annotations(doc, article, spans_key=self.spans_key,
                                      set_ents=self.set_ents)


@Language.factory(
    "newsparse",
    default_config={"stages": "all", "set_ents": False, "spans_key": "newsparse",
                    "date_key": "newsparse_date", "threads": 0, "data_dir": None},
)
def make_newsparse(nlp: Language, name: str, stages: str, set_ents: bool,
                   spans_key: Optional[str], date_key: str, threads: int,
                   data_dir: Optional[str]) -> NewsparseComponent:
    return NewsparseComponent(nlp, name, stages=stages, set_ents=set_ents, spans_key=spans_key,
                              date_key=date_key, threads=threads, data_dir=data_dir)
