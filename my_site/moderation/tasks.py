"""The daily refresh of the e-mail domain blocklist."""

from celery import shared_task
from flask import current_app

from .domains import blocklist_path, load_blocklist, read_blocklist


@shared_task(ignore_result=True)
def refresh_domain_blocklist():
    """Load the blocklist file again: domains added to it since are blocked."""
    report = load_blocklist(read_blocklist(blocklist_path()))
    current_app.logger.info("Domain blocklist refreshed: %s", report.summary())
