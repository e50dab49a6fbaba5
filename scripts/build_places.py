#!/usr/bin/env python3
"""Builds data/places.tsv and data/countries.tsv from the GeoNames dumps.

Usage:
  scripts/build_places.py [--geonames DIR] [--out DIR]

DIR defaults to ../shared/data/resources/geonames beside the checkout. Reads cities15000.zip
(the GeoNames cities dump) and countryInfo.tsv at run time; pure Python standard library.
The output holds GeoNames facts only (names, the alternate names kept, country, first-level
administrative code, population): "Contains data from GeoNames (geonames.org), CC BY 4.0".
"""

import argparse
import io
import os
import sys
import unicodedata
import zipfile

NOTICE = "# Contains data from GeoNames (geonames.org), CC BY 4.0.\n"


def keep_alternate(name):
    """Keeps Latin and Cyrillic spellings that could be written in a dateline."""
    if not name or len(name) > 40 or not name[0].isupper():
        return False
    # Airport and other codes ("MOW", "MUC") are not names of the city.
    if name.isascii() and name.isupper() and len(name) <= 4:
        return False
    for ch in name:
        if ch.isdigit() or ch in "()[]{}|\t;:,/\"":
            return False
        if ch.isalpha():
            script = unicodedata.name(ch, "")
            if not (script.startswith("LATIN") or script.startswith("CYRILLIC")):
                return False
    return True


def build_places(zip_path, out_path):
    with zipfile.ZipFile(zip_path) as z:
        raw = z.read("cities15000.txt").decode("utf-8")
    rows = []
    for line in raw.splitlines():
        f = line.split("\t")
        if len(f) < 19:
            continue
        name, ascii_name, alternates = f[1], f[2], f[3]
        country, admin1, population = f[8], f[10], f[14]
        if not name or not country:
            continue
        seen = {name.casefold()}
        kept = []
        for extra in [ascii_name] + alternates.split(","):
            extra = extra.strip()
            if keep_alternate(extra) and extra.casefold() not in seen:
                seen.add(extra.casefold())
                kept.append(extra)
        rows.append((name, country, admin1, int(population or 0), kept))
    rows.sort(key=lambda r: (-r[3], r[0]))
    with open(out_path, "w", encoding="utf-8", newline="\n") as out:
        out.write(NOTICE)
        out.write("# name\tcountry\tadmin1\tpopulation\talternate names (|-separated)\n")
        for name, country, admin1, population, kept in rows:
            out.write(f"{name}\t{country}\t{admin1}\t{population}\t{'|'.join(kept)}\n")
    return len(rows)


def build_countries(info_path, out_path):
    count = 0
    with open(info_path, encoding="utf-8") as src, open(
        out_path, "w", encoding="utf-8", newline="\n"
    ) as out:
        out.write(NOTICE)
        out.write("# iso2\tname\n")
        for line in src:
            if line.startswith("#") or not line.strip():
                continue
            f = line.rstrip("\n").split("\t")
            if len(f) > 4 and len(f[0]) == 2 and f[4]:
                out.write(f"{f[0]}\t{f[4]}\n")
                count += 1
    return count


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.dirname(here)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--geonames",
        default=os.path.join(root, "..", "shared", "data", "resources", "geonames"),
    )
    parser.add_argument("--out", default=os.path.join(root, "data"))
    args = parser.parse_args()
    n = build_places(
        os.path.join(args.geonames, "cities15000.zip"), os.path.join(args.out, "places.tsv")
    )
    m = build_countries(
        os.path.join(args.geonames, "countryInfo.tsv"), os.path.join(args.out, "countries.tsv")
    )
    print(f"places.tsv: {n} cities; countries.tsv: {m} countries", file=sys.stderr)


if __name__ == "__main__":
    main()
