"""Fixtures of the production stack's tests (run with ``--base-url``, as run-tests.sh does)."""

import pytest
import requests


@pytest.fixture()
def site(request, database, client):
    """An HTTPS client of the production stack (fails when none is given or running).

    The stack serves the tests' database, whose tables exist while ``database`` is up.
    """
    if not request.config.getoption("--base-url"):
        pytest.fail("the production stack tests need --base-url (see run-tests.sh)")
    try:
        client.get("/ping")
    except requests.ConnectionError as error:
        pytest.fail(f"nothing answers at {client.base_url}: start scripts/server --production ({error})")
    return client
