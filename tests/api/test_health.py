"""``GET /api/health`` reports each dependency, and 503 when one is down."""

import pytest

DEPENDENCIES = {"database", "search", "cache", "broker", "files"}


def test_all_up(client, location):
    """With every service running the instance is healthy."""
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json
    assert body["status"] == "up"
    assert set(body["checks"]) == DEPENDENCIES
    for check in body["checks"].values():
        assert check["status"] == "up"
        assert check["latency_ms"] >= 0
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture()
def broker_stopped(app):
    """Point the API app at a broker port where nothing listens."""
    api_app = app.wsgi_app.mounts["/api"]
    saved = api_app.config["CELERY_BROKER_URL"]
    api_app.config["CELERY_BROKER_URL"] = "amqp://mysite:x@127.0.0.1:1/mysite_test"
    yield
    api_app.config["CELERY_BROKER_URL"] = saved


def test_broker_down_gives_503(client, location, broker_stopped):
    """An unreachable broker turns the instance unhealthy, naming only the broker."""
    response = client.get("/api/health")
    assert response.status_code == 503
    body = response.json
    assert body["status"] == "down"
    assert body["checks"]["broker"]["status"] == "down"
    assert {name for name, c in body["checks"].items() if c["status"] == "down"} == {"broker"}


def test_reveals_no_secrets(client, location, broker_stopped):
    """Neither hosts, ports, credentials nor versions appear in the report."""
    text = client.get("/api/health").get_data(as_text=True)
    for secret in ("127.0.0.1", "amqp", "mysite", "redis", "postgres", "version", "5872"):
        assert secret not in text
