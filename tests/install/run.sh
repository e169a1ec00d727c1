#!/usr/bin/env bash
# Installs the build into a temporary prefix and builds a client of it two
# ways, then runs each: with find_package(attrib) (this folder's
# CMakeLists.txt: the shared and the static library) and with pkg-config
# (cc $(pkg-config --cflags --libs attrib)). ctest's install.consumer.
# Usage: run.sh BUILD_DIR C_COMPILER [C_FLAGS]
# C_FLAGS: the sanitizer flags of an ASan or fuzz build, which a client of
# its library must be built with too.
set -euo pipefail
build=$1 cc=$2 flags=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
expect="attrib $(sed -n 's/^#define ATTRIB_VERSION_TEXT "\(.*\)"/\1/p' "$here/../../include/attrib/version.h"): effect = 800"

cmake --install "$build" --prefix "$tmp/prefix" >/dev/null
check() { # NAME PROGRAM
  local out
  out=$("$2") || { echo "$1: exit $?"; exit 1; }
  [ "$out" = "$expect" ] || { echo "$1: printed '$out', expected '$expect'"; exit 1; }
  echo "$1: $out"
}

# find_package
cmake -S "$here" -B "$tmp/cm" -DCMAKE_PREFIX_PATH="$tmp/prefix" -DCMAKE_C_COMPILER="$cc" \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_BUILD_TYPE=Release >"$tmp/cm.log" 2>&1 || { cat "$tmp/cm.log"; exit 1; }
cmake --build "$tmp/cm" >"$tmp/cmb.log" 2>&1 || { cat "$tmp/cmb.log"; exit 1; }
check "find_package, attrib::attrib" "$tmp/cm/consumer"
check "find_package, attrib::attrib_static" "$tmp/cm/consumer_static"

# pkg-config: the shared library, found at run time through LD_LIBRARY_PATH
pc=$(find "$tmp/prefix" -name attrib.pc)
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$pc")
# shellcheck disable=SC2046,SC2086
"$cc" $flags "$here/consumer.c" -o "$tmp/consumer_pc" $(pkg-config --cflags --libs attrib)
libdir=$(pkg-config --variable=libdir attrib)
LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" check "pkg-config" "$tmp/consumer_pc"
