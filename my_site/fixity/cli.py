"""``invenio my-site fixity check``: run the fixity check now."""

import click
from flask import current_app
from flask.cli import with_appcontext

from .api import check_files


@click.group()
def fixity():
    """File fixity checks."""


@fixity.command("check")
@click.option("--all", "check_all", is_flag=True, help="Check every stored file, not one batch.")
@with_appcontext
def check(check_all):
    """Re-compute checksums of stored files and report damaged ones."""
    batch_size = None if check_all else current_app.config["MY_SITE_FIXITY_BATCH_SIZE"]
    report = check_files(batch_size=batch_size)
    for damaged in report.corrupted:
        click.secho(f"CORRUPTED {damaged['file_id']} {damaged['uri']}", fg="red")
    for damaged in report.missing:
        click.secho(f"MISSING   {damaged['file_id']} {damaged['uri']}", fg="red")
    click.echo(report.summary())
    if report.damaged:
        raise SystemExit(1)
