#!/usr/bin/env bash
# Hashing benchmark: how fast does the agent harvest (read, SHA-256, store)
# compared with the plain tools on the same files?
#
#   bench/hash/run.sh [BUILD_DIR]        (default BUILD_DIR: build)
#
# Environment:
#   SIZE=MiB         total data, default 2048 (split into FILES equal files)
#   FILES=N          number of files, default 16
#   SKIP_AGENT=1     time only the reference tools (no agent binary needed)
#   TMPDIR=DIR       where the data goes (needs about 3 x SIZE free)
#
# One run, same files for every tool: sha256sum, openssl dgst -sha256, cp of
# the files plus an fsync of each copy (the agent writes every file to its
# blob store and fsyncs it, so this is the fair I/O reference), and
# `sseccoe-agent run --once` with one folder source, no registry (harvest,
# hash and store only) and a fresh state dir.  See bench/README.md.
set -euo pipefail

die() { echo "bench/hash: $1" >&2; exit "${2:-1}"; }

build=${1:-build}
size_mib=${SIZE:-2048}
nfiles=${FILES:-16}
skip_agent=${SKIP_AGENT:-0}
agent="$build/bin/sseccoe-agent"

[[ $size_mib =~ ^[1-9][0-9]*$ ]] || die "SIZE must be a positive number of MiB, got '$size_mib'" 2
[[ $nfiles =~ ^[1-9][0-9]*$ ]] || die "FILES must be a positive integer, got '$nfiles'" 2
per_file_mib=$(( size_mib / nfiles ))
(( per_file_mib >= 1 )) || die "SIZE ($size_mib MiB) must be at least FILES ($nfiles) MiB" 2
total_bytes=$(( per_file_mib * nfiles * 1024 * 1024 ))

for tool in sha256sum openssl cp sync awk df head; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed" 2
done
if [[ $skip_agent != 1 ]]; then
  [[ -x $agent ]] || die "no agent binary at $agent: build it first (cmake --preset release && cmake --build build), \
pass the build directory as the first argument, or set SKIP_AGENT=1 to time the reference tools only" 2
  agent=$(cd "$(dirname "$agent")" && pwd)/$(basename "$agent")
fi
gnu_time=""
if [[ -x /usr/bin/time ]] && /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then gnu_time=/usr/bin/time; fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sseccoe-bench-hash.XXXXXX")
cleanup() { rm -rf -- "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

# Space: the data, its copy, and the agent's blob store.
copies=$(( skip_agent == 1 ? 2 : 3 ))
need_kib=$(( total_bytes * copies / 1024 + 64 * 1024 ))
free_kib=$(df -Pk "$tmp" | awk 'NR == 2 { print $4 }')
(( free_kib >= need_kib )) || die "$tmp has $(( free_kib / 1024 )) MiB free, the benchmark needs $(( need_kib / 1024 )) MiB; \
set TMPDIR to a larger file system or lower SIZE"

data=$tmp/data
mkdir -p "$data" "$tmp/copy" "$tmp/state" "$tmp/out"

# Pseudo-random, incompressible, reproducible: AES-128-CTR of zeros under a fixed
# key, a different IV per file so that no two files (and no blobs) are equal.
echo "bench/hash: writing $nfiles x $per_file_mib MiB of pseudo-random data under $tmp" >&2
files=()
for (( i = 1; i <= nfiles; i++ )); do
  f=$(printf '%s/part-%03d.bin' "$data" "$i")
  head -c $(( per_file_mib * 1024 * 1024 )) /dev/zero \
    | openssl enc -aes-128-ctr -nosalt -K 000102030405060708090a0b0c0d0e0f -iv "$(printf '%032x' "$i")" > "$f"
  files+=("$f")
done
sync -- "${files[@]}"

# No root assumed, so the page cache cannot be dropped: warm it with one read
# pass instead, and every tool then reads from memory.
cat -- "${files[@]}" > /dev/null

declare -A secs rss
order=()
# measure NAME COMMAND...: wall time (date +%s.%N) and, with GNU time, peak RSS.
# Returns the command's status (callers say what failed).
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

echo "bench/hash: timing sha256sum" >&2
measure "sha256sum" sha256sum -- "${files[@]}" > "$tmp/out/sha256sum" || die "sha256sum failed"
echo "bench/hash: timing openssl dgst -sha256" >&2
measure "openssl dgst -sha256" openssl dgst -sha256 -r -- "${files[@]}" > "$tmp/out/openssl" \
  || die "openssl dgst failed"
if ! diff <(awk '{ print $1 }' "$tmp/out/sha256sum") <(awk '{ print $1 }' "$tmp/out/openssl") >/dev/null; then
  die "sha256sum and openssl disagree on a digest: the data or a tool is broken"
fi
echo "bench/hash: timing cp + fsync" >&2
# shellcheck disable=SC2016  # expanded by the inner shell
measure "cp + fsync (I/O reference)" bash -c 'cp -- "$@" "'"$tmp/copy"'/" && sync -- "'"$tmp/copy"'"/* "'"$tmp/copy"'"' _ "${files[@]}" \
  || die "cp or sync failed"

if [[ $skip_agent != 1 ]]; then
  cat > "$tmp/agent.toml" <<TOML
[agent]
institution = "INM"
program = "PAT-2021"
state_dir = "$tmp/state"
log_level = "warn"

[[source]]
name = "bench"
plugin = "folder"
path = "$data"
settle = "0s"
TOML
  echo "bench/hash: timing sseccoe-agent run --once" >&2
  if ! measure "sseccoe-agent run --once" "$agent" --config "$tmp/agent.toml" run --once > "$tmp/out/agent.log" 2>&1; then
    tail -n 20 "$tmp/out/agent.log" >&2
    die "the agent failed (last lines of its output above)"
  fi
  # The agent's time only means something if it stored every file:
  # blobs/<first 2 hex>/<remaining hex>, as architecture.md fixes it.
  missing=0
  while read -r digest _; do
    [[ -f $tmp/state/blobs/${digest:0:2}/${digest:2} ]] || missing=$(( missing + 1 ))
  done < "$tmp/out/sha256sum"
  if (( missing > 0 )); then
    find "$tmp/state" -maxdepth 3 | head -n 20 >&2
    die "the agent finished but $missing of $nfiles files are not in $tmp/state/blobs/ab/cdef... (listing above)"
  fi
fi

# Report.
cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
shani=$(grep -qw sha_ni /proc/cpuinfo 2>/dev/null && echo yes || echo no)
echo
echo "Hashing benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "  data:    $nfiles files x $per_file_mib MiB = $(( total_bytes / 1048576 )) MiB, on $(stat -f -c %T "$tmp") ($tmp)"
echo "  machine: ${cpu:-unknown CPU}, $(nproc) CPUs, SHA extensions: $shani"
echo "  tools:   $(sha256sum --version | head -n 1), $(openssl version)"
echo "  cache:   page cache warmed by one read pass (dropping it needs root); reads come from memory"
echo
printf '%-30s %9s %9s %13s %10s\n' "tool" "seconds" "MB/s" "vs sha256sum" "max RSS"
base=${secs[sha256sum]}
for name in "${order[@]}"; do
  s=${secs[$name]}
  r=${rss[$name]}
  awk -v n="$name" -v s="$s" -v b="$base" -v bytes="$total_bytes" -v r="$r" 'BEGIN {
    mbs = s > 0 ? bytes / 1e6 / s : 0
    printf "%-30s %9.3f %9.1f %13.2f %10s\n", n, s, mbs, (b > 0 ? s / b : 0), (r == "" ? "-" : sprintf("%d MiB", r / 1024))
  }'
done
echo
if [[ $skip_agent != 1 ]]; then
  awk -v a="${secs[sseccoe-agent run --once]}" -v o="${secs[openssl dgst -sha256]}" \
      -v c="${secs[cp + fsync (I/O reference)]}" 'BEGIN {
    printf "agent / openssl:            %.2f  (hashing alone; the agent also writes and fsyncs)\n", (o > 0 ? a / o : 0)
    printf "agent / (openssl + cp):     %.2f  (1.00 = as fast as hashing and copying one after the other)\n", (o + c > 0 ? a / (o + c) : 0)
  }'
else
  echo "agent: skipped (SKIP_AGENT=1)"
fi
echo "Ratios are time ratios: below 1 is faster than the reference, above 1 slower."
