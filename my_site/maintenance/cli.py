"""Commands that keep the instance's search indices current (after an upgrade or a restore), and show them."""

import click
from celery.messaging import establish_connection
from flask import current_app
from flask.cli import with_appcontext
from invenio_access.permissions import system_identity
from invenio_indexer.proxies import current_indexer_registry
from invenio_records_resources.proxies import current_service_registry
from invenio_search import current_search
from invenio_search.utils import build_alias_name

from .bulk import (
    ids_collected,
    index_in_batches,
    reads_records_plainly,
    signatures_kept,
)
from .consistency import check_search_indices


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


def queue_everything():
    """Queue every record of every searchable service for indexing; print what was queued."""
    queued_tables = set()
    for name, service in current_service_registry._services.items():
        if not hasattr(service, "rebuild_index"):
            continue
        # Services over the same tables (records and their media files) queue the same ids.
        tables = tuple(
            getattr(getattr(service, attribute, None), "model_cls", None)
            for attribute in ("record_cls", "draft_cls")
        )
        if tables[0] is not None and tables in queued_tables:
            continue
        try:
            service.rebuild_index(system_identity)
        except NotImplementedError:  # services that keep nothing in search
            continue
        queued_tables.add(tables)
        click.echo(f"{name}: queued")


@click.command("rebuild-indices")
@with_appcontext
def rebuild_indices():
    """Index every record, community, user and vocabulary again from the database.

    Unlike ``invenio rdm rebuild-all-indices``, which leaves the work to the
    Celery workers, the indexing queues are processed here, so the indices
    are complete when the command ends (after a restore, for example). The
    services choose the ids as upstream's rebuild does; instead of queueing
    them, the records of each 500 ids are read with one query and indexed
    with one bulk request (users and the like, which are read their own way,
    go through their queue).
    Messages already waiting in the queues are dropped first: everything is
    indexed anew anyway.
    """
    indexers = current_indexer_registry.all().values()
    indexed = failed = missing = 0
    with establish_connection() as connection, signatures_kept():
        queues = {indexer: indexer.mq_queue(connection) for indexer in indexers}
        for queue in queues.values():
            queue.declare()  # a queue that was never declared cannot be purged
            queue.purge()
        with ids_collected() as collected:
            queue_everything()
        for indexer in queues:
            try:
                done, absent = index_in_batches(indexer, collected.pop(indexer.mq_queue.name, []))
            except BulkIndexError as error:
                raise click.ClickException(str(error)) from error
            indexed, missing = indexed + done, missing + absent
        if collected:  # ids of a queue that no registered indexer reads
            raise click.ClickException(f"no indexer for the queues {', '.join(collected)}")
        for indexer, queue in queues.items():
            while queue.queue_declare(passive=True).message_count:
                done, errors = indexer.process_bulk_queue(
                    search_bulk_kwargs={"raise_on_error": False}
                )
                indexed, failed = indexed + done, failed + errors
    current_search.flush_and_refresh("*")
    if failed:
        raise click.ClickException(f"{failed} document(s) could not be indexed ({indexed} were)")
    click.echo(f"Indexed {indexed} document(s); {missing} id(s) had no record (deleted).")


def instance_indices(names):
    """Those of the index ``names`` that belong to this instance (its prefix; no system index)."""
    prefix = current_app.config.get("SEARCH_INDEX_PREFIX") or ""
    return sorted(
        name for name in names
        if not name.startswith(".") and name.startswith(prefix) and (prefix or not name.startswith("test-"))
    )


@click.command("search-status")
@with_appcontext
def search_status():
    """Print the search cluster's health and the instance's indices: documents, size, aliases.

    The overview OpenSearch Dashboards' index management gives, on the command
    line (Dashboards cannot be installed from the registries this project uses).
    """
    client = current_search.client
    health = client.cluster.health()
    click.echo(
        f"Cluster {health['cluster_name']}: {health['status']}, {health['number_of_nodes']} node(s), "
        f"{health['active_shards']} active shard(s), {health['unassigned_shards']} unassigned"
    )
    rows = {row["index"]: row for row in client.cat.indices(format="json", bytes="kb")}
    aliases = client.indices.get_alias()
    names = instance_indices(rows)
    click.echo(f"{'index':<60} {'health':<7} {'documents':>10} {'size (KiB)':>11}  aliases")
    for name in names:
        row = rows[name]
        alias_names = ", ".join(sorted(aliases.get(name, {}).get("aliases", {}))) or "-"
        click.echo(
            f"{name:<60} {row['health']:<7} {row['docs.count'] or 0:>10} {row['store.size'] or 0:>11}  {alias_names}"
        )
    click.echo(f"{len(names)} indices.")


@click.command("check-search")
@click.option("--repair", is_flag=True, help="Index the missing and stale records again.")
@with_appcontext
def check_search(repair):
    """Compare the search indices of records and drafts with the database.

    Exits 1 when a document is missing or stale and ``--repair`` was not given.
    """
    comparisons = check_search_indices(repair=repair)
    for comparison in comparisons:
        click.echo(comparison.summary())
    if not repair and not all(comparison.consistent for comparison in comparisons):
        click.echo("Run again with --repair to index them again.")
        raise SystemExit(1)
