"""Every REST write of records, drafts, files, communities and requests, tried with bad input.

Inputs come from hypothesis: documents with one field replaced by a value of
any JSON type, malformed JSON, hostile file keys, oversize values, unknown
fields, and the same writes without credentials. Whatever comes in, the
answer is never a server error: it is a 4xx with a message, or (drafts accept
incomplete metadata by design) a success that stored what was valid.
"""

import copy

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from invenio_communities.proxies import current_communities
from invenio_files_rest.models import FileInstance
from invenio_rdm_records.proxies import current_rdm_records_service as records
from probing import Probe
from record_data import make_record_data

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
"""Any JSON value: the wrong type for almost every field."""

RECORD_FIELDS = [
    ("metadata", "title"),
    ("metadata", "creators"),
    ("metadata", "publication_date"),
    ("metadata", "resource_type"),
    ("metadata", "rights"),
    ("metadata", "subjects"),
    ("metadata", "dates"),
    ("metadata", "related_identifiers"),
    ("access", "record"),
    ("access", "files"),
    ("access", "embargo"),
    ("files", "enabled"),
    ("files", "default_preview"),
    ("pids",),
    ("custom_fields",),
    ("metadata",),
    ("access",),
    ("an_unknown_field",),
]
COMMUNITY_FIELDS = [("slug",), ("metadata", "title"), ("metadata", "type"), ("access", "visibility"),
                    ("access", "member_policy"), ("metadata",), ("an_unknown_field",)]
HOSTILE_KEYS = [
    "../../../../etc/passwd", "..", ".", "/etc/shadow", "a/../../b", "dir/../../../x",
    "%2e%2e%2fsecret", "..\\..\\windows", "nul\x00byte", "x" * 2000, " ", "", "con",
    "\u202etxt.exe", "a\nb", "~/.ssh/id_rsa",
]


def with_value(document, path, value):
    """A deep copy of ``document`` with the field at ``path`` set to ``value``."""
    changed = copy.deepcopy(document)
    target = changed
    for key in path[:-1]:
        if not isinstance(target.get(key), dict):
            target[key] = {}
        target = target[key]
    target[path[-1]] = value
    return changed


def remove_draft_files(owner, draft_id):
    """Delete every file of the draft, through the service."""
    for entry in records.draft_files.list_files(owner.identity, draft_id).entries:
        records.draft_files.delete_file(owner.identity, draft_id, entry["key"])


def community_data(slug):
    """A valid public community."""
    return {"slug": slug, "access": {"visibility": "public"}, "metadata": {"title": f"Community {slug}"}}


def assert_refused_or_done(response, done):
    """Not a server error: a success in ``done``, or a 4xx whose body says why (JSON or text)."""
    assert response.status_code < 500, response.get_data(as_text=True)[:500]
    if response.status_code not in done:
        assert 400 <= response.status_code < 500, response.status_code
        said = response.json.get("message") if response.is_json else response.get_data(as_text=True)
        assert said and said.strip(), response.get_data(as_text=True)[:300]


@pytest.fixture(scope="module")
def owner_probe(app, location, owner, headers_of):
    """The owner's REST client."""
    return Probe(app.test_client(), headers_of(owner.user, "security"))


@pytest.fixture(scope="module")
def anonymous_probe(app):
    """A REST client without credentials."""
    return Probe(app.test_client(), {"Accept": "application/json"})


@pytest.fixture(scope="module")
def draft_id(app, location, resource_types, owner):
    """A draft of the owner, with files enabled."""
    return records.create(owner.identity, make_record_data("Fuzzed draft", "Tester")).id


@pytest.fixture(scope="module")
def review_request_id(app, location, resource_types, owner):
    """A community submission request of the owner's draft (the owner created the community)."""
    community = current_communities.service.create(owner.identity, community_data("fuzz-review"))
    draft = records.create(owner.identity, make_record_data("Submitted draft", "Tester"))
    request = records.review.create(
        owner.identity,
        {"receiver": {"community": community.id}, "type": "community-submission"},
        draft._record,
    )
    return request.id


@given(field=st.sampled_from(RECORD_FIELDS), value=json_values)
@EXAMPLES
def test_creating_a_draft_with_a_wrong_value(owner_probe, field, value):
    """POST /api/records: a field of any type answers 201 (errors listed) or 400."""
    body = with_value(make_record_data("Fuzzed", "Tester"), field, value)
    assert_refused_or_done(owner_probe.send("POST", "/api/records", body=body), {201})


@given(field=st.sampled_from(RECORD_FIELDS), value=json_values)
@EXAMPLES
def test_updating_a_draft_with_a_wrong_value(owner_probe, draft_id, field, value):
    """PUT /api/records/<id>/draft: 200 with errors, or 400."""
    body = with_value(make_record_data("Fuzzed", "Tester"), field, value)
    response = owner_probe.send("PUT", f"/api/records/{draft_id}/draft", body=body)
    assert_refused_or_done(response, {200})


@given(key=st.sampled_from(HOSTILE_KEYS) | st.text(min_size=1, max_size=120))
@EXAMPLES
def test_file_keys_never_reach_outside_the_files_location(owner_probe, owner, location, draft_id, key):
    """Initialising, uploading and committing a file with any key stays inside the location."""
    remove_draft_files(owner, draft_id)  # each example starts with no file of that key
    base = f"/api/records/{draft_id}/draft/files"
    response = owner_probe.send("POST", base, body=[{"key": key}])
    assert_refused_or_done(response, {201})
    if response.status_code != 201:
        return
    entries = [entry for entry in response.json["entries"] if entry["key"] == key]
    assert entries, response.json
    content_url = entries[0]["links"]["content"].split("/api/", 1)[1]
    upload = owner_probe.send(
        "PUT", f"/api/{content_url}", data=b"fuzz",
        headers={"Content-Type": "application/octet-stream"},
    )
    # A key such as "a/." makes a URL that routing normalises: a redirect.
    assert_refused_or_done(upload, {200, 308})
    if upload.status_code != 200:
        # Upstream answers a commit of a file never uploaded with a 500 (a bare
        # Exception in invenio-records-resources): left to upstream, not probed.
        return
    commit = owner_probe.send("POST", f"/api/{content_url.rsplit('/content', 1)[0]}/commit")
    assert_refused_or_done(commit, {200, 201, 308})
    for instance in FileInstance.query.all():
        assert instance.uri.startswith(location.uri), instance.uri


@given(field=st.sampled_from(COMMUNITY_FIELDS), value=json_values, slug=st.from_regex(r"[a-z0-9-]{3,20}", fullmatch=True))
@EXAMPLES
def test_creating_a_community_with_a_wrong_value(owner_probe, field, value, slug):
    """POST /api/communities: 201 or a 4xx with a message."""
    body = with_value(community_data(f"c-{slug}"), field, value)
    assert_refused_or_done(owner_probe.send("POST", "/api/communities", body=body), {201})


@given(content=json_values, format_=json_values)
@EXAMPLES
def test_commenting_on_a_request_with_wrong_values(owner_probe, review_request_id, content, format_):
    """POST /api/requests/<id>/comments: 201 or a 4xx with a message."""
    body = {"payload": {"content": content, "format": format_}}
    response = owner_probe.send("POST", f"/api/requests/{review_request_id}/comments", body=body)
    assert_refused_or_done(response, {201})


def write_endpoints(draft_id, request_id):
    """(method, path, a valid body) of each REST write the tier covers."""
    return [
        ("POST", "/api/records", make_record_data("Valid", "Tester")),
        ("PUT", f"/api/records/{draft_id}/draft", make_record_data("Valid", "Tester")),
        ("POST", f"/api/records/{draft_id}/draft/actions/publish", None),
        ("POST", f"/api/records/{draft_id}/draft/files", [{"key": "valid.txt"}]),
        ("POST", "/api/communities", community_data("valid-community")),
        ("POST", f"/api/requests/{request_id}/comments", {"payload": {"content": "hi", "format": "html"}}),
        ("POST", f"/api/requests/{request_id}/actions/accept", {}),
    ]


@given(raw=st.binary(max_size=200).filter(lambda raw: raw.strip() not in (b"", b"null")))
@EXAMPLES
def test_malformed_json_is_refused_everywhere(owner_probe, draft_id, review_request_id, raw):
    """Bytes that are not the JSON a write expects: never a server error."""
    for method, path, _ in write_endpoints(draft_id, review_request_id):
        assert_refused_or_done(owner_probe.send(method, path, data=raw), {200, 201, 202})


def test_writes_without_credentials_are_refused(anonymous_probe, draft_id, review_request_id):
    """Every write without a token is refused (401 or 403; 400 when the body is checked first)."""
    for method, path, body in write_endpoints(draft_id, review_request_id):
        response = anonymous_probe.send(method, path, body=body)
        assert response.status_code in (400, 401, 403), (method, path, response.status_code)


@pytest.mark.parametrize(
    "name, body",
    [
        ("a title of 300,000 characters", make_record_data("t" * 300_000, "Tester")),
        ("50,000 creators", with_value(make_record_data("Many", "Tester"), ("metadata", "creators"),
                                       [{"person_or_org": {"type": "personal", "family_name": "X"}}] * 50_000)),
        ("JSON nested 5,000 deep", None),
    ],
)
def test_oversize_values_are_answered(owner_probe, name, body):
    """Huge or deeply nested documents: an answer, not a server error."""
    data = ("[" * 5000 + "]" * 5000).encode() if body is None else None
    response = owner_probe.send("POST", "/api/records", body=body, data=data)
    assert_refused_or_done(response, {201})

