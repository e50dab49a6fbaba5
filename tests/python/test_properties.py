"""Property-based tests (hypothesis): arbitrary str, NULs and non-BMP characters included, into
``newsparse.parse`` and ``Engine.parse_many``; every span of the result must slice the input back
to its text, and a lone surrogate anywhere must be a ValueError. The example counts stay small so
the suite stays fast; texts mix free characters with wire-copy fragments the project wrote, so
that datelines, entities, quotes and dates actually occur."""
import pytest

hypothesis = pytest.importorskip("hypothesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import newsparse  # noqa: E402

FRAGMENTS = [
    "NAIROBI, March 4 (Reuters) - ", "By MARTA OKONJO\n", "BEIJING, Oct. 3 (Xinhua) -- ",
    "МОСКВА, 23 февраля (ТАСС) -- ", "Finance Minister Amina Rotich", " said", " told reporters",
    "\"We will pay,\" ", "“Not yet,” ", "« Non » ", "according to the ministry", " on Tuesday",
    " last week", " March 3, 2024", "the Kenya Shilling Board (KSB)", " KSB ", ". ", "\n\n",
    "(Reporting by Lee Park; Editing by Jo Ames)", " Reuter", "\x00", "\U0001F600", "\U00010348",
    "é", "\u200b", "he said ", "(", "'", "-- ", "Mr. Mbeki", "U.S.", " 4.2 percent",
]

# Any code point except surrogates (hypothesis leaves category Cs out unless asked).
free_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), free_text), max_size=25).map("".join)


def spans_of(article):
    """Every span of a parse result, with a name for the failure message."""
    d = article.dateline
    if d is not None:
        yield "dateline", d.span
        if d.byline is not None:
            yield "byline", d.byline
        if d.place is not None:
            yield "place", d.place.span
        for p in d.places:
            yield "places", p.span
        if d.date is not None:
            yield "date", d.date.span
        if d.source is not None:
            yield "source", d.source.span
    for c in article.credits:
        yield "credit", c.span
    for e in article.entities:
        for m in e.mentions:
            yield "mention", m
    for a in article.attributions:
        yield "cue", a.cue
        if a.source is not None:
            yield "attribution source", a.source.span
        for c in a.content:
            yield "content", c
    for d in article.dates:
        yield "date mention", d.span


def check_spans(text, article):
    assert article.error is None, article.error
    n = 0
    for name, s in spans_of(article):
        assert 0 <= s.start <= s.end <= len(text), (name, s, len(text))
        assert text[s.start:s.end] == s.text, (name, s)
        n += 1
    if article.dateline is not None:
        assert 0 <= article.dateline.body_start <= len(text)
    return n


def test_span_checker_sees_every_kind_of_span():
    # The checker must not pass vacuously: a text built from the fragments has spans of each
    # kind, and the checker visits them.
    text = ("By MARTA OKONJO\nNAIROBI, March 4 (Reuters) - Finance Minister Amina Rotich said on "
            "Tuesday the Kenya Shilling Board (KSB) would meet. \"We will pay,\" she told "
            "reporters\x00 \U0001F600 last week. KSB officials said March 3, 2024 was set.\n\n"
            "(Reporting by Lee Park; Editing by Jo Ames)")
    a = newsparse.parse(text)
    kinds = {name for name, _ in spans_of(a)}
    assert {"dateline", "place", "date", "source", "byline", "credit", "mention", "cue",
            "content", "date mention"} <= kinds, kinds
    assert check_spans(text, a) > 10


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_parse_spans_slice_back(text):
    check_spans(text, newsparse.parse(text))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(texts, max_size=6), st.sampled_from([1, 2]))
def test_parse_many_spans_slice_back_and_match_parse(batch, threads):
    engine = _engine()
    results = engine.parse_many(batch, threads=threads)
    assert len(results) == len(batch)
    for text, article in zip(batch, results):
        check_spans(text, article)
        assert article == engine.parse(text)


_ENGINE = None


def _engine():
    global _ENGINE
    if _ENGINE is None:
        _ENGINE = newsparse.Engine()
    return _ENGINE


surrogates = st.integers(min_value=0xD800, max_value=0xDFFF).map(chr)


@settings(max_examples=30, deadline=None)
@given(texts, surrogates, st.integers(min_value=0))
def test_lone_surrogate_is_value_error(text, surrogate, where):
    i = where % (len(text) + 1)
    bad = text[:i] + surrogate + text[i:]
    with pytest.raises(ValueError, match="surrogate"):
        newsparse.parse(bad)
    with pytest.raises(ValueError, match=r"texts\[1\].*surrogate"):
        _engine().parse_many(["fine", bad, "also fine"])
