#!/usr/bin/env bash
# Extract benchmark: how fast does the agent read the text of certificate
# PDFs on its out-of-process path (one sseccoe-reader process per document,
# process start included) compared with poppler's own pdftotext, also run
# once per document?
#
#   bench/extract/run.sh [BUILD_DIR]      (default BUILD_DIR: build)
#
# Environment:
#   CERTS=N     certificates, default 300
#   ROUNDS=N    rounds, default 3: the contenders alternate, and each one's
#               fastest round is reported (the machine is shared; see README)
#   TMPDIR=DIR  where the PDFs and the outputs go (about 3 KB each)
#
# One run, the same files for both contenders, one after the other, each in
# the same bash loop (so both pay the same fork and exec): `sseccoe-reader
# pdf FILE` (what DocumentReader::pdf_text runs, minus the limits it sets and
# the JSON it parses, which cost microseconds) and `pdftotext FILE OUT`
# (poppler-utils, the same library and the same reading-order layout). Both
# outputs are checked: every certificate's folio must be in its text.
# See bench/README.md.
set -euo pipefail

die() { echo "bench/extract: $1" >&2; exit "${2:-1}"; }

build=${1:-build}
certs=${CERTS:-300}
rounds=${ROUNDS:-3}
reader="$build/lib/sseccoe-agent/sseccoe-reader"
here=$(cd "$(dirname "$0")" && pwd)

[[ $certs =~ ^[1-9][0-9]*$ ]] || die "CERTS must be a positive integer, got '$certs'" 2
[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive integer, got '$rounds'" 2
for tool in pdftotext python3 awk; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed (pdftotext: Debian package poppler-utils)" 2
done
[[ -x $reader ]] || die "no reader at $reader: build it first (cmake --build build --target sseccoe-reader), \
or pass the build directory as the first argument" 2

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sseccoe-bench-extract.XXXXXX")
cleanup() { rm -rf -- "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$tmp/pdf" "$tmp/reader" "$tmp/pdftotext"

echo "bench/extract: writing $certs certificates to $tmp/pdf" >&2
python3 "$here/gencerts.py" "$certs" "$tmp/pdf" > "$tmp/list.tsv"
bytes=$(du -sb "$tmp/pdf" | awk '{ print $1 }')
mapfile -t names < <(cut -f1 "$tmp/list.tsv")
# Warm the page cache and both programs' shared libraries: both then read
# from memory, and the first file does not pay for loading poppler.
cat "$tmp"/pdf/*.pdf > /dev/null
"$reader" pdf "$tmp/pdf/${names[0]}" > /dev/null
pdftotext "$tmp/pdf/${names[0]}" /dev/null

declare -A secs
order=("sseccoe-reader pdf (per file)" "pdftotext (per file)")
# measure NAME FUNCTION: wall time of the whole loop; keep the fastest round.
measure() {
  local name=$1 start end t
  start=$(date +%s.%N)
  "$2"
  end=$(date +%s.%N)
  t=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }')
  if [[ -z ${secs[$name]:-} ]] || awk -v t="$t" -v best="${secs[$name]}" 'BEGIN { exit !(t < best) }'; then
    secs[$name]=$t
  fi
}
run_reader() {
  local n
  for n in "${names[@]}"; do
    "$reader" pdf "$tmp/pdf/$n" > "$tmp/reader/$n.json" || die "sseccoe-reader failed on $n"
  done
}
run_pdftotext() {
  local n
  for n in "${names[@]}"; do
    pdftotext -enc UTF-8 "$tmp/pdf/$n" "$tmp/pdftotext/$n.txt" || die "pdftotext failed on $n"
  done
}

for (( round = 1; round <= rounds; round++ )); do
  echo "bench/extract: round $round/$rounds: sseccoe-reader pdf, then pdftotext, once per file" >&2
  measure "sseccoe-reader pdf (per file)" run_reader
  measure "pdftotext (per file)" run_pdftotext
done

# A time only counts if the text is right: each folio in its own output.
while IFS=$'\t' read -r name folio; do
  grep -qF "Folio: $folio" "$tmp/reader/$name.json" || die "sseccoe-reader's text of $name lacks 'Folio: $folio'"
  grep -qF "Folio: $folio" "$tmp/pdftotext/$name.txt" || die "pdftotext's text of $name lacks 'Folio: $folio'"
done < "$tmp/list.tsv"

cpu=$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo 2>/dev/null || true)
echo
echo "Extract benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "  data:    $certs one-page certificates, $(( bytes / 1024 )) KiB of PDF, on $(stat -f -c %T "$tmp") ($tmp)"
echo "  machine: ${cpu:-unknown CPU}, $(nproc) CPUs; $(pdftotext -v 2>&1 | head -n 1)"
echo "  times:   the fastest of $rounds alternating rounds"
echo
printf '%-32s %9s %14s %12s\n' "tool" "seconds" "certificates/s" "ms/cert"
for name in "${order[@]}"; do
  awk -v n="$name" -v s="${secs[$name]}" -v c="$certs" 'BEGIN {
    printf "%-32s %9.3f %14.1f %12.2f\n", n, s, (s > 0 ? c / s : 0), 1000 * s / c
  }'
done
echo
awk -v r="${secs[sseccoe-reader pdf (per file)]}" -v p="${secs[pdftotext (per file)]}" 'BEGIN {
  printf "sseccoe-reader / pdftotext: %.2f  (time ratio: below 1 is faster than pdftotext)\n", (p > 0 ? r / p : 0)
}'
