"""Restricted records and files, probed through every way out by those not allowed to see them.

The owner publishes a restricted record (metadata and file) and a public
record whose file is restricted, each with a marker word in its title and in
its file. Anonymous visitors (REST API, web pages, search, OAI-PMH, exports,
downloads, IIIF, sitemap) and a logged-in stranger (REST API) must never get a
marker back. The owner, who may, does: the probes would find a leak.
"""

import io

import pytest
from invenio_rdm_records.proxies import current_rdm_records_service as records
from invenio_search import current_search
from probing import Probe, note_leak
from record_data import make_record_data

SECRET_TITLE = "Zanzibarite borehole logs"
SECRET_CONTENT = b"zanzibarite-only-for-the-owner\n" * 20
OPEN_TITLE = "Quokkaite survey with closed data"
FILE_KEY = "readings.csv"


def publish_with_file(owner, title, record_access, files_access):
    """Publish a record with one file; its id."""
    data = make_record_data(title, "Keeper")
    data["access"] = {"record": record_access, "files": files_access}
    draft = records.create(owner.identity, data)
    records.draft_files.init_files(owner.identity, draft.id, [{"key": FILE_KEY}])
    records.draft_files.set_file_content(owner.identity, draft.id, FILE_KEY, io.BytesIO(SECRET_CONTENT))
    records.draft_files.commit_file(owner.identity, draft.id, FILE_KEY)
    record = records.publish(owner.identity, draft.id)
    return record.id


@pytest.fixture(scope="module")
def restricted(app, location, resource_types, owner):
    """Ids of the restricted record and of the public record with a restricted file."""
    ids = {
        "restricted": publish_with_file(owner, SECRET_TITLE, "restricted", "restricted"),
        "closed_files": publish_with_file(owner, OPEN_TITLE, "public", "restricted"),
    }
    current_search.flush_and_refresh("rdmrecords-records")
    return ids


def paths(ids):
    """What a visitor may ask for, each path with the markers it must not reveal."""
    hidden, closed = ids["restricted"], ids["closed_files"]
    secret = [SECRET_TITLE.encode(), SECRET_CONTENT[:30]]
    content = [SECRET_CONTENT[:30]]
    return [
        (f"/api/records/{hidden}", secret),
        (f"/api/records/{hidden}/versions", secret),
        (f"/api/records/{hidden}/versions/latest", secret),
        (f"/api/records/{hidden}/files", secret),
        (f"/api/records/{hidden}/files/{FILE_KEY}/content", secret),
        (f"/api/records?q=zanzibarite", secret),
        (f"/api/records?q=title:zanzibarite&allversions=true", secret),
        (f"/api/records/{closed}/files/{FILE_KEY}/content", content),
        (f"/api/records/{closed}/files", content),
        (f"/api/iiif/record:{hidden}/manifest", secret),
        (f"/records/{hidden}", secret),
        (f"/records/{hidden}/export/json", secret),
        (f"/records/{hidden}/export/datacite-xml", secret),
        (f"/records/{hidden}/files/{FILE_KEY}?download=1", secret),
        (f"/records/{closed}/files/{FILE_KEY}?download=1", content),
        (f"/records/{closed}/preview/{FILE_KEY}", content),
        (f"/search?q=zanzibarite", secret),
        ("/oai2d?verb=ListRecords&metadataPrefix=oai_dc", secret),
        ("/oai2d?verb=ListRecords&metadataPrefix=datacite", secret),
        (f"/oai2d?verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:127.0.0.1:{hidden}", secret),
        ("/sitemap.xml", secret),
        ("/sitemap_0.xml", secret),
    ]


def leaks_seen_by(probe, ids, who):
    """Probe every path; the (path, marker) pairs that came back."""
    found = []
    for path, markers in paths(ids):
        response = probe.send("GET", path)
        body = response.get_data()
        for marker in markers:
            if marker in body:
                found.append((path, marker))
                note_leak(f"{who} got {marker[:20]!r} from {path} ({response.status_code})")
    return found


def test_the_owner_sees_what_the_probes_look_for(app, owner, headers_of, restricted):
    """The probes are able to find the markers: the owner, who may, gets them."""
    probe = Probe(app.test_client(), headers_of(owner.user, "owner-sees"))
    record = probe.send("GET", f"/api/records/{restricted['restricted']}")
    assert SECRET_TITLE in record.get_data(as_text=True)
    download = probe.send("GET", f"/api/records/{restricted['closed_files']}/files/{FILE_KEY}/content")
    assert download.status_code == 200 and download.get_data() == SECRET_CONTENT
    found = probe.send("GET", "/api/records?q=zanzibarite")
    assert SECRET_TITLE in found.get_data(as_text=True)


def test_anonymous_visitors_get_no_restricted_data(app, restricted):
    """Anonymous: not through the API, the pages, search, OAI-PMH, exports, downloads or sitemaps."""
    probe = Probe(app.test_client())
    assert leaks_seen_by(probe, restricted, "anonymous") == []


def test_a_logged_in_stranger_gets_no_restricted_data(app, stranger, headers_of, restricted):
    """Another user's token opens nothing of the owner's restricted record and file."""
    probe = Probe(app.test_client(), headers_of(stranger.user, "stranger"))
    assert leaks_seen_by(probe, restricted, "stranger") == []


def test_the_public_part_of_a_record_with_closed_files_is_public(app, restricted):
    """The record with restricted files is itself visible: the probe reached it."""
    response = Probe(app.test_client()).send("GET", f"/api/records/{restricted['closed_files']}")
    assert response.status_code == 200 and OPEN_TITLE in response.get_data(as_text=True)
