"""Forking a process that has talked to the services.

A socket open at a fork is shared by parent and child; worse, a child started
by ``multiprocessing`` runs kombu's after-fork clean-up, which shuts down the
broker sockets it inherited, so the parent's pooled RabbitMQ connections die
(``ConnectionResetError`` at its next publish). Before forking, a process
closes its pooled connections; each process then opens its own.
"""

from celery import current_app as current_celery
from invenio_db import db
from invenio_search import current_search
from kombu import pools


def release_connections():
    """Close this process's pooled database, search and broker connections."""
    db.session.commit()
    db.engine.dispose()
    current_search._client = None  # a new client, with new connections, on next use
    pools.reset()
    current_celery._after_fork()  # Celery forgets the pools just closed, as a forked child does
