"""The search indices of records and drafts compared with the database, and repaired.

An index update is a Celery task after the database commit: when it is lost (a
worker killed before ``CELERY_TASK_ACKS_LATE`` was set, a queue purged, the
search cluster restored from an older snapshot), the database holds a record that
search does not find, or finds as it was. Each document is indexed with its
record's revision as its version (external versioning), so comparing the ids and
versions of both sides finds the documents that are missing or stale, without
reading any record's metadata; only those are then read and indexed again.
"""

from dataclasses import dataclass, field

from invenio_db import db
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_search import current_search_client
from invenio_search.utils import build_alias_name
from opensearchpy.helpers import scan

from .bulk import index_in_batches, signatures_kept


@dataclass
class IndexComparison:
    """What one index lacks or has too much, compared with its database table."""

    name: str
    exclusive: bool = True
    checked: int = 0
    missing: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    orphans: list = field(default_factory=list)
    repaired: int = 0

    @property
    def consistent(self):
        """Whether every database row has its current document (orphans aside)."""
        return not (self.missing or self.stale)

    def summary(self):
        """One line of counts."""
        line = (f"{self.name}: {self.checked} in the database, {len(self.missing)} missing "
                f"from search, {len(self.stale)} stale")
        if self.exclusive:
            line += f", {len(self.orphans)} in search only"
        return line + (f"; {self.repaired} indexed again." if self.repaired else ".")


def indexed_targets():
    """(name, record class, indexer, exclusive) of each index compared.

    Published records, and drafts. The drafts index also holds the published
    records (the dashboard's uploads list searches both), so documents of no draft
    are expected there (not exclusive).
    """
    service = current_rdm_records_service
    return [
        ("records", service.record_cls, service.indexer, True),
        ("drafts", service.draft_cls, service.draft_indexer, False),
    ]


def database_revisions(record_cls):
    """{id: revision} of the records not deleted from the database."""
    model = record_cls.model_cls
    rows = db.session.query(model.id, model.version_id).filter(model.json.isnot(None))
    return {str(id_): version_id - 1 for id_, version_id in rows}  # revision_id = version_id - 1


def indexed_versions(record_cls):
    """{id: version} of the documents of the record class's index (its alias)."""
    hits = scan(
        current_search_client,
        index=build_alias_name(record_cls.index._name),
        query={"_source": False, "version": True},
        size=1000,
    )
    return {hit["_id"]: hit["_version"] for hit in hits}


def compare(name, record_cls, exclusive):
    """Compare the index of ``record_cls`` with its table."""
    in_database, in_search = database_revisions(record_cls), indexed_versions(record_cls)
    comparison = IndexComparison(name, exclusive, checked=len(in_database))
    for id_, revision in in_database.items():
        if id_ not in in_search:
            comparison.missing.append(id_)
        elif in_search[id_] < revision:
            comparison.stale.append(id_)
    if exclusive:
        comparison.orphans = sorted(set(in_search) - set(in_database))
    return comparison


def check_search_indices(repair=False):
    """Compare each index with the database; with ``repair``, index the missing and stale again."""
    comparisons = []
    for name, record_cls, indexer, exclusive in indexed_targets():
        comparison = compare(name, record_cls, exclusive)
        if repair and not comparison.consistent:
            db.session.expire_all()  # read the records as the database holds them now
            with signatures_kept():
                comparison.repaired, _ = index_in_batches(
                    indexer, comparison.missing + comparison.stale
                )
            indexer.refresh()
        comparisons.append(comparison)
    return comparisons
