import datetime
import gc
import random

import pytest

import newsparse
from newsparse import Article, ParseError, _core
from written_articles import write_article

pa = pytest.importorskip("pyarrow")


def _span_fields():
    return [pa.field("text", pa.string()), pa.field("start", pa.int32()),
            pa.field("end", pa.int32())]


def _expected_schema():
    """The schema newsparse documents, spelled out here independently of the C++ builder."""
    span = pa.struct(_span_fields())
    place = pa.struct(_span_fields() + [pa.field("city", pa.string()),
                                        pa.field("region", pa.string()),
                                        pa.field("country", pa.string())])
    dateline = pa.struct(_span_fields() + [
        pa.field("place", place), pa.field("places", pa.list_(place)),
        pa.field("date", pa.struct(_span_fields() + [pa.field("value", pa.string())])),
        pa.field("source", pa.struct(_span_fields() + [pa.field("name", pa.string())])),
        pa.field("byline", span), pa.field("body_start", pa.int32())])
    credit = pa.struct([pa.field("kind", pa.string())] + _span_fields())
    entity = pa.struct([pa.field("id", pa.int32()), pa.field("type", pa.string()),
                        pa.field("name", pa.string()), pa.field("mentions", pa.list_(span)),
                        pa.field("aliases", pa.list_(pa.string())),
                        pa.field("titles", pa.list_(pa.string()))])
    attribution = pa.struct([
        pa.field("kind", pa.string()), pa.field("cue", span),
        pa.field("source", pa.struct(_span_fields() + [pa.field("entity", pa.int32())])),
        pa.field("content", pa.list_(span))])
    date_mention = pa.struct(_span_fields() + [pa.field("value", pa.string())])
    error = pa.struct([pa.field("kind", pa.string()), pa.field("message", pa.string()),
                       pa.field("line", pa.int64())])
    return pa.schema([
        pa.field("error", error), pa.field("dateline", dateline),
        pa.field("credits", pa.list_(credit)), pa.field("entities", pa.list_(entity)),
        pa.field("attributions", pa.list_(attribution)),
        pa.field("dates", pa.list_(date_mention)),
    ], metadata={"newsparse.schema_version": "1"})


# Articles written for these tests, on top of written_articles: a byline, a multi-place
# dateline, an acronym, a date without a year, non-ASCII text in every script width.
EXTRA = [
    "By MARIA OKAFOR\n\nNAIROBI, Kenya, March 3 (Reuters) - The World Health Organization (WHO) "
    "said on Friday that the WHO would send 40 doctors. \"We are ready,\" Okafor said.\n\n"
    "(Reporting by Maria Okafor; Editing by John Smith)",
    "SÃO PAULO, 3 de março (EFE) — O presidente Luiz Almeida disse que a chuva parou. "
    "“Estamos prontos,” disse Almeida na segunda-feira. 😀 Fim.",
    "TOKYO, Jan. 9 (Xinhua) -- Prime Minister Kenji Tanaka said on Tuesday that 東京 traffic "
    "fell, Tanaka told reporters in 東京 on Jan. 8. Enditem",
    "ZÜRICH/GENEVA, Feb. 2 (dpa) - Lukas Müller, chief executive of Globex Airlines, said "
    "fares would rise. He said that Globex Airlines had hired 400 workers on Feb. 1.",
    "GENEVA, March 3 - The talks ended on Friday, a spokeswoman said.",
]


def _reference(engine, texts, dates=None, stages="all"):
    """The old path: typed objects from parse_many, converted to Arrow in Python."""
    from newsparse._arrow import articles_to_batch
    present = [i for i, t in enumerate(texts) if t is not None]
    parsed = engine.parse_many([texts[i] for i in present], stages=stages, threads=1,
                               dates=None if dates is None else [dates[i] for i in present])
    out = [Article(None, ParseError("missing_field", "text is null", 0), None)
           for _ in texts]
    for i, a in zip(present, parsed):
        out[i] = a
    return pa.Table.from_batches([articles_to_batch(out)])


def _written(n, seed=3):
    rng = random.Random(seed)
    texts = [write_article(rng, i) for i in range(n)] + EXTRA
    texts[5] = None
    texts[7] = ""
    return texts


def test_schema_is_explicit_for_an_empty_batch(engine):
    table = newsparse.parse_arrow(pa.array([], type=pa.string()), engine=engine)
    assert table.num_rows == 0
    assert table.schema.equals(newsparse.arrow_schema())
    names = table.schema.names
    assert names == ["error", "dateline", "credits", "entities", "attributions", "dates"]
    dl = table.schema.field("dateline").type
    assert dl.field("place").type.field("city").type == pa.string()
    ent = table.schema.field("entities").type.value_type
    assert ent.field("mentions").type.value_type.field("start").type == pa.int32()


def test_one_row_per_article_in_order(engine):
    texts = pa.array(["First text.", None, "Third é 😀 text.", ""])
    table = newsparse.parse_arrow(texts, engine=engine, threads=2)
    assert table.num_rows == 4
    assert table.schema.equals(newsparse.arrow_schema())
    errors = table.column("error").to_pylist()
    assert errors[0] is None and errors[2] is None and errors[3] is None
    assert errors[1] == {"kind": "missing_field", "message": "text is null", "line": 0}
    assert table.column("entities").to_pylist() == [[], [], [], []]


def test_ids_and_dates_and_chunked_input(engine):
    chunked = pa.chunked_array([["a", "b"], ["c"]], type=pa.large_string())
    ids = pa.array([10, 20, 30], type=pa.int64())
    dates = pa.array([datetime.date(2024, 1, 1), None, datetime.date(2024, 3, 1)])
    table = newsparse.parse_arrow(chunked, dates, ids=ids, engine=engine)
    assert table.schema.names[0] == "id"
    assert table.schema.field("id").type == pa.int64()
    assert table.column("id").to_pylist() == [10, 20, 30]
    table = newsparse.parse_arrow(["x", "y"], "2024-05-06", engine=engine)
    assert table.num_rows == 2
    with pytest.raises(ValueError, match="one entry per text"):
        newsparse.parse_arrow(pa.array(["a"]), pa.array(["2024-01-01", None]), engine=engine)
    with pytest.raises(ValueError, match="ISO date"):
        newsparse.parse_arrow(pa.array(["a"]), pa.array(["01/02/2024"]), engine=engine)


def test_wrong_input_types(engine):
    with pytest.raises(TypeError, match="string array"):
        newsparse.parse_arrow(pa.array([1, 2]), engine=engine)
    with pytest.raises(TypeError):
        newsparse.parse_arrow("just one string", engine=engine)
    with pytest.raises(TypeError):
        newsparse.parse_arrow([5, "x"], engine=engine)


def test_python_conversion_matches_the_typed_objects():
    # Every nested column filled (from _testing_article's token-based plumbing article).
    from newsparse._arrow import articles_to_batch
    text = "BEIJING, Oct. 3 (Xinhua) -- Wang Yi said “fine” in São Paulo 😀."
    article, _ = _core._testing_article(text)
    batch = articles_to_batch([article, article])
    row = batch.to_pylist()[0]
    d = article.to_dict()
    assert row["dateline"]["text"] == d["dateline"]["text"]
    assert row["dateline"]["place"]["city"] == "City"
    assert row["dateline"]["date"]["value"] == "2024-01-02"
    assert row["dateline"]["body_start"] == article.dateline.body_start
    mentions = row["entities"][0]["mentions"]
    assert [(m["start"], m["end"]) for m in mentions] == [
        (m.start, m.end) for m in article.entities[0].mentions]
    for m in mentions:
        assert text[m["start"]:m["end"]] == m["text"]
    assert row["attributions"][0]["source"]["entity"] == 0
    assert row["credits"][0]["kind"] == "signoff"
    assert row["dates"][0]["value"] == "2024-01"


def test_schema_is_the_documented_one():
    assert newsparse.arrow_schema().equals(_expected_schema(), check_metadata=True)
    from newsparse._arrow import arrow_schema
    with_id = arrow_schema(pa.string())
    assert with_id.names[0] == "id" and with_id.metadata == _expected_schema().metadata


# threads=1 takes the one-thread path (each row parsed and written at once); threads=2 the
# thread pool with the in-order hand-off: both must give the same table.
@pytest.mark.parametrize("threads", [1, 2])
def test_table_equals_the_typed_objects_on_written_articles(engine, threads):
    texts = _written(300)
    table = newsparse.parse_arrow(pa.array(texts), engine=engine, threads=threads)
    assert table.schema.equals(_expected_schema(), check_metadata=True)
    expected = _reference(engine, texts)
    assert table.num_rows == len(texts)
    for name in table.schema.names:
        assert table.column(name).equals(expected.column(name)), name
    # The articles exercise every field: each appears non-null / non-empty somewhere.
    rows = table.to_pylist()
    datelines = [r["dateline"] for r in rows if r["dateline"]]
    assert any(d["byline"] for d in datelines)
    assert any(len(d["places"]) > 1 for d in datelines)
    assert any(d["place"] and d["place"]["region"] for d in datelines)
    assert any(d["date"] and d["date"]["value"] for d in datelines)
    assert any(d["source"] for d in datelines) and any(not d["source"] for d in datelines)
    entities = [e for r in rows for e in r["entities"]]
    assert any(e["aliases"] for e in entities) and any(e["titles"] for e in entities)
    sources = [a["source"] for r in rows for a in r["attributions"] if a["source"]]
    assert any(s["entity"] is not None for s in sources)
    assert any(r["credits"] for r in rows) and any(r["dates"] for r in rows)
    # Offsets are str indices: every span's text is the slice of its article.
    for text, r in zip(texts, rows):
        for e in r["entities"]:
            for m in e["mentions"]:
                assert text[m["start"]:m["end"]] == m["text"]
        for a in r["attributions"]:
            for c in a["content"] + [a["cue"]]:
                assert text[c["start"]:c["end"]] == c["text"]
        if r["dateline"]:
            d = r["dateline"]
            assert text[d["start"]:d["end"]] == d["text"]
    assert any(not t.isascii() for t in texts if t)


@pytest.mark.parametrize("stages", ["dateline", "entities", "attribution", "dates",
                                    "dateline,dates", "all"])
def test_stage_subsets_equal_the_typed_objects(engine, stages):
    texts = _written(40, seed=11)
    dates = [None if i % 3 else "2024-02-0%d" % (1 + i % 9) for i in range(len(texts))]
    table = newsparse.parse_arrow(pa.array(texts), pa.array(dates), stages=stages,
                                  engine=engine, threads=2)
    assert table.equals(_reference(engine, texts, dates, stages))


def test_date_values_of_every_kind(engine):
    texts = ["PARIS, Feb. 3 (AFP) - Rain.", "ROME, Feb. 4 (AFP) - Sun.", "OSLO, Feb. 5 (AFP) - Snow.",
             "BONN, Feb. 6 (AFP) - Fog."]
    isos = ["2023-02-03", None, "2021-02-05", "2020-02-06"]
    mixed = [datetime.date(2023, 2, 3), None, "2021-02-05",
             datetime.datetime(2020, 2, 6, 23, 59)]
    table = newsparse.parse_arrow(texts, mixed, stages="dateline", engine=engine)
    assert table.equals(_reference(engine, texts, isos, "dateline"))
    values = [d["date"]["value"] for d in table.column("dateline").to_pylist()]
    assert values == ["2023-02-03", None, "2021-02-05", "2020-02-06"]
    with pytest.raises(TypeError, match=r"dates\[1\]"):
        newsparse.parse_arrow(texts, ["2023-02-03", 5, None, None], engine=engine)
    with pytest.raises(ValueError, match=r"dates\[2\]"):
        newsparse.parse_arrow(texts, [None, None, "Feb 5", None], engine=engine)


@pytest.mark.parametrize("threads", [1, 2])
def test_many_rows_make_many_batches(engine, threads):
    from newsparse._arrow import parse_batches
    texts = _written(60, seed=5)
    chunks = [pa.array(texts[:25]), pa.array(texts[25:], type=pa.large_string())]
    batches = parse_batches(engine, chunks, max_rows=7, threads=threads)
    rest = len(texts) - 25
    assert [b.num_rows for b in batches] == [7, 7, 7, 4] + [7] * (rest // 7) + [rest % 7]
    table = pa.Table.from_batches(batches)
    assert table.equals(_reference(engine, texts))
    # More rows than one default batch (8192), dateline only to keep it quick.
    many = [f"CAIRO, May {1 + i % 28} (Reuters) - Item {i}." for i in range(9000)]
    table = newsparse.parse_arrow(pa.array(many), stages="dateline", engine=engine,
                                  threads=threads)
    assert table.column("error").num_chunks == 2
    assert table.column("dateline").combine_chunks().field("date").field("text").to_pylist() == [
        f"May {1 + i % 28}" for i in range(9000)]


@pytest.mark.parametrize("threads", [1, 2])
def test_error_rows(engine, threads):
    small = newsparse.Engine(max_article_bytes=64)
    texts = ["short one.", "x" * 100, None, "ok é."]
    table = newsparse.parse_arrow(pa.array(texts), engine=small, threads=threads)
    errors = table.column("error").to_pylist()
    assert errors[0] is None and errors[3] is None
    assert errors[1]["kind"] == "too_large" and errors[1]["message"]
    assert errors[2] == {"kind": "missing_field", "message": "text is null", "line": 0}
    assert table.column("dateline").to_pylist()[1] is None
    assert table.column("entities").to_pylist()[1] == []
    typed = small.parse_many(["x" * 100])[0]
    assert errors[1]["message"] == typed.error.message


@pytest.mark.parametrize("threads", [1, 2])
def test_row_errors_and_null_message(engine, threads):
    from newsparse._arrow import parse_batches
    texts = pa.array(["LIMA (Reuters) - One.", None, "QUITO (Reuters) - Three.", None])
    errors = [None, None, ("bad_date", "date 'x' is not a date"), ("bad_date", "ignored")]
    [batch] = parse_batches(engine, [texts], None, errors, null_message="body is null",
                            threads=threads)
    got = batch.column(0).to_pylist()
    assert got[0] is None
    assert got[1] == {"kind": "missing_field", "message": "body is null", "line": 0}
    assert got[2] == {"kind": "bad_date", "message": "date 'x' is not a date", "line": 0}
    assert got[3]["kind"] == "missing_field"  # a null text wins over the row's error
    assert batch.column(1).to_pylist()[2] is None  # not parsed
    with pytest.raises(ValueError, match="one entry per text"):
        parse_batches(engine, [texts], None, errors[:2])


@pytest.mark.parametrize("threads", [1, 2])
def test_invalid_utf8_is_read_with_replacement(engine, threads):
    raw = [b"BERLIN (dpa) - Anna M\xfcller said the \xff\xfe plan was fine.", b"plain",
           b"ROMA (ANSA) - Citt\xe0 \xc3 ok.", b"PARIS (AFP) - Fine."]
    arr = pa.array(raw, type=pa.binary()).view(pa.string())  # unvalidated bytes
    table = newsparse.parse_arrow(arr, engine=engine, threads=threads)
    expected = _reference(engine, [b.decode("utf-8", "replace") for b in raw])
    assert table.equals(expected)
    table.validate(full=True)  # the span texts are valid UTF-8


def test_release_callbacks_free_the_buffers(engine):
    gc.collect()
    before = _core._arrow_exports_alive()
    table = newsparse.parse_arrow(pa.array(_written(20)), engine=engine)
    assert _core._arrow_exports_alive() > before
    del table
    gc.collect()
    assert _core._arrow_exports_alive() == before
    # A batch handed out but never imported frees itself; one imported twice is refused.
    arr = pa.array(["LONDON (Reuters) - Rain."])
    batches = engine._core.parse_arrow(arr.__arrow_c_array__())
    assert _core._arrow_exports_alive() > before
    rb = pa.record_batch(batches[0])
    with pytest.raises(ValueError, match="already consumed"):
        pa.record_batch(batches[0])
    assert rb.num_rows == 1
    del batches, rb
    gc.collect()
    assert _core._arrow_exports_alive() == before
    capsules = engine._core.parse_arrow(arr.__arrow_c_array__())[0].__arrow_c_array__()
    del capsules  # capsules dropped unimported: their destructors release
    gc.collect()
    assert _core._arrow_exports_alive() == before


def test_parse_pandas(engine):
    pd = pytest.importorskip("pandas")
    s = pd.Series(["One.", None, "Three é."], index=["a", "b", "c"])
    df = newsparse.parse_pandas(s, engine=engine)
    assert list(df.index) == ["a", "b", "c"]
    assert list(df.columns) == newsparse.arrow_schema().names
    assert df.loc["b", "error"]["kind"] == "missing_field"
    assert df.loc["a", "error"] is None
    df = newsparse.parse_pandas(s, pd.Series([pd.Timestamp("2024-01-02"), pd.NaT, None],
                                             index=s.index), engine=engine)
    assert len(df) == 3
    with pytest.raises(TypeError):
        newsparse.parse_pandas(["not", "a", "series"], engine=engine)
    with pytest.raises(TypeError, match=r"texts\[0\]"):
        newsparse.parse_pandas(pd.Series([5]), engine=engine)
    texts = _written(30, seed=8)
    df = newsparse.parse_pandas(pd.Series(texts), engine=engine)
    assert pa.Table.from_pandas(df, preserve_index=False).to_pylist() == \
        _reference(engine, texts).to_pylist()
    with pytest.raises(ValueError, match="surrogate"):
        newsparse.parse_pandas(pd.Series(["bad \ud800"]), engine=engine)
