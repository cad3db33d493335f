"""``invenio my-site storage``: copy a bucket's objects to a folder and back (backups)."""

from pathlib import Path

import click
from flask.cli import with_appcontext

from .buckets import bucket_of, empty_bucket, s3_filesystem


def bucket_argument(context, parameter, uri):
    """Click callback: the bucket of an ``s3://BUCKET`` location, or a usage error."""
    bucket = bucket_of(uri)
    if bucket is None:
        raise click.BadParameter(f"'{uri}' is not an s3://BUCKET location")
    return bucket


@click.group()
def storage():
    """Files on the S3 object store."""


@storage.command()
@click.argument("bucket", metavar="LOCATION", callback=bucket_argument)
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@with_appcontext
def download(bucket, folder):
    """Copy every object of the bucket of LOCATION (s3://BUCKET) into FOLDER, keys as paths."""
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
@click.argument("bucket", metavar="LOCATION", callback=bucket_argument)
@with_appcontext
def upload(folder, bucket):
    """Replace what the bucket of LOCATION (s3://BUCKET) holds by the files of FOLDER."""
    fs = s3_filesystem()
    if not fs.exists(bucket):
        fs.mkdir(bucket)
    removed = empty_bucket(bucket)
    files = [path for path in sorted(folder.rglob("*")) if path.is_file()]
    for path in files:
        fs.put_file(str(path), f"{bucket}/{path.relative_to(folder).as_posix()}")
    click.echo(f"{len(files)} objects copied to {bucket} (replacing {removed}).")
