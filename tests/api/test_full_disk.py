"""A files location that runs out of space during an upload: a 507, nothing half stored.

The location is a real file system of 1 MiB (a tmpfs; mounting it needs root,
which the project's scripts have on its machines); a 2 MiB upload fills it.
InvenioRDM catches the failed transfer and removes the file's entry and what
was written of it (and would answer 200 with an ``errors`` field);
``my_site.uploads`` answers 507 Insufficient Storage instead. The draft stays
as it was, and a file that fits is stored afterwards. A multipart upload
whose second part does not fit is answered 507 too; its entry stays pending,
so the part can be sent again, or the file deleted.
"""

import os
import subprocess
from uuid import uuid4

import pytest
from locations import default_location
from record_data import make_record_data

from my_site.uploads.ext import FULL_MESSAGE

BIG = 2 * 2**20


@pytest.fixture()
def small_location(location, tmp_path):
    """A default files location of 1 MiB, for one test; the tests' own afterwards."""
    if os.geteuid() != 0:
        pytest.fail("this test mounts a 1 MiB tmpfs, which needs root (run-tests.sh runs as root here)")
    mount = tmp_path / "small"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount)], check=True)
    with default_location(location, f"small-{uuid4().hex[:8]}", str(mount)):
        yield mount
    subprocess.run(["umount", "--lazy", str(mount)], check=True)


def test_upload_to_a_full_location_fails_cleanly(client, auth, resource_types, small_location):
    """The upload is answered 507 with a message; no bytes and no file entry stay; the draft is intact."""
    response = client.post("/api/records", json=make_record_data("Too big", "Full"), headers=auth)
    assert response.status_code == 201, response.json
    draft_id = response.json["id"]
    files = f"/api/records/{draft_id}/draft/files"
    assert client.post(files, json=[{"key": "big.bin"}], headers=auth).status_code == 201

    response = client.put(
        f"{files}/big.bin/content", data=b"\0" * BIG,
        headers={**auth, "Content-Type": "application/octet-stream"},
    )  # fmt: skip

    assert response.status_code == 507, response.json
    assert response.json["message"] == FULL_MESSAGE
    assert [path for path in small_location.rglob("*") if path.is_file()] == []  # no partial file
    assert client.get(files, headers=auth).json["entries"] == []  # the entry is gone too
    assert client.get(f"{files}/big.bin", headers=auth).status_code == 404
    publish = client.post(f"/api/records/{draft_id}/draft/actions/publish", headers=auth)
    assert publish.status_code == 400  # files enabled, none uploaded: not publishable
    assert client.get(f"/api/records/{draft_id}/draft", headers=auth).status_code == 200

    assert client.post(files, json=[{"key": "small.txt"}], headers=auth).status_code == 201
    small = client.put(
        f"{files}/small.txt/content", data=b"fits",
        headers={**auth, "Content-Type": "application/octet-stream"},
    )  # fmt: skip
    assert small.status_code == 200, small.json  # the next upload is answered as usual
    assert client.post(f"{files}/small.txt/commit", headers=auth).status_code == 200


def test_a_part_that_does_not_fit_is_answered_507_and_the_upload_can_be_deleted(
    client, auth, resource_types, small_location
):
    """Multipart: the first 1 MiB part fits, the second is answered 507; the pending file can be deleted."""
    response = client.post("/api/records", json=make_record_data("Too big in parts", "Full"), headers=auth)
    draft_id = response.json["id"]
    files = f"/api/records/{draft_id}/draft/files"
    init = [{"key": "big.bin", "size": BIG, "transfer": {"type": "M", "parts": 2, "part_size": BIG // 2}}]
    assert client.post(files, json=init, headers=auth).status_code == 201
    part = {**auth, "Content-Type": "application/octet-stream"}

    assert client.put(f"{files}/big.bin/content/1", data=b"\1" * (BIG // 2), headers=part).status_code == 200
    response = client.put(f"{files}/big.bin/content/2", data=b"\2" * (BIG // 2), headers=part)

    assert response.status_code == 507, response.json
    assert response.json["message"] == FULL_MESSAGE
    (entry,) = client.get(files, headers=auth).json["entries"]
    assert entry["status"] == "pending"  # not committed: the part can be sent again
    assert client.delete(f"{files}/big.bin", headers=auth).status_code == 204
    assert client.get(files, headers=auth).json["entries"] == []
