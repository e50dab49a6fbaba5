"""`newsparse eval|train|bench`: argument handling and small runs on inputs written here."""

import gzip
import json

import pytest

from conftest import SHARED_DATA, run_cli

# --- tiny inputs, all written for these tests --------------------------------------------------

# The document separator of the CoNLL format (built from parts: the sentences below are ours).
DOCSTART = "-DOCSTART-" + " -X- -X- O"

CONLL = DOCSTART + """

Maria NNP B-NP B-PER
Okafor NNP I-NP I-PER
joined VBD B-VP O
Tidewater NNP B-NP B-ORG
Logistics NNP I-NP I-ORG
in IN B-PP O
Lisbon NNP B-NP B-LOC
. . O O

Okafor NNP B-NP B-PER
praised VBD B-VP O
the DT B-NP O
Portuguese JJ I-NP B-MISC
port NN I-NP O
. . O O

""" + DOCSTART + """

Tidewater NNP B-NP B-ORG
opened VBD B-VP O
an DT B-NP O
office NN I-NP O
in IN B-PP O
Oslo NNP B-NP B-LOC
on IN B-PP O
Monday NNP B-NP O
. . O O

"""


def _conll(tmp_path):
    path = tmp_path / "tiny.conll"
    path.write_text(CONLL, encoding="utf-8")
    return path


def _jsonl(path, records, gz=False):
    data = "".join(json.dumps(r) + "\n" for r in records).encode("utf-8")
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def _json_out(proc):
    lines = proc.stdout.decode("utf-8").splitlines()
    assert len(lines) == 1, lines
    return json.loads(lines[0])


# --- argument handling -------------------------------------------------------------------------

@pytest.mark.parametrize("args", [
    ["eval"],
    ["eval", "ner"],
    ["eval", "dateline"],
    ["eval", "entities"],
    ["eval", "attribution"],
    ["eval", "unknown", "--gold", "x"],
    ["train"],
    ["train", "ner", "--train", "a", "--dev", "b"],
    ["train", "ner", "--train", "a", "--dev", "b", "--out", "c", "--epochs", "0"],
    ["bench"],
    ["bench", "--corpus", "x", "--threads", "two"],
])
def test_bad_usage_exits_2(args):
    proc = run_cli(*args, check=False)
    assert proc.returncode == 2, proc.stderr
    assert b"usage:" in proc.stderr


def test_bench_option_checks_exit_2(tmp_path):
    corpus = _jsonl(tmp_path / "c.jsonl", [{"text": "LONDON (Reuters) - Shares rose."}])
    for args in (["--chunk-mb", "1"], ["--threads", "-1"],
                 ["--target-mb", "1", "--max-docs", "3"], ["--target-mb", "0"]):
        proc = run_cli("bench", "--corpus", corpus, *args, check=False)
        assert proc.returncode == 2, (args, proc.stderr)


def test_train_folds_below_two_exit_2(tmp_path):
    conll = _conll(tmp_path)
    proc = run_cli("train", "ner", "--train", conll, "--dev", conll, "--out",
                   tmp_path / "m.model", "--folds", "1", check=False)
    assert proc.returncode == 2


@pytest.mark.parametrize("args", [
    ["eval", "ner"], ["eval", "dateline"], ["eval", "entities"], ["eval", "attribution"]])
def test_missing_gold_file_is_an_error_with_message(tmp_path, args):
    missing = tmp_path / "absent.jsonl"
    proc = run_cli(*args, "--gold", missing, check=False)
    assert proc.returncode == 1
    assert b"absent.jsonl" in proc.stderr


def test_bench_missing_corpus(tmp_path):
    proc = run_cli("bench", "--corpus", tmp_path / "none.jsonl", check=False)
    assert proc.returncode == 1 and b"none.jsonl" in proc.stderr


def test_bench_bad_stage(tmp_path):
    corpus = _jsonl(tmp_path / "c.jsonl", [{"text": "Text."}])
    proc = run_cli("bench", "--corpus", corpus, "--stages", "nonsense", check=False)
    assert proc.returncode == 1 and b"nonsense" in proc.stderr


# --- eval ner / train ner ----------------------------------------------------------------------

def test_eval_ner_json(tmp_path):
    out = _json_out(run_cli("eval", "ner", "--gold", _conll(tmp_path), "--json"))
    assert set(out["per_type"]) == {"PER", "ORG", "LOC", "MISC"}
    for key in ("precision", "recall", "f1"):
        assert 0 <= out[key] <= 100
    assert out["tokens"] == 23


def test_eval_ner_text(tmp_path):
    text = run_cli("eval", "ner", "--gold", _conll(tmp_path)).stdout.decode()
    lines = text.splitlines()
    assert lines[0].startswith("model loaded in ")
    assert lines[1].startswith("overall   P ") and "(gold 7, predicted " in lines[1]
    assert [ln.split()[0] for ln in lines[2:6]] == ["PER", "ORG", "LOC", "MISC"]
    assert lines[6].startswith("2 documents, 23 tokens, ")


def test_eval_ner_bad_model(tmp_path):
    bad = tmp_path / "bad.model"
    bad.write_bytes(b"not a model")
    proc = run_cli("eval", "ner", "--gold", _conll(tmp_path), "--model", bad, check=False)
    assert proc.returncode == 1 and proc.stderr.startswith(b"newsparse eval ner: ")


def test_train_ner_small(tmp_path):
    conll = _conll(tmp_path)
    model = tmp_path / "tiny.model"
    proc = run_cli("train", "ner", "--train", conll, "--dev", conll, "--out", model,
                   "--epochs", "1", "--folds", "2", "--mixtures", "1", "--seed", "3", "--json")
    lines = proc.stdout.decode().splitlines()
    assert lines[0].startswith("trained on 23 tokens in ")
    dev = json.loads(lines[1])
    assert dev["tokens"] == 23
    assert model.stat().st_size > 0
    # The trained model evaluates through `eval ner --model`, with the same figures.
    again = _json_out(run_cli("eval", "ner", "--gold", conll, "--model", model, "--json"))
    assert again["f1"] == dev["f1"]
    # Word dropout is an option; outside [0, 1] it is a usage error.
    proc = run_cli("train", "ner", "--train", conll, "--dev", conll, "--out", model,
                   "--word-dropout", "1.5", check=False)
    assert proc.returncode == 2 and b"--word-dropout" in proc.stderr
    # A beam model records its width and is decoded with it: eval gives the dev figures again.
    beam_model = tmp_path / "beam.model"
    proc = run_cli("train", "ner", "--train", conll, "--dev", conll, "--out", beam_model,
                   "--epochs", "1", "--folds", "2", "--mixtures", "1", "--beam", "2", "--json")
    beam_dev = json.loads(proc.stdout.decode().splitlines()[1])
    again = _json_out(run_cli("eval", "ner", "--gold", conll, "--model", beam_model, "--json"))
    assert again["f1"] == beam_dev["f1"]
    proc = run_cli("train", "ner", "--train", conll, "--dev", conll, "--out", model,
                   "--beam", "17", check=False)
    assert proc.returncode == 2 and b"--beam" in proc.stderr


# --- eval dateline -----------------------------------------------------------------------------

REUTERS_LIKE = [
    {"id": "1", "date_iso": "1987-02-26", "dateline": "SALVADOR, Feb 26 -",
     "text": "COCOA TALKS\nSALVADOR, Feb 26 - Cocoa growers met on Thursday to talk prices.",
     "body": "Cocoa growers met on Thursday to talk prices."},
    {"id": "2", "date_iso": "1987-03-02", "dateline": "NEW YORK, March 2 -",
     "text": "SHARES UP\nNEW YORK, March 2 - Shares of the small maker rose sharply.",
     "body": "Shares of the small maker rose sharply."},
    {"id": "3", "date_iso": "1987-03-03", "dateline": None,
     "text": "A short note with no dateline at all about grain.",
     "body": "A short note with no dateline at all about grain."},
    {"id": "4", "date_iso": "1987-03-03", "dateline": "LONDON, March 3 -",
     "text": "Title only", "body": ""},  # no body: not scored
]


def test_eval_dateline_json(tmp_path):
    gold = _jsonl(tmp_path / "r.jsonl.gz", REUTERS_LIKE, gz=True)
    out = _json_out(run_cli("eval", "dateline", "--gold", gold, "--json"))
    assert out["docs"] == 3
    assert set(out) == {"docs", "has_dateline", "place_exact", "date_exact"}
    assert set(out["has_dateline"]) == {"precision", "recall"}


def test_eval_dateline_text_and_disagreements(tmp_path):
    gold = _jsonl(tmp_path / "r.jsonl", REUTERS_LIKE + [{"id": "bad"}])
    (tmp_path / "r.jsonl").write_bytes((tmp_path / "r.jsonl").read_bytes() + b"{not json\n")
    dis = tmp_path / "dis.tsv"
    proc = run_cli("eval", "dateline", "--gold", gold, "--disagreements", dis)
    assert proc.stdout.strip()
    assert b"1 malformed JSON lines skipped" in proc.stderr
    assert dis.exists()
    for line in dis.read_text().splitlines():
        assert len(line.split("\t")) >= 4


def test_eval_dateline_no_gold(tmp_path):
    corpus = _jsonl(tmp_path / "w.jsonl", [
        {"id": "web/20070115/a", "text": "LONDON (Reuters) - Oil prices fell on Monday."},
        {"id": "web/20070116/b", "text": "Markets were quiet."}])
    out = _json_out(run_cli("eval", "dateline", "--gold", corpus, "--no-gold", "--json"))
    assert out["docs"] == 2 and "found_share" in out


def test_eval_dateline_empty_corpus(tmp_path):
    empty = tmp_path / "e.jsonl"
    empty.write_bytes(b"")
    proc = run_cli("eval", "dateline", "--gold", empty, check=False)
    assert proc.returncode == 1 and proc.stderr


# --- eval entities -----------------------------------------------------------------------------

ENTITY_GOLD = {
    "id": "test-01", "date": "2024-03-14",
    "text": "OSLO, March 14 -- Norwegian Trade Minister Ingrid Solberg-Vik met executives of "
            "Fjordline Shipping on Wednesday. Solberg-Vik said Fjordline would open an office in "
            "Bergen next month.",
    "dateline": "OSLO, March 14 --",
    "entities": [
        {"name": "Oslo", "type": "LOC", "mentions": ["OSLO"], "aliases": [], "titles": []},
        {"name": "Ingrid Solberg-Vik", "type": "PER",
         "mentions": ["Ingrid Solberg-Vik", "Solberg-Vik"], "aliases": [],
         "titles": ["Norwegian Trade Minister"]},
        {"name": "Norwegian", "type": "MISC", "mentions": ["Norwegian"], "aliases": [],
         "titles": []},
        {"name": "Fjordline Shipping", "type": "ORG",
         "mentions": ["Fjordline Shipping", "Fjordline"], "aliases": [], "titles": []},
        {"name": "Bergen", "type": "LOC", "mentions": ["Bergen"], "aliases": [], "titles": []}],
    "dates": [{"text": "Wednesday", "value": "2024-03-13"},
              {"text": "next month", "value": "2024-04"}]}


def test_eval_entities_oracle_json_and_report(tmp_path):
    gold = _jsonl(tmp_path / "g.jsonl", [ENTITY_GOLD])
    report = tmp_path / "report.txt"
    out = _json_out(run_cli("eval", "entities", "--gold", gold, "--oracle-mentions", "--json",
                            "--report", report))
    assert out["docs"] == 1
    assert out["mentions"]["recall"] == 1.0  # oracle: the gold mentions themselves
    assert report.read_text().startswith("mode: oracle mentions\n")


def test_eval_entities_engine_text(tmp_path):
    gold = _jsonl(tmp_path / "g.jsonl", [ENTITY_GOLD])
    text = run_cli("eval", "entities", "--gold", gold).stdout.decode()
    assert text.strip() and "disagreements" not in text.splitlines()[-1:]


def test_eval_entities_bad_record(tmp_path):
    bad = dict(ENTITY_GOLD, entities=[{"name": "X", "type": "PER", "mentions": ["Nowhere"],
                                       "aliases": [], "titles": []}])
    gold = _jsonl(tmp_path / "g.jsonl", [bad])
    proc = run_cli("eval", "entities", "--gold", gold, check=False)
    assert proc.returncode == 1 and b"line 1" in proc.stderr


# --- eval attribution --------------------------------------------------------------------------

def _span(text, part):
    start = text.index(part)
    return {"start": start, "end": start + len(part), "text": part}


def _attribution_record(primary=True):
    text = ('The mayor said the bridge would reopen in June. "We are nearly done," '
            'said Ana Ruiz, the city engineer.')
    return {"id": "doc-1", "primary": primary, "text": text, "attributions": [
        {"cue": [_span(text, "said")], "source": [_span(text, "The mayor")],
         "content": [_span(text, "the bridge would reopen in June")]},
        {"cue": [_span(text, "said Ana")], "source": [_span(text, "Ana Ruiz")],
         "content": [_span(text, "We are nearly done,")]}]}


def test_eval_attribution_json_and_errors(tmp_path):
    rec = _attribution_record()
    rec["attributions"][1]["cue"] = [{"start": rec["text"].index("said Ana"),
                                      "end": rec["text"].index("said Ana") + 4, "text": "said"}]
    gold = _jsonl(tmp_path / "p.jsonl.gz", [rec, _attribution_record(primary=False)], gz=True)
    errors = tmp_path / "errors.txt"
    proc = run_cli("eval", "attribution", "--gold", gold, "--json", "--errors", errors)
    out = _json_out(proc)
    assert out["articles"] == 1 and out["gold"] == 2
    assert set(out) >= {"cue", "source", "content", "all_exact"}
    assert b"error kinds" in proc.stderr
    assert errors.exists()


def test_eval_attribution_text(tmp_path):
    gold = _jsonl(tmp_path / "p.jsonl", [_attribution_record()])
    lines = run_cli("eval", "attribution", "--gold", gold).stdout.decode().splitlines()
    assert lines[0].startswith(f"{gold}: 1 articles, 2 gold, ")
    assert lines[1] == "cue" and lines[4] == "source" and lines[7] == "content"
    assert lines[10].lstrip().startswith("all_exact")


def test_eval_attribution_agreement_and_multi_annotated(tmp_path):
    # doc-1: a second annotator who marks only the first attribution, with a longer source;
    # doc-2: one annotator only (left out of both modes).
    other = _attribution_record(primary=False)
    other["annotator"] = "b"
    del other["attributions"][1]
    text = other["text"]
    other["attributions"][0]["source"] = [_span(text, "The mayor said")]
    single = _attribution_record()
    single["id"] = "doc-2"
    gold = _jsonl(tmp_path / "p.jsonl", [_attribution_record(), other, single])
    out = _json_out(run_cli("eval", "attribution", "--gold", gold, "--agreement", "--json"))
    assert out["articles"] == 1 and out["comparisons"] == 1
    assert out["gold"] == 2 and out["predicted"] == 1 and out["matched"] == 1
    assert out["cue"]["exact"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert out["source"]["exact"]["precision"] == 0.0
    assert out["source"]["overlap"]["precision"] == 0.6667  # "the mayor" of "the mayor said"
    assert out["all_exact"]["precision"] == 0.0
    text_out = run_cli("eval", "attribution", "--gold", gold, "--agreement").stdout.decode()
    assert "1 annotations scored against their article's primary one" in text_out
    multi = _json_out(run_cli("eval", "attribution", "--gold", gold, "--multi-annotated",
                              "--json"))
    assert multi["articles"] == 1 and multi["gold"] == 2 and "comparisons" not in multi
    both = run_cli("eval", "attribution", "--gold", gold, "--agreement", "--multi-annotated",
                   check=False)
    assert both.returncode == 2
    errs = run_cli("eval", "attribution", "--gold", gold, "--agreement", "--errors",
                   tmp_path / "e.txt", check=False)
    assert errs.returncode == 1 and b"agreement takes neither" in errs.stderr


def test_eval_attribution_malformed(tmp_path):
    gold = tmp_path / "p.jsonl"
    gold.write_text('{"primary": true, "text": "x"}\n')
    proc = run_cli("eval", "attribution", "--gold", gold, check=False)
    assert proc.returncode == 1 and b"line 1" in proc.stderr


# --- bench -------------------------------------------------------------------------------------

def _bench_corpus(tmp_path):
    records = [{"id": str(i), "body": f"LONDON, March {i % 28 + 1} (Reuters) - Shares of Acme "
                f"Holdings rose {i} percent, chief executive Jane Doe said on Tuesday."}
               for i in range(200)]
    return _jsonl(tmp_path / "bench.jsonl", records)


STAGES = {"tokens", "dateline", "entities", "consolidation", "attribution", "dates", "json"}


def test_bench_in_memory_json(tmp_path):
    out = _json_out(run_cli("bench", "--corpus", _bench_corpus(tmp_path), "--field", "body",
                            "--threads", "2", "--max-docs", "150", "--json"))
    assert set(out) == {"articles", "mb", "threads", "mb_per_s", "mb_per_cpu_s",
                        "articles_per_s", "tokens_per_s", "peak_rss_mb", "stages", "speedup"}
    assert out["articles"] == 150 and out["threads"] == 2
    # Two threads use at most two CPU-seconds per wall-clock second.
    assert 0 < out["mb_per_s"] <= 2 * out["mb_per_cpu_s"] * 1.01
    assert out["mb_per_s"] > 0 and out["tokens_per_s"] > 0 and out["peak_rss_mb"] > 0
    assert out["speedup"] > 0
    assert set(out["stages"]) == STAGES
    assert abs(sum(s["share"] for s in out["stages"].values()) - 1) < 0.01


def test_bench_text_and_stages(tmp_path):
    text = run_cli("bench", "--corpus", _bench_corpus(tmp_path), "--field", "body",
                   "--threads", "1", "--stages", "dateline", "dates").stdout.decode()
    assert text.startswith("200 articles, ")
    assert "peak RSS" in text and "speed-up" not in text  # one thread: nothing to compare
    # What the figures time is stated in the output: parse + JSON, no Python objects.
    assert "timed: per article, the parse and its JSON record" in text


def test_bench_streaming(tmp_path):
    corpus = _bench_corpus(tmp_path)
    out = _json_out(run_cli("bench", "--corpus", corpus, "--field", "body", "--threads", "2",
                            "--target-mb", "0.05", "--chunk-mb", "0.01", "--json"))
    assert out["mb"] >= 0.05 and out["articles"] > 200  # cycled over the corpus
    assert out["speedup"] is None


def test_bench_field_absent(tmp_path):
    proc = run_cli("bench", "--corpus", _bench_corpus(tmp_path), check=False)  # no "text"
    assert proc.returncode == 1 and b"text" in proc.stderr


# --- real corpora (skipped where ../shared/data is absent) -------------------------------------

def _shared(rel):
    path = SHARED_DATA / rel
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path


def test_eval_dateline_reuters21578():
    out = _json_out(run_cli("eval", "dateline", "--json", "--gold",
                            _shared("reuters21578/reuters21578.jsonl.gz")))
    assert out["docs"] > 10000 and out["has_dateline"]["precision"] > 0.9


def test_eval_ner_conll_testa():
    out = _json_out(run_cli("eval", "ner", "--json", "--gold", _shared("conll2003/eng.testa")))
    assert out["f1"] > 80


def test_bench_reuters2006_small():
    out = _json_out(run_cli("bench", "--json", "--max-docs", "500", "--threads", "2", "--corpus",
                            _shared("reuters2006/reuters_2006_2013.jsonl.gz")))
    assert out["articles"] == 500 and out["speedup"] > 0
