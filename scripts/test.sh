#!/usr/bin/env bash
# The project's test command (README "Run the tests"): starts a private PostgreSQL + PostGIS cluster on 127.0.0.1
# for the tests that need one, runs every test, and stops the cluster. Needs the Debian packages postgresql and
# postgresql-15-postgis-3 (.ci/run installs them); tests that need PostgreSQL fail, not skip, without it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
export CEASEFIRE_PG_DIR="${CEASEFIRE_PG_DIR:-$(mktemp -d /tmp/ceasefire-test-pg.XXXXXX)}"
cleanup() { scripts/postgres.sh stop >/dev/null 2>&1 || true; }
trap cleanup EXIT
CEASEFIRE_TEST_POSTGRES="$(scripts/postgres.sh start)"
export CEASEFIRE_TEST_POSTGRES
log="$(mktemp)"
status=0
dotnet test Ceasefire.slnx -c Release --nologo "$@" 2>&1 | tee "$log" || status=$?
# One plain closing line for CI: "N passed, N failed, N skipped" summed over test assemblies.
awk '/(Passed|Failed)! +- +Failed: / {
       for (i = 1; i <= NF; i++) { v = $(i+1); gsub(/,/, "", v)
         if ($i == "Failed:") f += v; else if ($i == "Passed:") p += v; else if ($i == "Skipped:") s += v }
       found = 1 }
     END { if (found) printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$log"
rm -f "$log"
exit "$status"
