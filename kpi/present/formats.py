"""The output formats each command offers, one enum per set of choices: the command line offers them, the command's
presenter (its `render`) is the only place that tells them apart."""

from __future__ import annotations

from enum import StrEnum


class ReportFormat(StrEnum):
    """`kpi report`: aligned tables, markdown, CSV, JSON, or one HTML page with charts."""

    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    html = "html"


class TableFormat(StrEnum):
    """`kpi stagegate`, `kpi reconcile`: aligned tables, markdown, CSV or JSON."""

    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"


class ChangesFormat(StrEnum):
    """`kpi changes`: aligned tables, markdown for a mail, or JSON."""

    table = "table"
    markdown = "markdown"
    json = "json"


class CheckFormat(StrEnum):
    """`kpi check`: a line per KPI, or one JSON object."""

    text = "text"
    json = "json"


class DueFormat(StrEnum):
    """`kpi followups due`: a table, the survey sheet (CSV), or JSON."""

    table = "table"
    csv = "csv"
    json = "json"


class ListingFormat(StrEnum):
    """A listing of records (`kpi loads`, `kpi lists`): an aligned table, CSV for Excel, or JSON for scripts."""

    table = "table"
    csv = "csv"
    json = "json"


class PortfolioFormat(StrEnum):
    """`kpi portfolio`: the report's formats and a workbook (xlsx and html need --out)."""

    table = "table"
    markdown = "markdown"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"
    html = "html"


class Stage(StrEnum):
    """A submission's stage: 速報値 or 確定値 (kpi.db.submissions.STAGES)."""

    preliminary = "preliminary"
    final = "final"


class RecordFormat(StrEnum):
    """`kpi submissions`: a table, CSV for Excel, JSON, or a workbook (--out)."""

    table = "table"
    csv = "csv"
    json = "json"
    xlsx = "xlsx"


class ExportFormat(StrEnum):
    """`kpi export`: a CSV file per table, or one xlsx workbook."""

    csv = "csv"
    xlsx = "xlsx"


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
