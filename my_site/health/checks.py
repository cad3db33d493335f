"""One check per dependency; each raises when its dependency is not usable.

A check may return a dict of details to report beside its status.
"""

import tempfile

import kombu
from flask import current_app
from invenio_cache import current_cache
from invenio_db import db
from invenio_files_rest.models import Location
from invenio_search import current_search_client
from sqlalchemy import text


def check_database():
    """Check that PostgreSQL answers a query (leaving the session usable if not)."""
    try:
        db.session.execute(text("SELECT 1")).scalar()
    except Exception:
        db.session.rollback()
        raise


def check_search():
    """Check that OpenSearch answers and its cluster is usable (green or yellow).

    Returns the cluster's colour: yellow means some replica is not allocated.
    """
    health = current_search_client.cluster.health(request_timeout=2)
    if health["status"] == "red":
        raise RuntimeError("search cluster is red")
    return {"cluster": health["status"]}


def check_cache():
    """Check that Redis stores and returns a value."""
    key = "my-site:health"
    current_cache.set(key, "ok", timeout=10)
    if current_cache.get(key) != "ok":
        raise RuntimeError("cache did not return the value it stored")


def check_broker():
    """Check that RabbitMQ accepts a connection."""
    url = current_app.config["CELERY_BROKER_URL"]
    with kombu.Connection(url, connect_timeout=2) as connection:
        connection.ensure_connection(max_retries=1, timeout=2)


def check_files():
    """Check that the default files location exists and is writable (local storage)."""
    location = Location.get_default()
    if location is None:
        raise RuntimeError("no default files location")
    path = location.uri.removeprefix("file://")
    if "://" in path:  # remote storage (e.g. S3): reaching it is the storage's job
        return
    with tempfile.NamedTemporaryFile(dir=path, prefix=".health-"):
        pass  # creating a file proves the location exists and is writable


CHECKS = {
    "database": check_database,
    "search": check_search,
    "cache": check_cache,
    "broker": check_broker,
    "files": check_files,
}
"""The dependencies reported by ``GET /api/health``, by name."""
