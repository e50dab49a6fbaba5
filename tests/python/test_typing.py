import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def test_typing_sample_runs():
    proc = subprocess.run([sys.executable, str(HERE / "typing_sample.py")], capture_output=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr.decode()


def test_typing_sample_passes_mypy_strict(tmp_path):
    pytest.importorskip("mypy")
    # The sample and the package use spaCy's types; without spaCy installed mypy cannot check them.
    pytest.importorskip("spacy")
    # Checked against the installed package: its py.typed, _core.pyi and annotations.
    root = HERE.parents[1]
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file",
         str(root / "pyproject.toml"), "--cache-dir", str(tmp_path / "cache"),
         str(HERE / "typing_sample.py")],
        capture_output=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()


def test_package_ships_its_typing_files():
    import newsparse
    pkg = Path(newsparse.__file__).resolve().parent
    assert (pkg / "py.typed").is_file()
    assert (pkg / "_core.pyi").is_file()


def test_package_passes_mypy_strict(tmp_path):
    pytest.importorskip("mypy")
    # The sample and the package use spaCy's types; without spaCy installed mypy cannot check them.
    pytest.importorskip("spacy")
    root = HERE.parents[1]
    proc = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "--config-file",
         str(root / "pyproject.toml"), "--cache-dir", str(tmp_path / "cache"), "-p", "newsparse"],
        capture_output=True, timeout=600, cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout.decode() + proc.stderr.decode()
