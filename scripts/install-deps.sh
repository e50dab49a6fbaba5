#!/usr/bin/env bash
# Installs the Debian packages newsparse builds against (Debian 12), only those missing.
# Uses sudo when not run as root.
set -euo pipefail

packages=(g++ cmake ninja-build pkg-config git
          libabsl-dev libicu-dev zlib1g-dev
          libgtest-dev libgmock-dev libbenchmark-dev
          clang libclang-rt-14-dev    # libFuzzer and the sanitizers
          abigail-tools binutils      # abidw/abidiff, nm/objdump: the plugin ABI checks
          openjdk-17-jre-headless     # Java for PySpark (newsparse[spark] and its test)
          ccache)                     # compiler cache: scripts/test.sh builds the core twice
# The Python used for the package needs venv and pip (present in most installs).
if ! python3 -c 'import venv, ensurepip' >/dev/null 2>&1; then
  packages+=(python3-venv python3-pip)
fi
if ! python3 -c 'import sysconfig, os, sys; sys.exit(0 if os.path.exists(os.path.join(sysconfig.get_paths()["include"], "Python.h")) else 1)' >/dev/null 2>&1; then
  packages+=(python3-dev)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
