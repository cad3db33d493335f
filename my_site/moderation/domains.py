"""The blocklist of e-mail domains: read from a file, loaded into invenio-accounts' domains."""

from dataclasses import dataclass, field
from pathlib import Path

from flask import current_app
from invenio_accounts.models import Domain, DomainCategory, User
from invenio_accounts.utils import DomainStatus
from invenio_db import db
from invenio_users_resources.proxies import (
    current_domains_service,
    current_users_service,
)

BLOCKLIST_SOURCE = "my-site blocklist"
"""What flagged the domains of the blocklist, as the administration panel shows it."""

SPAMMER_CATEGORY = "spammer"
"""The domain category of blocklisted domains (InvenioRDM's own blocklist imports use it)."""


@dataclass
class BlocklistReport:
    """What loading the blocklist changed."""

    blocked: list = field(default_factory=list)
    flagged: list = field(default_factory=list)
    unchanged: int = 0

    def summary(self):
        """One line of counts."""
        return (f"{len(self.blocked)} domains blocked, {len(self.flagged)} known domains "
                f"flagged for review, {self.unchanged} unchanged.")


def blocklist_path():
    """The blocklist file: ``MY_SITE_DOMAIN_BLOCKLIST``, or the instance's app_data one."""
    configured = current_app.config.get("MY_SITE_DOMAIN_BLOCKLIST")
    return Path(configured or Path(current_app.instance_path) / "app_data" / "blocked-email-domains.txt")


def read_blocklist(path):
    """The domains of a blocklist file: one per line, ``#`` starts a comment."""
    domains = set()
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        domain = line.split("#", 1)[0].strip().lower().rstrip(".")
        if not domain:
            continue
        if " " in domain or "." not in domain or "@" in domain:
            raise ValueError(f"{path}, line {number}: {line.strip()!r} is not a domain name")
        domains.add(domain)
    return domains


def spammer_category():
    """The id of the "spammer" domain category, created when missing."""
    category = DomainCategory.get(SPAMMER_CATEGORY) or DomainCategory.create(SPAMMER_CATEGORY)
    db.session.flush()
    return category.id


def load_blocklist(domains):
    """Block the new domains of ``domains``; flag those already known, whose status stays.

    A domain an administrator has already judged (verified, moderated) keeps its
    status, as in InvenioRDM's own blocklist import: it is only flagged, for the
    administration panel's domain list.
    """
    report = BlocklistReport()
    known = {domain.domain: domain for domain in Domain.query.filter(Domain._domain.in_(domains))}
    category = spammer_category()
    for name in sorted(domains):
        domain = known.get(name)
        if domain is None:
            Domain.create(name, status=DomainStatus.blocked, flagged=True,
                          flagged_source=BLOCKLIST_SOURCE, category=category)
            report.blocked.append(name)
        elif domain.status != DomainStatus.blocked and not domain.flagged:
            domain.flagged, domain.flagged_source = True, BLOCKLIST_SOURCE
            report.flagged.append(name)
        else:
            report.unchanged += 1
    db.session.commit()
    reindex(report.blocked + report.flagged)
    return report


def reindex(names):
    """Index the changed domains and their users, whose search documents show the domain."""
    if not names:
        return
    ids = [domain.id for domain in Domain.query.filter(Domain._domain.in_(names))]
    current_domains_service.indexer.bulk_index(ids)
    users = db.session.query(User.id).filter(User.domain.in_(names))
    current_users_service.indexer.bulk_index([user.id for user in users])
