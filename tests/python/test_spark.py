"""newsparse.spark on a local two-worker Spark session: every row equals Engine.parse_many's.

Skipped where PySpark, pyarrow or Java is missing. The articles are written by this test.
"""

import datetime
import os
import random
import shutil
import subprocess
import sys

import pytest

import newsparse
from newsparse import Article, ParseError

pyspark = pytest.importorskip("pyspark")
pa = pytest.importorskip("pyarrow")


def _java_works():
    java = shutil.which("java")
    if os.environ.get("JAVA_HOME"):
        java = os.path.join(os.environ["JAVA_HOME"], "bin", "java")
    if not java or not os.path.exists(java):
        return False
    try:
        return subprocess.run([java, "-version"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


if not _java_works():
    pytest.skip("Java is not installed (Spark needs it)", allow_module_level=True)

from pyspark.sql import SparkSession  # noqa: E402
from pyspark.sql import types as T  # noqa: E402

import newsparse.spark as nps  # noqa: E402

N_ARTICLES = 3000

# --- articles written by the test ----------------------------------------------------------------

from written_articles import write_article  # noqa: E402


def write_rows(n, seed=9):
    """(id, text, date, desk) rows: some texts null or empty, dates ISO, null or bad."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        text = write_article(rng, i)
        if i % 97 == 5:
            text = None
        elif i % 89 == 7:
            text = ""
        r = rng.random()
        if r < 0.7:
            date = (datetime.date(2012, 1, 1) + datetime.timedelta(days=rng.randrange(4000))
                    ).isoformat()
        elif r < 0.97:
            date = None
        else:
            date = rng.choice(["2024-13-45", "yesterday", "03/04/2020", "", "2021-02-30"])
        rows.append((i, text, date, f"desk-{i % 5}"))
    return rows


# --- the session -------------------------------------------------------------------------------

# local[2]: two task slots in one JVM. NEWSPARSE_SPARK_MASTER=local-cluster[2,1,1024] runs the
# same tests on two executor JVMs (works with the pip-installed PySpark, but starts slower).
MASTER = os.environ.get("NEWSPARSE_SPARK_MASTER", "local[2]")


@pytest.fixture(scope="module")
def spark():
    # The workers run this interpreter, where the tested newsparse is installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable
    session = (SparkSession.builder.master(MASTER).appName("newsparse-test")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", "4")
               .config("spark.sql.execution.arrow.maxRecordsPerBatch", "400")
               .config("spark.driver.memory", "1g")
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


ROW_SCHEMA = T.StructType([T.StructField("id", T.LongType()), T.StructField("text", T.StringType()),
                           T.StructField("date", T.StringType()),
                           T.StructField("desk", T.StringType())])


def row_to_json_form(row):
    """A result row (the Arrow/Spark shape: spans are {text, start, end}) in the JSON form of
    Article.to_dict(), written independently of newsparse's own conversion."""
    def span(s):
        return None if s is None else {"text": s["text"], "span": [s["start"], s["end"]]}

    def place(p):
        return {**span(p), "city": p["city"], "region": p["region"], "country": p["country"]}

    d = row["dateline"]
    dateline = None
    if d is not None:
        dateline = {**span(d),
                    "place": None if d["place"] is None else place(d["place"]),
                    "places": [place(p) for p in d["places"]],
                    "date": None if d["date"] is None else {**span(d["date"]),
                                                            "value": d["date"]["value"]},
                    "source": None if d["source"] is None else {**span(d["source"]),
                                                                "name": d["source"]["name"]},
                    "byline": span(d["byline"]), "body_start": d["body_start"]}
    return {
        "schema_version": 1, "id": row["id"], "error": row["error"], "dateline": dateline,
        "credits": [{"kind": c["kind"], **span(c)} for c in row["credits"]],
        "entities": [{"id": e["id"], "type": e["type"], "name": e["name"],
                      "mentions": [span(m) for m in e["mentions"]], "aliases": e["aliases"],
                      "titles": e["titles"]} for e in row["entities"]],
        "attributions": [{"kind": a["kind"], "cue": span(a["cue"]),
                          "source": None if a["source"] is None else {
                              **span(a["source"]), "entity": a["source"]["entity"]},
                          "content": [span(c) for c in a["content"]]}
                         for a in row["attributions"]],
        "dates": [{**span(x), "value": x["value"]} for x in row["dates"]],
    }


def is_iso(value):
    try:
        return len(value) == 10 and datetime.date.fromisoformat(value) is not None
    except ValueError:
        return False


def test_rows_equal_parse_many(spark, engine):
    rows = write_rows(N_ARTICLES)
    df = spark.createDataFrame(spark.sparkContext.parallelize(rows, 6), ROW_SCHEMA)
    out = nps.parse_dataframe(df, "text", date_col="date", id_col="id", keep=["desk"])

    expected_schema = T.StructType([ROW_SCHEMA["id"], ROW_SCHEMA["desk"]]
                                   + nps.spark_schema().fields)
    assert out.schema == expected_schema
    assert out.columns == ["id", "desk"] + newsparse.arrow_schema().names

    got = sorted((r.asDict(recursive=True) for r in out.collect()), key=lambda r: r["id"])
    assert [r["id"] for r in got] == [r[0] for r in rows]  # no row lost or repeated

    good = [r for r in rows if r[1] is not None and (r[2] is None or is_iso(r[2]))]
    parsed = engine.parse_many([r[1] for r in good], dates=[r[2] for r in good],
                               ids=[r[0] for r in good], threads=2)
    expected = {r[0]: a.to_dict() for r, a in zip(good, parsed)}
    n_null = n_bad_date = n_empty = n_with_entities = 0
    for (i, text, date, desk), row in zip(rows, got):
        assert row["desk"] == desk
        if text is None:
            n_null += 1
            want = Article(i, ParseError("missing_field", "text is null", 0), None).to_dict()
            assert row_to_json_form(row) == want
        elif i not in expected:
            n_bad_date += 1
            assert row["error"]["kind"] == "bad_date", (i, date, row["error"])
            # Worded as the binding words a bad reference date, the value quoted once.
            assert row["error"]["message"] == f"date: {date!r} is not an ISO date (YYYY-MM-DD)"
            want = Article(i, ParseError("bad_date", row["error"]["message"], 0), None)
            assert row_to_json_form(row) == want.to_dict()
        else:
            n_empty += text == ""
            n_with_entities += bool(row["entities"])
            assert row_to_json_form(row) == expected[i], f"row {i} differs"
    # The written articles reach every case the test means to check.
    assert n_null > 10 and n_empty > 10 and n_bad_date > 10
    assert n_with_entities > N_ARTICLES // 2
    assert sum(1 for r in got if r["dateline"] and r["dateline"]["date"]
               and r["dateline"]["date"]["value"]) > N_ARTICLES // 4
    assert sum(len(r["attributions"]) for r in got) > N_ARTICLES


def test_one_engine_per_worker_process(spark):
    rows = write_rows(400, seed=3)
    df = spark.createDataFrame(spark.sparkContext.parallelize(rows, 8), ROW_SCHEMA)
    opts = nps._Options("text", "date", (), "all", 1, None, 64 << 20)

    # parse_dataframe's own batch function, wrapped so that each task (8 partitions on 2 cores)
    # also reports its worker process and the engines that process holds.
    def parse_and_report(batches):
        import os as _os

        import newsparse.spark as _nps
        n = sum(b.num_rows for b in _nps._parse_batches(opts, batches))
        engine = _nps._worker_engine(None, 64 << 20)
        yield pa.RecordBatch.from_pydict({"pid": [_os.getpid()], "rows": [n],
                                          "engines": [len(_nps._engines)],
                                          "engine": [id(engine)]})

    report = df.mapInArrow(parse_and_report, "pid long, rows long, engines long, engine long")
    report = report.collect()
    assert len(report) == 8 and sum(r["rows"] for r in report) == 400
    assert all(r["engines"] == 1 for r in report), report
    engine_of = {}
    for r in report:
        assert engine_of.setdefault(r["pid"], r["engine"]) == r["engine"], report
    # Python workers are reused: some process ran several tasks, all with its one engine.
    assert len(engine_of) < len(report), report


def test_date_and_timestamp_columns(spark, engine):
    text = "GENEVA, March 3 (Reuters) -- Officials said on Tuesday that talks would resume."
    df = spark.createDataFrame(
        [(1, text, datetime.date(2021, 3, 3), datetime.datetime(2021, 3, 3, 12, 0)),
         (2, text, None, None),
         (3, text, datetime.date(1999, 12, 31), datetime.datetime(1999, 12, 31, 8, 30))],
        "id int, body string, day date, at timestamp")
    for col in ("day", "at"):
        out = nps.parse_dataframe(df, "body", date_col=col, id_col="id").orderBy("id")
        got = [row_to_json_form(r.asDict(recursive=True)) for r in out.collect()]
        want = engine.parse_many([text] * 3, dates=["2021-03-03", None, "1999-12-31"],
                                 ids=[1, 2, 3], threads=1)
        assert got == [a.to_dict() for a in want]
        assert got[0]["dateline"]["date"]["value"] == "2021-03-03"
        assert got[2]["dateline"]["date"]["value"] == "1999-03-03"


def test_invalid_utf8_reads_as_replacement(spark, engine):
    # A Spark string cast from bytes may hold invalid UTF-8; the parser reads it as U+FFFD.
    df = spark.sql("SELECT 7 AS id, CAST(X'4C4F4E444F4E20285265757465727329202D20FF20426F6F6D2E'"
                   " AS STRING) AS text")
    row = nps.parse_dataframe(df, id_col="id").collect()[0].asDict(recursive=True)
    text = bytes.fromhex("4C4F4E444F4E20285265757465727329202D20FF20426F6F6D2E").decode(
        "utf-8", "replace")
    assert row["error"] is None
    assert row_to_json_form(row) == engine.parse(text, id=7).to_dict()


def test_stages_and_options(spark, engine):
    text = "PARIS (AFP) - Finance Minister Olga Dubois said prices had risen."
    df = spark.createDataFrame([(text,)], "text string")
    row = nps.parse_dataframe(df, stages=["dateline"], threads=2).collect()[0]
    want = engine.parse(text, stages="dateline").to_dict()
    assert row_to_json_form({**row.asDict(recursive=True), "id": None}) == want
    assert row["entities"] == [] and row["dateline"]["source"]["name"] == "AFP"


def test_bad_arguments_fail_on_the_driver(spark):
    df = spark.createDataFrame([(1, "x", 3)], "id long, text string, n int")
    with pytest.raises(ValueError, match="'body' is not a column"):
        nps.parse_dataframe(df, "body")
    with pytest.raises(TypeError, match="must be a string column"):
        nps.parse_dataframe(df, "n")
    with pytest.raises(TypeError, match="date, timestamp or string"):
        nps.parse_dataframe(df, date_col="n")
    with pytest.raises(ValueError, match="name of a result column"):
        nps.parse_dataframe(df.withColumnRenamed("n", "entities"), keep=["entities"])
    with pytest.raises(ValueError, match="unknown stage 'names'"):
        nps.parse_dataframe(df, stages="dateline,names")
    with pytest.raises(TypeError, match="sequence of column names"):
        nps.parse_dataframe(df, keep="n")
    with pytest.raises(ValueError, match="threads"):
        nps.parse_dataframe(df, threads=-1)


def test_empty_dataframe_has_the_schema(spark):
    df = spark.createDataFrame([], "id long, text string")
    out = nps.parse_dataframe(df, id_col="id")
    assert out.count() == 0
    assert out.schema == T.StructType([df.schema["id"]] + nps.spark_schema().fields)


def test_spark_schema_is_the_arrow_schema():
    from pyspark.sql.pandas.types import to_arrow_schema
    arrow = to_arrow_schema(nps.spark_schema())
    want = newsparse.arrow_schema()
    assert arrow.names == want.names
    for got_field, want_field in zip(arrow, want):
        assert got_field.type == want_field.type, got_field.name
