#!/usr/bin/env bash
# Builds everything and runs the whole test suite: the C++ tests (ctest, including the plugin ABI
# checks: header, exported symbols, abidiff, installed-package host parity), the C++ tests again
# under ASan+UBSan+LSan, the threads test under TSan, every fuzz target for
# $NEWSPARSE_FUZZ_SECONDS (default 60) seconds (two targets at a time), and the Python tests (pytest, against the wheel
# built by `pip wheel .` and installed into a fresh virtual environment with the optional extras,
# so CI checks exactly what users install).
# Corpus evaluations and benchmarks that need ../shared/data run when it is there and skip
# cleanly when it is not. The Release ctest run includes the linear-time check
# (linear_time_benchmark --check: per-MB CPU time at 8 MB over 1 MB <= 2 for every adversarial
# input) and the peak-memory bound test (EngineMemoryTest).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
jobs=$(nproc 2>/dev/null || echo 2)

scripts/install-deps.sh

# The optional extras the Python tests run with.
extras=test,pandas,spacy,spark
# The third-party Python packages of the package and those extras go into a fresh virtual
# environment in the background while the C++ trees build (it is mostly download and unpacking);
# the wheel joins them after the C++ tests.
rm -rf build/venv
mkdir -p build
python3 -m venv build/venv
python3 - "$extras" >build/python-deps.txt <<'PY'
import sys, tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
deps = list(project.get("dependencies", []))
for extra in sys.argv[1].split(","):
    deps += project["optional-dependencies"][extra]
print("\n".join(dict.fromkeys(deps)))
PY
(build/venv/bin/python -m pip install -q --upgrade pip &&
  build/venv/bin/python -m pip install -q -r build/python-deps.txt) >build/python-deps.log 2>&1 &
deps_pid=$!

# One compiler cache for the trees below: the wheel's build compiles the same core sources with
# the same flags as the Release tree, so most of it comes from the cache.
if command -v ccache >/dev/null; then
  export CCACHE_DIR="$root/build/ccache" CCACHE_BASEDIR="$root"
  export CMAKE_C_COMPILER_LAUNCHER=ccache CMAKE_CXX_COMPILER_LAUNCHER=ccache
fi

echo "== C++ build" >&2
cmake -S . -B build/cmake -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/cmake -j"$jobs"

echo "== C++ tests" >&2
(cd build/cmake && ctest --output-on-failure -j"$jobs")

echo "== C++ tests under AddressSanitizer + UBSan + LeakSanitizer" >&2
cmake -S . -B build/asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEWSPARSE_SANITIZE=address \
  -DNEWSPARSE_BUILD_TOOLS=OFF \
  -DNEWSPARSE_BUILD_BENCHMARKS=OFF >/dev/null
cmake --build build/asan -j"$jobs"
# The plugin's symbol, ABI-baseline and install checks concern the release build only.
(cd build/asan && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 ctest --output-on-failure -j"$jobs" \
  -E '^plugin_(exported_symbols|abi_baseline|installed_host_parity)$')

echo "== Threads under ThreadSanitizer" >&2
cmake -S . -B build/tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNEWSPARSE_SANITIZE=thread \
  -DNEWSPARSE_BUILD_BENCHMARKS=OFF -DNEWSPARSE_BUILD_PLUGIN=OFF >/dev/null
cmake --build build/tsan -j"$jobs" --target threads_test
TSAN_OPTIONS=halt_on_error=1 build/tsan/tests/threads_test

echo "== Fuzzing (${NEWSPARSE_FUZZ_SECONDS:-60}s per target)" >&2
scripts/fuzz.sh "${NEWSPARSE_FUZZ_SECONDS:-60}"

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
             "newsparse/spacy_component.py", "newsparse/_cli_parse.py", "newsparse/spark.py"):
    assert need in names, f"{need} missing from {sys.argv[1]}"
assert any(n.startswith("newsparse/_core.") and n.endswith(".so") for n in names), names
assert any(n.endswith("entry_points.txt") for n in names)
PY

echo "== Python package (fresh virtual environment)" >&2
if ! wait "$deps_pid"; then
  cat build/python-deps.log >&2
  echo "installing the Python dependencies failed" >&2
  exit 1
fi
build/venv/bin/python -m pip install -q "$wheel[$extras]"
if command -v ccache >/dev/null; then ccache --show-stats >&2 || true; fi

echo "== Python tests" >&2
# Run from outside the checkout so the installed package (not python/) is what gets imported.
# The C host of the plugin ABI, for the parity test against the Python module.
export NEWSPARSE_C_HOST="$root/build/cmake/plugin_api/c_host"
cd build && "$root/build/venv/bin/python" -m pytest -q -p no:cacheprovider "$root/tests/python"
