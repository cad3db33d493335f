"""Profile requests to my-site in-process: where the time of one request goes.

Usage: python tests/benchmark/profile_requests.py [--requests N] [--top K] PATH...

Runs with the settings of the instance it is started in (``export_invenio_env``
sets them: ``instance`` or ``test``), against its real services. For each PATH
(``/api/...`` goes to the REST API application, anything else to the UI; the
word RECORD is replaced by the id of a published record) it sends the request
twice to warm the application up, then N times (default 20) under cProfile,
and prints the milliseconds per request, the SQL statements and Redis
commands per request, and the K functions (default 25) with the most
cumulative time.
"""

import argparse
import cProfile
import pstats
import sys
import time
from collections import Counter

from invenio_app.factory import create_api, create_ui
from invenio_db import db
from redis.client import Redis
from sqlalchemy import event

SERVER = "https://127.0.0.1:5000"


class Calls:
    """Counts of SQL statements and Redis commands (by name) while enabled."""

    def __init__(self):
        """Counting starts disabled."""
        self.enabled = False
        self.sql = 0
        self.redis = Counter()

    def count_sql(self, *_args, **_kwargs):
        """A SQLAlchemy ``before_cursor_execute`` listener."""
        if self.enabled:
            self.sql += 1

    def wrap_redis(self):
        """Count every command redis-py sends (in this process only)."""
        execute = Redis.execute_command

        def counted(client, *args, **options):
            if self.enabled:
                self.redis[str(args[0])] += 1
            return execute(client, *args, **options)

        Redis.execute_command = counted


def published_record_id(app):
    """The id of a published record, or an error that says how to get one."""
    with app.app_context():
        found = db.session.execute(
            db.text("SELECT json->>'id' FROM rdm_records_metadata WHERE json IS NOT NULL LIMIT 1")
        ).scalar()
    if not found:
        sys.exit("No published record: run scripts/setup --demo (or scripts/benchmark) first.")
    return found


def profile(app, path, requests, top, calls):
    """Profile ``requests`` GETs of ``path`` and print what they cost."""
    client = app.test_client()
    for _ in range(2):
        answer = client.get(path, base_url=SERVER)
        if answer.status_code != 200:
            sys.exit(f"GET {path} answered {answer.status_code}, not 200.")
    profiler = cProfile.Profile()
    calls.sql, calls.redis, calls.enabled = 0, Counter(), True
    started = time.perf_counter()
    profiler.enable()
    for _ in range(requests):
        client.get(path, base_url=SERVER)
    profiler.disable()
    elapsed = time.perf_counter() - started
    calls.enabled = False
    redis_total = sum(calls.redis.values())
    print(f"\n== GET {path}: {elapsed / requests * 1000:.0f} ms per request (profiled), "
          f"{calls.sql / requests:.0f} SQL statements, {redis_total / requests:.0f} Redis commands "
          f"({', '.join(f'{name} {count / requests:.0f}' for name, count in calls.redis.most_common())})")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(top)


def main():
    """Parse the arguments and profile each path."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", metavar="PATH")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    arguments = parser.parse_args()
    calls = Calls()
    calls.wrap_redis()
    apps = {"api": create_api(), "ui": create_ui()}
    for app in apps.values():
        with app.app_context():
            event.listen(db.engine, "before_cursor_execute", calls.count_sql)
    record = None
    for path in arguments.paths:
        if "RECORD" in path:
            record = record or published_record_id(apps["api"])
            path = path.replace("RECORD", record)
        if path.startswith("/api/"):
            profile(apps["api"], path.removeprefix("/api"), arguments.requests, arguments.top, calls)
        else:
            profile(apps["ui"], path, arguments.requests, arguments.top, calls)


if __name__ == "__main__":
    main()
