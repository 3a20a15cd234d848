#!/usr/bin/env bash
# Configures and builds with the release preset into build/, with both cores.
# Shared by demo.sh and test.sh. Extra arguments go to the configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release "$@" >/dev/null
cmake --build --preset release
