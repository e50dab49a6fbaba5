#!/usr/bin/env bash
# Regenerates the ABI baseline plugin_api/abi/libnewsparse.so.1.abi from a Debug build of the
# library (Debian 12, g++ 12, abigail-tools 2.2). Run only when a release fixes the ABI (see
# plugin_api/README.md, "ABI baseline"); CI compares every build against the committed file.
set -euo pipefail
cd "$(dirname "$0")/../.."
cmake -S . -B build/abi -G Ninja -DCMAKE_BUILD_TYPE=Debug -DNEWSPARSE_BUILD_TESTS=OFF \
  -DNEWSPARSE_BUILD_BENCHMARKS=OFF -DNEWSPARSE_BUILD_PYTHON=OFF >/dev/null
cmake --build build/abi --target newsparse -j2
abidw --exported-interfaces-only --no-corpus-path --no-show-locs --no-comp-dir-path \
  --drop-undefined-syms --headers-dir plugin_api/include --drop-private-types \
  --type-id-style hash build/abi/plugin_api/libnewsparse.so.1 > plugin_api/abi/libnewsparse.so.1.abi
echo "wrote plugin_api/abi/libnewsparse.so.1.abi"
