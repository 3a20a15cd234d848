#!/usr/bin/env bash
# Configures with the release preset into build/ and builds with both cores.
# Shared by demo.sh and test.sh: one configuration (warnings are errors in
# both), so that running the demo and then the tests compiles each file once.
#   build.sh            everything: the product and the test programs
#   build.sh product    the two binaries and the plugins only (the demo)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
target=${1:-all}
step "configuring the build (cmake --preset release)" "5-15 s" \
  "a library is missing: run scripts/deps.sh; if the compiler or a library changed, remove build/CMakeCache.txt" \
  "" -- cmake --preset release
step "compiling ($target)" "$([ "$target" = product ] && echo "3-5 min on 2 cores from scratch" || echo "6-8 min on 2 cores from scratch"), seconds when up to date" \
  "the first 'error:' above names the file; a compiler killed for memory: CMAKE_BUILD_PARALLEL_LEVEL=1 scripts/build.sh $target" \
  "error|FAILED|\] Linking" -- cmake --build --preset release --target "$target"
