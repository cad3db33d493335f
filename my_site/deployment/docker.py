"""The Docker deployment's files that are rendered from the deployment templates.

Usage: ``python -m my_site.deployment.docker [--check]``

Writes ``docker/nginx/nginx.conf`` and ``docker/nginx/conf.d/default.conf``
(which docker-compose.full.yml mounts into the nginx container) from the same
templates scripts/server renders natively, with the values of the Docker
deployment below. ``--check`` writes nothing and fails, naming the files,
when a committed file differs from its template (scripts/check-docker-files
runs it).
"""

import sys
from pathlib import Path

import click

from .render import render

REPO_ROOT = Path(__file__).resolve().parents[2]

VALUES = {
    "rendered_by": "python -m my_site.deployment.docker",
    # nginx.conf: the official nginx image's paths and user.
    "user": "nginx",
    "conf_dir": "/etc/nginx",
    "log_dir": "/var/log/nginx",
    "pid_file": "/var/run/nginx.pid",
    "temp_dir": "",
    # nginx-site.conf: docker-compose.full.yml's services and volumes.
    "ui_upstream": "web-ui:5000",
    "api_upstream": "web-api:5000",
    "http_listen": "80",
    "https_listen": "443",
    "proxy_protocol_listen": "8443",
    "public_host": "$host",
    "tls_certificate": "/etc/nginx/tls/tls.crt",
    "tls_key": "/etc/nginx/tls/tls.key",
    "tls_origin": "mounted, or made at the container's start by generate-self-signed-cert.sh",
    "static_root": "/opt/invenio/var/instance",
    "cache_dir": "/var/cache/nginx",
    "cache_seconds": "10",
}
"""The values of the Docker deployment (``render --docker`` starts from them)."""

FILES = {
    "nginx.conf": "docker/nginx/nginx.conf",
    "nginx-site.conf": "docker/nginx/conf.d/default.conf",
}
"""Each template rendered for Docker, and the file it becomes."""


@click.command()
@click.option("--check", is_flag=True, help="Compare only; fail when a file differs from its template.")
def main(check):
    """Write (or with --check compare) the Docker files rendered from the templates."""
    stale = []
    for template, path in FILES.items():
        target, text = REPO_ROOT / path, render(template, VALUES)
        if check:
            if not target.exists() or target.read_text() != text:
                stale.append(path)
        else:
            target.write_text(text)
            click.echo(f"Wrote {path}.")
    if stale:
        click.echo(
            f"Not rendered from their templates: {', '.join(stale)}. Edit the templates in "
            "my_site/deployment/templates/, then run: python -m my_site.deployment.docker",
            err=True,
        )
        sys.exit(1)


if __name__ == "__main__":
    main()
