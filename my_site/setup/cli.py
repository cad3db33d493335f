"""``invenio my-site setup``, ``update`` and ``recreate-indices``: multi-step operations in one process."""

from contextlib import contextmanager
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from invenio_db import db
from invenio_rdm_records import fixtures as rdm_fixtures
from invenio_rdm_records.fixtures.tasks import create_demo_community, create_demo_record
from sqlalchemy_utils import database_exists

from ..maintenance.cli import rebuild_indices, update_indices
from ..moderation.cli import approve, load_blocklist_command
from ..storage.buckets import bucket_of, empty_bucket
from .roles import ensure_delegated_roles
from .steps import Steps, run_invenio
from .vocabularies import load_vocabulary_fixtures

log_option = click.option(
    "--log",
    "log",
    type=click.File("a", encoding="utf-8"),
    default="-",
    help="File for the output of each step (default: the terminal).",
)


def create_indices_and_queues(steps):
    """Search indices and templates, the custom fields' mappings and the queues."""
    steps.invenio("Creating search indices and templates", "index", "init")
    steps.invenio("Creating record custom fields", "rdm-records", "custom-fields", "init")
    steps.invenio("Creating community custom fields", "communities", "custom-fields", "init")
    steps.invenio("Declaring queues", "queues", "declare")


def load_fixtures(steps):
    """What ``invenio rdm-records fixtures`` loads, with the vocabularies in batches."""
    with steps.step("Loading vocabularies and fixtures"):
        load_vocabulary_fixtures()
        # The rest of upstream's FixturesEngine.run, with the same search paths.
        app_data = Path(current_app.instance_path) / "app_data"
        search_paths = [app_data, Path(rdm_fixtures.__file__).parent / "data"]
        rdm_fixtures.UsersFixture(search_paths, "users.yaml").load()
        rdm_fixtures.CommunitiesFixture(
            search_paths, "communities.yaml", create_demo_community, app_data / "img"
        ).load()
        rdm_fixtures.RecordsFixture(search_paths, "records.yaml", create_demo_record).load()


@contextmanager
def user_moderation_paused():
    """Create the demo data with user moderation off.

    InvenioRDM's demo tasks act with an identity that lacks its user, which the
    community moderation handler reads (an ``AttributeError``); the demo data is
    the admin's, whom setup has approved, so moderation would let it through anyway.
    """
    config = current_app.config
    enabled = config["RDM_USER_MODERATION_ENABLED"]
    config["RDM_USER_MODERATION_ENABLED"] = False
    try:
        yield
    finally:
        config["RDM_USER_MODERATION_ENABLED"] = enabled


@click.command("setup")
@click.option("--wipe", is_flag=True, help="Destroy the existing search indices and database first.")
@click.option("--demo", is_flag=True, help="Also create demo communities and records.")
@click.option("--files-location", required=True,
              help="The default files location: a folder, or s3://BUCKET on the S3 object store.")
@click.option("--admin-email", required=True, help="E-mail address of the admin account.")
@click.option("--admin-password-file", required=True, type=click.File("r"),
              help="File holding the admin account's password (never on a command line).")
@log_option
@with_appcontext
def setup(wipe, demo, files_location, admin_email, admin_password_file, log):
    """Initialise the instance on running services, in one application start.

    The same steps as invenio-cli's ``services setup``: database, files
    location, admin role (and the delegated roles, ``roles.py``), indices,
    custom fields, queues, vocabularies and fixtures (in batches), static
    pages, the e-mail domain blocklist, the admin account (approved, so that
    its uploads need no moderation), and with ``--demo`` demo communities and
    records. Celery tasks run in this process
    when ``CELERY_TASK_ALWAYS_EAGER`` is set (``scripts/setup`` sets it).
    """
    password = admin_password_file.read().strip()
    if not password:
        raise click.UsageError("the admin password file is empty")
    steps = Steps(log)
    if wipe:
        steps.invenio("Destroying search indices", "index", "destroy", "--force", "--yes-i-know")
        with steps.step("Destroying the database"):
            db.session.remove()
            db.engine.dispose()  # no connection of ours may keep the database open
            if database_exists(db.engine.url):  # only its indices may be left
                run_invenio("db", "destroy", "--yes-i-know")
    steps.invenio("Creating database", "db", "init", "create")
    bucket = bucket_of(files_location)
    if bucket:
        if wipe:
            with steps.step(f"Emptying the S3 bucket {bucket}"):
                empty_bucket(bucket)
        steps.invenio(f"Creating the S3 bucket {bucket}", "s3", "create-bucket", bucket)
    else:
        files_location = str(Path(files_location).resolve())
    steps.invenio(
        f"Creating files location {files_location}",
        "files", "location", "create", "--default", "default-location", files_location,
    )
    steps.invenio("Creating admin role", "roles", "create", "admin")
    steps.invenio("Assigning superuser access to admin role", "access", "allow", "superuser-access", "role", "admin")
    with steps.step("Creating the administration and administration-moderation roles"):
        ensure_delegated_roles()
    create_indices_and_queues(steps)
    load_fixtures(steps)
    steps.invenio("Loading application fixtures", "rdm", "fixtures")
    with steps.step("Loading the e-mail domain blocklist"):
        click.get_current_context().invoke(load_blocklist_command)
    steps.invenio(
        f"Creating the admin account {admin_email}",
        "users", "create", admin_email, "--password", password, "--active", "--confirm",
    )
    steps.invenio(f"Giving {admin_email} the admin role", "roles", "add", admin_email, "admin")
    with steps.step(f"Approving {admin_email} (no moderation of the admin's uploads)"):
        click.get_current_context().invoke(approve, email=admin_email)
    if demo:
        with user_moderation_paused():
            steps.invenio("Creating demo communities", "rdm-records", "demo", "communities",
                          "--user", admin_email, "--communities", "3")
            steps.invenio("Creating demo records", "rdm-records", "demo", "records",
                          "--user", admin_email, "--records", "10")
    click.echo(f"Setup finished in {steps.elapsed:.0f}s.")


@click.command("update")
@log_option
@with_appcontext
def update(log):
    """Bring the database and indices of an existing instance up to the installed code."""
    steps = Steps(log)
    steps.invenio("Upgrading the database", "alembic", "upgrade")
    with steps.step("Updating search indices and templates"):
        click.get_current_context().invoke(update_indices)
    steps.invenio("Updating record custom fields", "rdm-records", "custom-fields", "init")
    steps.invenio("Updating community custom fields", "communities", "custom-fields", "init")
    with steps.step("Creating the delegated admin roles where missing"):
        click.echo("; ".join(ensure_delegated_roles()) or "nothing missing")
    with steps.step("Refreshing the e-mail domain blocklist"):
        click.get_current_context().invoke(load_blocklist_command)
    click.echo(f"Update finished in {steps.elapsed:.0f}s.")


@click.command("recreate-indices")
@click.option("--upgrade-database", is_flag=True, help="Run the database migrations first.")
@log_option
@with_appcontext
def recreate_indices(upgrade_database, log):
    """Destroy the search indices and fill new ones from the database (after a restore)."""
    steps = Steps(log)
    if upgrade_database:
        steps.invenio("Upgrading the database", "alembic", "upgrade")
    steps.invenio("Destroying search indices", "index", "destroy", "--force", "--yes-i-know")
    create_indices_and_queues(steps)
    with steps.step("Indexing everything from the database"):
        click.get_current_context().invoke(rebuild_indices)
    click.echo(f"Search indices recreated in {steps.elapsed:.0f}s.")
