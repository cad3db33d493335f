"""The batched vocabulary loader of ``invenio my-site setup`` creates what upstream's fixtures create.

A subset of InvenioRDM's own fixture files is loaded both ways into the
tests' database and indices: first through upstream's per-record path
(``PrioritizedVocabulariesFixtures`` with ``delay=False``), then, after
everything is deleted again, through the batched loader. Database rows and
search documents must be the same, but for what is random or a timestamp.
"""

from importlib.resources import files
from itertools import islice

import pytest
import yaml
from invenio_access.permissions import system_identity
from invenio_pidstore.models import PersistentIdentifier
from invenio_rdm_records.fixtures import PrioritizedVocabulariesFixtures
from invenio_records_resources.proxies import current_service_registry
from invenio_search import current_search, current_search_client
from invenio_search.utils import build_alias_name
from invenio_vocabularies.records.models import VocabularyScheme, VocabularyType

from my_site.setup.vocabularies import (
    BatchedVocabulariesFixtures,
    VocabularyLoadError,
    compiled_validator,
    validators_kept,
)

UPSTREAM = files("invenio_rdm_records.fixtures") / "data" / "vocabularies"
# vocabulary: (pid type, upstream data file, records taken, service)
SUBSET = {
    "languages": ("lng", "languages.yaml", 60, "vocabularies"),
    "resourcetypes": ("rsrct", "resource_types.yaml", None, "vocabularies"),
    "licenses": ("lic", "licenses.csv", 25, "vocabularies"),
    "names": ("names", "names_orcid.yaml", 60, "names"),
    "affiliations": ("aff", "affiliations_ror.yaml", None, "affiliations"),
    "funders": ("fun", "funders.yaml", None, "funders"),
}
SERVICES = {"vocabularies", "names", "affiliations", "funders"}
VARYING = {"pk", "uuid", "id_", "created", "updated", "indexed_at", "@v", "version_id"}
"""Keys whose values are random or times (the record's UUID, primary keys, timestamps),
and the rows' revision counter: upstream writes the rows of names, affiliations and
funders a third time to store their identifier, the batched path twice (version 3 and 2)."""


def write_subset(folder):
    """Vocabulary fixture files with the first records of upstream's own."""
    (folder / "vocabularies").mkdir(parents=True)
    listing = {}
    for vocabulary, (pid_type, data_file, count, _) in SUBSET.items():
        source = (UPSTREAM / data_file).read_text(encoding="utf-8")
        if data_file.endswith(".csv"):
            lines = source.splitlines(keepends=True)
            subset = "".join(lines[: count + 1])
        else:
            records = yaml.safe_load(source)
            subset = yaml.safe_dump(list(islice(records, count)), allow_unicode=True)
        (folder / "vocabularies" / data_file).write_text(subset, encoding="utf-8")
        listing[vocabulary] = {"pid-type": pid_type, "data-file": f"vocabularies/{data_file}"}
    (folder / "vocabularies.yaml").write_text(yaml.safe_dump(listing), encoding="utf-8")


def stable(value):
    """``value`` without the keys that differ between two loads of the same data."""
    if isinstance(value, dict):
        return {key: stable(item) for key, item in value.items() if key not in VARYING}
    if isinstance(value, list):
        return [stable(item) for item in value]
    return value


def snapshot():
    """Database rows and search documents of the vocabularies, keyed by type and id."""
    current_search.flush_and_refresh("*")
    rows, documents = {}, {}
    for name in SERVICES:
        service = current_service_registry.get(name)
        model = service.record_cls.model_cls
        for row in model.query.all():
            json = row.json
            kind = json.get("type", {}).get("id") if name == "vocabularies" else name
            columns = {column: getattr(row, column, None) for column in ("pid", "internal_id")}
            key = (name, kind, json.get("id") or columns["pid"])
            rows[key] = stable({"json": json, "version_id": row.version_id, **columns})
        index = build_alias_name(service.record_cls.index._name)
        hits = current_search_client.search(index=index, size=1000)["hits"]["hits"]
        for hit in hits:
            source = hit["_source"]
            kind = source.get("type", {}).get("id") if name == "vocabularies" else name
            documents[(name, kind, source["id"])] = stable(source)
    pids = {
        (pid.pid_type, pid.pid_value, pid.status.value, pid.object_type)
        for pid in PersistentIdentifier.query.filter(
            PersistentIdentifier.pid_type.in_([pid_type for pid_type, *_ in SUBSET.values()])
        )
    }
    return rows, documents, pids


def delete_all(database):
    """Remove every vocabulary record, type, scheme, identifier and search document."""
    for name in SERVICES:
        service = current_service_registry.get(name)
        service.record_cls.model_cls.query.delete()
        index = build_alias_name(service.record_cls.index._name)
        current_search_client.delete_by_query(
            index=index, body={"query": {"match_all": {}}}, refresh=True, conflicts="proceed"
        )
    PersistentIdentifier.query.filter(
        PersistentIdentifier.pid_type.in_([pid_type for pid_type, *_ in SUBSET.values()])
    ).delete()
    VocabularyScheme.query.delete()
    VocabularyType.query.delete()
    database.session.commit()


@pytest.fixture(scope="module")
def subset(tmp_path_factory):
    """(empty app_data folder, folder of the subset's fixture files)."""
    app_data = tmp_path_factory.mktemp("app_data")
    package_data = tmp_path_factory.mktemp("package_data")
    write_subset(package_data)
    return app_data, package_data


def test_batched_load_equals_upstream(app, database, subset):
    """Same records with the same ids, types, titles, props, identifiers and search documents."""
    app_data, package_data = subset
    PrioritizedVocabulariesFixtures(
        system_identity, app_data_folder=app_data, pkg_data_folder=package_data, delay=False
    ).load()
    upstream_rows, upstream_documents, upstream_pids = snapshot()
    delete_all(database)
    assert snapshot() == ({}, {}, set())

    loader = BatchedVocabulariesFixtures(
        app_data_folder=app_data, pkg_data_folder=package_data, report=lambda line: None
    )
    loader.load()
    rows, documents, pids = snapshot()

    expected = 60 + 47 + 25 + 60 + 17 + 21
    assert len(upstream_rows) == expected
    assert loader.created == loader.indexed == expected
    assert rows == upstream_rows
    assert documents == upstream_documents
    assert pids == upstream_pids


@pytest.mark.parametrize(
    "listing, bad_records",
    [
        (  # languages and names are loaded in forked processes
            "languages:\n  pid-type: lng\n  data-file: vocabularies/bad.yaml\n",
            "- id: eng\n  title: {en: English}\n- id: xx-broken\n  title: not a dict of languages\n",
        ),
        (
            "names:\n  pid-type: names\n  data-file: vocabularies/bad.yaml\n",
            "- id: 0000-0001-0000-0001\n  family_name: Nansen\n  given_name: Fridtjof\n"
            "- id: xx-broken\n  family_name: Amundsen\n  affiliations: not a list\n",
        ),
        (  # refused by the database, when the batch is written
            "licenses:\n  pid-type: lic\n  data-file: vocabularies/bad.yaml\n",
            "- id: xx-broken\n  title: {en: A licence}\n- id: xx-broken\n  title: {en: Again}\n",
        ),
    ],
    ids=["languages", "names", "duplicate id"],
)
def test_failed_record_fails_with_its_id(app, database, subset, tmp_path, listing, bad_records):
    """A record its schema refuses stops the load with the record's id."""
    delete_all(database)
    (tmp_path / "vocabularies").mkdir()
    (tmp_path / "vocabularies.yaml").write_text(listing)
    (tmp_path / "vocabularies" / "bad.yaml").write_text(bad_records)
    loader = BatchedVocabulariesFixtures(
        app_data_folder=subset[0], pkg_data_folder=tmp_path, report=lambda line: None
    )
    with pytest.raises(VocabularyLoadError, match="xx-broken"):
        loader.load()


VOCABULARY_SCHEMA = "local://vocabularies/vocabulary-v1.0.0.json"


@pytest.mark.parametrize(
    "record",
    [
        {"id": "eng", "title": 5},
        {"id": "eng", "unknown": "a field the schema does not have"},
        {"id": ["eng"]},
    ],
    ids=["wrong type", "unknown field", "list for a string"],
)
def test_kept_validators_refuse_as_upstream(app, record):
    """Within ``validators_kept`` a record the schema refuses raises upstream's error."""
    from jsonschema.exceptions import ValidationError

    state = app.extensions["invenio-records"]
    record = {"$schema": VOCABULARY_SCHEMA, **record}
    with pytest.raises(ValidationError) as upstream:
        state.validate(record, VOCABULARY_SCHEMA)
    with validators_kept(), pytest.raises(ValidationError) as kept:
        state.validate(record, VOCABULARY_SCHEMA)
    assert (kept.value.message, kept.value.path) == (upstream.value.message, upstream.value.path)


def test_compiled_validator_agrees_with_upstream(app):
    """The compiled validator accepts a record upstream accepts and refuses those it refuses."""
    state = app.extensions["invenio-records"]
    validator = compiled_validator(VOCABULARY_SCHEMA, state.refresolver_store)
    valid = {"$schema": VOCABULARY_SCHEMA, "id": "eng", "title": {"en": "English"}}
    state.validate(valid, VOCABULARY_SCHEMA)
    assert validator.is_valid(valid)
    assert not validator.is_valid({**valid, "title": 5})
    assert not validator.is_valid({**valid, "unknown": "field"})
