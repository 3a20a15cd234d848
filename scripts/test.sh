#!/usr/bin/env bash
# The whole suite: installs what is missing, builds (warnings are errors),
# runs unit, integration, end-to-end and fault tests with ctest. Arguments go
# to ctest, e.g. `scripts/test.sh -L unit` or `scripts/test.sh -R folder`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh -DSSECCOE_WERROR=ON
ctest --preset release "$@"
