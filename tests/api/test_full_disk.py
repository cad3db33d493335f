"""A files location that runs out of space during an upload: the upload fails, nothing half stored.

The location is a real file system of 1 MiB (a tmpfs; mounting it needs root,
which the project's scripts have on its machines); a 2 MiB upload fills it.
InvenioRDM catches the failed transfer, removes the file's entry and what was
written of it, and answers 200 with ``"errors": "File upload transfer failed."``
(its own choice: the clean-up must be committed); the draft stays as it was.
"""

import os
import subprocess

import pytest
from invenio_db import db
from invenio_files_rest.models import Location
from record_data import make_record_data

BIG = 2 * 2**20


@pytest.fixture()
def small_location(location, tmp_path):
    """A default files location of 1 MiB, for one test; the tests' own afterwards."""
    if os.geteuid() != 0:
        pytest.fail("this test mounts a 1 MiB tmpfs, which needs root (run-tests.sh runs as root here)")
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount)], check=True)
    small = Location(name="small-for-the-test", uri=str(mount), default=True)
    location.default = False
    db.session.add(small)
    db.session.commit()
    yield mount
    small.default, location.default = False, True
    db.session.commit()
    subprocess.run(["umount", "--lazy", str(mount)], check=True)


def test_upload_to_a_full_location_fails_cleanly(client, auth, resource_types, small_location):
    """The upload is refused with InvenioRDM's error; no bytes and no file entry stay; the draft is intact."""
    response = client.post("/api/records", json=make_record_data("Too big", "Full"), headers=auth)
    assert response.status_code == 201, response.json
    draft_id = response.json["id"]
    files = f"/api/records/{draft_id}/draft/files"
    assert client.post(files, json=[{"key": "big.bin"}], headers=auth).status_code == 201

    response = client.put(
        f"{files}/big.bin/content", data=b"\0" * BIG,
        headers={**auth, "Content-Type": "application/octet-stream"},
    )  # fmt: skip

    assert response.status_code == 200  # InvenioRDM's answer to a failed transfer
    assert response.json["errors"] == "File upload transfer failed."
    assert [path for path in small_location.rglob("*") if path.is_file()] == []  # no partial file
    assert client.get(files, headers=auth).json["entries"] == []  # the entry is gone too
    assert client.get(f"{files}/big.bin", headers=auth).status_code == 404
    publish = client.post(f"/api/records/{draft_id}/draft/actions/publish", headers=auth)
    assert publish.status_code == 400  # files enabled, none uploaded: not publishable
    assert client.get(f"/api/records/{draft_id}/draft", headers=auth).status_code == 200
