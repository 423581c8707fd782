"""The output formats each command offers: one enum per set of choices, chosen by the command line, rendered here."""

from __future__ import annotations

from enum import StrEnum


class ListingFormat(StrEnum):
    """A listing of records (`kpi loads`, `kpi lists`): an aligned table, CSV for Excel, or JSON for scripts."""

    table = "table"
    csv = "csv"
    json = "json"
