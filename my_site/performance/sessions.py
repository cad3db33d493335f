"""No stored session, and no session cookie, for a visitor who has nothing to keep.

invenio-accounts makes every session permanent before each request, and
Flask-Login then marks that non-empty session "not fresh". So every request
without a session cookie (every anonymous reader, every crawler) stored a new
session in Redis for ``PERMANENT_SESSION_LIFETIME`` (31 days) and answered
with a ``Set-Cookie``, which also kept the pages out of nginx's cache.

A new session that holds nothing but those two markers is not stored: the
visitor gets no cookie, exactly as if the session had not been touched. A
session that holds anything else (a login, a CSRF token, a flashed message,
the chosen language) is stored as before, and a session the visitor already
has is always saved (a logout must overwrite it).
"""

from flask import current_app, request, session

MARKERS = {"_permanent", "_fresh"}
"""The keys invenio-accounts and Flask-Login put in every session."""


def holds_only_markers(data):
    """Whether a session's data is nothing but the two markers."""
    return set(data) <= MARKERS and not data.get("_fresh", False)


def skip_empty_new_session(response):
    """Do not store, nor send the cookie of, a new session with nothing in it."""
    cookie_name = current_app.config["SESSION_COOKIE_NAME"]
    if cookie_name not in request.cookies and holds_only_markers(session):
        session.modified = False
    return response


def finalize_app(app):
    """Register the check on the UI application."""
    app.after_request(skip_empty_new_session)
