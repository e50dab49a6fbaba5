#!/usr/bin/env bash
# CI check 4: the ABI of the built library equals the committed baseline. Any non-zero exit of
# abidiff fails (libabigail reports compatible growth as a plain change, exit 4): intended,
# compatible growth is listed in abi/suppressions.ini.  usage: check_abi.sh LIBRARY PLUGIN_DIR
set -euo pipefail
lib=$1
dir=$2
if ! command -v abidiff >/dev/null; then
  echo "check_abi: abidiff not found (apt-get install abigail-tools; scripts/install-deps.sh)" >&2
  exit 1
fi
rc=0
abidiff --no-default-suppression --exported-interfaces-only --suppressions "$dir/abi/suppressions.ini" --headers-dir2 "$dir/include" \
  --drop-private-types "$dir/abi/libnewsparse.so.1.abi" "$lib" || rc=$?
if [ $rc -ne 0 ]; then
  echo "check_abi: abidiff exited $rc: the ABI differs from plugin_api/abi/libnewsparse.so.1.abi" >&2
  exit 1
fi
echo "check_abi: ABI equals the baseline"
