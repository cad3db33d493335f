"""Celery task of the fixity check, scheduled by ``CELERY_BEAT_SCHEDULE``."""

from celery import shared_task
from flask import current_app

from .api import check_files


@shared_task(ignore_result=True)
def check_file_fixity():
    """Check the next batch of stored files (``MY_SITE_FIXITY_BATCH_SIZE``)."""
    report = check_files(batch_size=current_app.config["MY_SITE_FIXITY_BATCH_SIZE"])
    current_app.logger.info("Fixity check: %s", report.summary())
