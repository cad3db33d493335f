"""Bulk indexing of records already read: the loader's batches and the rebuild after a restore.

``index_action`` makes the same bulk action as invenio-indexer makes for a
queued id (``RecordIndexer._index_action``), from a record in hand instead of
reading it again from the database. ``ids_collected`` keeps the ids that the
services choose to index out of the queues, so that ``index_in_batches`` reads
their records many at a time; ``signatures_kept`` removes the largest cost of
dumping a record.
"""

import inspect
from collections import defaultdict
from contextlib import contextmanager
from functools import lru_cache

import invenio_records.api
import invenio_records.systemfields.base
from invenio_indexer.api import RecordIndexer
from invenio_records.api import Record
from opensearchpy.helpers import bulk

READ_BATCH = 500
"""Records read from the database with one query, and indexed with one bulk request."""


class BulkIndexError(Exception):
    """Some documents were refused by the search engine."""


class SignaturesKept:
    """The ``inspect`` module as invenio-records sees it, remembering each hook's signature.

    ``Record.dumps`` asks for the signature of every system field's dump hooks
    at every dump, to find out which calling convention a hook has: about two
    thirds of the time of dumping a vocabulary record for the index.
    """

    def __init__(self):
        """Remember signatures per callable (a bound method is hashable by its object)."""
        self._remembered = lru_cache(maxsize=None)(inspect.signature)

    def signature(self, callable_):
        """``inspect.signature``, computed once per callable."""
        try:
            return self._remembered(callable_)
        except TypeError:  # an unhashable callable
            return inspect.signature(callable_)

    def __getattr__(self, name):
        """Everything else of ``inspect``."""
        return getattr(inspect, name)


@contextmanager
def signatures_kept():
    """While the block runs, invenio-records computes each hook's signature once."""
    modules = (invenio_records.api, invenio_records.systemfields.base)
    kept = SignaturesKept()
    for module in modules:
        module.inspect = kept
    try:
        yield
    finally:
        for module in modules:
            module.inspect = inspect


def index_action(indexer, record):
    """The bulk ``index`` action of ``record``, as the indexer makes it from its queue."""
    index = indexer.record_to_index(record)
    arguments = {}
    action = {
        "_op_type": "index",
        "_index": indexer._prepare_index(index),
        "_id": str(record.id),
        "_version": record.revision_id,
        "_version_type": indexer._version_type,
        "_source": indexer._prepare_record(record, index, arguments),
    }
    action.update(arguments)
    return action


def bulk_index(indexer, actions):
    """Run the bulk ``actions`` in one request; return how many were done, raise when any is refused."""
    done, errors = bulk(indexer.client, actions, raise_on_error=False, request_timeout=120)
    if errors:
        raise BulkIndexError(f"{len(errors)} document(s) could not be indexed: {errors[:3]}")
    return done


def reads_records_plainly(indexer):
    """Whether the indexer's records are read as ``Record.get_record`` reads them.

    Then ``get_records`` reads many of them with one query, giving the same
    records. Other classes (users, for example) read theirs their own way.
    """
    return getattr(indexer.record_cls.get_record, "__func__", None) is Record.get_record.__func__


@contextmanager
def ids_collected():
    """Within the block, the ids given to indexers to bulk-index are collected, not queued.

    Yields a mapping of queue name to the ids of the indexers of that queue
    (services make a new indexer each time, their queue names them). Indexers
    whose records are not read plainly (users) queue as usual.
    """
    collected = defaultdict(list)
    queue_them = RecordIndexer.bulk_index

    def collect(indexer, record_id_iterator):
        if reads_records_plainly(indexer):
            collected[indexer.mq_queue.name].extend(record_id_iterator)
        else:
            queue_them(indexer, record_id_iterator)

    RecordIndexer.bulk_index = collect
    try:
        yield collected
    finally:
        RecordIndexer.bulk_index = queue_them


def index_in_batches(indexer, ids):
    """Index the records of ``ids``, each batch read with one query and sent in one request.

    Return (documents indexed, ids without a record: deleted since they were listed).
    A record that cannot be dumped, or a document refused, stops it with the
    record's id (``BulkIndexError``).
    """
    indexed = missing = 0
    for start in range(0, len(ids), READ_BATCH):
        batch = set(ids[start : start + READ_BATCH])
        records = indexer.record_cls.get_records(batch)
        missing += len(batch) - len(records)
        actions = []
        for record in records:
            try:
                actions.append(index_action(indexer, record))
            except Exception as error:
                raise BulkIndexError(
                    f"record {record.id} could not be dumped for the index: {error}"
                ) from error
        indexed += bulk_index(indexer, actions)
    return indexed, missing
