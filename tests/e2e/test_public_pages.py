"""A visitor's journey in Chromium: front page, a record, a static page, search."""

import pytest
from browsing import click, console_errors, screenshot, text_shown, visible, wait_until
from invenio_app_rdm.fixtures import Pages
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

TITLE = "Lidar survey of the glacier forefield"


@pytest.fixture(scope="module")
def published(instruments, rdm_vocabularies, publish_record):
    """A public record with the instance's custom fields, and the static pages.

    With InvenioRDM's small vocabularies: its owner's landing page offers deletion, with
    the removal reasons.
    """
    Pages().run(force=True)
    return publish_record(TITLE, "Lehmann", custom_fields={"mysite:instrument": {"id": "lidar-uav"}})


def test_front_page_to_landing_page(web, live_server, published):
    """From the front page's recent uploads to the record with its instrument."""
    web.get(live_server.url("/"))
    heading = visible(web, (By.ID, "welcome-title"))
    assert heading.text == "Welcome to my-site"
    link = visible(web, (By.LINK_TEXT, TITLE))
    wait_until(  # the featured-communities carousel has loaded (there are none)
        web,
        lambda driver: not driver.find_elements(By.CSS_SELECTOR, ".ui.placeholder"),
        "the featured communities do not load",
    )
    screenshot(web, "front-page")
    link.click()
    title = visible(web, (By.ID, "record-title"))
    assert title.text == TITLE
    body = web.find_element(By.TAG_NAME, "body").text
    assert "Lehmann" in body
    assert "UAV-mounted lidar scanner" in body
    assert not console_errors(web)


def test_static_page_from_the_footer(web, live_server, published):
    """The footer's About link opens the about page, again on every visit."""
    for visit in range(3):  # a page served through a 404 fallback broke on the second visit
        web.get(live_server.url("/"))
        visible(web, (By.LINK_TEXT, "About my-site")).click()
        visible(web, (By.XPATH, "//*[contains(text(), 'environmental sciences')]"))
        assert web.current_url.endswith("/about"), f"visit {visit + 1}"
        assert "Internal server error" not in web.find_element(By.TAG_NAME, "body").text


def test_language_switcher_in_the_header(web, live_server, published):
    """Deutsch in the header turns the page German where the visitor is; English turns it back."""
    header = (By.TAG_NAME, "header")
    web.get(live_server.url("/"))
    web.delete_all_cookies()  # an anonymous visitor, whatever earlier tests logged in
    web.get(live_server.url("/search?q=glacier"))
    visible(web, (By.LINK_TEXT, TITLE))
    try:
        click(web, (By.CSS_SELECTOR, "#language-switcher a[lang='de']"))
        text_shown(web, "Einloggen", header)
        assert "/search?q=glacier" in web.current_url
        assert web.find_element(By.TAG_NAME, "html").get_attribute("lang") == "de"
        visible(web, (By.LINK_TEXT, TITLE))  # the same results, in a German page
        text_shown(web, "Forschungsdaten, offen geteilt.")
        screenshot(web, "search-in-german")
        assert not console_errors(web)
        click(web, (By.CSS_SELECTOR, "#language-switcher a[lang='en']"))
        text_shown(web, "Log in", header)
    finally:  # the browser's session outlives this test: leave it in English
        web.get(live_server.url("/lang/en?next=/"))
    assert "Einloggen" not in web.find_element(*header).text


def test_search_from_the_front_page(web, live_server, published):
    """Searching a title word lists the record in the React search app."""
    web.get(live_server.url("/"))
    box = visible(web, (By.NAME, "q"))
    box.send_keys("forefield", Keys.ENTER)
    result = visible(web, (By.LINK_TEXT, TITLE), timeout=30)
    assert result.get_attribute("href").endswith(f"/records/{published.id}")
    assert not console_errors(web)
