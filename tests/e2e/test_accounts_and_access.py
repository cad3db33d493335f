"""Accounts and access in Chromium: sign-up with e-mail confirmation, restricted
records, and the administration panel."""

import json
import re
from urllib.parse import quote

import pytest
from browsing import console_errors, text_shown, visible, wait_until
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC

PASSWORD = "correct horse battery staple"


@pytest.fixture(scope="module")
def visitor(app, database, UserFixture):
    """A second, ordinary user."""
    return UserFixture(email="visitor@example.org", password=PASSWORD).create(app, database)


@pytest.fixture(scope="module", autouse=True)
def admin_made_first(admin, rdm_vocabularies):
    """The admin exists before any page of this module is opened.

    Otherwise a request of the live server could cache the superuser
    permission as it was before. (And InvenioRDM's small vocabularies: an owner's
    landing page offers deletion, with the removal reasons.)
    """


def test_sign_up_confirm_log_out_log_in(web, live_server, login, captured_mail):
    """A new user signs up, confirms through the e-mailed link and logs in again."""
    web.delete_all_cookies()
    web.get(live_server.url("/signup"))
    web.find_element(By.NAME, "email").send_keys("newcomer@example.org")
    web.find_element(By.NAME, "password").send_keys(PASSWORD)
    for name, value in (
        ("password_confirm", PASSWORD),
        ("profile.username", "newcomer"),
        ("profile.full_name", "New Comer"),
    ):
        fields = web.find_elements(By.NAME, name)
        if fields:
            fields[0].send_keys(value)
    web.find_element(By.CSS_SELECTOR, "form[name=register_user_form] button[type=submit]").click()
    text_shown(web, "newcomer@example.org")

    mails = captured_mail.read_text()
    links = re.findall(rf"{re.escape(live_server.url())}/confirm/\S+", mails)
    assert links, f"no confirmation link was e-mailed: {mails!r}"
    web.get(links[-1])
    text_shown(web, "confirmed")

    web.get(live_server.url("/logout"))
    login("newcomer@example.org", PASSWORD)  # waits for the address in the header
    assert "/login" not in web.current_url


def test_restricted_record_hidden_from_others(
    web, live_server, login, owner, visitor, publish_record
):
    """An anonymous visitor is sent to log in (the API answers 403); another user is refused."""
    record = publish_record("Embargoed seismic traces", "Richter", access="restricted")

    web.get(live_server.url("/logout"))  # the sign-up test left its user logged in
    web.delete_all_cookies()
    web.get(live_server.url(f"/records/{record.id}"))
    wait_until(web, EC.url_contains("/login"), "an anonymous visitor not sent to log in")
    assert quote(f"/records/{record.id}", safe="") in web.current_url  # and back after
    visible(web, (By.CSS_SELECTOR, "form[name=login_user_form]"))
    assert "Embargoed seismic traces" not in web.page_source
    web.get(live_server.url(f"/api/records/{record.id}"))
    assert json.loads(web.find_element(By.TAG_NAME, "pre").text)["status"] == 403
    assert "Embargoed seismic traces" not in web.page_source

    login(visitor.email, PASSWORD)
    web.get(live_server.url(f"/records/{record.id}"))
    text_shown(web, "Permission required")
    assert "Embargoed seismic traces" not in web.page_source

    login(owner.email, "owner-test-password")
    web.get(live_server.url(f"/records/{record.id}"))
    text_shown(web, "Embargoed seismic traces", (By.ID, "record-title"))


def test_administration_panel(web, live_server, login, admin, visitor):
    """The admin reaches the administration panel; an ordinary user is refused."""
    login(admin.email, PASSWORD)
    web.get(live_server.url("/administration"))
    text_shown(web, "Administration")
    assert "Permission required" not in web.page_source
    assert not console_errors(web), "the panel's scripts were refused or failed"

    login(visitor.email, PASSWORD)
    web.get(live_server.url("/administration"))
    text_shown(web, "Permission required")
