"""Nodes and workers killed under load: no failed read, no lost record or file.

Each test is bounded in time and records its figures for run-tests.sh's
summary (``var/test-artifacts/reliability.txt``).
"""

import concurrent.futures
import os
import subprocess
import threading
import time
from collections import Counter

import requests
from record_data import make_record_data

from .stack import REPO_ROOT, ReadLoad, record_figure, services, sha256

UNIQUE = f"reliability{os.getpid()}"
"""A keyword of this run's deposits, to find exactly them in search."""

SOAK_SECONDS = int(os.environ.get("MY_SITE_SOAK_SECONDS", "60"))
"""How long the soak runs: a minute in run-tests.sh, 600 s for the figures of docs/operations.rst."""


class DepositFailed(Exception):
    """A step of a deposit answered something else than it should have."""

    def __init__(self, step, status, text=""):
        """The step, its HTTP status (or the request's error) and the start of the answer."""
        super().__init__(f"{step}: {status} {text[:300]}")
        self.status = status


def read_paths(seed):
    """The reads of the load: pages and API reads of seeded records."""
    records = seed["records"][:10]
    return [
        "/",
        "/api/records?q=glacier&size=10",
        *(f"/records/{record}" for record in records[:3]),
        *(f"/api/records/{record}" for record in records),
        f"/api/records/{records[0]}/files/{seed['small_file']}/content",
    ]


def test_idle_memory(stack):
    """The memory of each process of the idle two-node stack, for the figures.

    Each uWSGI node (master and two workers) stays under 1 GiB while idle:
    uWSGI recycles a worker above that (``reload-on-rss``).
    """
    names = ["ui-1", "ui-2", "api-1", "api-2", "worker-1", "worker-2", "beat", "flower", "nginx", "haproxy"]
    stack.wait_running(names)
    time.sleep(10)  # the Celery processes that just started settle
    memory = {name: stack.memory(name) for name in names}
    record_figure(
        "idle memory (PSS): " + ", ".join(f"{name} {mib:.0f}" for name, mib in memory.items())
        + f" MiB; {sum(memory.values()):.0f} MiB in all"
    )
    assert all(memory[name] < 1024 for name in ("ui-1", "ui-2", "api-1", "api-2")), memory


def test_killed_nodes_lose_no_read(stack, seed):
    """SIGKILL a UI node, then an API node, during 60 s of reads: every read answers.

    HAProxy sends a read whose node died to the other node and stops sending
    to the dead one; supervisord starts it again and HAProxy takes it back.
    """
    with ReadLoad(stack, read_paths(seed)) as load:
        time.sleep(8)
        ui_pid = stack.kill("ui-1")
        time.sleep(8)
        api_pid = stack.kill("api-2")
        restarted = max(stack.wait_restarted("ui-1", ui_pid), stack.wait_restarted("api-2", api_pid))
        back = stack.wait_in_rotation(["ui-1", "api-2"])
        time.sleep(max(0, 60 - 16 - back))

    record_figure(
        f"node kills: {load.total} reads, {len(load.failures)} failed, 2 nodes SIGKILLed, "
        f"back in rotation after {back:.0f} s"
    )
    assert load.failures == [], load.failures
    assert load.statuses[200] == load.total, load.statuses
    assert restarted < 90


def test_rolling_reload_loses_no_request(stack, seed):
    """``scripts/server reload`` of node 1, then node 2, of both applications under reads."""
    server = str(REPO_ROOT / "scripts" / "server")
    with ReadLoad(stack, read_paths(seed)) as load:
        time.sleep(3)
        for node in (1, 2):
            names = [f"ui-{node}", f"api-{node}"]
            subprocess.run([server, "reload", *names], check=True, capture_output=True, timeout=30)
            # Node 2 only once node 1 serves again, and HAProxy sends to it again.
            reloaded = max(stack.wait_reloaded(name) for name in names)
            stack.wait_in_rotation(names)
        time.sleep(3)

    record_figure(
        f"rolling reload: {load.total} reads, {len(load.failures)} failed, "
        f"a node served again {reloaded:.0f} s after its reload"
    )
    assert load.failures == [], load.failures
    assert load.statuses[200] == load.total, load.statuses


def deposit(stack, token, number):
    """Publish a record with one file through the REST API; its id and the file's SHA-256.

    Raises DepositFailed when a step does not answer as it should.
    """
    headers = {"Authorization": f"Bearer {token}"}
    contents = f"{UNIQUE} deposit {number}\n".encode() * 200
    data = make_record_data(f"Deposit {number} of {UNIQUE}", "Kill")

    def call(method, path, expected, **kwargs):
        try:
            response = stack.request(method, path, headers={**headers, **kwargs.pop("headers", {})}, **kwargs)
        except requests.RequestException as error:
            raise DepositFailed(f"{method} {path}", type(error).__name__)
        if response.status_code != expected:
            raise DepositFailed(f"{method} {path}", response.status_code, response.text)
        return response

    record_id = call("POST", "/api/records", 201, json=data).json()["id"]
    files = f"/api/records/{record_id}/draft/files"
    call("POST", files, 201, json=[{"key": "data.txt"}])
    call("PUT", f"{files}/data.txt/content", 200, data=contents,
         headers={"Content-Type": "application/octet-stream"})  # fmt: skip
    call("POST", f"{files}/data.txt/commit", 200)
    call("POST", f"/api/records/{record_id}/draft/actions/publish", 202)
    return record_id, sha256(contents)


def test_killed_workers_lose_no_record(stack, seed):
    """Publish 50 records with files while each Celery worker is SIGKILLed once.

    Afterwards all 50 are in the database, in search and their files are
    byte-identical, and supervisord runs both workers again.
    """
    count, published = 50, {}
    kills = []

    def killer():
        for name in ("worker-1", "worker-2"):
            while len(published) < count * (len(kills) + 1) // 3:
                time.sleep(0.2)
            kills.append((name, stack.kill(name)))

    killing = threading.Thread(target=killer)
    killing.start()
    started = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        for record_id, digest in pool.map(lambda n: deposit(stack, seed["token"], n), range(count)):
            published[record_id] = digest
    took = time.monotonic() - started
    killing.join(timeout=60)

    assert [name for name, _ in kills] == ["worker-1", "worker-2"]
    for name, pid in kills:
        stack.wait_restarted(name, pid)
    assert_kept(stack, published)
    record_figure(f"worker kills: {count} records published in {took:.0f} s, 2 workers SIGKILLed, 0 lost")


def assert_kept(stack, published):
    """Every published record readable, its file byte-identical, and found by search."""
    for record_id, digest in published.items():
        assert stack.request("GET", f"/api/records/{record_id}").status_code == 200
        content = stack.request("GET", f"/api/records/{record_id}/files/data.txt/content")
        assert content.status_code == 200
        assert sha256(content.content) == digest, f"{record_id}: file differs"
    wanted, found = set(published), set()
    deadline = time.monotonic() + 30
    while not wanted <= found and time.monotonic() < deadline:
        hits = stack.request("GET", "/api/records", params={"q": UNIQUE, "size": 500})
        found = {hit["id"] for hit in hits.json()["hits"]["hits"]}
        time.sleep(1)
    assert wanted <= found, f"{len(wanted - found)} published records not in search: {sorted(wanted - found)}"


def test_concurrent_publishes_of_one_draft(stack, seed):
    """Two clients publish the same draft at once: one wins, the other gets a 4xx, never a 500.

    (The database refuses the second record; my_site.conflicts answers 409.)
    """
    headers = {"Authorization": f"Bearer {seed['token']}"}
    record_id = deposit_draft(stack, headers)
    barrier = threading.Barrier(2)

    def publish():
        barrier.wait()
        return stack.request("POST", f"/api/records/{record_id}/draft/actions/publish", headers=headers).status_code

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        statuses = sorted(pool.map(lambda _: publish(), range(2)))

    assert statuses[0] == 202 and 400 <= statuses[1] < 500, statuses
    deadline, total = time.monotonic() + 30, 0
    while not total and time.monotonic() < deadline:  # until search has the published record
        time.sleep(1)
        versions = stack.request("GET", f"/api/records/{record_id}/versions", headers=headers).json()
        total = versions["hits"]["total"]
    assert total == 1
    record_figure(f"concurrent publishes of one draft: {statuses[0]} and {statuses[1]}, one version")


def deposit_draft(stack, headers):
    """A draft with metadata only (no files), ready to publish; its id."""
    data = make_record_data("Reliability: two publishers", "Race", files=False)
    response = stack.request("POST", "/api/records", headers=headers, json=data)
    assert response.status_code == 201, response.text
    return response.json()["id"]


def test_services_restarted_under_writes(stack, seed):
    """Each service stopped and started while two clients deposit: no 500, nothing acknowledged lost.

    While a service is down a deposit may be refused (503); once it is back,
    every record whose publication was acknowledged (202) is there, in search,
    with its file.
    """
    published, refusals, stop = {}, [], threading.Event()

    def depositor(offset):
        number = offset
        while not stop.is_set():
            number += 2
            try:
                record_id, digest = deposit(stack, seed["token"], 1000 + number)
                published[record_id] = digest
            except DepositFailed as failure:
                refusals.append(failure)
                time.sleep(0.5)

    threads = [threading.Thread(target=depositor, args=(n,)) for n in range(2)]
    for thread in threads:
        thread.start()
    try:
        for service in ("postgresql", "redis", "rabbitmq", "opensearch"):
            time.sleep(4)
            services("stop", service)
            time.sleep(4)
            services("start", service)
            deadline = time.monotonic() + 120
            while stack.request("GET", "/api/health").status_code != 200:
                assert time.monotonic() < deadline, f"not healthy 120 s after {service} started"
                time.sleep(1)
        time.sleep(4)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=120)

    server_errors = [failure for failure in refusals if failure.status == 500]
    assert server_errors == [], server_errors
    assert published, "no deposit got through"
    assert_kept(stack, published)
    # A 503 while a service is down; now and then a response cut short (an answer
    # whose body the application could not finish when the database went away).
    counts = Counter(str(failure.status) for failure in refusals)
    refused = ", ".join(f"{status} ×{count}" for status, count in sorted(counts.items())) or "none"
    record_figure(
        f"services restarted under writes: {len(published)} records published and kept, "
        f"{len(refusals)} deposits refused ({refused}), 0 server errors"
    )


def test_soak_keeps_memory_flat(stack, seed):
    """Reads and deposits for SOAK_SECONDS: no error, each process within 20 % of its warmed-up memory.

    uWSGI recycles a worker over 1 GiB (``reload-on-rss``): a process whose
    pid changed was restarted, which the figure counts.
    """
    names = ["ui-1", "ui-2", "api-1", "api-2", "worker-1", "worker-2", "nginx", "haproxy"]
    warm_up = max(20, SOAK_SECONDS // 5)
    published, failures, stop = {}, [], threading.Event()

    def depositor():
        number = 5000
        while not stop.is_set():
            number += 1
            try:
                record_id, digest = deposit(stack, seed["token"], number)
                published[record_id] = digest
            except DepositFailed as failure:
                failures.append(failure)
            time.sleep(1)

    writer = threading.Thread(target=depositor)
    with ReadLoad(stack, read_paths(seed)) as load:
        writer.start()
        time.sleep(warm_up)
        pids = {name: stack.pid(name) for name in names}
        before = {name: stack.memory(name) for name in names}
        time.sleep(SOAK_SECONDS - warm_up)
        after = {name: stack.memory(name) for name in names}
        stop.set()
        writer.join(timeout=60)
    restarted = [name for name in names if stack.pid(name) != pids[name]]

    growth = {name: after[name] / before[name] - 1 for name in names if name not in restarted}
    worst = max(growth, key=growth.get)
    record_figure(
        f"soak {SOAK_SECONDS} s: {load.total} reads and {len(published)} deposits, "
        f"{len(load.failures) + len(failures)} errors, memory growth after warm-up at most "
        f"{growth[worst]:+.0%} ({worst}, {before[worst]:.0f} to {after[worst]:.0f} MiB), "
        f"{len(restarted)} processes restarted"
    )
    assert load.failures == [] and failures == [], (load.failures, failures)
    too_big = {name: f"{change:+.0%}" for name, change in growth.items() if change > 0.2}
    assert too_big == {}, too_big
