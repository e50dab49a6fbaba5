#!/usr/bin/env bash
# Builds everything and runs the whole test suite: the C++ tests (ctest) and the Python tests
# (pytest, against the wheel built by `pip wheel .` and installed into a fresh virtual environment
# with the optional extras, so CI checks exactly what users install).
# Corpus evaluations and benchmarks that need ../shared/data run when it is there and skip
# cleanly when it is not.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

scripts/install-deps.sh

echo "== C++ build" >&2
cmake -S . -B build/cmake -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/cmake -j"$jobs"

echo "== C++ tests" >&2
(cd build/cmake && ctest --output-on-failure -j"$jobs")

echo "== Python wheel" >&2
# Built once, with build isolation (scikit-build-core and pybind11 come from the package registry).
rm -rf build/wheel
python3 -m pip wheel -q --no-deps "$root" -w build/wheel -Cbuild-dir=build/wheel-build
wheel=$(ls build/wheel/newsparse-*.whl)
# The wheel must carry the typing files and the run-time data.
python3 - "$wheel" <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
for need in ("newsparse/py.typed", "newsparse/_core.pyi", "newsparse/data/README.md",
             "newsparse/spacy_component.py", "newsparse/_cli_parse.py"):
    assert need in names, f"{need} missing from {sys.argv[1]}"
assert any(n.startswith("newsparse/_core.") and n.endswith(".so") for n in names), names
assert any(n.endswith("entry_points.txt") for n in names)
PY

echo "== Python package (fresh virtual environment)" >&2
rm -rf build/venv
python3 -m venv build/venv
build/venv/bin/python -m pip install -q --upgrade pip
build/venv/bin/python -m pip install -q "$wheel[test,pandas,spacy]"

echo "== Python tests" >&2
# Run from outside the checkout so the installed package (not python/) is what gets imported.
cd build && "$root/build/venv/bin/python" -m pytest -q -p no:cacheprovider "$root/tests/python"
