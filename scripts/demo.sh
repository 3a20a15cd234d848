#!/usr/bin/env bash
# The demo: builds, starts a reference registry on a free loopback port with
# a temporary state, generates the demo data set (demo/generate.py: the
# committee's shared folder, its mailbox, HR's exports), runs the agent once
# over it, prints what was registered with its folio and the indicator
# progress, checks agent and registry against the data set's EXPECTED.json
# (demo/verify.py), and stops what it started.
#
# With SSECCOE_BUILD_DIR set to a build directory that already holds the
# binaries and plugins (bin/, lib/sseccoe-agent/plugins/), the dependency
# and build steps are skipped and that build is used.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ -n "${SSECCOE_BUILD_DIR:-}" ]; then
  bin=$(cd "$SSECCOE_BUILD_DIR" && pwd)/bin
  [ -x "$bin/sseccoe-agent" ] && [ -x "$bin/sseccoe-registry" ] ||
    { echo "demo.sh: $bin has no sseccoe-agent and sseccoe-registry: build them, or unset SSECCOE_BUILD_DIR" >&2; exit 1; }
else
  # Only what the demo needs: the build and python3/pdftotext; no server,
  # no npm. Then only the product (binaries and plugins); scripts/test.sh
  # builds the rest in the same tree without recompiling any of it.
  scripts/deps.sh demo
  scripts/build.sh product
  bin=$root/build/bin
fi

tmp=$(mktemp -d /tmp/sseccoe-demo.XXXXXX)
registry_pid=
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

echo "== demo data: demo/generate.py -> $tmp/demo"
python3 demo/generate.py "$tmp/demo" | sed -e "s|^|  |"
echo "  share/  the committee's shared folder (certificates, posters)  -> source comite"
echo "  mail/   the committee's mailbox, a Maildir                     -> source buzon"
echo "  rh/     HR exports: census, training list, pledges             -> sources censo, capacitacion, cartas"

echo; echo "== reference registry"
token_out=$("$bin/sseccoe-registry" token new INM 2>/dev/null)
head -n1 <<<"$token_out" >"$tmp/registry.token"
chmod 600 "$tmp/registry.token"
cat >"$tmp/registry.toml" <<TOML
[server]
listen = "127.0.0.1:0"

[storage]
backend = "sqlite"
path = "$tmp/registry"

$(tail -n +2 <<<"$token_out")
TOML
mkfifo "$tmp/registry.out"
"$bin/sseccoe-registry" --config "$tmp/registry.toml" serve >"$tmp/registry.out" 2>"$tmp/registry.log" &
registry_pid=$!
exec 3<"$tmp/registry.out"
read -r -t 20 line <&3 || { echo "the registry did not start:"; cat "$tmp/registry.log"; exit 1; }
url=${line#listening on }/api/v1
echo "registry at $url"

sed -e "s|@SHARE@|$tmp/demo/share|" -e "s|@MAIL@|$tmp/demo/mail|" -e "s|@HR@|$tmp/demo/rh|" \
    -e "s|@STATE@|$tmp/state|" -e "s|@REGISTRY_URL@|$url|" -e "s|@TOKEN_FILE@|$tmp/registry.token|" \
    demo/agent.toml.in >"$tmp/agent.toml"
agent() { "$bin/sseccoe-agent" --config "$tmp/agent.toml" "$@"; }

echo; echo "== sseccoe-agent check-config"
agent check-config
echo; echo "== sseccoe-agent run --once"
agent --log-level warn run --once
echo; echo "== registered (sseccoe-agent records list --status synced)"
agent records list --status synced
echo; echo "== not sent: no rule matched (sseccoe-agent unclassified list)"
agent unclassified list
echo; echo "== indicator progress (sseccoe-agent report)"
agent report
echo; echo "== check: the agent's records and the registry's against EXPECTED.json (demo/verify.py)"
python3 demo/verify.py "$tmp/demo" --config demo/agent.toml.in --agent "$bin/sseccoe-agent" \
    --agent-config "$tmp/agent.toml" --registry-url "$url" --token-file "$tmp/registry.token"
