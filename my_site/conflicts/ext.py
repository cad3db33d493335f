"""Answer 409 Conflict, not 500, to a write that lost a race with another one.

Two clients publishing the same draft at the same moment (two tabs, a
retried request, two nodes behind the load balancer) both pass InvenioRDM's
checks; the database then refuses the second record row (a unique key) or
the second update of a row (SQLAlchemy's version counter). Nothing is
stored twice, but the loser's request ended in a 500. It is answered 409,
with a message, and logged as a warning. Other integrity errors stay 500s.
"""

from flask import current_app, jsonify
from psycopg2.errors import UniqueViolation
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from my_site.bad_input.ext import server_error

MESSAGE = "Another request changed this record at the same time. Reload it and try again."


def conflict(error):
    """The REST API's 409 answer."""
    current_app.logger.warning("Answering 409 to a write that lost a race: %s", error)
    response = jsonify({"status": 409, "message": MESSAGE})
    response.status_code = 409
    return response


def unique_violation(error):
    """409 when the database refused a duplicate key, 500 otherwise."""
    if isinstance(error.orig, UniqueViolation):
        return conflict(error)
    return server_error(error)


def register_api(app):
    """Register the REST API's 409 answers."""
    app.register_error_handler(IntegrityError, unique_violation)
    app.register_error_handler(StaleDataError, conflict)
