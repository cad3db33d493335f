"""Unsent e-mail goes to files only the instance's owner can read.

invenio-mail prints every message (password-reset links included) to the
process's standard output when ``MAIL_SUPPRESS_SEND`` is set or the app runs
in debug mode, and that output ends up in the shared logs. Here the printer
is disconnected; an unsent message is written instead to its own file of
``MY_SITE_MAIL_OUTBOX`` (mode 0600, in a 0700 folder).
"""

import os
import uuid
from datetime import datetime, timezone
from pathlib import Path

from flask_mail import email_dispatched
from invenio_mail.ext import print_email


def outbox_folder(app):
    """The folder of unsent messages: ``MY_SITE_MAIL_OUTBOX`` or ``<instance path>/outbox``."""
    return Path(app.config.get("MY_SITE_MAIL_OUTBOX") or Path(app.instance_path) / "outbox")


def keep_in_outbox(message, app):
    """Write the unsent ``message`` to a new file of the outbox (mode 0600)."""
    folder = outbox_folder(app)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    path = folder / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(message.as_string())


def finalize_app(app):
    """Never print messages; keep unsent ones in the outbox."""
    email_dispatched.disconnect(print_email)
    email_dispatched.disconnect(keep_in_outbox)
    if app.config.get("MAIL_SUPPRESS_SEND"):
        email_dispatched.connect(keep_in_outbox)
