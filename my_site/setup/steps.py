"""Named steps that print ``Doing X... done (Ns)`` and log what they print themselves."""

import time
import traceback
from contextlib import contextmanager, redirect_stderr, redirect_stdout

import click


class StepFailed(click.ClickException):
    """A step failed; its traceback is in the log."""


class Steps:
    """Runs the steps of an operation, one after the other, in this process.

    Each step's title goes to the terminal with its time; what the step
    prints itself (the output of Invenio's commands) goes to ``log``.
    """

    def __init__(self, log):
        """Log the steps' own output to the open text file ``log``."""
        self.log = log
        self.started = time.monotonic()

    @contextmanager
    def step(self, title):
        """Run the body of the ``with`` block as the step ``title``."""
        click.echo(f"{title}...", nl=False)
        self.log.write(f"\n=== {title}\n")
        self.log.flush()
        started = time.monotonic()
        try:
            with redirect_stdout(self.log), redirect_stderr(self.log):
                yield
        except SystemExit as exit_:  # a command that ends with sys.exit(0) succeeded
            if exit_.code not in (0, None):
                self._fail(title, f"exit status {exit_.code}")
        except Exception as error:
            self._fail(title, error)
        self.log.flush()
        click.echo(f" done ({time.monotonic() - started:.0f}s)")

    def _fail(self, title, error):
        """Log the traceback and stop the steps."""
        traceback.print_exc(file=self.log)
        self.log.flush()
        click.echo(" failed")
        raise StepFailed(f"{title}: {error}")

    def invenio(self, title, *args):
        """Run ``invenio ARGS`` as the step ``title``, in this application."""
        with self.step(title):
            run_invenio(*args)

    @property
    def elapsed(self):
        """Seconds since the steps began."""
        return time.monotonic() - self.started


def run_invenio(*args):
    """Run the ``invenio`` command ``args`` in this process and application context."""
    context = click.get_current_context()
    root = context.find_root()
    command = root.command.get_command(root, args[0])
    if command is None:
        raise click.UsageError(f"no such command: invenio {args[0]}")
    command.main(
        args=list(args[1:]),
        prog_name=f"invenio {args[0]}",
        obj=root.obj,
        standalone_mode=False,
    )
