"""InvenioRDM's vocabulary fixtures, loaded in batches.

``invenio rdm-records fixtures`` creates each of the ~16,000 vocabulary records
in its own task, transaction and index request (about 30 records/s). This
loader reads the same files with the same precedence (the instance's
``app_data`` first, then extensions, then InvenioRDM's own; upstream's
``PrioritizedVocabulariesFixtures`` decides), parses YAML with libyaml, and
creates the records of each vocabulary in batches, each in one transaction:
the service's own schema, components and record life cycle run for every
record, but its rows are written for the whole batch at once (no savepoint
and round trip per record), the JSON Schema validator is built once per
schema instead of once per record, and each batch is indexed with one bulk
request of the records just made (instead of queueing their ids for a worker
that would read each one back from the database). The two largest
vocabularies, languages and names (six records in seven; no other vocabulary
refers to them), are each loaded in a forked process beside the others, so
both cores work.
"""

import multiprocessing
import sys
import time
import uuid
from contextlib import contextmanager, nullcontext
from copy import copy
from functools import lru_cache
from itertools import islice
from pathlib import Path

import jsonschema_rs
import yaml
from flask import current_app
from invenio_access.permissions import system_identity
from invenio_db import db
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
from invenio_records.resolver import urljoin_with_custom_scheme
from invenio_records.validators import _create_validator
from invenio_records_resources.proxies import current_service_registry
from invenio_records_resources.services.uow import RecordBulkIndexOp
from invenio_search import current_search
from invenio_vocabularies.records.models import VocabularyType
from invenio_vocabularies.services.service import VocabulariesService
from jsonschema.exceptions import best_match
from sqlalchemy.exc import IntegrityError

from ..maintenance.bulk import BulkIndexError, bulk_index, index_action, signatures_kept
from .forking import release_connections

BATCH_SIZE = 500
"""Records per transaction and bulk index request (500 loaded the fixtures about 13 %
faster than 50 on two cores: fewer flushes, commits and bulk requests)."""

FORKED_VOCABULARIES = {"languages", "names"}
"""Vocabularies loaded in a process of their own: large, and no other vocabulary refers to
them (names refer to affiliations, which are loaded, and committed, before them)."""


class VocabularyLoadError(Exception):
    """Some records of a vocabulary could not be created."""


class BulkIndexedUnitOfWork(UnitOfWork):
    """A unit of work that leaves indexing to the loader, which indexes each batch in bulk."""

    def register(self, op):
        """Register every operation but the queueing of the records' ids for indexing."""
        if not isinstance(op, RecordBulkIndexOp):
            super().register(op)


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


def no_savepoint():
    """What ``begin_nested`` returns while writes are deferred: a block without a savepoint."""
    return nullcontext()


@contextmanager
def deferred_writes():
    """Run upstream's per-record code without a round trip to the database per record.

    Inside the block no savepoint is taken and nothing is flushed, so the
    rows of a whole batch reach PostgreSQL in one flush (one multi-row
    ``INSERT`` per table) instead of about fifteen statements per record.
    A failure fails the whole batch, which the caller rolls back.
    """
    session = db.session()
    session.begin_nested = no_savepoint
    try:
        with session.no_autoflush:
            yield session
    finally:
        del session.begin_nested


def compiled_validator(schema, store):
    """A validator of ``schema`` compiled by jsonschema-rs, its references read from ``store``.

    Formats are not checked, as invenio-records checks none by default.
    """
    return jsonschema_rs.validator_for(
        {"$ref": schema}, retriever=store.__getitem__, validate_formats=False
    )


@contextmanager
def validators_kept():
    """Validate records with validators kept per schema while the block runs.

    invenio-records builds a validator class and a reference resolver, and
    checks the schema itself, at every validation, then walks the record in
    Python: about a fifth of the time of a vocabulary record. Within the block,
    a record is first checked by a validator of the same schema compiled once
    by jsonschema-rs (Rust, a few microseconds a record); only a record it finds
    invalid goes to a jsonschema validator built as invenio-records builds it,
    kept per schema too, which raises upstream's own ``best_match`` error, so a
    record fails exactly when upstream says it is invalid. Validations that ask
    for a validator class, a format checker or custom types keep upstream's
    path. (A resolver is not thread-safe, hence only around this one-threaded
    load.)
    """
    state = current_app.extensions["invenio-records"]
    custom_types = current_app.config.get("RECORDS_VALIDATION_TYPES", {})
    upstream_validate, compiled, validators = state.validate, {}, {}

    def upstream_validator(schema, cls, format_checker):
        document = {"$ref": schema}
        validator_cls = _create_validator(document, cls, custom_types)
        store = {}
        if state.refresolver_store:
            store = {"store": state.refresolver_store,
                     "urljoin_cache": lru_cache(1024)(urljoin_with_custom_scheme)}
        resolver = state.refresolver_cls.from_schema(document, **store)
        return validator_cls(document, resolver=resolver, format_checker=format_checker)

    def validate(data, schema, cls=None, format_checker=None):
        if not isinstance(schema, str):
            return upstream_validate(data, schema, cls=cls, format_checker=format_checker)
        if cls is None and format_checker is None and not custom_types and state.refresolver_store:
            if schema not in compiled:
                compiled[schema] = compiled_validator(schema, state.refresolver_store)
            if compiled[schema].is_valid(data):
                return
        key = (schema, cls, format_checker)
        if key not in validators:
            validators[key] = upstream_validator(schema, cls, format_checker)
        error = best_match(validators[key].iter_errors(data))
        if error is not None:
            raise error

    state.validate = validate
    try:
        yield
    finally:
        del state.validate


def flush(session):
    """Write the batch's rows; a row the database refuses (a duplicate id) fails the batch."""
    try:
        session.flush()
    except IntegrityError as error:
        raise VocabularyLoadError(f"the database refused a record: {error.orig}") from None


class VocabularyTypes(dict):
    """Vocabulary types by id, each read from the database once per load."""

    def __missing__(self, type_id):
        """Read the type ``type_id`` (``NoResultFound`` when there is none)."""
        self[type_id] = VocabularyType.query.filter_by(id=type_id).one()
        return self[type_id]


class BatchWriter:
    """Creates records of one service in batches, as ``service.create`` creates each.

    The same schema, components and record life cycle as the service's own
    create, with three costs of the per-record path removed: a new marshmallow
    schema (and its nested ones) per record, upstream's wrapper being copied
    with one kept schema object; a query of the vocabulary type per record
    (the type component leaves a record whose type is set as it is); and the
    round trips of each record (see ``deferred_writes``).
    """

    def __init__(self, service, identity):
        """Write through ``service`` as ``identity``."""
        self.service, self.identity = service, identity
        self.schema = copy(service.schema)
        kept = self.schema.schema()
        self.schema.schema = lambda **schema_args: kept
        self.types = VocabularyTypes() if isinstance(service, VocabulariesService) else None

    def create(self, data, uow):
        """A new record of ``data`` (its id chosen before the flush, as the flush would)."""
        record = self.service.record_cls.create({}, id_=uuid.uuid4())
        if self.types is not None and data.get("type"):
            record.type = self.types[data.pop("type")["id"]]
        self.service.run_components(
            "create", self.identity, data=data, record=record, errors=[], uow=uow
        )
        return record

    def create_batch(self, batch, uow):
        """Create the records of ``batch`` in two flushes; return them.

        Each record is created and its persistent identifier made, all are
        flushed; then each is committed (which records the identifier's
        primary key in it) and all are flushed again, as upstream writes them.
        """
        created, failures = [], []

        def attempt(raw, action, *args):
            try:
                return action(*args)
            except Exception as error:
                failures.append(f"{raw.get('id')}: {type(error).__name__}: {error}")

        with deferred_writes() as session:
            for raw in batch:
                data, errors = self.schema.load(
                    raw, context={"identity": self.identity}, raise_errors=False
                )
                if errors:
                    failures.append(f"{raw.get('id')}: {errors}")
                elif record := attempt(raw, self.create, data, uow):
                    created.append((raw, record))
            if not failures:
                flush(session)
                for raw, record in created:
                    attempt(raw, record.commit)
            if failures:
                raise VocabularyLoadError(
                    f"{len(failures)} record(s) failed: " + "; ".join(failures[:20])
                )
            flush(session)
        return [record for _, record in created]


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
        """Create ``records`` in batches of one transaction each, and index each batch."""
        service = current_service_registry.get(service_name)
        writer = BatchWriter(service, self._identity)
        started = time.monotonic()
        with validators_kept(), signatures_kept():
            for batch in batches(records, BATCH_SIZE):
                with BulkIndexedUnitOfWork() as uow:
                    try:
                        created = writer.create_batch(batch, uow)
                    except VocabularyLoadError as error:
                        raise VocabularyLoadError(f"{vocabulary}: {error}") from None
                    # Dumped before the commit, which would expire what was just written.
                    actions = [index_action(service.indexer, record) for record in created]
                    uow.commit()
                try:
                    self.indexed += bulk_index(service.indexer, actions)
                except BulkIndexError as error:
                    raise VocabularyLoadError(f"{vocabulary}: {error}") from None
        self.created += len(records)
        seconds = time.monotonic() - started
        self.report(f"{vocabulary}: {len(records)} records in {seconds:.1f}s")

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
