"""`kpi submissions`: the register, one submission's figures, and why two states of the figures differ; as a
table, CSV for Excel, JSON or a workbook. Also the one line the report and `kpi check` add when today's figures
differ from the latest submission for the year, and what `kpi export` and `kpi undo` say they did."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

from kpi.db.submissions import Stored
from kpi.db.versions import KnownLoad, Undone
from kpi.figures.kpis import KPIS
from kpi.figures.submissions import FIGURE_ORDER, Diff, Standing
from kpi.fiscal import DEFAULT_TIMEZONE, machine_time, shown_time
from kpi.present import labels
from kpi.present.catalogue import Words
from kpi.present.formats import Format
from kpi.present.numbers import number, percent
from kpi.present.tables import Column, Table, emit, is_file, is_text, text

PART = {
    "numerator": "col.numerator",
    "denominator": "col.denominator",
    "ratio": "col.actual",
    "verdict": "col.verdict",
}
STATUS_FIGURE = {
    "status_summary.achieved": "group.achieved",
    "status_summary.on_track": "group.on_track",
    "status_summary.delayed_or_not_achieved": "group.delayed_or_not_achieved",
    "status_summary.terminated": "group.terminated",
    "status_summary.total": "group.total",
}
BUDGET_FIGURE = {
    "budget_execution.total": "submission.figure_budget_total",
    "budget_execution.executed": "submission.figure_budget_executed",
    "budget_execution.ratio": "submission.figure_budget_ratio",
}
CHANGE = {
    "status": "change.status",
    "corrected": "change.corrected",
    "added": "change.added",
    "missing": "change.missing",
    "followup": "change.followup",
}
KPI_SHORT = {
    "short_term": "role.kpi.short_term",
    "long_term": "role.kpi.long_term",
    "long_term_matured": "role.kpi.long_term_matured",
}
ROLE = {
    "numerator": "role.numerator",
    "denominator": "role.denominator",
    "pending": "role.pending",
}


def figure_name(name: str, words: Words, horizon: Any = 3) -> str:
    """A figure's name as a reader says it: 「短期 分子」, 「状況 目標達成」, 「予算 累計」 (`horizon`: the follow-up
    horizon a KPI's name states)."""
    if name == "snapshot":
        return words("col.snapshot")
    if name == "horizon_years":
        return words("submission.figure_horizon")
    if name in STATUS_FIGURE:
        return words("submission.figure_status", group=words(STATUS_FIGURE[name]))
    if name in BUDGET_FIGURE:
        return words(BUDGET_FIGURE[name])
    kpi, _, part = name.partition(".")
    if kpi in labels.KPI and part in PART:
        return f"{words(labels.KPI[kpi].name, horizon=horizon)} {words(PART[part])}"
    return name


def figure_value(name: str, value: Any, words: Words) -> str:
    """A figure's value as the report shows it: a ratio as a percentage, a verdict in words, counts and amounts
    with separators (27,759, never 27759.00000000), '—' for none."""
    if value is None:
        return "—"
    if name.endswith(".ratio"):
        return percent(Fraction(str(value)))
    if name.endswith(".verdict"):
        return words(labels.VERDICT_WORD[str(value)])
    if (isinstance(value, int | float | Decimal) and not isinstance(value, bool)) or _is_amount(value):
        return number(Fraction(str(value)))
    return str(value)


def _is_amount(value: Any) -> bool:
    """A number the register keeps as text (an amount in 億円 with its decimals: "4250.00000000")."""
    return isinstance(value, str) and re.fullmatch(r"-?\d+(\.\d+)?", value) is not None


def stage_word(stage: str, words: Words) -> str:
    return words(labels.STAGE[stage])


# ---------------------------------------------------------------------------- the register


def _wareki(fy: int) -> str:
    from kpi.fiscal import wareki

    return wareki(fy)


def _register_json(s: Stored, timezone: str) -> dict[str, Any]:
    return {
        "submission": s.submission_id,
        "made_at": machine_time(s.made_at, timezone),
        "as_of_fy": s.as_of_fy,
        "stage": s.stage,
        "known_at_load": s.load_id,
        "format": s.format,
        "encoding": s.encoding,
        "lang": s.lang,
        "figures": s.figures,
        "files": s.files,
    }


def register_table(records: list[Stored], words: Words, timezone: str = DEFAULT_TIMEZONE) -> Table:
    """Every submission: number, time, year, stage, the load it was computed from, format, the short-term KPI."""
    short = KPIS[0].key
    columns = [
        Column(words("col.submission"), lambda s: f"#{s.submission_id}"),
        Column(words("col.loaded_at"), lambda s: shown_time(s.made_at, timezone)),
        Column(words("col.as_of"), lambda s: words("report.as_of", fy=s.as_of_fy, wareki=_wareki(s.as_of_fy))),
        Column(words("col.stage"), lambda s: stage_word(s.stage, words)),
        Column(words("col.load"), lambda s: f"#{s.load_id}"),
        Column(words("col.format"), lambda s: s.format),
        Column(
            words("col.short_term_counts"),
            lambda s: f"{s.figures.get(f'{short}.numerator')}/{s.figures.get(f'{short}.denominator')}",
        ),
        Column(
            words("col.short_term_ratio"),
            lambda s: figure_value(f"{short}.ratio", s.figures.get(f"{short}.ratio"), words),
        ),
    ]
    return Table.of("submissions", columns, records, title=words("sheet.submissions"))


def render_register(records: list[Stored], fmt: Format, words: Words, timezone: str) -> str | bytes:
    """`kpi submissions` in a format."""
    json = [_register_json(r, timezone) for r in records]
    return emit(register_table(records, words, timezone), fmt, json=json, empty=words("submission.none"))


def figure_table(figures: dict[str, Any], words: Words) -> Table:
    """Every figure a submission carried, named as a reader says it, valued as the report shows it."""
    names = [*FIGURE_ORDER, *sorted(set(figures) - set(FIGURE_ORDER))]
    horizon = figures.get("horizon_years", 3)
    columns = [
        Column(words("col.figure"), lambda n: figure_name(n, words, horizon)),
        Column(words("col.value"), lambda n: figure_value(n, figures.get(n), words)),
    ]
    return Table.of("figures", columns, [n for n in names if n in figures], title=words("sheet.figures"))


def render_one(s: Stored, fmt: Format, words: Words, timezone: str) -> str | bytes:
    """One submission: what it was, and every figure it carried."""
    figures = figure_table(s.figures, words)
    if not is_text(fmt):
        return emit(figures, fmt, json=_register_json(s, timezone))
    files = "\n".join(f"  {name}  {sha}" for name, sha in s.files.items())
    heading = words("submission.heading", **_heading(s, words, timezone))
    return f"{heading}\n\n{text(figures)}\n\n{words('submission.files')}\n{files}\n"


def _heading(s: Stored, words: Words, timezone: str) -> dict[str, Any]:
    return {
        "n": s.submission_id,
        "stage": stage_word(s.stage, words),
        "as_of": words("report.as_of", fy=s.as_of_fy, wareki=_wareki(s.as_of_fy)),
        "made": shown_time(s.made_at, timezone),
        "load": s.load_id,
    }


# ---------------------------------------------------------------------------- why they differ


def _roles(roles: tuple[str | None, ...], words: Words) -> str:
    return " / ".join(
        f"{words(KPI_SHORT[spec.key])}: {words(ROLE[role]) if role else words('role.none')}"
        for spec, role in zip(KPIS, roles, strict=True)
    )


def _status(code: str | None, words: Words) -> str:
    return words(labels.STATUS[code]) if code in labels.STATUS else "—"


def theme_table(d: Diff, words: Words) -> Table:
    """The themes that explain the differences: the change, the status and the roles before and after, the load."""
    columns = [
        Column(words("col.theme_id"), lambda c: c.theme_id),
        Column(words("col.change"), lambda c: words(CHANGE[c.change])),
        Column(words("col.status_before"), lambda c: _status(c.status_before, words)),
        Column(words("col.status_after"), lambda c: _status(c.status_after, words)),
        Column(words("col.roles_before"), lambda c: _roles(c.roles_before, words)),
        Column(words("col.roles_after"), lambda c: _roles(c.roles_after, words)),
        Column(words("col.load"), lambda c: "" if c.load_id is None else f"#{c.load_id}"),
        Column(words("col.file"), lambda c: c.file_name or ""),
    ]
    return Table.of("themes", columns, d.themes, title=words("sheet.themes_changed"))


def _diff_json(d: Diff) -> dict[str, Any]:
    return {
        "as_of_fy": d.as_of_fy,
        "before": {"submission": d.before.submission_id, "stage": d.before.stage, "known_at_load": d.before.load_id},
        "after": (
            {"submission": d.after.submission_id, "stage": d.after.stage, "known_at_load": d.after.load_id}
            if d.after is not None
            else {"submission": None, "known_at_load": d.known_at}
        ),
        "same": not d.differences,
        "differences": [{"figure": x.figure, "before": x.before, "after": x.after} for x in d.differences],
        "themes": [
            {
                "theme_id": c.theme_id,
                "change": c.change,
                "status_before": c.status_before,
                "status_after": c.status_after,
                "roles_before": dict(zip((s.key for s in KPIS), c.roles_before, strict=True)),
                "roles_after": dict(zip((s.key for s in KPIS), c.roles_after, strict=True)),
                "load": c.load_id,
                "file": c.file_name,
            }
            for c in d.themes
        ],
        "reopened": [{"load": n, "reason": reason} for n, reason in d.reopened],
    }


def _after_name(d: Diff, words: Words) -> str:
    if d.after is None:
        return words("diff.now", load=d.known_at)
    return words("diff.submission", n=d.after.submission_id, stage=stage_word(d.after.stage, words))


def difference_table(d: Diff, before: str, after: str, words: Words) -> Table:
    """Figure by figure, its value in the submission and after."""
    horizon = d.before.figures.get("horizon_years", 3)
    columns = [
        Column(words("col.figure"), lambda x: figure_name(x.figure, words, horizon)),
        Column(before, lambda x: figure_value(x.figure, x.before, words)),
        Column(after, lambda x: figure_value(x.figure, x.after, words)),
    ]
    return Table.of("figures", columns, d.differences, title=words("sheet.figures"))


def render_diff(d: Diff, fmt: Format, words: Words) -> str | bytes:
    """Figure by figure, before and after; the themes that explain the differences, with the load of each change;
    the reasons closed years were reopened. When nothing differs it says so."""
    before = words("diff.submission", n=d.before.submission_id, stage=stage_word(d.before.stage, words))
    after = _after_name(d, words)
    figures, themes = difference_table(d, before, after, words), theme_table(d, words)
    if not is_text(fmt):
        return emit([figures, themes], fmt, json=_diff_json(d))
    reopened = [words("diff.reopened", load=n, reason=reason) for n, reason in d.reopened]
    as_of = words("report.as_of", fy=d.as_of_fy, wareki=_wareki(d.as_of_fy))
    head = words("diff.heading", before=before, after=after, as_of=as_of)
    if not d.differences and not d.themes:
        return "\n".join([head, words("diff.same"), *reopened]) + "\n"
    parts = [head, "", text(figures) if figures.rows else words("diff.figures_same")]
    parts += ["", words("diff.themes", n=len(themes.rows))]
    if themes.rows:
        parts.append(text(themes))
    parts += reopened
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------------------- the command


Result = list[Stored] | Stored | Diff


def check_options(action: str | None, numbers: list[int], fmt: Format, out: Path | None, force: bool) -> None:
    """Usage errors before any work: the numbers an action takes, a workbook only into a file (--out)."""
    from kpi.db.gate import refuse
    from kpi.errors import UsageProblem

    wanted = {None: (0, 0), "show": (1, 1), "diff": (1, 2)}[action]
    if not wanted[0] <= len(numbers) <= wanted[1]:
        raise UsageProblem("submission.numbers", action=action or "", n=len(numbers))
    if is_file(fmt) and out is None:
        raise UsageProblem("cli.xlsx_needs_out")
    refuse(out, force)


def read(con: Any, action: str | None, numbers: list[int]) -> Result:
    """The register, one submission, or a diff (kpi.figures.submissions.diff)."""
    from kpi.db import submissions as register
    from kpi.figures.submissions import diff

    if action == "show":
        return register.get(con, numbers[0])
    if action == "diff":
        return diff(con, numbers[0], numbers[1] if len(numbers) > 1 else None)
    return register.every(con)


def render(result: Result, fmt: Format, words: Words, timezone: str = DEFAULT_TIMEZONE) -> str | bytes:
    """What `kpi submissions` prints (or writes with --out), its times in the programme's calendar (`timezone`)."""
    if isinstance(result, list):
        return render_register(result, fmt, words, timezone)
    if isinstance(result, Diff):
        return render_diff(result, fmt, words)
    return render_one(result, fmt, words, timezone)


# ---------------------------------------------------------------------------- lines other commands add


def standing_line(standing: Standing | None, words: Words) -> str | None:
    """「2025年度の数値は提出 #1（速報値）と異なります（短期 分子 39→37 …）」, or None when none was made or they agree."""
    if standing is None or not standing.differences:
        return None
    s = standing.submission
    horizon = s.figures.get("horizon_years", 3)
    changed = ", ".join(
        f"{figure_name(x.figure, words, horizon)} "
        f"{figure_value(x.figure, x.before, words)}→{figure_value(x.figure, x.after, words)}"
        for x in standing.differences[:3]
    ) + (" …" if len(standing.differences) > 3 else "")
    return words(
        "submission.differs",
        fy=s.as_of_fy,
        n=s.submission_id,
        stage=stage_word(s.stage, words),
        made=s.made_at.strftime("%Y-%m-%d"),
        changed=changed,
    )


def known_at_line(load: KnownLoad | None, words: Words, timezone: str = DEFAULT_TIMEZONE) -> str | None:
    """「第3回の読込の直後の時点（2026-04-02 10:15 JST）」: what a --known-at read is as of."""
    if load is None:
        return None
    return words("known_at.line", load=load.load_id, at=shown_time(load.loaded_at, timezone))


def submitted_lines(number: int, stage: str, written: list[Path], again: bool, words: Words) -> str:
    """What `kpi export` did: the files it wrote, and the submission it registered (or wrote again)."""
    lines = [words("export.wrote", path=path) for path in written]
    key = "submission.written_again" if again else "submission.registered"
    return "\n".join([*lines, words(key, n=number, stage=stage_word(stage, words))])


def undone_line(done: Undone, words: Words) -> str:
    """What `kpi undo` did."""
    return words(
        "undo.done",
        load=done.load_id,
        undone=done.undone,
        file=done.file_name,
        superseded=done.superseded,
        restored=done.restored,
    )
