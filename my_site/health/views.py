"""``GET /api/health``: each dependency up or down, with its latency."""

import time

from flask import Blueprint, current_app, jsonify
from invenio_app import limiter

from .checks import CHECKS


def run_checks():
    """Run every check; return ``{name: {"status", "latency_ms", ...}}`` and overall health."""
    results, healthy = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        details = {}
        try:
            details = check() or {}
            status = "up"
        except Exception as error:  # any failure means the dependency is down
            current_app.logger.warning("Health check %s failed: %s", name, error)
            status, healthy = "down", False
        latency = round((time.perf_counter() - started) * 1000, 1)
        results[name] = {"status": status, "latency_ms": latency, **details}
    return results, healthy


@limiter.exempt
def health():
    """Report the dependencies; 200 when all are up, 503 otherwise.

    Reveals no host names, credentials, versions or error messages. Not rate
    limited, like invenio-app's ``/ping``: load balancers and monitoring ask
    it every few seconds from one address.
    """
    results, healthy = run_checks()
    response = jsonify({"status": "up" if healthy else "down", "checks": results})
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response


def create_api_blueprint(app):
    """API blueprint with the health endpoint (``/api/health``)."""
    blueprint = Blueprint("my_site_health", __name__)
    blueprint.add_url_rule("/health", "health", health, methods=["GET"])
    return blueprint
