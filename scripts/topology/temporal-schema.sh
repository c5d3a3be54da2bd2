#!/bin/sh
# Creates the Temporal databases on PostgreSQL when missing and brings their schemas to the newest version
# of the server release (setup-schema, then update-schema). The compose `temporal-schema` job and the test
# topology both run it; safe to run again at any time (each step is idempotent).
#
# Environment (defaults match the temporalio/admin-tools image and docker-compose.yml):
#   TEMPORAL_SQL_TOOL        schema tool                 temporal-sql-tool
#   TEMPORAL_SCHEMA_DIR      PostgreSQL schema folder    /etc/temporal/schema/postgresql/v12
#   SQL_PLUGIN               persistence plugin          postgres12
#   SQL_HOST / SQL_PORT      PostgreSQL address          postgresql / 5432
#   SQL_USER / SQL_PASSWORD  role of the Temporal server temporal / (required)
#   TEMPORAL_DB              main database               temporal
#   TEMPORAL_VISIBILITY_DB   visibility database         temporal_visibility
#   SQL_WAIT_SECONDS         how long to wait for PostgreSQL to accept connections  60
#   CASES_PROJECTION_DB      the case projection's own database, created empty when named (API and
#                            workers apply its migrations themselves)  (none)
set -eu

tool=${TEMPORAL_SQL_TOOL:-temporal-sql-tool}
schema_dir=${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema/postgresql/v12}
plugin=${SQL_PLUGIN:-postgres12}
host=${SQL_HOST:-postgresql}
port=${SQL_PORT:-5432}
user=${SQL_USER:-temporal}
: "${SQL_PASSWORD:?set SQL_PASSWORD (the password of $user)}"
# The tool reads the password from SQL_PASSWORD itself: it stays out of the process list.
export SQL_PASSWORD
unset SQL_DATABASE
main_db=${TEMPORAL_DB:-temporal}
visibility_db=${TEMPORAL_VISIBILITY_DB:-temporal_visibility}
wait_seconds=${SQL_WAIT_SECONDS:-60}
projection_db=${CASES_PROJECTION_DB:-}

for dir in "$schema_dir/temporal/versioned" "$schema_dir/visibility/versioned"; do
  [ -d "$dir" ] || { echo "temporal-schema: no schema folder $dir (set TEMPORAL_SCHEMA_DIR)" >&2; exit 2; }
done

sql() {
  "$tool" --plugin "$plugin" --ep "$host" -p "$port" -u "$user" "$@"
}

# Creates the database unless it exists; waits for PostgreSQL to accept connections first.
create_database() {
  db=$1
  deadline=$(( $(date +%s) + wait_seconds ))
  while :; do
    # Newer tools succeed on an existing database themselves; older ones report it.
    if out=$(sql --db "$db" create-database 2>&1); then
      echo "temporal-schema: database $db ready"
      return 0
    fi
    case $out in
      *"already exists"*) echo "temporal-schema: database $db ready"; return 0 ;;
    esac
    case $out in
      *"connection refused"*|*"no such host"*|*"starting up"*|*"i/o timeout"*)
        if [ "$(date +%s)" -lt "$deadline" ]; then sleep 1; continue; fi ;;
    esac
    echo "temporal-schema: cannot create database $db:" >&2
    echo "$out" >&2
    return 1
  done
}

migrate() {
  db=$1
  versioned=$2
  # Version 0.0 creates the schema_version tables only (IF NOT EXISTS); update-schema applies what is missing.
  sql --db "$db" setup-schema -v 0.0
  sql --db "$db" update-schema -d "$versioned"
  echo "temporal-schema: $db is up to date with $versioned"
}

create_database "$main_db"
create_database "$visibility_db"
migrate "$main_db" "$schema_dir/temporal/versioned"
migrate "$visibility_db" "$schema_dir/visibility/versioned"
if [ -n "$projection_db" ]; then create_database "$projection_db"; fi
