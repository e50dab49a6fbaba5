#!/usr/bin/env python3
"""Instructions per string of newsparse's date paths, counted by callgrind (a stable proxy for
speed on a shared machine, where wall-clock figures are noisy).

    python benchmarks/peers/dates_instructions.py [--max-datelines 5000] [--path all]

Runs itself twice per path under ``valgrind --tool=callgrind`` (PYTHONHASHSEED=0): both runs
load the same datelines and make one warm-up call (one string: tables built, modules imported),
then the counted call on every string in one run and on one string in the other; the difference
of the two runs' totals, divided by the strings less one, is the cost per string of the whole
public call (Python wrapper, input conversion, parse, output). The module is stripped in Release
builds, so no C++ function is counted by name. Paths:

- ``parse_dates``: ``newsparse.parse_dates`` on the gold datelines' date texts (``Feb 26``) with
  the story dates (list in, ``datetime.date`` list out);
- ``parse_dates_arrow``: ``newsparse.parse_dates_arrow`` on the same strings and dates as Arrow
  arrays built before the call;
- ``parse_arrow``: ``newsparse.parse_arrow(stages=["dateline"], threads=1)`` on the whole gold
  datelines (``SALVADOR, Feb 26 - Body.``) and the ISO story dates, as ``run.py`` times it.

The Reuters-21578 gold datelines are read from the shared data folder at run time (the same
selection as ``run.py``); the script exits 2 when they are absent.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

PATHS = ("parse_dates", "parse_dates_arrow", "parse_arrow")


def child(path: str, n: int, k: int, data: str) -> None:
    """The program run under callgrind: a warm-up call on one string, then one on `k`."""
    import newsparse
    import pyarrow as pa
    from run import load_datelines
    items = load_datelines(Path(data) / "reuters21578" / "reuters21578.jsonl.gz", n)
    strings = [it["date_text"] for it in items]
    refs = [it["base"].date() for it in items]
    if path == "parse_dates":
        for m in (1, k):
            newsparse.parse_dates(strings[:m], refs[:m], languages=["en"])
    elif path == "parse_dates_arrow":
        sa, ra = pa.array(strings), pa.array(refs, pa.date32())
        for m in (1, k):
            newsparse.parse_dates_arrow(sa[:m], ra[:m], languages=["en"])
    else:
        engine = newsparse.Engine()
        texts = [it["dateline"] + " Body." for it in items]
        dates = [it["iso"] for it in items]
        for m in (1, k):
            newsparse.parse_arrow(texts[:m], dates[:m], stages=["dateline"], threads=1,
                                  engine=engine)
    print(len(items))


def total(path: str, n: int, k: int, data: str) -> Tuple[int, int]:
    """(instructions of the whole run, strings loaded)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        proc = subprocess.run(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", sys.executable,
             __file__, "--child", path, "--count", str(k), "--max-datelines", str(n),
             "--data", data],
            capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": "0"})
        m = re.search(r"^(?:summary|totals): (\d+)", Path(out).read_text(), re.M)
        if m is None:
            raise SystemExit(f"{path}: no totals in the callgrind output")
        return int(m.group(1)), int(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-datelines", type=int, default=5000)
    ap.add_argument("--path", choices=["all", *PATHS], default="all")
    ap.add_argument("--count", type=int, default=0, help=argparse.SUPPRESS)
    from run import shared_data
    ap.add_argument("--data", default=str(shared_data()), help="the shared data folder")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.max_datelines, args.count, args.data)
        return 0
    if not (Path(args.data) / "reuters21578" / "reuters21578.jsonl.gz").is_file():
        print("dates_instructions.py: Reuters-21578 not found; skipped", file=sys.stderr)
        return 2
    for path in PATHS if args.path == "all" else [args.path]:
        one, n = total(path, args.max_datelines, 1, args.data)
        every, _ = total(path, args.max_datelines, args.max_datelines, args.data)
        per = (every - one) / max(1, n - 1)
        print(f"{path:18s} {n:6,d} strings  {every - one:>13,d} instructions  "
              f"{per:>9,.0f} per string", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
