"""The user interface in English and German: the header's switcher, the session, the browser."""

import re

import flask_babel
import pytest


@pytest.fixture()
def visit(client):
    """GET a page with the locale chosen afresh, as each request does in production.

    The test client's requests share the module's application context, where
    Flask-Babel would keep the locale of the first request for all of them.
    """

    def get(path, **kwargs):
        flask_babel.refresh()
        return client.get(path, **kwargs)

    return get


def page(response):
    """The HTML of a page served with 200."""
    assert response.status_code == 200
    return response.get_data(as_text=True)


def header(html):
    """The page's header element."""
    return re.search(r"<header.*?</header>", html, re.S).group(0)


def test_header_switches_the_site_to_german_and_back(visit):
    """Choosing Deutsch in the header turns InvenioRDM's and the instance's texts German."""
    html = page(visit("/"))
    assert '<html lang="en"' in html
    assert "Log in" in header(html) and "Einloggen" not in header(html)
    assert "Research data, openly shared." in html
    assert 'href="/lang/de?next=/?"' in header(html) and ">Deutsch</a>" in header(html)

    response = visit("/lang/de?next=/search?q=glacier")
    assert response.status_code == 302
    assert response.headers["Location"] == "/search?q=glacier"  # back where the visitor was

    html = page(visit("/"))
    assert '<html lang="de"' in html
    assert "Einloggen" in header(html) and "Log in" not in header(html)
    assert "Registrieren" in header(html)
    assert "Willkommen bei my-site" in html  # the instance's own catalog
    assert "Forschungsdaten, offen geteilt." in html
    assert 'href="/lang/en?next=/?"' in header(html) and ">English</a>" in header(html)

    visit("/lang/en?next=/")
    html = page(visit("/"))
    assert "Log in" in header(html) and "Welcome to my-site" in html


def test_browser_language_decides_until_the_visitor_chooses(visit):
    """A German browser gets German pages; an unknown language is refused by the switcher."""
    html = page(visit("/", headers={"Accept-Language": "de-CH, de;q=0.9"}))
    assert "Einloggen" in header(html)
    html = page(visit("/", headers={"Accept-Language": "fr"}))
    assert "Log in" in header(html)
    assert visit("/lang/fr").status_code == 404
