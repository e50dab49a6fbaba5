"""tools/build_ner_silver.py (the silver gazetteer) on counts and gazetteer lines written here."""

import importlib.util
from pathlib import Path

import pytest

_TOOL = Path(__file__).resolve().parents[2] / "tools" / "build_ner_silver.py"
_spec = importlib.util.spec_from_file_location("build_ner_silver", _TOOL)
silver = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(silver)

COUNTS = [
    "quillmark holdings\t0\t9\t1\t0\n",  # ORG 90 %
    "vantor\t5\t5\t0\t0\n",  # split PER / ORG
    "brisel\t0\t0\t2\t0\n",  # too rare
    "lake ombra\t0\t0\t4\t0\n",
    "saltmere cup\t0\t1\t0\t3\n",  # MISC 75 %
]


def test_majority_rule_keeps_frequent_pure_phrases():
    got = silver.select(silver.read_counts(COUNTS), min_count=3, purity=0.8)
    assert got == {"quillmark holdings": ["silver.org"], "lake ombra": ["silver.loc"]}


def test_lower_purity_and_any_type_rule():
    got = silver.select(silver.read_counts(COUNTS), min_count=3, purity=0.7)
    assert got["saltmere cup"] == ["silver.misc"]
    assert "vantor" not in got
    anyt = silver.select(silver.read_counts(COUNTS), min_count=3, types="any", share=0.3)
    assert anyt["vantor"] == ["silver.per", "silver.org"]
    assert anyt["saltmere cup"] == ["silver.misc"]  # ORG has 25 %, under the share


def test_rate_filter_needs_the_occurrence_column():
    counts = ["lake ombra\t0\t0\t4\t0\t5\n", "tarn\t0\t0\t4\t0\t40\n", "brisel\t0\t0\t3\t0\n"]
    got = silver.select(silver.read_counts(counts), min_count=3, min_rate=0.5)
    assert got == {"lake ombra": ["silver.loc"]}  # tarn: 10 %; brisel: no occurrence count
    assert len(silver.select(silver.read_counts(counts), min_count=3)) == 3


def test_single_and_multi_token_filters():
    single = silver.select(silver.read_counts(COUNTS), min_count=3, purity=0.5, tokens="single")
    multi = silver.select(silver.read_counts(COUNTS), min_count=3, purity=0.5, tokens="multi")
    assert set(single) == {"vantor"}
    assert set(multi) == {"quillmark holdings", "lake ombra", "saltmere cup"}


def test_build_replaces_old_silver_categories_and_is_idempotent():
    base = ["# a comment\n", "oslo\tloc.city,silver.loc\n", "lake ombra\tsilver.per\n",
            "herr\tper.title\n"]
    chosen = {"lake ombra": ["silver.loc"]}
    once = silver.build(base, chosen)
    assert once[:3] == ["# a comment", "oslo\tloc.city", "herr\tper.title"]
    assert once[-1] == "lake ombra\tsilver.loc"
    assert silver.build([line + "\n" for line in once], chosen) == once


def test_malformed_counts_are_errors():
    with pytest.raises(ValueError, match="line 1"):
        list(silver.read_counts(["only a phrase\n"]))
    with pytest.raises(ValueError, match="integers"):
        list(silver.read_counts(["x\t1\t2\tthree\t4\n"]))
    with pytest.raises(ValueError):
        silver.select([], types="sometimes")
