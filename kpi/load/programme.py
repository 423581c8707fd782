"""The programme settings file (programme*.toml), read and checked against kpi.settings."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path

from kpi import settings
from kpi.errors import Failure, InputRejected

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")


def read_programme(path: Path, data: bytes) -> dict[str, str]:
    """The programme's settings from a TOML file, checked key by key (every problem, with its line)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # a settings file is UTF-8, nothing else (Excel and メモ帳 may save CP932)
        raise InputRejected("load.toml_not_utf8") from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputRejected("load.settings_rejected", [_syntax_failure(path, text, exc)]) from exc
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


def _syntax_failure(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> Failure:
    """A line TOML cannot read, named by its line, key and value: a value in full-width characters (３５２２) says
    how to write it; any other fault gives the parser's words."""
    m = _AT.search(str(exc))
    line = int(m[1]) if m else None
    detail = _AT.sub("", str(exc))
    source = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    key, _, rest = source.partition("=")
    value = rest.split("#", 1)[0].strip() or None
    written = unicodedata.normalize("NFKC", value) if value else None
    if value and written != value:
        return Failure(str(path), line, key.strip(), value, "rule.toml_full_width", {"fixed": written})
    return Failure(str(path), line, key.strip(), value, "rule.toml_syntax", {"detail": detail})
