"""What the administration panel offers through the REST API: jobs that run, the audit log."""

import time

import pytest


def create_job(client, headers):
    """A job of InvenioRDM's embargo lifting, on invenio-jobs' "low" queue."""
    response = client.post(
        "/api/jobs",
        headers=headers,
        json={
            "title": "Lift expired embargoes",
            "task": "update_expired_embargos",
            "default_queue": "low",
        },
    )
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.json


def test_job_runs_now_and_succeeds(client, admin_auth):
    """A job created through the jobs API runs at once and its run ends in success.

    Through the production stack (``--base-url``) a real Celery worker runs it
    from the "low" queue; in-process, Celery runs it eagerly.
    """
    job = create_job(client, admin_auth)
    assert job["default_queue"] == "low"
    response = client.post(f"/api/jobs/{job['id']}/runs", headers=admin_auth, json={})
    assert response.status_code == 201, response.get_data(as_text=True)
    run_id = response.json["id"]
    deadline = time.monotonic() + 60
    while True:
        runs = client.get(f"/api/jobs/{job['id']}/runs", headers=admin_auth).json["hits"]["hits"]
        run = next(run for run in runs if run["id"] == run_id)
        if run["status"] not in ("QUEUED", "RUNNING") or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert run["status"] == "SUCCESS", run


def test_jobs_refused_to_non_admins(client, auth, admin_auth):
    """An ordinary user can neither list nor run jobs."""
    job = create_job(client, admin_auth)
    assert client.get("/api/jobs", headers=auth).status_code == 403
    assert client.post(f"/api/jobs/{job['id']}/runs", headers=auth, json={}).status_code == 403


def test_publishing_is_in_the_audit_log(
    client, admin_auth, auth, publish_record, owner, index_templates
):
    """Publishing a record writes an audit entry that the admin sees, and only the admin."""
    from invenio_search import current_search

    record = publish_record("Audited ice cores", "Weber")
    current_search.flush_and_refresh("*")
    response = client.get(
        "/api/audit-logs/", headers=admin_auth, query_string={"q": f'resource.id:"{record.id}"'}
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    actions = {hit["action"]: hit for hit in response.json["hits"]["hits"]}
    assert "record.publish" in actions, actions
    assert actions["record.publish"]["user"]["id"] == str(owner.id)
    assert client.get("/api/audit-logs/", headers=auth).status_code == 403
