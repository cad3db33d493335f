"""Answers while a service is down: 503 with a clear message instead of a 500.

When PostgreSQL, OpenSearch, Redis or RabbitMQ cannot be reached, API requests
get ``{"status": 503, "message": ...}`` and pages a "temporarily unavailable"
page, both with ``Retry-After``; neither names a host. Writes to the REST API
are refused up front while search is down, so that nothing is stored that
search would miss. Registered last (``invenio_base.finalize_app`` and
``api_finalize_app`` entry points) so that it wraps InvenioRDM's 500 handler.
"""
