"""invenio-access's action cache, read from Redis once per request and action.

Every permission check expands its actions (``superuser-access``,
``administration-access``...) to the users and roles allowed them, which
invenio-access keeps in the application cache (Redis, ``ACCESS_CACHE``). A
search answer checks the permissions of each hit and each of its links, so
one request of 10 hits read the same few keys from Redis about 190 times
(17 % of its time). This cache keeps what it read from Redis for the rest of
the request; writes and deletes go to Redis and to the request's copy, so a
change of permissions made in the request is seen by it, and every other
request reads Redis again. Outside a request (Celery tasks, the command line)
it reads Redis every time.
"""

from flask import has_request_context, request
from invenio_cache import current_cache

_MISSING = object()


def _request_copy():
    """The values read or written in this request, by key (``None`` outside a request).

    Kept in the request's WSGI environment, not on ``flask.g``: an application
    context (and its ``g``) may outlive a request, as in the tests.
    """
    if not has_request_context():
        return None
    return request.environ.setdefault("my_site.access_cache", {})


class RequestCopyCache:
    """The application cache, with each key read at most once per request."""

    def get(self, key):
        """The value of ``key``: from this request's copy, or from the cache."""
        copy = _request_copy()
        if copy is None:
            return current_cache.get(key)
        value = copy.get(key, _MISSING)
        if value is _MISSING:
            value = copy[key] = current_cache.get(key)
        return value

    def set(self, key, value):
        """Store ``value`` in the cache and in this request's copy."""
        copy = _request_copy()
        if copy is not None:
            copy[key] = value
        return current_cache.set(key, value)

    def delete(self, key):
        """Delete ``key`` from the cache and from this request's copy."""
        copy = _request_copy()
        if copy is not None:
            copy.pop(key, None)
        return current_cache.delete(key)


access_cache = RequestCopyCache()
"""The value of ``ACCESS_CACHE``."""
