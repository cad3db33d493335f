"""InvenioRDM's vocabulary fixtures, loaded in batches.

``invenio rdm-records fixtures`` creates each of the ~16,000 vocabulary records
in its own task, transaction and index request (about 30 records/s). This
loader reads the same files with the same precedence (the instance's
``app_data`` first, then extensions, then InvenioRDM's own; upstream's
``PrioritizedVocabulariesFixtures`` decides), parses YAML with libyaml, and
creates the records of each vocabulary through its service's batch path
(``create_or_update_many``: one transaction per batch), then indexes each
batch with one bulk request of the records just made (instead of queueing
their ids for a worker that would read each one back from the database).
The largest vocabulary, languages (half of the records; no other vocabulary
refers to it), is loaded in a forked process beside the others, so both
cores work.
"""

import multiprocessing
import sys
from itertools import islice
from pathlib import Path

import yaml
from flask import current_app
from invenio_access.permissions import system_identity
from invenio_db.uow import UnitOfWork
from invenio_rdm_records.fixtures import (
    PrioritizedVocabulariesFixtures,
    VocabulariesFixture,
)
from invenio_rdm_records.fixtures.vocabularies import (
    GenericVocabularyEntry,
    VocabularyEntryWithSchemes,
    create_iterator,
)
from invenio_records_resources.proxies import current_service_registry
from invenio_records_resources.services.uow import RecordBulkIndexOp
from invenio_search import current_search
from invenio_search.utils import build_alias_name
from opensearchpy.helpers import bulk

from .forking import release_connections

BATCH_SIZE = 50
"""Records per transaction and bulk index request."""

FORKED_VOCABULARIES = {"languages"}
"""Vocabularies loaded in a process of their own: large, and no other vocabulary refers to them."""


class VocabularyLoadError(Exception):
    """Some records of a vocabulary could not be created."""


class BulkIndexedUnitOfWork(UnitOfWork):
    """A unit of work that leaves indexing to the loader, which indexes each batch in bulk."""

    def register(self, op):
        """Register every operation but the queueing of the records' ids for indexing."""
        if not isinstance(op, RecordBulkIndexOp):
            super().register(op)


def index_action(indexer, record):
    """The bulk ``index`` action of a record, as the indexer makes it from the queue."""
    index = indexer.record_to_index(record)
    return {
        "_op_type": "index",
        "_index": build_alias_name(index),
        "_id": str(record.id),
        "_version": record.revision_id,
        "_version_type": indexer._version_type,
        "_source": indexer._prepare_record(record, index, {}),
    }


def bulk_index(indexer, records):
    """Index ``records`` in one bulk request; raise when any is refused."""
    indexed, errors = bulk(
        indexer.client,
        (index_action(indexer, record) for record in records),
        raise_on_error=False,
        request_timeout=120,
    )
    if errors:
        raise VocabularyLoadError(f"{len(errors)} record(s) could not be indexed: {errors[:3]}")
    return indexed


def read_data_file(path):
    """The entries of a fixture data file (YAML through libyaml when available)."""
    if path.suffix.lower() != ".yaml":
        return list(create_iterator(path))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    with open(path, encoding="utf-8") as data_file:
        return yaml.load(data_file, Loader=loader) or []


def entry_records(entry, loaded):
    """The records of a fixture entry, as upstream's ``entry.iterate`` yields them."""
    if isinstance(entry, VocabularyEntryWithSchemes):
        return list(entry.iterate(loaded))  # subjects: several files, upstream's reader
    if entry._id in loaded:
        return []
    records = read_data_file(Path(entry._dir) / entry._entry["data-file"])
    if isinstance(entry, GenericVocabularyEntry):
        for record in records:
            record["type"] = entry._id
    return records


def record_pid(record):
    """What the service resolves the record by: (type, id) or its id."""
    return (record["type"], record["id"]) if "type" in record else record["id"]


def batches(items, size):
    """``items`` in lists of at most ``size``."""
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


class BatchedVocabulariesFixtures(PrioritizedVocabulariesFixtures):
    """Upstream's precedence of vocabulary fixtures, with each vocabulary created in batches."""

    def __init__(self, app_data_folder=None, pkg_data_folder=None, report=print):
        """Load as the system; ``report`` gets a line per vocabulary loaded."""
        super().__init__(
            system_identity, app_data_folder=app_data_folder, pkg_data_folder=pkg_data_folder
        )
        self.report = report
        self.created = self.indexed = 0
        self.children = []

    def load(self, reload=None):
        """Load as upstream does; return when the forked loads have ended too."""
        try:
            return super().load(reload)
        finally:
            self.wait_for_children()

    def load_vocabularies(self, filepath):
        """Load the vocabularies listed in the vocabularies file ``filepath``."""
        loaded = set(self._loaded_vocabularies)
        for id_, entry in VocabulariesFixture(self._identity, filepath).read():
            entry.pre_load(self._identity, ignore=loaded)
            records = entry_records(entry, loaded)
            if records and id_ in FORKED_VOCABULARIES:
                self.create_records_in_child(entry.service_str, id_, records)
            elif records:
                self.create_records(entry.service_str, id_, records)
            loaded.update(entry.loaded())
        self._loaded_vocabularies = loaded

    def create_records(self, service_name, vocabulary, records):
        """Create ``records`` through the service's batch path, and index each batch."""
        service = current_service_registry.get(service_name)
        failures = []
        for batch in batches(records, BATCH_SIZE):
            with BulkIndexedUnitOfWork() as uow:
                result = service.create_or_update_many(
                    self._identity, [(record_pid(record), record) for record in batch], uow=uow
                )
                uow.commit()
            failures += [
                f"{record['id']}: {item.errors or item.exc}"
                for record, item in zip(batch, result.results)
                if item.errors or item.exc
            ]
            created = [item.record for item in result.results if not (item.errors or item.exc)]
            self.indexed += bulk_index(service.indexer, created)
        if failures:
            raise VocabularyLoadError(
                f"{len(failures)} record(s) of {vocabulary} failed: " + "; ".join(failures[:20])
            )
        self.created += len(records)
        self.report(f"{vocabulary}: {len(records)} records")

    def create_records_in_child(self, service_name, vocabulary, records):
        """Create ``records`` in a forked process, which ``load`` waits for."""
        release_connections()
        sys.stdout.flush()  # or the child would write what is buffered a second time
        receiver, sender = multiprocessing.Pipe(duplex=False)
        child = multiprocessing.get_context("fork").Process(
            target=self._child_main, args=(sender, service_name, vocabulary, records),
            name=f"load-{vocabulary}",
        )
        child.start()
        sender.close()
        self.children.append((vocabulary, child, receiver))

    def _child_main(self, sender, service_name, vocabulary, records):
        """The forked process: create the records and report the counts to the parent."""
        self.created = self.indexed = 0
        try:
            self.create_records(service_name, vocabulary, records)
        except Exception as error:  # reported by the parent, which fails the step
            sender.send(("failed", f"{type(error).__name__}: {error}"))
            raise
        sender.send(("done", (self.created, self.indexed)))

    def wait_for_children(self):
        """Join the forked loads; raise when one failed."""
        failures = []
        for vocabulary, child, receiver in self.children:
            try:
                outcome, detail = receiver.recv()
            except EOFError:  # the process ended without a word (killed)
                outcome, detail = "failed", "the loading process ended without a report"
            child.join()
            if outcome == "done" and child.exitcode == 0:
                self.created, self.indexed = self.created + detail[0], self.indexed + detail[1]
            else:
                failures.append(f"{vocabulary}: {detail}")
        self.children = []
        if failures:
            raise VocabularyLoadError("; ".join(failures))


def load_vocabulary_fixtures(report=print):
    """Load every vocabulary fixture of the instance and InvenioRDM; return the count."""
    app_data = Path(current_app.instance_path) / "app_data"
    fixtures = BatchedVocabulariesFixtures(app_data_folder=app_data, report=report)
    fixtures.load()
    current_search.flush_and_refresh("*")
    report(f"{fixtures.created} records created, {fixtures.indexed} documents indexed")
    return fixtures.created
