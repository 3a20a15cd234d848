#!/usr/bin/env bash
# Sync benchmark: how many records per second does the agent move from its
# outbox to a local reference registry, against what that registry can take
# for the very same requests from a load generator (wrk)?
#
#   bench/sync/run.sh [BUILD_DIR]        (default BUILD_DIR: build)
#
# Environment:
#   RECORDS=N        records (one small PDF each), default 2000
#   CONCURRENCY=N    agent [registry] concurrency and wrk threads/connections, default 2
#   TMPDIR=DIR       where the share, state dirs and registries go
#
# One run: the agent harvests RECORDS files with no registry URL (all pending),
# then `run --once` with the URL of registry A is timed. The same records'
# requests (HEAD file, PUT file, PUT record: exactly what the agent sends)
# are replayed by wrk with bench/sync/put.lua against a fresh registry B.
# Both registries are the same binary and configuration. See bench/README.md.
set -euo pipefail

die() { echo "bench/sync: $1" >&2; exit "${2:-1}"; }

build=${1:-build}
records=${RECORDS:-2000}
conc=${CONCURRENCY:-2}
here=$(cd "$(dirname "$0")" && pwd)
[[ $records =~ ^[1-9][0-9]*$ ]] || die "RECORDS must be a positive integer, got '$records'" 2
[[ $conc =~ ^[1-9][0-9]*$ ]] || die "CONCURRENCY must be a positive integer, got '$conc'" 2
(( records >= conc )) || die "RECORDS ($records) must be at least CONCURRENCY ($conc)" 2
for tool in wrk python3 awk; do
  command -v "$tool" >/dev/null || die "'$tool' is not installed (Debian: apt-get install $tool)" 2
done
agent=$(cd "$build/bin" 2>/dev/null && pwd)/sseccoe-agent || true
registry=$(dirname "$agent")/sseccoe-registry
[[ -x $agent && -x $registry ]] || die "no sseccoe-agent and sseccoe-registry in $build/bin: build first, or pass \
the build directory as the first argument" 2

work=$(mktemp -d "${TMPDIR:-/tmp}/sseccoe-bench-sync.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# -- registries ---------------------------------------------------------------
"$registry" token new INM >"$work/token.out" 2>/dev/null || die "sseccoe-registry token new failed"
head -n1 "$work/token.out" >"$work/INM.token"
chmod 600 "$work/INM.token"
start_registry() {  # NAME: starts it (in this shell, so cleanup can stop it) and sets $registry_url
  local name=$1 dir="$work/$1"
  mkdir -p "$dir"
  {
    printf '[server]\nlisten = "127.0.0.1:0"\n\n[storage]\nbackend = "sqlite"\npath = "%s/state"\n\n[log]\nlevel = "warn"\n\n' "$dir"
    tail -n +2 "$work/token.out"
  } >"$dir/registry.toml"
  : >"$dir/stdout"
  "$registry" --config "$dir/registry.toml" serve >"$dir/stdout" 2>"$dir/log" &
  pids+=($!)
  registry_url=""
  for _ in $(seq 1 300); do
    registry_url=$(awk '/^listening on /{print $3; exit}' "$dir/stdout")
    [[ -n $registry_url ]] && break
    sleep 0.1
  done
  [[ -n $registry_url ]] || die "registry $name did not start: $(tail -n 5 "$dir/log")"
}
start_registry a
url_a=$registry_url
start_registry b
url_b=$registry_url

# -- the agent's backlog ------------------------------------------------------
mkdir -p "$work/share/Constancias" "$work/state"
python3 - "$work/share/Constancias" "$records" <<'EOF'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    p = os.path.join(root, f"c{i:06d}.pdf")
    with open(p, "wb") as f:
        f.write(b"%PDF-1.4\n% bench record " + str(i).encode() + b"\n%%EOF\n")
    os.utime(p, (1621015200, 1621015200))  # 2021-05-14: inside the activity's window
EOF
write_config() {  # [URL]
  {
    printf '[agent]\ninstitution = "INM"\nprogram = "PAT-2021"\nstate_dir = "%s/state"\n' "$work"
    if [[ -n ${1:-} ]]; then
      printf '\n[registry]\nurl = "%s/api/v1"\ntoken_file = "%s/INM.token"\nconcurrency = %d\n' "$1" "$work" "$conc"
    fi
    printf '\n[[source]]\nname = "comite"\nplugin = "folder"\npath = "%s/share"\nsettle = "0s"\n' "$work"
    printf '\n[[rule]]\nsource = "comite"\nmatch = { glob = "**/*.pdf" }\nkind = "course_certificate"\nactivity = "1.1.1"\n'
  } >"$work/agent.toml"
}
write_config
"$agent" --config "$work/agent.toml" run --once --json >"$work/harvest.json" 2>"$work/harvest.log" \
  || die "the harvest failed: $(tail -n 5 "$work/harvest.log")"
pending=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["pending"])' "$work/harvest.json")
[[ $pending == "$records" ]] || die "expected $records pending records after the harvest, got $pending"

# The same records for wrk: id, file digest, media type, blob path, JSON.
python3 - "$work/state" "$work/records.tsv" <<'EOF'
import json, sqlite3, sys
state, out = sys.argv[1], sys.argv[2]
db = sqlite3.connect(f"file:{state}/agent.db?mode=ro", uri=True)
with open(out, "w", encoding="utf-8") as f:
    for rid, body in db.execute("SELECT o.record_id, r.body FROM outbox o JOIN records r ON r.id = o.record_id"):
        rec = json.loads(body)
        (file,) = rec["files"]  # one file per record in this benchmark
        sha = file["sha256"]
        f.write("\t".join([rid, sha, file["media_type"], f"{state}/blobs/{sha[:2]}/{sha[2:]}",
                           json.dumps(json.loads(body), separators=(",", ":"))]) + "\n")
EOF

# -- the agent: outbox -> registry A ------------------------------------------
write_config "$url_a"
t0=$(date +%s.%N)
"$agent" --config "$work/agent.toml" run --once --json --max-wait 0s >"$work/sync.json" 2>"$work/sync.log" \
  || die "the agent's sync failed: $(tail -n 5 "$work/sync.log")"
t1=$(date +%s.%N)
registered=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["registered"])' "$work/sync.json")
[[ $registered == "$records" ]] || die "the agent registered $registered of $records records"
agent_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f", b-a}')

# -- wrk: the same requests -> registry B -------------------------------------
mkdir -p "$work/wrk"
wrk -t"$conc" -c"$conc" -d600s -s "$here/put.lua" "$url_b" -- \
  "$work/records.tsv" "$work/INM.token" "$work/wrk" "$conc" >"$work/wrk.out" 2>"$work/wrk.err" &
wrk_pid=$!
pids+=("$wrk_pid")
while (( $(find "$work/wrk" -name 'thread-*' | wc -l) < conc )); do
  kill -0 "$wrk_pid" 2>/dev/null || die "wrk ended early: $(tail -n 5 "$work/wrk.err")"
  sleep 0.2
done
kill -INT "$wrk_pid" 2>/dev/null || true
wait "$wrk_pid" 2>/dev/null || true
read -r wrk_s wrk_records wrk_bad < <(cat "$work"/wrk/thread-* |
  awk '{ if (min == "" || $1 < min) min = $1; if ($2 > max) max = $2; n += $3; bad += $4 }
       END { printf "%.3f %d %d\n", (max - min) / 1e9, n, bad }')
[[ $wrk_records == "$records" ]] || die "wrk sent $wrk_records of $records records"
(( wrk_bad == 0 )) || die "the registry answered $wrk_bad of wrk's requests unexpectedly: $(head -n 3 "$work/wrk.err")"

# -- table ----------------------------------------------------------------------
agent_rps=$(awk -v n="$records" -v s="$agent_s" 'BEGIN{printf "%.1f", n/s}')
wrk_rps=$(awk -v n="$records" -v s="$wrk_s" 'BEGIN{printf "%.1f", n/s}')
echo "sync benchmark: $records records (1 small PDF each; HEAD file, PUT file, PUT record), concurrency $conc"
echo "data on $(df -PT "$work" | awk 'NR==2{print $2}') ($work), $(nproc) CPU(s)"
printf '%-44s %9s %10s\n' "sender" "seconds" "records/s"
printf '%-44s %9s %10s\n' "sseccoe-agent run --once (outbox -> registry)" "$agent_s" "$agent_rps"
printf '%-44s %9s %10s\n' "wrk + put.lua (same requests, fresh registry)" "$wrk_s" "$wrk_rps"
awk -v a="$agent_rps" -v w="$wrk_rps" 'BEGIN{printf "agent / registry capacity: %.2f\n", a/w}'
