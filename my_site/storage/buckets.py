"""The S3 bucket of a files location: its name, its connection, emptied on a wipe."""

import s3fs
from flask import current_app

S3_SCHEME = "s3://"


def bucket_of(uri):
    """The bucket of an ``s3://BUCKET`` location, or None for any other location."""
    bucket = uri.removeprefix(S3_SCHEME).strip("/") if uri.startswith(S3_SCHEME) else ""
    return bucket or None


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
