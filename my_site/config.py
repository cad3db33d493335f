"""Default configuration of my-site.

Loaded through the ``invenio_config.module`` entry point, after the defaults of
the Invenio packages; the instance's ``invenio.cfg`` and ``INVENIO_*``
environment variables override every value here.
"""

THEME_SITENAME = "my-site"
"""Name of the repository, shown in the header, page titles and e-mails."""

THEME_FRONTPAGE = True
"""Serve the front page of the site at ``/``."""

THEME_FRONTPAGE_TITLE = "my-site: research data, openly shared"
"""Title of the front page."""

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
        "default-src": ["'self'", "data:", "blob:", "'unsafe-inline'", "'unsafe-eval'"],
        "object-src": ["'none'"],
    },
    "content_security_policy_report_uri": None,
    "content_security_policy_report_only": False,
    "session_cookie_secure": True,
    "session_cookie_http_only": True,
}
"""HTTP security headers (Flask-Talisman); the React apps of InvenioRDM need
inline scripts and ``eval`` in their content security policy."""

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
