#!/usr/bin/env bash
# Builds everything and runs the whole test suite: the C++ tests (ctest, including the plugin ABI
# checks: header, exported symbols, abidiff, installed-package host parity), the plugin ABI tests
# again under ASan+UBSan, and the Python tests (pytest, against the package installed with
# `pip install .` into a fresh virtual environment).
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

echo "== Plugin ABI tests under AddressSanitizer + UBSan" >&2
# Only the plugin's test programs (and what they link) are built in this second tree.
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNEWSPARSE_SANITIZE=ON \
  -DNEWSPARSE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build/asan -j"$jobs" --target newsparse_c_test result_builder_test
(cd build/asan && ctest --output-on-failure -j"$jobs" -L plugin_unit --no-tests=error)

echo "== Python package" >&2
python3 -m venv build/venv
build/venv/bin/python -m pip install -q --upgrade pip
build/venv/bin/python -m pip install -q "$root[test]"

echo "== Python tests" >&2
# Run from outside the checkout so the installed package (not python/) is what gets imported.
# The C host of the plugin ABI, for the parity test against the Python module.
export NEWSPARSE_C_HOST="$root/build/cmake/plugin_api/c_host"
cd build && "$root/build/venv/bin/python" -m pytest -q -p no:cacheprovider "$root/tests/python"
