"""nginx's cache for anonymous readers, in the production stack.

Run with ``--base-url`` pointing at the stack, as run-tests.sh does. Anonymous
requests are sent without a session (plain ``requests`` calls), so no cookie
of an earlier answer makes them look logged in.
"""

import re
import time
import uuid
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
RENDERED_SITE = REPO_ROOT / "var" / "server" / "nginx" / "conf.d" / "default.conf"
CERTIFICATE = str(REPO_ROOT / "var" / "tls" / "cert.pem")
INDEXING_SECONDS = 5
"""How long a published record may take to reach search, beyond the cache's time."""


@pytest.fixture(scope="module")
def cache_seconds():
    """How long the running stack keeps an answer (from its rendered nginx configuration)."""
    rendered = RENDERED_SITE.read_text()
    if re.search(r"^    proxy_cache off;$", rendered, re.M):  # the server's setting, not a location's
        pytest.fail("the stack runs with its cache off (MY_SITE_CACHE_SECONDS=0)")
    found = re.search(r"proxy_cache_valid 200 (\d+)s;", rendered)
    assert found, f"{RENDERED_SITE} sets no time for the cache"
    return int(found.group(1))


@pytest.fixture()
def anonymous(site):
    """GET a path of the stack as an anonymous reader: no cookie, no credentials."""

    def get(path, **kwargs):
        return requests.get(site.base_url + path, verify=CERTIFICATE, timeout=60,
                            allow_redirects=False, **kwargs)

    return get


def test_anonymous_api_reads_come_from_the_cache(anonymous, publish_record, cache_seconds):
    """The second anonymous read of a search or a record is a HIT, with the same body."""
    record = publish_record("Cached glacier survey", "Nansen")
    for path in (f"/api/records?q={uuid.uuid4()}", f"/api/records/{record.id}"):
        first, second = anonymous(path), anonymous(path)
        assert first.status_code == second.status_code == 200
        assert first.headers["X-Cache-Status"] == "MISS"
        assert second.headers["X-Cache-Status"] == "HIT", path
        assert first.content == second.content


def test_logged_in_readers_never_get_a_cached_answer(anonymous, site, owner_token):
    """A request with credentials or a session cookie bypasses the cache, and is not stored."""
    path = f"/api/records?q={uuid.uuid4()}"
    anonymous(path)  # now cached
    with_token = anonymous(path, headers={"Authorization": f"Bearer {owner_token}"})
    with_session = anonymous(path, cookies={"session": "a-session-id"})
    assert with_token.status_code == 200
    assert with_token.headers["X-Cache-Status"] == "BYPASS"
    assert with_session.headers["X-Cache-Status"] == "BYPASS"
    page = f"/search?q={uuid.uuid4()}"
    anonymous(page)  # now cached
    assert anonymous(page, cookies={"session": "a-session-id"}).headers["X-Cache-Status"] == "BYPASS"
    fresh = f"/?visit={uuid.uuid4()}"
    anonymous(fresh, headers={"Authorization": f"Bearer {owner_token}"})
    assert anonymous(fresh).headers["X-Cache-Status"] == "MISS"


def test_anonymous_pages_come_from_the_cache(anonymous, publish_record):
    """Front, search and landing pages start no session, so their second anonymous visit is a HIT."""
    record = publish_record("Cached tundra atlas", "Humboldt")
    for path in (f"/?visit={uuid.uuid4()}", f"/search?q={uuid.uuid4()}", f"/records/{record.id}"):
        first, second = anonymous(path), anonymous(path)
        assert first.status_code == second.status_code == 200, path
        assert "Set-Cookie" not in first.headers, path
        assert (first.headers["X-Cache-Status"], second.headers["X-Cache-Status"]) == ("MISS", "HIT"), path
        assert first.content == second.content
    assert "Cached tundra atlas" in second.text


def test_answers_that_set_a_cookie_are_never_stored(anonymous):
    """The log-in page starts a session (its form's CSRF token): it reaches the app at every visit."""
    first, second = anonymous("/login/"), anonymous("/login/")
    assert "session=" in first.headers.get("Set-Cookie", "")
    assert second.headers["X-Cache-Status"] != "HIT"
    assert second.headers.get("Set-Cookie") != first.headers.get("Set-Cookie")


def test_a_restricted_record_never_comes_out_of_the_cache(anonymous, publish_record, owner_token):
    """After its owner has read a restricted record, anonymous readers are still refused."""
    record = publish_record("Restricted cache probe", "Lovelace", access="restricted")
    for _ in range(2):
        page = anonymous(f"/records/{record.id}")
        assert page.status_code in (302, 403, 404)
        assert page.headers["X-Cache-Status"] != "HIT"
        assert "Restricted cache probe" not in page.text
    for path in (f"/api/records/{record.id}", f"/api/records/{record.id}/files"):
        owners = anonymous(path, headers={"Authorization": f"Bearer {owner_token}"})
        assert owners.status_code == 200, path
        for _ in range(2):
            answer = anonymous(path)
            assert answer.status_code in (403, 404), path
            assert answer.headers["X-Cache-Status"] != "HIT", path
            assert "Restricted cache probe" not in answer.text


def test_a_new_record_reaches_anonymous_search_within_the_cache_time(
    anonymous, publish_record, cache_seconds
):
    """A search cached before a record is published finds it once the cached answer expires."""
    word = f"cacheprobe{uuid.uuid4().hex[:12]}"
    path = f"/api/records?q={word}"
    assert anonymous(path).json()["hits"]["total"] == 0  # this answer is now cached
    publish_record(f"Sediment {word}", "Curie")
    published = time.monotonic()
    while anonymous(path).json()["hits"]["total"] == 0:
        assert time.monotonic() - published <= cache_seconds + INDEXING_SECONDS, (
            f"not found {cache_seconds + INDEXING_SECONDS}s after publishing"
        )
        time.sleep(0.5)
