"""The programme settings file (programme*.toml), read and checked against kpi.settings."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import replace
from pathlib import Path
from typing import Any

from kpi import settings
from kpi.errors import Failure, InputRejected
from kpi.load.calendar import calendar_problems

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
    found += calendar_problems(raw, found)
    clashes = [] if found else _attribute_clashes(raw.get(settings.ATTRIBUTES, {}))
    if found or clashes:
        lines = _key_lines(text)
        accepted = (*settings.REQUIRED, *settings.OPTIONAL, *settings.MONEY_SETTINGS, *settings.CALENDAR)
        expected = ", ".join((*accepted, settings.ATTRIBUTES))
        failures = [
            Failure(str(path), _line_of(lines, p.key), p.key, p.value, p.rule, {"expected": expected, "value": p.value})
            for p in found
        ]
        failures += [replace(f, file=str(path), line=_line_of(lines, f.column)) for f in clashes]
        raise InputRejected("load.settings_rejected", failures)
    return settings.normalise(raw)


def _attribute_clashes(declared: dict[str, Any]) -> list[Failure]:
    """A theme attribute whose name or header is one a theme list's own column is read under, or that another
    attribute is read under, compared as headers are (kpi.load.tables.header_and_unit): refused, naming the column."""
    from kpi.load.tables import header_and_unit
    from schemas.themes_columns import COLUMNS

    def keys(header: str) -> set[str]:
        key = header_and_unit(header)[0]
        return {key, key.replace(" ", "_")}

    reserved = {
        k: f"{names[0]} [{column}]" for column, names in COLUMNS.items() for h in (column, *names) for k in keys(h)
    }
    reserved.update(dict.fromkeys(keys("_line"), "_line"))  # the line a row starts on (schemas.common.LINE)
    taken: dict[str, str] = {}
    failures = []
    for attribute in settings.parse_attributes(declared):
        for header in (attribute.name, *attribute.headers):
            key = f"{settings.ATTRIBUTES}.{attribute.name}" + (".headers" if header != attribute.name else "")
            column = next((reserved[k] for k in keys(header) if k in reserved), None)
            other = next((taken[k] for k in keys(header) if taken.get(k, attribute.name) != attribute.name), None)
            if column is not None:
                failures.append(Failure("", None, key, header, "rule.setting.attribute_clash", {"column": column}))
            elif other is not None:
                failures.append(Failure("", None, key, header, "rule.setting.attribute_header_twice", {"other": other}))
            taken.update(dict.fromkeys(keys(header), attribute.name))
    return failures


def _line_of(lines: dict[str, int], key: str) -> int | None:
    """The line a key is set on, else the line of the table holding it (attributes.分野.type: [attributes."分野"])."""
    parts = key.split(".")
    return next((lines[k] for n in range(len(parts), 0, -1) if (k := ".".join(parts[:n])) in lines), None)


def _key_lines(text: str) -> dict[str, int]:
    """The line each key is set on (a missing key has none); a key inside a table by its dotted path
    ([attributes."分野"] then type = …: attributes.分野.type), the table by its header's line."""
    lines: dict[str, int] = {}
    table = ""
    for number, line in enumerate(text.splitlines(), start=1):
        key, sep, _ = line.partition("=")
        if line.strip().startswith("[") and not sep:  # a table: [stagegate_criteria], [attributes."分野"]
            key, sep = line.split("#", 1)[0].strip().strip("[]"), "="
            table = ""
        name = _DOTS.sub(".", key.strip().replace('"', ""))
        if sep and name and not name.startswith("#"):
            lines.setdefault(f"{table}.{name}" if table else name, number)
            if line.strip().startswith("["):
                table = name
    return lines


_DOTS = re.compile(r"\s*\.\s*")


def _syntax_failure(path: Path, text: str, exc: tomllib.TOMLDecodeError) -> Failure:
    """A line TOML cannot read, named by its line, key and value: a value in full-width characters (３５２２) says
    how to write it; any other fault gives the parser's words."""
    m = _AT.search(str(exc))
    line = int(m[1]) if m else None
    detail = _AT.sub("", str(exc))
    source = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    header = source.split("#", 1)[0].strip()
    if header.startswith("[") and header.endswith("]") and not header.isascii():  # [attributes.分野]: quote it
        parts = [part.strip().strip('"') for part in header.strip("[]").split(".")]
        fixed = "[" + ".".join(part if part.isascii() else f'"{part}"' for part in parts) + "]"
        return Failure(str(path), line, header, header, "rule.toml_quote_key", {"fixed": fixed})
    key, _, rest = source.partition("=")
    value = rest.split("#", 1)[0].strip() or None
    written = unicodedata.normalize("NFKC", value) if value else None
    if value and written != value:
        return Failure(str(path), line, key.strip(), value, "rule.toml_full_width", {"fixed": written})
    return Failure(str(path), line, key.strip(), value, "rule.toml_syntax", {"detail": detail})
