"""The ``mysite`` custom fields through the REST API and search."""

from invenio_search import current_search


def create_draft(client, auth, record_data, custom_fields):
    """Create a metadata-only draft with the given custom fields."""
    data = {**record_data, "files": {"enabled": False}, "custom_fields": custom_fields}
    response = client.post("/api/records", json=data, headers=auth)
    assert response.status_code == 201, response.json
    return response.json


def test_custom_fields_are_stored_searchable_and_exported(
    client, location, instruments, auth, record_data
):
    """A record's instrument and notes come back in JSON and are searchable."""
    draft = create_draft(
        client,
        auth,
        record_data,
        {"mysite:instrument": {"id": "lidar-uav"}, "mysite:acquisition_notes": "Flown at 80 m."},
    )
    response = client.post(f"/api/records/{draft['id']}/draft/actions/publish", headers=auth)
    assert response.status_code == 202, response.json
    current_search.flush_and_refresh("rdmrecords-records")

    exported = client.get(f"/api/records/{draft['id']}").json["custom_fields"]
    assert exported["mysite:instrument"]["id"] == "lidar-uav"
    assert exported["mysite:instrument"]["title"]["en"] == "UAV-mounted lidar scanner"
    assert exported["mysite:acquisition_notes"] == "Flown at 80 m."

    query = {"q": "custom_fields.mysite\\:instrument.id:lidar-uav"}
    hits = client.get("/api/records", query_string=query).json["hits"]["hits"]
    assert [hit["id"] for hit in hits] == [draft["id"]]
    query = {"q": "custom_fields.mysite\\:instrument.id:mass-spectrometer"}
    assert client.get("/api/records", query_string=query).json["hits"]["total"] == 0

    response = client.get(f"/records/{draft['id']}/export/json")
    assert response.status_code == 200
    assert b"lidar-uav" in response.data


def test_unknown_instrument_is_rejected(client, location, instruments, auth, record_data):
    """An instrument outside the vocabulary is refused with a 400 naming the field."""
    data = {**record_data, "custom_fields": {"mysite:instrument": {"id": "no-such-thing"}}}
    response = client.post("/api/records", json=data, headers=auth)
    assert response.status_code == 400
    fields = [error["field"] for error in response.json["errors"]]
    assert fields == ["custom_fields.mysite:instrument"]
    assert "no-such-thing" in str(response.json["errors"])

    draft = create_draft(client, auth, record_data, {"mysite:instrument": {"id": "lidar-uav"}})
    data["metadata"] = draft["metadata"]
    response = client.put(f"/api/records/{draft['id']}/draft", json=data, headers=auth)
    assert response.status_code == 400
    assert response.json["errors"][0]["field"] == "custom_fields.mysite:instrument"


def test_too_long_notes_are_refused(client, location, instruments, auth, record_data):
    """Notes over 2000 characters are not stored; the draft's errors name the field."""
    data = {**record_data, "custom_fields": {"mysite:acquisition_notes": "x" * 2001}}
    response = client.post("/api/records", json=data, headers=auth)
    assert response.status_code == 201  # drafts keep what is valid and list the rest
    assert [error["field"] for error in response.json["errors"]] == [
        "custom_fields.mysite:acquisition_notes"
    ]
    assert "mysite:acquisition_notes" not in response.json.get("custom_fields", {})
