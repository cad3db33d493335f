"""Service outages through the production stack: 503 with a clear message, never a 500, then recovery.

Each of OpenSearch, PostgreSQL, Redis and RabbitMQ is stopped in turn with
``scripts/services stop`` while the stack keeps running; the pages and the
REST API must answer 200 or 503 (the API in JSON naming no host, pages with the
"temporarily unavailable" page), and after ``scripts/services start`` every
page must answer 200 again without restarting the application.

Run with ``--base-url`` pointing at the stack, as run-tests.sh does.
"""

import json
import subprocess
import time
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
UNAVAILABLE = "Temporarily unavailable"
REVEALING = ("127.0.0.1", "localhost", "5632", "9400", "6579", "5872", "opensearch", "postgres",
             "redis", "rabbitmq", "amqp", "Traceback")
# Which pages need which service: those must answer 503 while it is down.
NEEDS = {
    "opensearch": {"/api/records", "/api/records?q=outage"},
    "postgresql": {"/", "/search", "/landing", "/api/records/landing"},
    "redis": {"/", "/search", "/landing"},
    "rabbitmq": set(),
}
# Which checks of /api/health report down while each service is down (the
# files check finds the default location through the database).
HEALTH_DOWN = {
    "opensearch": {"search"},
    "postgresql": {"database", "files"},
    "redis": {"cache"},
    "rabbitmq": {"broker"},
}


def services(action, service):
    """Run scripts/services ACTION SERVICE (fails the test when it fails)."""
    result = subprocess.run(
        [str(REPO_ROOT / "scripts" / "services"), action, service],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, f"services {action} {service}:\n{result.stdout}\n{result.stderr}"
    if action == "start":
        from invenio_db import db
        from sqlalchemy.exc import OperationalError

        try:  # this process's own connection may have died with the service
            db.session.rollback()
        except OperationalError:
            db.session.rollback()  # the first noticed the dead connection and dropped it


@pytest.fixture(scope="module")
def record(publish_record):
    """A public record whose landing page and API entry are visited."""
    return publish_record("Outage-proof glacier mass balance", "Nansen")


@pytest.fixture()
def site(request, client, record):
    """The production stack's HTTPS client, and the paths to visit."""
    if not request.config.getoption("--base-url"):
        pytest.fail("the outage tests need --base-url (see run-tests.sh)")
    # A session cookie sends every visit past nginx's cache for anonymous
    # readers to the application, whose answers during an outage are tested.
    client.session.cookies.set("session", "outage-test")
    paths = {
        "/": "/",
        "/search": "/search?q=glacier",
        "/landing": f"/records/{record.id}",
        "/api/records": "/api/records",
        "/api/records?q=outage": "/api/records?q=outage",
        "/api/records/landing": f"/api/records/{record.id}",
    }
    return client, paths


def answers(client, paths):
    """Each page's status and the body, as {name: (status, type, text)}."""
    results = {}
    for name, path in paths.items():
        response = client.get(path)
        results[name] = (
            response.status_code,
            response.headers.get("Content-Type", ""),
            response.get_data(as_text=True),
        )
    return results


def wait_until_all_answer(client, paths, timeout=120):
    """Poll until every page answers 200 again; return the last answers."""
    deadline = time.monotonic() + timeout
    while True:
        results = answers(client, paths)
        if all(status == 200 for status, _, _ in results.values()) or time.monotonic() > deadline:
            return results
        time.sleep(1)


@pytest.mark.parametrize("service", ["opensearch", "postgresql", "redis", "rabbitmq"])
def test_outage_answers_503_then_recovers(site, service):
    """While SERVICE is down: 200 or a clear 503, never a 500; afterwards 200 everywhere.

    ``/api/health`` is asked as monitoring asks it, without the session cookie
    that the visits above collected: with Redis down, a request with a session
    cookie cannot open its session and gets the outage's 503 instead.
    """
    client, paths = site
    monitor = type(client)(client.base_url)
    before = {name: status for name, (status, _, _) in wait_until_all_answer(client, paths).items()}
    assert before == dict.fromkeys(paths, 200), f"before stopping {service}: {before}"
    services("stop", service)
    try:
        during = answers(client, paths)
        health = monitor.get("/api/health")
    finally:
        services("start", service)
    assert health.status_code == 503, f"/api/health answered {health.status_code}"
    down = {name for name, check in health.json["checks"].items() if check["status"] == "down"}
    assert health.json["status"] == "down" and down == HEALTH_DOWN[service], health.json
    for name, (status, content_type, text) in during.items():
        assert status in (200, 503), f"{name} answered {status} while {service} was down"
        if name in NEEDS[service]:
            assert status == 503, f"{name} answered {status} while {service} was down"
        if status != 503:
            continue
        for word in REVEALING:
            assert word.lower() not in text.lower(), f"{name}'s 503 reveals {word!r}"
        if name.startswith("/api/"):
            assert content_type.startswith("application/json"), name
            body = json.loads(text)
            assert body["status"] == 503 and "temporarily unavailable" in body["message"], body
        else:
            assert content_type.startswith("text/html"), name
            assert UNAVAILABLE in text and "my-site" in text
    after = wait_until_all_answer(client, paths)
    assert {name: status for name, (status, _, _) in after.items()} == dict.fromkeys(paths, 200)
    assert monitor.get("/api/health").status_code == 200


def test_no_draft_half_written_while_search_is_down(site, auth, record_data):
    """A draft created while search is down is refused with 503 and never stored."""
    from invenio_rdm_records.records.models import RDMDraftMetadata

    client, _ = site
    title = "Written during a search outage"
    record_data["metadata"]["title"] = title
    drafts_before = RDMDraftMetadata.query.count()
    services("stop", "opensearch")
    try:
        response = client.post("/api/records", headers=auth, json=record_data)
    finally:
        services("start", "opensearch")
    assert response.status_code == 503
    assert response.json["status"] == 503
    assert RDMDraftMetadata.query.count() == drafts_before
    titles = [(row.json or {}).get("metadata", {}).get("title") for row in RDMDraftMetadata.query]
    assert title not in titles
    created = client.post("/api/records", headers=auth, json=record_data)  # and after recovery
    assert created.status_code == 201, created.get_data(as_text=True)
