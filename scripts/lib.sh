# Shared by the scripts: a step says what it does and how long it usually
# takes, keeps its full output in build/logs/, shows the lines that tell
# progress, and when it fails names itself, the command and what to try.
# Sourced, not run.

SSECCOE_ROOT=${SSECCOE_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
SSECCOE_LOGS=${SSECCOE_LOGS:-$SSECCOE_ROOT/build/logs}

# step NAME USUALLY HINT FILTER -- COMMAND...
#   NAME     what the step does, one line ("installing Debian packages")
#   USUALLY  how long it usually takes ("1-3 min on a fresh machine")
#   HINT     what to try when it fails (one or more sentences)
#   FILTER   an extended regular expression: output lines that match are
#            shown as they come, indented; "" shows every line, "^$" none
step() {
  local name=$1 usually=$2 hint=$3 filter=$4
  shift 4
  [ "$1" = "--" ] && shift
  mkdir -p "$SSECCOE_LOGS"
  local log
  log="$SSECCOE_LOGS/$(printf '%s' "$name" | tr -c 'A-Za-z0-9' '-' | tr -s '-' | sed 's/-$//').log"
  : >"$log"
  local started=$SECONDS
  echo "==> $name (usually $usually)"
  local rc=0
  if [ -z "$filter" ]; then
    "$@" 2>&1 | tee "$log" | sed -u 's/^/    /' || rc=${PIPESTATUS[0]}
  else
    "$@" >"$log" 2>&1 &
    local pid=$!
    tail -n +1 -f "$log" --pid="$pid" 2>/dev/null | grep --line-buffered -E "$filter" | sed -u 's/^/    /' || true
    wait "$pid" || rc=$?
  fi
  if [ "$rc" -ne 0 ]; then
    {
      echo
      echo "FAILED: $name (exit $rc after $((SECONDS - started)) s)"
      echo "  command: $*"
      echo "  last lines of its output (all of it in $log):"
      tail -n 15 "$log" | sed 's/^/    /'
      echo "  what to try: $hint"
    } >&2
    exit "$rc"
  fi
  echo "    done in $((SECONDS - started)) s"
}
