"""Unsent e-mail, password-reset links included, is kept where only the owner reads it."""

import stat

import pytest
from flask_security.recoverable import send_reset_password_instructions

from my_site.mail.outbox import outbox_folder


@pytest.fixture()
def outbox(app):
    """The instance's outbox, emptied before the test."""
    folder = outbox_folder(app)
    for message in folder.glob("*.eml") if folder.exists() else ():
        message.unlink()
    return folder


def test_a_password_reset_goes_to_a_private_file_and_never_to_the_log(
    app, database, owner, outbox, capfd
):
    """The reset e-mail is one 0600 file of a 0700 outbox, and nothing prints it."""
    assert app.config["MAIL_SUPPRESS_SEND"]
    with app.test_request_context():
        send_reset_password_instructions(owner.user)

    messages = list(outbox.glob("*.eml"))
    assert len(messages) == 1, messages
    text = messages[0].read_text()
    assert "owner@example.org" in text
    assert "/lost-password/" in text  # the reset link
    assert stat.S_IMODE(messages[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(outbox.stat().st_mode) == 0o700
    printed = capfd.readouterr()
    assert "lost-password" not in printed.out + printed.err
