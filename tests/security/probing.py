"""Requests of the security tier, counted: what was tried, the server errors and the leaks."""

import json
from dataclasses import dataclass, field
from pathlib import Path

FIGURES_FILE = Path(__file__).resolve().parents[2] / "var" / "test-artifacts" / "security.txt"


@dataclass
class Figures:
    """What the tier tried and found."""

    requests: int = 0
    server_errors: list = field(default_factory=list)
    leaks: list = field(default_factory=list)

    def line(self):
        """One line for the summary."""
        return (
            f"{self.requests} requests tried, {len(self.server_errors)} server errors, "
            f"{len(self.leaks)} leaks"
        )


FIGURES = Figures()


class Probe:
    """A test client that counts its requests and notes every 5xx answer or exception."""

    def __init__(self, client, headers=None):
        """Send requests through the Flask ``client`` with the default ``headers``."""
        self.client = client
        self.headers = headers or {}

    def send(self, method, path, body=None, data=None, headers=None):
        """Send one request (``body`` as JSON, or ``data`` as raw bytes); the response."""
        headers = {**self.headers, **(headers or {})}
        if body is not None:
            data = json.dumps(body)
        if data is not None:
            headers.setdefault("Content-Type", "application/json")
        FIGURES.requests += 1
        try:
            response = self.client.open(path, method=method, data=data, headers=headers)
        except Exception as error:  # the test client raises what the app did not handle
            FIGURES.server_errors.append(f"{method} {path} -> {type(error).__name__}")
            raise
        if response.status_code >= 500:
            FIGURES.server_errors.append(f"{method} {path} -> {response.status_code}")
        return response


def note_leak(description):
    """Count a restricted value found where it must not be."""
    FIGURES.leaks.append(description)
