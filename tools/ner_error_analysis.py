#!/usr/bin/env python3
"""Entity-tagger error analysis by document kind and confusion.

Reads a CoNLL-2003 file (IOB1 gold tags, -DOCSTART- between documents) and the predictions file of
`newsparse_ner eval --predictions=PATH` ("word gold predicted kind" lines, predicted in BILOU, kind
the NerLineKind bits of the sentence, the same tokens in the same order), and prints counts of
entity-level errors:

  - per line kind: results/table lines vs prose, and per document kind (sports report vs other),
    both as the tagger computes them (core/ner_features.h LineKinds, written by the C++ tool, so
    the rule and the cue words live in one place);
  - per error class: wrong type (same span; by gold->predicted pair), boundary (overlapping span),
    missed (no overlapping prediction), spurious (no overlapping gold).

With --train (the CoNLL training file), also the recall of the gold entities whose words all occur
inside entities of the training file ("seen") and of the others ("unseen"), data/README.md.

Standard library only. Prints counts, never the corpus text.

  python3 tools/ner_error_analysis.py --conll ../shared/data/conll2003/eng.testa \
      --predictions /tmp/pred.txt
"""
import argparse
import collections

# NerLineKind bits (core/ner_features.h), the 4th column of the predictions file.
TABLE_LINE = 1
SPORTS_REPORT = 2


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
            if len(cols) == 4:
                out.append((cols[0], cols[2], int(cols[3])))
            elif cols:
                raise SystemExit(f"{path}: expected 'word gold predicted kind' lines; "
                                 "rerun newsparse_ner eval --predictions")
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


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--conll", required=True)
    ap.add_argument("--predictions", required=True)
    ap.add_argument("--train", help="CoNLL training file: recall on seen / unseen entities")
    a = ap.parse_args()
    train_words = None
    if a.train:
        train_words = set()
        for doc in read_conll(a.train):
            for sent in doc:
                for b, e, _ in iob1_chunks([t for _, t in sent]):
                    train_words.update(w for w, _ in sent[b:e])
    seen = collections.Counter()  # (seen?, found?) -> gold entities
    docs = read_conll(a.conll)
    preds = read_predictions(a.predictions)
    at = 0
    by_kind = collections.Counter()
    gold_by_kind = collections.Counter()
    confusions = collections.Counter()
    classes = collections.Counter()
    confusion_by_kind = collections.Counter()
    for doc in docs:
        for sent in doc:
            words = [w for w, _ in sent]
            got = preds[at:at + len(sent)]
            assert [w for w, _, _ in got] == words, "predictions do not match the CoNLL tokens"
            at += len(sent)
            bits = got[0][2] if got else 0
            kind = ("sports" if bits & SPORTS_REPORT else "other") + "/" + (
                "table" if bits & TABLE_LINE else "prose")
            gold = iob1_chunks([t for _, t in sent])
            pred = bilou_chunks([t for _, t, _ in got])
            gold_by_kind[kind] += len(gold)
            gset, pset = set(gold), set(pred)
            if train_words is not None:
                for g in gold:
                    known = all(w in train_words for w in words[g[0]:g[1]])
                    seen[(known, g in pset)] += 1
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
    if train_words is not None:
        for known, name in ((True, "seen"), (False, "unseen")):
            n = seen[(known, True)] + seen[(known, False)]
            print(f"recall on {name} entities: {100.0 * seen[(known, True)] / max(n, 1):.2f} "
                  f"({seen[(known, True)]} of {n})")
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
