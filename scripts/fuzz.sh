#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each one for N seconds
# (default 60) from its project-written seed corpus in fuzz/corpus/<name>/. Exits non-zero on the
# first crash, leak, sanitizer report or time-out; the reproducer is left in build/fuzz/artifacts.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNEWSPARSE_FUZZ=ON -DNEWSPARSE_BUILD_TESTS=OFF -DNEWSPARSE_BUILD_BENCHMARKS=OFF \
  -DNEWSPARSE_BUILD_PLUGIN=OFF >/dev/null
cmake --build build/fuzz -j"$(nproc 2>/dev/null || echo 2)"
mkdir -p build/fuzz/artifacts
for bin in build/fuzz/fuzz/*_fuzzer; do
  name=$(basename "$bin" _fuzzer)
  work=build/fuzz/work/$name
  mkdir -p "$work"
  echo "== fuzz $name for ${seconds}s" >&2
  "$bin" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
    -artifact_prefix=build/fuzz/artifacts/"$name"- -print_final_stats=1 \
    "$work" "fuzz/corpus/$name" 2>&1 | grep -E "^(Done|stat::number_of_executed_units)|ERROR|SUMMARY" >&2
  [ "${PIPESTATUS[0]}" -eq 0 ] || { echo "fuzz $name failed" >&2; exit 1; }
done
