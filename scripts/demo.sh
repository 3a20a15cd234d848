#!/usr/bin/env bash
# The demo: builds, starts a reference registry on a free loopback port with
# a temporary state, generates the demo share (demo/generate.py), runs the
# agent once over it, prints what was registered with its folio and the
# indicator progress, and stops what it started.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/deps.sh
scripts/build.sh
bin=$root/build/bin

tmp=$(mktemp -d /tmp/sseccoe-demo.XXXXXX)
registry_pid=
cleanup() {
  [ -n "$registry_pid" ] && kill "$registry_pid" 2>/dev/null && wait "$registry_pid" 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

echo "== demo data: demo/generate.py -> $tmp/demo"
python3 demo/generate.py "$tmp/demo" >/dev/null

echo "== reference registry"
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

sed -e "s|@SHARE@|$tmp/demo/share|" -e "s|@STATE@|$tmp/state|" -e "s|@REGISTRY_URL@|$url|" \
    -e "s|@TOKEN_FILE@|$tmp/registry.token|" demo/agent.toml.in >"$tmp/agent.toml"
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
