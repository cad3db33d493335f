"""Fixtures shared by the api, ui and e2e tiers.

Tests run against the real PostgreSQL, OpenSearch, Redis and RabbitMQ started
by ``scripts/services``, with the test profile of ``scripts/lib.sh``: their own
database (mysite_test), index prefix (``test-``), Redis databases and RabbitMQ
virtual host, and their own instance folder (var/test-instance), so running
the tests never touches the instance's data.
"""

import os
import socket
import subprocess
from pathlib import Path

import pytest
from record_data import make_record_data

REPO_ROOT = Path(__file__).resolve().parents[1]
TEST_INSTANCE = REPO_ROOT / "var" / "test-instance"
BUILT_STATIC = REPO_ROOT / "var" / "instance" / "static"


def _load_test_environment():
    """Export the test profile's settings (service URLs with their secrets)."""
    script = ". scripts/lib.sh && export_invenio_env test && env -0"
    output = subprocess.run(
        ["bash", "-c", script], cwd=REPO_ROOT, check=True, capture_output=True
    ).stdout.decode()
    for line in filter(None, output.split("\0")):
        key, _, value = line.partition("=")
        if key.startswith("INVENIO_") or key in {
            "SQLALCHEMY_DATABASE_URI",
            "SEARCH_INDEX_PREFIX",
            "BROKER_URL",
            "CELERY_BROKER_URL",
            "CACHE_REDIS_URL",
        }:
            os.environ[key] = value


def _prepare_test_instance():
    """Link the instance's configuration, templates and built assets."""
    TEST_INSTANCE.mkdir(parents=True, exist_ok=True)
    links = {
        "invenio.cfg": REPO_ROOT / "invenio.cfg",
        "templates": REPO_ROOT / "templates",
        "app_data": REPO_ROOT / "app_data",
        "static": BUILT_STATIC,
    }
    for name, target in links.items():
        link = TEST_INSTANCE / name
        if not link.is_symlink():
            link.symlink_to(target)


def pytest_addoption(parser):
    """``--base-url``: the smoke tests go through a running site instead of the test client."""
    parser.addoption(
        "--base-url",
        help="send the requests of the `client` fixture over HTTPS to this URL, e.g. the "
        "production stack of `scripts/server --production --profile test`",
    )


class HttpResponse:
    """A real HTTP response, read like a Flask test client's."""

    def __init__(self, response):
        """Wrap a requests response."""
        self.status_code = response.status_code
        self.headers = response.headers
        self.data = response.content
        self._response = response

    @property
    def json(self):
        """The JSON body, or None."""
        try:
            return self._response.json()
        except ValueError:
            return None

    def get_data(self, as_text=False):
        """The body, as text if asked."""
        return self._response.text if as_text else self.data


class HttpClient:
    """The part of Flask's test client the tests use, over real HTTPS."""

    def __init__(self, base_url):
        """Talk to base_url, trusting the instance's own certificate."""
        import requests

        self.base_url = base_url.rstrip("/")
        self.session = requests.Session()
        self.certificate = str(REPO_ROOT / "var" / "tls" / "cert.pem")

    def open(self, method, path, query_string=None, **kwargs):
        """Send one request (redirects are returned, not followed)."""
        response = self.session.request(
            method,
            self.base_url + path,
            params=query_string,
            allow_redirects=False,
            timeout=60,
            verify=self.certificate,  # per request: REQUESTS_CA_BUNDLE would win over the session's
            **kwargs,
        )
        return HttpResponse(response)

    def get(self, path, **kwargs):
        """GET path."""
        return self.open("GET", path, **kwargs)

    def post(self, path, **kwargs):
        """POST to path."""
        return self.open("POST", path, **kwargs)

    def put(self, path, **kwargs):
        """PUT to path."""
        return self.open("PUT", path, **kwargs)


@pytest.fixture()
def client(app, request):
    """The test client, or with ``--base-url`` a real HTTPS client of that site."""
    base_url = request.config.getoption("--base-url")
    if base_url:
        yield HttpClient(base_url)
    else:
        with app.test_client() as test_client:
            yield test_client


def pytest_configure(config):
    """Point the tests at the test profile before any application is made."""
    _load_test_environment()
    _prepare_test_instance()


@pytest.fixture(scope="module")
def instance_path():
    """The test instance folder, with the instance's built web assets."""
    os.environ["INVENIO_INSTANCE_PATH"] = str(TEST_INSTANCE)
    os.environ["INVENIO_STATIC_FOLDER"] = str(BUILT_STATIC)
    return str(TEST_INSTANCE)


@pytest.fixture(scope="module")
def app_config(app_config):
    """Test application configuration on top of pytest-invenio's."""
    app_config["THEME_FRONTPAGE"] = True
    app_config["RDM_RECORDS_ALLOW_RESTRICTION_AFTER_GRACE_PERIOD"] = True
    app_config["DATACITE_ENABLED"] = False  # tests never register DOIs, whatever invenio.cfg says
    return app_config


@pytest.fixture(scope="module")
def app(app):
    """Give each test module the application with an empty cache.

    Every module has its own database, so vocabularies or identities cached by
    an earlier module must not leak into it.
    """
    from invenio_cache import current_cache

    current_cache.clear()
    return app


@pytest.fixture(scope="module")
def create_app(instance_path, entry_points):
    """The full application (UI with the REST API mounted under /api)."""
    from invenio_app.factory import create_app as _create_app

    return _create_app


@pytest.fixture(scope="module")
def static_pages(app, database):
    """The static pages of app_data/pages.yaml, as scripts/setup loads them."""
    from invenio_app_rdm.fixtures import Pages

    Pages().run(force=True)


@pytest.fixture(scope="module")
def resource_types(app):
    """The resource-type vocabulary a minimal record needs."""
    from invenio_access.permissions import system_identity
    from invenio_search import current_search
    from invenio_vocabularies.proxies import current_service

    current_service.create_type(system_identity, "resourcetypes", "rsrct")
    current_service.create(
        system_identity,
        {
            "id": "dataset",
            "icon": "table",
            "type": "resourcetypes",
            "title": {"en": "Dataset"},
            "tags": ["depositable", "linkable"],
            "props": {
                "csl": "dataset",
                "datacite_general": "Dataset",
                "datacite_type": "",
                "openaire_resourceType": "21",
                "openaire_type": "dataset",
                "eurepo": "info:eu-repo/semantics/other",
                "schema.org": "https://schema.org/Dataset",
                "subtype": "",
                "type": "dataset",
                "marc21_type": "dataset",
                "marc21_subtype": "",
            },
        },
    )
    current_search.flush_and_refresh("vocabularies")


@pytest.fixture(scope="module")
def instruments(app, resource_types, cli_runner):
    """The instance's instrument vocabulary and its custom-field mappings."""
    from invenio_access.permissions import system_identity
    from invenio_rdm_records.cli import create_records_custom_field
    from invenio_search import current_search
    from invenio_vocabularies.proxies import current_service

    current_service.create_type(system_identity, "instruments", "ins")
    for id_, title in [("lidar-uav", "UAV-mounted lidar scanner"), ("mass-spectrometer", "Isotope-ratio mass spectrometer")]:
        current_service.create(
            system_identity, {"id": id_, "type": "instruments", "title": {"en": title}}
        )
    current_search.flush_and_refresh("vocabularies")
    result = cli_runner(create_records_custom_field)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def subjects(app, tmp_path_factory):
    """Load the OECD Fields of Science of app_data as setup does, with its batched loader."""
    import yaml
    from invenio_search import current_search

    from my_site.setup.vocabularies import BatchedVocabulariesFixtures

    listing = yaml.safe_load((REPO_ROOT / "app_data" / "vocabularies.yaml").read_text())
    folder = tmp_path_factory.mktemp("subjects")
    for scheme in listing["subjects"]["schemes"]:
        scheme["data-file"] = str(REPO_ROOT / "app_data" / scheme["data-file"])
    (folder / "vocabularies.yaml").write_text(yaml.safe_dump({"subjects": listing["subjects"]}))
    loader = BatchedVocabulariesFixtures(report=lambda line: None)
    loader.load_vocabularies(folder / "vocabularies.yaml")
    current_search.flush_and_refresh("subjects")
    return loader.created


RDM_VOCABULARIES = (
    "creatorsroles",
    "contributorsroles",
    "descriptiontypes",
    "datetypes",
    "relationtypes",
    "titletypes",
    "removalreasons",
    "communitytypes",
)
LICENSES = {"cc-by-4.0", "cc0-1.0", "mit"}


@pytest.fixture(scope="module")
def rdm_vocabularies(app, resource_types):
    """The small vocabularies of InvenioRDM and a few licences, as the deposit form needs."""
    from importlib.resources import files

    from invenio_access.permissions import system_identity
    from invenio_rdm_records.fixtures.vocabularies import VocabulariesFixture
    from invenio_search import current_search
    from invenio_vocabularies.proxies import current_service

    fixture_file = files("invenio_rdm_records.fixtures") / "data" / "vocabularies.yaml"
    for vocabulary, entry in VocabulariesFixture(system_identity, fixture_file).read():
        if vocabulary in RDM_VOCABULARIES:
            entry.load(system_identity, delay=False)
        elif vocabulary == "licenses":
            current_service.create_type(system_identity, "licenses", "lic")
            for licence in entry.iterate(set()):
                if licence["id"] in LICENSES:
                    current_service.create(system_identity, licence)
    current_search.flush_and_refresh("vocabularies")


@pytest.fixture()
def record_data():
    """Metadata of a minimal public dataset, with files."""
    return make_record_data("Glacier melt measurements from the Aletsch station", "Lovelace")


@pytest.fixture(scope="module")
def publish_record(app, location, instruments, owner):
    """Publish a metadata-only record as the owner, searchable at once."""
    from invenio_rdm_records.proxies import current_rdm_records_service
    from invenio_search import current_search

    def publish(title, family_name, custom_fields=None, access="public"):
        data = make_record_data(
            title, family_name, custom_fields=custom_fields, files=False, access=access
        )
        draft = current_rdm_records_service.create(owner.identity, data)
        record = current_rdm_records_service.publish(owner.identity, draft.id)
        current_search.flush_and_refresh("rdmrecords-records")
        return record

    return publish


@pytest.fixture(scope="module")
def owner(app, database, UserFixture):
    """A confirmed user who owns the records the tests create, approved by the moderators.

    Approved, the owner's uploads open no moderation request (tests/api/test_moderation.py
    follows one of a new user).
    """
    from invenio_access.permissions import system_identity
    from invenio_users_resources.proxies import current_users_service

    user = UserFixture(email="owner@example.org", password="owner-test-password").create(
        app, database
    )
    current_users_service.approve(system_identity, user.id)
    return user


def personal_token(database, user, name):
    """A personal access token of ``user`` for the REST API."""
    from invenio_oauth2server.models import Token

    token = Token.create_personal(name, user.id, scopes=[], is_internal=False)
    database.session.commit()
    return token.access_token


def json_headers(token):
    """Headers of REST API calls with the bearer ``token``."""
    return {
        "Authorization": f"Bearer {token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }


@pytest.fixture(scope="module")
def headers_of(database):
    """Make the REST API headers of a user, with a new personal token of the ``name``."""

    def headers(user, name):
        return json_headers(personal_token(database, user, name))

    return headers


@pytest.fixture(scope="module")
def owner_token(app, database, owner):
    """A personal access token of the owner, for the REST API."""
    return personal_token(database, owner.user, "tests")


@pytest.fixture(scope="module")
def admin(app, database, UserFixture):
    """A user with the admin role, which has superuser access (as scripts/setup makes it)."""
    from invenio_access.models import ActionRoles
    from invenio_access.permissions import superuser_access
    from invenio_accounts.proxies import current_datastore
    from invenio_cache import current_cache

    user = UserFixture(email="boss@example.org", password="correct horse battery staple").create(
        app, database
    )
    role = current_datastore.find_or_create_role(name="admin")
    database.session.add(ActionRoles.allow(superuser_access, role=role))
    current_datastore.add_role_to_user(user.user, role)
    database.session.commit()
    current_cache.clear()  # no permission cached before the admin existed
    return user


@pytest.fixture(scope="module")
def admin_auth(app, database, admin):
    """Headers of the admin's REST API calls (a personal access token)."""
    return json_headers(personal_token(database, admin.user, "tests-admin"))


@pytest.fixture()
def auth(owner_token):
    """Headers of the owner's REST API calls."""
    return json_headers(owner_token)


@pytest.fixture(scope="module")
def run_script(database):
    """Run a script of scripts/ as an operator does; check its exit status and return the process.

    The tests' own pooled connections are closed first (the script may
    replace or lock the tables); the session's objects stay usable.
    """
    from my_site.setup.forking import release_connections

    def run(*args, status=0):
        release_connections()
        result = subprocess.run(
            [str(REPO_ROOT / "scripts" / args[0]), *args[1:]],
            stdin=subprocess.DEVNULL,  # no terminal: a script that would ask stops instead
            capture_output=True,
            text=True,
            timeout=900,
        )
        assert result.returncode == status, f"{args}:\n{result.stdout}\n{result.stderr}"
        return result

    return run


@pytest.fixture(scope="session")
def live_server_settings(pytestconfig):
    """The settings that point the application's links at pytest-flask's live server.

    Its address comes from ``--live-server-host`` and ``--live-server-port``
    (pytest.ini); a module that uses the live server adds these to its
    ``app_config``.
    """
    host = pytestconfig.getoption("live_server_host")
    port = pytestconfig.getoption("live_server_port")
    url = f"http://{host}:{port}"
    return {"SERVER_NAME": f"{host}:{port}", "SITE_UI_URL": url, "SITE_API_URL": f"{url}/api"}


@pytest.fixture(scope="module")
def unshared_connections(app):
    """Close the pooled database, search and broker connections before a fork.

    The live server is a forked process: a socket open at the fork would be
    shared by both processes, and kombu's after-fork clean-up in the child
    would shut down the tests' own RabbitMQ connections.
    """
    from my_site.setup.forking import release_connections

    release_connections()


@pytest.fixture(scope="module")
def free_live_server_port(pytestconfig):
    """Fail loudly when something already listens on the live server's port.

    pytest-flask would take that program for its server and run the tests
    against it.
    """
    host = pytestconfig.getoption("live_server_host")
    port = pytestconfig.getoption("live_server_port")
    with socket.socket() as probe:
        if probe.connect_ex((host, port)) == 0:
            pytest.fail(f"something already listens on {host}:{port}, the live server's port: stop it")


@pytest.fixture(scope="module")
def live_server(free_live_server_port, unshared_connections, live_server):
    """pytest-flask's live server, forked with no connection of the tests' own.

    At the end of the module it is stopped, and killed if it outlives the stop,
    so that the next module's server gets the port.
    """
    yield live_server
    process = live_server._process
    live_server.stop()
    if process is not None and process.is_alive():
        process.kill()
        process.join(10)


@pytest.fixture(scope="module")
def index_templates(search):
    """The index templates of the tests' prefix, as ``invenio index init`` puts them.

    pytest-invenio creates the indices only; audit logs and job logs are data
    streams, which need their templates (a write without them makes a plain
    index that their searches never read).
    """
    from invenio_search import current_search

    for pattern in ("auditlog", "job-logs"):
        name = f"{os.environ['SEARCH_INDEX_PREFIX']}{pattern}*"
        search.indices.delete_data_stream(name=name, ignore=[404])
        search.indices.delete(index=name, ignore=[404])
    list(current_search.put_component_templates(ignore=[400]))
    list(current_search.put_index_templates(ignore=[400]))
