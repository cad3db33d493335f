"""File fixity: intact files pass, corrupted and missing files are reported.

Each test stores its own files and removes them afterwards, and looks only at
what it stored, so the tests pass in any order and beside other modules' files.
"""

import io
import logging
import os
from datetime import timedelta

import pytest
from celery import current_app as current_celery
from invenio_db import db
from invenio_files_rest.models import Bucket, FileInstance, ObjectVersion

from my_site.fixity.api import check_files
from my_site.fixity.cli import fixity
from my_site.fixity.tasks import check_file_fixity

CONTENT = b"borehole,depth_m,temp_c\nBH1,10,-2.1\n"


@pytest.fixture()
def store_file(app, location):
    """Store a file in the default location; every stored file is removed afterwards."""
    stored = []

    def store(key="temperatures.csv", content=CONTENT):
        obj = ObjectVersion.create(Bucket.create(), key, stream=io.BytesIO(content))
        db.session.commit()
        stored.append((obj.bucket_id, obj.file_id, path_of(obj.file)))
        return obj.file

    yield store
    for bucket_id, file_id, path in stored:
        ObjectVersion.query.filter_by(bucket_id=bucket_id).delete()
        Bucket.query.filter_by(id=bucket_id).delete()
        FileInstance.query.filter_by(id=file_id).delete()
        if os.path.exists(path):
            os.remove(path)
    db.session.commit()


def path_of(file_instance):
    """Where the file's bytes are on disk."""
    return file_instance.uri.removeprefix("file://")


def damaged_ids(report):
    """The ids of the files a report found corrupted or missing."""
    return {damaged["file_id"] for damaged in report.corrupted + report.missing}


def test_intact_file_passes(store_file):
    """An untouched file is checked and recorded as intact."""
    stored = store_file()
    report = check_files()
    assert report.checked >= 1
    assert str(stored.id) not in damaged_ids(report)
    db.session.refresh(stored)
    assert stored.last_check is True
    assert stored.last_check_at is not None


def test_corrupted_file_is_reported(store_file, mailbox, caplog):
    """A changed byte is detected, logged at ERROR and mailed to the admins."""
    stored = store_file()
    with open(path_of(stored), "r+b") as f:
        f.write(b"X")
    with caplog.at_level(logging.ERROR):
        report = check_files()
    assert str(stored.id) in [damaged["file_id"] for damaged in report.corrupted]
    assert any(
        "corrupted file" in record.getMessage() and str(stored.id) in record.getMessage()
        for record in caplog.records
    )
    assert len(mailbox) == 1
    assert f"CORRUPTED {stored.id}" in mailbox[0].body
    db.session.refresh(stored)
    assert stored.last_check is False


def test_missing_file_is_reported_by_the_cli(store_file, cli_runner):
    """``invenio my-site fixity check --all`` names a vanished file and fails."""
    stored = store_file()
    os.remove(path_of(stored))
    result = cli_runner(fixity, None, "check", "--all")
    assert result.exit_code == 1
    assert f"MISSING   {stored.id}" in result.output
    assert "missing or unreadable" in result.output


def test_oldest_check_first(store_file):
    """A batch takes never-checked files before recently checked ones."""
    store_file()
    check_files()
    newer = store_file("new.csv", b"new")
    report = check_files(batch_size=1)
    assert report.checked == 1
    db.session.refresh(newer)
    assert newer.last_check_at is not None


def test_scheduled_task_checks_a_batch(app, store_file, caplog):
    """The Celery task checks ``MY_SITE_FIXITY_BATCH_SIZE`` files and logs the summary."""
    check_files()  # every file stored so far is checked once
    corrupted = store_file()
    with open(path_of(corrupted), "r+b") as f:
        f.write(b"X")
    batch_size = app.config["MY_SITE_FIXITY_BATCH_SIZE"]
    app.config["MY_SITE_FIXITY_BATCH_SIZE"] = 1
    try:
        with caplog.at_level(logging.INFO):
            check_file_fixity.delay()
    finally:
        app.config["MY_SITE_FIXITY_BATCH_SIZE"] = batch_size
    db.session.refresh(corrupted)
    assert corrupted.last_check is False
    assert any(
        "Fixity check: 1 file(s) checked: 0 intact, 1 corrupted" in record.getMessage()
        for record in caplog.records
    )


def test_beat_schedules_the_task_hourly(app):
    """Celery beat runs the registered fixity task every hour, instead of InvenioRDM's checks."""
    schedule = app.config["CELERY_BEAT_SCHEDULE"]
    entry = schedule["my-site-fixity"]
    assert entry["task"] == check_file_fixity.name
    assert entry["task"] in current_celery.tasks
    assert entry["schedule"] == timedelta(hours=1)
    assert "file-checks" not in schedule
