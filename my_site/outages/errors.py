"""Which exceptions mean that a service is down."""

import kombu.exceptions
import opensearchpy.exceptions
import redis.exceptions
import sqlalchemy.exc

SERVICE_ERRORS = {
    "database": (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError),
    "search": (opensearchpy.exceptions.ConnectionError,),
    "cache": (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError),
    "broker": (kombu.exceptions.OperationalError, ConnectionError),
}
"""Exception classes raised when each service cannot be reached."""


def unavailable_service(error):
    """The name of the service that ``error`` (or an error behind it) says is down, or None."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, sqlalchemy.exc.DBAPIError) and error.connection_invalidated:
            return "database"
        for service, classes in SERVICE_ERRORS.items():
            if isinstance(error, classes):
                return service
        error = (
            getattr(error, "original_exception", None) or error.__cause__ or error.__context__
        )
    return None
