"""Login attempts are limited per client address, whatever the client calls itself.

The health endpoints, which load balancers ask every few seconds, are not limited.
"""

import pytest
from invenio_app.ext import limiter

LOGIN_LIMIT = 10
"""InvenioRDM's limit of ``security.login`` per minute."""


@pytest.fixture(scope="module")
def app_config(app_config):
    """Rate limits on, as users have them (pytest-invenio turns them off)."""
    app_config["RATELIMIT_ENABLED"] = True
    return app_config


def attempt_login(client, address, number):
    """One failed log-in from ``address`` with a User-Agent of its own; its status code."""
    response = client.post(
        "/login/",
        data={"email": "nobody@example.org", "password": "wrong"},
        headers={"User-Agent": f"attempt-{number}"},
        environ_base={"REMOTE_ADDR": address},
    )
    return response.status_code


def test_eleventh_login_attempt_from_one_address_is_refused(app, database, client):
    """The 11th attempt in a minute gets 429 although each came with another User-Agent."""
    limiter.reset()
    statuses = [attempt_login(client, "192.0.2.10", n) for n in range(LOGIN_LIMIT + 1)]
    assert 429 not in statuses[:LOGIN_LIMIT], statuses
    assert statuses[LOGIN_LIMIT] == 429
    assert attempt_login(client, "192.0.2.11", 0) != 429  # another address is not limited


def test_health_endpoints_are_not_rate_limited(app, client, location):
    """More anonymous health requests from one address than the guest limit allows a minute."""
    limiter.reset()
    guest_limit = int(app.config["RATELIMIT_GUEST_USER"].split(";")[-1].split()[0])
    statuses = {
        client.get(path, environ_base={"REMOTE_ADDR": "192.0.2.20"}).status_code
        for path in ("/api/health", "/api/ping")
        for _ in range(guest_limit + 1)
    }
    assert statuses == {200}, statuses  # never 429
    limiter.reset()
