"""Every page of the UI renders with the instance's theme and its built web assets, on every visit.

Each page is fetched twice: InvenioRDM's pages must work on repeated visits
(static pages served through a 404 fallback broke on the second).
Run through the production stack too (run-tests.sh passes ``--base-url``).
"""

import re
from pathlib import Path

import pytest
from flask import current_app

STATIC_PAGES = {
    "/about": "research-data repository for the environmental sciences",
    "/help": "Depositing data",
    "/terms": "the right to share it",
    "/privacy": "delete your account",
}
FOOTER = "Research data, openly shared."  # only in the instance's own footer template


@pytest.fixture(scope="module")
def published_record(publish_record):
    """A public, metadata-only record published by the owner."""
    return publish_record("Permafrost temperature series", "Somerville")


def get_twice(client, path, **kwargs):
    """GET path twice; both answers must have the same status. Return the second."""
    first = client.get(path, **kwargs)
    second = client.get(path, **kwargs)
    assert first.status_code == second.status_code, (
        f"{path}: {first.status_code} on the first visit, {second.status_code} on the second"
    )
    return second


def assert_themed_page(html, title):
    """The page has the title, the instance's footer and its built bundles, all existing."""
    page_title = re.search(r"<title>([^<]*)</title>", html)
    assert page_title and title in page_title.group(1), f"title {page_title and page_title.group(1)!r}"
    assert FOOTER in html, "the page lacks the instance's footer"
    scripts = re.findall(r'<script[^>]+src="/static/(dist/[^"]+)"', html)
    assert scripts, "the page loads no built JavaScript bundle"
    static = Path(current_app.static_folder)
    missing = [path for path in scripts if not (static / path).is_file()]
    assert not missing, f"bundles missing from the build: {missing}"


def test_front_page(client):
    """The front page shows the site name and a search box."""
    response = get_twice(client, "/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'name="q"' in html
    assert_themed_page(html, "my-site")


def test_search_page(client, published_record):
    """The search page renders the search app's mount point."""
    response = get_twice(client, "/search", query_string={"q": "permafrost"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="search-detail-root"' in html or "invenio-search-config" in html
    assert_themed_page(html, "my-site")


def test_record_landing_page(client, published_record):
    """A record's landing page shows its title and creator."""
    response = get_twice(client, f"/records/{published_record.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Somerville" in html
    assert_themed_page(html, "Permafrost temperature series")


@pytest.mark.parametrize("path", sorted(STATIC_PAGES))
def test_static_pages_on_every_visit(client, static_pages, path):
    """The static pages of app_data render their content on three visits in a row."""
    for visit in range(3):
        response = client.get(path)
        assert response.status_code == 200, f"{path}, visit {visit + 1}: {response.status_code}"
        html = response.get_data(as_text=True)
        assert STATIC_PAGES[path] in html
    assert_themed_page(html, "my-site")


def test_unknown_record_is_404(client):
    """A record that does not exist answers 404 with the site's error page."""
    response = get_twice(client, "/records/abcde-12345")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert FOOTER in html
    assert "not found" in html.lower()
