# shellcheck shell=bash disable=SC2154
# Rendered from my_site/deployment/settings.py by python -m my_site.deployment.generate:
# edit that file, not this one.
# The INVENIO_* settings that connect the app to the services. Sourced by
# export_invenio_env in scripts/lib.sh, whose db, vhost, prefix and redis_base
# choose the profile (the instance's or the tests').
export INVENIO_INSTANCE_PATH="${INSTANCE_DIR}"
export INVENIO_SECRET_KEY="${MY_SITE_SECRET_KEY}"
export INVENIO_SECURITY_PASSWORD_SALT="${MY_SITE_PASSWORD_SALT}"
export INVENIO_SQLALCHEMY_DATABASE_URI="postgresql+psycopg2://mysite:${MY_SITE_DB_PASSWORD}@${HOST}:${POSTGRES_PORT}/${db}"
export INVENIO_SEARCH_HOSTS="[{'host': '${HOST}', 'port': ${OPENSEARCH_PORT}}]"
export INVENIO_SEARCH_INDEX_PREFIX="${prefix}"
export INVENIO_CACHE_REDIS_URL="redis://:${MY_SITE_REDIS_PASSWORD}@${HOST}:${REDIS_PORT}/${redis_base}"
export INVENIO_IIIF_CACHE_REDIS_URL="redis://:${MY_SITE_REDIS_PASSWORD}@${HOST}:${REDIS_PORT}/${redis_base}"
export INVENIO_ACCOUNTS_SESSION_REDIS_URL="redis://:${MY_SITE_REDIS_PASSWORD}@${HOST}:${REDIS_PORT}/$((redis_base + 1))"
export INVENIO_CELERY_RESULT_BACKEND="redis://:${MY_SITE_REDIS_PASSWORD}@${HOST}:${REDIS_PORT}/$((redis_base + 2))"
export INVENIO_RATELIMIT_STORAGE_URI="redis://:${MY_SITE_REDIS_PASSWORD}@${HOST}:${REDIS_PORT}/$((redis_base + 3))"
export INVENIO_COMMUNITIES_IDENTITIES_CACHE_REDIS_URL="redis://:${MY_SITE_REDIS_PASSWORD}@${HOST}:${REDIS_PORT}/$((redis_base + 4))"
export INVENIO_BROKER_URL="amqp://mysite:${MY_SITE_MQ_PASSWORD}@${HOST}:${RABBITMQ_PORT}/${vhost}"
export INVENIO_CELERY_BROKER_URL="amqp://mysite:${MY_SITE_MQ_PASSWORD}@${HOST}:${RABBITMQ_PORT}/${vhost}"
export INVENIO_S3_ENDPOINT_URL="http://${HOST}:${S3_PORT}"
export INVENIO_S3_ACCESS_KEY_ID="${MY_SITE_S3_ACCESS_KEY}"
export INVENIO_S3_SECRET_ACCESS_KEY="${MY_SITE_S3_SECRET_KEY}"
