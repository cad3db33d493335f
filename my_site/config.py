"""Default configuration of my-site.

Loaded through the ``invenio_config.module`` entry point, after the defaults of
the Invenio packages; the instance's ``invenio.cfg`` and ``INVENIO_*``
environment variables override every value here.
"""

from datetime import timedelta
from importlib.metadata import version

from flask import current_app

# Modules, not names: every upper-case name here becomes a configuration key.
from invenio_app_rdm import config as app_rdm_config
from invenio_i18n import lazy_gettext as _
from invenio_rdm_records import config as rdm_records_config
from invenio_rdm_records.checks import requests as checked_requests
from invenio_rdm_records.services import request_policies
from invenio_rdm_records.services.components import DefaultRecordsComponents
from invenio_records_resources import config as records_resources_config

from . import custom_fields
from .custom_fields.components import VocabularyCustomFieldsComponent

THEME_SITENAME = "my-site"
"""Name of the repository, shown in the header, page titles and e-mails."""

THEME_FRONTPAGE = True
"""Serve the front page of the site at ``/``."""

THEME_FRONTPAGE_TITLE = "my-site: research data, openly shared"
"""Title of the front page."""

THEME_FRONTPAGE_TEMPLATE = "my_site/frontpage.html"
"""Front page: welcome text, search box and the most recent public uploads."""

THEME_HEADER_TEMPLATE = "my_site/header.html"
"""Header: InvenioRDM's, with the language switcher (a link to each other language)."""

THEME_FOOTER_TEMPLATE = "my_site/footer.html"
"""Footer with links to the static pages (about, help, terms, privacy)."""

THEME_LOGO = "images/my-site-logo.svg"
"""Logo in the header, relative to the static folder (from the repo's ``static/``)."""

THEME_SHOW_FRONTPAGE_INTRO_SECTION = True
"""Show the welcome section of the front page."""

I18N_LANGUAGES = [("de", _("German"))]
"""Languages of the user interface besides English (``BABEL_DEFAULT_LOCALE``): InvenioRDM
ships their catalogs, ``my_site/translations`` holds the instance's own strings. A
visitor's choice (the header's switcher, ``/lang/<code>``) is kept in the session;
otherwise the browser's ``Accept-Language`` decides."""

APP_RDM_DEPOSIT_FORM_DEFAULTS = {
    **app_rdm_config.APP_RDM_DEPOSIT_FORM_DEFAULTS,
    "publisher": lambda: current_app.config["THEME_SITENAME"],
    "rights": [
        {
            "id": "cc-by-4.0",
            "title": "Creative Commons Attribution 4.0 International",
            "link": "https://creativecommons.org/licenses/by/4.0/legalcode",
        }
    ],
}
"""What a new upload starts with: today's publication date (InvenioRDM's default),
this site as its publisher (InvenioRDM's default names its own default site name) and
the CC BY 4.0 licence. Depositors change them in the form; an instance sets its own
defaults in ``invenio.cfg``."""

MY_SITE_MAIL_OUTBOX = None
"""Folder of unsent e-mail while ``MAIL_SUPPRESS_SEND`` is set (default: ``outbox``
of the instance path): one 0600 file per message, never printed to a log."""

RDM_NAMESPACES = custom_fields.NAMESPACES
"""Namespaces of the instance's custom fields (``mysite:``)."""

RDM_CUSTOM_FIELDS = custom_fields.FIELDS
"""The instance's record custom fields (see ``my_site.custom_fields``)."""

RDM_CUSTOM_FIELDS_UI = custom_fields.FIELDS_UI
"""Deposit form and landing page sections of the custom fields."""

RDM_RECORDS_SERVICE_COMPONENTS = [*DefaultRecordsComponents, VocabularyCustomFieldsComponent]
"""Record service components: InvenioRDM's, plus the check that vocabulary
custom fields only take values of their vocabulary (a 400 naming the field)."""

RDM_FACETS = {**rdm_records_config.RDM_FACETS, **custom_fields.FACETS}
"""Search facets: InvenioRDM's plus the instrument."""

RDM_SEARCH = {
    **rdm_records_config.RDM_SEARCH,
    "facets": [*rdm_records_config.RDM_SEARCH["facets"], "subject_combined", "instrument"],
}
"""Search configuration of records: InvenioRDM's facets (publication date range, access,
file type, resource type), subjects by scheme (the OECD Fields of Science loaded by
setup, see ``app_data/vocabularies.yaml``) and the instrument."""

MY_SITE_FIXITY_BATCH_SIZE = 200
"""How many stored files one scheduled fixity run re-checksums (oldest check first)."""

MY_SITE_FIXITY_REPORT_RECIPIENTS = ["admin@example.org"]
"""Who is e-mailed when the fixity check finds a corrupted or missing file."""

CELERY_BEAT_SCHEDULE = {
    **{
        name: entry
        for name, entry in app_rdm_config.CELERY_BEAT_SCHEDULE.items()
        if name not in {"file-checks", "file-integrity-report"}
    },
    "my-site-fixity": {
        "task": "my_site.fixity.tasks.check_file_fixity",
        "schedule": timedelta(hours=1),
    },
    "my-site-search-consistency": {
        "task": "my_site.maintenance.tasks.repair_search_indices",
        "schedule": timedelta(days=1),
    },
    "my-site-domain-blocklist": {
        "task": "my_site.moderation.tasks.refresh_domain_blocklist",
        "schedule": timedelta(days=1),
    },
}
"""InvenioRDM's periodic tasks, with its file checks replaced by ours
(``my_site.fixity``), which check every stored file and report at once; the daily
search-index repair (``my_site.maintenance``) and refresh of the e-mail domain blocklist
(``my_site.moderation``)."""

CELERY_TASK_ACKS_LATE = True
"""A task's message is acknowledged when the task has ended, not when it starts: a worker
killed mid-task (SIGKILL, a crash, the machine stopping) leaves the message to RabbitMQ,
which hands it to the next worker. InvenioRDM's tasks (indexing, file processing,
notifications) may run twice then; they are written to bear it. A task running longer
than RabbitMQ's ``consumer_timeout`` (30 minutes) would be redelivered."""

TASK_REJECT_ON_WORKER_LOST = True
"""A task whose worker process died (the OOM killer, a segfault) is put back in its queue
instead of being recorded as failed. (flask-celeryext maps this name, without the
``CELERY_`` prefix, to Celery's ``task_reject_on_worker_lost``.)"""

CELERY_WORKER_PREFETCH_MULTIPLIER = 1
"""Each worker process reserves one task beyond the one it runs, so that tasks waiting
behind a long one go to another worker, and a killed worker leaves few to redeliver."""

RDM_USER_MODERATION_ENABLED = True
"""User moderation: when a user who is not yet verified publishes (or creates a community),
a moderation request goes to the ``administration-moderation`` role (Requests in the
moderators' dashboard, and Administration > Moderation). Approving verifies the user;
declining blocks them, and their records are deleted (tombstones) and leave search."""

RDM_SEARCH_SORT_BY_VERIFIED = True
"""Records of verified users come first in search results, before those still awaiting
moderation."""

MY_SITE_DOMAIN_BLOCKLIST = None
"""File of e-mail domains whose sign-ups are refused (default: the instance's
``app_data/blocked-email-domains.txt``), loaded by setup, update and a daily task."""

WEBPACKEXT_PROJECT = "invenio_assets.webpack:rspack_project"
"""Build the web assets with rspack (the project of invenio-assets 4)."""

APP_DEFAULT_SECURE_HEADERS = {
    "force_https": True,
    "force_https_permanent": False,
    "force_file_save": False,
    "frame_options": "sameorigin",
    "frame_options_allow_from": None,
    "strict_transport_security": True,
    "strict_transport_security_preload": False,
    "strict_transport_security_max_age": 31556926,
    "strict_transport_security_include_subdomains": True,
    "content_security_policy": {
        "default-src": ["'self'", "data:", "blob:", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:", "https://tile.openstreetmap.org"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'self'"],
    },
    "content_security_policy_report_uri": None,
    "content_security_policy_report_only": False,
    "session_cookie_secure": True,
    "session_cookie_http_only": True,
}
"""HTTP security headers (Flask-Talisman). The content security policy allows no
``eval``. Scripts: ``my_site.content_policy`` adds ``script-src`` with our own origin and
the hashes of the templates' static inline scripts, so no inline script runs unless a
template holds it verbatim. Styles: InvenioRDM's pages and components set inline styles,
so ``'unsafe-inline'`` stays for them; ``data:`` serves fonts and ``blob:`` the previews.
Images: also OpenStreetMap's map tiles, the background of the GeoJSON preview."""

DATACITE_ENABLED = False
"""Register DOIs with DataCite; switch on in ``invenio.cfg`` with credentials."""

SECURITY_REGISTERABLE = True
"""Let visitors sign up with an e-mail address and a password."""

SECURITY_CONFIRMABLE = True
"""New accounts confirm their e-mail address before they can log in."""

ACCOUNTS_LOCAL_LOGIN_ENABLED = True
"""Allow logging in with an e-mail address and a password."""

OAISERVER_ID_PREFIX = "my-site"
"""Prefix of the OAI-PMH identifiers of records (``oai:my-site:<id>``)."""

SQLALCHEMY_ENGINE_OPTIONS = {
    "pool_pre_ping": True,
    "pool_recycle": 3600,
    "pool_timeout": 10,
    "connect_args": {"options": "-c timezone=UTC"},
}
"""InvenioRDM's database pool settings, with ``pool_pre_ping`` on: each connection taken
from the pool is tested first (a ``SELECT 1``, well under a millisecond here), so after
PostgreSQL restarts, every process's first request gets a new connection instead of
failing on one the restart closed."""

RATELIMIT_KEY_FUNC = "flask_limiter.util:get_remote_address"
"""Count rate limits per client address. InvenioRDM's default key, the User-Agent plus
the address, let a client escape the login limit (10 a minute) by changing its
User-Agent. Behind the production stack's nginx the address is the one nginx saw:
``PROXYFIX_CONFIG`` trusts the last ``X-Forwarded-For`` entry only, the one nginx adds."""

RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
"""While Redis, where the rate limits are counted, is down, each process counts in
memory instead: ``/api/health`` still reports which service is down, and limits
still hold."""

# InvenioRDM 13 and 14 features an instance opts into (docs/usage.rst describes each).

COMMUNITIES_COLLECTIONS_ENABLED = True
"""Community owners and managers arrange their records in collections (trees of saved
searches, under the community's settings); visitors browse them on its Browse tab."""

CHECKS_ENABLED = True
"""Curation checks: a community's rules (``checks_config`` rows, e.g. "a description is
required") are run on every draft submitted to it, shown on the form and the request."""

RDM_COMMUNITY_SUBMISSION_REQUEST_CLS = checked_requests.CommunitySubmission
"""Submissions to a community that run its curation checks."""

RDM_COMMUNITY_INCLUSION_REQUEST_CLS = checked_requests.CommunityInclusion
"""Inclusions of a published record in a community that run its curation checks."""

RDM_IMMEDIATE_RECORD_DELETION_ENABLED = True
"""Owners delete their own records within 30 days of publication (InvenioRDM's grace
period policy); a tombstone page (410) keeps the citation resolvable."""

RDM_REQUEST_RECORD_DELETION_ENABLED = True
"""After the grace period, owners ask the administrators to delete a record, with a reason."""

RDM_IMMEDIATE_RECORD_DELETION_CHECKLIST = [
    {
        "label": _("I want to change the metadata (title, description, etc.)"),
        "message": _("You can edit the metadata of a published record at any time."),
    },
    {
        "label": _("I want to replace a file"),
        "message": _("Within 30 days of publication you can change the files of a record: "
                     "choose Edit, then unlock the files."),
    },
]
"""Questions asked before an owner deletes a record, pointing to what often suffices."""

RDM_IMMEDIATE_FILE_MODIFICATION_POLICIES = [
    request_policies.FileModificationGracePeriodPolicy(),
    request_policies.FileModificationAdminPolicy(),
]
"""Owners change the files of a published record within 30 days of publication (new
files published within ``RDM_FILE_MODIFICATION_PERIOD``, 45 days); administrators always."""

RDM_IMMEDIATE_QUOTA_INCREASE_ENABLED = True
"""Depositors raise the storage quota of a draft (Account settings → Quota) from an
allowance of their own, ``RDM_FILES_DEFAULT_MAX_ADDITIONAL_QUOTA_SIZE``."""

RDM_IMMEDIATE_QUOTA_INCREASE_POLICIES = [
    request_policies.QuotaIncreasePolicy(),
    request_policies.QuotaIncreaseAdminPolicy(),
]
"""The owner of a draft raises its quota within their allowance; administrators always."""

RDM_FILES_DEFAULT_MAX_ADDITIONAL_QUOTA_SIZE = 40 * 10**9
"""Storage a depositor may add to their drafts in all, over the 10 GB each draft has."""

RECORDS_RESOURCES_TRANSFERS = [
    {
        "invenio_records_resources.services.files.transfer.LocalTransfer": "my_site.uploads.transfers.NotedLocalTransfer",
        "invenio_records_resources.services.files.transfer.MultipartTransfer": "my_site.uploads.transfers.NotedMultipartTransfer",
    }.get(transfer, transfer)
    for transfer in records_resources_config.RECORDS_RESOURCES_TRANSFERS
]
"""InvenioRDM's transfers, the two that write uploads through the app noting why a write
failed: an upload to a full disk is answered 507, not 200 (``my_site.uploads``)."""

FILES_REST_STORAGE_FACTORY = "my_site.storage.factory.storage_factory"
"""Files whose location is ``s3://BUCKET`` are stored by invenio-s3 on the S3 object store
(``S3_ENDPOINT_URL``, ``S3_ACCESS_KEY_ID``, ``S3_SECRET_ACCESS_KEY``), the others on the
disk; ``scripts/setup --storage s3`` makes the default location an S3 one."""

COMMUNITIES_ALLOW_MEMBERSHIP_REQUESTS = True
"""Users ask to join a community whose owners opened it to requests (member policy
"open" in its settings); its managers accept or decline."""

APP_RDM_RECORD_LANDING_PAGE_FAIR_SIGNPOSTING_LEVEL_1_ENABLED = True
"""FAIR Signposting level 1: landing pages answer with a ``Link`` header naming the
record's authors, licence, files, metadata exports and type, as well as the linkset."""

AUDIT_LOGS_ENABLED = True
"""Keep an audit log of who created, published or deleted what (Administration → Audit logs)."""

ADMINISTRATION_DISPLAY_VERSIONS = [
    ("invenio-app-rdm", f"v{version('invenio-app-rdm')}"),
    ("my-site", f"v{version('my-site')}"),
]
"""Versions shown in the administration panel's side bar."""

RECORDS_REFRESOLVER_STORE = "my_site.performance.schemas:refresolver_store"
"""JSON Schema references resolved from a store built once per application
(InvenioRDM's default rebuilds it from every schema twice per record validated)."""

ACCESS_CACHE = "my_site.performance.access_cache:access_cache"
"""invenio-access's action cache: Redis, with each key read once per request
(a search answer checks the same few actions about 190 times)."""
