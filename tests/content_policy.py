"""Reading a Content-Security-Policy header and the inline scripts it must allow."""

import re

from my_site.content_policy.ext import INLINE_SCRIPT, script_hash

DATA_BLOCK = re.compile(r"<script\b[^>]*\btype=[\"']application/ld\+json", re.IGNORECASE)


def content_security_policy(header):
    """The directives of a Content-Security-Policy header, as {name: [sources]}."""
    directives = (directive.split() for directive in header.split(";") if directive.strip())
    return {name: sources for name, *sources in directives}


def inline_script_hashes(html):
    """The hash of each inline script a page runs (JSON-LD data blocks do not run)."""
    return {
        script_hash(match.group(1))
        for match in INLINE_SCRIPT.finditer(html)
        if not DATA_BLOCK.match(match.group(0))
    }
