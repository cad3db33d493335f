"""The committed files rendered from the deployment's templates and settings.

Usage: ``python -m my_site.deployment.generate [--check]``

Writes, from the same sources scripts/server renders natively:

- ``docker/nginx/nginx.conf`` and ``docker/nginx/conf.d/default.conf`` (which
  docker-compose.full.yml mounts into the nginx container), from nginx's
  templates with the Docker deployment's values;
- the ``INVENIO_*`` service settings (:mod:`my_site.deployment.settings`) as
  ``scripts/service-settings.sh`` (sourced by scripts/lib.sh), as the
  ``x-app-environment`` block of ``docker-compose.full.yml`` and as
  ``docs/service-settings.inc`` (included by docs/configuration.rst).

``--check`` writes nothing and fails, naming the files, when a committed file
differs from its rendering (scripts/check-docker-files runs it).
"""

import re
import sys
from functools import cache
from pathlib import Path

import click

from . import settings
from .docker import VALUES
from .render import render

REPO_ROOT = Path(__file__).resolve().parents[2]
COMMAND = "python -m my_site.deployment.generate"
BLOCK = re.compile(r"^# ---- rendered by .*?^# ---- end of the rendered block ----\n", re.M | re.S)


@cache
def settings_values():
    """What the service-settings templates are rendered with."""
    native, docker = settings.rendered(settings.NATIVE), settings.rendered(settings.DOCKER)
    return {
        "rendered_by": COMMAND,
        "native": native,
        "docker": docker,
        "rows": [
            (name, what, native_value, docker_value)
            for (_, _, what), (name, native_value), (_, docker_value) in zip(settings.SETTINGS, native, docker)
        ],
    }


def compose_file(current):
    """docker-compose.full.yml with its block of service settings rendered anew."""
    block = render("compose-environment.yml", settings_values())
    if not BLOCK.search(current):
        raise click.ClickException("docker-compose.full.yml has lost the markers of its rendered block")
    return BLOCK.sub(lambda _: block, current, count=1)


FILES = {
    "docker/nginx/nginx.conf": lambda _: render("nginx.conf", VALUES),
    "docker/nginx/conf.d/default.conf": lambda _: render("nginx-site.conf", VALUES),
    "scripts/service-settings.sh": lambda _: render("service-settings.sh", settings_values()),
    "docs/service-settings.inc": lambda _: render("service-settings.inc", settings_values()),
    "docker-compose.full.yml": compose_file,
}
"""Each committed file and how it is rendered from its current text."""


@click.command()
@click.option("--check", is_flag=True, help="Compare only; fail when a file differs from its rendering.")
def main(check):
    """Write (or with --check compare) the files rendered from the deployment's sources."""
    stale = []
    for path, rendering in FILES.items():
        target = REPO_ROOT / path
        current = target.read_text() if target.exists() else ""
        text = rendering(current)
        if check:
            if current != text:
                stale.append(path)
        elif current != text:
            target.write_text(text)
            click.echo(f"Wrote {path}.")
    if stale:
        click.echo(
            f"Not rendered from their sources: {', '.join(stale)}. Edit the templates in "
            f"my_site/deployment/templates/ or my_site/deployment/settings.py, then run: {COMMAND}",
            err=True,
        )
        sys.exit(1)
    if not check:
        click.echo("The rendered files are up to date.")


if __name__ == "__main__":
    main()
