"""The commands, each a few lines: open the store, call the library, render, and say what happened.

Importing this package registers them on kpi.cli.app, in the order `kpi --help` lists them.
"""

# isort: skip_file
from kpi.cli.commands import loading  # noqa: F401  (each module registers its commands)
from kpi.cli.commands import figures  # noqa: F401
from kpi.cli.commands import followups  # noqa: F401
from kpi.cli.commands import settings  # noqa: F401
from kpi.cli.commands import store  # noqa: F401
