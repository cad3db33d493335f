"""The production stack itself (scripts/server --production): nginx in front of uWSGI.

Run with ``--base-url`` pointing at the stack, as run-tests.sh does.
"""

import os
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from content_policy import content_security_policy

REPO_ROOT = Path(__file__).resolve().parents[2]
LOGO = REPO_ROOT / "static" / "images" / "my-site-logo.svg"
ACCESS_LOG = REPO_ROOT / "var" / "log" / "nginx" / "access.log"


def test_http_redirects_to_https(site):
    """Plain HTTP on the redirect port answers with a permanent redirect to HTTPS."""
    https = urlsplit(site.base_url)
    response = requests.get(
        f"http://{https.hostname}:5080/search?q=glacier", allow_redirects=False, timeout=10
    )
    assert response.status_code == 301
    assert response.headers["Location"] == f"{site.base_url}/search?q=glacier"


@pytest.mark.parametrize("path", ["/", "/search", "/api/records"])
def test_security_headers(site, path):
    """Answers carry HSTS, the configured content security policy (no eval, no inline
    script but hashed ones; the S3 object store allowed) and frame protection."""
    from my_site.config import APP_DEFAULT_SECURE_HEADERS
    from my_site.content_policy.ext import with_s3_endpoint

    response = site.get(path)
    assert response.status_code == 200
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    policy = content_security_policy(response.headers["Content-Security-Policy"])
    script_sources = policy.pop("script-src")
    configured = APP_DEFAULT_SECURE_HEADERS["content_security_policy"]
    assert policy == with_s3_endpoint(configured, os.environ["INVENIO_S3_ENDPOINT_URL"])
    assert "http://127.0.0.1:9000" in policy["img-src"]
    assert not any("'unsafe-eval'" in sources for sources in policy.values())
    assert script_sources[0] == "'self'"
    assert all(source.startswith("'sha256-") for source in script_sources[1:])
    assert policy["object-src"] == ["'none'"]
    assert response.headers["X-Frame-Options"].upper() == "SAMEORIGIN"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def logged_lines(request_id, timeout=5):
    """The access-log lines of a request.

    nginx logs a request after it has answered, so the line may come a moment later.
    """
    deadline = time.monotonic() + timeout
    while True:
        lines = [line for line in ACCESS_LOG.read_text().splitlines() if request_id in line]
        if lines or time.monotonic() > deadline:
            return lines
        time.sleep(0.1)


def test_session_id_logged_by_nginx_but_hidden_from_clients(site):
    """Invenio's X-Session-ID reaches nginx's access log, never the client."""
    site.get("/login/")  # the first answer starts a session
    response = site.get("/login/")
    assert "X-Session-ID" not in response.headers
    request_id = response.headers["X-Request-ID"]
    logged = logged_lines(request_id)
    assert logged, f"request {request_id} is not in {ACCESS_LOG}"
    session_id = logged[-1].split()[-2]  # the log format ends with session id, user id
    assert session_id != "-"


def test_static_files_served_by_nginx_with_cache_headers(site):
    """Hashed bundles are cached for good, other static files for a day."""
    html = site.get("/").get_data(as_text=True)
    bundle = re.search(r'src="(/static/dist/js/[^"]+\.[0-9a-f]{8,}\.js)"', html)
    assert bundle, "the front page loads no hashed bundle"
    response = site.get(bundle.group(1))
    assert response.status_code == 200
    assert response.headers["Server"] == "nginx"
    assert response.headers["Cache-Control"] == "max-age=315360000"
    for header in ("Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options"):
        assert header in response.headers, f"nginx adds no {header} to static files"
    logo = site.get("/static/images/my-site-logo.svg")
    assert logo.status_code == 200
    assert logo.headers["Cache-Control"] == "max-age=86400"
    assert logo.data == LOGO.read_bytes()


def test_api_routed_to_the_rest_application(site):
    """/api/ reaches the REST API application (JSON), everything else the UI application."""
    health = site.get("/api/health")
    assert health.headers["Content-Type"].startswith("application/json")
    assert health.json["checks"]["database"]["status"] == "up"
    missing_api = site.get("/api/no-such-endpoint")
    assert missing_api.status_code == 404
    assert missing_api.headers["Content-Type"].startswith("application/json")
    missing_page = site.get("/no-such-page")
    assert missing_page.status_code == 404
    assert missing_page.headers["Content-Type"].startswith("text/html")


def test_absolute_links_keep_the_https_port(site):
    """Links the application builds from the request (OAI-PMH's base URL) name the site's port."""
    response = site.get("/oai2d", query_string={"verb": "Identify"})
    assert response.status_code == 200
    assert f"<baseURL>{site.base_url}/oai2d</baseURL>" in response.get_data(as_text=True)


def test_login_attempts_limited_per_address_behind_nginx(site):
    """The 11th log-in attempt in a minute gets 429, whatever User-Agent and X-Forwarded-For it sends.

    nginx appends the client's real address to X-Forwarded-For, and the application
    trusts only that last entry, so neither header lets a client start a new count.
    (Last in this module: for a minute afterwards, log-ins from here are refused.)
    """
    statuses = [
        site.post(
            "/login/",
            data={"email": "nobody@example.org", "password": "wrong"},
            headers={"User-Agent": f"attempt-{n}", "X-Forwarded-For": f"198.51.100.{n}"},
        ).status_code
        for n in range(11)
    ]
    # Earlier visits of /login/ in this minute count too: the limit may come sooner.
    assert statuses[0] != 429 and statuses[10] == 429, statuses
    assert statuses.index(429) <= 10 and set(statuses[statuses.index(429):]) == {429}, statuses
