#!/usr/bin/env python3
"""Builds data/eval/entities_gold.jsonl from its annotated source data/eval/entities_gold.src.

Source format (see data/eval/README.md):
  === <id> | <YYYY-MM-DD>             starts an article
  @<key> <PER|ORG|LOC|MISC> <name> [| aliases: a; b] [| titles: t1; t2]
  text lines; a blank line separates paragraphs
  [surface|key]                       an entity mention
  {surface|value}                     a date; value is YYYY-MM-DD, YYYY-Www, YYYY-MM, YYYY, or a
                                      reading computed from the article date: "prev" / "next" (a
                                      weekday: the most recent such day on or before it / the next
                                      one after it), "yesterday", "today", "tomorrow", "lastweek",
                                      "thisweek", "nextweek", "thismonth", "lastmonth", "lastyear"
The dateline is the text up to and including the first " -- ", " — " or ") - ".
Offsets are written only for the entities of an article whose mentions the left-to-right
locator of core/entities_eval.cc would place elsewhere (it is mirrored here).
"""
import datetime
import json
import re
import sys

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
MARK = re.compile(r"\[([^\[\]|]+)\|([A-Za-z0-9_]+)\]|\{([^{}|]+)\|([^{}|]+)\}")


def word_byte(b):
    return b >= 0x80 or chr(b).isalnum()


def occurs_at(text, s, at):
    if text[at:at + len(s)] != s:
        return False
    if at > 0 and word_byte(text[at - 1]) and word_byte(s[0]):
        return False
    end = at + len(s)
    if end < len(text) and word_byte(text[end]) and word_byte(s[-1]):
        return False
    return True


def find_word(text, s, start):
    at = text.find(s, start)
    while at >= 0:
        if occurs_at(text, s, at):
            return at
        at = text.find(s, at + 1)
    return -1


def greedy(text, surfaces):
    """Mirrors LocateMentions without offsets; None on ambiguity or failure."""
    nxt = [0] * len(surfaces)
    out = [[] for _ in surfaces]
    cursor = 0
    while True:
        best = None
        tied = []
        for e, ss in enumerate(surfaces):
            if nxt[e] >= len(ss):
                continue
            s = ss[nxt[e]]
            at = find_word(text, s, cursor)
            if at < 0:
                return None
            if best is None or at < best[0] or (at == best[0] and len(s) > best[1]):
                best = (at, len(s))
                tied = [e]
            elif at == best[0] and len(s) == best[1]:
                tied.append(e)
        if best is None:
            return out
        if len(tied) > 1:
            return None
        e = tied[0]
        out[e].append(best[0])
        nxt[e] += 1
        cursor = best[0] + best[1]


def resolve(value, ref, surface):
    day = datetime.timedelta(days=1)
    rel = {"yesterday": ref - day, "today": ref, "tomorrow": ref + day}
    if value in rel:
        return rel[value].isoformat()
    if value in ("lastweek", "thisweek", "nextweek"):
        d = ref + 7 * day * {"lastweek": -1, "thisweek": 0, "nextweek": 1}[value]
        y, w, _ = d.isocalendar()
        return f"{y:04d}-W{w:02d}"
    if value == "thismonth":
        return f"{ref.year:04d}-{ref.month:02d}"
    if value == "lastmonth":
        y, m = (ref.year, ref.month - 1) if ref.month > 1 else (ref.year - 1, 12)
        return f"{y:04d}-{m:02d}"
    if value == "lastyear":
        return f"{ref.year - 1:04d}"
    if value not in ("prev", "next"):
        return value
    wd = [w for w in WEEKDAYS if w in surface.lower()]
    assert len(wd) == 1, surface
    target = WEEKDAYS.index(wd[0])
    d = ref
    if value == "prev":
        while d.weekday() != target:
            d -= datetime.timedelta(days=1)
    else:
        d += datetime.timedelta(days=1)
        while d.weekday() != target:
            d += datetime.timedelta(days=1)
    return d.isoformat()


def build(block):
    lines = block.split("\n")
    head = lines[0][3:].split("|")
    doc_id, date = head[0].strip(), head[1].strip()
    ref = datetime.date.fromisoformat(date)
    ents, order, body = {}, [], []
    for line in lines[1:]:
        if line.startswith("@"):
            parts = [p.strip() for p in line[1:].split("|")]
            key, typ, name = parts[0].split(" ", 2)
            ent = {"name": name, "type": typ, "mentions": [], "aliases": [], "titles": []}
            for p in parts[1:]:
                field, _, vals = p.partition(":")
                ent[field.strip()] = [v.strip() for v in vals.split(";") if v.strip()]
            ents[key] = ent
            order.append(key)
        else:
            body.append(line)
    paras = re.split(r"\n\s*\n", "\n".join(body).strip())
    marked = "\n\n".join(" ".join(p.split()) for p in paras)
    text, dates, spans = "", [], {k: [] for k in order}
    pos = 0
    for m in MARK.finditer(marked):
        text += marked[pos:m.start()]
        if m.group(1):
            key = m.group(2)
            if key not in ents:
                sys.exit(f"{doc_id}: unknown entity key {key}")
            spans[key].append(len(text.encode()))
            ents[key]["mentions"].append(m.group(1))
            text += m.group(1)
        else:
            dates.append({"text": m.group(3), "value": resolve(m.group(4), ref, m.group(3))})
            text += m.group(3)
        pos = m.end()
    text += marked[pos:]
    if "[" in text or "{" in text:
        sys.exit(f"{doc_id}: stray markup")
    sep = [i for i in (text.find(" -- "), text.find(" \u2014 "), text.find(") - ")) if 0 <= i < 200]
    rec = {"id": doc_id, "date": date, "text": text}
    if sep:
        cut = min(sep)
        rec["dateline"] = text[:cut + (4 if text[cut:cut + 4] in (" -- ", ") - ") else 3)]
    for k in order:
        if not ents[k]["mentions"]:
            sys.exit(f"{doc_id}: entity {k} has no mentions")
    raw = text.encode()
    placed = greedy(raw, [[s.encode() for s in ents[k]["mentions"]] for k in order])
    if placed != [spans[k] for k in order]:
        print(f"note: {doc_id}: offsets written", file=sys.stderr)
        for k in order:
            ents[k]["offsets"] = spans[k]
    rec["entities"] = [ents[k] for k in order]
    rec["dates"] = dates
    words = len(re.findall(r"\w+", text))
    return rec, words


def main():
    src = open(sys.argv[1], encoding="utf-8").read()
    blocks = ["===" + b for b in src.split("\n===")[1:]] if not src.startswith("===") else \
        ["===" + b for b in ("\n" + src).split("\n===")[1:]]
    with open(sys.argv[2], "w", encoding="utf-8") as out:
        for b in blocks:
            rec, words = build(b.strip("\n"))
            if not 120 <= words <= 300:
                print(f"note: {rec['id']}: {words} words", file=sys.stderr)
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
