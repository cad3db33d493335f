"""The OECD Fields of Science: a subject vocabulary loaded by setup, suggested and faceted."""

from invenio_search import current_search


def test_fields_of_science_are_loaded(client, subjects):
    """Setup creates the 6 broad fields and 42 fields of scheme FOS, with German labels."""
    assert subjects == 48
    response = client.get("/api/subjects", query_string={"q": "scheme:FOS", "size": 100})
    assert response.status_code == 200
    hits = response.json["hits"]
    assert hits["total"] == 48
    geography = next(hit for hit in hits["hits"] if hit["id"] == "fos-5.7")
    assert geography["subject"] == "Social and economic geography"
    assert geography["title"]["de"] == "Sozial- und Wirtschaftsgeographie"
    assert geography["props"] == {"code": "5.7", "broader": "fos-5", "level": "field"}


def test_subject_suggestions(client, subjects):
    """The deposit form's autocompletion finds a field from the start of a word."""
    response = client.get("/api/subjects", query_string={"suggest": "geograph"})
    assert response.status_code == 200
    found = {hit["id"] for hit in response.json["hits"]["hits"]}
    assert "fos-5.7" in found
    assert "fos-1.1" not in found


def test_records_are_faceted_by_subject(
    client, location, resource_types, subjects, auth, record_data
):
    """A published record's field of science appears in the subject facet, and filters."""
    data = {
        **record_data,
        "files": {"enabled": False},
        "metadata": {**record_data["metadata"], "subjects": [{"id": "fos-1.5"}]},
    }
    draft = client.post("/api/records", json=data, headers=auth)
    assert draft.status_code == 201, draft.json
    record_id = draft.json["id"]
    published = client.post(f"/api/records/{record_id}/draft/actions/publish", headers=auth)
    assert published.status_code == 202, published.json
    (subject,) = published.json["metadata"]["subjects"]
    assert (subject["id"], subject["scheme"], subject["subject"]) == (
        "fos-1.5", "FOS", "Earth and related environmental sciences"
    )
    current_search.flush_and_refresh("rdmrecords-records")

    aggregation = client.get("/api/records").json["aggregations"]["subject_combined"]
    scheme = next(bucket for bucket in aggregation["buckets"] if bucket["key"] == "FOS")
    inner = [bucket["key"] for bucket in scheme["inner"]["buckets"]]
    assert inner == ["Earth and related environmental sciences"]

    chosen = {"subject_combined": "FOS::Earth and related environmental sciences"}
    hits = client.get("/api/records", query_string=chosen).json["hits"]["hits"]
    assert [hit["id"] for hit in hits] == [record_id]
    other = {"subject_combined": "FOS::Mathematics"}
    assert client.get("/api/records", query_string=other).json["hits"]["total"] == 0
