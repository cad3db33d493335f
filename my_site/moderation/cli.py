"""``invenio my-site moderation``: the e-mail domain blocklist and trusted accounts."""

import click
from flask.cli import with_appcontext
from invenio_access.permissions import system_identity
from invenio_accounts.proxies import current_datastore
from invenio_users_resources.proxies import current_users_service

from .domains import blocklist_path, load_blocklist, read_blocklist


@click.group()
def moderation():
    """User moderation and anti-spam."""


@moderation.command("load-blocklist")
@click.argument("blocklist", required=False, type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def load_blocklist_command(blocklist):
    """Block sign-ups from the e-mail domains of BLOCKLIST (default: the instance's)."""
    path = blocklist or blocklist_path()
    try:
        domains = read_blocklist(path)
    except (OSError, ValueError) as error:
        raise click.UsageError(str(error)) from None
    click.echo(f"{path}: {len(domains)} domains.")
    click.echo(load_blocklist(domains).summary())


@moderation.command("approve")
@click.argument("email")
@with_appcontext
def approve(email):
    """Trust the account EMAIL: its uploads open no moderation request."""
    user = current_datastore.find_user(email=email)
    if user is None:
        raise click.UsageError(f"No account with the e-mail address {email}.")
    if user.verified_at is not None:
        click.echo(f"{email} is approved already.")
        return
    current_users_service.approve(system_identity, user.id)
    click.echo(f"{email} is approved.")
