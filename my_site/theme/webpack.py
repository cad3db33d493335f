"""Web assets of the theme: the front page's styles (bundle ``my-site-theme``)."""

from invenio_assets.webpack import WebpackThemeBundle

theme = WebpackThemeBundle(
    __name__,
    "assets",
    default="semantic-ui",
    themes={
        "semantic-ui": dict(
            entry={"my-site-theme": "./less/my_site/theme.less"},
            dependencies={},
            aliases={},
        )
    },
)
"""The bundle registered through the ``invenio_assets.webpack`` entry point."""
