"""Talking to the production stack: requests, its processes, HAProxy's view of them."""

import csv
import hashlib
import io
import os
import re
import signal
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

import psutil
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
FIGURES_FILE = REPO_ROOT / "var" / "test-artifacts" / "reliability.txt"
CERTIFICATE = str(REPO_ROOT / "var" / "tls" / "cert.pem")
HAPROXY_STATS = "http://127.0.0.1:5079/;csv"


def record_figure(text):
    """Add a line to the figures run-tests.sh prints in its summary."""
    with FIGURES_FILE.open("a", encoding="utf-8") as figures:
        figures.write(text + "\n")


def sha256(data):
    """The SHA-256 of some bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


class Stack:
    """The running ``scripts/server --production`` and its processes."""

    def __init__(self, base_url):
        """Talk to the stack at base_url."""
        self.base_url = base_url.rstrip("/")

    def request(self, method, path, session=None, **kwargs):
        """One HTTPS request to the stack (its own certificate trusted)."""
        kwargs.setdefault("timeout", 60)
        # Per request: REQUESTS_CA_BUNDLE would win over a session's setting.
        return (session or requests).request(method, self.base_url + path, verify=CERTIFICATE, **kwargs)

    def require_running(self):
        """Fail unless the stack answers and supervisord runs its processes."""
        try:
            self.request("GET", "/ping", timeout=10).raise_for_status()
        except requests.RequestException as error:
            raise AssertionError(f"the production stack does not answer at {self.base_url}: {error}")
        assert self.processes(), "scripts/server status lists no process"

    def processes(self):
        """``{name: (state, pid or None)}`` from ``scripts/server status``."""
        output = subprocess.run(
            [str(REPO_ROOT / "scripts" / "server"), "status"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout  # fmt: skip
        processes = {}
        for line in output.splitlines():
            match = re.match(r"(\S+)\s+(\S+)\s*(?:pid (\d+),)?", line)
            if match:
                name, state, pid = match.groups()
                processes[name] = (state, int(pid) if pid else None)
        return processes

    def pid(self, name):
        """The pid of a running process; fails when it is not running."""
        state, pid = self.processes()[name]
        assert state == "RUNNING", f"{name} is {state}"
        return pid

    def wait_running(self, names, timeout=120):
        """Wait until supervisord runs every named process (the Celery ones start last)."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            processes = self.processes()
            if all(processes.get(name, ("",))[0] == "RUNNING" for name in names):
                return
            time.sleep(0.5)
        raise AssertionError(f"not all of {names} running within {timeout} s: {self.processes()}")

    def kill(self, name):
        """SIGKILL a process with everything it started (its process group); its old pid."""
        pid = self.pid(name)
        os.killpg(pid, signal.SIGKILL)  # supervisord starts each process in a group of its own
        return pid

    def wait_restarted(self, name, old_pid, timeout=90):
        """Seconds until supervisord runs the process again under another pid."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            state, pid = self.processes().get(name, (None, None))
            if state == "RUNNING" and pid != old_pid:
                return time.monotonic() - started
            time.sleep(0.5)
        raise AssertionError(f"{name} was not running again within {timeout} s")

    def memory(self, name):
        """The proportional set size, in MiB, of a process with everything it started."""
        root = psutil.Process(self.pid(name))
        total = 0
        for process in [root, *root.children(recursive=True)]:
            try:
                total += process.memory_full_info().pss
            except psutil.NoSuchProcess:
                continue  # a worker that ended while we counted
        return total / 2**20

    def wait_reloaded(self, name, timeout=120):
        """Seconds until a node that was told to reload answers its own ``/ping`` again.

        A reloading uWSGI node keeps its socket: the ping waits in its queue
        until the application has loaded again (node k of the UI listens on
        5081 + 2(k - 1), of the API on 5082 + 2(k - 1)).
        """
        application, node = name.rsplit("-", 1)
        port = (5081 if application == "ui" else 5082) + 2 * (int(node) - 1)
        path = "/ping" if application == "ui" else "/api/ping"
        started = time.monotonic()
        time.sleep(2)  # the reload begins: the workers finish their requests and stop
        while time.monotonic() - started < timeout:
            try:
                response = requests.get(
                    f"http://127.0.0.1:{port}{path}", headers={"X-Forwarded-Proto": "https"}, timeout=timeout
                )
                if response.status_code == 200:
                    return time.monotonic() - started
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise AssertionError(f"{name} did not answer within {timeout} s of its reload")

    def haproxy_states(self):
        """``{server name: status}`` of the nodes, from HAProxy's statistics."""
        text = requests.get(HAPROXY_STATS, timeout=10).text.lstrip("# ")
        return {
            row["svname"]: row["status"]
            for row in csv.DictReader(io.StringIO(text))
            if row["svname"] not in ("FRONTEND", "BACKEND")
        }

    def wait_in_rotation(self, names, timeout=120):
        """Seconds until HAProxy has every named node UP."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            states = self.haproxy_states()
            if all(states.get(name) == "UP" for name in names):
                return time.monotonic() - started
            time.sleep(0.5)
        raise AssertionError(f"not all of {names} back in rotation within {timeout} s: {self.haproxy_states()}")


def services(action, service):
    """Run ``scripts/services ACTION SERVICE`` (fails the test when it fails)."""
    result = subprocess.run(
        [str(REPO_ROOT / "scripts" / "services"), action, service],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, f"services {action} {service}:\n{result.stdout}\n{result.stderr}"


class ReadLoad:
    """Anonymous readers requesting pages and API reads in threads until stopped.

    Every answer of 500 or more and every failed request is kept, with its
    path and time, so a test can say exactly which read failed.
    """

    def __init__(self, stack, paths, clients=4):
        """Readers of the given paths (taken in turn) through the stack."""
        self.stack, self.paths, self.clients = stack, paths, clients
        self.statuses, self.failures = Counter(), []
        self._stop, self._lock, self._threads = threading.Event(), threading.Lock(), []

    def _read(self, offset):
        session = requests.Session()
        number = offset
        while not self._stop.is_set():
            path = self.paths[number % len(self.paths)]
            number += 1
            try:
                status = self.stack.request("GET", path, session=session).status_code
            except requests.RequestException as error:
                status = type(error).__name__
            with self._lock:
                self.statuses[status] += 1
                if not isinstance(status, int) or status >= 500:
                    self.failures.append((time.strftime("%H:%M:%S"), path, status))

    def __enter__(self):
        """Start the readers."""
        self._threads = [threading.Thread(target=self._read, args=(n,)) for n in range(self.clients)]
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        """Stop the readers and wait for their last requests."""
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=90)

    @property
    def total(self):
        """How many reads were made."""
        return sum(self.statuses.values())
