"""The `kpi` command's entry point: Ctrl-C and SIGTERM handlers first, then the command line and its imports.

Nothing heavy is imported before the handlers are in place; a signal during the imports is held and acted
on by the command line once it can say, in the user's language, that nothing was written. Once the command line
has decided the exit code, the process leaves at once (os._exit, after flushing its output): tearing down
DuckDB, polars and the modules would cost a tenth of a short command's time and change nothing, every file and
connection being closed by then.
"""

import os
import sys

from kpi import interrupts


def main() -> None:
    """Entry point of the `kpi` command."""
    interrupts.install()  # held: released by kpi.cli.main
    code: object = 0
    try:
        from kpi.cli.main import main as run

        run()
    except SystemExit as done:
        code = done.code
    finally:
        interrupts.ignore()  # the outcome is decided (kpi.cli.main exits with it): nothing may change it now
    leave(code)


def leave(code: object) -> None:
    """Flush stdout and stderr (a reader gone away, or a full disk, changes nothing now) and end the process."""
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    if code is None:
        os._exit(0)
    if isinstance(code, int):
        os._exit(code)
    os._exit(1)
