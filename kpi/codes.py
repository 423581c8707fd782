"""The coded values the database stores, shared by the input contract (schemas/) and the figures."""

from __future__ import annotations

STATUSES = ("achieved", "not_achieved", "delayed", "on_track")  # a theme's result or state
STAGES = ("研究", "開発", "製品化", "上市", "中止", "中断")  # NEDO's follow-up survey stages
COMMERCIALISED = ("製品化", "上市")  # NEDO's 実用化: the stages of practical use
LEADING_ITEM = 3  # 先導研究: excluded from every outcome figure and from the status tables
