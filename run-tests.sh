#!/usr/bin/env bash
# Usage: ./run-tests.sh [--no-e2e | --e2e | --reliability] [--no-production] [--no-reliability]
#                       [--no-benchmark] [--no-checks] [--strict] [-- PYTEST_ARGS...]
#
# Runs every check of my-site and prints a summary table; exits non-zero when
# any check fails. It installs what is missing (scripts/bootstrap), starts the
# services that are not running and stops, at the end, those it started.
# Tests use their own database, index prefix, Redis databases and RabbitMQ
# virtual host: the instance's data is never touched.
#
#   --no-e2e     skip the browser tests (tests/e2e)
#   --e2e        run only the browser tests (no other check)
#   --no-production  skip the smoke tests through the production stack
#   --no-reliability skip the reliability tier (tests/reliability)
#   --reliability    run only the reliability tier (no other check), e.g.
#                    MY_SITE_SOAK_SECONDS=600 ./run-tests.sh --reliability -- -k soak
#   --no-benchmark   skip the benchmark's smoke run (scripts/benchmark --smoke)
#   --no-checks  run only pytest (no style, manifest, Docker, docs or audit checks)
#   --strict     a check that could not run (NOT RUN: the dependency audit
#                without a reachable vulnerability database) fails the run
#   -- ARGS      extra arguments for pytest (e.g. -k landing -x)
#
# Checks: shellcheck, isort, pydocstyle, check-manifest, Docker files, Sphinx
# docs (when docs/ exists), pip-audit of Pipfile.lock, and pytest with coverage
# of my_site over tests/api, tests/s3 (files on the S3 object store of
# "scripts/services start s3"), tests/ui and tests/e2e; the security tier
# (tests/security, its figures in the summary); then the production stack
# (scripts/server --production --profile test: nginx, uWSGI) is started
# and the API and UI smoke tests and tests/production (outages included: each
# service is stopped and started again) run through it over HTTPS. The
# reliability tier (tests/reliability, its figures in the summary) kills uWSGI
# nodes and Celery workers of a two-node stack under load. Last, a 20-second
# smoke run of the benchmark (scripts/benchmark --smoke) shows its harness
# works; it measures, but asserts no speed.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "$0")/scripts/lib.sh"

RESULTS=()
FAILED=0
NOT_RUN=0
STRICT=0
STARTED_SERVICES=()
STACK_PID=""

# check NAME COMMAND...: run COMMAND, record its result under NAME.
# COMMAND runs in a subshell with "set -e" in force: its first failing command
# fails the check (after "cmd || ..." bash would ignore set -e inside COMMAND).
check() {
    local name="$1" started=${SECONDS} status=0
    shift
    msg ""
    msg "=== ${name} ==="
    set +e
    (
        set -e
        "$@"
    )
    status=$?
    set -e
    local took=$((SECONDS - started))
    if ((status == 0)); then
        RESULTS+=("$(printf '%-16s passed   %4ss' "${name}" "${took}")")
    elif ((status == 75)) && ((STRICT)); then
        RESULTS+=("$(printf '%-16s FAILED   %4ss  (could not run, and --strict)' "${name}" "${took}")")
        FAILED=1
    elif ((status == 75)); then
        RESULTS+=("$(printf '%-16s NOT RUN  %4ss  (could not run: see its output above)' "${name}" "${took}")")
        NOT_RUN=$((NOT_RUN + 1))
    else
        RESULTS+=("$(printf '%-16s FAILED   %4ss' "${name}" "${took}")")
        FAILED=1
    fi
}

start_services() {
    local svc
    for svc in postgresql opensearch redis rabbitmq s3; do
        if ! "${REPO_ROOT}/scripts/services" status "${svc}" >/dev/null 2>&1; then
            STARTED_SERVICES+=("${svc}")
        fi
    done
    ((${#STARTED_SERVICES[@]})) || return 0
    "${REPO_ROOT}/scripts/services" start "${STARTED_SERVICES[@]}"
}

stop_started_services() {
    ((${#STARTED_SERVICES[@]})) || return 0
    msg ""
    "${REPO_ROOT}/scripts/services" stop "${STARTED_SERVICES[@]}" || true
}

run_shellcheck() {
    shellcheck -x "${REPO_ROOT}"/scripts/* "${REPO_ROOT}"/tests/benchmark/setup-time "${REPO_ROOT}"/docs/examples/*.sh \
        "${REPO_ROOT}/run-tests.sh" "${REPO_ROOT}/.ci/run"
}

run_isort() { "${VENV_DIR}/bin/isort" --check-only --diff "${REPO_ROOT}/my_site" "${REPO_ROOT}/tests" "${REPO_ROOT}/setup.py"; }

run_pydocstyle() { "${VENV_DIR}/bin/pydocstyle" "${REPO_ROOT}/my_site" "${REPO_ROOT}/tests"; }

run_check_manifest() { (cd "${REPO_ROOT}" && "${VENV_DIR}/bin/check-manifest" --no-build-isolation); }

run_docs() {
    "${VENV_DIR}/bin/sphinx-build" -W --keep-going -q -b html "${REPO_ROOT}/docs" "${VAR_DIR}/docs-html" &&
        "${VENV_DIR}/bin/sphinx-build" -W --keep-going -q -b doctest "${REPO_ROOT}/docs" "${VAR_DIR}/docs-doctest"
}

# pip-audit of the locked packages, read from its JSON report. It passes only
# when every package was looked up and none has a known vulnerability; when no
# vulnerability database answers, the audit did not happen and it says so
# (status 75: NOT RUN, a failure with --strict) instead of passing.
run_pip_audit() {
    local requirements report messages status=0
    requirements="$(mktemp)" report="$(mktemp)" messages="$(mktemp)"
    # shellcheck disable=SC2064 # the files are known now
    trap "rm -f '${requirements}' '${report}' '${messages}'" RETURN
    (cd "${REPO_ROOT}" && pipenv requirements --dev --hash) >"${requirements}"
    sed -i -e '/^-e /d' -e '/^\./d' "${requirements}"
    grep -q '^[A-Za-z0-9]' "${requirements}" ||
        die "'pipenv requirements' listed no package: nothing to audit"
    # Its own summary line ("No known vulnerabilities found") would be said of
    # packages it may not have looked up: the JSON report is read instead.
    "${VENV_DIR}/bin/pip-audit" --disable-pip --no-deps --progress-spinner off --format json \
        --output "${report}" -r "${requirements}" 2>"${messages}" || status=$?
    grep -v -e 'No known vulnerabilities found' -e 'hash' -e 'pip-compile' "${messages}" || true
    [[ -s "${report}" ]] || die "pip-audit wrote no report (exit status ${status})"
    "${VENV_DIR}/bin/python" - "${report}" "${requirements}" <<'PYTHON'
"""Summarise pip-audit's JSON report; exit 1 on a vulnerability, 75 when packages went unaudited."""
import json
import re
import sys

report = json.load(open(sys.argv[1]))
locked = [line for line in open(sys.argv[2]) if re.match(r"[A-Za-z0-9]", line)]
dependencies = report["dependencies"]
skipped = [d for d in dependencies if d.get("skip_reason")]
vulnerable = [d for d in dependencies if d.get("vulns")]
audited = len(dependencies) - len(skipped)
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed version"
        print(f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})")
print(f"{len(locked)} locked packages, {audited} audited, {len(skipped)} not audited, "
      f"{len(vulnerable)} with known vulnerabilities")
if vulnerable:
    sys.exit(1)
if skipped or len(dependencies) < len(locked):
    reasons = sorted({d["skip_reason"].split(":")[0] for d in skipped})
    print("!!! THE DEPENDENCY AUDIT COULD NOT RUN for these packages: " + "; ".join(reasons[:3]))
    print("!!! Pipfile.lock was NOT fully audited; run ./run-tests.sh where PyPI's JSON API"
          " or OSV is reachable.")
    sys.exit(75)
PYTHON
}

run_pytest() {
    local paths=("$@")
    (cd "${REPO_ROOT}" && "${VENV_DIR}/bin/pytest" --cov=my_site --cov-report=term-missing:skip-covered \
        "${paths[@]}" "${PYTEST_ARGS[@]}")
}

# The security tier (tests/security): bad input to every REST write, and
# restricted records and files probed from outside; its figures ("N requests
# tried, 0 server errors, 0 leaks") go into the summary line.
run_security() {
    local figures="${VAR_DIR}/test-artifacts/security.txt"
    rm -f "${figures}"
    (cd "${REPO_ROOT}" && "${VENV_DIR}/bin/pytest" tests/security "${PYTEST_ARGS[@]}")
}

# start_test_stack LOG OPTION...: scripts/server --production --profile test
# with the options, in the background; fails when it does not serve in 240 s.
start_test_stack() {
    local log="$1"
    shift
    mkdir -p "${VAR_DIR}/log"
    "${REPO_ROOT}/scripts/server" --production --profile test "$@" >"${log}" 2>&1 &
    STACK_PID=$!
    if ! poll_until 240 "${STACK_PID}" grep -q "my-site is running" "${log}"; then
        tail -n 30 "${log}"
        msg "The production stack did not start; read ${log#"${REPO_ROOT}"/}."
        stop_test_stack
        return 1
    fi
}

# Stop the stack of start_test_stack (scripts/server stops its supervisord,
# and so every process, on TERM), also when run-tests.sh itself is interrupted.
stop_test_stack() {
    [[ -n "${STACK_PID}" ]] || return 0
    kill -TERM "${STACK_PID}" 2>/dev/null || true
    wait "${STACK_PID}" 2>/dev/null || true
    STACK_PID=""
}

# The API and UI smoke tests again, plus tests/production (the stack itself,
# and each service stopped and started again under it), over HTTPS through
# nginx, HAProxy and uWSGI serving the tests' database.
run_production_smoke() {
    local status=0
    # No Celery worker: tasks left queued by the tests would run on the tests'
    # tables while a module drops them (a deadlock in CI).
    start_test_stack "${VAR_DIR}/log/production-test.log" --no-worker
    (cd "${REPO_ROOT}" && "${VENV_DIR}/bin/pytest" --base-url "https://${HOST}:${PRODUCTION_HTTPS_PORT}" \
        tests/api/test_records_api.py tests/ui/test_pages.py tests/production) || status=$?
    stop_test_stack
    return "${status}"
}

# The reliability tier: a two-node stack with its Celery workers, on the tests'
# instance set up and seeded afresh (as scripts/benchmark does; rate limits and
# the anonymous cache off, so every read reaches a node), and tests/reliability
# killing its processes under load. Its figures go into the summary line.
run_reliability() {
    local dir="${VAR_DIR}/test-artifacts/reliability" status=0
    rm -rf "${dir}"
    mkdir -p "${dir}"
    seed_test_instance 10 "${dir}/seed.json" "${dir}"
    INVENIO_RATELIMIT_ENABLED=False MY_SITE_CACHE_SECONDS=0 start_test_stack "${dir}/server.log" --nodes 2
    (cd "${REPO_ROOT}" && MY_SITE_RELIABILITY_SEED="${dir}/seed.json" "${VENV_DIR}/bin/pytest" \
        --base-url "https://${HOST}:${PRODUCTION_HTTPS_PORT}" tests/reliability "${PYTEST_ARGS[@]}") || status=$?
    stop_test_stack
    remove_test_instance
    return "${status}"
}

# The reliability tier as a check, its figures in its summary line.
check_reliability() {
    local figures="${VAR_DIR}/test-artifacts/reliability.txt"
    check reliability run_reliability
    [[ ! -s "${figures}" ]] || RESULTS[-1]+="  ($(paste -sd ';' "${figures}" | sed 's/;/; /g'))"
}

print_summary() {
    msg ""
    msg "=== Summary ==="
    printf '%s\n' "${RESULTS[@]}"
}

main() {
    local e2e=1 only_e2e=0 only_reliability=0 checks=1 production=1 reliability=1 benchmark=1
    PYTEST_ARGS=()
    while (($#)); do
        case "$1" in
        -h | --help) usage; exit 0 ;;
        --no-e2e) e2e=0 ;;
        --e2e) only_e2e=1 ;;
        --no-checks) checks=0 ;;
        --no-production) production=0 ;;
        --no-reliability) reliability=0 ;;
        --reliability) only_reliability=1 ;;
        --no-benchmark) benchmark=0 ;;
        --strict) STRICT=1 ;;
        --) shift; PYTEST_ARGS=("$@"); break ;;
        *) die "unknown option '$1' (see --help)" ;;
        esac
        shift
    done
    local started=${SECONDS}
    "${REPO_ROOT}/scripts/bootstrap"
    if ((!only_reliability && (e2e || only_e2e))); then
        ensure_debian_packages chromium chromium-driver
    fi
    if ((checks && !only_e2e && !only_reliability)); then
        ensure_debian_packages shellcheck docker-compose haproxy
    fi
    ((only_e2e)) || ensure_debian_packages nginx haproxy
    trap 'stop_test_stack; stop_started_services' EXIT
    trap 'exit 130' INT TERM
    start_services

    if ((only_e2e)); then
        check "pytest e2e" run_pytest tests/e2e
    elif ((only_reliability)); then
        check_reliability
    else
        if ((checks)); then
            check shellcheck run_shellcheck
            check isort run_isort
            check pydocstyle run_pydocstyle
            check check-manifest run_check_manifest
            check "docker files" "${REPO_ROOT}/scripts/check-docker-files"
            check pip-audit run_pip_audit
        fi
        local tiers=(tests/api tests/s3 tests/ui)
        ((e2e)) && [[ -d "${REPO_ROOT}/tests/e2e" ]] && tiers+=(tests/e2e)
        check pytest run_pytest "${tiers[@]}"
        check security run_security
        [[ ! -s "${VAR_DIR}/test-artifacts/security.txt" ]] ||
            RESULTS[-1]+="  ($(cat "${VAR_DIR}/test-artifacts/security.txt"))"
        if ((production)); then check "production stack" run_production_smoke; fi
        if ((reliability)); then check_reliability; fi
        if ((benchmark)); then check "benchmark smoke" "${REPO_ROOT}/scripts/benchmark" --smoke; fi
        # After the browser tests, whose screenshots the docs show.
        if ((checks)) && [[ -d "${REPO_ROOT}/docs" ]]; then check "docs" run_docs; fi
    fi
    print_summary
    if ((FAILED)); then
        msg "Some checks FAILED ($((SECONDS - started))s)."
        exit 1
    fi
    if ((NOT_RUN)); then
        msg "All checks that ran passed; ${NOT_RUN} could NOT RUN ($((SECONDS - started))s)."
    else
        msg "All checks passed ($((SECONDS - started))s)."
    fi
}

main "$@"
