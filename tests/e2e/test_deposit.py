"""The deposit form in Chromium: a new upload with a file, and one submitted to a community."""

import hashlib

import pytest
import requests
from browsing import click, console_errors, screenshot, text_shown, visible
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

PASSWORD = "owner-test-password"


@pytest.fixture(scope="module", autouse=True)
def deposit_ready(location, rdm_vocabularies, instruments, subjects):
    """A files location and the vocabularies the deposit form offers."""


def button(text):
    """Locate a button by its visible label."""
    return (By.XPATH, f"//button[normalize-space()='{text}']")


def modal_button(text):
    """Locate a button of the open dialog by its visible label."""
    return (By.XPATH, f"//div[contains(concat(' ', @class, ' '), ' modal ')]//button[normalize-space()='{text}']")


def form_field(path):
    """Locate a deposit-form field by the path its label is for."""
    return (By.XPATH, f"//div[label[@for='{path}'] or label/label[@for='{path}']]")


def fill_deposit_form(web, title, family_name, given_name):
    """Fill in the required metadata of a new upload."""
    visible(web, button("Save draft"))
    click(web, (By.CSS_SELECTOR, "div[name='metadata.resource_type']"))
    click(web, (By.XPATH, "//div[@name='metadata.resource_type']//div[@role='option'][normalize-space()='Dataset']"))
    web.find_element(By.ID, "metadata.title").send_keys(title)

    click(web, button("Add author"))
    modal = visible(web, (By.CSS_SELECTOR, ".ui.modal"))
    modal.find_element(By.NAME, "person_or_org.family_name").send_keys(family_name)
    modal.find_element(By.NAME, "person_or_org.given_name").send_keys(given_name)
    click(web, modal_button("Save"))
    text_shown(web, f"{family_name}, {given_name}", form_field("metadata.creators"))
    assert not console_errors(web)


def add_licence(web, name):
    """Add a standard licence through the licence search."""
    click(web, button("Add standard"))
    modal = visible(web, (By.CSS_SELECTOR, ".ui.modal"))
    search = modal.find_element(By.CSS_SELECTOR, "input[placeholder='Search for licenses']")
    search.send_keys(name.split()[-2], Keys.ENTER)
    item = visible(web, (By.XPATH, f"//div[contains(@class,'license-item')][.//*[normalize-space()='{name}']]"))
    click(web, item.find_element(By.CSS_SELECTOR, ".ui.radio"))
    click(web, modal_button("Add license"))
    text_shown(web, name, form_field("metadata.rights"))


def test_new_upload_with_a_file(web, live_server, login, owner, tmp_path):
    """Title, creator, resource type, licence and a file; saved, published, downloadable."""
    rows = (f"{depth},{12.0 - depth * 0.04:.2f}\n" for depth in range(0, 250, 5))
    content = ("depth_m,temperature_c\n" + "".join(rows)).encode()
    upload = tmp_path / "lake-profile.csv"
    upload.write_bytes(content)

    login(owner.email, PASSWORD)
    web.get(live_server.url("/uploads/new"))
    fill_deposit_form(web, "Temperature profile of Lake Constance", "Curie", "Marie")
    add_licence(web, "Creative Commons Zero v1.0 Universal")
    web.find_element(By.CSS_SELECTOR, "input[type=file]").send_keys(str(upload))
    checksum = hashlib.md5(content).hexdigest()
    text_shown(web, f"md5:{checksum}")  # uploaded, and checksummed by the server
    screenshot(web, "deposit-form")

    click(web, button("Save draft"))
    text_shown(web, "Record successfully saved.")
    assert "/uploads/" in web.current_url and "/uploads/new" not in web.current_url

    click(web, button("Publish"))
    click(web, modal_button("Publish"))
    text_shown(web, "Temperature profile of Lake Constance", (By.ID, "record-title"))
    assert "/records/" in web.current_url
    for shown in ("Curie, Marie", "Dataset", "Creative Commons Zero v1.0 Universal", "lake-profile.csv"):
        text_shown(web, shown)
    assert not console_errors(web)
    screenshot(web, "landing-page")

    link = web.find_element(By.XPATH, "//a[contains(@href, '/files/lake-profile.csv')]")
    download = requests.get(link.get_attribute("href"), timeout=30)
    assert download.status_code == 200
    assert download.content == content


def test_subject_suggested_from_fields_of_science(web, live_server, login, owner):
    """Typing part of a field of science offers it; the draft keeps the chosen subject."""
    login(owner.email, PASSWORD)
    web.get(live_server.url("/uploads/new"))
    fill_deposit_form(web, "Land use around Lake Geneva", "Reclus", "Élisée")
    subjects = visible(web, (By.CSS_SELECTOR, "div[name='metadata.subjects'] input.search"))
    subjects.send_keys("geograph")
    option = (By.XPATH, "//div[@name='metadata.subjects']//div[@role='option']"
                        "[contains(normalize-space(), 'Social and economic geography')]")
    click(web, option)
    text_shown(web, "Social and economic geography", form_field("metadata.subjects"))

    click(web, button("Save draft"))
    text_shown(web, "Record successfully saved.")
    draft_id = web.current_url.rstrip("/").split("/")[-1]
    draft = requests.get(
        live_server.url(f"/api/records/{draft_id}/draft"),
        cookies={c["name"]: c["value"] for c in web.get_cookies()},
        timeout=30,
    )
    assert draft.status_code == 200, draft.text
    assert [s["id"] for s in draft.json()["metadata"]["subjects"]] == ["fos-5.7"]
    assert not console_errors(web)


def test_community_submission_accepted_by_owner(web, live_server, login, owner):
    """A new community receives an upload for review; its owner accepts it."""
    login(owner.email, PASSWORD)
    web.get(live_server.url("/communities/new"))
    visible(web, (By.NAME, "metadata.title")).send_keys("Limnology Lab")
    slug = web.find_element(By.NAME, "slug")
    slug.send_keys(Keys.CONTROL, "a")
    slug.send_keys("limnology-lab")
    click(web, button("Create community"))
    text_shown(web, "Limnology Lab")

    web.get(live_server.url("/uploads/new?community=limnology-lab"))
    fill_deposit_form(web, "Dissolved oxygen in alpine lakes", "Forel", "François-Alphonse")
    click(web, (By.XPATH, "//label[normalize-space()='Metadata-only record']"))
    text_shown(web, "Limnology Lab")  # the selected community heads the form

    click(web, button("Submit for review"))
    modal = visible(web, (By.CSS_SELECTOR, ".ui.modal"))
    for checkbox in modal.find_elements(By.CSS_SELECTOR, ".ui.checkbox"):
        click(web, checkbox)
    click(web, modal_button("Submit record for review"))
    text_shown(web, "Draft review")  # the request page, where the community's owner decides
    text_shown(web, "Submitted")

    # The owner of the community finds the request among the community's requests.
    web.get(live_server.url("/communities/limnology-lab/requests"))
    click(web, (By.LINK_TEXT, "Dissolved oxygen in alpine lakes"))
    click(web, button("Accept and publish"))
    click(web, modal_button("Accept and publish"))
    text_shown(web, "Accepted")

    web.get(live_server.url("/communities/limnology-lab/records"))
    text_shown(web, "Dissolved oxygen in alpine lakes", (By.TAG_NAME, "main"))
    screenshot(web, "community-records")
