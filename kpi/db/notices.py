"""What the store did on its own during a command (a schema upgraded, a leftover removed, a log read with a
backup), kept as catalogue keys for the command line to say once."""

from __future__ import annotations

from typing import Any

_notices: list[tuple[str, dict[str, Any]]] = []


def notice(key: str, /, **params: Any) -> None:
    """Something the store did that the user must be told."""
    _notices.append((key, params))


def notices() -> list[tuple[str, dict[str, Any]]]:
    """The notices so far, each given once."""
    taken = list(_notices)
    _notices.clear()
    return taken
