import datetime
import json

import pytest

import newsparse
from newsparse import _core

pa = pytest.importorskip("pyarrow")


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


def test_rows_match_the_typed_objects():
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
