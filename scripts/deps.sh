#!/usr/bin/env bash
# Installs what is missing, and only that: quiet and quick when everything is
# there. Called by scripts/demo.sh (`deps.sh demo`) and scripts/test.sh
# (`deps.sh test`); safe to run by hand.
#
#   deps.sh demo   the build (compilers, CMake, the libraries) and what the
#                  demo runs (python3, pdftotext). No server, no npm.
#   deps.sh test   the demo's, plus what the test suite uses: Dovecot and
#                  PostgreSQL (installed, never started or enabled: each
#                  test starts its own on 127.0.0.1 and stops it), mbsync,
#                  sqlite3, ytnef, and the npm tools of tools/package.json
#                  (Redocly, Prism) in tools/node_modules, never globally.
#
# SSECCOE_SKIP_NPM=1 skips the npm tools (a machine whose npm cannot reach
# its registry): the OpenAPI lint and the Prism contract tests then skip
# with that reason, and fail under CI=true.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
# shellcheck source=lib.sh
. "$here/scripts/lib.sh"
profile=${1:-test}
case "$profile" in demo|test) ;; *) echo "usage: deps.sh [demo|test]" >&2; exit 2 ;; esac

# libcurl4-gnutls-dev: chosen when libetpan was a candidate for IMAP (its -dev
# package depends on the GnuTLS flavour). The IMAP plugin now speaks IMAP
# itself over OpenSSL (plugins/imap/README.md); libcurl's CA options behave
# the same with either back end, so the flavour stays. libgtest-dev and
# libgmock-dev are in the build set because the demo and the tests share one
# configured build tree (scripts/build.sh).
BUILD_PACKAGES=(
  cmake g++ ninja-build pkg-config make
  libpoco-dev libcurl4-gnutls-dev libssl-dev nlohmann-json3-dev libspdlog-dev
  libgtest-dev libgmock-dev libtomlplusplus-dev libsqlite3-dev libpq-dev
  libmagic-dev libsystemd-dev libutf8proc-dev
  libgmime-3.0-dev libpango1.0-dev libcairo2-dev libuchardet-dev libre2-dev libytnef0-dev
  libpoppler-cpp-dev libexif-dev
  fonts-dejavu-core python3 poppler-utils
)
TEST_PACKAGES=(
  dovecot-imapd isync postgresql sqlite3 openssl procps util-linux wrk ytnef-tools qpdf nodejs npm
)
# Servers among them: installed for the tests' own instances only.
SERVERS=(dovecot-imapd postgresql)
SERVER_UNITS=(dovecot.service postgresql.service)

wanted=("${BUILD_PACKAGES[@]}")
[ "$profile" = test ] && wanted+=("${TEST_PACKAGES[@]}")

missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# A machine image may ship node/npm outside dpkg (e.g. /usr/bin/node from a
# tarball); do not fight it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  keep=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || keep+=("$p"); done
  missing=("${keep[@]+"${keep[@]}"}")
fi

SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
# Stops the maintainer scripts of the packages being installed from starting
# any service (Debian's policy-rc.d convention, invoke-rc.d(8)): installing
# dovecot-imapd must not leave an IMAP server listening on every interface.
policy=/usr/sbin/policy-rc.d
our_policy=
block_service_starts() {
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\n# sseccoe-agent scripts/deps.sh: no service starts during its install\nexit 101\n' \
      | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
    our_policy=1
  fi
}
allow_service_starts() { [ -n "$our_policy" ] && $SUDO rm -f "$policy"; our_policy=; }
trap allow_service_starts EXIT

if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  new_servers=()
  for s in "${SERVERS[@]}"; do [[ " ${missing[*]} " == *" $s "* ]] && new_servers+=("$s"); done
  echo "deps ($profile): ${#missing[@]} Debian package(s) missing: ${missing[*]}"
  apt_hint="check the network and /etc/apt/sources.list, then 'sudo apt-get update'; behind a proxy set Acquire::http::Proxy in /etc/apt/apt.conf.d/"
  step "apt-get update" "10-40 s" "$apt_hint" "^$" -- $SUDO apt-get update
  [ ${#new_servers[@]} -gt 0 ] && block_service_starts
  step "installing Debian packages" "1-4 min on a fresh machine, with their dependencies" \
    "$apt_hint; 'sudo dpkg --configure -a' if an earlier install was interrupted" \
    "^(Setting up|E:)" -- $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
  allow_service_starts
  if [ ${#new_servers[@]} -gt 0 ]; then
    # Installed now, so not the administrator's: never started at boot
    # either. The tests start their own instances on 127.0.0.1.
    if command -v systemctl >/dev/null; then
      for u in "${SERVER_UNITS[@]}"; do
        $SUDO systemctl disable --now "$u" >/dev/null 2>&1 || true
      done
    else
      # No systemctl (a chroot or container, e.g. debootstrap's): the
      # postinsts still enabled the units and SysV links for a later boot.
      # update-rc.d disable removes both (multi-user.target.wants, S->K).
      for u in "${SERVER_UNITS[@]}"; do
        $SUDO update-rc.d "${u%.service}" disable >/dev/null 2>&1 || true
      done
    fi
    echo "    ${new_servers[*]}: installed for the tests' own instances; not started, not enabled"
  fi
fi

# npm tools for the contract tests (OpenAPI lint, validating proxy), pinned in
# tools/package.json and installed into tools/node_modules, never globally.
if [ "$profile" = test ]; then
  if [ "${SSECCOE_SKIP_NPM:-0}" = 1 ]; then
    echo "deps: SSECCOE_SKIP_NPM=1: npm tools not installed; the OpenAPI lint and Prism contract tests will skip"
  elif [ ! -x "$here/tools/node_modules/.bin/redocly" ] || [ ! -x "$here/tools/node_modules/.bin/prism" ] \
     || [ "$here/tools/package.json" -nt "$here/tools/node_modules/.installed" ]; then
    step "npm tools for the contract tests (tools/package.json)" "20-60 s" \
      "npm could not install them: behind a proxy with its own CA, point NODE_EXTRA_CA_CERTS at the CA's PEM file (and 'npm config set proxy URL'); or run with SSECCOE_SKIP_NPM=1, which skips only the OpenAPI lint and the Prism contract tests (they then skip with that reason)" \
      "^(npm ERR!|added )" -- bash -c "cd '$here/tools' && npm install --no-audit --no-fund --loglevel=error && touch node_modules/.installed"
  fi
fi
