"""User moderation and anti-spam: the e-mail domain blocklist, and a new user's uploads."""

import pytest
from deposits import new_draft, publish
from invenio_accounts.models import Domain, User
from invenio_accounts.proxies import current_datastore
from invenio_accounts.utils import DomainStatus
from invenio_cache import current_cache
from invenio_db import db
from invenio_search import current_search

from my_site.moderation.cli import moderation
from my_site.moderation.tasks import refresh_domain_blocklist
from my_site.setup.roles import ensure_delegated_roles

PASSWORD = "sign-up-test-password"


def sign_up(client, email, username):
    """Submit the sign-up form; return the response."""
    form = {
        "email": email, "password": PASSWORD, "password_confirm": PASSWORD,
        "profile.username": username, "profile.full_name": username.title(),
        "profile.affiliations": "",
        "submit": "Sign up",
    }
    return client.post("/signup/", data=form)


def test_sign_up_from_a_blocked_domain_is_refused(client, cli_runner, tmp_path):
    """Loaded from a file, the blocklist refuses sign-ups from its domains, and only those."""
    blocklist = tmp_path / "blocklist.txt"
    blocklist.write_text("# throw-away addresses\nspam-mail.example\nJunk-Mail.example.  # trailing dot\n")
    result = cli_runner(moderation, None, "load-blocklist", str(blocklist))
    assert result.exit_code == 0, result.output
    assert "2 domains blocked, 0 known domains flagged for review, 0 unchanged." in result.output

    response = sign_up(client, "bulk@spam-mail.example", "bulkseller")
    assert response.status_code == 200
    assert "The email domain is blocked." in response.get_data(as_text=True)
    response = sign_up(client, "bulk@junk-mail.example", "bulkseller")
    assert "The email domain is blocked." in response.get_data(as_text=True)
    assert User.query.filter(User.email.like("bulk@%")).count() == 0

    response = sign_up(client, "hydrologist@example.org", "hydrologist")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    assert User.query.filter_by(email="hydrologist@example.org").one()

    result = cli_runner(moderation, None, "load-blocklist", str(blocklist))
    assert "0 domains blocked, 0 known domains flagged for review, 2 unchanged." in result.output


def test_the_instance_blocklist_and_its_daily_refresh(app, cli_runner, tmp_path):
    """Setup's blocklist holds the throw-away services; the daily task picks up additions."""
    result = cli_runner(moderation, None, "load-blocklist")
    assert result.exit_code == 0, result.output
    assert "app_data/blocked-email-domains.txt: 38 domains." in result.output
    assert Domain.query.filter_by(domain="mailinator.com").one().status == DomainStatus.blocked

    schedule = app.config["CELERY_BEAT_SCHEDULE"]["my-site-domain-blocklist"]
    assert schedule["task"] == refresh_domain_blocklist.name
    blocklist = tmp_path / "blocklist.txt"
    blocklist.write_text("mailinator.com\nnewly-found-spam.example\n")
    app.config["MY_SITE_DOMAIN_BLOCKLIST"] = str(blocklist)
    try:
        refresh_domain_blocklist.delay()
    finally:
        app.config["MY_SITE_DOMAIN_BLOCKLIST"] = None
    assert Domain.query.filter_by(domain="newly-found-spam.example").one().status == DomainStatus.blocked

    blocklist.write_text("not a domain\n")
    result = cli_runner(moderation, None, "load-blocklist", str(blocklist))
    assert result.exit_code == 2 and "line 1: 'not a domain' is not a domain name" in result.output


@pytest.fixture(scope="module")
def moderator(app, database, UserFixture, headers_of):
    """REST API headers of a user with the administration-moderation role."""
    ensure_delegated_roles()  # as scripts/setup does
    user = UserFixture(email="moderator@example.org", password="moderator-password")
    user.create(app, database)
    current_datastore.add_role_to_user(user.user, "administration-moderation")
    db.session.commit()
    current_cache.clear()
    return headers_of(user.user, "moderation")


def moderation_requests(client, moderator):
    """The open user-moderation requests the moderators see."""
    current_search.flush_and_refresh("requests")
    query = {"q": "type:user-moderation AND status:submitted"}
    response = client.get("/api/requests/", query_string=query, headers=moderator)
    assert response.status_code == 200, response.json
    return response.json["hits"]["hits"]


def test_a_new_users_upload_is_moderated_and_a_spammer_blocked(
    app, database, client, location, resource_types, moderator, UserFixture, headers_of,
    owner, auth, record_data,
):
    """A new user's first upload asks the moderators; declining blocks them and hides it."""
    publish(client, auth, new_draft(client, auth, record_data))  # the approved owner: no request
    assert moderation_requests(client, moderator) == []

    newcomer = UserFixture(email="newcomer@example.org", password="newcomer-password")
    newcomer.create(app, database)
    newcomer_id = newcomer.id
    newcomer_headers = headers_of(newcomer.user, "uploads")
    data = {**record_data, "metadata": {**record_data["metadata"], "title": "Cheap watches"}}
    record_id = publish(client, newcomer_headers, new_draft(client, newcomer_headers, data))["id"]
    assert client.get(f"/api/records/{record_id}").status_code == 200  # public meanwhile

    (request,) = moderation_requests(client, moderator)
    assert request["topic"] == {"user": str(newcomer_id)}
    assert request["receiver"]["group"]  # the administration-moderation role
    response = client.post(f"/api/requests/{request['id']}/actions/decline", headers=moderator)
    assert response.status_code == 200, response.json

    assert current_datastore.get_user(newcomer_id).blocked_at is not None
    assert client.get(f"/api/records/{record_id}").status_code == 410
    current_search.flush_and_refresh("rdmrecords-records")
    found = client.get("/api/records", query_string={"q": "Cheap watches"}).json
    assert found["hits"]["total"] == 0
    found = client.get("/api/records", query_string={"q": "Glacier melt"}).json
    assert found["hits"]["total"] == 1  # the owner's record stays
