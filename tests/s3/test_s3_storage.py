"""Files on the S3 object store: publish, download, fixity, backup and restore, files left on the disk.

These tests need the S3 object store of ``scripts/services start s3``
(versitygw on 127.0.0.1:9000; ``./run-tests.sh`` starts it) and fail when it
does not answer. They make their own bucket the default files location for
the module, as ``scripts/setup --storage s3`` does for the instance.
"""

import io
import os
import tarfile

import pytest
import requests
from invenio_db import db
from invenio_files_rest.models import Bucket, FileInstance, ObjectVersion
from invenio_s3.cli import create_bucket
from locations import default_location
from record_data import make_record_data

from my_site.fixity.api import check_files
from my_site.storage.buckets import empty_bucket, s3_filesystem

BUCKET = "my-site-s3-tier"
CONTENT = os.urandom(6 * 2**20 + 17)  # over invenio-s3's 5 MiB block: a multipart write


@pytest.fixture(scope="module")
def s3_location(app, database, location):
    """The tier's bucket as the default files location; the disk's location back afterwards."""
    endpoint = app.config["S3_ENDPOINT_URL"]
    try:
        requests.get(f"{endpoint}/health", timeout=5).raise_for_status()
    except requests.RequestException as error:
        pytest.fail(f"the S3 object store does not answer at {endpoint} ({error}): run scripts/services start s3")
    result = app.test_cli_runner().invoke(create_bucket, [BUCKET])
    assert result.exit_code == 0, result.output
    with default_location(location, "s3-tier", f"s3://{BUCKET}") as s3:
        yield s3
    empty_bucket(BUCKET)


def publish_with_file(client, auth, key, content):
    """Create, upload, commit and publish a record with one file; its id."""
    response = client.post("/api/records", json=make_record_data("Ice cores on S3", "Curie"), headers=auth)
    assert response.status_code == 201, response.json
    draft_id = response.json["id"]
    files = f"/api/records/{draft_id}/draft/files"
    assert client.post(files, json=[{"key": key}], headers=auth).status_code == 201
    upload = client.put(
        f"{files}/{key}/content", data=content, headers={**auth, "Content-Type": "application/octet-stream"}
    )
    assert upload.status_code == 200, upload.json
    assert client.post(f"{files}/{key}/commit", headers=auth).status_code == 200
    published = client.post(f"/api/records/{draft_id}/draft/actions/publish", headers=auth)
    assert published.status_code == 202, published.json
    return draft_id


def file_instance_of(record_id, key):
    """The stored file behind ``key`` of a published record."""
    from invenio_rdm_records.records.api import RDMRecord

    return RDMRecord.pid.resolve(record_id).files[key].file.file_model


def test_a_published_file_is_on_s3_and_downloads_byte_identical(app, client, auth, resource_types, s3_location):
    """The bytes are an object of the bucket; the download redirects to a signed URL that serves them."""
    record_id = publish_with_file(client, auth, "cores.bin", CONTENT)

    stored = file_instance_of(record_id, "cores.bin")
    assert stored.uri.startswith(f"s3://{BUCKET}/"), stored.uri
    assert s3_filesystem().cat(stored.uri) == CONTENT
    response = client.get(f"/api/records/{record_id}/files/cores.bin/content")
    assert response.status_code == 302
    signed = response.headers["Location"]
    assert signed.startswith(f"{app.config['S3_ENDPOINT_URL']}/{BUCKET}/"), signed
    download = requests.get(signed, timeout=30)
    assert download.status_code == 200
    assert download.content == CONTENT
    unsigned = requests.get(signed.split("?")[0], timeout=30)
    assert unsigned.status_code == 403  # the bucket is private: only signed URLs read it


def damaged(report, kind):
    """The ids of the files a fixity report lists as ``kind`` (corrupted or missing)."""
    return [damaged_file["file_id"] for damaged_file in getattr(report, kind)]


def test_fixity_checks_files_on_s3(client, auth, resource_types, s3_location):
    """An intact object passes; one changed behind the repository's back, or removed, is reported."""
    record_id = publish_with_file(client, auth, "checked.bin", b"stable bytes\n" * 1000)
    stored = file_instance_of(record_id, "checked.bin")
    file_id = str(stored.id)

    report = check_files()
    assert file_id not in damaged(report, "corrupted") + damaged(report, "missing")
    assert FileInstance.query.get(stored.id).last_check is True

    s3_filesystem().pipe(stored.uri, b"STABLE BYTES\n" * 1000)  # same size, other bytes
    assert file_id in damaged(check_files(), "corrupted")

    s3_filesystem().rm(stored.uri)
    assert file_id in damaged(check_files(), "missing")


def test_files_on_the_disk_stay_readable_when_the_default_location_is_s3(app, location, s3_location):
    """One storage factory for both: a file of the disk's location is read from the disk."""
    on_disk = ObjectVersion.create(Bucket.create(location=location), "old.csv", stream=io.BytesIO(b"a,b\n1,2\n"))
    on_s3 = ObjectVersion.create(Bucket.create(), "new.csv", stream=io.BytesIO(b"c,d\n3,4\n"))
    db.session.commit()

    assert on_disk.file.uri.startswith(location.uri)
    assert os.path.exists(on_disk.file.uri)
    assert on_s3.file.uri.startswith(f"s3://{BUCKET}/")
    with on_disk.file.storage().open() as stream:
        assert stream.read() == b"a,b\n1,2\n"
    with on_s3.file.storage().open() as stream:
        assert stream.read() == b"c,d\n3,4\n"


def test_backup_and_restore_bring_back_the_objects(app, auth, resource_types, s3_location, tmp_path, run_script):
    """scripts/backup copies the bucket's objects into the archive; scripts/restore puts them back."""
    client = app.test_client()  # not kept in a context: restore must find no open transaction
    kept = b"core,depth_m\nEGRIP,2411\n" * 100
    record_id = publish_with_file(client, auth, "kept.csv", kept)
    uri = file_instance_of(record_id, "kept.csv").uri
    db.session.commit()  # no transaction of ours may hold locks on what restore replaces
    backup = tmp_path / "backup.tar.gz"
    run_script("backup", "--profile", "test", "--output", str(backup))
    with tarfile.open(backup) as archive:
        assert any(name.startswith("files/s3-tier/") for name in archive.getnames())

    s3_filesystem().rm(uri)  # lost after the backup
    db.session.commit()
    output = run_script("restore", "--profile", "test", "--yes-i-know", str(backup)).stdout

    assert "Restore finished" in output
    assert s3_filesystem().cat(uri) == kept
    db.session.expire_all()
    response = client.get(f"/api/records/{record_id}/files/kept.csv/content")
    assert response.status_code == 302
    assert requests.get(response.headers["Location"], timeout=30).content == kept
