#!/usr/bin/env bash
# bench/imap: the agent's IMAP harvest side by side with mbsync on the same
# local Dovecot mailbox, in one run; prints the ratio. See bench/imap/README.md.
#   bench/imap/run.sh [BUILD_DIR]            # default: build
#   MESSAGES=2000 bench/imap/run.sh          # smaller run
#   STORAGES=tmp bench/imap/run.sh           # only the temporary directory's disk
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../../build}
exec python3 "$here/bench.py" "$build"
