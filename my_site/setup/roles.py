"""The delegated admin roles: part of the admin role's power, each for one job.

The ``admin`` role has ``superuser-access``: everything. Two roles give less,
as InvenioRDM's instance template creates them:

- ``administration``: the administration panel (``administration-access``)
  and what InvenioRDM allows it (jobs, banners, communities' and records'
  administration);
- ``administration-moderation``: moderating users (block, restore, approve;
  ``administration-moderation``); user moderation requests are assigned to
  this role (``REQUESTS_MODERATION_ROLE``).
"""

from invenio_access.models import ActionRoles
from invenio_access.proxies import current_access
from invenio_accounts.proxies import current_datastore
from invenio_db import db

DELEGATED_ROLES = {
    "administration": ("administration-access", "Opens the administration panel."),
    "administration-moderation": ("administration-moderation", "Moderates users."),
}
"""Each delegated role: the action it is allowed, and its description."""


def ensure_delegated_roles():
    """Create what is missing of the delegated roles and their actions; return what was added."""
    added = []
    for name, (action_name, description) in DELEGATED_ROLES.items():
        role = current_datastore.find_role(name)
        if role is None:
            role = current_datastore.create_role(name=name, description=description)
            db.session.flush()
            added.append(f"role {name}")
        allowed = ActionRoles.query.filter_by(
            action=action_name, role_id=role.id, argument=None, exclude=False
        ).first()
        if allowed is None:
            db.session.add(ActionRoles.allow(current_access.actions[action_name], role=role))
            added.append(f"{action_name} for {name}")
    db.session.commit()
    return added
