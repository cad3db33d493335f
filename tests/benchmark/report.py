"""The summary table of a ``scripts/benchmark`` run, from locust's CSV files.

Usage: python tests/benchmark/report.py REPORT_FOLDER TITLE

For each server (``development``, ``production``, ``production-cached``)
and scenario in REPORT_FOLDER, a line per request: requests per second,
median, 95th and 99th percentile response times (ms), and failures. With the
development server and another, the ratio of each request's rate to the
development server's. Ends with a line starting ``FAILED`` when any request
failed.
"""

import csv
import subprocess
import sys
from datetime import datetime, timezone
from os import cpu_count
from pathlib import Path

SERVERS = ("development", "production", "production-cached")
SCENARIOS = ("read", "deposit", "mixed", "popular")


def read_stats(path):
    """Locust's per-request statistics of one scenario: {name: row}, "Aggregated" included."""
    with open(path, newline="", encoding="utf-8") as stats:
        return {row["Name"]: row for row in csv.DictReader(stats)}


def figures(row):
    """Requests/s, p50, p95, p99 and failures of a statistics row."""
    return (
        float(row["Requests/s"]),
        row["50%"],
        row["95%"],
        row["99%"],
        int(row["Failure Count"]),
    )


def commit():
    """The short commit the run measured."""
    folder = Path(__file__).parent
    result = subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"],
                            capture_output=True, text=True, check=False)
    return result.stdout.strip() or "unknown"


def main(folder, title):
    """Print the table of the run in ``folder``; return the number of failed requests."""
    stats = {}
    for server in SERVERS:
        for scenario in SCENARIOS:
            path = folder / server / f"{scenario}_stats.csv"
            if path.exists():
                stats[server, scenario] = read_stats(path)
    if not stats:
        sys.exit(f"no locust statistics in {folder}")
    servers = {server for server, _ in stats}
    compare = "development" in servers and len(servers) > 1
    print(f"=== Benchmark: {title}; {cpu_count()} cores, commit {commit()}, "
          f"{datetime.now(timezone.utc):%Y-%m-%d}")
    header = f"{'server':<18} {'scenario':<8} {'request':<27} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'errors':>6}"
    print(header + ("   vs dev" if compare else ""))
    failed = 0
    for (server, scenario), rows in stats.items():
        for name, row in rows.items():
            rate, p50, p95, p99, failures = figures(row)
            failed += failures if name != "Aggregated" else 0
            line = f"{server:<18} {scenario:<8} {name:<27} {rate:>7.1f} {p50:>6} {p95:>6} {p99:>6} {failures:>6}"
            development = stats.get(("development", scenario), {}).get(name)
            if compare and server != "development" and development:
                base = float(development["Requests/s"])
                line += f"  {rate / base:>7.1f}x" if base else "        -"
            print(line)
    print("(response times in ms; \"publish flow\" is a whole deposit, its steps are the \"deposit:\" lines)")
    if failed:
        print(f"FAILED: {failed} request(s) failed; locust's *_failures.csv files say which and why.")
    return failed


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__.split("\n\n")[1])
    main(Path(sys.argv[1]), sys.argv[2])
