"""Sphinx configuration of the my-site documentation.

Build it from the project's environment (``.venv``), where ``my_site`` is
installed, with ``sphinx-build -W --keep-going -b html docs <output>``: the
API and configuration pages are generated from the docstrings. No extension
used here needs the network.
"""

import importlib
import inspect
import os
import sys

import click
from docutils import nodes
from docutils.statemachine import StringList
from sphinx.pycode import ModuleAnalyzer
from sphinx.util.docutils import SphinxDirective

sys.path.insert(0, os.path.abspath(".."))

from my_site import __version__  # noqa: E402

project = "my-site"
author = "The my-site developers"
copyright = "2026, The my-site developers"
version = __version__
release = __version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.doctest",
    "sphinx.ext.viewcode",
]

autodoc_default_options = {"member-order": "bysource"}
autodoc_typehints = "description"

exclude_patterns = ["_build", "Thumbs.db", ".DS_Store"]
root_doc = "index"
language = "en"
pygments_style = "sphinx"

html_theme = "alabaster"
html_title = f"my-site {release}"
html_show_sourcelink = False

# Settings whose value is longer than this are shown without it (facets, the
# beat schedule, security headers...); my_site/config.py shows them whole.
SETTING_VALUE_MAX_LENGTH = 72


class SettingsDirective(SphinxDirective):
    """``.. settings:: module``: every documented setting of a configuration module.

    Each module-level name with a docstring becomes an ``autodata`` entry, in
    source order, so that a new setting appears in the documentation as soon
    as it has a docstring. Long values are left out (``:no-value:``).
    """

    required_arguments = 1

    def run(self):
        """Generate one ``autodata`` directive per documented setting."""
        module_name = self.arguments[0]
        module = importlib.import_module(module_name)
        analyzer = ModuleAnalyzer.for_module(module_name)
        analyzer.analyze()
        self.env.note_dependency(module.__file__)
        names = sorted(
            (name for scope, name in analyzer.attr_docs if scope == ""),
            key=lambda name: analyzer.tagorder.get(name, 0),
        )
        lines = []
        for name in names:
            lines.append(f".. autodata:: {module_name}.{name}")
            value = repr(getattr(module, name, None))
            if len(value) > SETTING_VALUE_MAX_LENGTH or "<" in value:
                lines.append("   :no-value:")
            lines.append("")
        container = nodes.section()
        container.document = self.state.document
        self.state.nested_parse(
            StringList(lines, source=self.get_source_info()[0]), self.content_offset, container
        )
        return container.children


class CommandsDirective(SphinxDirective):
    """``.. commands:: module:group``: a click command group, from its own help texts.

    Every command of the group (recursively) is shown with its usage line, its
    help text and its options, as ``invenio <group> ...`` shows them.
    """

    required_arguments = 1

    def run(self):
        """Generate the description of every command of the group."""
        module_name, _, attribute = self.arguments[0].partition(":")
        module = importlib.import_module(module_name)
        self.env.note_dependency(module.__file__)
        group = getattr(module, attribute)
        lines = []
        self._describe(group, click.Context(group, info_name=f"invenio {group.name}"), lines)
        container = nodes.section()
        container.document = self.state.document
        self.state.nested_parse(
            StringList(lines, source=self.get_source_info()[0]), self.content_offset, container
        )
        return container.children

    def _describe(self, command, context, lines):
        if isinstance(command, click.Group):
            for name in command.list_commands(context):
                sub = command.get_command(context, name)
                self._describe(sub, click.Context(sub, info_name=name, parent=context), lines)
            return
        usage = " ".join(command.collect_usage_pieces(context))
        lines += [f"``{context.command_path} {usage}``", ""]
        lines += ["   " + line for line in inspect.cleandoc(command.help or "").splitlines()]
        lines.append("")
        for param in command.get_params(context):
            record = param.get_help_record(context)
            if record and "--help" not in record[0]:
                lines += [f"   ``{record[0]}``", f"      {record[1] or ''}", ""]


def setup(app):
    """Register the ``settings`` and ``commands`` directives."""
    app.add_directive("settings", SettingsDirective)
    app.add_directive("commands", CommandsDirective)
    return {"parallel_read_safe": True}
