"""A forked child leaves the parent's services usable (the live server of the browser tests, the vocabulary loader).

Without ``release_connections`` the child's after-fork clean-up shuts down
the broker socket it shares with the parent, whose next publish fails with
``ConnectionResetError``.
"""

import multiprocessing

from celery import current_app as current_celery
from invenio_db import db
from invenio_search import current_search_client
from kombu import Exchange
from sqlalchemy import text

from my_site.setup.forking import release_connections

PROBE = Exchange("my-site-fork-probe", type="direct", auto_delete=True)


def publish_probe():
    """Publish a message through Celery's pooled broker connection."""
    with current_celery.producer_or_acquire() as producer:
        producer.publish({"probe": 1}, exchange=PROBE, routing_key="probe", declare=[PROBE])


def use_every_service():
    """A query, a search request and a publish, each through this process's pools."""
    assert db.session.execute(text("SELECT 1")).scalar() == 1
    assert current_search_client.ping()
    publish_probe()


def test_parent_keeps_its_services_after_a_fork(app, database):
    """Database, search and broker answer the parent after a forked child has run and ended."""
    use_every_service()
    release_connections()
    child = multiprocessing.get_context("fork").Process(target=use_every_service)
    child.start()
    child.join(60)
    assert child.exitcode == 0
    use_every_service()
