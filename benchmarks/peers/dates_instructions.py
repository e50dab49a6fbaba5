#!/usr/bin/env python3
"""Instructions per string of newsparse's date paths, counted by callgrind (a stable proxy for
speed on a shared machine, where wall-clock figures are noisy).

    python benchmarks/peers/dates_instructions.py [--max-datelines 5000] [--path all]

For each path, runs a child process under ``valgrind --tool=callgrind --instr-atstart=no``: the
child loads the datelines (and an Engine), makes a warm-up call on one string (tables built,
modules imported), then tells the parent, which switches instrumentation on
(``callgrind_control -i on``); the child then makes the counted call on every string. Only the
C++ entry point of the path is collected (``--toggle-collect``), so the figure is that call's
instructions (input conversion, parse, output) divided by the strings; the Python wrapper
around it is not counted. The names need symbols: pybind11 strips ``_core`` in Release builds,
so point ``--pythonpath`` at a package whose ``_core`` was linked without the strip step (the
link command of ``ninja -t commands`` without its ``strip``). Paths and entry points:

- ``parse_dates``: ``newsparse.parse_dates`` on the gold datelines' date texts (``Feb 26``)
  with the story dates (``ParseDates``);
- ``parse_dates_arrow``: ``newsparse.parse_dates_arrow`` on the same strings and dates as
  Arrow arrays built before the call (``ParseDatesArrow``);
- ``parse_arrow``: ``newsparse.parse_arrow(stages=["dateline"], threads=1)`` on the whole gold
  datelines (``SALVADOR, Feb 26 - Body.``) and the ISO story dates, as ``run.py`` times it
  (``PyEngine::ParseArrow``).

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
import time
from pathlib import Path
from typing import Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

# Anchored at the start of the name: a pattern with a leading '*' would also match the lambdas
# and templates instantiated inside ParseArrow (ParseInOrder<..., PyEngine::ParseArrow(...)::
# {lambda}>), and entering one of those would toggle collection off.
ENTRY = {
    "parse_dates": "newsparse::(anonymous namespace)::ParseDates(*",
    "parse_dates_arrow": "newsparse::(anonymous namespace)::ParseDatesArrow(*",
    "parse_arrow": "newsparse::(anonymous namespace)::PyEngine::ParseArrow(*",
}


def child(path: str, n: int, data: str) -> None:
    """Run under callgrind: set up, warm up, wait for instrumentation, make the counted call."""
    import newsparse
    import pyarrow as pa
    from run import load_datelines
    items = load_datelines(Path(data) / "reuters21578" / "reuters21578.jsonl.gz", n)
    strings = [it["date_text"] for it in items]
    refs = [it["base"].date() for it in items]
    texts = [it["dateline"] + " Body." for it in items]
    dates = [it["iso"] for it in items]
    sa, ra = pa.array(strings), pa.array(refs, pa.date32())
    engine = newsparse.Engine() if path == "parse_arrow" else None

    def call(m: int) -> None:
        if path == "parse_dates":
            newsparse.parse_dates(strings[:m], refs[:m], languages=["en"])
        elif path == "parse_dates_arrow":
            newsparse.parse_dates_arrow(sa[:m], ra[:m], languages=["en"])
        else:
            newsparse.parse_arrow(texts[:m], dates[:m], stages=["dateline"], threads=1,
                                  engine=engine)

    call(1)  # warm-up, before instrumentation is on
    print("READY", flush=True)
    sys.stdin.readline()
    call(len(items))
    print(len(items), flush=True)


def count(path: str, n: int, data: str, pythonpath: str) -> Tuple[int, int]:
    """(instructions of the counted call, strings)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "cg.out")
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        if pythonpath:
            env["PYTHONPATH"] = pythonpath
        p = subprocess.Popen(
            ["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", "--instr-atstart=no",
             "--collect-atstart=no", f"--toggle-collect={ENTRY[path]}", sys.executable, __file__,
             "--child", path, "--max-datelines", str(n), "--data", data],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env=env)
        assert p.stdin is not None and p.stdout is not None
        line = p.stdout.readline()
        if not line.startswith("READY"):
            raise SystemExit(f"{path}: the child failed: {p.communicate()[1][-2000:]}")
        subprocess.run(["callgrind_control", "-i", "on", str(p.pid)], check=True,
                       capture_output=True)
        time.sleep(1)
        p.stdin.write("go\n")
        p.stdin.flush()
        stdout, stderr = p.communicate()
        if p.returncode != 0:
            raise SystemExit(f"{path}: the child failed: {stderr[-2000:]}")
        m = re.search(r"^(?:summary|totals): (\d+)", Path(out).read_text(), re.M)
        if m is None or int(m.group(1)) == 0:
            raise SystemExit(f"{path}: nothing collected (is _core stripped? see --help)")
        return int(m.group(1)), int(stdout.strip().splitlines()[-1])


def main() -> int:
    from run import shared_data
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--max-datelines", type=int, default=5000)
    ap.add_argument("--path", choices=["all", *ENTRY], default="all")
    ap.add_argument("--data", default=str(shared_data()), help="the shared data folder")
    ap.add_argument("--pythonpath", default="",
                    help="PYTHONPATH for the child: a folder holding a newsparse package whose "
                         "_core is not stripped")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child, args.max_datelines, args.data)
        return 0
    if not (Path(args.data) / "reuters21578" / "reuters21578.jsonl.gz").is_file():
        print("dates_instructions.py: Reuters-21578 not found; skipped", file=sys.stderr)
        return 2
    for path in ENTRY if args.path == "all" else [args.path]:
        total, n = count(path, args.max_datelines, args.data, args.pythonpath)
        print(f"{path:18s} {n:6,d} strings  {total:>13,d} instructions  {total / n:>9,.0f} per "
              "string", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
