#!/bin/bash
# Creates an optional extra login role and databases when the PostgreSQL
# container initialises an empty data directory (the official image runs
# /docker-entrypoint-initdb.d/*.sh once, as the superuser POSTGRES_USER, which
# already owns POSTGRES_DB).
#
# Environment (all optional; nothing has a default password):
#   POSTGRES_APP_USER       role to create (LOGIN, no superuser)
#   POSTGRES_APP_PASSWORD   its password; required when POSTGRES_APP_USER is set
#   POSTGRES_APP_DATABASES  space- or comma-separated databases to create,
#                           owned by POSTGRES_APP_USER if set, else by
#                           POSTGRES_USER (e.g. "mysite_test" for the tests)
set -euo pipefail

app_user="${POSTGRES_APP_USER:-}"
app_password="${POSTGRES_APP_PASSWORD:-}"
databases="${POSTGRES_APP_DATABASES:-}"
databases="${databases//,/ }"

if [[ -z "${app_user}" && -z "${databases// /}" ]]; then
    echo "init-app-db: POSTGRES_APP_USER and POSTGRES_APP_DATABASES unset; nothing to do"
    exit 0
fi

run_psql() {
    psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER}" --dbname "${POSTGRES_DB:-postgres}" "$@"
}

owner="${POSTGRES_USER}"
if [[ -n "${app_user}" ]]; then
    if [[ -z "${app_password}" ]]; then
        echo "init-app-db: POSTGRES_APP_USER is set but POSTGRES_APP_PASSWORD is empty; refusing to create a role without a password" >&2
        exit 1
    fi
    echo "init-app-db: ensuring role ${app_user} exists"
    # psql variables (:"name" identifiers, :'name' literals) quote the values.
    run_psql --set=app_user="${app_user}" --set=app_password="${app_password}" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'app_user', :'app_password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'app_user')
\gexec
SQL
    owner="${app_user}"
fi

for database in ${databases}; do
    echo "init-app-db: ensuring database ${database} exists (owner ${owner})"
    run_psql --set=db="${database}" --set=owner="${owner}" <<'SQL'
SELECT format('CREATE DATABASE %I OWNER %I', :'db', :'owner')
WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = :'db')
\gexec
SQL
done
