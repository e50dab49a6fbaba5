#!/usr/bin/env bash
# CI check 3: install the package into a temporary prefix, build the example hosts against it
# (a separate CMake project, find_package(newsparse)), and check that the C host (dlopen +
# newsparse_get_api) gets the same JSON and the same byte spans as the C++ core, that the
# installed library finds its installed data by default, and that pkg-config works.
#   usage: installed_host_parity.sh BUILD_DIR PLUGIN_DIR CORE_JSON_DUMP
set -euo pipefail
build=$1
plugin=$2
core_dump=$3
root=$(cd "$plugin/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

cmake --install "$build" --prefix "$prefix" >/dev/null
cmake -S "$plugin/examples" -B "$tmp/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$prefix" >/dev/null
cmake --build "$tmp/build" -j2 >/dev/null

lib=$(find "$prefix" -name libnewsparse.so.1 | head -1)
[ -n "$lib" ] || { echo "parity: libnewsparse.so.1 not installed" >&2; exit 1; }

# The installed library's default data folder is the installed one.
data_dir=$(NEWSPARSE_DATA_DIR= "$tmp/build/c_host" --print-data-dir)
want=$(cd "$prefix/share/newsparse/data" && pwd -P)
got=$(cd "$data_dir" && pwd -P)
if [ "$got" != "$want" ]; then
  echo "parity: default data dir is $data_dir, expected $prefix/share/newsparse/data" >&2
  exit 1
fi

files=("$root"/samples/*.txt "$plugin"/tests/articles/*.txt)
"$tmp/build/c_host" --lib "$lib" --dump-json "${files[@]}" > "$tmp/c.json"
"$tmp/build/c_host" --dump-spans "${files[@]}" > "$tmp/c.spans"
"$core_dump" "${files[@]}" > "$tmp/core.json"
if ! diff -u "$tmp/core.json" "$tmp/c.json"; then
  echo "parity: the C host's JSON differs from the core's" >&2
  exit 1
fi
python3 "$plugin/tests/parity.py" --spans "$tmp/c.spans" --json "$tmp/core.json" "${files[@]}"
"$tmp/build/cpp_host" "${files[@]}" > "$tmp/cpp.txt"

# The C host's throughput mode on a tiny JSON Lines corpus (plain and gzip), 2 threads.
python3 - "$tmp/corpus.jsonl" "${files[@]}" <<'PY'
import json, sys
with open(sys.argv[1], "w", encoding="utf-8") as out:
    for i, path in enumerate(sys.argv[2:]):
        text = open(path, encoding="utf-8").read()
        out.write(json.dumps({"id": i, "meta": {"a": [1, "}"]}, "text": text}) + "\n")
PY
gzip -k "$tmp/corpus.jsonl"
"$tmp/build/c_host" --threads 2 "$tmp/corpus.jsonl" | grep -q "${#files[@]} articles"
"$tmp/build/c_host" --threads 2 "$tmp/corpus.jsonl.gz" | grep -q "${#files[@]} articles"

# pkg-config: a C program compiled and linked with the flags of newsparse.pc.
pc_dir=$(dirname "$(find "$prefix" -name newsparse.pc | head -1)")
printf '#include <newsparse/newsparse.h>\nint main(void) { return newsparse_get_api(NEWSPARSE_ABI_MAJOR) == 0; }\n' \
  > "$tmp/pc.c"
# shellcheck disable=SC2046
cc -std=c99 -o "$tmp/pc" "$tmp/pc.c" $(PKG_CONFIG_PATH="$pc_dir" pkg-config --cflags --libs newsparse)
LD_LIBRARY_PATH="$(dirname "$lib")" "$tmp/pc"
echo "parity: installed package OK (${#files[@]} articles, C host = core, cpp_host, pkg-config)"
