"""The ``INVENIO_*`` settings that connect the application to its services, defined once.

Each setting's value is a pattern over a few names (where the database is,
its password, which Redis database...). The patterns are rendered three
times, each with its own values for the names: as the bash lines that
``export_invenio_env`` in scripts/lib.sh sources (the native stack), as the
``x-app-environment`` block of docker-compose.full.yml, and as the table in
docs/configuration.rst. ``python -m my_site.deployment.generate`` writes the
three; ``--check`` (run by scripts/check-docker-files) fails when one is stale.
"""

from string import Formatter

SETTINGS = (
    ("INSTANCE_PATH", "{instance_path}", "the instance folder (static files, uploads)"),
    ("SECRET_KEY", "{secret_key}", "signs sessions, cookies and tokens"),
    ("SECURITY_PASSWORD_SALT", "{password_salt}", "salts the hashes of passwords"),
    (
        "SQLALCHEMY_DATABASE_URI",
        "postgresql+psycopg2://{db_user}:{db_password}@{db_address}/{db_name}",
        "PostgreSQL",
    ),
    ("SEARCH_HOSTS", "[{{'host': '{search_host}', 'port': {search_port}}}]", "OpenSearch"),
    ("SEARCH_INDEX_PREFIX", "{index_prefix}", "OpenSearch: prefix of the index names"),
    ("CACHE_REDIS_URL", "{redis}/{redis_db0}", "Redis: the cache"),
    ("IIIF_CACHE_REDIS_URL", "{redis}/{redis_db0}", "Redis: the cache of IIIF images"),
    ("ACCOUNTS_SESSION_REDIS_URL", "{redis}/{redis_db1}", "Redis: login sessions"),
    ("CELERY_RESULT_BACKEND", "{redis}/{redis_db2}", "Redis: results of Celery tasks"),
    ("RATELIMIT_STORAGE_URI", "{redis}/{redis_db3}", "Redis: rate-limit counters"),
    ("COMMUNITIES_IDENTITIES_CACHE_REDIS_URL", "{redis}/{redis_db4}", "Redis: community memberships"),
    ("BROKER_URL", "{amqp}", "RabbitMQ"),
    ("CELERY_BROKER_URL", "{amqp}", "RabbitMQ: Celery's broker"),
    ("S3_ENDPOINT_URL", "{s3_endpoint}", "the S3 object store (used when the files location is on S3)"),
    ("S3_ACCESS_KEY_ID", "{s3_access_key}", "the S3 object store: access key"),
    ("S3_SECRET_ACCESS_KEY", "{s3_secret_key}", "the S3 object store: secret key"),
)
"""Each setting (without its ``INVENIO_`` prefix), its value's pattern and what it is for."""

NATIVE = {
    "instance_path": "${INSTANCE_DIR}",
    "secret_key": "${MY_SITE_SECRET_KEY}",
    "password_salt": "${MY_SITE_PASSWORD_SALT}",
    "db_user": "mysite",
    "db_password": "${MY_SITE_DB_PASSWORD}",
    "db_address": "${HOST}:${POSTGRES_PORT}",
    "db_name": "${db}",
    "search_host": "${HOST}",
    "search_port": "${OPENSEARCH_PORT}",
    "index_prefix": "${prefix}",
    "redis": "redis://:${MY_SITE_REDIS_PASSWORD}@${HOST}:${REDIS_PORT}",
    **{f"redis_db{n}": f"$((redis_base + {n}))" if n else "${redis_base}" for n in range(5)},
    "amqp": "amqp://mysite:${MY_SITE_MQ_PASSWORD}@${HOST}:${RABBITMQ_PORT}/${vhost}",
    "s3_endpoint": "http://${HOST}:${S3_PORT}",
    "s3_access_key": "${MY_SITE_S3_ACCESS_KEY}",
    "s3_secret_key": "${MY_SITE_S3_SECRET_KEY}",
}
"""Bash expressions over scripts/lib.sh's variables (``db``, ``vhost``, ``prefix`` and
``redis_base`` are the profile's: the instance's or the tests')."""


def required(name, what):
    """A docker compose variable that must be set, with a message when it is not."""
    return f"${{{name}:?set {name}{f' ({what})' if what else ''}}}"


DOCKER = {
    "instance_path": "/opt/invenio/var/instance",
    "secret_key": required("INVENIO_SECRET_KEY", "a long random string"),
    "password_salt": required("INVENIO_SECURITY_PASSWORD_SALT", "a random string"),
    "db_user": required("POSTGRES_USER", ""),
    "db_password": required("POSTGRES_PASSWORD", ""),
    "db_address": "db:5432",
    "db_name": required("POSTGRES_DB", ""),
    "search_host": "search",
    "search_port": "9200",
    "index_prefix": "",
    "redis": f"redis://:{required('REDIS_PASSWORD', '')}@cache:6379",
    **{f"redis_db{n}": str(n) for n in range(5)},
    "amqp": (
        f"amqp://{required('RABBITMQ_DEFAULT_USER', '')}:{required('RABBITMQ_DEFAULT_PASS', '')}"
        "@mq:5672/${RABBITMQ_DEFAULT_VHOST:-/}"
    ),
    "s3_endpoint": None,
    "s3_access_key": None,
    "s3_secret_key": None,
}
"""docker-compose.full.yml's services and the variables of its ``.env`` file (None: not
set there; its files stay in the ``files_data`` volume)."""


def rendered(values):
    """Each setting's full name and its value with ``values`` (None where a value is None)."""
    return [
        (f"INVENIO_{key}", None if any(values[name] is None for name in names(pattern)) else pattern.format(**values))
        for key, pattern, _ in SETTINGS
    ]


def names(pattern):
    """The names a pattern uses."""
    return [name for _, name, _, _ in Formatter().parse(pattern) if name]
