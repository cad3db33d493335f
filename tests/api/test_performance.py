"""Work the instance does once: the JSON Schema reference store, the actions read from Redis."""

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


def redis_gets(app):
    """How many GET commands the cache's Redis has answered so far."""
    from redis import Redis

    stats = Redis.from_url(app.config["CACHE_REDIS_URL"]).info("commandstats")
    return stats.get("cmdstat_get", {}).get("calls", 0)


def test_a_search_reads_each_action_from_redis_once(app, client, publish_record):
    """Ten hits' permission checks read the actions' users and roles from Redis once per request.

    invenio-access alone read them from Redis about 19 times per hit.
    """
    from invenio_rdm_records.records.api import RDMRecord

    for number in range(10):
        publish_record(f"Actionless moraine survey {number}", "Agassiz")
    RDMRecord.index.refresh()
    client.get("/api/records?q=moraine&size=10")  # the application's first requests fill its caches
    before = redis_gets(app)
    answer = client.get("/api/records?q=moraine&size=10")
    assert answer.status_code == 200 and len(answer.json["hits"]["hits"]) == 10
    assert redis_gets(app) - before <= 10


def test_the_request_copy_lives_as_long_as_its_request(app):
    """A value read in one request is not seen by the next, which reads the cache again."""
    from invenio_cache import current_cache

    from my_site.performance.access_cache import access_cache

    current_cache.set("my-site-probe", "before")
    with app.test_request_context():
        assert access_cache.get("my-site-probe") == "before"
        current_cache.set("my-site-probe", "after")  # another process's change
        assert access_cache.get("my-site-probe") == "before"
        access_cache.delete("my-site-probe")
        assert access_cache.get("my-site-probe") is None
        access_cache.set("my-site-probe", "again")
    assert access_cache.get("my-site-probe") == "again"
    current_cache.set("my-site-probe", "elsewhere")
    with app.test_request_context():
        assert access_cache.get("my-site-probe") == "elsewhere"
