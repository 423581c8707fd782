"""How `kpi reconcile` says which reading of a published yearly figure agrees: cumulative, end-year cohort, both or
neither, each with both values."""

from __future__ import annotations

import json

import pytest

from kpi.exact import ratio
from kpi.figures.reconcile import Comparison, Reading, at_printed, compare
from kpi.present.catalogue import Lang, Words
from kpi.present.formats import TableFormat
from kpi.present.reconcile import agree_text, computed_cell, render

JA, EN = Words(Lang.ja), Words(Lang.en)


def yearly(published: str, cumulative: tuple[int, int], cohort: tuple[int, int]) -> Comparison:
    """A published yearly short-term actual read both ways, as kpi.figures.reconcile builds it."""
    readings = tuple(
        Reading(name, n, d, at_printed(published, ratio(n, d)))
        for name, (n, d) in (("cumulative", cumulative), ("cohort", cohort))
    )
    agreeing = [r for r in readings if r.computed is not None and str(r.computed) == published.rstrip("%")]
    exact = (agreeing or list(readings))[0].exact
    return compare("rs.short_term.actual", 2023, published, exact, "RS", [])._replace(readings=readings)


@pytest.mark.parametrize(
    ("comparison", "ja", "en", "agree"),
    [
        (yearly("85%", (11, 13), (10, 12)), "一致（累計）", "yes (cumulative)", True),
        (yearly("83%", (11, 13), (10, 12)), "一致（年度終了分）", "yes (end-year cohort)", True),
        (yearly("100%", (1, 1), (1, 1)), "一致（累計・年度終了分とも）", "yes (both readings)", True),
        (yearly("72%", (25, 33), (14, 20)), "不一致（累計・年度終了分とも）", "NO (neither reading)", False),
    ],
)
def test_which_reading_agrees(comparison: Comparison, ja: str, en: str, agree: bool) -> None:
    assert (agree_text(comparison, JA), agree_text(comparison, EN), comparison.agree) == (ja, en, agree)


def test_both_values_are_shown_at_the_printed_precision() -> None:
    """Each reading is compared as any printed percentage is: rounded half up at the printed precision."""
    c = yearly("83.3%", (11, 13), (10, 12))
    assert computed_cell(c, JA) == "累計 84.6% / 年度終了分 83.3%"
    assert computed_cell(c, EN) == "cumulative 84.6% / end-year cohort 83.3%"
    assert c.matched == ("cohort",)
    no_cohort = yearly("85%", (11, 13), (0, 0))  # no theme ended that year: the cohort reading has no value
    assert computed_cell(no_cohort, EN) == "cumulative 85% / end-year cohort —" and no_cohort.matched == ("cumulative",)
    plain = compare("short_term.ratio", 2025, "80%", ratio(39, 56), "report", [])
    assert (computed_cell(plain, JA), agree_text(plain, JA)) == ("70%", "不一致")


def test_json_gives_each_reading_its_counts_value_and_whether_it_agrees() -> None:
    [figure] = json.loads(render([yearly("83%", (11, 13), (10, 12))], TableFormat.json, EN))["figures"]
    assert (figure["computed"], figure["agree"], figure["matched"]) == ("83%", True, ["cohort"])
    assert [
        (r["reading"], r["numerator"], r["denominator"], r["computed"], r["agree"]) for r in figure["readings"]
    ] == [
        ("cumulative", 11, 13, "85%", False),
        ("cohort", 10, 12, "83%", True),
    ]
    assert figure["readings"][1]["computed_exact"] == 10 / 12
    assert (
        "readings"
        not in json.loads(
            render([compare("short_term.ratio", 2025, "80%", ratio(39, 56), "report", [])], TableFormat.json, EN)
        )["figures"][0]
    )
