"""`kpi init`: the programme settings template, in the user's language, for a file named as `kpi load` reads it."""

from __future__ import annotations

from pathlib import Path

from kpi.errors import UsageProblem
from kpi.load.files import kind_of
from kpi.present.catalogue import Words


def template(path: Path, words: Words) -> bytes:
    """The commented template (UTF-8) for `path`; a name `kpi load` would not read as settings is a usage error."""
    if kind_of(path, None) != "programme":
        raise UsageProblem("cli.init_name", name=path.name)
    return words("init.template").encode("utf-8")
