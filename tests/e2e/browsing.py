"""What the browser tests do again and again: wait for what a person sees, and click."""

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT = 20


def visible(web, locator, timeout=TIMEOUT):
    """Wait until the element is visible and return it."""
    return WebDriverWait(web, timeout).until(EC.visibility_of_element_located(locator))


def text_shown(web, text, locator=(By.TAG_NAME, "body"), timeout=TIMEOUT):
    """Wait until the element (the whole page by default) shows the text."""
    try:
        return WebDriverWait(web, timeout).until(EC.text_to_be_present_in_element(locator, text))
    except TimeoutException:
        shown = web.find_element(By.TAG_NAME, "body").text[:600]
        raise AssertionError(
            f"{text!r} not shown at {web.current_url} after {timeout}s; the page shows: {shown!r}"
        ) from None


def click(web, target, timeout=TIMEOUT):
    """Scroll the element (or the first clickable one at a locator) into view and click it."""
    if isinstance(target, tuple):
        target = WebDriverWait(web, timeout).until(EC.element_to_be_clickable(target))
    web.execute_script("arguments[0].scrollIntoView({block: 'center'});", target)
    target.click()


def console_errors(web):
    """The JavaScript errors the page logged (missing bundles, crashes)."""
    return [
        entry["message"]
        for entry in web.get_log("browser")
        if entry["level"] == "SEVERE" and "favicon" not in entry["message"]
    ]
