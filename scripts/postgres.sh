#!/usr/bin/env bash
# Private, throwaway PostgreSQL + PostGIS cluster for tests and `ceasefire bench`.
#
#   scripts/postgres.sh start    # prints ONE line: Host=127.0.0.1;Port=NNNN;Username=postgres;Database=ceasefire
#   scripts/postgres.sh status   # prints the connection string if running, exits 1 otherwise
#   scripts/postgres.sh stop     # stops the server and deletes its directory
#   scripts/postgres.sh halt     # stops the server (fast shutdown) but keeps its data and port, as an outage would
#   scripts/postgres.sh resume   # starts a halted cluster again on the same port; prints the connection string
#   scripts/postgres.sh standby  # makes a hot standby of a running primary (see below) and prints ITS connection string
#
# Hot standby (streaming replication, for the read-replica tests and docs/deployment.md's figures):
#   CEASEFIRE_PG_DIR=/tmp/sb CEASEFIRE_PG_PRIMARY_DIR=/tmp/primary scripts/postgres.sh standby
# copies the running primary cluster made by `start` in CEASEFIRE_PG_PRIMARY_DIR with pg_basebackup -R over
# 127.0.0.1 through a physical replication slot, and starts the copy (hot_standby on) on a free loopback port of its
# own. A primary started with wal_level=minimal (this script's default, for fast bulk loads) is first switched to
# wal_level=replica with ALTER SYSTEM and RESTARTED: connections to it are dropped once. `stop` on the standby's
# directory stops it and drops its slot on the primary (when the primary can still be reached), so the primary
# stops keeping WAL for it. `status` works on it as on any cluster.
#
# Environment:
#   CEASEFIRE_PG_DIR            cluster directory (default /tmp/ceasefire-pg); deleted by `stop`
#   CEASEFIRE_PG_PORT           TCP port on 127.0.0.1 (default: a free port picked at first start)
#   CEASEFIRE_PG_BIN            directory holding initdb/pg_ctl/psql (default: newest /usr/lib/postgresql/*/bin)
#   CEASEFIRE_PG_SHARED_BUFFERS shared_buffers (default 2GB, sized for a 2-core / 24 GB machine)
#   CEASEFIRE_PG_PRIMARY_DIR    `standby` only: the directory of the running primary to copy
#
# Installs nothing: on Debian/Ubuntu it needs `apt-get install postgresql postgresql-15-postgis-3`
# (CI installs them in a separate step). Run as root, it runs the server commands as the `postgres`
# OS user (PostgreSQL refuses to run as root); run as a normal user, it runs them directly, and the
# directory must be that user's.
#
# Everything except the connection string goes to stderr, so `CS=$(scripts/postgres.sh start)` works.
set -euo pipefail

readonly DB_NAME=ceasefire
readonly DB_USER=postgres
readonly MARKER=.ceasefire-pg

say() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

usage() {
    printf 'usage: %s start|status|stop|halt|resume|standby   (see the comment at the top of the script)\n' "$0" >&2
    exit 2
}

[[ $# -eq 1 ]] || usage
command_name=$1

pg_dir=${CEASEFIRE_PG_DIR:-/tmp/ceasefire-pg}
[[ $pg_dir == /* ]] || pg_dir="$PWD/$pg_dir"
pg_dir=${pg_dir%/}
[[ -n $pg_dir && $pg_dir != / ]] || die "CEASEFIRE_PG_DIR must not be /"
readonly pg_dir
readonly data_dir="$pg_dir/data"
readonly log_file="$pg_dir/postgres.log"
readonly port_file="$pg_dir/port"
readonly connstring_file="$pg_dir/connstring"

# Server tools must not be started from a directory the postgres user cannot enter (e.g. /root).
cd /

if [[ $EUID -eq 0 ]]; then
    getent passwd postgres >/dev/null || die "running as root needs a 'postgres' OS user (created by the postgresql package)"
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

find_bin() {
    if [[ -n ${CEASEFIRE_PG_BIN:-} ]]; then
        printf '%s\n' "$CEASEFIRE_PG_BIN"
        return
    fi
    local d best=""
    for d in /usr/lib/postgresql/*/bin; do
        [[ -x $d/initdb ]] && best=$d
    done
    if [[ -z $best ]] && command -v pg_config >/dev/null 2>&1; then
        best=$(pg_config --bindir)
    fi
    if [[ -z $best ]] && command -v initdb >/dev/null 2>&1; then
        best=$(dirname "$(command -v initdb)")
    fi
    printf '%s\n' "$best"
}

check_binaries() {
    pg_bin=$(find_bin)
    local tool
    for tool in initdb pg_ctl postgres psql pg_config; do
        if [[ -z $pg_bin || ! -x $pg_bin/$tool ]]; then
            die "PostgreSQL server binaries not found (looked for $tool in ${pg_bin:-/usr/lib/postgresql/*/bin});
  install them with: apt-get install postgresql postgresql-15-postgis-3
  or point CEASEFIRE_PG_BIN at the directory holding initdb, pg_ctl and psql"
        fi
    done
    local sharedir major
    sharedir=$("$pg_bin/pg_config" --sharedir)
    major=$("$pg_bin/pg_config" --version | sed -E 's/^PostgreSQL ([0-9]+).*/\1/')
    if [[ ! -f $sharedir/extension/postgis.control ]]; then
        die "PostGIS is not installed for PostgreSQL $major ($sharedir/extension/postgis.control missing);
  install it with: apt-get install postgresql-$major-postgis-3"
    fi
}

is_running() {
    [[ -f $data_dir/PG_VERSION ]] && as_pg "$pg_bin/pg_ctl" -D "$data_dir" status >/dev/null 2>&1
}

port_in_use() {
    # A refused connection means nobody listens there. Not race-free; start_server retries on a bind failure.
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

pick_port() {
    local attempt port
    for attempt in $(seq 1 100); do
        # 15432-31431: below Linux's ephemeral range (32768+), so outgoing connections do not take it meanwhile.
        port=$((15432 + (RANDOM % 16000)))
        if ! port_in_use "$port"; then
            printf '%s\n' "$port"
            return
        fi
    done
    die "no free TCP port found on 127.0.0.1; set CEASEFIRE_PG_PORT"
}

connstring() {
    printf 'Host=127.0.0.1;Port=%s;Username=%s;Database=%s\n' "$(cat "$port_file")" "$DB_USER" "$DB_NAME"
}

prepare_dir() {
    if [[ -e $pg_dir && ! -d $pg_dir ]]; then
        die "$pg_dir exists and is not a directory"
    fi
    if [[ -d $pg_dir && -n $(ls -A "$pg_dir") && ! -e $pg_dir/$MARKER ]]; then
        die "$pg_dir is not empty and was not made by this script; choose another CEASEFIRE_PG_DIR"
    fi
    mkdir -p "$pg_dir"
    if [[ $EUID -eq 0 ]]; then
        chown postgres:postgres "$pg_dir"
        as_pg test -w "$pg_dir" ||
            die "the postgres OS user cannot write $pg_dir (is a parent directory private?); use a directory under /tmp"
    elif [[ ! -O $pg_dir ]]; then
        die "$pg_dir belongs to another user; as a normal user the cluster directory must be yours"
    fi
    chmod 700 "$pg_dir"
    touch "$pg_dir/$MARKER"
}

init_cluster() {
    say "creating cluster in $data_dir"
    as_pg "$pg_bin/initdb" -D "$data_dir" -U "$DB_USER" --auth=trust --encoding=UTF8 --no-locale \
        >"$pg_dir/initdb.log" 2>&1 || { cat "$pg_dir/initdb.log" >&2; die "initdb failed"; }

    # Trust without a password is acceptable ONLY because this is a throwaway test cluster that listens on
    # the loopback address alone (no Unix socket, no other interface). Never copy this into a real server.
    as_pg tee "$data_dir/pg_hba.conf" >/dev/null <<'EOF'
# Throwaway test/benchmark cluster made by scripts/postgres.sh: trust, loopback TCP only.
# TYPE  DATABASE  USER  ADDRESS       METHOD
host    all       all   127.0.0.1/32  trust
EOF
    allow_replication_connections "$data_dir/pg_hba.conf"

    # Parallel hash joins allocate dynamic shared memory in /dev/shm; containers often give it only 64 MB.
    local dsm=posix shm_free_kb
    shm_free_kb=$(df -Pk /dev/shm 2>/dev/null | awk 'NR == 2 { print $4 }' || true)
    if [[ -z $shm_free_kb || $shm_free_kb -lt 1048576 ]]; then
        dsm=mmap
    fi

    as_pg tee -a "$data_dir/postgresql.conf" >/dev/null <<EOF

# ---- scripts/postgres.sh: throwaway benchmark cluster on a 2-core / 24 GB machine ----
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
shared_buffers = ${CEASEFIRE_PG_SHARED_BUFFERS:-2GB}
effective_cache_size = 16GB
work_mem = 256MB
maintenance_work_mem = 1GB
max_parallel_workers_per_gather = 2
max_parallel_maintenance_workers = 2
random_page_cost = 1.1
dynamic_shared_memory_type = $dsm
# Durability off: a crash may lose or corrupt this cluster, which is fine only because it is thrown away.
fsync = off
synchronous_commit = off
full_page_writes = off
# Minimal WAL: lets CREATE TABLE + COPY in one transaction skip WAL; no replication here.
wal_level = minimal
max_wal_senders = 0
max_wal_size = 8GB
checkpoint_timeout = 30min
EOF
}

start_server() {
    local pinned=${CEASEFIRE_PG_PORT:-} port attempt
    if [[ -n $pinned ]]; then
        [[ $pinned =~ ^[0-9]+$ ]] || die "CEASEFIRE_PG_PORT must be a number, got '$pinned'"
        port=$pinned
    elif [[ -s $port_file ]]; then
        port=$(cat "$port_file")
    else
        port=$(pick_port)
    fi

    for attempt in 1 2 3 4 5; do
        if port_in_use "$port"; then
            [[ -z $pinned ]] || die "port $pinned on 127.0.0.1 is already in use (CEASEFIRE_PG_PORT)"
            port=$(pick_port)
            continue
        fi
        printf '%s\n' "$port" >"$port_file"
        say "starting PostgreSQL on 127.0.0.1:$port (log: $log_file)"
        if as_pg "$pg_bin/pg_ctl" -D "$data_dir" -l "$log_file" -o "-p $port" -w -t 60 start >/dev/null; then
            return
        fi
        if [[ -z $pinned ]] && grep -q 'could not bind' "$log_file" 2>/dev/null; then
            say "port $port was taken meanwhile; trying another"
            port=$(pick_port)
            continue
        fi
        tail -n 20 "$log_file" >&2 2>/dev/null || true
        die "PostgreSQL did not start"
    done
    die "PostgreSQL did not start after 5 attempts"
}

psql_cmd() {
    "$pg_bin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$(cat "$port_file")" -U "$DB_USER" "$@"
}

ensure_database() {
    if [[ -z $(psql_cmd -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'") ]]; then
        psql_cmd -d postgres -c "CREATE DATABASE $DB_NAME" >&2
    fi
    psql_cmd -d "$DB_NAME" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS postgis" >&2
}

cmd_start() {
    check_binaries
    if is_running; then
        ensure_database
        connstring | tee "$connstring_file"
        return
    fi
    if [[ -n ${CEASEFIRE_PG_PORT:-} ]] && port_in_use "$CEASEFIRE_PG_PORT"; then
        die "port $CEASEFIRE_PG_PORT on 127.0.0.1 is already in use (CEASEFIRE_PG_PORT)"
    fi
    prepare_dir
    [[ -f $data_dir/PG_VERSION ]] || init_cluster
    start_server
    ensure_database
    connstring | tee "$connstring_file"
}

cmd_status() {
    check_binaries
    if is_running; then
        connstring
    else
        say "not running ($pg_dir)"
        exit 1
    fi
}

cmd_stop() {
    if [[ ! -e $pg_dir ]]; then
        say "nothing to stop ($pg_dir does not exist)"
        return
    fi
    [[ -e $pg_dir/$MARKER ]] || die "$pg_dir was not made by this script; not touching it"
    pg_bin=$(find_bin)
    if [[ -n $pg_bin && -x $pg_bin/pg_ctl ]] && is_running; then
        say "stopping PostgreSQL ($data_dir)"
        as_pg "$pg_bin/pg_ctl" -D "$data_dir" -m fast -w -t 60 stop >/dev/null
    fi
    drop_standby_slot
    rm -rf -- "$pg_dir"
}

# halt and resume: an outage of the database for fault tests; the data directory and the port stay as they were.
cmd_halt() {
    [[ -e $pg_dir/$MARKER ]] || die "$pg_dir was not made by this script; not touching it"
    check_binaries
    if is_running; then
        say "halting PostgreSQL ($data_dir); 'resume' starts it again"
        as_pg "$pg_bin/pg_ctl" -D "$data_dir" -m fast -w -t 60 stop >/dev/null
    else
        say "not running ($pg_dir)"
    fi
}

cmd_resume() {
    [[ -e $pg_dir/$MARKER && -f $data_dir/PG_VERSION && -s $port_file ]] || die "no halted cluster in $pg_dir (run start first)"
    check_binaries
    if ! is_running; then
        # The same port as before: clients keep their connection strings. start_server refuses a port now taken.
        CEASEFIRE_PG_PORT=$(cat "$port_file") start_server
    fi
    connstring | tee "$connstring_file"
}

# ---- Streaming replication: `standby` ----

# A standby's directory records "PRIMARY_PORT SLOT_NAME PRIMARY_DIR" here.
readonly standby_file="$pg_dir/standby-of"

# The pg_hba line that lets a standby on this machine stream WAL (`all` in the database column excludes replication).
allow_replication_connections() {
    local hba=$1
    grep -Eq '^host[[:space:]]+replication[[:space:]]' "$hba" && return
    as_pg tee -a "$hba" >/dev/null <<'EOF'
host    replication all   127.0.0.1/32  trust
EOF
}

psql_at() {
    local port=$1
    shift
    PGCONNECT_TIMEOUT=5 "$pg_bin/psql" -X -q -A -t -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$DB_USER" -d postgres "$@"
}

# Makes the primary able to feed standbys: replication in pg_hba (clusters made before it was there), and
# wal_level=replica with WAL senders (which takes a restart).
enable_replication() {
    local primary_data=$1 primary_port=$2 primary_log=$3
    if ! grep -Eq '^host[[:space:]]+replication[[:space:]]' "$primary_data/pg_hba.conf"; then
        say "allowing replication connections from 127.0.0.1 on the primary"
        allow_replication_connections "$primary_data/pg_hba.conf"
        psql_at "$primary_port" -c "SELECT pg_reload_conf()" >/dev/null
    fi
    if [[ $(psql_at "$primary_port" -c "SHOW wal_level") == minimal || $(psql_at "$primary_port" -c "SHOW max_wal_senders") == 0 ]]; then
        say "switching the primary to wal_level=replica (ALTER SYSTEM) and restarting it"
        psql_at "$primary_port" -c "ALTER SYSTEM SET wal_level = replica" -c "ALTER SYSTEM SET max_wal_senders = 10" \
            -c "ALTER SYSTEM SET max_replication_slots = 10" >/dev/null
        as_pg "$pg_bin/pg_ctl" -D "$primary_data" -l "$primary_log" -o "-p $primary_port" -m fast -w -t 60 restart >/dev/null ||
            die "the primary did not restart (log: $primary_log)"
    fi
}

cmd_standby() {
    check_binaries
    [[ -x $pg_bin/pg_basebackup ]] || die "pg_basebackup not found in $pg_bin"
    local primary_dir=${CEASEFIRE_PG_PRIMARY_DIR:-}
    [[ -n $primary_dir ]] || die "standby needs CEASEFIRE_PG_PRIMARY_DIR: the directory of the running primary (made by 'start')"
    [[ $primary_dir == /* ]] || primary_dir="$OLDPWD/$primary_dir"
    primary_dir=${primary_dir%/}
    [[ $primary_dir != "$pg_dir" ]] || die "CEASEFIRE_PG_DIR and CEASEFIRE_PG_PRIMARY_DIR are the same directory"
    [[ -e $primary_dir/$MARKER && -s $primary_dir/port ]] || die "$primary_dir holds no cluster made by this script"
    as_pg "$pg_bin/pg_ctl" -D "$primary_dir/data" status >/dev/null 2>&1 || die "the primary in $primary_dir is not running; start it first"
    if is_running; then
        [[ -f $standby_file ]] || die "$pg_dir holds a running cluster that is not a standby"
        connstring | tee "$connstring_file"
        return
    fi
    local primary_port slot
    primary_port=$(cat "$primary_dir/port")
    prepare_dir
    if [[ ! -f $data_dir/PG_VERSION ]]; then
        enable_replication "$primary_dir/data" "$primary_port" "$primary_dir/postgres.log"
        # One slot per standby directory: the primary keeps the WAL this standby has not received yet.
        slot="cf_standby_$(printf '%s' "$pg_dir" | md5sum | cut -c1-16)"
        psql_at "$primary_port" -c "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '$slot' AND NOT active" >/dev/null
        say "copying the primary (127.0.0.1:$primary_port) into $data_dir through slot $slot"
        as_pg "$pg_bin/pg_basebackup" -D "$data_dir" -h 127.0.0.1 -p "$primary_port" -U "$DB_USER" -R -X stream -C -S "$slot" \
            --checkpoint=fast >"$pg_dir/basebackup.log" 2>&1 || { cat "$pg_dir/basebackup.log" >&2; die "pg_basebackup failed"; }
        printf '%s %s %s\n' "$primary_port" "$slot" "$primary_dir" >"$standby_file"
        as_pg tee -a "$data_dir/postgresql.conf" >/dev/null <<'EOF'

# ---- scripts/postgres.sh standby: a hot standby of the primary it was copied from (primary_conninfo: postgresql.auto.conf) ----
hot_standby = on
# Tell the primary which rows standby queries still read, so that replay does not cancel them.
hot_standby_feedback = on
EOF
    fi
    start_server
    connstring | tee "$connstring_file"
}

# `stop` of a standby: drop its slot on the primary if the primary still answers (else the primary keeps WAL for nobody).
drop_standby_slot() {
    [[ -f $standby_file ]] || return 0
    local primary_port slot _ attempt
    read -r primary_port slot _ <"$standby_file"
    [[ -n $pg_bin && -x $pg_bin/psql ]] || return 0
    for attempt in $(seq 1 20); do
        # The primary's WAL sender for this standby may take a moment to notice that the standby is gone.
        local state
        if ! state=$(psql_at "$primary_port" -c "SELECT CASE WHEN active THEN 'busy' ELSE 'idle' END FROM pg_replication_slots WHERE slot_name = '$slot'" 2>/dev/null); then
            say "the primary (127.0.0.1:$primary_port) cannot be reached; its slot $slot was not dropped"
            return 0
        fi
        case $state in
            '') return 0 ;;
            idle) psql_at "$primary_port" -c "SELECT pg_drop_replication_slot('$slot')" >/dev/null 2>&1 && return 0 ;;
        esac
        sleep 0.5
    done
    say "warning: slot $slot on the primary (127.0.0.1:$primary_port) is still in use; not dropped"
}

case $command_name in
    start) cmd_start ;;
    status) cmd_status ;;
    stop) cmd_stop ;;
    halt) cmd_halt ;;
    resume) cmd_resume ;;
    standby) cmd_standby ;;
    *) usage ;;
esac
