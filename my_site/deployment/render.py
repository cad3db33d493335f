"""Render one of the deployment templates, for scripts/server.

Usage: ``python -m my_site.deployment.render [--docker] TEMPLATE [NAME=VALUE...]``
prints ``templates/TEMPLATE.j2`` rendered with the given values (strings);
with ``--docker`` the values of the Docker deployment come first and the
given ones override them (scripts/check-docker-files checks nginx's Docker
configuration that way). It does not load the Invenio application, so the
server starts without paying for it. An undefined value is an error, not an
empty string.
"""

import sys
from pathlib import Path

import click
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from .docker import VALUES as DOCKER_VALUES

TEMPLATES = Path(__file__).parent / "templates"


def render(template, values):
    """The template rendered with the values."""
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.get_template(f"{template}.j2").render(**values)


def parse_values(pairs):
    """``NAME=VALUE`` arguments as a dictionary."""
    values = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.isidentifier():
            raise click.BadParameter(f"'{pair}' is not NAME=VALUE", param_hint="VALUES")
        values[name] = value
    return values


@click.command()
@click.argument(
    "template",
    type=click.Choice(sorted(path.stem for path in TEMPLATES.glob("*.j2"))),
)
@click.argument("values", nargs=-1)
@click.option("--docker", is_flag=True, help="Start from the values of the Docker deployment.")
def main(template, values, docker):
    """Print TEMPLATE rendered with the NAME=VALUE pairs."""
    base = DOCKER_VALUES if docker else {}
    sys.stdout.write(render(template, {**base, **parse_values(values)}))


if __name__ == "__main__":
    main()
