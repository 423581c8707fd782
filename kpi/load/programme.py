"""The programme settings file (programme*.toml), read and checked against kpi.settings."""

from __future__ import annotations

import tomllib
from pathlib import Path

from kpi import settings
from kpi.errors import Failure, InputRejected


def read_programme(path: Path, data: bytes) -> dict[str, str]:
    """The programme's settings from a TOML file, checked key by key (every problem, with its line)."""
    try:
        text = data.decode("utf-8-sig")
        raw = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:  # a settings file is UTF-8 TOML, nothing else
        raise InputRejected("load.not_toml", detail=str(exc)) from exc
    found = settings.problems(raw)
    if found:
        lines = _key_lines(text)
        expected = ", ".join(settings.REQUIRED + settings.OPTIONAL)
        failures = [
            Failure(str(path), lines.get(p.key), p.key, p.value, p.rule, {"expected": expected, "value": p.value})
            for p in found
        ]
        raise InputRejected("load.settings_rejected", failures)
    return settings.normalise(raw)


def _key_lines(text: str) -> dict[str, int]:
    """The line each top-level key is set on (a missing key has none)."""
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        key, sep, _ = line.partition("=")
        name = key.strip().strip('"')
        if sep and name and not name.startswith("#") and name not in lines:
            lines[name] = number
    return lines
