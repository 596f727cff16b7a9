#!/usr/bin/env bash
# The read-replica figures of docs/deployment.md, on one machine: a primary and a hot standby (scripts/postgres.sh
# start / standby) holding the demo scenario, `ceasefire serve` once without and once with --read-replica, then
#   1. replication lag: for each of N reports POSTed (monitor key), the time from the response (the write committed
#      on the primary) until the standby's log reaches the sequence the response carried (X-Ceasefire-Log-Sequence),
#      polled through one psql session; and PostgreSQL's own replay_lag (pg_stat_replication) for comparison;
#   2. read throughput of GET /api/reports?limit=50 (wrk) against the server without and with the replica.
#
#   scripts/replica-figures.sh            # needs a Release build: dotnet build src/Ceasefire.Cli -c Release
#
# Environment: FIGURES_DIR (default /tmp/ceasefire-figures; deleted at the end), FIGURES_POSTS (default 200),
# FIGURES_SECONDS (wrk duration, default 20), FIGURES_CONNECTIONS (default 16).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir=${FIGURES_DIR:-/tmp/ceasefire-figures}
posts=${FIGURES_POSTS:-200}
seconds=${FIGURES_SECONDS:-20}
connections=${FIGURES_CONNECTIONS:-16}
cli=(dotnet "$root/src/Ceasefire.Cli/bin/Release/net10.0/ceasefire.dll")
[[ -f ${cli[1]} ]] || { echo "build first: dotnet build src/Ceasefire.Cli -c Release" >&2; exit 1; }
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 1; }
export CEASEFIRE_PG_SHARED_BUFFERS=${CEASEFIRE_PG_SHARED_BUFFERS:-512MB}

pids=()
cleanup() {
    [[ -n ${PSQL_PID:-} ]] && kill "$PSQL_PID" 2>/dev/null
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
    CEASEFIRE_PG_DIR="$dir/standby" "$root/scripts/postgres.sh" stop 2>/dev/null || true
    CEASEFIRE_PG_DIR="$dir/primary" "$root/scripts/postgres.sh" stop 2>/dev/null || true
    rm -rf -- "$dir"
}
trap cleanup EXIT

primary=$(CEASEFIRE_PG_DIR="$dir/primary" "$root/scripts/postgres.sh" start)
standby=$(CEASEFIRE_PG_DIR="$dir/standby" CEASEFIRE_PG_PRIMARY_DIR="$dir/primary" "$root/scripts/postgres.sh" standby)
"${cli[@]}" demo --store "$primary" >/dev/null
key=$("${cli[@]}" apikey add figures --store "$primary" --role monitor 2>/dev/null)

serve() { # port [replica]
    local args=(serve --store "$primary" --port "$1")
    [[ -n ${2:-} ]] && args+=(--read-replica "$2")
    "${cli[@]}" "${args[@]}" >"$dir/serve-$1.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do
        curl -fs "http://127.0.0.1:$1/api/reports?limit=1" >/dev/null && return
        sleep 0.2
    done
    echo "the server on port $1 did not start" >&2
    cat "$dir/serve-$1.log" >&2
    exit 1
}
serve 5181
serve 5182 "$standby"

port_of() { sed -E 's/.*Port=([0-9]+).*/\1/' <<<"$1"; }
coproc PSQL { psql -X -A -t -q -h 127.0.0.1 -p "$(port_of "$standby")" -U postgres -d ceasefire; }

measure_lag() { # label first-id
    echo "== replication lag, $1: $posts reports posted to the server with the replica"
    local lags=() i body seq t0 t1 seen
    for i in $(seq "$2" $(($2 + posts - 1))); do
        body=$(printf '{"id": "LAG-%05d", "time": {"at": "2025-03-28T10:20:00+03:00"}, "location": {"lon": 36.23, "lat": 49.99, "precision": "settlement", "radius_km": 5, "place": "Kharkiv"}, "act": "shelling_artillery_missile", "target": "energy.transmission", "perpetrator": "RU", "source": "figures", "grade": "B2"}' "$i")
        seq=$(curl -fs -o /dev/null -D - -H "X-Api-Key: $key" -H 'Content-Type: application/json' --data "$body" http://127.0.0.1:5182/api/reports |
            tr -d '\r' | awk -F': ' 'tolower($1) == "x-ceasefire-log-sequence" { print $2 }')
        t0=$EPOCHREALTIME
        while :; do
            echo "SELECT coalesce(max(seq), 0) FROM log;" >&"${PSQL[1]}"
            read -r seen <&"${PSQL[0]}"
            ((seen >= seq)) && break
        done
        t1=$EPOCHREALTIME
        lags+=("$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) * 1000 }')")
    done
    printf '%s\n' "${lags[@]}" | sort -n | awk '{ v[NR] = $1; s += $1 } END {
        printf "lag after a write, ms (n=%d): median %.2f, p90 %.2f, p99 %.2f, max %.2f, mean %.2f\n", NR, v[int(NR*0.5)+1], v[int(NR*0.9)], v[int(NR*0.99)], v[NR], s / NR }'
}
primary_sql() { psql -X -A -t -q -h 127.0.0.1 -p "$(port_of "$primary")" -U postgres -d postgres "$@"; }

# scripts/postgres.sh's clusters run with synchronous_commit=off: a commit returns before its WAL is flushed, and
# the standby receives only flushed WAL (the WAL writer flushes every wal_writer_delay, 200 ms). A real primary
# runs with synchronous_commit=on; measure both.
measure_lag "synchronous_commit=off (scripts/postgres.sh's throwaway setting)" 1
primary_sql -c "ALTER SYSTEM SET synchronous_commit = on" -c "SELECT pg_reload_conf()" >/dev/null
measure_lag "synchronous_commit=on (PostgreSQL's default)" $((posts + 1))
primary_sql -c "SELECT 'PostgreSQL replay_lag just now: ' || coalesce(replay_lag::text, 'idle (null)') FROM pg_stat_replication"

echo "== read throughput: GET /api/reports?limit=50, wrk -t2 -c$connections -d${seconds}s, $(curl -fs 'http://127.0.0.1:5181/api/reports?limit=50' | grep -o '"key"' | wc -l) reports a page"
for port in 5181 5182; do
    curl -fs "http://127.0.0.1:$port/api/reports?limit=50" >/dev/null # warm the caches
    label=$([[ $port == 5181 ]] && echo "primary only" || echo "with the replica")
    echo "-- $label"
    wrk -t2 -c"$connections" -d"${seconds}s" --latency "http://127.0.0.1:$port/api/reports?limit=50" | grep -E 'Requests/sec|Latency|50%|99%|Non-2xx|errors'
done
