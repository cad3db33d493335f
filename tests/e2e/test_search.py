"""Searching in Chromium: a facet narrows the results and the sort order is applied."""

import pytest
from browsing import click, screenshot, wait_until
from selenium.webdriver.common.by import By

LIDAR = "Glacier lidar one"
SPECTRA = "Glacier spectra two"


@pytest.fixture(scope="module")
def two_records(publish_record):
    """Two records sharing a word, from two instruments, published in this order."""
    publish_record(LIDAR, "Alpha", custom_fields={"mysite:instrument": {"id": "lidar-uav"}})
    publish_record(
        SPECTRA, "Beta", custom_fields={"mysite:instrument": {"id": "mass-spectrometer"}}
    )


def result_titles(web, expected):
    """Wait until the result list shows exactly the expected titles; return them in order."""

    def shown(driver):
        titles = [
            link.text
            for link in driver.find_elements(By.XPATH, "//a[starts-with(text(), 'Glacier ')]")
            if link.is_displayed()
        ]
        return titles if sorted(titles) == sorted(expected) else False

    return wait_until(web, shown, f"results {sorted(expected)} not listed")


def test_facet_narrows_results(web, live_server, two_records):
    """Ticking an instrument in the facet keeps only that instrument's record."""
    web.get(live_server.url("/search?q=glacier"))
    result_titles(web, [LIDAR, SPECTRA])
    boxes = wait_until(
        web,
        lambda driver: [
            box
            for box in driver.find_elements(
                By.XPATH, "//input[@aria-label='UAV-mounted lidar scanner']/.."
            )
            if box.is_displayed()
        ],
        "the instrument facet is not shown",
    )
    click(web, boxes[0])
    assert result_titles(web, [LIDAR]) == [LIDAR]
    screenshot(web, "search-facet")


def test_sorting(web, live_server, two_records):
    """Newest first, then oldest first, reorders the results."""
    web.get(live_server.url("/search?q=glacier"))
    result_titles(web, [LIDAR, SPECTRA])
    for option, expected in (("Newest", [SPECTRA, LIDAR]), ("Oldest", [LIDAR, SPECTRA])):
        click(web, (By.CSS_SELECTOR, "div[aria-label='Sort']"))
        click(web, (By.XPATH, f"//div[@aria-label='Sort']//div[@role='option'][normalize-space()='{option}']"))
        wait_until(
            web,
            lambda driver: result_titles(driver, expected) == expected,
            f"sorting by {option} does not list {expected}",
        )
