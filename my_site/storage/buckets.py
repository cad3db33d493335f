"""The S3 bucket of a files location, emptied when the instance is wiped."""

import s3fs
from flask import current_app


def s3_filesystem():
    """The S3 connection invenio-s3 uses (``S3_*`` settings)."""
    return s3fs.S3FileSystem(**current_app.extensions["invenio-s3"].init_s3fs_info)


def empty_bucket(bucket):
    """Delete every object of ``bucket``, if it exists; the number deleted."""
    fs = s3_filesystem()
    if not fs.exists(bucket):
        return 0
    keys = fs.find(bucket)
    if keys:
        fs.rm(keys)
    return len(keys)
