"""File fixity: intact files pass, corrupted and missing files are reported."""

import io
import logging

import pytest
from invenio_db import db
from invenio_files_rest.models import Bucket, FileInstance, ObjectVersion

from my_site.fixity.api import check_files
from my_site.fixity.cli import fixity

CONTENT = b"borehole,depth_m,temp_c\nBH1,10,-2.1\n"


@pytest.fixture()
def stored_file(app, location):
    """A file stored in the default location; removed afterwards."""
    bucket = Bucket.create()
    obj = ObjectVersion.create(bucket, "temperatures.csv", stream=io.BytesIO(CONTENT))
    db.session.commit()
    file_instance = obj.file
    yield file_instance
    FileInstance.query.update({FileInstance.last_check_at: None, FileInstance.last_check: True})
    db.session.commit()


def path_of(file_instance):
    """Where the file's bytes are on disk."""
    return file_instance.uri.removeprefix("file://")


def test_intact_file_passes(stored_file):
    """An untouched file is checked and recorded as intact."""
    report = check_files()
    assert report.checked >= 1 and not report.damaged
    db.session.refresh(stored_file)
    assert stored_file.last_check is True
    assert stored_file.last_check_at is not None


def test_corrupted_file_is_reported(stored_file, mailbox, caplog):
    """A changed byte is detected, logged at ERROR and mailed to the admins."""
    with open(path_of(stored_file), "r+b") as f:
        f.write(b"X")
    with caplog.at_level(logging.ERROR):
        report = check_files()
    assert [damaged["file_id"] for damaged in report.corrupted] == [str(stored_file.id)]
    assert any("corrupted file" in record.getMessage() for record in caplog.records)
    assert len(mailbox) == 1
    assert str(stored_file.id) in mailbox[0].body
    db.session.refresh(stored_file)
    assert stored_file.last_check is False


def test_missing_file_is_reported_by_the_cli(stored_file, cli_runner):
    """``invenio my-site fixity check --all`` names a vanished file and fails."""
    import os

    os.remove(path_of(stored_file))
    result = cli_runner(fixity, None, "check", "--all")
    assert result.exit_code == 1
    assert f"MISSING   {stored_file.id}" in result.output
    assert "1 missing or unreadable" in result.output


def test_oldest_check_first(stored_file):
    """A batch takes never-checked files before recently checked ones."""
    check_files()
    newer = ObjectVersion.create(Bucket.create(), "new.csv", stream=io.BytesIO(b"new")).file
    db.session.commit()
    report = check_files(batch_size=1)
    assert report.checked == 1
    db.session.refresh(newer)
    assert newer.last_check_at is not None
