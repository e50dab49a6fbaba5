"""newsparse.parse_dates / parse_dates_arrow: a column of date strings to days (project-written
strings only)."""

import datetime as dt

import pytest

import newsparse

THU = dt.date(2023, 2, 23)  # a Thursday

FORMS = [
    ("Feb. 23", dt.date(2023, 2, 23)),
    ("Feb 26", dt.date(2023, 2, 26)),
    ("23 feb", dt.date(2023, 2, 23)),
    ("30 janvier", dt.date(2023, 1, 30)),
    ("23 февраля", dt.date(2023, 2, 23)),
    ("Oct. 31, 2005", dt.date(2005, 10, 31)),
    ("2023-02-23", dt.date(2023, 2, 23)),
    ("March 3, 2024", dt.date(2024, 3, 3)),
    ("3. März", dt.date(2023, 3, 3)),
    ("23 de febrero de 2020", dt.date(2020, 2, 23)),
    ("12 dicembre", dt.date(2022, 12, 12)),
    ("Thursday, Feb. 23, 2023", dt.date(2023, 2, 23)),
    ("Wednesday", dt.date(2023, 2, 22)),
    ("mercredi", dt.date(2023, 2, 22)),
    ("yesterday", dt.date(2023, 2, 22)),
    ("tomorrow", dt.date(2023, 2, 24)),
    ("вчера", dt.date(2023, 2, 22)),
]

NOT_DATES = ["", "   ", "garbage", "Feb", "February 2023", "Feb. 30", "2023-02-29", "next Friday",
             "02/23/2023", "SALVADOR, Feb 26 -", "Feb 23 Feb 24", "23 f\ufffdvrier"]


def test_each_form_with_one_reference_for_all():
    got = newsparse.parse_dates([s for s, _ in FORMS], THU)
    assert got == [d for _, d in FORMS]


@pytest.mark.parametrize("ref", [THU, dt.datetime(2023, 2, 23, 23, 59), "2023-02-23"])
def test_reference_types(ref):
    assert newsparse.parse_dates(["Wednesday", "Feb 20"], ref) == [dt.date(2023, 2, 22),
                                                                    dt.date(2023, 2, 20)]


def test_one_reference_per_string_and_none():
    got = newsparse.parse_dates(["Wednesday", "Wednesday", "Wednesday", "Feb. 1, 2020"],
                                [THU, "2023-03-01", None, None])
    assert got == [dt.date(2023, 2, 22), dt.date(2023, 3, 1), None, dt.date(2020, 2, 1)]


def test_without_a_reference_only_written_years_are_read():
    assert newsparse.parse_dates(["Feb. 23", "Wednesday", "today", "Feb. 23, 2023",
                                  "2023-02-23"]) == [None, None, None, dt.date(2023, 2, 23),
                                                     dt.date(2023, 2, 23)]


def test_none_and_non_dates_give_none_in_place():
    strings = ["Feb. 23", None] + NOT_DATES + ["Feb. 24"]
    got = newsparse.parse_dates(strings, THU)
    assert len(got) == len(strings)
    assert got[0] == THU and got[-1] == dt.date(2023, 2, 24)
    assert got[1:-1] == [None] * (len(strings) - 2)


def test_any_iterable_and_empty():
    assert newsparse.parse_dates(iter(["Feb. 23"]), iter([THU])) == [THU]
    assert newsparse.parse_dates(("Feb. 23",), (THU,)) == [THU]
    assert newsparse.parse_dates([], None) == []
    assert newsparse.parse_dates([], []) == []


def test_huge_strings_are_no_date():
    huge = "Feb. 23" + " " * (10 << 20)
    assert newsparse.parse_dates([huge, "\u00e9" * 100, "Feb. 23"], THU) == [None, None, THU]
    # Within the bound once encoded as UTF-8 matters, not the code point count: 40 two-byte
    # letters plus a day are more than 96 bytes.
    assert newsparse.parse_dates(["23 " + "\u0436" * 47], THU) == [None]


def test_languages():
    assert newsparse.parse_dates(["30 janvier", "hier", "Feb 1"], THU, languages="fr") == [
        dt.date(2023, 1, 30), dt.date(2023, 2, 22), None]
    assert newsparse.parse_dates(["30 janvier", "Feb 1"], THU, languages=["en", "ru"]) == [
        None, dt.date(2023, 2, 1)]
    assert newsparse.DATE_LANGUAGES == ("en", "fr", "es", "pt", "it", "de", "ru")
    for lang in newsparse.DATE_LANGUAGES:
        assert newsparse.parse_dates(["2023-02-23"], languages=lang) == [THU]


@pytest.mark.parametrize("strings, refs, languages, error, message", [
    (["Feb. 23", 3], None, None, TypeError, "strings[1] must be str or None, not int"),
    (["Feb. 23", b"Feb. 23"], None, None, TypeError, "strings[1] must be str or None"),
    ("Feb. 23", None, None, TypeError, "not a single str"),
    (["ok", "\ud800"], None, None, ValueError, "strings[1] holds a lone surrogate"),
    (["a", "b"], [THU, 20230223], None, TypeError, "reference_dates[1] must be a datetime.date"),
    (["a", "b"], [THU, "23.02.2023"], None, ValueError, "reference_dates[1]: '23.02.2023' is not"),
    (["a", "b"], [THU], None, ValueError, "one entry per string (1 for 2)"),
    (["a"], 20230223, None, TypeError, "reference_dates must be a date"),
    (["a"], b"2023-02-23", None, TypeError, "not bytes"),
    (["a"], "2023-02-30", None, ValueError, "'2023-02-30' is not an ISO date"),
    (["a"], None, "xx", ValueError, "unknown language 'xx'"),
    (["a"], None, [], ValueError, "at least one language"),
    (["a"], None, [1], TypeError, "languages must hold str codes"),
])
def test_errors_name_the_bad_input(strings, refs, languages, error, message):
    with pytest.raises(error, match=message.replace("[", r"\[").replace("]", r"\]")
                       .replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        newsparse.parse_dates(strings, refs, languages=languages)


def test_agrees_with_the_dateline_parser(engine):
    heads = ["MOSCOW, Feb. 23 (Xinhua) -- Talks went on.", "PARIS, 30 janvier (AFP) - Le texte.",
             "LONDON, Oct. 31, 2005 (Reuters) - Markets rose.", "МОСКВА, 23 февраля - Текст."]
    dates = ["Feb. 23", "30 janvier", "Oct. 31, 2005", "23 февраля"]
    for head, s in zip(heads, dates):
        a = engine.parse(head, date=THU, stages=["dateline"])
        assert a.dateline is not None and a.dateline.date is not None
        assert a.dateline.date.span.text == s
        assert newsparse.parse_dates([s], THU) == [dt.date.fromisoformat(a.dateline.date.value)]


# --- Arrow -----------------------------------------------------------------------------------

def _pa():
    return pytest.importorskip("pyarrow")


def test_arrow_equals_the_list_form():
    pa = _pa()
    strings = [s for s, _ in FORMS] + [None] + NOT_DATES
    refs = [THU] * len(strings)
    refs[3] = None
    want = newsparse.parse_dates(strings, refs)
    got = newsparse.parse_dates_arrow(pa.array(strings), pa.array(refs, pa.date32()))
    assert isinstance(got, pa.Array) and got.type == pa.date32()
    assert got.to_pylist() == want
    assert got.null_count == sum(1 for v in want if v is None)
    for typ in (pa.large_string(), pa.string_view()):
        assert newsparse.parse_dates_arrow(pa.array(strings, typ), THU).to_pylist() == \
            newsparse.parse_dates(strings, THU)


def test_arrow_chunks_slices_and_reference_columns():
    pa = _pa()
    chunked = pa.chunked_array([["Feb. 23", "Wednesday"], [], ["x", "Feb 1"]])
    refs_as = [
        pa.array([THU, THU, None, THU], pa.date32()),
        pa.chunked_array([[THU], [THU, None, THU]], pa.date32()),
        pa.array(["2023-02-23", "2023-02-23", None, "2023-02-23"]),
        pa.array([dt.datetime(2023, 2, 23, 12)] * 2 + [None] + [dt.datetime(2023, 2, 23)]),
        [THU, THU, None, THU],
    ]
    want = [THU, dt.date(2023, 2, 22), None, dt.date(2023, 2, 1)]
    for refs in refs_as:
        got = newsparse.parse_dates_arrow(chunked, refs)
        assert isinstance(got, pa.ChunkedArray) and got.num_chunks == 3
        assert got.to_pylist() == want
    sliced = pa.array(["pad", "Feb. 23", "Wednesday", "pad"]).slice(1, 2)
    ref_slice = pa.array([None, THU, THU, None], pa.date32()).slice(1, 2)
    assert newsparse.parse_dates_arrow(sliced, ref_slice).to_pylist() == want[:2]
    assert newsparse.parse_dates_arrow(pa.array([], pa.string())).to_pylist() == []


def test_arrow_errors():
    pa = _pa()
    with pytest.raises(TypeError, match="string array, not int64"):
        newsparse.parse_dates_arrow(pa.array([1, 2]))
    with pytest.raises(ValueError, match=r"reference_dates\[1\]: 'soon' is not an ISO date"):
        newsparse.parse_dates_arrow(pa.array(["a", "b"]), pa.array(["2023-02-23", "soon"]))
    with pytest.raises(ValueError, match="one entry per string"):
        newsparse.parse_dates_arrow(pa.array(["a", "b"]), pa.array([THU], pa.date32()))
    with pytest.raises(TypeError, match="date, timestamp or string array, not int64"):
        newsparse.parse_dates_arrow(pa.array(["a"]), pa.array([1]))
    with pytest.raises(TypeError, match=r"strings\[1\] must be str"):
        newsparse.parse_dates_arrow(["a", 2])
    with pytest.raises(ValueError, match=r"strings\[1\] holds a lone surrogate"):
        newsparse.parse_dates_arrow(["a", "\udc00"])


def test_arrow_result_is_handed_over_once():
    _pa()
    from newsparse import _core
    pa = _pa()
    out = _core.parse_dates_arrow(pa.array(["Feb. 23"]).__arrow_c_array__(), THU)
    assert pa.array(out).to_pylist() == [THU]
    with pytest.raises(ValueError, match="already consumed"):
        out.__arrow_c_array__()
