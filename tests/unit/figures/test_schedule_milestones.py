"""Each theme's plan as of a year (kpi.figures.milestones): its status, the events due and overdue, the stage gate
its schedule declares (kpi stagegate due), and the programme's next evaluation."""

from __future__ import annotations

from kit import SAMPLE, theme, themes_csv

from kpi.db.connect import open_for_read
from kpi.figures.milestones import Dates, NextEvaluation, due, next_evaluation, plan_status, plans
from kpi.figures.stagegate import due as gates_due
from kpi.settings import Settings

PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
SCHEDULE = (
    "テーマ番号,事象,名称,予定年度,実績年度\n"
    "T1,開始,,2022,2022\nT1,ステージゲート,,2024,2025\nT1,終了,,2025,2025\n"
    "T2,開始,,R5,R5\nT2,ステージゲート,,令和8年度,\nT2,マイルストーン,試作,2025,2025\nT2,マイルストーン,実証,2026,\n"
    "T2,終了,,2028,\n"
    "T3,開始,,2024,2024\nT3,マイルストーン,設計,2025,\nT3,終了,,2027,\n"
    "T4,開始,,2027,\nT4,終了,,2029,\n"
)


def test_a_plans_status_is_done_late_not_started_or_on_schedule() -> None:
    start, end = Dates(2022, 2022), Dates(2025)
    assert plan_status(start, Dates(2024, 2024), Dates(2025, 2026), [], 2026) == "done"
    assert plan_status(start, Dates(2024, 2025), end, [], 2025) == "late"  # done a year after its plan
    assert plan_status(start, Dates(2024), end, [], 2025) == "late"  # planned before the year, not done
    assert plan_status(start, Dates(2024), end, [], 2024) == "on_schedule"  # due this year
    assert plan_status(start, Dates(2024, 2024), end, [Dates(2023)], 2024) == "late"  # a milestone overdue
    assert plan_status(Dates(2027), Dates(), Dates(2029), [], 2026) == "not_started"


def test_a_plan_is_not_started_only_while_its_start_is_to_come_and_nothing_is_done() -> None:
    assert plan_status(Dates(2026), Dates(), Dates(2029), [], 2026) == "on_schedule"  # it starts this year
    assert (
        plan_status(Dates(2027), Dates(), Dates(2029), [Dates(2026, 2026)], 2026) == "on_schedule"
    )  # a milestone done
    assert plan_status(Dates(2027), Dates(2027, 2025), Dates(2029), [], 2026) == "on_schedule"  # its gate held early
    # no start row: judged by its other events
    assert plan_status(Dates(), Dates(2023, 2023), Dates(2028), [], 2026) == "on_schedule"  # a gate held
    assert plan_status(Dates(), Dates(), Dates(), [Dates(2022, 2022)], 2026) == "on_schedule"  # a milestone done
    assert plan_status(Dates(), Dates(), Dates(2030), [], 2026) == "on_schedule"  # nothing due yet
    assert plan_status(Dates(), Dates(2024), Dates(2030), [], 2026) == "late"  # its gate overdue
    assert plan_status(Dates(), Dates(), Dates(2019), [], 2026) == "late"  # its end overdue
    assert plan_status(Dates(), Dates(), Dates(2025, 2025), [], 2026) == "done"


def test_the_next_evaluation_is_the_first_round_of_the_calendar_in_or_after_the_year() -> None:
    declared = Settings(
        "P", 1, "80%", "50%", 3, 2030, "", evaluations=("終了時2030", "中間2022", "中間評価（2026年度）")
    )
    assert next_evaluation(declared, 2026) == NextEvaluation("interim-2026", 2026, 0)
    assert next_evaluation(declared, 2027) == NextEvaluation("final-2030", 2030, 3)
    assert next_evaluation(declared, 2031) is None
    assert next_evaluation(Settings("P", 1, "80%", "50%", 3, 2030, ""), 2026) is None


def test_plans_due_events_and_the_declared_stage_gate_on_a_small_store(load) -> None:
    themes = [theme("T1", end_fy=2025), *(theme(t, end_fy=2028, status="計画通り") for t in ("T2", "T3", "T4"))]
    db = load({"programme.toml": PROGRAMME, "themes.csv": themes_csv(themes), "schedule.csv": SCHEDULE})
    with open_for_read(db, wait=5) as con:
        found = plans(con, 2026)
        events = due(con, 2026)
        early = plans(con, 2024)
        gates = gates_due(con, 2026)
    assert [(p.theme_id, p.status) for p in found.plans] == [
        ("T3", "late"),
        ("T4", "not_started"),
        ("T2", "on_schedule"),
        ("T1", "done"),
    ]
    t2 = next(p for p in found.plans if p.theme_id == "T2")
    assert (t2.start, t2.gate, t2.end, t2.milestones_done, t2.milestones) == (
        Dates(2023, 2023),
        Dates(2026),
        Dates(2028),
        1,
        2,
    )
    assert [(e.theme_id, e.event, e.name, e.overdue) for e in events.due] == [
        ("T3", "milestone", "設計", True),
        ("T2", "stagegate", "", False),
        ("T2", "milestone", "実証", False),
    ]
    t1 = next(p for p in early.plans if p.theme_id == "T1")
    assert (t1.gate, t1.status) == (Dates(2024), "on_schedule")  # its 2025 record is not known as of 2024
    assert [(g.theme_id, g.gate_fy, g.declared, g.overdue) for g in gates.due] == [("T2", 2026, True, False)]
    assert [u.theme_id for u in gates.term_unknown] == ["T3", "T4"]


def test_a_cancelled_theme_is_left_out_and_a_gate_the_schedule_records_held_is_not_overdue(load) -> None:
    themes = [
        theme("C1", end_fy=2028, status="採択取消"),  # cancelled: in neither list
        *(theme(t, end_fy=2028, status="計画通り") for t in ("H1", "H2", "O1")),
    ]
    schedule = (
        "テーマ番号,事象,名称,予定年度,実績年度\n"
        "C1,開始,,2026,\nC1,ステージゲート,,2026,\n"
        "H1,ステージゲート,,2025,2025\n"  # held on time: not overdue in 2026
        "H2,ステージゲート,,2026,2026\n"  # held this year: due, shown held in 2026
        "O1,ステージゲート,,2025,\n"  # not held: overdue
    )
    db = load({"programme.toml": PROGRAMME, "themes.csv": themes_csv(themes), "schedule.csv": schedule})
    with open_for_read(db, wait=5) as con:
        found = plans(con, 2026)
        events = due(con, 2026)
        gates = gates_due(con, 2026)
        earlier = gates_due(con, 2025)
    assert [(p.theme_id, p.status) for p in found.plans] == [
        ("O1", "late"),
        ("H1", "on_schedule"),
        ("H2", "on_schedule"),
    ]
    assert [(e.theme_id, e.event, e.overdue) for e in events.due] == [
        ("O1", "stagegate", True),
        ("H2", "stagegate", False),  # planned this year (done in it)
    ]
    assert [(g.theme_id, g.gate_fy, g.reviewed_fy, g.overdue) for g in gates.due] == [
        ("O1", 2025, None, True),
        ("H2", 2026, 2026, False),
    ]
    assert [(g.theme_id, g.reviewed_fy) for g in earlier.due] == [("H1", 2025), ("O1", None)]
    assert gates.term_unknown == ()
