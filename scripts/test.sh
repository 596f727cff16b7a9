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
dotnet test Ceasefire.slnx -c Release --nologo "$@"
