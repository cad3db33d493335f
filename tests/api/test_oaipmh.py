"""OAI-PMH: the repository identifies itself with the instance's address and serves its records."""

import re

import pytest

OAI = "http://www.openarchives.org/OAI/2.0/"


@pytest.fixture(scope="module")
def harvested(publish_record):
    """A public record for harvesters."""
    return publish_record("Snow depth transects for harvesting", "Okafor")


def test_identify_names_the_instance(client, app):
    """Identify gives the instance's admin e-mail and name, not invenio-oaiserver's defaults."""
    response = client.get("/oai2d", query_string={"verb": "Identify"})
    assert response.status_code == 200
    xml = response.get_data(as_text=True)
    admin = app.config["APP_RDM_ADMIN_EMAIL_RECIPIENT"]
    assert f"<adminEmail>{admin}</adminEmail>" in xml
    assert "info@inveniosoftware.org" not in xml


def test_list_records_returns_the_published_record(client, harvested):
    """ListRecords in Dublin Core holds the published record with its title."""
    response = client.get("/oai2d", query_string={"verb": "ListRecords", "metadataPrefix": "oai_dc"})
    assert response.status_code == 200
    xml = response.get_data(as_text=True)
    assert "<error" not in xml, xml[:500]
    assert f"oai:my-site:{harvested.id}" in xml
    assert re.search(r"<dc:title>Snow depth transects for harvesting</dc:title>", xml)
