#!/usr/bin/env python3
"""Entity-tagger error analysis by document kind and confusion.

Reads a CoNLL-2003 file (IOB1 gold tags, -DOCSTART- between documents) and the predictions file of
`newsparse_ner eval --predictions=PATH` ("word gold predicted" lines, predicted in BILOU, the same
tokens in the same order), and prints counts of entity-level errors:

  - per line kind: results/table lines (the same rule as the tagger's kind feature,
    core/ner_features.cc LineIsTable) vs prose, and per document kind (sports cue words vs other);
  - per error class: wrong type (same span; by gold->predicted pair), boundary (overlapping span),
    missed (no overlapping prediction), spurious (no overlapping gold).

Standard library only. Prints counts, never the corpus text.

  python3 tools/ner_error_analysis.py --conll ../shared/data/conll2003/eng.testa \
      --predictions /tmp/pred.txt
"""
import argparse
import collections
import re

# Project-written cue words of sports reports (the same list as kSportsCues in
# core/ner_features.cc).
SPORTS_CUES = {
    "soccer", "football", "cricket", "tennis", "golf", "rugby", "baseball", "basketball",
    "hockey", "cycling", "athletics", "boxing", "motor", "racing", "skiing", "league",
    "championship", "cup", "match", "matches", "beat", "beats", "drew", "draw", "goal",
    "goals", "scored", "scorers", "striker", "midfielder", "coach", "innings", "wickets",
    "wicket", "batsman", "bowler", "seeded", "seed", "round", "lap", "standings", "played",
    "halftime", "half-time", "penalty", "champions", "tournament", "olympic", "olympics",
    "nba", "nhl", "nfl",
}
SCORE = re.compile(r"^\d+-\d+$")
NUMBER = re.compile(r"^[\d.,:/-]+$")


def read_conll(path):
    docs, doc, sent = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if sent:
                    doc.append(sent)
                    sent = []
                continue
            cols = line.split()
            if cols[0] == "-DOCSTART-":
                if sent:
                    doc.append(sent)
                    sent = []
                if doc:
                    docs.append(doc)
                doc = []
                continue
            sent.append((cols[0], cols[-1]))
    if sent:
        doc.append(sent)
    if doc:
        docs.append(doc)
    return docs


def read_predictions(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            cols = line.split()
            if len(cols) == 3:
                out.append((cols[0], cols[2]))
    return out


def iob1_chunks(tags):
    chunks, start, typ = [], None, None
    for i, t in enumerate(tags + ["O"]):
        p, _, ty = t.partition("-")
        if start is not None and (t == "O" or p == "B" or ty != typ):
            chunks.append((start, i, typ))
            start = None
        if t != "O" and start is None:
            start, typ = i, ty
    return chunks


def bilou_chunks(tags):
    chunks, start = [], None
    for i, t in enumerate(tags):
        p, _, ty = t.partition("-")
        if p == "U":
            chunks.append((i, i + 1, ty))
            start = None
        elif p == "B":
            start = i
        elif p == "L" and start is not None:
            chunks.append((start, i + 1, ty))
            start = None
    return chunks


def line_is_table(words):
    numbers = sum(1 for w in words if NUMBER.match(w) and any(c.isdigit() for c in w))
    # (a split score "3 - 0" counts its digits as numbers here; the C++ rule does the same)
    if any(SCORE.match(w) for w in words):
        return True
    if any(words[i] == "-" and words[i - 1].isdigit() and words[i + 1].isdigit()
           for i in range(1, len(words) - 1)):
        return True
    lower = sum(1 for w in words if w.isalpha() and w.islower() and len(w) > 2)
    return numbers >= 2 and 3 * numbers >= len(words) and lower <= 1


def doc_is_sports(doc):
    words = [w.lower() for s in doc for w, _ in s]
    return sum(1 for w in words if w in SPORTS_CUES) >= 2


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--conll", required=True)
    ap.add_argument("--predictions", required=True)
    a = ap.parse_args()
    docs = read_conll(a.conll)
    preds = read_predictions(a.predictions)
    at = 0
    by_kind = collections.Counter()
    gold_by_kind = collections.Counter()
    confusions = collections.Counter()
    classes = collections.Counter()
    confusion_by_kind = collections.Counter()
    for doc in docs:
        sports = doc_is_sports(doc)
        for sent in doc:
            words = [w for w, _ in sent]
            got = preds[at:at + len(sent)]
            assert [w for w, _ in got] == words, "predictions do not match the CoNLL tokens"
            at += len(sent)
            kind = ("sports" if sports else "other") + "/" + (
                "table" if line_is_table(words) else "prose")
            gold = iob1_chunks([t for _, t in sent])
            pred = bilou_chunks([t for _, t in got])
            gold_by_kind[kind] += len(gold)
            gset, pset = set(gold), set(pred)
            for g in gold:
                if g in pset:
                    continue
                same_span = [p for p in pred if p[:2] == g[:2]]
                overlap = [p for p in pred if p[0] < g[1] and g[0] < p[1]]
                if same_span:
                    cls = "type"
                    key = g[2] + "->" + same_span[0][2]
                    confusions[key] += 1
                    confusion_by_kind[(kind, key)] += 1
                elif overlap:
                    cls = "boundary " + g[2]
                else:
                    cls = "missed " + g[2]
                classes[cls] += 1
                by_kind[kind] += 1
            for p in pred:
                if p in gset:
                    continue
                if not any(g[0] < p[1] and p[0] < g[1] for g in gold):
                    classes["spurious " + p[2]] += 1
                    by_kind[kind] += 1
    print("errors by line kind (gold entities, errors)")
    for k in sorted(gold_by_kind):
        print(f"  {k:16s} gold {gold_by_kind[k]:5d}  errors {by_kind[k]:4d}")
    print("errors by class")
    for k, v in classes.most_common():
        print(f"  {k:16s} {v:4d}")
    print("wrong-type confusions (gold->predicted), total and per line kind")
    for k, v in confusions.most_common():
        per = ", ".join(f"{kind} {confusion_by_kind[(kind, k)]}" for kind in sorted(gold_by_kind)
                        if confusion_by_kind[(kind, k)])
        print(f"  {k:10s} {v:4d}   ({per})")


if __name__ == "__main__":
    main()
