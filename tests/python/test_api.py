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


def test_typed_parse_from_many_python_threads(engine):
    texts = [f"Text {i} é 😀." for i in range(200)]
    expected = engine.parse_many(texts, threads=1)
    results = {}

    def work(k):
        results[k] = (engine.parse_many(texts, threads=2), [engine.parse(t) for t in texts[:50]])

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for many, single in results.values():
        assert many == expected and single == expected[:50]


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


# --- typed results, spans and odd inputs -------------------------------------------------------

SPAN_TEXTS = [
    "Café déjà vu, naïve façade — no wait, Latin-1 only: café à la crème ±½.",
    "MOSCOW, Feb. 23 (Xinhua) -- Wang said the talks went well.",
    "São Paulo — “quoted” text 😀 with emoji, e\u0301 combining, 𝒳𝒴 astral.",
    "МОСКВА, 23 февраля. /ТАСС/. Текст «цитата» и ещё.",
    "東京、3月1日 (共同) — 首相は述べた。",
    "a\x00b \u200d\u200d 👩\u200d👩\u200d👧 flag 🇺🇦 end",
]


def all_spans(article):
    """Every Span in an Article, whatever field holds it."""
    d = article.dateline
    if d is not None:
        yield d.span
        for p in d.places:
            yield p.span
        if d.place:
            yield d.place.span
        if d.date:
            yield d.date.span
        if d.source:
            yield d.source.span
        if d.byline:
            yield d.byline
    for c in article.credits:
        yield c.span
    for e in article.entities:
        yield from e.mentions
    for a in article.attributions:
        yield a.cue
        if a.source:
            yield a.source.span
        yield from a.content
    for x in article.dates:
        yield x.span


@pytest.mark.parametrize("text", SPAN_TEXTS)
def test_direct_objects_agree_with_the_json_form(text):
    # _testing_article fills every field of a C++ Article from the text's tokens (no meaning,
    # just plumbing) and returns it built as typed objects and as the JSON form.
    article, js = _core._testing_article(text)
    assert article.to_dict() == json.loads(js)
    assert newsparse.Article.from_json(js) == article
    spans = list(all_spans(article))
    assert len(spans) > 10
    for s in spans:
        assert text[s.start:s.end] == s.text, s
    assert article.dateline.body_start == article.dateline.span.end


@pytest.mark.parametrize("text", SPAN_TEXTS)
def test_parse_spans_are_str_slices(engine, text):
    for a in (engine.parse(text), engine.parse_many([text])[0]):
        for s in all_spans(a):
            assert text[s.start:s.end] == s.text
        assert a.to_dict() == json.loads(engine.parse_json(text))


def test_results_are_frozen_and_hashable(engine):
    a = engine.parse("Some text.")
    with pytest.raises(AttributeError):
        a.id = "x"  # type: ignore[misc]
    assert hash(a) == hash(engine.parse("Some text."))
    assert isinstance(a.entities, tuple)
    article, _ = _core._testing_article("BEIJING, Oct. 3 (Xinhua) -- Text.")
    assert hash(article) == hash(newsparse.Article.from_dict(article.to_dict()))


def test_reprs_are_short(engine):
    article, _ = _core._testing_article("BEIJING, Oct. 3 (Xinhua) -- " + "word " * 500)
    for obj in (article, article.dateline, article.entities[0], article.attributions[0],
                article.entities[0].mentions[0], article.dateline.place, article.credits[0]):
        assert len(repr(obj)) < 200, repr(obj)
    assert repr(engine.parse("x", id="a")) == \
        "Article(id='a', dateline=None, entities=0, attributions=0)"


def test_to_json_is_one_line_of_the_json_form(engine):
    text = "Line one.\nLine two with “quotes” and é."
    article, js = _core._testing_article(text)
    s = article.to_json()
    assert "\n" not in s and "é" in s
    assert json.loads(s) == json.loads(js)
    assert json.loads(engine.parse(text, id=7).to_json()) == json.loads(
        engine.parse_json(text, id=7))


def test_ids_keep_their_type(engine):
    assert [a.id for a in engine.parse_many(["a", "b", "c"], ids=["x", 5, None])] == ["x", 5, None]
    assert json.loads(engine.parse_many_json(["a"], ids=[5])[0])["id"] == 5
    with pytest.raises(TypeError, match=r"ids\[0\] must be str, int or None"):
        engine.parse_many(["a"], ids=[1.5])
    with pytest.raises(TypeError):
        engine.parse("a", id=object())  # type: ignore[arg-type]


def test_parse_many_takes_any_iterable(engine):
    gen = (f"text {i}" for i in range(10))
    dates = (datetime.date(2024, 1, i + 1) for i in range(10))
    ids = iter(range(10))
    out = engine.parse_many(gen, dates=dates, ids=ids)
    assert [a.id for a in out] == list(range(10))
    assert engine.parse_many([]) == []
    assert engine.parse_many(()) == []
    with pytest.raises(TypeError, match="not a single str"):
        engine.parse_many("a string is not a batch")
    with pytest.raises(TypeError):
        engine.parse_many(5)  # type: ignore[arg-type]


def test_wrong_types_in_sequences_name_the_index(engine):
    with pytest.raises(TypeError, match=r"texts\[2\] must be str, not NoneType"):
        engine.parse_many(["a", "b", None])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"texts\[1\] must be str, not bytes"):
        engine.parse_many(["a", b"b"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"dates\[0\]"):
        engine.parse_many(["a"], dates=[20240101])  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"dates\[0\].*ISO date"):
        engine.parse_many(["a"], dates=["yesterday"])
    with pytest.raises(ValueError, match=r"surrogate"):
        engine.parse_many(["ok", "bad \udc80"])
    with pytest.raises(ValueError, match="one entry per text"):
        engine.parse_many(["a"], ids=["x", "y"])


def test_bad_arguments(engine):
    with pytest.raises(TypeError):
        engine.parse(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        engine.parse(5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        engine.parse_many(["a"], threads=-1)
    with pytest.raises(TypeError):
        engine.parse_many(["a"], threads="2")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        engine.parse("a", stages=5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no stage"):
        engine.parse("a", stages=[])
    with pytest.raises(ValueError):
        newsparse.Engine(max_article_bytes=0)
    with pytest.raises(TypeError):
        newsparse.Engine(max_article_bytes="big")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="ISO date"):
        engine.parse("a", date="2024-01-01T10:00")
    with pytest.raises(ValueError, match="ISO date"):
        engine.parse("a", date="2024-1-1\x00")


def test_engine_is_immutable_and_picklable(engine):
    import pickle
    with pytest.raises(AttributeError):
        engine.data_dir = "/tmp"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        engine._core = None  # type: ignore[misc]
    copy = pickle.loads(pickle.dumps(engine))
    assert copy.data_dir == engine.data_dir
    assert copy.parse("x") == engine.parse("x")
    a = engine.parse("x", id="p")
    assert pickle.loads(pickle.dumps(a)) == a


def test_huge_and_odd_strings(engine):
    big = "word " * (3 << 20)  # 15 MB
    assert engine.parse(big).error is None
    assert engine.parse("").error is None
    assert engine.parse("\x00" * 1000).error is None
    assert engine.parse("😀" * 100000).error is None
    small = newsparse.Engine(max_article_bytes=1000)
    out = small.parse_many(["short", "é" * 600, "x" * 1000])
    assert [a.error.kind if a.error else None for a in out] == [None, "too_large", None]
    assert "exceeds" in out[1].error.message


def test_str_subclasses_and_non_compact_strings(engine):
    class MyStr(str):
        pass

    assert engine.parse(MyStr("Some text.")).error is None
    assert engine.parse_many([MyStr("x")])[0].error is None


def test_data_dir_is_inside_the_package():
    from pathlib import Path
    pkg = Path(newsparse.__file__).resolve().parent
    d = newsparse.data_dir()
    if pkg.parent.name == "python" and (pkg.parent / "_core.cc").exists():
        return  # an editable install runs from the checkout, without installed data
    assert d is not None and Path(d).parent == pkg
    assert (Path(d) / "README.md").is_file()
    assert newsparse.Engine().data_dir == d


def test_module_level_parse_many():
    out = newsparse.parse_many(["a", "b"], dates=["2024-01-01", None], threads=1)
    assert len(out) == 2 and all(a.error is None for a in out)


def test_parse_many_with_threads_equals_one_thread(engine):
    texts = [f"Text {i} " + "é😀 word " * (i % 50) for i in range(2000)]
    assert engine.parse_many(texts, threads=1) == engine.parse_many(texts, threads=2)


@pytest.mark.parametrize("bad", ["\ud800 UCS-2 text é", "😀 UCS-4 \udfff text", "\udc80"])
def test_lone_surrogates_in_every_string_kind(engine, bad):
    with pytest.raises(ValueError, match=r"texts\[1\] is not valid Unicode"):
        engine.parse_many(["fine", bad, "fine é"], threads=2)
    with pytest.raises(ValueError, match="text is not valid Unicode"):
        engine.parse(bad)
    with pytest.raises(ValueError, match="surrogate"):
        engine.parse_json(bad)
    with pytest.raises(ValueError, match="surrogate"):
        _core.tokenize(bad)


def test_no_utf8_copy_is_left_inside_the_strs(engine):
    import sys
    texts = [("é" * 1000) + str(i) for i in range(3)] + [("東京" * 500) + "x", "😀" * 300]
    sizes = [sys.getsizeof(t) for t in texts]
    engine.parse_many(texts, threads=2)
    engine.parse(texts[0])
    engine.parse_many_json(texts)
    assert [sys.getsizeof(t) for t in texts] == sizes


def test_lying_and_mutating_sequences_do_not_crash(engine):
    class Liar(list):
        def __len__(self):
            return super().__len__() + 5

    with pytest.raises(IndexError):
        engine._core.parse_many(Liar(["a", "b"]))

    texts = ["word é " * 2000 for _ in range(400)]
    stop = threading.Event()

    def mutate():
        while not stop.is_set():
            texts[len(texts) // 2] = "replaced"
            texts.append("x")
            texts.pop()

    t = threading.Thread(target=mutate)
    t.start()
    try:
        for _ in range(5):
            out = engine.parse_many(texts, threads=2)
            assert len(out) in (400, 401)  # the list may be caught mid-append
    finally:
        stop.set()
        t.join()


def test_core_rejects_non_sequences(engine):
    with pytest.raises(TypeError):
        engine._core.parse_many(x for x in ["a"])
    with pytest.raises(TypeError):
        engine._core.parse_many(["a"], dates=[5])


@pytest.mark.parametrize("threads", [1, 2, 3, 64])
def test_parse_many_pipeline_keeps_order_errors_and_gc_state(threads):
    import gc
    small = newsparse.Engine(max_article_bytes=200)
    texts = [("LONDON, May 2 (Reuters) - Ann Lee said. " * (1 + (i % 9))) for i in range(120)]
    expected = [small.parse(t, id=i) for i, t in enumerate(texts)]
    assert any(a.error is not None for a in expected) and any(a.error is None for a in expected)
    for enabled in (True, False):
        (gc.enable if enabled else gc.disable)()
        try:
            assert small.parse_many(texts, ids=list(range(120)), threads=threads) == expected
            assert gc.isenabled() is enabled
        finally:
            gc.enable()
    assert small.parse_many([], threads=threads) == []
