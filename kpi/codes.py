"""The coded values the database stores, shared by the input contract (schemas/) and the figures."""

from __future__ import annotations

# A theme's result or state. terminated: ended early (at a stage gate, or withdrawn by its organisations), counted
# as the programme's `terminated_themes` setting says; cancelled: its adoption cancelled, out of the programme.
STATUSES = ("achieved", "not_achieved", "delayed", "on_track", "terminated", "cancelled")
TERMINATED = "terminated"
CANCELLED = "cancelled"
ENDED_EARLY = (TERMINATED, CANCELLED)  # the statuses a status cell may write after the year they happened in
REASON_GIVEN = ("not_achieved", *ENDED_EARLY)  # the statuses a theme list may give a reason for (目標未達, 中止)
TERMINATED_THEMES = ("failed", "excluded")  # the settings' ways to count a terminated theme; the first is the default
STAGES = ("研究", "開発", "製品化", "上市", "中止", "中断")  # NEDO's follow-up survey stages
COMMERCIALISED = ("製品化", "上市")  # NEDO's 実用化: the stages of practical use
STOPPED = ("中止", "中断")  # the stages of a survey answer a reason is given for
# Why a theme stopped (中止・中断), as a survey answer codes it (schemas.followups spells each in words).
REASON_CODES = ("technical", "market", "funding", "strategy", "other")
LEADING_ITEM = 3  # 先導研究: excluded from every outcome figure and from the status tables
