"""The running production stack of the reliability tier, and what it was seeded with.

``run-tests.sh`` sets up the tests' instance, seeds it (tests/benchmark/seed.py),
starts ``scripts/server --production --nodes 2 --profile test`` (rate limits and
the anonymous cache off) and runs these tests with ``--base-url`` and
``MY_SITE_RELIABILITY_SEED``. The tests talk to it over HTTPS and to its
supervisord through ``scripts/server``, as an operator would.
"""

import json
import os

import pytest

from .stack import FIGURES_FILE, Stack


def pytest_sessionstart(session):
    """The figures of this run only."""
    FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
    FIGURES_FILE.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def seed():
    """The records and the depositor's token the stack was seeded with."""
    path = os.environ.get("MY_SITE_RELIABILITY_SEED")
    if not path:
        pytest.fail("the reliability tests need MY_SITE_RELIABILITY_SEED (see run-tests.sh)")
    with open(path, encoding="utf-8") as seed_file:
        return json.load(seed_file)


@pytest.fixture(scope="session")
def stack(request):
    """The running production stack; fails when none is given or none answers."""
    base_url = request.config.getoption("--base-url")
    if not base_url:
        pytest.fail("the reliability tests need --base-url (see run-tests.sh)")
    stack = Stack(base_url)
    stack.require_running()
    return stack
