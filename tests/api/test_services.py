"""Each service the instance needs answers at its configured URL.

A missing service fails here with its name, rather than somewhere deep in
another test.
"""

import kombu
import redis
from flask import current_app
from invenio_db import db
from invenio_search import current_search_client
from sqlalchemy import text


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
