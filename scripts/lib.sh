# shellcheck shell=bash
# Shared shell code of my-site's scripts: paths, ports, messages, secrets,
# package checks and the environment the Invenio application runs with.
# Sourced by every script in scripts/ and by run-tests.sh; never run directly.
# shellcheck disable=SC2034 # the settings below are used by the sourcing scripts

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Server programs (nginx, haproxy) live in sbin, which a user's PATH may lack.
case ":${PATH}:" in *:/usr/sbin:*) ;; *) PATH="${PATH}:/usr/sbin:/sbin" ;; esac
VAR_DIR="${REPO_ROOT}/var"
INSTANCE_DIR="${VAR_DIR}/instance"
SERVICES_DIR="${VAR_DIR}/services"
SECRETS_FILE="${VAR_DIR}/secrets.env"
TLS_DIR="${VAR_DIR}/tls"

# Ports (the table "Ports" of README.rst); every service listens on 127.0.0.1 only.
HOST=127.0.0.1
POSTGRES_PORT=5632
OPENSEARCH_PORT=9400
OPENSEARCH_TRANSPORT_PORT=9800
REDIS_PORT=6579
RABBITMQ_PORT=5872
RABBITMQ_MANAGEMENT_PORT=15872
RABBITMQ_DIST_PORT=25872
SERVER_PORT=5000
# The production stack (scripts/server --production): nginx in front of
# HAProxy, in front of one uWSGI node per application and --nodes. Node N
# (1, 2, ...) of an application listens on its port below + 2 * (N - 1), its
# uWSGI stats likewise; MAX_NODES keeps them clear of each other.
PRODUCTION_HTTPS_PORT=5443
PRODUCTION_HTTP_PORT=5080
HAPROXY_UI_PORT=5071
HAPROXY_API_PORT=5072
HAPROXY_STATS_PORT=5079
UWSGI_UI_PORT=5081
UWSGI_API_PORT=5082
UWSGI_UI_STATS_PORT=5091
UWSGI_API_STATS_PORT=5092
MAX_NODES=4
FLOWER_PORT=5555
S3_PORT=9000
PGADMIN_PORT=5250
S3_CONSOLE_PORT=9001

# The Celery queues the workers consume: the default one and invenio-jobs' "low".
CELERY_QUEUES=celery,low

OPENSEARCH_VERSION=2.19.6
# The S3 object store (optional): versitygw, built with "go install".
VERSITYGW_MODULE=github.com/versity/versitygw/cmd/versitygw@v1.8.0
SERVICE_USER_NAME=mysite-services

# Everything the scripts create is the owner's alone: logs, secrets, backups.
# The service user reaches what it needs through ACL entries (grant_service_user).
umask 077

export PIPENV_VENV_IN_PROJECT=1 PIPENV_VERBOSITY=-1 PIPENV_NOSPIN=1 PIPENV_YES=1
export PIPENV_PIPFILE="${REPO_ROOT}/Pipfile"

msg() { printf '%s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# Print the usage text of the calling script (its leading comment block).
usage() {
    awk 'NR == 1 { next } !/^#/ { exit } { sub(/^# ?/, ""); print }' "$0"
}

# True when the first argument asks for help.
wants_help() {
    [[ "${1:-}" == "-h" || "${1:-}" == "--help" ]]
}

is_root() { [[ "$(id -u)" == 0 ]]; }

# True when something accepts connections on ${HOST}:$1.
port_answers() { (exec 3<>"/dev/tcp/${HOST}/$1") 2>/dev/null; }

# Before a destructive step: go on when $1 is 1 (--yes-i-know), else ask the
# question $2 on the terminal; without one, stop with the advice $3.
confirm_destructive() {
    local assume_yes="$1" question="$2" advice="$3" answer
    ((assume_yes)) && return 0
    [[ -t 0 ]] || die "${advice}"
    printf '%s Type "yes": ' "${question}"
    read -r answer
    [[ "${answer}" == yes ]] || die "nothing was changed"
}

# Take pip's own default index when none is configured (never hard-coded here).
ensure_pip_index_url() {
    if [[ -z "${PIP_INDEX_URL:-}" ]]; then
        PIP_INDEX_URL="$(python3 -c 'from pip._internal.models.index import PyPI; print(PyPI.simple_url)')"
        export PIP_INDEX_URL
    fi
}

# Install missing Debian packages when root; otherwise name them and stop.
ensure_debian_packages() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "${pkg}" 2>/dev/null | grep -q "install ok installed" ||
            missing+=("${pkg}")
    done
    ((${#missing[@]} == 0)) && return 0
    if ! is_root; then
        die "missing Debian packages: ${missing[*]}. Install them with: sudo apt-get install ${missing[*]}"
    fi
    msg "Installing Debian packages: ${missing[*]}..."
    if [[ ! -f "${VAR_DIR}/.apt-updated" ]]; then
        apt-get update -qq >/dev/null
        mkdir -p "${VAR_DIR}" && touch "${VAR_DIR}/.apt-updated"
    fi
    # Services are started by scripts/services, never by the package scripts.
    local policy=/usr/sbin/policy-rc.d created_policy=0
    if [[ ! -e "${policy}" ]]; then
        printf '#!/bin/sh\nexit 101\n' >"${policy}" && chmod +x "${policy}" && created_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
        die "apt-get install ${missing[*]} failed"
    ((created_policy)) && rm -f "${policy}"
    return 0
}

# random_secret [BYTES]: a random string of letters and digits with at least
# BYTES bytes of entropy. No "-" or "_": a value starting with "-" is taken for
# an option by command-line tools such as rabbitmqctl.
random_secret() {
    python3 -c '
import math, secrets, string, sys
alphabet = string.ascii_letters + string.digits
length = math.ceil(int(sys.argv[1]) * 8 / math.log2(len(alphabet)))
print("".join(secrets.choice(alphabet) for _ in range(length)))' "${1:-32}"
}

# The generated secrets of var/secrets.env and their strength in bytes.
SECRETS=(MY_SITE_SECRET_KEY:48 MY_SITE_PASSWORD_SALT:24 MY_SITE_DB_PASSWORD:24
    MY_SITE_REDIS_PASSWORD:24 MY_SITE_MQ_PASSWORD:24 MY_SITE_MQ_ADMIN_PASSWORD:24
    MY_SITE_FLOWER_PASSWORD:24 MY_SITE_S3_ACCESS_KEY:12 MY_SITE_S3_SECRET_KEY:30
    MY_SITE_PGADMIN_PASSWORD:18)

# Generate each of the instance's secrets once, into the git-ignored
# var/secrets.env (0600); one missing from an older file is added to it.
ensure_secrets() {
    local entry name
    mkdir -p "${VAR_DIR}"
    if [[ ! -s "${SECRETS_FILE}" ]]; then
        msg "Generating secrets into ${SECRETS_FILE#"${REPO_ROOT}"/}..."
        printf '# Generated by scripts/bootstrap; never commit. Delete to regenerate (then re-run scripts/setup).\n' \
            >"${SECRETS_FILE}"
    fi
    for entry in "${SECRETS[@]}"; do
        name="${entry%%:*}"
        grep -q "^${name}=" "${SECRETS_FILE}" ||
            printf '%s=%s\n' "${name}" "$(random_secret "${entry#*:}")" >>"${SECRETS_FILE}"
    done
    chmod 600 "${SECRETS_FILE}"
}

# Export the secrets; bootstrap and "services start" generate them (ensure_secrets),
# and one that a newer version of my-site added is generated here.
load_secrets() {
    [[ -s "${SECRETS_FILE}" ]] || die "no ${SECRETS_FILE#"${REPO_ROOT}"/}: run scripts/bootstrap first"
    ensure_secrets
    set -a
    # shellcheck disable=SC1090
    . "${SECRETS_FILE}"
    set +a
}

# Export the INVENIO_* settings that connect the app to the services.
# $1 is "instance" (the real instance) or "test" (own database, index prefix,
# Redis database and RabbitMQ vhost, so tests never touch the instance's data).
export_invenio_env() {
    local profile="${1:-instance}" db=mysite vhost=mysite redis_base=0 prefix="" bucket=my-site-files
    if [[ "${profile}" == test ]]; then
        db=mysite_test vhost=mysite_test redis_base=8 prefix="test-" bucket=my-site-test-files
    fi
    load_secrets
    DB_NAME="${db}" REDIS_BASE="${redis_base}" S3_BUCKET="${bucket}"
    # shellcheck source=scripts/service-settings.sh
    . "${REPO_ROOT}/scripts/service-settings.sh"
    # pytest-invenio reads these (unprefixed) for its test application.
    if [[ "${profile}" == test ]]; then
        export SQLALCHEMY_DATABASE_URI="${INVENIO_SQLALCHEMY_DATABASE_URI}"
        export SEARCH_INDEX_PREFIX="${prefix}" BROKER_URL="${INVENIO_BROKER_URL}" CELERY_BROKER_URL="${INVENIO_BROKER_URL}"
        export CACHE_REDIS_URL="${INVENIO_CACHE_REDIS_URL}"
    fi
}

# Remove the tests' indices and tables after a benchmark: pytest creates its own.
remove_test_instance() {
    msg "Removing the tests' indices and tables..."
    (
        export_invenio_env test
        invenio_cli index destroy --force --yes-i-know >/dev/null 2>&1 || true
        invenio_cli db drop --yes-i-know >/dev/null 2>&1 || true
    )
}

# require_profile VALUE: stop unless VALUE is a profile of export_invenio_env
# (the value of a script's --profile option).
require_profile() {
    [[ "$1" == instance || "$1" == test ]] || die "--profile takes 'instance' or 'test' (see --help)"
}

# has_table NAME: true when the profile's database exists and has the table NAME.
has_table() {
    [[ "$(psql_app -c "SELECT to_regclass('public.$1') IS NOT NULL" 2>/dev/null)" == t ]]
}

# The files locations of the database as "name<TAB>uri" lines.
files_locations() {
    psql_app -F $'\t' -c "SELECT name, uri FROM files_location ORDER BY name"
}

# The installed version of invenio-app-rdm.
app_rdm_version() {
    "${VENV_DIR}/bin/python" -c 'from importlib.metadata import version; print(version("invenio-app-rdm"))'
}

# psql_app ARGS...: psql as the application's role on the database of the
# profile that export_invenio_env chose (no ~/.psqlrc; stops at the first
# error; prints unaligned tuples).
psql_app() {
    PGPASSWORD="${MY_SITE_DB_PASSWORD}" psql -X -h "${HOST}" -p "${POSTGRES_PORT}" -U mysite -d "${DB_NAME}" \
        -v ON_ERROR_STOP=1 -qAt "$@"
}

# Empty the five Redis databases (cache, sessions, results, rate limits,
# identities) of the profile that export_invenio_env chose.
flush_redis() {
    local db
    for db in $(seq "${REDIS_BASE}" $((REDIS_BASE + 4))); do
        REDISCLI_AUTH="${MY_SITE_REDIS_PASSWORD}" redis-cli -h "${HOST}" -p "${REDIS_PORT}" -n "${db}" flushdb >/dev/null
    done
}

# run_steps LOG COMMAND ARGS...: run "invenio my-site COMMAND ARGS", which prints
# each of its steps with its time; what the steps print themselves is appended
# to LOG (created readable by the owner only), whose end is shown on failure.
run_steps() {
    local log="$1" command="$2"
    shift 2
    [[ -e "${log}" ]] || install -m 600 /dev/null "${log}"
    # shellcheck disable=SC2094 # the command and its stderr both append to the log
    invenio_cli my-site "${command}" "$@" --log "${log}" 2>>"${log}" || {
        tail -n 30 "${log}" >&2
        die "'invenio my-site ${command}' failed; the whole output is in ${log#"${REPO_ROOT}"/}"
    }
}

# The Python virtualenv of the project (created by scripts/bootstrap).
VENV_DIR="${REPO_ROOT}/.venv"

# seed_test_instance RECORDS OUTPUT LOG_DIR: the tests' instance set up afresh
# (scripts/setup --profile test) and seeded with RECORDS published records with
# files and a depositor's token (tests/benchmark/seed.py writes them to OUTPUT),
# its task queues emptied; for scripts/benchmark and the reliability tier.
seed_test_instance() {
    local records="$1" output="$2" logs="$3"
    msg "Setting up the tests' instance (log: var/setup.log)..."
    "${REPO_ROOT}/scripts/setup" --profile test --yes-i-know >"${logs}/setup.txt"
    msg "Seeding ${records} records with files (log: ${logs#"${REPO_ROOT}"/}/seed.log)..."
    (
        export_invenio_env test
        INVENIO_CELERY_TASK_ALWAYS_EAGER=True "${VENV_DIR}/bin/python" \
            "${REPO_ROOT}/tests/benchmark/seed.py" "${records}" "${output}" 2>"${logs}/seed.log" || {
            tail -n 20 "${logs}/seed.log" >&2
            die "seeding failed; read ${logs#"${REPO_ROOT}"/}/seed.log"
        }
        # Tasks that the tests left queued (they run without a worker) would run
        # on the server's workers, on records that no longer exist.
        msg "Emptying the tests' task queues..."
        "${VENV_DIR}/bin/celery" --app invenio_app.celery purge --force --queues "${CELERY_QUEUES}" \
            >/dev/null 2>>"${logs}/seed.log"
    )
}

require_venv() {
    [[ -x "${VENV_DIR}/bin/invenio" ]] ||
        die "the Python environment is not installed: run scripts/bootstrap first"
}

# Run the invenio CLI of the project's virtualenv with the instance settings.
invenio_cli() {
    "${VENV_DIR}/bin/invenio" "$@"
}

# The unprivileged user that runs PostgreSQL and OpenSearch: ourselves, or
# when root a system user created for the purpose (both refuse to run as root).
service_user() {
    if is_root; then
        if ! id -u "${SERVICE_USER_NAME}" >/dev/null 2>&1; then
            msg "Creating system user ${SERVICE_USER_NAME} to run PostgreSQL and OpenSearch..." >&2
            useradd --system --no-create-home --shell /usr/sbin/nologin "${SERVICE_USER_NAME}"
        fi
        printf '%s\n' "${SERVICE_USER_NAME}"
    else
        id -un
    fi
}

as_service_user() {
    if is_root; then
        runuser -u "${SERVICE_USER_NAME}" -- "$@"
    else
        "$@"
    fi
}

# private_var_dir: var/ for its owner alone (0700), the service user reaching
# var/services through an ACL entry of its own. Everything the scripts create in
# it is private already (umask 077).
private_var_dir() {
    mkdir -p "${SERVICES_DIR}"
    if [[ "$(stat -c '%a' "${VAR_DIR}")" != *0 ]]; then
        msg "Closing ${VAR_DIR#"${REPO_ROOT}"/} to other users..."
        chmod go-rwx "${VAR_DIR}"
    fi
    grant_service_user reach "${SERVICES_DIR}"
}

# sweep_var_dir (bootstrap): private_var_dir, and what others could read inside
# var/ closed too: a var/ from before, files that unzip or a copy made with
# their own modes.
sweep_var_dir() {
    private_var_dir
    find "${VAR_DIR}" ! -type l -perm /o=rwx -exec chmod o-rwx {} +
}

# grant_service_user reach|read PATH: let the service user (when root runs the
# scripts) search its way to PATH, through an ACL entry for that user alone on
# each folder that would stop it, and with "read" also read everything under
# PATH, including what is created there later.
grant_service_user() {
    is_root || return 0
    local access="$1" path="$2" user dir folders=()
    ensure_debian_packages acl
    user="$(service_user)"
    dir="${path}"
    while [[ "${dir}" != / ]]; do
        folders=("${dir}" "${folders[@]}")
        dir="$(dirname "${dir}")"
    done
    for dir in "${folders[@]}"; do
        runuser -u "${user}" -- test -x "${dir}" 2>/dev/null || setfacl -m "u:${user}:x" "${dir}"
    done
    if [[ "${access}" == read ]]; then
        setfacl -R -m "u:${user}:rX" "${path}"
        find "${path}" -type d -exec setfacl -d -m "u:${user}:rX" {} +
    fi
}

# poll_until SECONDS "PIDS" COMMAND...: run COMMAND every half second until it
# succeeds; fails after SECONDS, or as soon as one of the PIDS (a space-separated
# list, may be empty) has ended.
poll_until() {
    local seconds="$1" pids="$2" waited=0 pid
    shift 2
    until "$@" >/dev/null 2>&1; do
        for pid in ${pids}; do
            kill -0 "${pid}" 2>/dev/null || return 1
        done
        ((waited < seconds * 2)) || return 1
        sleep 0.5
        waited=$((waited + 1))
    done
}

# wait_until DESCRIPTION SECONDS LOGFILE COMMAND...: poll COMMAND until it succeeds.
wait_until() {
    local what="$1" seconds="$2" log="$3"
    shift 3
    poll_until "${seconds}" "" "$@" || die "${what} did not answer within ${seconds}s; read ${log}"
}

# The services that do not answer (names separated by spaces; empty when all do).
down_services() {
    # "status" exits non-zero when a service is down: that is what we list.
    { "${REPO_ROOT}/scripts/services" status 2>/dev/null || true; } | awk '$2 == "down" {print $1}' | xargs
}

# Stop with a clear error unless all four services answer.
require_services() {
    local down
    down="$(down_services)"
    [[ -z "${down}" ]] || die "services not running (${down}): run scripts/services start"
}

# The bin directory of the newest PostgreSQL server installed from Debian's packages.
postgres_bin_dir() {
    local pg_ctl
    pg_ctl="$(find /usr/lib/postgresql -maxdepth 3 -name pg_ctl -path '*/bin/*' 2>/dev/null | sort -V | tail -n1)"
    [[ -n "${pg_ctl}" ]] && dirname "${pg_ctl}"
}

# all_ended PID...: true when none of the processes is alive.
all_ended() {
    local pid
    for pid in "$@"; do
        ! kill -0 "${pid}" 2>/dev/null || return 1
    done
}

# wait_for_exit DESCRIPTION SECONDS LOGFILE PID: wait until the process has ended.
wait_for_exit() {
    wait_until "$1" "$2" "$3" all_ended "$4"
}

# True when the pid in file $1 is a live process.
pid_alive() {
    [[ -s "$1" ]] && kill -0 "$(head -n1 "$1")" 2>/dev/null
}

# require_nginx_safe_path PATH...: nginx's configuration holds paths unquoted
# and our sed replacements use "#", so paths with spaces or shell and sed
# specials are refused with a clear message instead of a broken configuration.
require_nginx_safe_path() {
    local path
    for path in "$@"; do
        [[ "${path}" =~ ^[A-Za-z0-9_./+@:,=-]+$ ]] ||
            die "nginx cannot use the path '${path}': move the project to a path of letters, digits and ./_+@:,=- only"
    done
}

# render TEMPLATE [--docker] NAME=VALUE...: a template of
# my_site/deployment/templates/ rendered (python -m my_site.deployment.render).
render() {
    "${VENV_DIR}/bin/python" -m my_site.deployment.render "$@"
}

# copy_nginx_includes OUT_DIR: mime.types, which comes with nginx itself (the
# image has it too).
copy_nginx_includes() {
    local conf_dir
    conf_dir="$(dirname "$(nginx -V 2>&1 | tr ' ' '\n' | sed -n 's/^--conf-path=//p')")"
    [[ -n "${conf_dir}" && "${conf_dir}" != . ]] || conf_dir=/etc/nginx
    [[ -r "${conf_dir}/mime.types" ]] || die "${conf_dir}/mime.types (part of nginx) is missing"
    cp "${conf_dir}/mime.types" "$1/mime.types"
}

# --- Background jobs -----------------------------------------------------------

# The jobs that start_job started and wait_jobs has not waited for yet (by
# name), with their process ids, descriptions and logs.
JOB_NAMES=()
declare -gA JOB_PIDS=() JOB_DESCRIPTIONS=() JOB_LOGS=()

# start_job NAME DESCRIPTION COMMAND...: run COMMAND (a function or a program,
# with errexit) in the background, its output into var/log/<script>-NAME.log.
# Prints "DESCRIPTION..." now and "DESCRIPTION... done (Ns)" (or "failed")
# when it ends. Each job runs in its own process group, which stop_jobs ends
# when the script exits without having waited for it (an error, Ctrl-C): for
# that start_job sets the EXIT, INT and TERM traps.
start_job() {
    local name="$1" description="$2" log
    shift 2
    log="${VAR_DIR}/log/$(basename "$0")-${name}.log"
    mkdir -p "${VAR_DIR}/log"
    : >"${log}"
    msg "${description} (log: ${log#"${REPO_ROOT}"/})..."
    trap stop_jobs EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    set -m
    (
        set +e
        started=${SECONDS}
        (set -e && "$@") </dev/null >>"${log}" 2>&1
        status=$?
        result="done"
        ((status == 0)) || result=failed
        msg "${description}... ${result} ($((SECONDS - started))s)"
        exit "${status}"
    ) &
    JOB_PIDS[${name}]=$!
    set +m
    JOB_NAMES+=("${name}")
    JOB_DESCRIPTIONS[${name}]="${description}" JOB_LOGS[${name}]="${log#"${REPO_ROOT}"/}"
}

# wait_jobs [NAME...]: wait for the named jobs (all when none is named; jobs
# not started are ignored). If one failed, wait for all the others as well,
# then show the end of each failed job's log and stop, naming the logs.
wait_jobs() {
    local names=("$@") name failed=() failed_logs=()
    ((${#names[@]})) || names=("${JOB_NAMES[@]}")
    for name in "${names[@]}"; do
        [[ -n "${JOB_PIDS[${name}]:-}" ]] || continue
        wait "${JOB_PIDS[${name}]}" || failed+=("${name}")
        forget_job "${name}"
    done
    ((${#failed[@]} == 0)) && return 0
    for name in "${JOB_NAMES[@]}"; do
        wait "${JOB_PIDS[${name}]}" || failed+=("${name}")
        forget_job "${name}"
    done
    for name in "${failed[@]}"; do
        printf '\n--- The end of %s:\n' "${JOB_LOGS[${name}]}" >&2
        tail -n 25 "${REPO_ROOT}/${JOB_LOGS[${name}]}" >&2
        failed_logs+=("${JOB_LOGS[${name}]}")
    done
    printf '\n' >&2
    ((${#failed[@]} == 1)) &&
        die "${JOB_DESCRIPTIONS[${failed[0]}]} failed; the whole output is in ${failed_logs[0]}"
    die "${#failed[@]} jobs failed; the whole output is in ${failed_logs[*]}"
}

forget_job() {
    local name="$1" kept=() other
    unset "JOB_PIDS[${name}]"
    for other in "${JOB_NAMES[@]}"; do
        [[ "${other}" == "${name}" ]] || kept+=("${other}")
    done
    JOB_NAMES=("${kept[@]}")
}

# End the jobs not waited for, with all their processes (start_job's EXIT
# trap); a job that has ended already (a zombie until waited for) is left alone.
stop_jobs() {
    local name pid
    for name in "${JOB_NAMES[@]}"; do
        pid="${JOB_PIDS[${name}]}"
        if [[ "$(ps -o stat= -p "${pid}" 2>/dev/null)" != Z* ]] && kill -TERM -- "-${pid}" 2>/dev/null; then
            msg "Stopped: ${JOB_DESCRIPTIONS[${name}]} (unfinished; log: ${JOB_LOGS[${name}]})" >&2
        fi
        wait "${pid}" 2>/dev/null || true
    done
    JOB_NAMES=()
}
