"""Re-compute the checksums of stored files and report those that changed or vanished.

Each check is recorded on the file itself (``FileInstance.last_check`` and
``last_check_at`` of invenio-files-rest): ``True`` intact, ``False`` checksum
mismatch, ``None`` unreadable (missing). Files are taken oldest check first,
so successive batches cover the whole store.
"""

from dataclasses import dataclass, field

from flask import current_app
from flask_mail import Message
from invenio_db import db
from invenio_files_rest.models import FileInstance


@dataclass
class FixityReport:
    """The outcome of one fixity run."""

    checked: int = 0
    intact: int = 0
    corrupted: list = field(default_factory=list)
    missing: list = field(default_factory=list)

    @property
    def damaged(self):
        """Whether any file failed its check."""
        return bool(self.corrupted or self.missing)

    def summary(self):
        """One line for people: how many files, and how many failed."""
        return (
            f"{self.checked} file(s) checked: {self.intact} intact, "
            f"{len(self.corrupted)} corrupted, {len(self.missing)} missing or unreadable"
        )


def files_to_check(batch_size=None):
    """Readable stored files, never-checked first, then by oldest check."""
    query = FileInstance.query.filter(
        FileInstance.readable.is_(True), FileInstance.uri.isnot(None)
    ).order_by(
        FileInstance.last_check_at.asc().nullsfirst(), FileInstance.created.asc()
    )
    return query.limit(batch_size).all() if batch_size else query.all()


def check_files(batch_size=None):
    """Check a batch of files (all when ``batch_size`` is None) and report damage."""
    report = FixityReport()
    for file_instance in files_to_check(batch_size):
        outcome = file_instance.verify_checksum(throws=False)
        report.checked += 1
        if outcome is True:
            report.intact += 1
        elif outcome is False:
            report.corrupted.append(describe(file_instance))
        else:
            report.missing.append(describe(file_instance))
    db.session.commit()
    if report.damaged:
        notify_admins(report)
    return report


def describe(file_instance):
    """What an admin needs to find a damaged file."""
    return {
        "file_id": str(file_instance.id),
        "uri": file_instance.uri,
        "expected_checksum": file_instance.checksum,
    }


def notify_admins(report):
    """Log every damaged file at ERROR and e-mail the list to the admins."""
    for kind, files in (("corrupted", report.corrupted), ("missing", report.missing)):
        for damaged in files:
            current_app.logger.error(
                "Fixity check: %s file %s at %s (expected %s)",
                kind,
                damaged["file_id"],
                damaged["uri"],
                damaged["expected_checksum"],
            )
    recipients = current_app.config["MY_SITE_FIXITY_REPORT_RECIPIENTS"]
    if not recipients:
        return
    lines = [report.summary(), ""]
    lines += [f"CORRUPTED {f['file_id']} {f['uri']}" for f in report.corrupted]
    lines += [f"MISSING   {f['file_id']} {f['uri']}" for f in report.missing]
    message = Message(
        subject=f"[{current_app.config['THEME_SITENAME']}] File fixity check found damaged files",
        recipients=list(recipients),
        body="\n".join(lines),
    )
    current_app.extensions["mail"].send(message)
