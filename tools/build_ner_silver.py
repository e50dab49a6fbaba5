#!/usr/bin/env python3
"""Adds a silver gazetteer to the entity tagger's gazetteer (newsparse issue 4).

The silver list holds phrases that a tagger trained on CoNLL-2003 eng.train labelled often in the
unlabeled reuters2006 news, with the type(s) it gave them: categories silver.per, silver.org,
silver.loc and silver.misc (core/ner_gazetteer.h). Input: the counts file of
`newsparse_ner silver` ("phrase<TAB>PER<TAB>ORG<TAB>LOC<TAB>MISC", phrases lower-cased); output: the
gazetteer given by --gazetteer with every silver.* category it already had removed and the
selected phrases added, so running the tool again on its own output gives the same file.

Usage (data/README.md "Rebuild" has the whole sequence):
  python3 tools/build_ner_silver.py --gazetteer data/ner_gazetteer.tsv \\
      --counts /tmp/silver_counts.tsv --out data/ner_gazetteer.tsv --min_count 3 --purity 0.8

Selection: a phrase whose mentions number at least --min_count (and, with --min_rate, at least that
share of its occurrences in the corpus, tagged or not: the counts file's 6th column) gets silver.<type> for its majority
type when that type has at least --purity of its mentions (--types majority), or for every type
with at least --share of them (--types any). --tokens single / multi keeps one-token / longer
phrases only. Derived word strings and a category only: no article text. Deterministic.
"""
import argparse
import sys

TYPES = ("per", "org", "loc", "misc")  # the counts file's column order (PER ORG LOC MISC)
SILVER = tuple("silver." + t for t in TYPES)
SILVER_HEADER = "# silver: "


def read_counts(lines):
    """Yields (phrase, [PER, ORG, LOC, MISC] counts, occurrences or None); raises ValueError on a
    malformed line. The 6th column (occurrences of the phrase, tagged or not) is optional."""
    for no, line in enumerate(lines, 1):
        line = line.rstrip("\n")
        if not line:
            continue
        cols = line.split("\t")
        if len(cols) not in (5, 6):
            raise ValueError(f"counts line {no}: expected 5 or 6 tab-separated columns")
        try:
            counts = [int(c) for c in cols[1:]]
        except ValueError:
            raise ValueError(f"counts line {no}: counts must be integers") from None
        if min(counts) < 0 or not cols[0].strip():
            raise ValueError(f"counts line {no}: empty phrase or negative count")
        yield cols[0], counts[:4], (counts[4] if len(counts) == 5 else None)


def select(counts, min_count=3, purity=0.8, types="majority", share=0.3, tokens="all",
           min_rate=0.0):
    """Returns {phrase: [silver categories]} for the phrases the rule keeps (see the module doc)."""
    if types not in ("majority", "any"):
        raise ValueError("types: majority or any")
    if tokens not in ("all", "single", "multi"):
        raise ValueError("tokens: all, single or multi")
    out = {}
    for phrase, c, occurrences in counts:
        total = sum(c)
        if total < min_count or total == 0:
            continue
        if min_rate > 0 and (occurrences is None or total < min_rate * occurrences):
            continue
        n = len(phrase.split(" "))
        if (tokens == "single" and n != 1) or (tokens == "multi" and n == 1):
            continue
        if phrase.startswith("#") or "\t" in phrase:
            continue
        if types == "majority":
            best = max(range(len(TYPES)), key=lambda t: (c[t], -t))
            cats = [SILVER[best]] if c[best] >= purity * total else []
        else:
            cats = [SILVER[t] for t in range(len(TYPES)) if c[t] > 0 and c[t] >= share * total]
        if cats:
            out[phrase] = cats
    return out


def strip_silver(lines):
    """The gazetteer's lines without their silver.* categories (a line left empty is dropped)."""
    for line in lines:
        line = line.rstrip("\n")
        if line.startswith(SILVER_HEADER):
            continue
        if not line or line.startswith("#"):
            yield line
            continue
        phrase, _, cats = line.partition("\t")
        kept = [c for c in cats.split(",") if c not in SILVER]
        if kept:
            yield phrase + "\t" + ",".join(kept)


def build(gazetteer_lines, silver):
    """The output file's lines: the base gazetteer, then the silver phrases sorted."""
    out = list(strip_silver(gazetteer_lines))
    out.append(f"{SILVER_HEADER}{len(silver)} phrases, tools/build_ner_silver.py")
    for phrase in sorted(silver):
        out.append(phrase + "\t" + ",".join(silver[phrase]))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gazetteer", required=True, help="base gazetteer (silver.* is replaced)")
    ap.add_argument("--counts", required=True, help="output of `newsparse_ner silver`")
    ap.add_argument("--out", required=True)
    ap.add_argument("--min_count", type=int, default=3)
    ap.add_argument("--purity", type=float, default=0.8)
    ap.add_argument("--types", choices=("majority", "any"), default="majority")
    ap.add_argument("--share", type=float, default=0.3)
    ap.add_argument("--tokens", choices=("all", "single", "multi"), default="all")
    ap.add_argument("--min_rate", type=float, default=0.0,
                    help="keep phrases tagged in at least this share of their occurrences")
    a = ap.parse_args(argv)
    with open(a.gazetteer, encoding="utf-8") as f:
        base = f.readlines()
    with open(a.counts, encoding="utf-8") as f:
        silver = select(read_counts(f), a.min_count, a.purity, a.types, a.share, a.tokens,
                        a.min_rate)
    lines = build(base, silver)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")
    per = {c: sum(c in v for v in silver.values()) for c in SILVER}
    print(f"{len(silver)} silver phrases: " + ", ".join(f"{c} {n}" for c, n in per.items()),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
