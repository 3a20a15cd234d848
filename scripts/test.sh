#!/usr/bin/env bash
# The whole suite: installs what is missing (scripts/deps.sh test), builds
# (warnings are errors),
# runs unit, integration, end-to-end and fault tests with ctest. Arguments go
# to ctest, e.g. `scripts/test.sh -L unit` or `scripts/test.sh -R folder`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh test
scripts/build.sh all
echo "==> running the suite (ctest; usually 5-8 min on 2 cores)"
ctest --preset release "$@"
