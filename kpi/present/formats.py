"""The output formats: one enum of every format, and the ones each command offers (its `Formats`, in the order its
help lists them). The command line offers them; the one emitter (kpi.present.table.emit) and a command's presenter
tell them apart."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    """Every output format: aligned text (a table, or `kpi check`'s lines), markdown, CSV, JSON, an HTML page, an
    xlsx workbook."""

    table = "table"
    text = "text"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"
    xlsx = "xlsx"


class Formats(tuple[Format, ...]):
    """The formats one command offers: `ReportFormat.html` is Format.html, and only when the command offers it."""

    __slots__ = ()

    def __new__(cls, *formats: Format) -> Formats:
        return super().__new__(cls, formats)

    def __getattr__(self, name: str) -> Format:
        if name in Format.__members__ and Format[name] in self:
            return Format[name]
        raise AttributeError(name)


# The extensions that name a format: an --out file so named is written in it, whatever --format's default
# (kpi.cli.options.settle_format); any other name is written in --format.
EXTENSIONS = {
    ".xlsx": Format.xlsx,
    ".csv": Format.csv,
    ".json": Format.json,
    ".html": Format.html,
    ".htm": Format.html,
    ".md": Format.markdown,
    ".markdown": Format.markdown,
}


def named_format(name: str) -> Format | None:
    """The format a file's name says (its extension, in any case), or None."""
    dot = name.rfind(".")
    return EXTENSIONS.get(name[dot:].lower()) if dot > 0 and "/" not in name[dot:] else None


def extensions_of(formats: Formats) -> list[str]:
    """The extensions that name one of the formats (.xlsx, .csv, …), in the order the formats are offered."""
    return [ext for f in formats for ext, named in EXTENSIONS.items() if named is f]


ReportFormat = Formats(Format.table, Format.markdown, Format.csv, Format.json, Format.html)  # kpi report
TableFormat = Formats(Format.table, Format.markdown, Format.csv, Format.json)  # kpi stagegate, kpi reconcile
ChangesFormat = Formats(Format.table, Format.markdown, Format.json)  # kpi changes: markdown for a mail
CheckFormat = Formats(Format.text, Format.json)  # kpi check: a line per KPI
DueFormat = Formats(Format.table, Format.csv, Format.json, Format.xlsx)  # kpi followups due: CSV, xlsx the survey sheet
StatusFormat = Formats(Format.table, Format.markdown, Format.csv, Format.json)  # kpi followups status
RemindFormat = Formats(Format.markdown, Format.csv)  # kpi followups remind: markdown for a mail, CSV for Excel
ListingFormat = Formats(Format.table, Format.csv, Format.json)  # kpi loads, kpi lists
PortfolioFormat = Formats(*ReportFormat[:4], Format.xlsx, Format.html)  # kpi portfolio (xlsx, html need --out)
RecordFormat = Formats(Format.table, Format.csv, Format.json, Format.xlsx)  # kpi submissions, kpi explain
ExportFormat = Formats(Format.csv, Format.xlsx)  # kpi export: a CSV file per table, or one workbook


class Stage(StrEnum):
    """A submission's stage: 速報値 or 確定値 (kpi.db.submissions.STAGES)."""

    preliminary = "preliminary"
    final = "final"


class OutEncoding(StrEnum):
    """The encodings an exported CSV file is written in: UTF-8 with BOM (Excel), CP932, plain UTF-8."""

    utf_8_sig = "utf-8-sig"
    cp932 = "cp932"
    utf_8 = "utf-8"


class ChartName(StrEnum):
    """The charts of the report (`kpi chart NAME`, the HTML page)."""

    short_term = "short_term"
    long_term = "long_term"
    budget = "budget"
    status = "status"
    cohorts = "cohorts"
