"""Per-record work the instance does once: the JSON Schema reference store."""

import pytest
from jsonschema.exceptions import ValidationError


def test_schema_store_built_once_and_complete(app):
    """The reference store is built once per application and holds every registered schema."""
    from invenio_jsonschemas import current_jsonschemas

    from my_site.performance.schemas import refresolver_store

    store = refresolver_store._get_current_object()
    assert store is refresolver_store._get_current_object()
    assert len(store) == len(current_jsonschemas.schemas)
    assert any("/records/record-v" in uri for uri in store)


def test_validation_still_refuses_bad_records(app):
    """Records are still validated against their schema, references resolved from the store."""
    validate = app.extensions["invenio-records"].validate
    schema = "local://vocabularies/vocabulary-v1.0.0.json"
    validate({"id": "eng", "title": {"en": "English"}}, schema)
    with pytest.raises(ValidationError):
        validate({"id": "eng", "title": "not a dict of languages"}, schema)
