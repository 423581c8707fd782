"""The programme calendar's settings checked against the evaluation rounds: each round of `evaluations` names one
(schemas.rounds, as the evaluation files write them) and falls inside the declared `period`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from kpi import settings
from schemas.rounds import parse_round, round_parts


def calendar_problems(raw: Mapping[str, Any], found: list[settings.Problem]) -> list[settings.Problem]:
    """Every round of `evaluations` that names no evaluation round, or one outside the period (when both keys are
    sound: `found` holds the problems settings.problems already gave)."""
    if "evaluations" not in raw or any(p.key in ("evaluations", "period") for p in found):
        return []
    period = settings.parse_period(raw["period"]) if "period" in raw else None
    problems = []
    for name in settings.parse_evaluations(raw["evaluations"]):
        code = parse_round(name)
        if code is None:
            problems.append(settings.Problem("evaluations", name, "rule.setting.evaluation_round"))
            continue
        parts = round_parts(code)  # a parsed round always has its year
        if period is not None and parts is not None and not period[0] <= parts[1] <= period[1]:
            problems.append(settings.Problem("evaluations", name, "rule.setting.evaluation_outside_period"))
    return problems
