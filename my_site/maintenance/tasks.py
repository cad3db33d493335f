"""The nightly repair of the search indices of records and drafts."""

from celery import shared_task
from flask import current_app

from .consistency import check_search_indices


@shared_task(ignore_result=True)
def repair_search_indices():
    """Index again the records and drafts whose document is missing or stale; log the counts."""
    for comparison in check_search_indices(repair=True):
        log = current_app.logger.warning if comparison.repaired else current_app.logger.info
        log("Search consistency: %s", comparison.summary())
