"""Scripts the content security policy lets run, without ``'unsafe-inline'``.

A few of InvenioRDM's templates hold inline scripts (the MathJax settings of
invenio-theme's page when ``THEME_MATHJAX_CDN`` is set; Flask-Admin's select2 shim);
no page InvenioRDM 14 renders by default has one. Instead of ``'unsafe-inline'``,
``script-src`` lists the
SHA-256 hash of each inline script whose text holds no Jinja code, computed from the
installed templates when the app starts, so an upgrade that changes such a script needs
no edit here. A script built from template values (invenio-oauthclient's pop-up message)
could carry injected text: it gets no hash and the browser refuses to run it.

When files can be on an S3 object store (``S3_ENDPOINT_URL`` is set), its endpoint
joins ``default-src`` and ``img-src``: downloads are redirected there, and previews
and images load from there.
"""

import base64
import hashlib
import re

INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script>", re.DOTALL | re.IGNORECASE
)
JINJA_MARKS = ("{{", "{%", "{#")

allowed_hashes = set()
"""Hashes from every app built in this process: the UI and REST apps share one Talisman."""


def script_hash(text):
    """The CSP source that lets an inline script with this exact text run."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def static_inline_scripts(app):
    """The text of every inline script without Jinja code in the app's templates."""
    loaders = [app.jinja_loader, *(bp.jinja_loader for bp in app.iter_blueprints())]
    for loader in filter(None, loaders):
        for name in loader.list_templates():
            if name.endswith(".html"):
                source = loader.get_source(app.jinja_env, name)[0]
                for text in INLINE_SCRIPT.findall(source):
                    if not any(mark in text for mark in JINJA_MARKS):
                        yield text


def with_s3_endpoint(policy, endpoint):
    """The policy letting pages load from the S3 object store too (file previews, images)."""
    if not endpoint:
        return policy
    return {
        **policy,
        **{directive: [*policy.get(directive, []), endpoint] for directive in ("default-src", "img-src")},
    }


def finalize_app(app):
    """Give the policy's ``script-src`` the inline scripts' hashes, and the S3 endpoint if any."""
    talisman = app.extensions["invenio-app"].talisman
    configured = app.config["APP_DEFAULT_SECURE_HEADERS"]["content_security_policy"]
    if talisman is None or not isinstance(configured, dict):
        return
    allowed_hashes.update(map(script_hash, static_inline_scripts(app)))
    script_sources = configured.get("script-src", ["'self'"])
    talisman.content_security_policy = {
        **with_s3_endpoint(configured, app.config.get("S3_ENDPOINT_URL")),
        "script-src": [*script_sources, *sorted(allowed_hashes)],
    }
