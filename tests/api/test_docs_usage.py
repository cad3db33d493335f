"""The REST API example of the documentation, run exactly as it is printed.

``docs/usage.rst`` includes ``docs/examples/rest-api.sh`` verbatim; this test
runs that script with bash and curl against a live server of the test
application, with a real personal access token, so that the documented
example keeps working.
"""

import os
import re
import subprocess
from pathlib import Path

import pytest
from invenio_search import current_search

REPO_ROOT = Path(__file__).resolve().parents[2]
SCRIPT = REPO_ROOT / "docs" / "examples" / "rest-api.sh"
USAGE_PAGE = REPO_ROOT / "docs" / "usage.rst"
FILE_BYTES = b"time,elevation_m\n2026-01-15T10:00Z,2843.2\n2026-01-15T10:01Z,2843.4\n" * 40


@pytest.fixture(scope="module")
def app_config(app_config, live_server_settings):
    """The live server's address (plain HTTP) for links and for the test client."""
    app_config.update(live_server_settings)
    return app_config


def run_example(live_server, token, upload, download):
    """Run the documented script as a reader would; return the finished process."""
    env = {
        **os.environ,
        "MY_SITE_URL": live_server.url(),
        "MY_SITE_TOKEN": token,
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    env.pop("CURL_CA_BUNDLE", None)
    return subprocess.run(
        ["bash", str(SCRIPT), str(upload), str(download)],
        cwd=upload.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_usage_page_includes_the_script():
    """The page shows the very script this module runs."""
    assert ".. literalinclude:: examples/rest-api.sh" in USAGE_PAGE.read_text()
    assert os.access(SCRIPT, os.X_OK), f"{SCRIPT} must be executable"


def test_rest_api_example(
    live_server, location, instruments, owner_token, client, tmp_path
):
    """The example deposits, publishes, finds and downloads a file intact."""
    upload = tmp_path / "elevation.csv"
    upload.write_bytes(FILE_BYTES)
    download = tmp_path / "downloaded.csv"

    result = run_example(live_server, owner_token, upload, download)

    output = f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
    assert result.returncode == 0, output
    match = re.search(r"^Published record (\S+)$", result.stdout, re.MULTILINE)
    assert match, output
    record_id = match.group(1)
    assert f"published: {live_server.url()}/records/{record_id}" in result.stdout
    assert download.read_bytes() == FILE_BYTES

    # What the script did, seen through the API independently of it.
    response = client.get(f"/api/records/{record_id}")
    assert response.status_code == 200, response.json
    record = response.json
    assert record["status"] == "published"
    assert record["metadata"]["title"] == "Glacier surface elevation from a UAV lidar survey"
    assert record["custom_fields"]["mysite:instrument"]["id"] == "lidar-uav"
    assert record["files"]["entries"]["elevation.csv"]["size"] == len(FILE_BYTES)
    current_search.flush_and_refresh("rdmrecords-records")
    query = {"q": "custom_fields.mysite\\:instrument.id:lidar-uav AND glacier"}
    hits = client.get("/api/records", query_string=query).json["hits"]["hits"]
    assert [hit["id"] for hit in hits] == [record_id]
