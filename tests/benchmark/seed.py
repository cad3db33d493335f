"""Seed the tests' instance with published records and files for ``scripts/benchmark``.

Usage: python tests/benchmark/seed.py RECORDS OUTPUT

Runs with the tests' settings (``export_invenio_env test``) on an instance
that ``scripts/setup --profile test`` has set up. Creates a depositor account
(benchmark@example.org) with a personal access token, and RECORDS published
records through InvenioRDM's own service (so each is what a deposit makes):
varied titles, resource types, languages, keywords and dates for the search
scenarios, a 4 KiB file in each, and a 10 MiB file in every hundredth. The
records are created by two forked processes (both cores work). OUTPUT, a
JSON file readable by its owner only, lists the record ids, the records with
a large file, the search terms and the token, for the locustfile.
"""

import json
import multiprocessing
import os
import random
import sys
import time
from datetime import datetime, timezone
from io import BytesIO
from pathlib import Path

from flask_principal import UserNeed
from invenio_access.permissions import any_user, authenticated_user
from invenio_access.utils import get_identity
from invenio_accounts.proxies import current_datastore
from invenio_app.factory import create_api
from invenio_db import db
from invenio_oauth2server.models import Token
from invenio_rdm_records.proxies import current_rdm_records_service as records_service
from invenio_search import current_search

from my_site.setup.forking import release_connections

DEPOSITOR_EMAIL = "benchmark@example.org"
SMALL_FILE, SMALL_SIZE = "data.csv", 4 * 1024
LARGE_FILE, LARGE_SIZE = "large.bin", 10 * 1024 * 1024
LARGE_EVERY = 100
"""Every hundredth record (the first included) also holds a 10 MiB file."""

TOPICS = [
    "glacier", "ocean", "forest", "soil", "river", "climate", "genome", "protein", "galaxy",
    "neutrino", "volcano", "coral", "pollen", "aerosol", "permafrost", "wetland", "bacteria",
    "enzyme", "quasar", "sediment", "drought", "monsoon", "lichen", "tundra", "estuary",
]
KINDS = ["measurements", "survey", "simulation", "images", "time series", "code", "model", "atlas"]
RESOURCE_TYPES = ["dataset", "software", "publication-article", "image-photo", "poster", "presentation"]
LANGUAGES = ["eng", "deu", "fra", "ita", "spa"]
FAMILY_NAMES = ["Lovelace", "Curie", "Noether", "Franklin", "Hopper", "Meitner", "Germain", "Johnson"]


def record_data(number):
    """The metadata of the ``number``-th record: varied, and the same for the same number."""
    pick = random.Random(number)
    topic, kind = pick.choice(TOPICS), pick.choice(KINDS)
    return {
        "access": {"record": "public", "files": "public"},
        "files": {"enabled": True},
        "metadata": {
            "title": f"{topic.capitalize()} {kind} from site {number}",
            "description": f"{kind.capitalize()} of {topic} and {pick.choice(TOPICS)}, series {number}.",
            "publication_date": f"{pick.randint(2000, 2026)}-{pick.randint(1, 12):02d}-15",
            "resource_type": {"id": pick.choice(RESOURCE_TYPES)},
            "languages": [{"id": pick.choice(LANGUAGES)}],
            "subjects": [{"subject": pick.choice(TOPICS)}, {"subject": kind}],
            "creators": [
                {
                    "person_or_org": {
                        "type": "personal",
                        "given_name": "Ada",
                        "family_name": pick.choice(FAMILY_NAMES),
                    }
                }
            ],
        },
    }


def file_contents(number):
    """The files of the ``number``-th record: name and bytes."""
    pick = random.Random(number)
    contents = {SMALL_FILE: pick.randbytes(SMALL_SIZE)}
    if number % LARGE_EVERY == 0:
        contents[LARGE_FILE] = pick.randbytes(LARGE_SIZE)
    return contents


def depositor():
    """The benchmark's depositor account (made when missing), with a new personal token."""
    user = current_datastore.find_user(email=DEPOSITOR_EMAIL)
    if user is None:
        user = current_datastore.create_user(
            email=DEPOSITOR_EMAIL, active=True, confirmed_at=datetime.now(timezone.utc)
        )
        db.session.commit()  # the token refers to the user's id, which the commit gives
    token = Token.create_personal("benchmark", user.id, scopes=[], is_internal=False)
    db.session.commit()
    return user, token.access_token


def depositor_identity(user):
    """The identity the REST API gives the depositor."""
    identity = get_identity(user)
    identity.provides.update({any_user, authenticated_user, UserNeed(user.id)})
    return identity


def publish(identity, number):
    """Create, fill and publish the ``number``-th record; return its id."""
    draft = records_service.create(identity, record_data(number))
    files = file_contents(number)
    records_service.draft_files.init_files(identity, draft.id, [{"key": key} for key in files])
    for key, content in files.items():
        records_service.draft_files.set_file_content(identity, draft.id, key, BytesIO(content))
        records_service.draft_files.commit_file(identity, draft.id, key)
    return records_service.publish(identity, draft.id).id


def publish_share(identity, numbers, sender):
    """A forked process: publish the records ``numbers``, send their ids to the parent."""
    try:
        sender.send(("done", [(number, publish(identity, number)) for number in numbers]))
    except Exception as error:  # reported by the parent, which fails
        sender.send(("failed", f"{type(error).__name__}: {error}"))
        raise


def publish_all(identity, count, processes=2):
    """Publish records 0 to ``count`` - 1 in ``processes`` forked processes; return their ids in order."""
    release_connections()
    sys.stdout.flush()
    children = []
    for share in range(processes):
        receiver, sender = multiprocessing.Pipe(duplex=False)
        child = multiprocessing.get_context("fork").Process(
            target=publish_share, args=(identity, range(share, count, processes), sender)
        )
        child.start()
        sender.close()
        children.append((child, receiver))
    published, failures = {}, []
    for child, receiver in children:
        try:
            outcome, detail = receiver.recv()
        except EOFError:
            outcome, detail = "failed", "the process ended without a report"
        child.join()
        if outcome == "done" and child.exitcode == 0:
            published.update(detail)
        else:
            failures.append(detail)
    if failures:
        sys.exit("seeding failed: " + "; ".join(failures))
    return [published[number] for number in range(count)]


def main(count, output):
    """Seed ``count`` records and write what the locustfile needs to ``output``."""
    app = create_api()
    with app.app_context():
        started = time.monotonic()
        user, token = depositor()
        ids = publish_all(depositor_identity(user), count)
        current_search.flush_and_refresh("rdmrecords-records")
        seconds = time.monotonic() - started
    seed = {
        "records": ids,
        "large_file_records": ids[::LARGE_EVERY],
        "small_file": SMALL_FILE,
        "large_file": LARGE_FILE,
        "topics": TOPICS,
        "resource_types": RESOURCE_TYPES,
        "token": token,
    }
    descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as seed_file:
        json.dump(seed, seed_file)
    print(f"Seeded {count} records with files in {seconds:.0f}s ({count / seconds:.1f} records/s).")


if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[1].isdigit() or int(sys.argv[1]) < 1:
        sys.exit(__doc__.split("\n\n")[1])
    main(int(sys.argv[1]), Path(sys.argv[2]))
