#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each one for N seconds
# (default 60) from its project-written seed corpus in fuzz/corpus/<name>/, J targets at a time
# (default 2, the CI machine's cores; $NEWSPARSE_FUZZ_JOBS). Exits non-zero when any target
# crashes, leaks, reports a sanitizer error or times out; the reproducer is left in
# build/fuzz/artifacts and the target's log in build/fuzz/logs/<name>.log.
# Usage: scripts/fuzz.sh [seconds] [target names...]   (no names: every target)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
jobs=${NEWSPARSE_FUZZ_JOBS:-2}
CC=clang CXX=clang++ cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNEWSPARSE_FUZZ=ON -DNEWSPARSE_BUILD_TESTS=OFF -DNEWSPARSE_BUILD_BENCHMARKS=OFF \
  -DNEWSPARSE_BUILD_PLUGIN=OFF -DNEWSPARSE_BUILD_TOOLS=OFF >/dev/null
cmake --build build/fuzz -j"$(nproc 2>/dev/null || echo 2)"
mkdir -p build/fuzz/artifacts build/fuzz/logs

if [ $# -gt 0 ]; then
  names=("$@")
else
  names=()
  for bin in build/fuzz/fuzz/*_fuzzer; do names+=("$(basename "$bin" _fuzzer)"); done
fi

# Runs one target; its summary lines go to stderr when it ends, its status to logs/<name>.rc.
run_one() {
  local name=$1 work=build/fuzz/work/$1 log=build/fuzz/logs/$1.log
  mkdir -p "$work"
  local rc=0
  build/fuzz/fuzz/"$name"_fuzzer -max_total_time="$seconds" -max_len=65536 -timeout=10 \
    -rss_limit_mb=4096 -artifact_prefix=build/fuzz/artifacts/"$name"- -print_final_stats=1 \
    "$work" "fuzz/corpus/$name" >"$log" 2>&1 || rc=$?
  echo "$rc" >build/fuzz/logs/"$name".rc
  { echo "== fuzz $name (${seconds}s): exit $rc"
    grep -E "^(Done|stat::number_of_executed_units|stat::new_units_added)|ERROR|SUMMARY" "$log" ||
      true; } >&2
}

running=0
for name in "${names[@]}"; do
  [ -x build/fuzz/fuzz/"$name"_fuzzer ] || { echo "no fuzz target $name" >&2; exit 1; }
  run_one "$name" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait

failed=0
for name in "${names[@]}"; do
  if [ "$(cat build/fuzz/logs/"$name".rc)" != 0 ]; then
    echo "fuzz $name failed (log: build/fuzz/logs/$name.log)" >&2
    failed=1
  fi
done
exit "$failed"
