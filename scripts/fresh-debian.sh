#!/usr/bin/env bash
# Checks the README's promise on a machine that has never seen this project:
# a Debian 12 made from nothing with debootstrap ("only the compilers and
# git"), the repository's committed HEAD cloned into it, then
# `scripts/demo.sh` and `scripts/test.sh` run in it one after the other, as a
# newcomer would, then the demo once more (npm installed now, but cut off
# from its registry). For each it records the wall time, the compile steps,
# the Debian packages it installed, the TCP listeners it left behind and the
# processes still running in the chroot; then the report table is printed and
# written to DIR/fresh-debian-report.txt.
#
#   scripts/fresh-debian.sh [DIR]        DIR defaults to /work/fresh-debian-root
#
# Runs as root on a Debian 12 host with debootstrap and a reachable Debian
# mirror. Takes 20-45 min on 2 cores. DIR must not exist yet (a fresh machine
# is the point) and must not be under /tmp: the suite audits /tmp, and the
# chroot's /tmp has to be its own. The chroot is left in place afterwards,
# unmounted; the script prints how to remove it safely. Ctrl-C or
# `kill -TERM -- -PGID` stops it, and its trap still unmounts everything
# (started in the background by a non-interactive shell, SIGINT is ignored:
# use TERM).
#
# Environment (all optional):
#   FRESH_DEBIAN_MIRROR   Debian mirror (default http://deb.debian.org/debian)
#   FRESH_DEBIAN_CACHE    debootstrap's .deb cache, kept across runs so that a
#                         rerun does not download the base system again
#                         (default /work/fresh-debian-cache; "" disables it)
#   FRESH_DEBIAN_REPO     the repository to clone (default: this script's)
set -euo pipefail

repo=${FRESH_DEBIAN_REPO:-$(cd "$(dirname "$0")/.." && pwd)}
DIR=${1:-/work/fresh-debian-root}
mirror=${FRESH_DEBIAN_MIRROR:-http://deb.debian.org/debian}
cache=${FRESH_DEBIAN_CACHE-/work/fresh-debian-cache}

die() { echo "fresh-debian.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "run as root (debootstrap, mount and chroot need it)"
command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || die "debootstrap is not installed (apt-get install debootstrap)"
PATH=$PATH:/usr/sbin:/sbin

# An absolute, normalised path: every safety check below compares prefixes.
case "$DIR" in /*) ;; *) DIR=$(pwd)/$DIR ;; esac
DIR=$(realpath -m "$DIR")
case "$DIR" in
  /|/tmp|/tmp/*|/dev*|/proc*|/sys*|/run*) die "refusing DIR=$DIR: it must be a new directory outside /tmp and the system's own trees" ;;
esac
[ ! -e "$DIR" ] || [ -z "$(ls -A "$DIR" 2>/dev/null)" ] ||
  die "$DIR already exists and is not empty: a fresh machine is the point. Remove it first, safely:
  findmnt -rno TARGET | grep -F '$DIR/'   # must print nothing (a bind-mounted /dev would be deleted with it)
  rm -rf --one-file-system '$DIR'"

# Everything below DIR that is mounted right now (targets, one a line).
mounts_below() { findmnt -rno TARGET | awk -v d="$DIR/" 'index($0, d) == 1' || true; }
[ -z "$(mounts_below)" ] || die "something is already mounted below $DIR: $(mounts_below | tr '\n' ' ')"

# --- mounts, and the trap that always undoes them -------------------------
mounted=()   # in mount order; the trap unmounts in reverse
mnt() {      # mnt TARGET MOUNT-ARGS...
  local target=$DIR$1; shift
  mkdir -p "$target"
  mount "$@" "$target"
  mounted+=("$target")   # before anything else can fail: the trap must see it
  # Private, so that nothing mounted under a bind (e.g. DIR/dev/shm) ever
  # propagates back onto the host's own tree (/dev/shm).
  mount --make-private "$target"
}

# Processes whose root directory is the chroot: whatever the project's
# scripts started and did not stop. Printed as "PID COMMAND LINE".
chroot_processes() {
  local p root
  for p in /proc/[0-9]*; do
    root=$(readlink "$p/root" 2>/dev/null) || continue
    [ "$root" = "$DIR" ] || continue
    printf '%s %s\n' "${p#/proc/}" "$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null | cut -c1-160)"
  done
}

cleanup() {
  local rc=$?
  set +e
  # A process left in the chroot would keep its mounts busy. Report it (it
  # is a finding), then end it: they were all started by this script.
  local left; left=$(chroot_processes)
  if [ -n "$left" ]; then
    echo "fresh-debian.sh: processes still running in the chroot at exit (ended now):" >&2
    sed 's/^/  /' <<<"$left" >&2
    awk '{print $1}' <<<"$left" | while read -r pid; do kill "$pid" 2>/dev/null; done
    sleep 2
    awk '{print $1}' <<<"$left" | while read -r pid; do kill -9 "$pid" 2>/dev/null; done
  fi
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" ||
      echo "fresh-debian.sh: could not unmount ${mounted[i]}" >&2
  done
  # Anything mounted below DIR by the project's scripts themselves as well.
  local extra; extra=$(mounts_below | sort -r)
  if [ -n "$extra" ]; then
    echo "fresh-debian.sh: also mounted below $DIR (unmounting): $extra" >&2
    while read -r m; do umount -l "$m"; done <<<"$extra"
  fi
  if [ -n "$(mounts_below)" ]; then
    echo "fresh-debian.sh: STILL MOUNTED below $DIR, do NOT remove it: $(mounts_below | tr '\n' ' ')" >&2
    rc=1
  elif [ -d "$DIR" ]; then
    echo "fresh-debian.sh: nothing is mounted below $DIR (findmnt). The chroot is kept ($(du -sh --one-file-system "$DIR" 2>/dev/null | cut -f1)); to remove it:"
    echo "  findmnt -rno TARGET | grep -F '$DIR/' || rm -rf --one-file-system '$DIR'"
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- 1. a minimal Debian 12 ------------------------------------------------
mkdir -p "$DIR"
out=$DIR/fresh-debian     # logs and lists, outside the chroot's own trees
mkdir -p "$out"
t0=$(date +%s)
echo "== debootstrap bookworm into $DIR (minbase + g++ make git ca-certificates; a few minutes)"
cache_args=()
[ -n "$cache" ] && { mkdir -p "$cache"; cache_args=(--cache-dir="$cache"); }
debootstrap --variant=minbase --include=g++,make,git,ca-certificates "${cache_args[@]}" \
  bookworm "$DIR" "$mirror" >"$out/debootstrap.log" 2>&1 ||
  { tail -n 30 "$out/debootstrap.log" >&2; die "debootstrap failed (all of it in $out/debootstrap.log)"; }
bootstrap_s=$(( $(date +%s) - t0 ))
echo "   done in ${bootstrap_s} s"

# --- 2. what a real machine has mounted -----------------------------------
# proc and sysfs of their own; the host's /dev and /dev/pts bound (a pty is
# a host device either way); /dev/shm a tmpfs of its own (PostgreSQL's
# shared memory). /tmp is the chroot's own directory on its disk, as on a
# default Debian 12: the suite's /tmp audit must look at the chroot's /tmp,
# never the host's.
mnt /proc -t proc proc
mnt /sys -t sysfs sysfs
mnt /dev --bind /dev
mnt /dev/pts --bind /dev/pts
mnt /dev/shm -t tmpfs -o mode=1777,nosuid,nodev tmpfs
chmod 1777 "$DIR/tmp"
# The host's resolver, so that apt and npm resolve names.
cp -L /etc/resolv.conf "$DIR/etc/resolv.conf"
# This host reaches HTTPS through an intercepting proxy whose CA is in its
# own trust store (/usr/local/share/ca-certificates); a real machine on this
# network has it too. apt uses plain http and never needs it; npm does.
# Copying the CA is the network's property, not a package: nothing installed.
ca_copied=()
for crt in /usr/local/share/ca-certificates/*.crt; do
  [ -f "$crt" ] || continue
  mkdir -p "$DIR/usr/local/share/ca-certificates"
  cp "$crt" "$DIR/usr/local/share/ca-certificates/"
  ca_copied+=("$(basename "$crt")")
done
# inchroot COMMAND...: a clean login-like environment (no variable of this
# host's session leaks in), root, in the chroot.
inchroot() {
  chroot "$DIR" /usr/bin/env -i HOME=/root USER=root LOGNAME=root SHELL=/bin/bash TERM=dumb \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "$@"
}
[ ${#ca_copied[@]} -eq 0 ] || inchroot update-ca-certificates >"$out/update-ca-certificates.log" 2>&1

# --- 3. the project, as committed, and ../shared beside it -----------------
# The committed HEAD, not the working tree: what a newcomer clones.
commit=$(git -C "$repo" rev-parse HEAD)
git clone -q --no-hardlinks "$repo" "$DIR/src/main"
git -C "$DIR/src/main" checkout -q "$commit"
# CI has ../shared beside the checkout; tests read ../shared/seed.
[ -d "$repo/../shared" ] && cp -a "$repo/../shared" "$DIR/src/shared"
echo "== cloned $repo at $commit into $DIR/src/main"

# --- measurement helpers ---------------------------------------------------
packages() { inchroot dpkg-query -W -f '${Package}\n' | sort -u; }
# TCP listeners of the whole host (the chroot shares its network namespace),
# "ADDRESS:PORT PROCESS" one a line; the process tells whose it is.
listeners() { ss -Hltnp | awk '{ a = $4; $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); print a, $0 }' | sort -u; }
# Listeners that appeared since BEFORE, each marked with whether its process
# lives in the chroot (the project's) or on the host (someone else's).
new_listeners() {  # new_listeners BEFORE-FILE AFTER-FILE
  local line pid root
  comm -13 <(awk '{print $1}' "$1" | sort -u) <(awk '{print $1}' "$2" | sort -u) | while read -r addr; do
    line=$(grep -m1 -F "$addr " "$2")
    pid=$(grep -o 'pid=[0-9]*' <<<"$line" | head -n1 | cut -d= -f2)
    root=$( [ -n "$pid" ] && readlink "/proc/$pid/root" 2>/dev/null || echo '?')
    if [ "$root" = "$DIR" ]; then echo "IN CHROOT: $line"; else echo "host (root $root, not ours): $line"; fi
  done
}
compile_steps() { grep -c 'Building CXX object' "$1" 2>/dev/null || true; }
objects() { sed -n 's/.*Building CXX object //p' "$1" 2>/dev/null | sort -u; }
object_mtimes() { (cd "$DIR/src/main" && find build -name '*.o' -printf '%p %T@\n' 2>/dev/null | sort); }
server_processes() { chroot_processes | grep -E 'dovecot|postgres|postmaster|imap' || true; }
tmp_leftovers() { find "$DIR/tmp" -mindepth 1 -maxdepth 1 -name 'sseccoe*' -printf '%f\n'; }

# run_step NAME ENV... -- COMMAND: runs COMMAND in /src/main in the chroot
# with ENV, output shown and kept in $out/NAME.log; sets step_rc, step_s.
run_step() {
  local name=$1; shift
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  local start; start=$(date +%s)
  step_rc=0
  inchroot "${envs[@]}" bash -c "cd /src/main && $*" 2>&1 | tee "$out/$name.log" || step_rc=${PIPESTATUS[0]}
  step_s=$(( $(date +%s) - start ))
}

# --- 4. scripts/demo.sh ----------------------------------------------------
packages >"$out/packages-0-fresh.txt"
listeners >"$out/listeners-0-before.txt"
echo
echo "== [chroot] scripts/demo.sh   (npm_config_registry=http://127.0.0.1:9/: an npm that cannot reach its registry)"
run_step demo npm_config_registry=http://127.0.0.1:9/ -- scripts/demo.sh
demo_rc=$step_rc demo_s=$step_s
sleep 1   # let a server the script stopped finish closing its socket
packages >"$out/packages-1-after-demo.txt"
listeners >"$out/listeners-1-after-demo.txt"
new_listeners "$out/listeners-0-before.txt" "$out/listeners-1-after-demo.txt" >"$out/listeners-new-after-demo.txt"
comm -13 "$out/packages-0-fresh.txt" "$out/packages-1-after-demo.txt" >"$out/packages-installed-by-demo.txt"
chroot_processes >"$out/processes-after-demo.txt"
cp "$DIR/src/main/build/logs/compiling-product.log" "$out/compiling-product.log" 2>/dev/null || : >"$out/compiling-product.log"
object_mtimes >"$out/objects-after-demo.txt"
tmp_leftovers >"$out/tmp-after-demo.txt"

# --- 5. scripts/test.sh ----------------------------------------------------
# npm must reach its registry normally here: on this network that takes the
# proxy's CA, given to node the way this host's own sessions do (README:
# "set NODE_EXTRA_CA_CERTS to a proxy's CA file").
test_env=()
[ ${#ca_copied[@]} -eq 0 ] || test_env=(NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt)
echo
echo "== [chroot] scripts/test.sh   (${test_env[*]:-no extra environment})"
run_step test "${test_env[@]}" -- scripts/test.sh
test_rc=$step_rc test_s=$step_s
sleep 1
packages >"$out/packages-2-after-test.txt"
listeners >"$out/listeners-2-after-test.txt"
new_listeners "$out/listeners-0-before.txt" "$out/listeners-2-after-test.txt" >"$out/listeners-new-after-test.txt"
comm -13 "$out/packages-1-after-demo.txt" "$out/packages-2-after-test.txt" >"$out/packages-installed-by-test.txt"
chroot_processes >"$out/processes-after-test.txt"
cp "$DIR/src/main/build/logs/compiling-all.log" "$out/compiling-all.log" 2>/dev/null || : >"$out/compiling-all.log"
object_mtimes >"$out/objects-after-test.txt"
tmp_leftovers >"$out/tmp-after-test.txt"

# --- 5b. scripts/demo.sh again, now that npm IS installed -------------------
# The first demo ran before npm existed on the machine; this one proves the
# demo does not touch npm even where npm is there and cannot reach its
# registry, and that a second run is quick: nothing to install or compile.
echo
echo "== [chroot] scripts/demo.sh again   (npm installed now; npm_config_registry=http://127.0.0.1:9/)"
run_step demo-again npm_config_registry=http://127.0.0.1:9/ -- scripts/demo.sh
again_rc=$step_rc again_s=$step_s
sleep 1
packages >"$out/packages-3-after-demo-again.txt"
listeners >"$out/listeners-3-after-demo-again.txt"
new_listeners "$out/listeners-0-before.txt" "$out/listeners-3-after-demo-again.txt" >"$out/listeners-new-after-demo-again.txt"
comm -13 "$out/packages-2-after-test.txt" "$out/packages-3-after-demo-again.txt" >"$out/packages-installed-by-demo-again.txt"
chroot_processes >"$out/processes-after-demo-again.txt"
again_steps=$(compile_steps "$DIR/src/main/build/logs/compiling-product.log")
tmp_leftovers >"$out/tmp-after-demo-again.txt"

# The product objects the demo compiled that test.sh compiled again: by the
# two logs, and by the object files' modification times.
comm -12 <(objects "$out/compiling-product.log") <(objects "$out/compiling-all.log") >"$out/recompiled-by-log.txt"
join <(cat "$out/objects-after-demo.txt") <(cat "$out/objects-after-test.txt") |
  awk '$2 != $3 {print $1}' >"$out/recompiled-by-mtime.txt"
ctest_line=$(grep -E 'tests passed|tests failed out of' "$out/test.log" | tail -n1 || true)
ctest_failed=$(sed -n '/The following tests FAILED/,$p' "$out/test.log" | grep -E '^\s+[0-9]+ - ' || true)

# --- 6. the report ---------------------------------------------------------
n() { grep -c . "$1" || true; }
list() { if [ -s "$1" ]; then tr '\n' ' ' <"$1" | fold -s -w 100 | sed 's/^/      /'; echo; else echo "      (none)"; fi; }
status() { [ "$1" -eq 0 ] && echo "ok" || echo "FAILED (exit $1)"; }
{
  echo "fresh-debian.sh report: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "  repository   $repo at $commit (committed HEAD, cloned)"
  echo "  chroot       $DIR: debootstrap --variant=minbase --include=g++,make,git,ca-certificates bookworm ($(n "$out/packages-0-fresh.txt") packages, ${bootstrap_s} s)"
  echo "  network      host's resolv.conf; proxy CA copied into the chroot's trust store: ${ca_copied[*]:-none}"
  echo
  printf '  %-34s %-24s %-24s\n' "" "scripts/demo.sh" "scripts/test.sh"
  printf '  %-34s %-24s %-24s\n' "result" "$(status "$demo_rc")" "$(status "$test_rc")"
  printf '  %-34s %-24s %-24s\n' "wall time" "${demo_s} s ($((demo_s / 60)) min $((demo_s % 60)) s)" "${test_s} s ($((test_s / 60)) min $((test_s % 60)) s)"
  printf '  %-34s %-24s %-24s\n' "compile steps (CXX objects built)" "$(compile_steps "$out/compiling-product.log")" "$(compile_steps "$out/compiling-all.log")"
  printf '  %-34s %-24s %-24s\n' "Debian packages installed" "$(n "$out/packages-installed-by-demo.txt")" "$(n "$out/packages-installed-by-test.txt") more"
  printf '  %-34s %-24s %-24s\n' "new TCP listeners (ss -ltn)" "$(grep -c '^IN CHROOT' "$out/listeners-new-after-demo.txt" || true) in chroot" "$(grep -c '^IN CHROOT' "$out/listeners-new-after-test.txt" || true) in chroot"
  printf '  %-34s %-24s %-24s\n' "processes left in chroot" "$(n "$out/processes-after-demo.txt")" "$(n "$out/processes-after-test.txt")"
  printf '  %-34s %-24s %-24s\n' "dovecot/postgres running" "$(grep -cE 'dovecot|postgres' "$out/processes-after-demo.txt" || true)" "$(grep -cE 'dovecot|postgres' "$out/processes-after-test.txt" || true)"
  printf '  %-34s %-24s %-24s\n' "/tmp/sseccoe-* in chroot after" "$(n "$out/tmp-after-demo.txt")" "$(n "$out/tmp-after-test.txt")"
  echo
  echo "  scripts/demo.sh again after test.sh (npm installed, its registry unreachable): $(status "$again_rc"), ${again_s} s,"
  echo "    ${again_steps} compile steps, $(n "$out/packages-installed-by-demo-again.txt") packages installed, $(grep -c '^IN CHROOT' "$out/listeners-new-after-demo-again.txt" || true) new listeners in chroot, $(n "$out/processes-after-demo-again.txt") processes left, $(n "$out/tmp-after-demo-again.txt") /tmp/sseccoe-* left"
  echo "  ctest: ${ctest_line:-(no summary line: see $out/test.log)}"
  [ -z "$ctest_failed" ] || { echo "  failed tests:"; sed 's/^/    /' <<<"$ctest_failed"; }
  echo "  product objects compiled by the demo and again by test.sh: $(n "$out/recompiled-by-log.txt") by the logs, $(n "$out/recompiled-by-mtime.txt") by the .o files' mtimes"
  echo
  echo "  packages installed by demo.sh:"; list "$out/packages-installed-by-demo.txt"
  echo "  packages installed by test.sh:"; list "$out/packages-installed-by-test.txt"
  for s in demo test; do
    echo "  ss -ltn after $s.sh, listeners that were not there before it started:"
    if [ -s "$out/listeners-new-after-$s.txt" ]; then sed 's/^/      /' "$out/listeners-new-after-$s.txt"; else echo "      (none)"; fi
    [ ! -s "$out/processes-after-$s.txt" ] || { echo "  processes still running in the chroot after $s.sh:"; sed 's/^/      /' "$out/processes-after-$s.txt"; }
  done
  echo "  ls -A /tmp in the chroot at the end: $(ls -A "$DIR/tmp" | tr '\n' ' ')"
  echo
  echo "  logs and lists: $out/ (demo.log, test.log, compiling-*.log, packages-*.txt, listeners-*.txt)"
} | tee "$DIR/fresh-debian-report.txt"

[ "$demo_rc" -eq 0 ] && [ "$test_rc" -eq 0 ] && [ "$again_rc" -eq 0 ]
