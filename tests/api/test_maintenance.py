"""``invenio my-site update-indices`` against the tests' real OpenSearch indices.

Each test makes one index look as it would after an upgrade (missing, without
a field its mapping now has, or with a field of another type), runs the
command and checks the index; the index is put back as invenio-search makes it.
"""

import json
import re

import pytest
from invenio_search import current_search
from invenio_search.utils import build_alias_name

from my_site.maintenance.cli import search_status, update_indices

INDEX = "affiliations-affiliation-v2.0.0"
RECORDS_VERSION = "7.0.0"


@pytest.fixture()
def old_index(search):
    """Replace INDEX by a hand-made one with a changed mapping; restored afterwards."""
    alias = build_alias_name(INDEX)

    def make(change_properties):
        search.indices.delete(index=list(search.indices.get(index=alias)))
        with open(current_search.mappings[INDEX]) as mapping_file:
            body = json.load(mapping_file)
        change_properties(body["mappings"]["properties"])
        search.indices.create(index=f"{alias}-old", body={**body, "aliases": {alias: {}}})
        return alias

    yield make
    search.indices.delete(index=f"{build_alias_name(INDEX)}*", ignore=[404])
    current_search.create_index(INDEX)


def properties_of(search, alias):
    """The top-level fields of the index behind ``alias``."""
    (mapping,) = search.indices.get_mapping(index=alias).values()
    return mapping["mappings"]["properties"]


def test_missing_index_is_created(search, cli_runner, old_index):
    """An index that does not exist yet is created; the others are updated in place."""
    alias = old_index(lambda properties: None)
    search.indices.delete(index=f"{alias}-old")
    result = cli_runner(update_indices)
    assert result.exit_code == 0, repr(result.exception)
    assert f"{INDEX}: created" in result.output
    assert "rdmrecords-records-record-v7.0.0: mapping updated" in result.output
    assert "All indices are up to date." in result.output
    assert search.indices.exists(index=alias)


def test_added_field_is_added(search, cli_runner, old_index):
    """A field the mapping gained since the index was made is added to it."""
    alias = old_index(lambda properties: properties.pop("indexed_at"))
    assert "indexed_at" not in properties_of(search, alias)
    result = cli_runner(update_indices)
    assert result.exit_code == 0, repr(result.exception)
    assert f"{INDEX}: mapping updated" in result.output
    assert properties_of(search, alias)["indexed_at"] == {"type": "date"}


def test_changed_field_needs_a_reindex(search, cli_runner, old_index):
    """A field whose type changed cannot be updated in place: named, and the command fails."""
    alias = old_index(lambda properties: properties.update(created={"type": "keyword"}))
    result = cli_runner(update_indices)
    assert result.exit_code == 1
    assert f"1 index(es) need a reindex: {INDEX}" in result.output
    assert properties_of(search, alias)["created"] == {"type": "keyword"}


def search_documents(search):
    """Every document of the tests' indices, by index and id, without ``indexed_at``.

    Left out: the audit log's data stream (a log, not an index of the database), the
    usage statistics' events and aggregations (``stats-*``, ``events-*``: counted from
    visits, not kept in the database) and the OAI-PMH sets' percolator queries
    (``oaiset-*``), which earlier test modules leave in the records index and no
    rebuild makes.
    """
    search.indices.refresh(index="test-*")
    documents = {}
    for hit in search.search(index="test-*", size=10000, body={"query": {"match_all": {}}})[
        "hits"
    ]["hits"]:
        if hit["_index"].startswith((".ds-", "test-stats-", "test-events-")) or hit["_id"].startswith(
            "oaiset-"
        ):
            continue
        source = {key: value for key, value in hit["_source"].items() if key != "indexed_at"}
        documents[(hit["_index"].rsplit("-", 1)[0], hit["_id"])] = source
    return documents


def test_check_search_finds_and_repairs_lost_index_updates(app, search, publish_record, cli_runner):
    """A document deleted and one left at an old version are found, and indexed again."""
    from invenio_access.permissions import system_identity
    from invenio_db import db
    from invenio_rdm_records.proxies import current_rdm_records_service as records
    from sqlalchemy import text

    from my_site.maintenance.cli import check_search

    lost, outdated, intact = (
        publish_record(title, "Nye")._record for title in
        ("Firn density at Dome C", "Firn density at Kohnen", "Firn density at Summit")
    )
    alias = build_alias_name(f"rdmrecords-records-record-v{RECORDS_VERSION}")
    document = search.get(index=alias, id=str(lost.id))
    search.delete(  # at its own version: as if it had never been indexed, no newer tombstone
        index=document["_index"], id=str(lost.id), version=document["_version"],
        version_type="external_gte", refresh=True,
    )
    revision = outdated.revision_id
    db.session.execute(text("UPDATE rdm_records_metadata SET version_id = version_id + 1 "
                            "WHERE id = :id"), {"id": outdated.id})  # a change never indexed
    db.session.commit()

    result = cli_runner(check_search)
    assert result.exit_code == 1, result.output
    assert re.search(r"records: \d+ in the database, 1 missing from search, 1 stale, "
                     r"0 in search only\.", result.output), result.output
    assert re.search(r"drafts: \d+ in the database, 0 missing from search, 0 stale\.", result.output)
    assert "Run again with --repair" in result.output

    result = cli_runner(check_search, None, "--repair")
    assert result.exit_code == 0, result.output
    assert "1 missing from search, 1 stale, 0 in search only; 2 indexed again." in result.output
    found = records.search(system_identity, q="Firn")
    assert {hit["metadata"]["title"] for hit in found.hits} == {
        "Firn density at Dome C", "Firn density at Kohnen", "Firn density at Summit"
    }
    document = search.get(index=alias, id=str(outdated.id))
    assert document["_version"] == revision + 1
    result = cli_runner(check_search)
    assert result.exit_code == 0 and "0 missing from search, 0 stale" in result.output
    assert search.get(index=alias, id=str(intact.id))["_version"] == intact.revision_id


def test_rebuild_indices_recreates_every_document(app, search, publish_record, owner, cli_runner):
    """Vocabularies, a published record and its user, indexed anew from the database, as they were.

    Their indices are emptied as a restore does it: deleted and made again.
    """
    from my_site.maintenance.cli import rebuild_indices

    record = publish_record("Ice cores of the Rhone glacier", "Agassiz")
    before = search_documents(search)
    indices = {index for index, _ in before}
    assert (f"test-rdmrecords-records-record-v{RECORDS_VERSION}", str(record._record.id)) in before
    assert any(index.startswith("test-vocabularies") for index in indices)
    for index in indices:  # empty indices, as a restore makes them
        search.indices.delete(index=f"{index}-*")
        current_search.create_index(index.removeprefix("test-"))
    assert search_documents(search) == {}

    result = cli_runner(rebuild_indices)

    assert result.exit_code == 0, repr(result.exception)
    assert "had no record" in result.output
    after = search_documents(search)
    # The owner's document was indexed when the fixture approved them; the database row
    # changed once more after that (InvenioRDM's approval does not index it again): the
    # rebuild indexes the row as it is now.
    owner_key = ("test-users-user-v3.0.0", str(owner.id))
    if owner_key in before:
        assert after[owner_key]["version_id"] >= before[owner_key]["version_id"]
        after[owner_key] = {**after[owner_key], **{
            key: before[owner_key][key] for key in ("updated", "version_id")
        }}
    assert {key: after.get(key) for key in before} == before
    assert set(after) - set(before) <= {owner_key}


def test_search_status_shows_health_and_only_the_instance_indices(search, cli_runner):
    """Cluster health, then this instance's indices (the tests' prefix) with their aliases."""
    result = cli_runner(search_status)
    assert result.exit_code == 0, result.output
    assert re.match(r"Cluster .+: (green|yellow), 1 node\(s\)", result.output)
    lines = result.output.splitlines()
    indices = {line.split()[0]: line for line in lines[2:-1]}
    assert indices and all(name.startswith("test-") for name in indices)
    records = [name for name in indices if name.startswith("test-rdmrecords-records-record-")]
    assert records and " test-rdmrecords-records," in indices[records[0]]
    assert lines[-1] == f"{len(indices)} indices."


def test_celery_is_set_to_redeliver_the_tasks_of_a_killed_worker(app):
    """Late acknowledgement, rejection on a lost worker and a prefetch of one reach Celery,
    and the nightly search repair is scheduled (no worker is killed here: the settings)."""
    from my_site.maintenance.tasks import repair_search_indices

    celery = app.extensions["flask-celeryext"].celery
    assert celery.conf.task_acks_late is True
    assert celery.conf.task_reject_on_worker_lost is True
    assert celery.conf.worker_prefetch_multiplier == 1
    schedule = app.config["CELERY_BEAT_SCHEDULE"]["my-site-search-consistency"]
    assert schedule["task"] == repair_search_indices.name
