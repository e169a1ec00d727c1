#!/usr/bin/env bash
# Installs the Debian packages attrib needs to build and test, if missing.
# Works as root (or with sudo) on a fresh Debian 12 machine.
set -euo pipefail
pkgs=(build-essential cmake pkg-config gzip
      libgsl-dev libopenblas-dev liblapacke-dev libcsv-dev zlib1g-dev libjansson-dev
      libcmocka-dev jq
      libpq-dev postgresql)
# libpq-dev: PostgreSQL sources and --pushdown (optional at build time:
# CMake's ATTRIB_POSTGRES); postgresql: the server tests/pg starts on a
# private socket (initdb, pg_ctl) to check them against the CSV path
# --browser: also Chromium (and poppler-utils' pdftotext), for the test that renders and
#           prints the analyze report
# --fuzz: also clang and its runtime libraries (libFuzzer, ASan, UBSan: all
#         in libclang-rt-14-dev on Debian 12), for tests/fuzz and scripts/fuzz.sh
for a in "$@"; do
  case "$a" in
  --browser) pkgs+=(chromium poppler-utils) ;;
  --fuzz) pkgs+=(clang libclang-rt-14-dev time) ;;
  *) echo "install-deps.sh: unknown option '$a' (--browser, --fuzz)" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  echo "installing: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
