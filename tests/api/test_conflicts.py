"""A write that loses a race with another one is answered 409, not 500.

The race itself (two clients publishing one draft at once through the
two-node stack) is in tests/reliability; here the database's refusals that
such a race produces are raised for real and answered.
"""

import logging
import uuid

import pytest
from invenio_db import db
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError


def refusal(statement):
    """The IntegrityError PostgreSQL raises for ``statement`` (on a table of its own)."""
    db.session.execute(text("CREATE TEMPORARY TABLE race (id uuid PRIMARY KEY, title text NOT NULL)"))
    row = uuid.uuid4()
    db.session.execute(text("INSERT INTO race VALUES (:id, 'first')"), {"id": row})
    try:
        db.session.execute(text(statement), {"id": row})
    except IntegrityError as error:
        return error
    finally:
        db.session.rollback()
    pytest.fail(f"PostgreSQL accepted {statement}")


STATEMENTS = {
    "duplicate": "INSERT INTO race VALUES (:id, 'second')",
    "not-null": "INSERT INTO race VALUES (gen_random_uuid(), NULL)",
}


@pytest.fixture(scope="module")
def raising(app, database):
    """REST API views raising the refusal of each statement (added before any request)."""
    api = app.wsgi_app.mounts["/api"]
    for name, statement in STATEMENTS.items():

        def view(statement=statement):
            raise refusal(statement)

        api.add_url_rule(f"/raise-{name}", f"raise_{name}", view, methods=["POST"])


def test_duplicate_key_is_a_conflict(app, raising, caplog):
    """A unique key refused (the second of two records with one id): 409 with a message."""
    with caplog.at_level(logging.WARNING):
        response = app.test_client().post("/api/raise-duplicate")
    assert response.status_code == 409
    assert response.json == {
        "status": 409,
        "message": "Another request changed this record at the same time. Reload it and try again.",
    }
    assert any("lost a race" in record.getMessage() for record in caplog.records)


def test_other_integrity_errors_stay_server_errors(app, raising):
    """A NOT NULL refused is a defect, not a race: still a 500."""
    assert app.test_client().post("/api/raise-not-null").status_code == 500
