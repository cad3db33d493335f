"""A depositor's journey through the REST API: draft, file, publish, search, download."""

import hashlib

import pytest
from invenio_search import current_search

FILE_KEY = "measurements.csv"
FILE_BYTES = b"station,date,melt_mm\naletsch,2026-01-15,3.2\n" * 100


def create_draft_with_file(client, headers, data):
    """Create a draft, upload FILE_BYTES to it and set its metadata; return its id."""
    response = client.post("/api/records", json={**data, "metadata": {}}, headers=headers)
    assert response.status_code == 201, response.json
    draft_id = response.json["id"]

    response = client.post(
        f"/api/records/{draft_id}/draft/files", json=[{"key": FILE_KEY}], headers=headers
    )
    assert response.status_code == 201, response.json
    response = client.put(
        f"/api/records/{draft_id}/draft/files/{FILE_KEY}/content",
        data=FILE_BYTES,
        headers={**headers, "Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 200, response.json
    response = client.post(
        f"/api/records/{draft_id}/draft/files/{FILE_KEY}/commit", headers=headers
    )
    assert response.status_code == 200, response.json

    response = client.put(f"/api/records/{draft_id}/draft", json=data, headers=headers)
    assert response.status_code == 200, response.json
    assert response.json["metadata"]["title"] == data["metadata"]["title"]
    return draft_id


def publish(client, headers, draft_id):
    """Publish the draft and return the record's JSON."""
    response = client.post(f"/api/records/{draft_id}/draft/actions/publish", headers=headers)
    assert response.status_code == 202, response.json
    assert response.json["status"] == "published"
    current_search.flush_and_refresh("rdmrecords-records")  # searchable now, not in 1 s
    return response.json


def test_deposit_publish_search_download(
    client, location, resource_types, auth, record_data
):
    """A published record is found by its title words and serves its file intact."""
    draft_id = create_draft_with_file(client, auth, record_data)
    record = publish(client, auth, draft_id)
    assert record["files"]["count"] == 1

    response = client.get("/api/records", query_string={"q": "Aletsch glacier"})
    assert response.status_code == 200
    hits = response.json["hits"]["hits"]
    assert [hit["id"] for hit in hits] == [draft_id]

    response = client.get(f"/api/records/{draft_id}/files/{FILE_KEY}")
    assert response.status_code == 200
    checksum = response.json["checksum"]
    response = client.get(f"/api/records/{draft_id}/files/{FILE_KEY}/content")
    assert response.status_code == 200
    assert response.data == FILE_BYTES
    assert checksum == "md5:" + hashlib.md5(FILE_BYTES).hexdigest()


def test_restricted_record_is_invisible_to_anonymous(
    client, location, resource_types, auth, record_data
):
    """Anonymous clients can neither read nor find a restricted record."""
    record_data["access"] = {"record": "restricted", "files": "restricted"}
    record_data["metadata"]["title"] = "Confidential borehole temperatures"
    draft_id = create_draft_with_file(client, auth, record_data)
    publish(client, auth, draft_id)

    assert client.get(f"/api/records/{draft_id}", headers=auth).status_code == 200
    response = client.get(f"/api/records/{draft_id}")
    assert response.status_code == 403
    response = client.get(f"/api/records/{draft_id}/files/{FILE_KEY}/content")
    assert response.status_code in (403, 404)
    response = client.get("/api/records", query_string={"q": "borehole"})
    assert response.json["hits"]["total"] == 0
    response = client.get("/api/records", query_string={"q": "borehole"}, headers=auth)
    assert response.json["hits"]["total"] == 1  # its owner still finds it
