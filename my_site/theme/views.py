"""UI blueprint of the theme: its templates and the front page's recent uploads."""

from flask import Blueprint, current_app, g
from invenio_rdm_records.proxies import current_rdm_records_service


def recent_uploads(size=5):
    """The newest public records the current visitor may see, newest first."""
    try:
        result = current_rdm_records_service.search(
            g.identity, params={"sort": "newest", "size": size, "page": 1}
        )
        hits = list(result.hits)
    except Exception:  # the front page must render even when search is down
        current_app.logger.exception("Could not list the recent uploads")
        return []
    return [
        {
            "id": hit["id"],
            "title": hit["metadata"].get("title", ""),
            "publication_date": hit["metadata"].get("publication_date", ""),
            "creators": [
                creator["person_or_org"].get("name", "")
                for creator in hit["metadata"].get("creators", [])
            ],
        }
        for hit in hits
    ]


def create_blueprint(app):
    """Blueprint that provides the theme's templates and template globals."""
    blueprint = Blueprint("my_site_theme", __name__, template_folder="templates")
    blueprint.add_app_template_global(recent_uploads, "my_site_recent_uploads")
    return blueprint
