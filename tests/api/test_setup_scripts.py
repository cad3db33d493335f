"""scripts/setup, scripts/update and scripts/services on the tests' database and indices.

The whole of scripts/setup runs in CI through scripts/quickstart (on the
instance); here its guards are tested: it refuses bad input, and an instance
with data is never wiped without --yes-i-know (nor are the services' data by
``scripts/services destroy``). For scripts/update (``--profile test``) the
tests' database is made as ``invenio db create`` makes it (tables and the
migrations' version stamped); the update must keep a published record, bring
back a search index that is missing, and leave the database at the newest
migration.
"""

from pathlib import Path

import pytest
from invenio_accounts.models import User
from invenio_db import db
from invenio_rdm_records.proxies import current_rdm_records_service as records
from invenio_search import current_search
from invenio_search.utils import build_alias_name
from sqlalchemy import text

REPO_ROOT = Path(__file__).resolve().parents[2]

MISSING_INDEX = "affiliations-affiliation-v2.0.0"


def test_update_keeps_records_and_brings_indices_up_to_date(
    app, database, search, publish_record, owner, run_script
):
    """Migrations, indices and custom fields are updated; the published record stays."""
    record_id = publish_record("Sea-ice thickness from upward-looking sonar", "Wadhams").id
    alembic = app.extensions["invenio-db"].alembic
    alembic.stamp()
    alembic.migration_context.connection.close()  # it would keep a lock on alembic_version
    search.indices.delete(index=f"{build_alias_name(MISSING_INDEX)}*")

    try:
        output = run_script("update", "--profile", "test").stdout
        versions = tuple(row[0] for row in db.session.execute(text("SELECT version_num FROM alembic_version")))
        pending = list(alembic.script_directory.iterate_revisions("heads", versions))
    finally:
        db.session.execute(text("DROP TABLE IF EXISTS alembic_version"))
        db.session.commit()

    for step in ("Upgrading the database", "Updating search indices and templates",
                 "Updating record custom fields", "Updating community custom fields",
                 "Refreshing the e-mail domain blocklist"):
        assert f"{step}... done" in output
    assert "Update finished: the mysite_test database" in output
    assert versions and pending == []
    assert search.indices.exists(index=build_alias_name(MISSING_INDEX))
    current_search.flush_and_refresh("rdmrecords-records")
    assert records.read(owner.identity, record_id).data["metadata"]["title"].startswith("Sea-ice")
    found = records.search(owner.identity, q="sonar")
    assert [hit["id"] for hit in found.hits] == [record_id]


def test_update_refuses_an_unknown_profile(run_script):
    """A profile other than instance or test is refused before anything runs."""
    result = run_script("update", "--profile", "production", status=1)
    assert "--profile takes 'instance' or 'test'" in result.stderr


def test_setup_never_wipes_data_without_being_told(database, owner, run_script):
    """Run without a terminal on a database with accounts, setup stops before changing anything."""
    result = run_script("setup", "--profile", "test", status=1)
    assert "already holds data; re-run with --yes-i-know to wipe it" in result.stderr
    assert "Creating database" not in result.stdout
    assert User.query.filter_by(email=owner.email).one()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--profile", "staging"], "--profile takes 'instance' or 'test'"),
        (["--admin-email", "nobody"], "'nobody' is not an e-mail address"),
        (["--admin-email"], "--admin-email needs an e-mail address"),
        (["--wipe"], "unknown option '--wipe'"),
    ],
)
def test_setup_refuses_bad_arguments(run_script, arguments, message):
    """Each bad argument is named, with what to do, before anything runs."""
    result = run_script("setup", *arguments, status=1)
    assert message in result.stderr


def test_services_destroy_deletes_nothing_unless_confirmed(database, owner, run_script):
    """Without a terminal or --yes-i-know, destroy stops, says how to confirm, and every service keeps its data."""
    result = run_script("services", "destroy", status=1)
    assert "re-run with --yes-i-know to confirm" in result.stderr
    assert "Deleting" not in result.stdout
    for service in ("postgresql", "opensearch", "redis", "rabbitmq"):
        assert (REPO_ROOT / "var" / "services" / service / "data").is_dir(), service
    assert User.query.filter_by(email=owner.email).one()
    assert run_script("services", "status").returncode == 0  # all four still up


def test_services_refuses_an_unknown_service(run_script):
    """A service name that is not one of the four is named before anything is stopped."""
    result = run_script("services", "destroy", "--yes-i-know", "mysql", status=1)
    assert "unknown service 'mysql'" in result.stderr
