"""The delegated admin roles that setup creates (my_site/setup/roles.py)."""

import pytest
from invenio_accounts.proxies import current_datastore
from invenio_cache import current_cache
from invenio_db import db

from my_site.setup.roles import DELEGATED_ROLES, ensure_delegated_roles


@pytest.fixture(scope="module")
def delegated_roles(app, database):
    """The roles as setup creates them, and what it added."""
    return ensure_delegated_roles()


def test_setup_creates_each_role_with_its_action_once(delegated_roles):
    """Both roles and their actions are created; a second run (scripts/update) adds nothing."""
    assert delegated_roles == [
        "role administration", "administration-access for administration",
        "role administration-moderation",
        "administration-moderation for administration-moderation",
    ]
    assert ensure_delegated_roles() == []
    for name in DELEGATED_ROLES:
        assert current_datastore.find_role(name) is not None


@pytest.fixture(scope="module")
def moderator_headers(app, database, delegated_roles, UserFixture, headers_of):
    """REST API headers of a user with the administration-moderation role only."""
    moderator = UserFixture(email="moderator@example.org", password="moderator-password")
    moderator.create(app, database)
    current_datastore.add_role_to_user(moderator.user, "administration-moderation")
    db.session.commit()
    current_cache.clear()  # no permission cached before the role was given
    return headers_of(moderator.user, "moderation")


def test_a_moderation_admin_can_block_a_user(app, database, client, moderator_headers, UserFixture):
    """The moderator blocks a spammer through the REST API; the account is then blocked."""
    spammer = UserFixture(email="spammer@example.org", password="spammer-password")
    spammer.create(app, database)
    response = client.post(f"/api/users/{spammer.id}/block", headers=moderator_headers, json={})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert current_datastore.get_user(spammer.id).blocked_at is not None


def test_a_moderation_admin_cannot_do_what_needs_the_panel(client, moderator_headers, admin_auth):
    """Jobs need administration-access: refused to the moderator, open to the admin."""
    assert client.get("/api/jobs", headers=moderator_headers).status_code == 403
    assert client.get("/api/jobs", headers=admin_auth).status_code == 200
