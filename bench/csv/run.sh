#!/usr/bin/env bash
# CSV benchmark: how fast does the agent harvest an HR export (parse, decode,
# key, check, classify and store every row) compared with loading the same
# file into SQLite with the sqlite3 shell?
#
#   bench/csv/run.sh [BUILD_DIR]         (default BUILD_DIR: build)
#
# Environment:
#   ROWS=N        data rows, default 1000000
#   SKIP_AGENT=1  leave out the full agent run (sqlite3 and the plugin alone)
#   TMPDIR=DIR    where the data and the databases go (about 1.2 GB for 1M rows)
#
# One run, the same file for every contender: `sqlite3 -csv fresh.db
# ".import FILE t"` (the plain reference: parse and insert into one table);
# csv_harvest_null (the csv plugin and the SDK's TableHarvest into an emitter
# that keeps nothing: the plugin's own cost); and `sseccoe-agent run --once`
# with only a csv source over the file, one rule that classifies every row,
# no registry and a fresh state dir, then once more over the unchanged file.
# See bench/README.md.
set -euo pipefail

die() { echo "bench/csv: $1" >&2; exit "${2:-1}"; }

build=${1:-build}
rows=${ROWS:-1000000}
skip_agent=${SKIP_AGENT:-0}
agent="$build/bin/sseccoe-agent"
null_tool="$build/bin/csv_harvest_null"

[[ $rows =~ ^[1-9][0-9]*$ ]] || die "ROWS must be a positive integer, got '$rows'" 2
for tool in sqlite3 awk df; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed" 2
done
[[ -x $null_tool ]] || die "no $null_tool: build it first (cmake --build build --target csv_harvest_null), \
or pass the build directory as the first argument" 2
if [[ $skip_agent != 1 ]]; then
  [[ -x $agent ]] || die "no agent binary at $agent: build it first (cmake --preset release && cmake --build build), \
or set SKIP_AGENT=1" 2
  agent=$(cd "$(dirname "$agent")" && pwd)/$(basename "$agent")
  plugins=$(dirname "$agent")/../lib/sseccoe-agent/plugins
  [[ -f $plugins/libcsv.so ]] || die "no csv plugin at $plugins/libcsv.so: build the target sseccoe_csv" 2
fi
gnu_time=""
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then gnu_time=/usr/bin/time; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sseccoe-bench-csv.XXXXXX")
cleanup() { rm -rf -- "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# Space: the file (~80 bytes a row), SQLite's copy, and the agent's store
# (an item, a record and an outbox entry a row: about 1 KB).
need_kib=$(( rows * 1200 / 1024 + 64 * 1024 ))
free_kib=$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')
(( free_kib >= need_kib )) || die "$tmp has $(( free_kib / 1024 )) MiB free, the benchmark needs $(( need_kib / 1024 )) MiB; \
set TMPDIR to a larger file system or lower ROWS"

mkdir -p "$tmp/state" "$tmp/out"
csv=$tmp/capacitacion.csv

# A training list as HR exports it: UTF-8, commas, CRLF, accented names, a
# quoted name with a comma every tenth row, dates inside activity 1.1.2's
# window (2021-02-01..2021-12-03). Reproducible: no randomness.
echo "bench/csv: writing $rows rows to $csv" >&2
awk -v n="$rows" 'BEGIN {
  split("Ética pública|Conflictos de interés|Código de Conducta|Prevención del acoso", course, "|")
  split("José Núñez|María Peña|Ángel Gutiérrez|Sofía Ramírez|Héctor Ibáñez|Lucía Martínez", name, "|")
  printf "No. Empleado,Nombre,Curso,Fecha de conclusión,Horas\r\n"
  for (i = 0; i < n; i++) {
    nm = name[i % 6 + 1] " " i
    if (i % 10 == 0) nm = "\"" name[i % 6 + 1] ", " i "\""
    printf "%d,%s,%s,%02d/%02d/2021,%d\r\n", 100000 + i, nm, course[i % 4 + 1], i % 28 + 1, i % 10 + 2, i % 40 + 1
  }
}' > "$csv"
bytes=$(stat -c %s "$csv")
cat "$csv" > /dev/null  # warm the page cache: both read from memory

declare -A secs rss
order=()
# measure NAME COMMAND...: wall time and, with GNU time, peak RSS.
measure() {
  local name=$1; shift
  local start end status=0
  order+=("$name")
  start=$(date +%s.%N)
  if [[ -n $gnu_time ]]; then
    "$gnu_time" -f %M -o "$tmp/out/rss" -- "$@" || status=$?
    rss[$name]=$(tail -n 1 "$tmp/out/rss")
  else
    "$@" || status=$?
    rss[$name]=""
  fi
  end=$(date +%s.%N)
  secs[$name]=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  return "$status"
}

echo "bench/csv: timing sqlite3 .import" >&2
measure "sqlite3 -csv .import" sqlite3 -csv "$tmp/fresh.db" ".import $csv t" > "$tmp/out/sqlite.log" 2>&1 \
  || { tail -n 20 "$tmp/out/sqlite.log" >&2; die "sqlite3 .import failed"; }
imported=$(sqlite3 "$tmp/fresh.db" "SELECT count(*) FROM t")
[[ $imported == "$rows" ]] || die "sqlite3 imported $imported rows, expected $rows"

echo "bench/csv: timing the csv plugin alone (csv_harvest_null)" >&2
measure "csv plugin + TableHarvest, no store" "$null_tool" "$csv" employee_id "employee_id=No. Empleado" \
  "name=Nombre" "course=Curso" "occurred_on=Fecha de conclusion" "hours=Horas" > "$tmp/out/null.log" 2>&1 \
  || { tail -n 20 "$tmp/out/null.log" >&2; die "csv_harvest_null failed"; }
grep -qx "rows=$rows emitted=$rows quarantined=0" "$tmp/out/null.log" \
  || { cat "$tmp/out/null.log" >&2; die "csv_harvest_null did not emit every row (its output above)"; }

# The full harvest: only a csv source, one rule, no registry, a fresh state.
run_agent() {
  cat > "$tmp/agent.toml" <<TOML
[agent]
institution = "INM"
program = "PAT-2021"
state_dir = "$tmp/state"
log_level = "warn"

[[source]]
name = "bench"
plugin = "csv"
path = "$csv"
settle = "0s"
key = ["employee_id"]
columns = { employee_id = "No. Empleado", name = "Nombre", course = "Curso", occurred_on = "Fecha de conclusion", hours = "Horas" }

[[rule]]
source = "bench"
kind = "course_certificate"
activity = "1.1.2"
TOML
  echo "bench/csv: timing sseccoe-agent run --once" >&2
  if ! measure "sseccoe-agent run --once" "$agent" --config "$tmp/agent.toml" run --once > "$tmp/out/agent.log" 2>&1; then
    tail -n 20 "$tmp/out/agent.log" >&2
    die "the agent failed (last lines of its output above)"
  fi
  # The agent's time only counts if it stored and classified every row.
  local stored
  stored=$(sqlite3 "file:$tmp/state/agent.db?mode=ro" \
    "SELECT count(*) FROM records WHERE kind = 'course_certificate' AND activity = '1.1.2'")
  [[ $stored == "$rows" ]] || { tail -n 20 "$tmp/out/agent.log" >&2; die "the agent classified $stored rows, expected $rows"; }

  # A second pass over the unchanged file opens nothing.
  echo "bench/csv: timing sseccoe-agent run --once over the unchanged file" >&2
  measure "sseccoe-agent run --once (unchanged)" "$agent" --config "$tmp/agent.toml" run --once \
    > "$tmp/out/agent2.log" 2>&1 || { tail -n 20 "$tmp/out/agent2.log" >&2; die "the second agent pass failed"; }
}
[[ $skip_agent == 1 ]] || run_agent

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo
echo "CSV benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "  data:    $rows rows, $(( bytes / 1048576 )) MiB of UTF-8 CSV, on $(stat -f -c %T "$tmp") ($tmp)"
echo "  machine: ${cpu:-unknown CPU}, $(nproc) CPUs; $(sqlite3 --version | awk '{ print "sqlite3 " $1 }')"
echo
printf '%-40s %9s %11s %10s\n' "tool" "seconds" "rows/s" "max RSS"
for name in "${order[@]}"; do
  awk -v n="$name" -v s="${secs[$name]}" -v r="${rss[$name]}" -v rows="$rows" 'BEGIN {
    printf "%-40s %9.3f %11s %10s\n", n, s, (n ~ /unchanged/ ? "-" : sprintf("%d", s > 0 ? rows / s : 0)),
           (r == "" ? "-" : sprintf("%d MiB", r / 1024))
  }'
done
echo
awk -v p="${secs[csv plugin + TableHarvest, no store]}" -v s="${secs[sqlite3 -csv .import]}" 'BEGIN {
  printf "plugin / sqlite3 .import: %.2f  (reading, decoding, keying and checking rows, without storing them)\n",
         (s > 0 ? p / s : 0)
}'
if [[ $skip_agent != 1 ]]; then
  awk -v a="${secs[sseccoe-agent run --once]}" -v s="${secs[sqlite3 -csv .import]}" 'BEGIN {
    printf "agent / sqlite3 .import:  %.2f  (the agent also classifies each row and commits it durably)\n",
           (s > 0 ? a / s : 0)
  }'
else
  echo "agent: skipped (SKIP_AGENT=1)"
fi
echo "Ratios are time ratios: below 1 is faster than the reference, above 1 slower."
