"""What the browser tests do again and again: wait for what a person sees, and click.

Screenshots of the main pages are kept for the documentation.
"""

from pathlib import Path

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT = 20
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def wait_until(web, condition, what, timeout=TIMEOUT):
    """Wait for a condition; on timeout fail with what was awaited and what the page shows."""
    try:
        return WebDriverWait(web, timeout).until(condition)
    except TimeoutException:
        shown = web.find_element(By.TAG_NAME, "body").text[:600]
        raise AssertionError(
            f"{what} at {web.current_url} after {timeout}s; the page shows: {shown!r}"
        ) from None


def visible(web, locator, timeout=TIMEOUT):
    """Wait until the element is visible and return it."""
    return wait_until(
        web, EC.visibility_of_element_located(locator), f"{locator} not visible", timeout
    )


def text_shown(web, text, locator=(By.TAG_NAME, "body"), timeout=TIMEOUT):
    """Wait until the element (the whole page by default) shows the text."""
    return wait_until(
        web, EC.text_to_be_present_in_element(locator, text), f"{text!r} not shown", timeout
    )


def click(web, target, timeout=TIMEOUT):
    """Scroll the element (or the first one at a locator) into view and click it once clickable.

    Waiting also for a given element covers the fade-in of modals.
    """
    what = target if isinstance(target, tuple) else target.text or target.tag_name
    target = wait_until(
        web, EC.element_to_be_clickable(target), f"{what!r} not clickable", timeout
    )
    web.execute_script("arguments[0].scrollIntoView({block: 'center'});", target)
    target.click()


# 404s InvenioRDM 14 causes on purpose or harmlessly: the deposit page links a
# community theme stylesheet even when no community is selected, and a
# community without a logo answers 404 for it (the page shows a placeholder).
HARMLESS_ERRORS = ("favicon", "community-theme-.css", "/logo - Failed to load resource")


def console_errors(web):
    """The JavaScript errors the page logged (missing bundles, crashes)."""
    return [
        entry["message"]
        for entry in web.get_log("browser")
        if entry["level"] == "SEVERE"
        and not any(harmless in entry["message"] for harmless in HARMLESS_ERRORS)
    ]


def screenshot(web, name):
    """Save the page as var/screenshots/<name>.png (docs/usage.rst shows them)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    web.execute_script("window.scrollTo(0, 0);")
    assert web.save_screenshot(str(SCREENSHOTS / f"{name}.png"))
