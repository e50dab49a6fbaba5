"""Benchmark results records: one JSON object per run, appended to a JSON Lines file.

A record is ``{"kind", "timestamp", "figures", "machine", "source", ...}``:

- ``kind``: what was measured (``"bench"`` for ``newsparse bench`` in memory, ``"bench-stream"``
  for a streamed run, ``"peers"`` for ``benchmarks/peers/run.py``); it names the file.
- ``timestamp``: UTC, ISO 8601 with seconds.
- ``figures``: the run's own JSON (for ``bench``: the ``--json`` object plus ``runs``).
- ``machine``: CPU model, logical cores, load average (1, 5, 15 min) at the time of writing,
  Python version, platform, and the compiler that built ``newsparse._core`` when known.
- ``source``: ``{"git_commit", "git_dirty"}`` when the current directory is inside a newsparse
  checkout, and always ``{"version"}`` (the package version).

``append_record(directory, record)`` writes it to ``<directory>/<YYYY-MM-DD>-<kind>.jsonl`` (the
date of the timestamp), creating the folder; ``load_records(directory)`` reads every ``*.jsonl``
there back, oldest first, and raises ``ValueError`` naming the file and line of a malformed one.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import platform
import re
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Union

PathLike = Union[str, "os.PathLike[str]"]

_KIND_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.lower().startswith(("model name", "hardware", "cpu model")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _compiler() -> Optional[str]:
    try:
        from . import _core
    except ImportError:
        return None
    info = getattr(_core, "__compiler__", None)
    return str(info) if info else None


def machine_info() -> Dict[str, Any]:
    """A description of this machine and interpreter, with the load average now."""
    try:
        load: Optional[List[float]] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = None
    return {"cpu": _cpu_model(), "cores": os.cpu_count(), "load_avg": load,
            "python": platform.python_version(), "platform": platform.platform(),
            "compiler": _compiler()}


def _git(cwd: Path, *args: str) -> Optional[str]:
    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() if out.returncode == 0 else None


def source_info(cwd: Optional[PathLike] = None) -> Dict[str, Any]:
    """The package version, plus the git commit when `cwd` (default: here) is in a newsparse
    checkout (a work tree whose top level holds core/engine.h)."""
    from importlib import metadata
    try:
        version: Optional[str] = metadata.version("newsparse")
    except metadata.PackageNotFoundError:
        version = None
    info: Dict[str, Any] = {"version": version}
    here = Path(cwd) if cwd is not None else Path.cwd()
    top = _git(here, "rev-parse", "--show-toplevel")
    if top and (Path(top) / "core" / "engine.h").is_file():
        info["git_commit"] = _git(here, "rev-parse", "HEAD")
        status = _git(here, "status", "--porcelain", "--untracked-files=no")
        info["git_dirty"] = None if status is None else bool(status)
    return info


def make_record(kind: str, figures: Mapping[str, Any], **extra: Any) -> Dict[str, Any]:
    """A record of `figures` (JSON-serialisable) measured now; `extra` keys are added as they are.
    Raises ValueError for a kind that is not a lower-case file-name word."""
    if not _KIND_RE.match(kind):
        raise ValueError(f"record kind must match {_KIND_RE.pattern}, got {kind!r}")
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0)
    record: Dict[str, Any] = {"kind": kind, "timestamp": now.isoformat().replace("+00:00", "Z"),
                              "figures": dict(figures), "machine": machine_info(),
                              "source": source_info()}
    record.update(extra)
    return record


def record_path(directory: PathLike, record: Mapping[str, Any]) -> Path:
    """``<directory>/<YYYY-MM-DD>-<kind>.jsonl`` for `record`."""
    kind = str(record["kind"])
    if not _KIND_RE.match(kind):
        raise ValueError(f"record kind must match {_KIND_RE.pattern}, got {kind!r}")
    return Path(directory) / f"{str(record['timestamp'])[:10]}-{kind}.jsonl"


def append_record(directory: PathLike, record: Mapping[str, Any]) -> Path:
    """Appends `record` as one JSON line to its file under `directory` (created if missing) and
    returns the file's path. Raises OSError when the folder or file cannot be written, TypeError
    when the record is not JSON-serialisable (nothing is written then)."""
    line = json.dumps(record, sort_keys=True, allow_nan=False)
    path = record_path(directory, record)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8", newline="\n") as f:
        f.write(line + "\n")
    return path


def load_records(directory: PathLike, kind: Optional[str] = None) -> List[Dict[str, Any]]:
    """Every record in ``directory/*.jsonl`` (only those of `kind` when given), oldest first.
    Raises FileNotFoundError when the folder does not exist, ValueError for a malformed line."""
    d = Path(directory)
    if not d.is_dir():
        raise FileNotFoundError(f"no results folder {d}")
    records: List[Dict[str, Any]] = []
    for path in sorted(d.glob("*.jsonl")):
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                if not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except json.JSONDecodeError as e:
                    raise ValueError(f"{path}:{n}: not JSON ({e.msg})") from None
                if not isinstance(rec, dict) or "kind" not in rec or "figures" not in rec:
                    raise ValueError(f"{path}:{n}: not a results record (kind, figures)")
                if kind is None or rec["kind"] == kind:
                    records.append(rec)
    records.sort(key=lambda r: str(r.get("timestamp", "")))
    return records
