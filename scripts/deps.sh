#!/usr/bin/env bash
# Installs the Debian packages and npm tools the build, the tests and the demo
# need, and only those that are missing: silent and quick when all are there.
# Called by scripts/demo.sh and scripts/test.sh; safe to run by hand.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

# libcurl4-gnutls-dev: chosen when libetpan was a candidate for IMAP (its -dev
# package depends on the GnuTLS flavour). The IMAP plugin now speaks IMAP
# itself over OpenSSL (plugins/imap/README.md); libcurl's CA options behave
# the same with either back end, so the flavour stays.
APT_PACKAGES=(
  cmake g++ ninja-build pkg-config make
  libpoco-dev libcurl4-gnutls-dev libssl-dev nlohmann-json3-dev libspdlog-dev
  libgtest-dev libgmock-dev libtomlplusplus-dev libsqlite3-dev libpq-dev
  libmagic-dev libsystemd-dev libutf8proc-dev
  libgmime-3.0-dev libpango1.0-dev libcairo2-dev libuchardet-dev libre2-dev libytnef0-dev ytnef-tools
  dovecot-imapd isync postgresql fonts-dejavu-core
  sqlite3 openssl python3 nodejs npm procps util-linux poppler-utils wrk
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# A machine image may ship node/npm outside dpkg (e.g. /usr/bin/node from a
# tarball); do not fight it.
if command -v node >/dev/null && command -v npm >/dev/null; then
  tmp=(); for p in "${missing[@]}"; do [[ $p == nodejs || $p == npm ]] || tmp+=("$p"); done
  missing=("${tmp[@]+"${tmp[@]}"}")
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "deps: installing ${missing[*]}" >&2
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm tools for the contract tests (OpenAPI lint, validating proxy), pinned in
# tools/package.json and installed into tools/node_modules, never globally.
if [ "${SSECCOE_SKIP_NPM:-0}" != 1 ]; then
  if [ ! -x "$here/tools/node_modules/.bin/redocly" ] || [ ! -x "$here/tools/node_modules/.bin/prism" ] \
     || [ "$here/tools/package.json" -nt "$here/tools/node_modules/.installed" ]; then
    echo "deps: installing npm tools into tools/node_modules" >&2
    (cd "$here/tools" && npm install --no-audit --no-fund --loglevel=error >/dev/null && touch node_modules/.installed)
  fi
fi
