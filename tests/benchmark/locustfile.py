"""The benchmark's scenarios: what readers and depositors of my-site do, for locust.

Four user classes, one per scenario of ``scripts/benchmark``:

- ``Reader``: anonymous reads (front page, search page, search API with
  varied terms and facets, landing pages, record API, downloads of a 4 KiB and
  a 10 MiB file, vocabulary autocomplete);
- ``Depositor``: the publish flow through the REST API (create a draft,
  upload a file, commit it, publish) and then the new record's landing page;
  the whole flow is also reported as one request, "publish flow";
- ``Mixed``: nine reads for each publish flow;
- ``PopularReader``: anonymous readers who all read the same few pages and
  API answers (the front page, three searches, ten records) without pausing:
  what the production stack's cache for anonymous readers is for.

The records to read and the depositor's token come from the JSON file that
``tests/benchmark/seed.py`` wrote, named by ``MY_SITE_BENCHMARK_SEED``.
"""

import json
import os
import random
import time

from locust import FastHttpUser, between, constant

SEED = json.load(open(os.environ["MY_SITE_BENCHMARK_SEED"], encoding="utf-8"))
UPLOAD = os.urandom(4 * 1024)
AUTOCOMPLETE = [
    ("/api/vocabularies/languages", ["ger", "fre", "eng", "spa", "ita", "dut"]),
    ("/api/vocabularies/licenses", ["cc", "mit", "apache", "gpl"]),
    ("/api/affiliations", ["cern", "uni", "institute"]),
]


def random_record():
    """The id of a seeded record."""
    return random.choice(SEED["records"])


def front_page(user):
    """The front page."""
    user.client.get("/", name="front page")


def search_page(user):
    """The search page (its results are then fetched by the browser from the API)."""
    user.client.get(f"/search?q={random.choice(SEED['topics'])}", name="search page")


def search_api(user):
    """A search through the API: a topic, sometimes with a resource type facet or a second page."""
    query = f"/api/records?q={random.choice(SEED['topics'])}&size=10"
    if random.random() < 0.3:
        query += f"&resource_type={random.choice(SEED['resource_types'])}"
    if random.random() < 0.2:
        query += "&page=2"
    user.client.get(query, name="search API")


def landing_page(user):
    """A record's landing page."""
    user.client.get(f"/records/{random_record()}", name="landing page")


def record_api(user):
    """A record through the API."""
    user.client.get(f"/api/records/{random_record()}", name="record API")


def small_file(user):
    """The download of a record's 4 KiB file."""
    user.client.get(
        f"/api/records/{random_record()}/files/{SEED['small_file']}/content", name="file 4 KiB"
    )


def large_file(user):
    """The download of a 10 MiB file."""
    record = random.choice(SEED["large_file_records"])
    user.client.get(f"/api/records/{record}/files/{SEED['large_file']}/content", name="file 10 MiB")


def autocomplete(user):
    """What the deposit form asks while one types a language, licence or affiliation."""
    path, terms = random.choice(AUTOCOMPLETE)
    user.client.get(f"{path}?suggest={random.choice(terms)}", name="autocomplete")


POPULAR_TOPICS = 3
POPULAR_RECORDS = 10
"""How many searches and records the popular readers share."""


def popular_read(user):
    """One of the few pages or API answers that everybody reads."""
    topic = random.choice(SEED["topics"][:POPULAR_TOPICS])
    record = random.choice(SEED["records"][:POPULAR_RECORDS])
    path, name = random.choice([
        ("/", "popular: front page"),
        (f"/search?q={topic}", "popular: search page"),
        (f"/api/records?q={topic}&size=10", "popular: search API"),
        (f"/records/{record}", "popular: landing page"),
        (f"/api/records/{record}", "popular: record API"),
    ])
    user.client.get(path, name=name)


READS = {
    front_page: 3,
    search_page: 2,
    search_api: 4,
    landing_page: 4,
    record_api: 4,
    small_file: 2,
    large_file: 1,
    autocomplete: 2,
}
"""The reads and their weights (how often each is chosen)."""


def checked(response, step):
    """The JSON of a successful ``response``; a failed step fails the flow."""
    if not response.ok:
        raise RuntimeError(f"{step}: HTTP {response.status_code}")
    return response.json()


def publish_flow(user):
    """Create a draft, upload a file, commit it, publish, then view the landing page."""
    headers = {"Authorization": f"Bearer {SEED['token']}"}
    json_headers = {**headers, "Content-Type": "application/json"}
    number = random.randrange(10**6)
    data = {
        "access": {"record": "public", "files": "public"},
        "files": {"enabled": True},
        "metadata": {
            "title": f"Benchmark deposit {number}",
            "publication_date": "2026-11-27",
            "resource_type": {"id": "dataset"},
            "creators": [{"person_or_org": {"type": "personal", "family_name": "Deposit",
                                            "given_name": "Ada"}}],
        },
    }
    client, started, error = user.client, time.perf_counter(), None
    try:
        draft = checked(client.post("/api/records", json=data, headers=json_headers,
                                    name="deposit: create draft"), "create draft")
        files = f"/api/records/{draft['id']}/draft/files"
        checked(client.post(files, json=[{"key": "upload.bin"}], headers=json_headers,
                            name="deposit: start upload"), "start upload")
        checked(client.put(f"{files}/upload.bin/content", data=UPLOAD,
                           headers={**headers, "Content-Type": "application/octet-stream"},
                           name="deposit: upload 4 KiB"), "upload")
        checked(client.post(f"{files}/upload.bin/commit", headers=headers,
                            name="deposit: commit file"), "commit file")
        checked(client.post(f"/api/records/{draft['id']}/draft/actions/publish",
                            headers=headers, name="deposit: publish"), "publish")
        landing = client.get(f"/records/{draft['id']}", name="deposit: view landing page")
        if not landing.ok:
            raise RuntimeError(f"view landing page: HTTP {landing.status_code}")
    except Exception as failure:  # also the request's own errors: the flow failed
        error = failure
    user.environment.events.request.fire(
        request_type="FLOW", name="publish flow", response_time=(time.perf_counter() - started) * 1000,
        response_length=0, exception=error, context={},
    )


class SiteUser(FastHttpUser):
    """A client of the site's HTTPS address (self-signed: not verified), pausing briefly."""

    abstract = True
    insecure = True
    wait_time = between(0, 0.1)


class Reader(SiteUser):
    """An anonymous reader."""

    tasks = READS


class Depositor(SiteUser):
    """A depositor publishing records with files through the REST API."""

    tasks = [publish_flow]


class Mixed(SiteUser):
    """Nine reads for each publish flow."""

    tasks = {**{read: weight * 9 for read, weight in READS.items()}, publish_flow: sum(READS.values())}


class PopularReader(SiteUser):
    """An anonymous reader of what everybody reads, one request after the other."""

    tasks = [popular_read]
    wait_time = constant(0)
