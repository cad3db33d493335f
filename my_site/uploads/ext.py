"""Answer an upload that could not be written with a status that says why.

A full disk or quota is answered 507 Insufficient Storage, an upload the
client broke off 400, any other write error 500, each with a message, so the
deposit form shows the upload as failed. Two paths lead here:

- an upload in one request: InvenioRDM removes what was written and the file's
  entry, commits that, and would answer 200 with an ``errors`` field; the
  transfer noted the cause (:mod:`my_site.uploads.transfers`) and the answer is
  replaced after the request;
- a part of a multipart upload (or any other write): the ``OSError`` reaches
  Flask, the transaction is rolled back and the file entry stays pending, so
  the part can be sent again. Only a full disk is answered here; other
  OS errors go on to the usual 500 (or 503) handling.
"""

import errno

from flask import current_app, g, jsonify
from werkzeug.exceptions import ClientDisconnected

NO_SPACE = {errno.ENOSPC, errno.EDQUOT}
FULL_MESSAGE = (
    "The repository has no space left to store this file; nothing of it was kept. "
    "Try again later, and tell the repository's administrators if it persists."
)
BROKEN_OFF_MESSAGE = "The upload was interrupted before the whole file arrived; nothing of it was kept. Upload it again."
FAILED_MESSAGE = "The file could not be stored; nothing of it was kept. Try again later."


def answer(error):
    """The JSON answer to a write that failed with ``error``, logged."""
    if isinstance(error, ClientDisconnected):
        status, message = 400, BROKEN_OFF_MESSAGE
    elif error.errno in NO_SPACE:
        status, message = 507, FULL_MESSAGE
    else:
        status, message = 500, FAILED_MESSAGE
    log = current_app.logger.error if status == 507 else current_app.logger.warning
    log("Answering %s to a write that failed: %s", status, error)
    response = jsonify({"status": status, "message": message})
    response.status_code = status
    return response


def answer_noted_failure(response):
    """``after_request``: replace the answer to an upload whose transfer noted a failed write."""
    error = g.pop("upload_write_error", None)
    return response if error is None else answer(error)


def storage_full(error):
    """Error handler: 507 for a write the disk has no room for; other OS errors go on."""
    g.pop("upload_write_error", None)
    if error.errno not in NO_SPACE:
        raise error
    return answer(error)


def register_api(app):
    """Register the REST API's answers to failed uploads."""
    app.register_error_handler(OSError, storage_full)
    app.after_request(answer_noted_failure)
