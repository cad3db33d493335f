"""Default configuration of my-site (entry point ``invenio_config.module``)."""
