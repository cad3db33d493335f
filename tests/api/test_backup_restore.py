"""scripts/backup and scripts/restore on the tests' database, files and indices.

The scripts run as an operator runs them (``--profile test``): a record and
its file, changed and lost after the backup, are back after the restore, with
the search index rebuilt from the restored database.
"""

import io
import shutil
import subprocess
import tarfile

import pytest
from invenio_rdm_records.proxies import current_rdm_records_service as records
from invenio_search import current_search

TITLE = "Permafrost borehole temperatures from Schilthorn"
FILE_KEY = "boreholes.csv"
CONTENT = b"borehole,depth_m,temp_c\nSCH_5198,10,-0.4\n" * 50


@pytest.fixture()
def published(app, database, location, resource_types, owner, record_data):
    """The id of a public record with one file, committed to the tests' database."""
    record_data["metadata"]["title"] = TITLE
    draft = records.create(owner.identity, record_data)
    records.draft_files.init_files(owner.identity, draft.id, [{"key": FILE_KEY}])
    records.draft_files.set_file_content(owner.identity, draft.id, FILE_KEY, io.BytesIO(CONTENT))
    records.draft_files.commit_file(owner.identity, draft.id, FILE_KEY)
    record = records.publish(owner.identity, draft.id)
    current_search.flush_and_refresh("rdmrecords-records")
    return record.id


def file_content(owner, record_id):
    """The bytes of the record's file, read through the files service."""
    item = records.files.get_file_content(owner.identity, record_id, FILE_KEY)
    with item.get_stream("rb") as stream:
        return stream.read()


def titles_found(owner, query):
    """The titles of the records a search finds."""
    result = records.search(owner.identity, q=query)
    return [hit["metadata"]["title"] for hit in result.hits]


def change_title(owner, record_id, record_data, title):
    """Publish a new title for the record."""
    draft = records.edit(owner.identity, record_id)
    record_data["metadata"]["title"] = title
    records.update_draft(owner.identity, draft.id, record_data)
    records.publish(owner.identity, draft.id)
    current_search.flush_and_refresh("rdmrecords-records")


def test_backup_then_restore_brings_back_metadata_files_and_search(
    published, record_data, location, owner, tmp_path, run_script
):
    """Changes and lost files after the backup are undone by the restore."""
    files_folder = location.uri
    backup = tmp_path / "my-site-backup.tar.gz"
    output = run_script("backup", "--profile", "test", "--output", str(backup)).stdout
    assert "1 records, 1 files" in output
    assert backup.stat().st_mode & 0o077 == 0, "a backup holds secrets: owner only"
    with tarfile.open(backup) as archive:
        names = archive.getnames()
    assert {"backup.txt", "app-secrets.env", "database.sql"} <= set(names)
    assert any(name.startswith("files/pytest-location/") for name in names)

    # After the backup: the title changes and the stored file is lost.
    change_title(owner, published, record_data, "Replaced title")
    shutil.rmtree(files_folder)
    assert titles_found(owner, "Schilthorn") == []

    output = run_script("restore", "--profile", "test", "--yes-i-know", str(backup)).stdout
    assert "Restore finished" in output

    assert records.read(owner.identity, published).data["metadata"]["title"] == TITLE
    assert titles_found(owner, "Schilthorn") == [TITLE]
    assert file_content(owner, published) == CONTENT


def test_failed_restore_leaves_the_database_as_it_was(
    published, record_data, owner, tmp_path, run_script
):
    """A dump that breaks at its end changes nothing: it is loaded in one transaction."""
    backup = tmp_path / "backup.tar.gz"
    run_script("backup", "--profile", "test", "--output", str(backup))
    change_title(owner, published, record_data, "Changed after the backup")
    unpacked = tmp_path / "unpacked"
    with tarfile.open(backup) as archive:
        archive.extractall(unpacked, filter="data")
    with open(unpacked / "database.sql", "a") as dump:
        dump.write("SELECT this is no SQL;\n")
    broken = tmp_path / "broken.tar.gz"
    with tarfile.open(broken, "w:gz") as archive:
        for name in ("backup.txt", "app-secrets.env", "database.sql", "files"):
            archive.add(unpacked / name, arcname=name)

    result = run_script("restore", "--profile", "test", "--yes-i-know", str(broken), status=1)
    assert "could not be restored and was left unchanged" in result.stderr
    record = records.read(owner.identity, published)
    assert record.data["metadata"]["title"] == "Changed after the backup"


def test_restore_refuses_what_is_not_a_backup(tmp_path, run_script):
    """A file that is not an archive of scripts/backup changes nothing."""
    not_a_backup = tmp_path / "notes.tar.gz"
    with tarfile.open(not_a_backup, "w:gz") as archive:
        archive.add(__file__, arcname="notes.py")
    result = run_script("restore", "--profile", "test", "--yes-i-know", str(not_a_backup), status=1)
    assert "is not a backup of scripts/backup (backup.txt is missing)" in result.stderr


def test_encrypted_backup_is_unreadable_without_the_key_and_restores_with_it(
    published, record_data, owner, tmp_path, run_script
):
    """--encrypt-to writes an age file without a clear byte of the data; --identity reads it back."""
    key = tmp_path / "operator_ed25519"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(key)], check=True)
    backup = tmp_path / "offsite.tar.gz.age"
    output = run_script(
        "backup", "--profile", "test", "--encrypt-to", f"{key}.pub", "--output", str(backup)
    ).stdout
    assert "It is encrypted" in output
    sealed = backup.read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1")
    assert b"MY_SITE_SECRET_KEY" not in sealed and TITLE.encode() not in sealed

    result = run_script("restore", "--profile", "test", "--yes-i-know", str(backup), status=1)
    assert "is encrypted: give --identity FILE" in result.stderr

    change_title(owner, published, record_data, "Changed after the encrypted backup")
    output = run_script(
        "restore", "--profile", "test", "--yes-i-know", "--identity", str(key), str(backup)
    ).stdout
    assert "Restore finished" in output
    assert records.read(owner.identity, published).data["metadata"]["title"] == TITLE
