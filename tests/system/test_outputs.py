"""Outputs that open right: for every command of the tree with --out (a file) and --format, the file's extension
chooses its format when --format is not given, and the file really is in it (an xlsx workbook, JSON, CSV with the
BOM Excel needs, an HTML page, a markdown table); an extension of a format the command does not write, and an
extension that --format contradicts, are usage errors (exit 2) that write nothing.

The cases are read from the command tree (kpi.cli.options: the parameters whose type is FormatChoice and
OutputPath); only the values of a command's required arguments come from `VALUES`."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import typer
from matrix import some_in_default

from kpi.cli import options
from kpi.present.formats import EXTENSIONS, Format, Formats, extensions_of, named_format

STORE = "{store}"  # the sample database, in a command's arguments
# The arguments a command needs besides --out and --format (a required one, or the year its figures are of).
VALUES: dict[tuple[str, ...], list[str]] = {
    ("report",): ["--as-of", "2025"],
    ("portfolio",): [STORE, "--as-of", "2025"],
    ("explain",): ["short_term", "--as-of", "2025"],
    ("submissions",): [],
    ("followups", "due"): ["--as-of", "2026"],
    ("followups", "status"): ["--as-of", "2026"],
    ("followups", "remind"): ["--as-of", "2026"],
    ("loads",): [],
    ("lists",): [],
    ("recommendations",): [],
    ("schedule",): ["--as-of", "2026"],
    ("money",): ["--as-of", "2025"],
}


def command_tree() -> Any:
    from kpi.cli.main import whole_app

    return typer.main.get_command(whole_app())


def leaves(group: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = []
    for name, sub in sorted(group.commands.items()):
        if isinstance(getattr(sub, "commands", None), dict):
            found += leaves(sub, (*path, name))
        else:
            found.append(((*path, name), sub))
    return found


def writers() -> dict[tuple[str, ...], tuple[Format, ...]]:
    """Every command with --format and an --out that names a file, with the formats it offers."""
    found = {}
    for path, command in leaves(command_tree()):
        chosen = [p.type for p in command.params if isinstance(p.type, options.FormatChoice)]
        files = [p for p in command.params if type(p.type) is options.OutputPath]
        if chosen and files:
            found[path] = tuple(chosen[0].offered)
    return found


WRITERS = writers()
# Each format a command writes, by its first extension (.htm and .markdown name the same formats: a unit test's).
CASES = [
    (path, extensions_of(Formats(f))[0])
    for path, offered in WRITERS.items()
    for f in offered
    if f in EXTENSIONS.values()
]


def test_every_writer_is_enumerated_and_has_its_arguments() -> None:
    """The tree's writers are the ones VALUES gives arguments to (a new one fails here until it is given them);
    `kpi export --out` names a folder, not a file."""
    assert set(WRITERS) == set(VALUES)
    export = dict(leaves(command_tree()))[("export",)]
    assert [type(p.type) for p in export.params if p.name == "out"] == [options.OutputFolder]


# The commands that show the surveys sent: the sample records none, so one sheet is recorded as sent first.
SENT = {("followups", "status"), ("followups", "remind")}


def send_one_sheet(store: Path) -> None:
    """Record one survey sheet of the FY2025 round as sent to an organisation of the sample (not answered)."""
    import datetime as dt

    import duckdb

    from kpi.db.sent import SentRow, record_sent

    con = duckdb.connect(str(store))
    try:
        row = SentRow(2025, "T1-001", "日本電気株式会社", 1, "immediate", dt.date(2025, 11, 1), dt.date(2026, 1, 31))
        record_sent(con, store.parent / "sheets", [row])
    finally:
        con.close()


def run(kpi: Any, path: tuple[str, ...], store: Path, out: Path, *extra: str) -> Any:
    if path in SENT:
        send_one_sheet(store)
    args = [store.as_posix() if a == STORE else a for a in VALUES[path]]
    command = dict(leaves(command_tree()))[path]
    db = ["--db", str(store)] if any(p.name == "db" for p in command.params) else []
    return kpi(*path, *args, *db, "--out", str(out), *extra)


def is_in(data: bytes, fmt: Format) -> bool:
    """Whether a file's bytes are in the format."""
    if fmt is Format.xlsx:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "xl/workbook.xml" in book.namelist() and book.testzip() is None
    if fmt is Format.csv:
        text = data.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text, newline="")))
        return data.startswith(b"\xef\xbb\xbf") and len(rows) >= 1 and text.count("\r\n") == text.count("\n")
    if fmt is Format.json:
        return json.loads(data.decode("utf-8")) is not None
    text = data.decode("utf-8")
    if fmt is Format.html:
        return text.lstrip().lower().startswith("<!doctype html") and "</html>" in text
    assert fmt is Format.markdown
    return any(line.startswith("| ") for line in text.splitlines()) and any(
        set(line) <= set("|-: ") and "---" in line for line in text.splitlines()
    )


@pytest.mark.parametrize(("path", "ext"), some_in_default(CASES, 5), ids=[f"{' '.join(p)}{e}" for p, e in CASES])
def test_the_extension_chooses_the_format(kpi, sample_store: Path, tmp_path: Path, path, ext: str) -> None:
    out = tmp_path / f"out{ext}"
    result = run(kpi, path, sample_store, out)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert is_in(out.read_bytes(), EXTENSIONS[ext]), (path, ext, out.read_bytes()[:200])


@pytest.mark.parametrize("path", list(WRITERS), ids=[" ".join(p) for p in WRITERS])
def test_an_extension_it_does_not_write_or_that_format_contradicts_is_a_usage_error(
    kpi, kpi_en, sample_store: Path, tmp_path: Path, path
) -> None:
    offered = WRITERS[path]
    for other in [ext for ext in EXTENSIONS if EXTENSIONS[ext] not in offered][:1]:  # (kpi portfolio writes all)
        refused = run(kpi, path, sample_store, tmp_path / f"out{other}")
        assert refused.returncode == 2 and f"out{other}" in refused.stderr and "書き出せません" in refused.stderr
        assert list(tmp_path.glob("out*")) == []
    first, *_ = extensions_of(offered)  # type: ignore[arg-type]
    contrary = next(f for f in offered if f is not EXTENSIONS[first])
    mismatch = run(kpi_en, path, sample_store, tmp_path / f"out{first}", "--format", contrary.value)
    assert mismatch.returncode == 2, mismatch.stderr
    assert f"--format is {contrary.value}" in mismatch.stderr and "Traceback" not in mismatch.stderr
    assert list(tmp_path.glob("out*")) == []


def test_any_other_name_is_written_in_format(kpi, sample_store: Path, tmp_path: Path) -> None:
    """A name whose extension names no format is written in --format (its default: aligned text)."""
    text = kpi("report", "--db", str(sample_store), "--as-of", "2025", "--out", str(tmp_path / "report.txt"))
    assert text.returncode == 0 and "■ " in (tmp_path / "report.txt").read_text(encoding="utf-8")
    args = ("--as-of", "2025", "--format", "csv", "--out", str(tmp_path / "sheet.dat"))
    assert kpi("report", "--db", str(sample_store), *args).returncode == 0
    assert (tmp_path / "sheet.dat").read_bytes().startswith(b"\xef\xbb\xbf")  # a CSV file, with its BOM


def test_csv_on_stdout_has_no_bom(kpi, sample_store: Path) -> None:
    """The rule: a CSV file kpi writes starts with a BOM (Excel); CSV on stdout never does (a pipe's reader)."""
    for args in (["loads"], ["explain", "short_term", "--as-of", "2025"], ["report", "--as-of", "2025"]):
        result = kpi(*args, "--db", str(sample_store), "--format", "csv")
        assert result.returncode == 0 and result.stdout and not result.stdout.startswith("\ufeff"), args


def test_extensions_name_formats_in_any_case() -> None:
    assert [named_format(n) for n in ("r.XLSX", "r.htm", "r.markdown", "r.md", "r.csv", "r.txt", "r", ".csv")] == [
        Format.xlsx,
        Format.html,
        Format.markdown,
        Format.markdown,
        Format.csv,
        None,
        None,
        None,
    ]


def test_a_load_shown_is_written_like_any_listing(kpi, sample_store: Path, tmp_path: Path) -> None:
    """`kpi loads show N --out F.csv` writes the CSV with its BOM, and replaces a file only with --force."""
    out = tmp_path / "load2.csv"
    args = ("loads", "show", "2", "--db", str(sample_store), "--out", str(out))
    assert kpi(*args).returncode == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "T1-001" in data.decode("utf-8-sig")
    again = kpi(*args)
    assert again.returncode == 2 and "--force" in again.stderr and out.read_bytes() == data
    assert kpi(*args, "--force").returncode == 0


def test_no_help_recommends_a_redirect_for_a_csv() -> None:
    """A CSV for Excel is written with --out (a BOM), not redirected (`> loads.csv`: none)."""
    import re

    from kpi.present.catalogue import WORDS

    redirects = {
        key for key, both in WORDS.items() if key.startswith("help.") for t in both if re.search(r">\s*\S+\.csv", t)
    }
    assert redirects == set()
    assert all("kpi loads --out loads.csv" in t and "kpi loads show" in t for t in WORDS["help.loads"])


REFUSED_NAMES = {  # a name → what its refusal says (Japanese)
    "f.xls": "書き出せません",
    "調査票.xlsm": "書き出せません",
    "調査票.tsv": "書き出せません",
    "r.xslx": "拡張子 .xslx は分かりません",
    "r.cvs": "もしかして .csv",
    "r.csv.": "点か空白で終わっています",
    "r.csv ": "点か空白で終わっています",
}


@pytest.mark.parametrize("path", [("followups", "due"), ("report",)], ids=" ".join)
@pytest.mark.parametrize("name", list(REFUSED_NAMES))
def test_a_name_of_a_format_not_written_a_typo_or_a_trailing_dot_is_a_usage_error(
    kpi, sample_store: Path, tmp_path: Path, path, name: str
) -> None:
    """No text table under a misleading name: exit 2, nothing written, the extensions the command writes listed."""
    folder = tmp_path / "out"
    folder.mkdir()
    refused = run(kpi, path, sample_store, folder / name)
    assert refused.returncode == 2, refused.stderr
    assert REFUSED_NAMES[name] in refused.stderr and ".csv .json" in refused.stderr
    assert list(folder.iterdir()) == []


def test_a_typo_is_taken_for_an_extension_the_command_writes_only(kpi, sample_store: Path, tmp_path: Path) -> None:
    """r.xslx: 「もしかして .xlsx」 from kpi followups due, which writes xlsx; not from kpi report, which does not."""
    due = run(kpi, ("followups", "due"), sample_store, tmp_path / "r.xslx")
    report = run(kpi, ("report",), sample_store, tmp_path / "r.xslx")
    assert due.returncode == report.returncode == 2
    assert "もしかして .xlsx" in due.stderr
    assert "もしかして" not in report.stderr and ".xlsx" not in report.stderr.replace(".xslx", "")
    assert ".md .markdown .csv .json .html .htm" in report.stderr


def test_a_file_named_just_csv_is_a_csv_file_and_txt_is_text(kpi, sample_store: Path, tmp_path: Path) -> None:
    assert run(kpi, ("report",), sample_store, tmp_path / ".csv").returncode == 0
    assert is_in((tmp_path / ".csv").read_bytes(), Format.csv)
    assert run(kpi, ("report",), sample_store, tmp_path / "r.txt").returncode == 0
    assert "■ " in (tmp_path / "r.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "args", [["--out", "提出.xlsx"], ["--out", "sub2.csv", "--format", "xlsx"], ["--out", "a.XLS"]]
)
def test_export_out_named_like_a_file_is_a_usage_error(kpi, kpi_en, sample_store: Path, tmp_path: Path, args) -> None:
    """kpi export's --out is a folder: a file's name makes no folder and records no submission."""
    listed = ("submissions", "--db", str(sample_store), "--format", "json")
    before = kpi(*listed).stdout
    out = [str(tmp_path / a) if a == args[1] else a for a in args]
    refused = kpi("export", "--db", str(sample_store), "--as-of", "2025", *out)
    assert (
        refused.returncode == 2
        and "--out は書き出すフォルダの名前です" in refused.stderr
        and "提出/2025/" in refused.stderr
    )
    assert list(tmp_path.iterdir()) == [sample_store] and kpi(*listed).stdout == before
    english = kpi_en("export", "--db", str(sample_store), "--as-of", "2025", *out)
    assert english.returncode == 2 and "is the name of the folder" in english.stderr
