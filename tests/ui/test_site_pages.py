"""The instance's own pages: front page, footer, custom fields, administration."""

import re
from datetime import date

import pytest
from content_policy import content_security_policy, inline_script_hashes


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


def test_landing_page_shows_custom_fields(client, instrument_record):
    """The landing page shows the instrument's title and the acquisition notes."""
    html = client.get(f"/records/{instrument_record.id}").get_data(as_text=True)
    assert "UAV-mounted lidar scanner" in html
    assert "Flown at 80 m above ground." in html


def test_deposit_form_offers_custom_fields(client, owner, instruments, location, rdm_vocabularies):
    """The deposit page hands the form the instance's "Data acquisition" section."""
    owner.login(client)
    response = client.get("/uploads/new")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for expected in ("Data acquisition", "mysite:instrument", "mysite:acquisition_notes"):
        assert expected in html, f"{expected} is not in the deposit form's configuration"


def test_new_uploads_start_with_the_site_as_publisher_and_a_licence(app, client, owner, location,
                                                                    rdm_vocabularies):
    """The deposit form's new record: this site as publisher, CC BY 4.0, today's date."""
    from invenio_app_rdm.records_ui.views.deposits import new_record

    with app.test_request_context():
        metadata = new_record()["metadata"]
    assert metadata["publisher"] == app.config["THEME_SITENAME"] == "my-site"
    assert [right["id"] for right in metadata["rights"]] == ["cc-by-4.0"]
    assert metadata["publication_date"] == date.today().isoformat()
    owner.login(client)
    html = client.get("/uploads/new").get_data(as_text=True)
    assert "cc-by-4.0" in html and "Creative Commons Attribution 4.0 International" in html


def test_administration_shows_versions(client, admin):
    """The administration panel's side bar names InvenioRDM's and my-site's versions."""
    admin.login(client)
    response = client.get("/administration/")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "v0.1.0" in html, "my-site's version is not in the panel"
    assert re.search(r"v14\.\d+\.\d+", html), "InvenioRDM's version is not in the panel"



def script_sources_of(response):
    """The ``script-src`` of a response's content security policy."""
    return content_security_policy(response.headers["Content-Security-Policy"])["script-src"]


def test_static_inline_scripts_run_by_hash(app, client):
    """``script-src`` has our origin and the hash of a template's inline script (the
    MathJax settings of invenio-theme's page), but no ``'unsafe-inline'`` or eval."""
    template = app.jinja_env.loader.get_source(app.jinja_env, "semantic-ui/invenio_theme/page.html")
    template_scripts = inline_script_hashes(template[0])
    assert template_scripts, "invenio-theme's page has no inline script any more"
    script_sources = script_sources_of(client.get("/"))
    assert script_sources[0] == "'self'"
    assert "'unsafe-inline'" not in script_sources
    assert "'unsafe-eval'" not in script_sources
    assert template_scripts <= set(script_sources)


def test_pages_run_no_inline_script_the_policy_refuses(client, admin, instrument_record):
    """Every inline script of the front, search, landing, deposit and administration
    pages is allowed by its hash."""
    admin.login(client)
    paths = ["/", "/search", f"/records/{instrument_record.id}", "/uploads/new", "/administration/"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        refused = inline_script_hashes(response.get_data(as_text=True)) - set(
            script_sources_of(response)
        )
        assert not refused, f"{path} has inline scripts the policy refuses"
