"""Handlers that turn an unreachable service into a 503 answer."""


from flask import Blueprint, current_app, jsonify, request
from invenio_search import current_search_client
from werkzeug.exceptions import InternalServerError

from .errors import SERVICE_ERRORS, unavailable_service

RETRY_AFTER_SECONDS = 30
MESSAGE = (
    "The service is temporarily unavailable: one of the systems it depends on "
    "cannot be reached. Please try again in a few minutes."
)
WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _log(service, error):
    current_app.logger.error("Answering 503: the %s service is unavailable (%r)", service, error)


def json_unavailable(service, error):
    """The REST API's 503 answer."""
    _log(service, error)
    response = jsonify({"status": 503, "message": MESSAGE})
    response.status_code = 503
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def page_unavailable(service, error):
    """The UI's 503 page, rendered without the database, the session or search.

    The template is rendered by Jinja directly: Flask's context processors
    would load the current user from the session (Redis, the database).
    """
    _log(service, error)
    html = current_app.jinja_env.get_template("my_site/unavailable.html").render(
        sitename=current_app.config.get("THEME_SITENAME", "my-site"),
        message=MESSAGE,
        path=request.path,
    )
    return html, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}


def register_handlers(app, answer):
    """Answer with ``answer`` for service errors, directly raised or behind a 500."""
    previous_500 = app.error_handler_spec[None][500].get(InternalServerError)

    def handle_service_error(error):
        return answer(unavailable_service(error) or "unknown", error)

    def handle_internal_error(error):
        service = unavailable_service(error)
        if service:
            return answer(service, error)
        return previous_500(error) if previous_500 else error

    for classes in SERVICE_ERRORS.values():
        for cls in classes:
            app.register_error_handler(cls, handle_service_error)
    app.register_error_handler(InternalServerError, handle_internal_error)


def refuse_writes_while_search_is_down():
    """Refuse a REST API write before anything is stored when search cannot be reached.

    A record committed to the database while search is down would be missing
    from search (and from the user's uploads) after recovery.
    """
    if request.method in WRITE_METHODS and not current_search_client.ping(request_timeout=2):
        return json_unavailable("search", "ping failed before a write")


def finalize_ui_app(app):
    """Register the UI's 503 page (and the folder of its template)."""
    app.register_blueprint(Blueprint("my_site_outages", __name__, template_folder="templates"))
    register_handlers(app, page_unavailable)


def finalize_api_app(app):
    """Register the REST API's 503 answers and the write guard."""
    register_handlers(app, json_unavailable)
    app.before_request(refuse_writes_while_search_is_down)
