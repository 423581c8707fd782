"""The `kpi` command's entry point: Ctrl-C and SIGTERM handlers first, then the command line and its imports.

Nothing heavy is imported before the handlers are in place; a signal during the imports is held and acted
on by the command line once it can say, in the user's language, that nothing was written.
"""

from kpi import interrupts


def main() -> None:
    """Entry point of the `kpi` command."""
    interrupts.install()  # held: released by kpi.cli.main
    try:
        from kpi.cli import main as run

        run()
    finally:
        interrupts.ignore()  # the outcome is decided (kpi.cli.main exits with it): nothing may change it now
