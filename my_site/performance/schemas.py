"""JSON Schema reference store built once per application.

InvenioRDM points ``RECORDS_REFRESOLVER_STORE`` at invenio-jsonschemas'
``current_refresolver_store``, a proxy that reads and rewrites every
registered JSON Schema each time it is used: twice per record validation.
The schemas do not change while the application runs, so this store is
built on first use and kept with the application. (The resolver copies the
store into its own mapping, so sharing it is safe.)
"""

from flask import current_app
from werkzeug.local import LocalProxy

EXTENSION_KEY = "my-site-refresolver-store"


def _refresolver_store():
    """The application's reference store, built on first use."""
    store = current_app.extensions.get(EXTENSION_KEY)
    if store is None:
        store = current_app.extensions["invenio-jsonschemas"].refresolver_store()
        current_app.extensions[EXTENSION_KEY] = store
    return store


refresolver_store = LocalProxy(_refresolver_store)
"""The value of ``RECORDS_REFRESOLVER_STORE``."""
