import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED_DATA = Path(os.environ.get("NEWSPARSE_SHARED_DATA", ROOT.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def engine():
    import newsparse
    return newsparse.Engine()


def run_cli(*args, stdin=None, check=True):
    """Runs the installed console script (falls back to python -m newsparse.cli)."""
    cmd = [sys.executable, "-m", "newsparse.cli", *map(str, args)]
    proc = subprocess.run(cmd, input=stdin, capture_output=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} exited {proc.returncode}: {proc.stderr.decode()}")
    return proc
