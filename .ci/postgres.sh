#!/usr/bin/env bash
# Start a local PostgreSQL server for the test suite and point the tests at it.
#
# Usage (as root, on Debian):
#     source .ci/postgres.sh          # sets XHS_TEST_POSTGRES_URL in this shell
#     eval "$(.ci/postgres.sh)"       # same, when run as a program
#
# What it does, each step skipped when already done, so running it twice is safe:
#   1. installs Debian's `postgresql` package (apt-get update first) if no server is installed;
#   2. creates a cluster if the package left none (some images disable the default cluster);
#   3. starts the cluster with pg_ctlcluster (no systemd), listening on 127.0.0.1;
#   4. creates the role and the UTF-8 database the tests use;
#   5. exports XHS_TEST_POSTGRES_URL and prints `export XHS_TEST_POSTGRES_URL=...` on stdout.
# Progress goes to stderr; stdout carries only the export line.
# Settings (environment): XHS_PG_USER, XHS_PG_PASSWORD, XHS_PG_DB (default xhs_test each).

_xhs_pg_setup() (
    set -euo pipefail
    user="${XHS_PG_USER:-xhs_test}"
    password="${XHS_PG_PASSWORD:-xhs_test}"
    dbname="${XHS_PG_DB:-xhs_test}"
    log() { echo "postgres.sh: $*" >&2; }

    if [ "$(id -u)" -ne 0 ]; then
        log "must run as root (it installs packages and starts the server as user postgres)"
        return 1
    fi

    if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        log "installing PostgreSQL from the Debian archive"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -q >&2
        apt-get install -y -q --no-install-recommends postgresql >&2
    fi

    # The newest installed major version.
    version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    cluster=main
    if [ ! -f "/etc/postgresql/$version/$cluster/postgresql.conf" ]; then
        log "creating cluster $version/$cluster"
        pg_createcluster --encoding=UTF8 --locale=C.UTF-8 "$version" "$cluster" >&2
    fi

    # Fresh containers lack the socket directory that the server expects.
    install -d -o postgres -g postgres -m 2775 /var/run/postgresql

    if ! pg_ctlcluster "$version" "$cluster" status >/dev/null 2>&1; then
        log "starting cluster $version/$cluster"
        pg_ctlcluster -o "-c listen_addresses=127.0.0.1" "$version" "$cluster" start >&2
    fi
    port="$(pg_conftool -s "$version" "$cluster" show port 2>/dev/null || echo 5432)"

    psql_admin() { runuser -u postgres -- psql -X -q -v ON_ERROR_STOP=1 -p "$port" "$@"; }
    # Wait until the server accepts connections (start returns early on slow machines).
    for _ in $(seq 1 30); do
        if psql_admin -d postgres -tAc "SELECT 1" >/dev/null 2>&1; then break; fi
        sleep 1
    done

    # Role and database, created once; the password is (re)set each time so a changed
    # XHS_PG_PASSWORD takes effect. psql variables quote the names and the password.
    psql_admin -d postgres -v u="$user" -v p="$password" >&2 <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'u')
 WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'u') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'u', :'p') \gexec
SQL
    psql_admin -d postgres -v u="$user" -v d="$dbname" >&2 <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I ENCODING %L TEMPLATE template0 LC_COLLATE %L LC_CTYPE %L',
              :'d', :'u', 'UTF8', 'C.UTF-8', 'C.UTF-8')
 WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'d') \gexec
SQL
    # Tests create and drop their own schemas in this database.
    psql_admin -d "$dbname" -v u="$user" -v d="$dbname" >&2 <<'SQL'
SELECT format('GRANT ALL ON DATABASE %I TO %I', :'d', :'u') \gexec
SQL

    url="postgresql://${user}:${password}@127.0.0.1:${port}/${dbname}"
    if ! PGPASSWORD="$password" psql -X -q -h 127.0.0.1 -p "$port" -U "$user" -d "$dbname" \
            -tAc "SELECT 1" >/dev/null; then
        log "the server runs but $user cannot log in over TCP on 127.0.0.1:$port"
        return 1
    fi
    log "ready: PostgreSQL $version on 127.0.0.1:$port, database $dbname"
    echo "$url"
)

if _xhs_url="$(_xhs_pg_setup)"; then
    export XHS_TEST_POSTGRES_URL="$_xhs_url"
    echo "export XHS_TEST_POSTGRES_URL=$_xhs_url"
    unset _xhs_url
    unset -f _xhs_pg_setup
else
    echo "postgres.sh: PostgreSQL setup failed; the postgres tests will be skipped" >&2
    unset _xhs_url
    unset -f _xhs_pg_setup
    # `return` when sourced, `exit` when run as a program.
    return 1 2>/dev/null || exit 1
fi
