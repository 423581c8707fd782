"""The commands, each a few lines: open the store, call the library, render, and say what happened.

Each module registers its commands on kpi.cli.app when imported. `kpi report …` imports only the module of the
command it names (start-up time); help, completion and an unknown name import them all, in the order `kpi --help`
lists them.
"""

from __future__ import annotations

import importlib

# Every command (or group) and the module that holds it, in the order `kpi --help` lists them.
MODULES = {
    "load": "loading",
    "report": "figures",
    "check": "figures",
    "export": "figures",
    "stagegate": "figures",
    "reconcile": "figures",
    "chart": "figures",
    "changes": "figures",
    "portfolio": "portfolio",
    "explain": "portfolio",
    "followups": "followups",
    "init": "settings",
    "backup": "store",
    "restore": "store",
    "undo": "loading",
    "submissions": "submissions",
    "recommendations": "recommendations",
    "money": "money",
    "schedule": "schedule",
    "loads": "store",
    "lists": "store",
}

# The commands that only read the store: `kpi` starts opening it while it builds the command line.
READS = frozenset(
    {
        "report",
        "check",
        "stagegate",
        "reconcile",
        "chart",
        "changes",
        "explain",
        "loads",
        "lists",
        "recommendations",
        "schedule",
        "money",
    }
)


def register(name: str | None) -> None:
    """Import the module of the command `name` (every module when None or a name kpi does not know)."""
    modules = [MODULES[name]] if name in MODULES else list(dict.fromkeys(MODULES.values()))
    for module in modules:
        importlib.import_module(f"kpi.cli.commands.{module}")
