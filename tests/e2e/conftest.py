"""Browser fixtures: headless Debian Chromium driven by Selenium against a live server.

On a failing test the page's screenshot and HTML are saved under
``var/test-artifacts/``.
"""

import shutil
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ARTIFACTS = Path(__file__).resolve().parents[2] / "var" / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Remember each phase's outcome on the test item, for the browser fixture."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def chromium():
    """A headless Chromium session (fails loudly when Chromium is missing)."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        assert shutil.which(binary), (
            f"{binary} is missing: install Debian's chromium and chromium-driver "
            "(run-tests.sh does so when run as root)"
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1366,900",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


@pytest.fixture()
def web(chromium, request):
    """The browser, saving a screenshot and the HTML when the test fails."""
    chromium.get_log("browser")  # start each test with an empty console log
    yield chromium
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = request.node.name.replace("/", "_")
        chromium.save_screenshot(str(ARTIFACTS / f"{name}.png"))
        (ARTIFACTS / f"{name}.html").write_text(chromium.page_source)
    # Stop the page's pending requests: a late one must not reach the next test
    # (it could cache permissions computed before that test's fixtures exist).
    chromium.get("about:blank")


@pytest.fixture(scope="module")
def app_config(app_config, live_server_settings):
    """The instance's security headers and CSRF protection, over HTTP.

    Its content security policy lets InvenioRDM's React apps run.
    """
    from my_site.config import APP_DEFAULT_SECURE_HEADERS

    app_config["APP_DEFAULT_SECURE_HEADERS"] = {
        **APP_DEFAULT_SECURE_HEADERS,
        "force_https": False,
        "session_cookie_secure": False,
    }
    app_config["SESSION_COOKIE_SECURE"] = False
    # CSRF protection of forms and of the REST API on, as users have it.
    app_config["WTF_CSRF_ENABLED"] = True
    app_config["REST_CSRF_ENABLED"] = True
    app_config.update(live_server_settings)
    return app_config


MAILS = ARTIFACTS / "mails.txt"


@pytest.fixture(scope="module", autouse=True)
def captured_mail(app):
    """Append every e-mail the live server sends to var/test-artifacts/mails.txt.

    The live server runs in a forked process, so mails are handed over through
    a file; the signal handler is connected before the fork.
    """
    from flask_mail import email_dispatched

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    MAILS.write_text("")

    def record(message, app):
        with MAILS.open("a") as mails:
            mails.write(f"To: {', '.join(message.recipients)}\n{message.body}\n\n")

    email_dispatched.connect(record)
    yield MAILS
    email_dispatched.disconnect(record)


@pytest.fixture()
def login(web, live_server):
    """Log the browser in through the login form, and wait until it is."""
    from browsing import text_shown
    from selenium.webdriver.common.by import By

    def log_in(email, password):
        web.get(live_server.url("/logout"))
        web.get(live_server.url("/login"))
        web.find_element(By.NAME, "email").send_keys(email)
        web.find_element(By.NAME, "password").send_keys(password)
        web.find_element(By.CSS_SELECTOR, "form[name=login_user_form] button[type=submit]").click()
        text_shown(web, email, (By.TAG_NAME, "header"))

    return log_in

