"""``GET /api/health`` reports each dependency, and 503 when one is down."""

import os

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


def update_default_location(**values):
    """Change the default files location's row (not a session object a request may detach)."""
    from invenio_db import db
    from invenio_files_rest.models import Location

    Location.query.filter_by(name="pytest-location").update(values)
    db.session.commit()


@pytest.fixture()
def default_location_moved(location):
    """Point the default files location at a folder that does not exist."""
    uri = location.uri
    update_default_location(uri=f"{uri}/no-such-folder")
    yield
    update_default_location(uri=uri)


def test_unusable_files_location_gives_503(client, default_location_moved):
    """A default files location that cannot be written to is reported down."""
    response = client.get("/api/health")
    assert response.status_code == 503
    down = {name for name, check in response.json["checks"].items() if check["status"] == "down"}
    assert down == {"files"}


def test_no_default_files_location_gives_503(client, location):
    """Without a default files location the files check is down."""
    update_default_location(default=False)
    try:
        response = client.get("/api/health")
    finally:
        update_default_location(default=True)
    assert response.status_code == 503
    assert response.json["checks"]["files"]["status"] == "down"


@pytest.fixture()
def unallocated_index(app):
    """An index of the tests' prefix whose shards OpenSearch cannot allocate.

    ``replicas`` 1 on the single node leaves a replica unassigned (yellow);
    a primary required on a node that does not exist is never assigned (red).
    """
    from invenio_search import current_search_client

    name = f"{os.environ['SEARCH_INDEX_PREFIX']}health-unallocated"
    created = []

    def create(colour):
        settings = {"number_of_shards": 1, "number_of_replicas": 1}
        if colour == "red":
            settings.update(number_of_replicas=0, **{"routing.allocation.require._name": "none"})
        current_search_client.indices.create(
            index=name, body={"settings": {"index": settings}}, wait_for_active_shards=0
        )
        created.append(name)

    yield create
    for index in created:
        current_search_client.indices.delete(index=index)


def test_yellow_cluster_is_up_and_reported(client, location, unallocated_index):
    """An unassigned replica (yellow) still serves: up, with the colour reported."""
    unallocated_index("yellow")
    response = client.get("/api/health")
    assert response.status_code == 200
    search = response.json["checks"]["search"]
    assert (search["status"], search["cluster"]) == ("up", "yellow")


def test_red_cluster_gives_503(client, location, unallocated_index):
    """An unassigned primary shard (red) means search is down."""
    unallocated_index("red")
    response = client.get("/api/health")
    assert response.status_code == 503
    down = {name for name, check in response.json["checks"].items() if check["status"] == "down"}
    assert down == {"search"}


def test_green_cluster_reported(client, location):
    """On the single node with no replicas the cluster is green."""
    assert client.get("/api/health").json["checks"]["search"]["cluster"] == "green"
