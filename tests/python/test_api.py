import datetime
import json
import threading

import pytest

import newsparse
from newsparse import _core


def test_parse_returns_typed_article(engine):
    a = engine.parse("Plain text without a dateline.", id="doc-1")
    assert isinstance(a, newsparse.Article)
    assert a.id == "doc-1"
    assert a.error is None
    assert a.to_dict()["schema_version"] == 1
    assert json.loads(a.to_json()) == a.to_dict()
    assert newsparse.Article.from_dict(a.to_dict()) == a


def test_module_level_parse_uses_default_engine():
    a = newsparse.parse("Some text.", date="2023-02-23")
    assert a.error is None


def test_dates_accept_date_objects_and_iso_strings(engine):
    engine.parse("x", date=datetime.date(2024, 1, 2))
    engine.parse("x", date=datetime.datetime(2024, 1, 2, 10, 30))
    engine.parse("x", date="2024-01-02")
    with pytest.raises(ValueError, match="ISO date"):
        engine.parse("x", date="02/01/2024")
    with pytest.raises(ValueError, match="ISO date"):
        engine.parse("x", date="2023-02-30")
    with pytest.raises(TypeError):
        engine.parse("x", date=20240102)


def test_non_str_text_is_type_error(engine):
    with pytest.raises(TypeError, match="text must be str"):
        engine.parse(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        engine.parse_many(["ok", 5])  # type: ignore[list-item]


def test_lone_surrogate_is_value_error(engine):
    with pytest.raises(ValueError, match="surrogate"):
        engine.parse("bad \ud800 text")


def test_nul_and_control_characters_are_fine(engine):
    assert engine.parse("a\x00b\x01c").error is None


def test_unknown_stage_is_value_error(engine):
    with pytest.raises(ValueError, match="unknown stage"):
        engine.parse("x", stages="everything")
    engine.parse("x", stages=["dateline", "entities"])


def test_parse_many_matches_parse_in_order(engine):
    texts = [f"Article number {i} with é and 😀." for i in range(300)]
    ids = [f"id-{i}" for i in range(300)]
    many = engine.parse_many(texts, ids=ids, threads=2)
    assert [a.id for a in many] == ids
    for t, i, a in zip(texts[:20], ids[:20], many[:20]):
        assert engine.parse(t, id=i) == a


def test_parse_many_validates_lengths(engine):
    with pytest.raises(ValueError):
        engine.parse_many(["a", "b"], dates=["2024-01-01"])


def test_engine_is_shared_between_python_threads(engine):
    results = {}

    def work(k):
        results[k] = engine.parse_many_json([f"text {k} {i}" for i in range(50)], threads=1)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 1, 2, 3]
    assert all(len(v) == 50 for v in results.values())


def test_too_large_article_is_an_error_record():
    small = newsparse.Engine(max_article_bytes=10)
    a = small.parse("this is more than ten bytes")
    assert a.error is not None and a.error.kind == "too_large"


TOKEN_CASES = [
    "MOSCOW, Feb. 23 (Xinhua) -- Wang said.",
    "МОСКВА, 23 февраля. /ТАСС/. Текст «цитата».",
    "São Paulo — “quoted” text 😀 with emoji, e\u0301 combining.",
    "Exxon Mobil ( XOM.N ) rose 3.5% in the U.S. on Monday.",
]


@pytest.mark.parametrize("text", TOKEN_CASES)
def test_token_offsets_are_str_indices(text):
    tokens, sentences, paragraphs = _core.tokenize(text)
    assert tokens
    pos = 0
    for start, end, kind, shape, flags in tokens:
        assert pos <= start < end <= len(text)
        assert text[start:end].strip() == text[start:end]
        pos = end
    assert sentences[0][0] == 0 and sentences[-1][1] == len(tokens)


def test_tokens_of_the_dateline():
    text = "MOSCOW, Feb. 23 (Xinhua) -- Wang said."
    tokens, _, _ = _core.tokenize(text)
    assert [text[s:e] for s, e, *_ in tokens] == [
        "MOSCOW", ",", "Feb.", "23", "(", "Xinhua", ")", "--", "Wang", "said", "."]
