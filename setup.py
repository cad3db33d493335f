"""The my-site InvenioRDM instance package."""

from setuptools import find_packages, setup

setup(
    name="my-site",
    version="0.1.0",
    description="my-site: a research-data repository built on InvenioRDM.",
    long_description=open("README.rst", encoding="utf-8").read(),
    license="MIT",
    packages=find_packages(include=["my_site", "my_site.*"]),
    include_package_data=True,
    zip_safe=False,
    python_requires=">=3.11",
    install_requires=[
        "invenio-app-rdm[opensearch2]>=14.0.5,<15.0.0",
        "jsonschema-rs>=0.20",
    ],
    entry_points={
        "invenio_config.module": ["my_site = my_site.config"],
        "flask.commands": ["my-site = my_site.cli:my_site"],
        "invenio_base.blueprints": ["my_site_theme = my_site.theme.views:create_blueprint"],
        "invenio_base.api_blueprints": ["my_site_health = my_site.health.views:create_api_blueprint"],
        "invenio_celery.tasks": [
            "my_site_fixity = my_site.fixity.tasks",
            "my_site_moderation = my_site.moderation.tasks",
            "my_site_maintenance = my_site.maintenance.tasks",
        ],
        "invenio_assets.webpack": ["my_site_theme = my_site.theme.webpack:theme"],
        "invenio_i18n.translations": ["messages = my_site"],
        "invenio_base.finalize_app": [
            "my_site_outages = my_site.outages.ext:finalize_ui_app",
            "my_site_mail = my_site.mail.outbox:finalize_app",
            "my_site_bad_input = my_site.bad_input.ext:register",
            "my_site_content_policy = my_site.content_policy.ext:finalize_app",
            "my_site_sessions = my_site.performance.sessions:finalize_app",
        ],
        "invenio_base.api_finalize_app": [
            "my_site_outages = my_site.outages.ext:finalize_api_app",
            "my_site_mail = my_site.mail.outbox:finalize_app",
            "my_site_bad_input = my_site.bad_input.ext:register_api",
            "my_site_conflicts = my_site.conflicts.ext:register_api",
            "my_site_uploads = my_site.uploads.ext:register_api",
            "my_site_content_policy = my_site.content_policy.ext:finalize_app",
        ],
    },
)
