"""Refuse NUL characters and over-deep JSON with a 400 instead of a server error.

PostgreSQL cannot store the NUL character: a title, file key, e-mail address
or URL segment holding one makes the database driver raise deep inside a
service (a 500). JSON nested thousands of levels deep makes Python's decoder
hit its recursion limit (also a 500). Both are refused here, with a message,
for the REST API (file contents are not looked at).
Some of InvenioRDM's marshmallow schemas and services expect an object where
a client may send a list, a boolean or null, and fail with a TypeError or
AttributeError: such an error, raised during a write inside a schema's
``load`` or an Invenio service (which read the client's data), is taken for
the client's bad data and answered with a 400 too (logged as a warning), as
are a JSON body that is not UTF-8 and a value the database refuses (too long
for its column, such as a file key of thousands of characters).
"""

import marshmallow
from flask import current_app, jsonify, request
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest, InternalServerError

NUL_MESSAGE = "The request contains a NUL character (\\u0000), which cannot be stored."
DEPTH_MESSAGE = "The JSON document is nested too deeply."
ENCODING_MESSAGE = "The JSON document is not valid UTF-8."
VALUE_MESSAGE = "A value is too long or not of the type its field stores."
SHAPE_MESSAGE = "The data does not have the expected structure (an object, a list or a value in the wrong place)."
SCHEMA_FILE = marshmallow.Schema.load.__code__.co_filename
WRITE_METHODS = {"POST", "PUT", "PATCH"}


def holds_nul():
    """True when the path, the query or a JSON body carries an escaped NUL character.

    A raw NUL byte is not valid JSON: the decoder refuses it with a 400.
    """
    if "\x00" in request.path or b"%00" in request.query_string:
        return True
    if request.mimetype == "application/json":
        return b"\\u0000" in request.get_data(cache=True)
    return False


def refuse_with(message, as_json):
    """A 400 with ``message``: JSON for the REST API and JSON requests, else the error page."""
    if as_json or request.is_json:
        response = jsonify({"status": 400, "message": message})
        response.status_code = 400
        return response
    raise BadRequest(message)


def refuse_nul():
    """``before_request``: stop a request with a NUL character."""
    if holds_nul():
        return refuse_with(NUL_MESSAGE, as_json=True)


def raised_reading_client_data(error):
    """True when ``error`` comes from a schema's ``load`` or an Invenio service."""
    frame = error.__traceback__
    while frame is not None:
        code = frame.tb_frame.f_code
        if code.co_filename == SCHEMA_FILE and code.co_name == "load":
            return True
        if "/invenio_" in code.co_filename and "/services/" in code.co_filename:
            return True
        frame = frame.tb_next
    return False


def server_error(error):
    """What Flask does with an exception no handler takes: log it, answer 500.

    For a handler that takes an exception class only in some cases.
    """
    current_app.log_exception((type(error), error, error.__traceback__))
    return InternalServerError(original_exception=error)


def register_api(app):
    """The REST API: every request checked for NUL characters, and the handlers of ``register``."""
    app.before_request(refuse_nul)
    register(app, api=True)


def register(app, api=False):
    """Answer a 400 to the errors bad input causes (the UI app's forms are left to it).

    The REST ``api`` answers in JSON; the UI app in JSON to JSON requests only.
    """

    def refuse(message):
        return refuse_with(message, as_json=api)

    def too_deep(error):
        if request.is_json:
            return refuse(DEPTH_MESSAGE)
        return server_error(error)

    def wrong_shape(error):
        if request.method in WRITE_METHODS and raised_reading_client_data(error):
            app.logger.warning("Answering 400 to bad data: %r", error)
            return refuse(SHAPE_MESSAGE)
        return server_error(error)

    def not_utf8(error):
        if request.is_json:
            return refuse(ENCODING_MESSAGE)
        return server_error(error)

    def refused_by_database(error):
        if request.method in WRITE_METHODS:
            app.logger.warning("Answering 400 to a value the database refuses: %s", error.orig)
            return refuse(VALUE_MESSAGE)
        return server_error(error)

    app.register_error_handler(RecursionError, too_deep)
    app.register_error_handler(UnicodeDecodeError, not_utf8)
    app.register_error_handler(DataError, refused_by_database)
    app.register_error_handler(TypeError, wrong_shape)
    app.register_error_handler(AttributeError, wrong_shape)
