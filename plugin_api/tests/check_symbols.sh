#!/usr/bin/env bash
# CI check 2: the library exports exactly the committed list of dynamic symbols (only the C ABI,
# each in the NEWSPARSE_1 version node).  usage: check_symbols.sh LIBRARY EXPECTED_LIST
set -euo pipefail
lib=$1
expected=$2
actual=$(nm -D --defined-only --with-symbol-versions "$lib" | awk '{print $3}' | LC_ALL=C sort)
if ! diff -u "$expected" <(echo "$actual"); then
  echo "check_symbols: the exported symbols of $lib differ from $expected" >&2
  echo "(a new function appends to the list and to the ABI baseline; see plugin_api/README.md)" >&2
  exit 1
fi
soname=$(objdump -p "$lib" | awk '$1 == "SONAME" {print $2}')
if [ "$soname" != "libnewsparse.so.1" ]; then
  echo "check_symbols: SONAME is '$soname', expected libnewsparse.so.1" >&2
  exit 1
fi
echo "check_symbols: $(echo "$actual" | wc -l) symbols as expected, SONAME $soname"
