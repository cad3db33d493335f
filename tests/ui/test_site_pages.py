"""The instance's own pages: front page, footer, static pages, custom fields."""

import pytest
from invenio_app_rdm.fixtures import Pages


@pytest.fixture(scope="module")
def static_pages(app, database):
    """The static pages of app_data/pages.yaml, as scripts/setup loads them."""
    Pages().run(force=True)


@pytest.fixture(scope="module")
def instrument_record(instruments, publish_record):
    """A public record produced by the UAV lidar."""
    return publish_record(
        "Lidar survey of the glacier forefield",
        "Lehmann",
        custom_fields={
            "mysite:instrument": {"id": "lidar-uav"},
            "mysite:acquisition_notes": "Flown at 80 m above ground.",
        },
    )


def test_front_page_welcomes_and_lists_recent_uploads(client, instrument_record):
    """The front page has the welcome text, a search box and the newest record."""
    html = client.get("/").get_data(as_text=True)
    assert "Welcome to my-site" in html
    assert 'action="/search"' in html
    assert 'href="/uploads/new"' in html  # the welcome invites a new upload
    assert 'id="recent-uploads"' in html
    assert "Lidar survey of the glacier forefield" in html
    assert f'href="/records/{instrument_record.id}"' in html
    assert "my-site-logo.svg" in html


def test_footer_links_to_static_pages(client):
    """Every page's footer links to the four static pages."""
    html = client.get("/").get_data(as_text=True)
    for path in ("/about", "/help", "/terms", "/privacy"):
        assert f'href="{path}"' in html


@pytest.mark.parametrize(
    "path, text",
    [
        ("/about", "research-data repository for the environmental sciences"),
        ("/help", "Depositing data"),
        ("/terms", "the right to share it"),
        ("/privacy", "delete your account"),
    ],
)
def test_static_pages(client, static_pages, path, text):
    """The static pages loaded from app_data render their content."""
    response = client.get(path)
    assert response.status_code == 200
    assert text in response.get_data(as_text=True)


def test_landing_page_shows_custom_fields(client, instrument_record):
    """The landing page shows the instrument's title and the acquisition notes."""
    html = client.get(f"/records/{instrument_record.id}").get_data(as_text=True)
    assert "UAV-mounted lidar scanner" in html
    assert "Flown at 80 m above ground." in html


def test_deposit_form_configuration_has_custom_fields(app):
    """The deposit form is configured with the instance's custom-field section."""
    sections = app.config["RDM_CUSTOM_FIELDS_UI"]
    fields = [field["field"] for section in sections for field in section["fields"]]
    assert sections[0]["section"] == "Data acquisition"
    assert fields == ["mysite:instrument", "mysite:acquisition_notes"]
