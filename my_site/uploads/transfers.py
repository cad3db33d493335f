"""InvenioRDM's transfers for uploads through the app, noting why a write failed.

InvenioRDM turns an ``OSError`` while writing an upload (a full disk, a quota,
a client that went away) into a failed transfer: it removes what was written
and the file's entry, commits that clean-up and answers 200 with
``"errors": "File upload transfer failed."``. These subclasses keep the
original error on ``flask.g`` so that :mod:`my_site.uploads.ext` can answer
with a status that says what happened.
"""

from functools import wraps

from flask import g, has_request_context
from invenio_records_resources.services.files.transfer import (
    LocalTransfer,
    MultipartTransfer,
)
from werkzeug.exceptions import ClientDisconnected


def write_error(error):
    """The ``OSError`` or broken-off upload behind ``error`` (itself or what it came from), or None."""
    while error is not None:
        if isinstance(error, (OSError, ClientDisconnected)):
            return error
        error = error.__cause__ or error.__context__
    return None


def note_write_error(error):
    """Keep the write error behind ``error`` for the answer to this request."""
    if has_request_context():
        g.upload_write_error = write_error(error)


def noting_write_error(method):
    """``method`` of a transfer, noting why its write failed before the error goes on."""

    @wraps(method)
    def noted(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except Exception as error:
            note_write_error(error)
            raise

    return noted


class NotedLocalTransfer(LocalTransfer):
    """InvenioRDM's upload in one request; a failed write is noted."""

    set_file_content = noting_write_error(LocalTransfer.set_file_content)


class NotedMultipartTransfer(MultipartTransfer):
    """InvenioRDM's upload in parts; a failed write of a part is noted."""

    set_file_multipart_content = noting_write_error(MultipartTransfer.set_file_multipart_content)
