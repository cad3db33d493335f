# syntax=docker/dockerfile:1
#
# Application image of my-site: the base image (Dockerfile.base, the locked
# dependencies) plus the site package, the instance files and the built web
# assets. Runs as the unprivileged user "invenio"; holds no secrets (they come
# from INVENIO_* environment variables at run time, see docker-compose.full.yml).
#
#   docker build -f Dockerfile.base -t my-site-base:latest .
#   docker build --build-arg BASE_IMAGE=my-site-base:latest -t my-site:latest .
#
# Optional build arguments: PIP_INDEX_URL (to build the my_site package; pip's
# default index when unset) and NPM_CONFIG_REGISTRY (npm's default when unset).
#
# Commands (docker-compose.full.yml sets them per service):
#   uwsgi --ini /opt/invenio/var/instance/uwsgi_ui.ini     (default)
#   uwsgi --ini /opt/invenio/var/instance/uwsgi_rest.ini
#   celery --app invenio_app.celery worker | beat

ARG BASE_IMAGE=my-site-base:latest

FROM ${BASE_IMAGE}

ARG PIP_INDEX_URL
ARG NPM_CONFIG_REGISTRY

SHELL ["/bin/bash", "-o", "pipefail", "-c"]

WORKDIR /opt/invenio/src

# The site package, installed (not editable) into the base image's environment.
COPY setup.py README.rst ./
COPY my_site/ ./my_site/
RUN if [ -z "${PIP_INDEX_URL:-}" ]; then \
        PIP_INDEX_URL="$(python -c 'from pip._internal.models.index import PyPI; print(PyPI.simple_url)')"; \
    fi \
    && export PIP_INDEX_URL \
    && pybabel compile --directory my_site/translations \
    && pip install --no-cache-dir --no-deps . \
    && pip check \
    && rm -rf build ./*.egg-info

# Instance files: configuration (read-only for the application), uWSGI
# configurations, template overrides, vocabularies and fixtures. Secrets,
# var/ and .venv/ are never copied.
COPY invenio.cfg docker/uwsgi/uwsgi_base.ini docker/uwsgi/uwsgi_ui.ini docker/uwsgi/uwsgi_rest.ini ${INVENIO_INSTANCE_PATH}/
COPY templates/ ${INVENIO_INSTANCE_PATH}/templates/
COPY app_data/ ${INVENIO_INSTANCE_PATH}/app_data/
COPY --chown=invenio:invenio static/ ./static/
COPY --chown=invenio:invenio assets/ ./assets/

# The unprivileged user "invenio" (uid/gid 1000, created in Dockerfile.base);
# numeric so that "must run as non-root" policies can verify it.
USER 1000:1000

# Web assets, as scripts/bootstrap builds them: collect the static files, create
# the rspack project, add the instance's theme and templates, the committed npm
# overrides and lock file (npm ci: reproducible), build, then drop what only
# the build needs (in the same layer, so node_modules never reaches the image).
RUN if [ -z "${NPM_CONFIG_REGISTRY:-}" ]; then unset NPM_CONFIG_REGISTRY; fi \
    && project="${INVENIO_INSTANCE_PATH}/assets" \
    && invenio collect --verbose \
    && cp -rT ./static "${INVENIO_INSTANCE_PATH}/static" \
    && invenio webpack create \
    && cp -rT ./assets "${project}" \
    && if [ -s "${project}/npm-overrides.json" ]; then \
        python -c 'import json, sys; p, o = sys.argv[1:]; d = json.load(open(p)); d["overrides"] = json.load(open(o)); json.dump(d, open(p, "w"), indent=2)' \
            "${project}/package.json" "${project}/npm-overrides.json"; \
    fi \
    && if [ ! -s "${project}/package-lock.json" ]; then \
        echo "assets/package-lock.json is missing: run scripts/bootstrap and commit it" >&2; exit 1; \
    fi \
    && npm ci --prefix "${project}" --no-audit --no-fund --omit-lockfile-registry-resolved \
    && invenio webpack build \
    && test -s "${INVENIO_INSTANCE_PATH}/static/dist/manifest.json" \
    && rm -rf "${project}" /home/invenio/.npm

EXPOSE 5000

CMD ["uwsgi", "--ini", "/opt/invenio/var/instance/uwsgi_ui.ini"]
