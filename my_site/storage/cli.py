"""``invenio my-site storage``: copy a bucket's objects to a folder and back (backups)."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from .buckets import empty_bucket, s3_filesystem
from .factory import S3_SCHEME


def bucket_of(uri):
    """The bucket of an ``s3://BUCKET`` files location."""
    if not uri.startswith(S3_SCHEME) or not uri.removeprefix(S3_SCHEME).strip("/"):
        raise click.BadParameter(f"'{uri}' is not an s3://BUCKET location", param_hint="LOCATION")
    return uri.removeprefix(S3_SCHEME).strip("/")


@click.group()
def storage():
    """Files on the S3 object store."""


@storage.command()
@click.argument("location")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def download(location, folder):
    """Copy every object of the bucket of LOCATION (s3://BUCKET) into FOLDER, keys as paths."""
    bucket = bucket_of(location)
    fs = s3_filesystem()
    keys = fs.find(bucket)
    folder.mkdir(parents=True, exist_ok=True)
    for key in keys:
        target = folder / key.removeprefix(f"{bucket}/")
        target.parent.mkdir(parents=True, exist_ok=True)
        fs.get_file(key, str(target))
    click.echo(f"{len(keys)} objects of {bucket} copied to {folder}.")


@storage.command()
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("location")
@with_appcontext
def upload(folder, location):
    """Replace what the bucket of LOCATION (s3://BUCKET) holds by the files of FOLDER."""
    bucket = bucket_of(location)
    fs = s3_filesystem()
    if not fs.exists(bucket):
        fs.mkdir(bucket)
    removed = empty_bucket(bucket)
    files = [path for path in sorted(folder.rglob("*")) if path.is_file()]
    for path in files:
        fs.put_file(str(path), f"{bucket}/{path.relative_to(folder).as_posix()}")
    click.echo(f"{len(files)} objects copied to {bucket} (replacing {removed}).")
