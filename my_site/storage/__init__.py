"""Files on the local disk or on an S3 object store, chosen by the files location."""
