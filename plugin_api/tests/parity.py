#!/usr/bin/env python3
"""Parity of the C ABI's records with the JSON form of the core (or of the Python module).

The C host's --dump-spans writes every record with UTF-8 byte spans; canonical_from_json()
rebuilds the same structure from a JSON form article (code point offsets) and the article's
bytes, so the two can be compared exactly.

    parity.py --spans SPANS.jsonl --json CORE.jsonl FILE...    (exit 1 on any difference)
"""
import argparse
import json
import sys


def _byte_offsets(data: bytes):
    """byte offset of every code point index (valid UTF-8), plus the end."""
    text = data.decode("utf-8")
    offsets = [0] * (len(text) + 1)
    pos = 0
    for i, ch in enumerate(text):
        offsets[i] = pos
        pos += len(ch.encode("utf-8"))
    offsets[len(text)] = pos
    return offsets


def canonical_from_json(data: bytes, article: dict) -> dict:
    """The --dump-spans record of the C host, rebuilt from a JSON form article."""
    off = _byte_offsets(data)

    def span(s):
        return None if s is None else [off[s[0]], off[s[1]]]

    def obj_span(o):
        return None if o is None else span(o["span"])

    def place(p):
        return {"span": span(p["span"]), "city": p["city"], "region": p["region"],
                "country": p["country"]}

    d = article["dateline"]
    dateline = None
    if d is not None:
        dateline = {
            "span": span(d["span"]),
            "byline": obj_span(d["byline"]),
            "date": obj_span(d["date"]),
            "date_value": None if d["date"] is None else d["date"]["value"],
            "source": obj_span(d["source"]),
            "source_name": None if d["source"] is None else d["source"]["name"],
            "place": None if d["place"] is None else place(d["place"]),
            "places": [place(p) for p in d["places"]],
            "body_start": off[d["body_start"]],
        }
    mentions = []
    for i, e in enumerate(article["entities"]):
        for m in e["mentions"]:
            mentions.append({"span": span(m["span"]), "type": e["type"], "entity": i})
    mentions.sort(key=lambda m: (m["span"][0], m["span"][1]))  # stable, as the library
    entities = []
    for i, e in enumerate(article["entities"]):
        own = sorted((span(m["span"]) for m in e["mentions"]), key=lambda s: (s[0], s[1]))
        entities.append({"id": e["id"], "type": e["type"], "name": e["name"], "mentions": own,
                         "aliases": e["aliases"], "titles": e["titles"]})
    n_entities = len(article["entities"])
    attributions = []
    for a in article["attributions"]:
        src = a["source"]
        entity = None if src is None else src["entity"]
        attributions.append({
            "kind": a["kind"], "cue": span(a["cue"]["span"]), "source": obj_span(src),
            "entity": entity if entity is not None and entity < n_entities else None,
            "content": [span(c["span"]) for c in a["content"]]})
    return {
        "dateline": dateline,
        "credits": [{"kind": c["kind"], "span": span(c["span"])} for c in article["credits"]],
        "mentions": mentions,
        "entities": entities,
        "attributions": attributions,
        "dates": [{"span": span(x["span"]), "value": x["value"]} for x in article["dates"]],
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--spans", required=True)
    ap.add_argument("--json", required=True)
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    with open(args.spans, encoding="utf-8") as f:
        spans = [json.loads(line) for line in f if line.strip()]
    with open(args.json, encoding="utf-8") as f:
        articles = [json.loads(line) for line in f if line.strip()]
    if not (len(spans) == len(articles) == len(args.files)):
        print(f"parity: {len(args.files)} files, {len(spans)} span dumps, {len(articles)} "
              "JSON articles", file=sys.stderr)
        return 1
    bad = 0
    for path, got, article in zip(args.files, spans, articles):
        if article.get("error") is not None:
            print(f"parity: {path}: the core reported {article['error']}", file=sys.stderr)
            bad += 1
            continue
        with open(path, "rb") as f:
            want = canonical_from_json(f.read(), article)
        if got != want:
            print(f"parity: {path}: C ABI records differ from the core\n  C:    {got}\n"
                  f"  core: {want}", file=sys.stderr)
            bad += 1
    print(f"parity: {len(args.files) - bad}/{len(args.files)} articles agree")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
