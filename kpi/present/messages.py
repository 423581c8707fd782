"""Messages for stderr: errors, the failures of a refused load, and what a load did, in the user's language."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping
from typing import Any

from kpi.db.write import FileResult
from kpi.errors import Failure, InputRejected, KpiError
from kpi.load.files import Skipped
from kpi.present import labels
from kpi.present.catalogue import Words
from kpi.present.rows import clip
from kpi.present.tables import Column, Table
from kpi.present.tables import text as table_text

FAILURES_SHOWN = 200  # rows of the failure table on stderr; --log-format json writes every one


def _holder(words: Words, p: Mapping[str, Any]) -> dict[str, str]:
    return {"holder_text": words("db.holder", holder=p["holder"], pid=p["pid"]) if p.get("holder") else ""}


def _more(words: Words, p: Mapping[str, Any]) -> dict[str, str]:
    return {"more_text": words("load.rs.more", more=p["more"]) if p.get("more") else ""}


def _kept(words: Words, p: Mapping[str, Any]) -> dict[str, str]:
    return {"kept_text": words("cli.kept_commit" if p.get("committed") else "cli.kept_nothing")}


def _advice(words: Words, p: Mapping[str, Any]) -> dict[str, str]:
    """What to do about a damaged database: the exact command restoring its newest backup, when there is one."""
    if not p.get("backup"):
        return {"advice": words("db.advice_reload")}
    command = f"kpi restore --db {shlex.quote(str(p['path']))} {shlex.quote(str(p['backup']))}"
    return {"advice": words("db.advice_restore", command=command)}


def _kind(words: Words, p: Mapping[str, Any]) -> dict[str, str]:
    return {"kind_text": words(str(p["kind"]))}


def _kind_name(words: Words, p: Mapping[str, Any]) -> dict[str, str]:
    """A kind of input by its name in the user's language (追跡調査, テーマ), its code when it has none."""
    key = labels.KIND.get(str(p["kind"]))
    return {"kind_name": words(key) if key else str(p["kind"])}


def _found(words: Words, p: Mapping[str, Any]) -> dict[str, str]:
    return {"found_text": words(str(p["found"]))}


def _key_in_files(words: Words, p: Mapping[str, Any]) -> dict[str, str]:
    """A key given by two files of one load (kpi.load.validate): its columns by their headers in the user's words,
    the first keys, each file with its rows, and what to do (an organisation's two workbooks: load the newer)."""
    from kpi.present.catalogue import Lang
    from kpi.present.history import header

    sep = "・" if words.lang is Lang.ja else "/"
    more = " …" if p["n"] > len(p["keys"]) else ""
    rows = {file: [str(n) for n in lines] for file, lines in p["rows"].items()}
    cut = {
        file: ", ".join(lines[:SHOWN_ROWS]) + (" …" if len(lines) > SHOWN_ROWS else "") for file, lines in rows.items()
    }
    return {
        "key_text": sep.join(header(p["kind"], column, words) for column in p["columns"]),
        "keys_text": ", ".join(sep.join(v or "—" for v in key) for key in p["keys"]) + more,
        "files_text": ", ".join(words("load.file_rows", file=file, rows=lines) for file, lines in cut.items()),
        "advice_text": words(
            "rule.key_in_two_files.advice.followups" if p["kind"] == "followups" else "rule.key_in_two_files.advice.any"
        ),
    }


SHOWN_ROWS = 5  # the rows of a file a message names


# Parameters some messages compose from others (a clause that is there or not).
DERIVED: dict[str, Callable[[Words, Mapping[str, Any]], dict[str, str]]] = {
    "db.damaged_short": _advice,
    "db.damaged_wal": _advice,
    "db.damaged_blocks": _advice,
    "db.damaged_after_commit": _advice,
    "out.not_a_file": _kind,
    "load.input.not_format": _found,
    "load.input.binary_format": _found,
    "db.busy": _holder,
    "load.rs.project_absent": _more,
    "io.disk_full": _kept,
    "io.disk_full_output": _kept,
    "io.write_failed": _kept,
    "rule.sheet_ambiguous": _kind_name,
    "load.header_mismatch": _kind_name,
    "rule.key_in_two_files": _key_in_files,
    "rule.key_in_two_files_of_a_date": _key_in_files,
}


def message(key: str, params: Mapping[str, Any], words: Words) -> str:
    """A message from its key and parameters."""
    extra = DERIVED[key](words, params) if key in DERIVED else {}
    return words(key, **params, **extra)


def error_text(exc: KpiError, words: Words) -> str:
    return message(exc.key, exc.params, words)


def rule_text(failure: Failure, words: Words) -> str:
    """A failure's rule in words (a key pandera reports that the catalogue lacks is shown as it is)."""
    return message(failure.rule, failure.params, words) if words.has(failure.rule) else failure.rule


def refusal_line(exc: InputRejected, words: Words) -> str | None:
    """A refusal that is about one whole file (no line, no column) as one line: the file, what is wrong with it,
    and that nothing was loaded (what a cron mail needs); None when a table of failures says it better."""
    if len(exc.failures) != 1:
        return None
    failure = exc.failures[0]
    if failure.line is not None or failure.column:
        return None
    return words("load.refused_file", file=failure.file, rule=rule_text(failure, words))


def failures_table(failures: list[Failure], words: Words, limit: int | None = FAILURES_SHOWN) -> str:
    """Every broken rule as file | line | column | value | rule."""
    shown = failures if limit is None else failures[:limit]
    columns = [
        Column(words("col.file"), lambda f: f.file),
        Column(words("col.line"), lambda f: "" if f.line is None else str(f.line)),
        Column(words("col.column"), lambda f: clip(f.column, 30)),
        Column(words("col.value"), lambda f: clip(f.value)),
        Column(words("col.rule"), lambda f: rule_text(f, words)),
    ]
    text = table_text(Table.of("failures", columns, shown))
    if limit is not None and len(failures) > limit:
        text += "\n" + words("failures.more", n=len(failures) - limit)
    return text


def load_note(r: FileResult, words: Words) -> str:
    if r.load_id is not None:
        return words("load.number", n=r.load_id)
    if r.same_as is not None:
        return words("load.unchanged_as", n=r.same_as[0], at=r.same_as[1])
    return words("load.unchanged")


def snapshot_text(r: FileResult, words: Words) -> str:
    """The date of a themes file's list, saying so when it is today's (the file named no date)."""
    if r.snapshot is None:
        return ""
    return (
        words("load.snapshot_today", date=r.snapshot.isoformat())
        if r.snapshot_from == "today"
        else r.snapshot.isoformat()
    )


def load_table(results: list[FileResult], skipped: list[Skipped], words: Words) -> str:
    """What `kpi load` did: per file, the date of its list (themes), rows read, inserted, updated, or why nothing
    changed; then which lists were replaced, which themes a newer list no longer has, which list is dated by the
    day it was loaded (and how to give its date), and the rows left out."""
    columns = [
        Column(words("col.file"), lambda r: r.file),
        Column(words("col.kind"), lambda r: words(labels.KIND[r.kind])),
        Column(words("col.snapshot"), lambda r: snapshot_text(r, words)),
        Column(words("col.rows"), lambda r: str(r.rows)),
        Column(words("col.inserted"), lambda r: str(r.inserted)),
        Column(words("col.updated"), lambda r: str(r.updated)),
        Column(words("col.load"), lambda r: load_note(r, words)),
    ]
    lines = [table_text(Table.of("loaded", columns, results))]
    seen: set[object] = set()
    for r in results:
        if r.changed_fields:
            fields = words("load.field_sep").join(
                words("load.field_count", field=labels.field(c, words), n=n) for c, n in r.changed_fields
            )
            lines.append(words("load.changed_fields", file=r.file, n=r.updated, fields=fields))
        change = r.list_change
        if change is not None and change.snapshot not in seen:
            seen.add(change.snapshot)
            if change.replaced:
                lines.append(words("load.list_replaced", date=change.snapshot.isoformat()))
            if change.missing:
                listed = ", ".join(change.missing_ids) + (" …" if change.missing > len(change.missing_ids) else "")
                lines.append(
                    words(
                        "load.missing",
                        n=change.missing,
                        date=change.snapshot.isoformat(),
                        previous=change.previous.isoformat() if change.previous else "—",
                        ids=listed,
                    )
                )
        if r.snapshot_from == "today" and r.snapshot is not None:
            lines.append(words("load.snapshot_is_load_day", file=r.file, date=r.snapshot.isoformat()))
        if r.skipped:
            lines.append(words("load.unanswered", file=r.file, n=r.skipped))
    for note in (s for s in skipped if s.params):
        lines.append(words(note.reason, file=str(note.path), **_listed(note.params, words)))
    for reason in dict.fromkeys(s.reason for s in skipped if not s.params):
        files = ", ".join(str(s.path) for s in skipped if s.reason == reason and not s.params)
        lines.append(words(reason, files=files))
    return "\n".join(lines)


def _listed(params: dict[str, Any], words: Words) -> dict[str, Any]:
    """A note's lists as text: headers (one without a name as its column letter), line numbers."""
    from kpi.load.sheets import column_letters
    from kpi.load.tables import UNNAMED

    def header(name: str) -> str:
        if name.startswith(UNNAMED):
            return words("load.unnamed_column", letter=column_letters(int(name.removeprefix(UNNAMED)) + 1))
        return name

    out = dict(params)
    if "headers" in params:
        out["headers"] = ", ".join(header(str(h)) for h in params["headers"])
    if "lines" in params:
        out["lines"] = ", ".join(str(n) for n in params["lines"])
    return out
