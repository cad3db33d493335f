"""Deposits through the REST API, as the API tests make them: drafts, files, publishing."""

from invenio_search import current_search


def add_file(client, headers, draft_id, key, content):
    """Upload and commit a file to a draft."""
    files = f"/api/records/{draft_id}/draft/files"
    response = client.post(files, json=[{"key": key}], headers=headers)
    assert response.status_code == 201, response.json
    response = client.put(
        f"{files}/{key}/content", data=content,
        headers={**headers, "Content-Type": "application/octet-stream"},
    )
    assert response.status_code == 200, response.json
    response = client.post(f"{files}/{key}/commit", headers=headers)
    assert response.status_code == 200, response.json


def new_draft(client, headers, data, files=()):
    """Create a draft with ``files`` (pairs of name and content); return its id."""
    data = {**data, "files": {"enabled": bool(files)}}
    response = client.post("/api/records", json=data, headers=headers)
    assert response.status_code == 201, response.json
    for key, content in files:
        add_file(client, headers, response.json["id"], key, content)
    return response.json["id"]


def publish(client, headers, draft_id):
    """Publish a draft, searchable at once; return the record."""
    response = client.post(f"/api/records/{draft_id}/draft/actions/publish", headers=headers)
    assert response.status_code == 202, response.json
    current_search.flush_and_refresh("rdmrecords-records")
    return response.json
