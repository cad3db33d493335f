"""InvenioRDM 13/14 features my-site switches on, each used as a depositor or curator would.

Collections, curation checks, deletion by the owner (and its tombstone), file changes
after publication, quota increases, membership requests, the publication-date range
facet, ZIP and GeoJSON previews, and FAIR Signposting.
"""

import io
import json
import zipfile
from pathlib import Path

import pytest
from deposits import new_draft, publish
from invenio_search import current_search

from my_site.curation.cli import curation_checks

RULES = str(Path(__file__).resolve().parents[2] / "app_data" / "curation-checks.yaml")
"""The example curation rules: a description required, a licence and a subject advised."""

GEOJSON = json.dumps({
    "type": "FeatureCollection",
    "features": [{
        "type": "Feature",
        "properties": {"name": "Aletsch station"},
        "geometry": {"type": "Point", "coordinates": [8.02, 46.44]},
    }],
}).encode()


def zip_archive():
    """A ZIP archive of two small CSV files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("melt/2025.csv", "date,melt_mm\n2025-07-01,31\n")
        archive.writestr("melt/2026.csv", "date,melt_mm\n2026-07-01,28\n")
    return buffer.getvalue()


@pytest.fixture(scope="module", autouse=True)
def ready(location, rdm_vocabularies, instruments):
    """A files location and the vocabularies of records, custom fields and deletion reasons."""


@pytest.fixture(scope="module")
def member(app, database, UserFixture):
    """A second user, who asks to join communities."""
    return UserFixture(email="member@example.org", password="member-test-password").create(
        app, database
    )


@pytest.fixture(scope="module")
def community(owner):
    """A public community of the owner, open to membership requests."""
    from invenio_communities.proxies import current_communities

    data = {
        "slug": "glaciology",
        "metadata": {"title": "Glaciology"},
        "access": {"visibility": "public", "member_policy": "open"},
    }
    community = current_communities.service.create(owner.identity, data).to_dict()
    current_search.flush_and_refresh("communities")
    return community


def test_collections_are_browsable(client, auth, community, record_data):
    """A community's owner arranges its records in a collection; visitors browse it."""
    community_id, slug = community["id"], community["slug"]
    trees = f"/api/communities/{community_id}/collection-trees"
    response = client.post(trees, json={"slug": "regions", "title": "Regions"}, headers=auth)
    assert response.status_code == 201, response.json
    collection = {"slug": "alps", "title": "The Alps", "search_query": "metadata.title:aletsch"}
    response = client.post(f"{trees}/regions/collections", json=collection, headers=auth)
    assert response.status_code == 201, response.json

    response = client.get(f"/communities/{slug}/browse")
    assert response.status_code == 200
    assert "The Alps" in response.get_data(as_text=True)
    response = client.get(f"/communities/{slug}/collections/regions/alps")
    assert response.status_code == 200
    assert "The Alps" in response.get_data(as_text=True)
    assert client.get(f"/communities/{slug}/collections/regions/andes").status_code == 404


def test_curation_checks_hold_back_a_submission(
    client, auth, community, record_data, cli_runner, app
):
    """A draft submitted to a community with a description rule is held until it has one."""
    result = cli_runner(curation_checks, None, "set", "glaciology", RULES)
    assert result.exit_code == 0, result.output
    assert "3 curation rules set for community glaciology." in result.output
    result = cli_runner(curation_checks, None, "show", "glaciology")
    assert "error    description-required: Description" in result.output

    draft_id = new_draft(client, auth, record_data)
    review = {"receiver": {"community": community["id"]}, "type": "community-submission"}
    response = client.put(f"/api/records/{draft_id}/draft/review", json=review, headers=auth)
    assert response.status_code == 200, response.json
    data = {**record_data, "files": {"enabled": False}}
    response = client.put(f"/api/records/{draft_id}/draft", json=data, headers=auth)
    assert response.status_code == 200, response.json  # saved, with what the checks found
    errors = response.json["errors"]
    severities = {error["field"]: error["severity"] for error in errors}
    assert severities == {
        "metadata.description": "error", "metadata.rights": "warning",
        "metadata.subjects": "info",
    }
    submit = f"/api/records/{draft_id}/draft/actions/submit-review"
    response = client.post(submit, json={}, headers=auth)
    assert response.status_code == 400, response.json

    data["metadata"] = {**data["metadata"], "description": "Daily melt at the station."}
    response = client.put(f"/api/records/{draft_id}/draft", json=data, headers=auth)
    assert response.status_code == 200, response.json
    assert "metadata.description" not in {error["field"] for error in response.json["errors"]}
    response = client.post(submit, json={}, headers=auth)
    assert response.status_code == 202, response.json

    result = cli_runner(curation_checks, None, "set", "no-such-community", RULES)
    assert result.exit_code == 2 and "No community with the slug 'no-such-community'" in result.output


def test_owner_deletes_a_new_record_and_leaves_a_tombstone(client, auth, record_data):
    """Within the grace period the owner deletes a record at once; its page becomes a tombstone."""
    record_id = publish(client, auth, new_draft(client, auth, record_data))["id"]
    deletion = {"reason": "test-record", "comment": "Uploaded to try the deposit form out."}
    response = client.post(f"/api/records/{record_id}/request-deletion", json=deletion, headers=auth)
    assert response.status_code == 200, response.json
    assert (response.json["type"], response.json["status"]) == ("record-deletion", "accepted")

    assert client.get(f"/api/records/{record_id}").status_code == 410
    page = client.get(f"/records/{record_id}")
    assert page.status_code == 410
    assert "Reason for removal" in page.get_data(as_text=True)
    current_search.flush_and_refresh("rdmrecords-records")
    query = {"q": f"id:{record_id}"}
    assert client.get("/api/records", query_string=query).json["hits"]["total"] == 0


def test_owner_replaces_a_file_after_publication(client, auth, record_data):
    """The owner unlocks a new record's files, adds a corrected one and publishes again."""
    record_id = publish(
        client, auth, new_draft(client, auth, record_data, [("melt.csv", b"day,mm\n1,3\n")])
    )["id"]
    response = client.post(f"/api/records/{record_id}/draft", headers=auth)
    assert response.status_code == 201, response.json
    files = f"/api/records/{record_id}/draft/files"
    response = client.post(files, json=[{"key": "melt-corrected.csv"}], headers=auth)
    assert response.status_code == 201, response.json
    content = f"{files}/melt-corrected.csv/content"
    octets = {**auth, "Content-Type": "application/octet-stream"}
    response = client.put(content, data=b"day,mm\n1,3.4\n", headers=octets)
    assert response.status_code == 403, response.json  # locked until the owner unlocks them
    assert response.json["message"] == "Bucket is locked for modifications."

    response = client.post(f"/api/records/{record_id}/file-modification", json={}, headers=auth)
    assert response.status_code == 200, response.json
    assert (response.json["type"], response.json["status"]) == ("file-modification", "accepted")
    response = client.put(content, data=b"day,mm\n1,3.4\n", headers=octets)
    assert response.status_code == 200, response.json
    response = client.post(f"{files}/melt-corrected.csv/commit", headers=auth)
    assert response.status_code == 200, response.json
    publish(client, auth, record_id)
    entries = client.get(f"/api/records/{record_id}/files").json["entries"]
    assert sorted(entry["key"] for entry in entries) == ["melt-corrected.csv", "melt.csv"]


def test_depositor_raises_a_drafts_quota(client, auth, record_data):
    """The owner of a draft raises its quota from 10 GB to 12 GB from their allowance."""
    from invenio_rdm_records.proxies import current_rdm_records_service

    draft_id = new_draft(client, auth, record_data, [("readme.txt", b"Raw radar data follow.")])
    response = client.post(
        f"/api/records/{draft_id}/quota-increase", json={"quota_size": "12"}, headers=auth
    )
    assert response.status_code == 200, response.json
    assert (response.json["type"], response.json["status"]) == ("quota-increase", "accepted")
    draft = current_rdm_records_service.draft_cls.pid.resolve(draft_id, registered_only=False)
    assert draft.bucket.quota_size == 12 * 10**9

    response = client.post(
        f"/api/records/{draft_id}/quota-increase", json={"quota_size": "60"}, headers=auth
    )
    assert response.status_code == 403  # beyond the allowance of 40 GB


def test_user_asks_to_join_a_community(client, community, member, auth, headers_of):
    """A user asks to join an open community; its owner sees the request."""
    requests_url = f"/api/communities/{community['id']}/membership-requests"
    member_headers = headers_of(member, "membership")
    message = {"message": "I run the Aletsch weather station and would like to curate."}
    response = client.post(requests_url, json=message, headers=member_headers)
    assert response.status_code == 201, response.json
    assert response.json["type"] == "community-membership-request"
    current_search.flush_and_refresh("communitymembers")

    listed = client.get(requests_url, headers=auth)  # the community's pending members
    assert listed.status_code == 200, listed.json
    hits = listed.json["hits"]["hits"]
    assert [hit["request"]["id"] for hit in hits] == [response.json["id"]]
    assert hits[0]["member"]["id"] == str(member.id)


def test_search_by_publication_date_range(client, auth, record_data):
    """Records are found by a range of publication dates, and counted by year."""
    data = {**record_data, "metadata": {**record_data["metadata"], "publication_date": "1998-05"}}
    record_id = publish(client, auth, new_draft(client, auth, data))["id"]

    def found(dates):
        response = client.get("/api/records", query_string={"publication_date": dates})
        assert response.status_code == 200, response.json
        return [hit["id"] for hit in response.json["hits"]["hits"]]

    assert found("1990..1999") == [record_id]
    assert found("1998-06..2000") == []
    years = client.get("/api/records").json["aggregations"]["publication_date"]["buckets"]
    assert any(bucket["key"].startswith("1998") for bucket in years)


def test_zip_and_geojson_previews(client, auth, record_data):
    """A ZIP archive's listing and a GeoJSON map are previewed on the landing page."""
    files = [("melt.zip", zip_archive()), ("station.geojson", GEOJSON)]
    record_id = publish(client, auth, new_draft(client, auth, record_data, files))["id"]

    listing = client.get(f"/api/records/{record_id}/files/melt.zip/container")
    assert listing.status_code == 200, listing.json
    assert "2026.csv" in json.dumps(listing.json)
    preview = client.get(f"/records/{record_id}/preview/melt.zip")
    assert preview.status_code == 200
    assert "2025.csv" in preview.get_data(as_text=True)

    preview = client.get(f"/records/{record_id}/preview/station.geojson")
    assert preview.status_code == 200
    page = preview.get_data(as_text=True)
    assert 'id="map"' in page and "geojson_js" in page


def test_landing_page_signposting(client, auth, record_data):
    """Landing pages announce the record's metadata exports, files and type in Link headers."""
    record_id = publish(
        client, auth, new_draft(client, auth, record_data, [("melt.csv", b"day,mm\n1,3\n")])
    )["id"]
    response = client.get(f"/records/{record_id}")
    assert response.status_code == 200
    links = response.headers["Link"]
    for relation in ('rel="describedby"', 'rel="item"', 'rel="type"', 'rel="linkset"'):
        assert relation in links, links
    assert f"/records/{record_id}/files/melt.csv" in links
