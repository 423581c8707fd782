"""The columns of a themes file and the headers accepted for each, without pandera.

`kpi load` maps a large themes file's header and sets DuckDB parsing it while pandera is still being imported;
`schemas.themes` (the schema itself) takes these from here.
"""

from __future__ import annotations

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
}
OPTIONAL = {"start_fy", "end_fy"}
FREE_TEXT = {"organizations", "title"}
