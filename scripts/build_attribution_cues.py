#!/usr/bin/env python3
"""Builds data/attribution_cues.tsv: the attribution cue lexicon.

Two sources, merged:
  1. A hand-written list of reporting verbs (every inflection generated here) and multi-word cues.
  2. Counts learned from PolNeAR train (primary annotations only): for every lower-cased word,
     how often it is (the head of) a gold cue and how often it occurs at all.

Only words and counts are written, never article text. Usage:
  scripts/build_attribution_cues.py ../shared/data/polnear/train.jsonl.gz > data/attribution_cues.tsv
"""
import collections
import gzip
import json
import re
import sys

# Reporting verbs: base form -> irregular (past, past participle) or None.
VERBS = {
    "say": ("said", "said"), "tell": ("told", "told"), "add": None, "note": None,
    "stress": None, "warn": None, "insist": None, "argue": None, "claim": None, "deny": None,
    "announce": None, "confirm": None, "explain": None, "ask": None, "urge": None,
    "acknowledge": None, "admit": None, "assert": None, "declare": None, "state": None,
    "report": None, "reply": None, "respond": None, "predict": None, "promise": None,
    "vow": None, "pledge": None, "suggest": None, "write": ("wrote", "written"),
    "tweet": None, "recall": None, "remark": None, "comment": None, "contend": None,
    "maintain": None, "emphasize": None, "emphasise": None, "reiterate": None,
    "caution": None, "complain": None, "concede": None, "conclude": None, "continue": None,
    "allege": None, "estimate": None, "observe": None, "point": None, "reveal": None,
    "disclose": None, "indicate": None, "mention": None, "testify": None, "joke": None,
    "quip": None, "counter": None, "retort": None, "agree": None, "believe": None,
    "think": ("thought", "thought"), "speak": ("spoke", "spoken"), "propose": None,
    "accuse": None, "charge": None, "threaten": None, "underscore": None, "underline": None,
    "highlight": None, "advise": None, "inform": None, "assure": None, "tout": None,
    "boast": None, "brag": None, "lament": None, "acknowledge": None, "forecast": ("forecast", "forecast"),
}
PHRASES = [
    "according to", "in a statement", "told reporters", "in an interview", "in an interview with",
    "pointed out", "points out", "point out", "pointing out", "said in a statement",
    "quoted as saying", "in a tweet", "in a post", "in a speech", "in remarks",
]


def inflect(base, irregular):
    forms = {base}
    if base.endswith("y") and base[-2] not in "aeiou":
        third, past, ing = base[:-1] + "ies", base[:-1] + "ied", base + "ing"
    elif base.endswith("e") and not base.endswith("ee"):
        third, past, ing = base + "s", base + "d", base[:-1] + "ing"
    elif base.endswith(("s", "sh", "ch", "x", "z")):
        third, past, ing = base + "es", base + "ed", base + "ing"
    elif base in ("admit", "commit", "quip", "brag", "vow") and base != "vow":
        third, past, ing = base + "s", base + base[-1] + "ed", base + base[-1] + "ing"
    else:
        third, past, ing = base + "s", base + "ed", base + "ing"
    if irregular:
        past = irregular[0]
        forms.add(irregular[1])
    if base == "write":
        ing = "writing"
    if base == "speak":
        ing = "speaking"
    forms.update([third, past, ing])
    return forms


WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def main():
    path = sys.argv[1]
    gold_head = collections.Counter()
    gold_phrase = collections.Counter()
    corpus = collections.Counter()
    with gzip.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            if not d.get("primary"):
                continue
            for w in WORD.findall(d["text"]):
                corpus[w.lower()] += 1
            for a in d["attributions"]:
                if not a["cue"]:
                    continue
                words = [w.lower() for c in a["cue"] for w in WORD.findall(c["text"])]
                if not words:
                    continue
                if len(words) == 1:
                    gold_head[words[0]] += 1
                else:
                    gold_phrase[" ".join(words)] += 1
                    # The head of "has said", "also told": the last word; of "according to",
                    # "pointed out": the first.
                    head = words[-1] if words[0] in ("has", "have", "had", "also", "is", "was",
                                                     "were", "are", "will", "would") else words[0]
                    gold_head[head] += 1
    rows = {}
    for base, irr in VERBS.items():
        for form in inflect(base, irr):
            rows[form] = "verb"
    for p in PHRASES:
        rows[p] = "phrase"
    for w, n in gold_head.items():
        if w not in rows and n >= 3:
            rows[w] = "learned"
    for p, n in gold_phrase.items():
        if p not in rows and n >= 5 and len(p.split()) <= 4:
            rows[p] = "learned_phrase"
    print("# cue\tkind\tgold_cue_count\tcorpus_count  (PolNeAR train, primary annotations)")
    for cue in sorted(rows):
        if " " in cue:
            n_corpus = 0
        else:
            n_corpus = corpus[cue]
        n_gold = gold_phrase[cue] if " " in cue else gold_head[cue]
        print(f"{cue}\t{rows[cue]}\t{n_gold}\t{n_corpus}")


if __name__ == "__main__":
    main()
