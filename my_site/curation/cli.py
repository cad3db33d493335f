"""``invenio my-site curation-checks``: set and show a community's curation rules.

InvenioRDM runs a community's checks (invenio-checks, ``CHECKS_ENABLED``) on every
draft submitted to it, but offers no way to write them but SQL: these commands
keep one metadata check per community, its rules read from a YAML file in
invenio-checks' rule format (see ``app_data/curation-checks.yaml``).
"""

import click
import yaml
from flask.cli import with_appcontext
from invenio_checks.contrib.metadata.check import MetadataCheck
from invenio_checks.models import CheckConfig, Severity
from invenio_communities.communities.records.api import Community
from invenio_db import db
from invenio_pidstore.errors import PIDDoesNotExistError


def community_by_slug(slug):
    """The community with this slug, or a usage error naming it."""
    try:
        return Community.pid.resolve(slug)
    except PIDDoesNotExistError:
        raise click.UsageError(f"No community with the slug {slug!r}.") from None


def metadata_check(community):
    """The community's metadata check configuration, if it has one."""
    return CheckConfig.query.filter_by(
        community_id=community.id, check_id=MetadataCheck.id
    ).one_or_none()


@click.group("curation-checks")
def curation_checks():
    """Curation checks of communities' submissions."""


@curation_checks.command("set")
@click.argument("slug")
@click.argument("rules_file", type=click.File(encoding="utf-8"))
@with_appcontext
def set_rules(slug, rules_file):
    """Check submissions to community SLUG against the rules of RULES_FILE."""
    community = community_by_slug(slug)
    params = yaml.safe_load(rules_file) or {}
    try:
        MetadataCheck().validate_config(params)
    except ValueError as error:
        raise click.UsageError(f"{rules_file.name}: {error}") from None
    config = metadata_check(community) or CheckConfig(
        community_id=community.id, check_id=MetadataCheck.id
    )
    config.params, config.severity, config.enabled = params, Severity.FAIL, True
    db.session.add(config)
    db.session.commit()
    click.echo(f"{len(params['rules'])} curation rules set for community {slug}.")


@curation_checks.command("show")
@click.argument("slug")
@with_appcontext
def show_rules(slug):
    """Print the curation rules of community SLUG."""
    config = metadata_check(community_by_slug(slug))
    if config is None or not config.enabled:
        click.echo(f"Community {slug} has no curation rules.")
        return
    for rule in config.params["rules"]:
        click.echo(f"{rule.get('level', 'info'):8} {rule['id']}: {rule.get('title', '')}")
