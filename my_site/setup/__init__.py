"""Setting up, updating and re-indexing the instance in one application start.

``scripts/setup``, ``scripts/update`` and ``scripts/restore`` call the commands
of this package (``invenio my-site setup``, ``update``, ``recreate-indices``):
each runs its steps in one process instead of one ``invenio`` start per step.
"""
