"""Another files location as the default for a while, for the tiers that need one."""

from contextlib import contextmanager

from invenio_db import db
from invenio_files_rest.models import Location


@contextmanager
def default_location(tests_location, name, uri):
    """The location ``name`` at ``uri``, the default inside the block; the tests' own again after it."""
    other = Location(name=name, uri=uri, default=True)
    tests_location.default = False
    db.session.add(other)
    db.session.commit()
    try:
        yield other
    finally:
        other.default, tests_location.default = False, True
        db.session.commit()
