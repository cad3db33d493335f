"""The ``invenio my-site`` command group, gathering the commands of each feature."""

import click

from .curation.cli import curation_checks
from .fixity.cli import fixity
from .maintenance.cli import (
    check_search,
    rebuild_indices,
    search_status,
    update_indices,
)
from .moderation.cli import moderation
from .setup.cli import recreate_indices, setup, update
from .storage.cli import storage


@click.group(name="my-site")
def my_site():
    """Commands of the my-site instance."""


my_site.add_command(update_indices)
my_site.add_command(rebuild_indices)
my_site.add_command(search_status)
my_site.add_command(check_search)
my_site.add_command(fixity)
my_site.add_command(curation_checks)
my_site.add_command(moderation)
my_site.add_command(setup)
my_site.add_command(update)
my_site.add_command(recreate_indices)
my_site.add_command(storage)
