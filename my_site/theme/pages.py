"""The static pages' routes, read from the instance's ``app_data/pages.yaml``."""

from pathlib import Path

import yaml


def page_routes(pages_file):
    """``APP_RDM_PAGES`` for the pages of ``pages_file``: endpoint name to URL.

    InvenioRDM serves a page only when its URL is registered as a route; the
    endpoint is the URL's path without slashes (``/about`` becomes ``about``).
    """
    pages = yaml.safe_load(Path(pages_file).read_text(encoding="utf-8")) or []
    return {page["url"].strip("/").replace("/", "-"): page["url"] for page in pages}
