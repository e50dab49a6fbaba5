"""``newsparse bench``: parse speed on a JSON Lines corpus (core/corpus.h).

Default, in memory: the corpus (at most ``--max-docs`` records) is loaded first, then parsed once
with 1 thread and once with ``--threads`` threads (JSON output included, as ``newsparse parse``
does); the figures are those of the N-thread run, plus the speed-up 1 -> N. With ``--target-mb``
the corpus is streamed from disk in chunks of ``--chunk-mb`` MB of text, cycling over it until
that much text has been parsed, so memory stays bounded (one run, no speed-up; progress on stderr
when it is a terminal).

Stage times are CPU-thread time summed over threads: shown in ms and as a share of their sum.
MB/s is 1e6 bytes of text per wall-clock second of the parse; ``mb_per_cpu_s`` is per CPU-second
of the parsing threads (summed over threads), which leaves out the time a thread waits for a core:
on a shared, loaded machine it is the per-core speed, where MB/s also measures the load.

``--record DIR`` (off by default) appends the run's figures, with a description of the machine and
the git commit or package version, to ``DIR/<date>-bench.jsonl`` (``bench-stream`` for a streamed
run); see _bench_record.py. ``--plot OUT.png`` draws the records of ``--from DIR`` (default
``benchmarks/results``, after this run's record if any) with matplotlib; without ``--corpus`` it
only draws.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any, Dict, List, Optional

from . import _core
from ._cli_eval import _data_dir

_STAGE_ORDER = ("tokens", "dateline", "entities", "consolidation", "attribution", "dates", "json")


def _summary(run: Dict[str, Any], speedup: Optional[float]) -> Dict[str, Any]:
    secs = max(float(run["seconds"]), 1e-9)
    cpu = max(float(run["cpu_seconds"]), 1e-9)
    mb = run["bytes"] / 1e6
    nanos: Dict[str, int] = run["stage_nanos"]
    total = sum(nanos.values()) or 1
    stages = {name: {"ms": round(nanos[name] / 1e6, 3), "share": round(nanos[name] / total, 4)}
              for name in _STAGE_ORDER if name in nanos}
    return {"articles": run["articles"], "mb": round(mb, 3), "threads": run["threads"],
            "mb_per_s": round(mb / secs, 3), "mb_per_cpu_s": round(mb / cpu, 3),
            "articles_per_s": round(run["articles"] / secs, 1),
            "tokens_per_s": round(run["tokens"] / secs, 1),
            "peak_rss_mb": round(run["peak_rss_kb"] / 1024, 1), "stages": stages,
            "speedup": None if speedup is None else round(speedup, 3)}


def _text(s: Dict[str, Any], runs: List[Dict[str, Any]], seconds_load: Optional[float]) -> str:
    lines = [f"{s['articles']:,} articles, {s['mb']:,.2f} MB of text"
             + (f" (loaded in {seconds_load:.2f} s)" if seconds_load is not None else "")]
    lines.append("timed: per article, the parse and its JSON record written to a reused string "
                 "(Engine::ParseToJson, what `newsparse parse` writes); no Python objects are "
                 "built; loading the corpus is not timed")
    lines.append(f"{'threads':>7}  {'seconds':>8}  {'MB/s':>8}  {'MB/CPU-s':>8}  "
                 f"{'articles/s':>10}  {'tokens/s':>11}")
    for r in runs:
        secs = max(float(r["seconds"]), 1e-9)
        cpu = max(float(r["cpu_seconds"]), 1e-9)
        lines.append(f"{r['threads']:>7}  {secs:>8.2f}  {r['bytes'] / 1e6 / secs:>8.2f}  "
                     f"{r['bytes'] / 1e6 / cpu:>8.2f}  "
                     f"{r['articles'] / secs:>10,.0f}  {r['tokens'] / secs:>11,.0f}")
    if s["speedup"] is not None and len(runs) > 1:
        lines.append(f"speed-up 1 -> {s['threads']} threads: {s['speedup']:.2f}x")
    lines.append(f"time per stage ({s['threads']} threads, CPU time summed over threads):")
    for name, st in s["stages"].items():
        lines.append(f"  {name:<12} {st['ms']:>12,.1f} ms  {100 * st['share']:>5.1f} %")
    lines.append(f"peak RSS {s['peak_rss_mb']:,.1f} MB")
    return "\n".join(lines) + "\n"


class _Progress:
    def __init__(self, target: int) -> None:
        self.start = time.monotonic()
        self.target = target

    def __call__(self, done: int, articles: int) -> None:
        secs = max(time.monotonic() - self.start, 1e-9)
        sys.stderr.write(f"\r{done / 1e6:,.0f}/{self.target / 1e6:,.0f} MB  {articles:,} articles"
                         f"  {done / 1e6 / secs:,.1f} MB/s ")
        sys.stderr.flush()


def _plot(args: argparse.Namespace) -> int:
    from ._bench_plot import plot_records
    from ._bench_record import load_records
    try:
        path = plot_records(load_records(args.plot_from), args.plot)
    except ImportError:
        sys.stderr.write("newsparse bench: --plot needs matplotlib (pip install "
                         "'newsparse[plot]')\n")
        return 1
    except (OSError, ValueError) as e:
        sys.stderr.write(f"newsparse bench: {e}\n")
        return 1
    sys.stderr.write(f"plot written to {path}\n")
    return 0


def _record(args: argparse.Namespace, kind: str, summary: Dict[str, Any],
            runs: List[Dict[str, Any]]) -> int:
    from ._bench_record import append_record, make_record
    figures = dict(summary)
    figures["seconds"] = round(float(runs[-1]["seconds"]), 3)
    figures["runs"] = [_summary(r, None) for r in runs]
    for r, full in zip(figures["runs"], runs):
        r["seconds"] = round(float(full["seconds"]), 3)
        del r["speedup"]
    options = {"corpus": args.corpus, "field": args.field, "max_docs": args.max_docs,
               "stages": args.stages, "target_mb": args.target_mb, "chunk_mb": args.chunk_mb}
    try:
        path = append_record(args.record, make_record(kind, figures, options=options))
    except OSError as e:
        sys.stderr.write(f"newsparse bench: cannot write the record: {e}\n")
        return 1
    sys.stderr.write(f"record appended to {path}\n")
    return 0


def _run(args: argparse.Namespace) -> int:
    if args.corpus is None:
        if args.plot is None:
            args.parser.error("--corpus is required (or --plot alone)")  # usage, exit status 2
        return _plot(args)
    threads = args.threads if args.threads > 0 else (os.cpu_count() or 1)
    if args.threads < 0 or args.max_docs < 0:
        sys.stderr.write("newsparse bench: --threads and --max-docs must be >= 0\n")
        return 2
    if args.chunk_mb is not None and args.target_mb is None:
        sys.stderr.write("newsparse bench: --chunk-mb needs --target-mb\n")
        return 2
    if args.target_mb is not None and (args.target_mb <= 0 or (args.chunk_mb or 1) <= 0):
        sys.stderr.write("newsparse bench: --target-mb and --chunk-mb must be > 0\n")
        return 2
    if args.target_mb is not None and args.max_docs:
        sys.stderr.write("newsparse bench: --max-docs does not apply with --target-mb\n")
        return 2
    stages = ",".join(args.stages)
    try:
        if args.target_mb is None:
            counts = [1] if threads == 1 else [1, threads]
            res = _core.bench_corpus(args.corpus, args.field, args.max_docs, stages, counts,
                                     _data_dir(args))
            runs: List[Dict[str, Any]] = res["runs"]
            speedup = runs[0]["seconds"] / max(runs[-1]["seconds"], 1e-9)
            summary = _summary(runs[-1], speedup)
            load: Optional[float] = res["load_seconds"]
        else:
            show = sys.stderr.isatty() and not args.quiet
            target = int(args.target_mb * 1e6)
            progress = _Progress(target) if show else None
            run = _core.bench_stream(args.corpus, args.field, target,
                                     int((args.chunk_mb or 64) * 1e6), stages, threads,
                                     progress, _data_dir(args))
            if show:
                sys.stderr.write("\n")
            runs, summary, load = [run], _summary(run, None), None
    except (OSError, ValueError, RuntimeError) as e:
        sys.stderr.write(f"newsparse bench: {e}\n")
        return 1
    if args.json:
        sys.stdout.write(json.dumps(summary) + "\n")
    else:
        sys.stdout.write(_text(summary, runs, load))
    sys.stdout.flush()
    if args.record is not None:
        kind = "bench" if args.target_mb is None else "bench-stream"
        if _record(args, kind, summary, runs) != 0:
            return 1
    if args.plot is not None:
        return _plot(args)
    return 0


def register(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    p = sub.add_parser("bench", help="measure parse speed on a JSON Lines corpus",
                       description="Measure parse speed on a JSON Lines corpus (gzip or plain): "
                                   "MB/s, articles/s, tokens/s, time per stage, peak RSS and the "
                                   "speed-up from 1 to N threads.")
    p.add_argument("--corpus", metavar="PATH",
                   help="JSON Lines corpus (required unless only --plot is given)")
    p.add_argument("--field", default="text", help="field holding the article text")
    p.add_argument("--threads", type=int, default=0, help="threads N (0: all cores)")
    p.add_argument("--max-docs", type=int, default=0,
                   help="load at most this many records (0: all; in-memory runs only)")
    p.add_argument("--stages", nargs="+", default=["all"], metavar="STAGE",
                   help="stages to run: all, or dateline, entities, attribution, dates "
                        "(space- or comma-separated)")
    p.add_argument("--target-mb", type=float, default=None,
                   help="stream from disk, cycling over the corpus until this many MB of text")
    p.add_argument("--chunk-mb", type=float, default=None,
                   help="MB of text per streamed chunk (default 64; with --target-mb)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--data-dir", default=None, help="run-time data folder (default: packaged)")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    p.add_argument("--record", metavar="DIR", default=None,
                   help="append a results record (figures, machine, commit) to "
                        "DIR/<date>-bench.jsonl (default: no record)")
    p.add_argument("--plot", metavar="OUT.png", default=None,
                   help="draw the results records as a PNG (needs matplotlib: newsparse[plot])")
    p.add_argument("--from", dest="plot_from", metavar="DIR", default="benchmarks/results",
                   help="results folder that --plot reads (default: benchmarks/results)")
    p.set_defaults(func=_run, parser=p)
