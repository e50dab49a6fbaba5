"""``newsparse bench --plot``: one PNG of the results records (needs matplotlib: ``[plot]``).

Three panels, each drawn from the latest record that has the figures (see _bench_record.py):

1. throughput per stage: the text size divided by the time the threads spent in the stage (MB
   per thread-second; the engine times stages with a steady clock, so load inflates them), from
   the latest ``bench`` record;
2. throughput per thread count: MB/s of the latest run at each thread count over the ``bench``
   and ``bench-stream`` records (the streamed runs marked as such);
3. newsparse against the peers: the ratios newsparse / peer of the latest ``peers`` record
   (``figures["ratios"]``: ``[{"label", "ratio"}]``), on a log scale, with 1 marked.

A panel without records says so instead of drawing bars. ``plot_records`` raises ValueError when
no record has anything to draw, ImportError when matplotlib is missing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from ._bench_record import PathLike

_STAGE_ORDER = ("tokens", "dateline", "entities", "consolidation", "attribution", "dates", "json")


def _latest(records: Sequence[Mapping[str, Any]],
            kinds: Tuple[str, ...]) -> Optional[Mapping[str, Any]]:
    chosen = [r for r in records if r.get("kind") in kinds]
    return chosen[-1] if chosen else None


def stage_throughput(record: Mapping[str, Any]) -> List[Tuple[str, float]]:
    """[(stage, MB per CPU-second)] of a bench record, in pipeline order; stages with no time
    are left out."""
    fig = record["figures"]
    mb = float(fig["mb"])
    out = []
    stages: Mapping[str, Any] = fig.get("stages", {})
    for name in _STAGE_ORDER:
        ms = float(stages.get(name, {}).get("ms", 0.0))
        if ms > 0:
            out.append((name, mb / (ms / 1000.0)))
    return out


def thread_throughput(records: Sequence[Mapping[str, Any]]) -> List[Tuple[str, float]]:
    """[(label, MB/s)]: per thread count, the latest in-memory run (a bench record's ``runs``);
    then the latest streamed run, labelled with its size."""
    by_threads: Dict[int, float] = {}
    for r in records:
        if r.get("kind") != "bench":
            continue
        fig = r["figures"]
        for run in fig.get("runs", [fig]):
            by_threads[int(run["threads"])] = float(run["mb_per_s"])
    out = [(f"{t} thread{'s' if t > 1 else ''}", v) for t, v in sorted(by_threads.items())]
    stream = _latest(records, ("bench-stream",))
    if stream is not None:
        fig = stream["figures"]
        out.append((f"{fig['threads']} threads,\nstreamed {fig['mb'] / 1000:.1f} GB",
                    float(fig["mb_per_s"])))
    return out


def peer_ratios(records: Sequence[Mapping[str, Any]]) -> List[Tuple[str, float]]:
    """[(label, ratio newsparse / peer)] of the latest peers record."""
    rec = _latest(records, ("peers",))
    if rec is None:
        return []
    return [(str(x["label"]), float(x["ratio"])) for x in rec["figures"].get("ratios", [])
            if x.get("ratio") is not None and float(x["ratio"]) > 0]


def plot_records(records: Sequence[Mapping[str, Any]], out: PathLike) -> Path:
    """Draws the three panels of `records` into the PNG `out`; returns its path."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    bench = _latest(records, ("bench",))
    stages = stage_throughput(bench) if bench is not None else []
    threads = thread_throughput(records)
    ratios = peer_ratios(records)
    if not (stages or threads or ratios):
        raise ValueError("no bench or peers record with figures to plot")

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    panels = [
        (axes[0], stages, "MB per thread-second", "throughput per stage", False),
        (axes[1], threads, "MB/s", "full pipeline, per thread count", False),
        (axes[2], ratios, "newsparse / peer (log scale)", "newsparse vs peers", True),
    ]
    for ax, rows, xlabel, title, log in panels:
        ax.set_title(title)
        if not rows:
            ax.text(0.5, 0.5, "no record", ha="center", va="center", transform=ax.transAxes)
            ax.set_axis_off()
            continue
        labels = [r[0] for r in rows][::-1]
        values = [r[1] for r in rows][::-1]
        bars = ax.barh(range(len(rows)), values, color="#4472c4")
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels(labels, fontsize=8)
        ax.set_xlabel(xlabel)
        if log:
            ax.set_xscale("log")
            ax.axvline(1.0, color="#c00000", linewidth=1)
        for bar, v in zip(bars, values):
            ax.text(bar.get_width(), bar.get_y() + bar.get_height() / 2,
                    f" {v:,.3g}" if v < 100 else f" {v:,.0f}", va="center", fontsize=7)
        ax.margins(x=0.25)
    when = max((str(r.get("timestamp", "")) for r in records), default="")
    fig.suptitle(f"newsparse benchmarks (latest record {when})", fontsize=10)
    fig.tight_layout()
    path = Path(out)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=80)
    plt.close(fig)
    return path
