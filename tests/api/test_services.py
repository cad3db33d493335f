"""Each service the instance needs answers at its configured URL.

A missing service fails here with its name, rather than somewhere deep in
another test.
"""

from pathlib import Path

import kombu
import redis
import requests
from flask import current_app
from invenio_db import db
from invenio_search import current_search_client
from sqlalchemy import text

REPO_ROOT = Path(__file__).resolve().parents[2]
RABBITMQ_MANAGEMENT_PORT = 15872
SERVICE_PROGRAMS = {"postgres": "postgresql", "java": "opensearch", "redis-server": "redis", "beam.smp": "rabbitmq"}
"""The programs of the services' processes."""


def test_postgresql(app):
    """PostgreSQL answers on the test database."""
    try:
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT current_database()")).scalar() == "mysite_test"
    except Exception as error:
        raise AssertionError(f"PostgreSQL is not reachable: {error}") from error


def test_opensearch(app):
    """OpenSearch answers and is a 2.x server."""
    try:
        info = current_search_client.info()
    except Exception as error:
        raise AssertionError(f"OpenSearch is not reachable: {error}") from error
    assert info["version"]["number"].startswith("2.")


def test_redis(app):
    """Redis answers with the instance's password at the cache URL."""
    try:
        assert redis.Redis.from_url(current_app.config["CACHE_REDIS_URL"]).ping()
    except redis.RedisError as error:
        raise AssertionError(f"Redis is not reachable: {error}") from error


def test_rabbitmq(app):
    """RabbitMQ accepts a connection at the broker URL."""
    with kombu.Connection(current_app.config["BROKER_URL"], connect_timeout=5) as connection:
        try:
            connection.ensure_connection(max_retries=1)
        except Exception as error:
            raise AssertionError(f"RabbitMQ is not reachable: {error}") from error
        assert connection.connected


def secret(name):
    """A generated secret of var/secrets.env."""
    for line in (REPO_ROOT / "var" / "secrets.env").read_text().splitlines():
        key, _, value = line.partition("=")
        if key == name:
            return value
    raise AssertionError(f"{name} is missing from var/secrets.env: run scripts/services start")


def management_status(user, password):
    """The status of RabbitMQ's management API for ``user``."""
    url = f"http://127.0.0.1:{RABBITMQ_MANAGEMENT_PORT}/api/overview"
    return requests.get(url, auth=(user, password), timeout=10).status_code


def test_the_applications_rabbitmq_user_cannot_manage_the_broker(app):
    """The app's user "mysite" has no management access; "mysite-admin" has it."""
    assert management_status("mysite", secret("MY_SITE_MQ_PASSWORD")) == 401
    assert management_status("mysite-admin", secret("MY_SITE_MQ_ADMIN_PASSWORD")) == 200


def test_services_run_as_an_unprivileged_user():
    """No service runs as root: PostgreSQL, OpenSearch, Redis and RabbitMQ alike."""
    owners = {}
    for process in Path("/proc").iterdir():
        try:
            command = (process / "cmdline").read_bytes().split(b"\0")[0].decode()
            uid = (process / "status").read_text().split("\nUid:\t")[1].split("\t")[0]
        except (OSError, IndexError):
            continue
        program = Path(command.split(" ")[0]).name  # Redis rewrites its title
        if program in SERVICE_PROGRAMS:
            owners.setdefault(SERVICE_PROGRAMS[program], set()).add(int(uid))
    assert set(owners) == set(SERVICE_PROGRAMS.values()), owners
    assert all(0 not in uids for uids in owners.values()), owners
