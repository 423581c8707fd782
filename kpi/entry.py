"""The `kpi` command's entry point: signal handlers first, then the command line and its heavy imports."""

from __future__ import annotations

import signal
from typing import Any


def _on_sigterm(signum: int, frame: Any) -> None:
    from kpi.errors import Terminated

    raise Terminated()


def main() -> None:
    """Entry point of the `kpi` command."""
    signal.signal(signal.SIGTERM, _on_sigterm)
    from kpi.cli import main as run

    run()
