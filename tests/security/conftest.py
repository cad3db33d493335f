"""The security tier: REST writes with bad input, and restricted data probed from outside.

Every request goes through a :class:`probing.Probe`, which counts what was
tried, the server errors (5xx) and the leaks (a restricted value in an answer
to someone not allowed to see it). The figures are printed at the end of the
run and written to ``var/test-artifacts/security.txt`` for run-tests.sh's
summary.
"""

import pytest
from probing import FIGURES, FIGURES_FILE


@pytest.fixture(scope="module")
def stranger(app, database, UserFixture):
    """A confirmed user who owns nothing and has no role."""
    return UserFixture(email="stranger@example.org", password="stranger-test-password").create(
        app, database
    )


def pytest_terminal_summary(terminalreporter):
    """Print the figures and keep them for run-tests.sh."""
    if not FIGURES.requests:
        return
    terminalreporter.write_sep("=", f"security: {FIGURES.line()}")
    for item in FIGURES.server_errors[:20] + FIGURES.leaks[:20]:
        terminalreporter.write_line(f"  {item}")
    FIGURES_FILE.parent.mkdir(parents=True, exist_ok=True)
    FIGURES_FILE.write_text(FIGURES.line() + "\n")
