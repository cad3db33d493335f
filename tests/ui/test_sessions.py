"""Anonymous readers get no session: no cookie, and nothing stored in Redis.

Without it every anonymous request stored a session for 31 days and set a
cookie, which kept every page out of the production stack's cache.
"""

import flask_babel
import pytest


@pytest.fixture()
def stored_sessions(app):
    """The number of sessions in the session store (Redis)."""
    return lambda: sum(1 for _ in app.kvsession_store.keys())


def cookies_of(answer):
    """The cookies an answer sets, as one string."""
    return "; ".join(answer.headers.getlist("Set-Cookie"))


def test_anonymous_readers_get_no_session(app, stored_sessions, publish_record):
    """Front page, search, landing page and a 404: no cookie, no new session in Redis."""
    record = publish_record("Sessionless lichen survey", "Ostrom")
    before = stored_sessions()
    for path in ("/", "/search?q=lichen", f"/records/{record.id}", "/no-such-page"):
        with app.test_client() as client:
            answer = client.get(path)
            assert answer.status_code in (200, 404), path
            assert "session=" not in cookies_of(answer), path
    assert stored_sessions() == before


def test_a_visitor_with_something_to_keep_gets_a_session(app, stored_sessions):
    """Choosing a language stores a session and sends its cookie; the choice is kept."""
    before = stored_sessions()
    with app.test_client() as client:
        answer = client.get("/lang/de?next=/")
        assert answer.status_code == 302
        assert "session=" in cookies_of(answer)
        flask_babel.refresh()  # the locale is kept in the module's application context
        assert '<html lang="de"' in client.get("/").get_data(as_text=True)
    assert stored_sessions() == before + 1


def test_logging_in_and_out_still_work(app, owner):
    """A logged-in session is kept between requests, and logging out ends it."""
    with app.test_client() as client:
        owner.login(client)
        assert client.get("/account/settings/applications/").status_code == 200
        assert client.get("/logout/").status_code == 302
        answer = client.get("/account/settings/applications/")
        assert answer.status_code == 302
        assert "/login/" in answer.headers["Location"]
