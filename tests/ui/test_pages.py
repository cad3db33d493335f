"""The main pages render with the instance's theme and its built web assets."""

import re
from pathlib import Path

import pytest
from flask import current_app


@pytest.fixture(scope="module")
def published_record(publish_record):
    """A public, metadata-only record published by the owner."""
    return publish_record("Permafrost temperature series", "Somerville")


def assert_uses_built_assets(html):
    """The page loads its bundles from the built assets, and every one exists."""
    scripts = re.findall(r'<script[^>]+src="/static/(dist/[^"]+)"', html)
    assert scripts, "the page loads no built JavaScript bundle"
    static = Path(current_app.static_folder)
    missing = [path for path in scripts if not (static / path).is_file()]
    assert not missing, f"bundles missing from the build: {missing}"


def test_front_page(client):
    """The front page shows the site name and a search box."""
    response = client.get("/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "my-site" in html
    assert 'name="q"' in html
    assert_uses_built_assets(html)


def test_search_page(client, published_record):
    """The search page renders the search app's mount point."""
    response = client.get("/search", query_string={"q": "permafrost"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'id="search-detail-root"' in html or "invenio-search-config" in html
    assert_uses_built_assets(html)


def test_record_landing_page(client, published_record):
    """A record's landing page shows its title and creator."""
    response = client.get(f"/records/{published_record.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Permafrost temperature series" in html
    assert "Somerville" in html
    assert_uses_built_assets(html)


def test_unknown_record_is_404(client):
    """A record that does not exist answers 404 with the site's error page."""
    response = client.get("/records/abcde-12345")
    assert response.status_code == 404
    assert "my-site" in response.get_data(as_text=True)
