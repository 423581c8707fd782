"""The columns of a themes file and the headers accepted for each, without pandera.

`kpi load` maps a large themes file's header and sets DuckDB parsing it while pandera is still being imported;
`schemas.themes` (the schema itself) takes these from here.
"""

from __future__ import annotations

from kpi.settings import Attribute

KIND = "themes"
TABLE = "themes"
KEY = ["theme_id"]
COLUMNS = {
    "theme_id": ["テーマID", "テーマ番号"],
    "item": ["研究開発項目", "項目"],
    "funding": ["契約形態"],
    "element": ["基盤要素"],
    "organizations": ["機関名", "実施者"],
    "title": ["開発テーマ名", "テーマ名"],
    "start_fy": ["開始年度"],
    "end_fy": ["終了年度"],
    "status": ["結果/状況", "結果", "状況"],
    # Why a theme missed its goals or ended early (目標未達, 中止): a code (schemas.followups.REASONS) and details.
    "reason_code": [
        "理由コード",
        "未達・中止の理由",
        "目標未達・中止の理由",
        "目標未達の理由",
        "中止の理由",
        "中止・中断の理由",
    ],
    "reason_text": ["理由の詳細", "理由（詳細）"],
}
OPTIONAL = {"start_fy", "end_fy", "reason_code", "reason_text"}
FREE_TEXT = {"organizations", "title", "reason_text"}
REASONS = ("reason_code", "reason_text")  # optional: a file that gives them is read the ordinary way


class Declared:
    """The columns of a theme list with the theme attributes the programme's settings declare (kpi.settings): each
    attribute an optional column read under its name and its headers; a text attribute is free text."""

    def __init__(self, attributes: tuple[Attribute, ...]) -> None:
        names = {a.name for a in attributes}
        self.KIND, self.TABLE, self.KEY = KIND, TABLE, KEY
        self.ATTRIBUTES = attributes
        self.COLUMNS: dict[str, list[str]] = {**COLUMNS, **{a.name: list(a.headers) for a in attributes}}
        self.OPTIONAL: set[str] = OPTIONAL | names
        self.FREE_TEXT: set[str] = FREE_TEXT | {a.name for a in attributes if a.type == "text"}
