"""Commands that keep the instance's search indices current after an upgrade."""

import click
from flask.cli import with_appcontext
from invenio_search import current_search
from invenio_search.utils import build_alias_name


@click.command("update-indices")
@with_appcontext
def update_indices():
    """Create the indices that are missing and add new fields to the others.

    Index templates are (re)installed too. Mapping changes other than added
    fields need a reindex and are reported, not applied.
    """
    client = current_search.client
    click.echo("Installing index templates...")
    list(current_search.put_templates(ignore=[400]))
    failed = []
    for index in sorted(current_search.mappings):
        if client.indices.exists(index=build_alias_name(index)):
            try:
                current_search.update_mapping(index, check=False)
            except Exception as error:  # reported below; other indices go on
                failed.append(index)
                click.secho(f"{index}: not updated: {error}", fg="red", err=True)
            else:
                click.echo(f"{index}: mapping updated")
        else:
            current_search.create_index(index)
            click.echo(f"{index}: created")
    if failed:
        raise click.ClickException(f"{len(failed)} index(es) need a reindex: {', '.join(failed)}")
    click.echo("All indices are up to date.")
