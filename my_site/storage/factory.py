"""One storage factory for both kinds of files location.

invenio-files-rest stores every file through one factory: its own writes to
the local disk, invenio-s3's to an S3 object store. This one looks at the
file's URI (for a new file, the default location's): ``s3://...`` goes to
invenio-s3, anything else to the disk. So the default location can move to
S3 (``scripts/setup --storage s3``) while files already on the disk stay
readable, and the other way round.
"""

from invenio_files_rest.storage import pyfs_storage_factory
from invenio_s3.storage import S3FSFileStorage

from .buckets import bucket_of


def storage_factory(fileinstance=None, default_location=None, fileurl=None, **kwargs):
    """The storage of a file: on S3 when its URI is an ``s3://`` one, else on the disk."""
    if fileinstance is not None:
        uri = fileinstance.uri or default_location
    else:
        uri = fileurl
    if uri and bucket_of(uri):
        kwargs["filestorage_class"] = S3FSFileStorage
    return pyfs_storage_factory(
        fileinstance=fileinstance, default_location=default_location, fileurl=fileurl, **kwargs
    )
