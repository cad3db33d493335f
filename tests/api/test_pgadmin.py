"""pgAdmin, an optional service: it starts, asks for a login, and knows the instance's database.

``scripts/services start pgadmin`` is run as an operator runs it (pgAdmin is
installed on first use, from requirements-pgadmin.txt); it is stopped again
afterwards when the test started it.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVICES = REPO_ROOT / "scripts" / "services"
PGADMIN = "http://127.0.0.1:5250"
EMAIL = "admin@example.org"


def services(*args):
    """Run scripts/services; its completed process."""
    return subprocess.run([str(SERVICES), *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def pgadmin():
    """pgAdmin running; stopped afterwards if it was not running before."""
    was_running = services("status", "pgadmin").returncode == 0
    started = services("start", "pgadmin")
    assert started.returncode == 0, started.stdout + started.stderr
    yield REPO_ROOT / "var" / "services" / "pgadmin"
    if not was_running:
        assert services("stop", "pgadmin").returncode == 0


def secret(name):
    """A value of var/secrets.env."""
    text = (REPO_ROOT / "var" / "secrets.env").read_text()
    return re.search(rf"^{name}=(.*)$", text, re.M).group(1)


def log_in(session, password):
    """Log in to pgAdmin; the CSRF token its API calls need, and where the login led."""
    page = session.get(f"{PGADMIN}/login", timeout=30)
    token = re.search(r'"csrfToken": "([^"]+)"', page.text).group(1)
    form = {"csrf_token": token, "email": EMAIL, "password": password, "language": "en"}
    answer = session.post(f"{PGADMIN}/authenticate/login", data=form, allow_redirects=False, timeout=30)
    return token, answer.headers.get("Location", "")


def test_pgadmin_asks_for_a_login_and_lists_the_instance_database(pgadmin):
    """A wrong password is refused; the right one shows the instance's database, whose password is not stored."""
    assert requests.get(f"{PGADMIN}/misc/ping", timeout=10).text == "PING"
    assert requests.get(f"{PGADMIN}/browser/", allow_redirects=False, timeout=10).status_code == 302

    session = requests.Session()
    _, location = log_in(session, "not-the-password")
    assert location.endswith("/login")
    token, location = log_in(session, secret("MY_SITE_PGADMIN_PASSWORD"))
    assert location.endswith("/browser/")

    listed = session.get(f"{PGADMIN}/browser/server/obj/1/", headers={"X-pgA-CSRFToken": token}, timeout=30)
    assert listed.status_code == 200, listed.text
    (server,) = listed.json()
    assert (server["host"], server["port"], server["db"], server["username"]) == ("127.0.0.1", 5632, "mysite", "mysite")
    registered = json.loads((pgadmin / "servers.json").read_text())
    assert "password" not in json.dumps(registered).lower()
    assert secret("MY_SITE_DB_PASSWORD") not in (pgadmin / "config.py").read_text()


def test_pgadmin_appears_in_the_status(pgadmin):
    """``scripts/services status pgadmin`` says it is up, with its version."""
    status = services("status", "pgadmin")
    assert status.returncode == 0
    assert re.match(r"pgadmin\s+up\s+9\.18\b", status.stdout), status.stdout
