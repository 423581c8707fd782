"""Money per theme (kpi.figures.money) on a tiny real store, every figure hand-counted: coverage, concentration (the
largest themes' shares, the Lorenz table, the Gini coefficient), the budget per achieved theme read from the
short-term KPI's own placement, and outputs per 100億円 by year; the settings naming the money attributes."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from kit import SAMPLE, THEMES_HEADER, theme, themes_csv, write

from kpi import settings
from kpi.db.connect import open_for_read
from kpi.figures.money import Money, gini, lorenz, money

DECLARED = '\n[attributes."予算額"]\ntype = "money"\n\n[attributes."執行額"]\ntype = "money"\n'
PROGRAMME = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
# T5 is leading research (item 3): in no figure. T3 finished without a budget; T4 is still under way.
THEMES = themes_csv(
    [
        theme("T1", 1, 2023, "目標達成") + ",10,8",
        theme("T2", 1, 2023, "目標未達") + ",30,30",
        theme("T3", 1, 2024, "目標達成") + ",,",
        theme("T4", 2, 2027, "計画通り") + ",60,",
        theme("T5", 3, 2023, "目標達成") + ",5,5",
        theme("T6", 2, 2023, "目標達成") + ",20,",
    ],
    THEMES_HEADER + ",予算額(億円),執行額(億円)",
)
BUDGET = "年度,予算額(億円),執行額(億円)\n2023年度,100,50\n2024年度,100,\n2025年度,200,150\n"
OUTPUTS = "年度,論文数,発表,国内特許出願,国外特許出願,PCT出願\n2023年度,10,0,3,2,1\n2025年度,6,0,2,0,9\n"


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny store, loaded once for the module's tests (they only read it)."""
    from kpi.db.connect import open_for_write
    from kpi.load import ingest

    folder = tmp_path_factory.mktemp("money")
    files = {
        "programme.toml": PROGRAMME + 'theme_executed = "執行額"\n' + DECLARED,
        "themes_2026-03-31.csv": THEMES,
        "budget.csv": BUDGET,
        "outputs.csv": OUTPUTS,
    }
    batch = ingest.read_files([write(folder / name, text) for name, text in files.items()])
    with open_for_write(folder / "kpi.duckdb", wait=5) as con:
        ingest.load_files(con, batch)
    return folder / "kpi.duckdb"


def figures(db: Path, as_of: int = 2025, top: int = 10) -> Money:
    with open_for_read(db, wait=5) as con:
        return money(con, as_of, top)


def test_every_figure_of_a_tiny_store_as_counted_by_hand(tiny: Path) -> None:
    m = figures(tiny, top=3)
    assert (m.budget_attribute, m.executed_attribute) == ("予算額", "執行額")  # the one money attribute left
    # coverage: T5 (leading research) is out; item 1 has T1–T3, item 2 T4 and T6
    assert [(c.item, c.themes, c.budgeted, c.budget, c.paired, c.executed) for c in m.coverage] == [
        (1, 3, 2, Decimal(40), 2, Decimal(38)),
        (2, 2, 2, Decimal(80), 0, Decimal(0)),
        (None, 5, 4, Decimal(120), 2, Decimal(38)),
    ]
    assert m.coverage[-1].execution_ratio == Fraction(38, 40) and m.coverage[1].execution_ratio is None
    c = m.concentration
    assert (c.themes, c.total) == (4, Decimal(120))
    assert [(r.theme_id, r.share, r.cumulative) for r in c.largest] == [
        ("T4", Fraction(1, 2), Fraction(1, 2)),
        ("T2", Fraction(1, 4), Fraction(3, 4)),
        ("T6", Fraction(1, 6), Fraction(11, 12)),
    ]
    assert [(s.top, s.themes, s.share) for s in c.shares] == [(1, 1, Fraction(1, 2)), (5, 4, 1), (10, 4, 1)]
    # smallest first 10, 20, 30, 60: decile d holds the smallest ⌈4d/10⌉
    assert [(r.themes, r.budget_share) for r in c.lorenz] == [
        (1, Fraction(1, 12)),
        (1, Fraction(1, 12)),
        (2, Fraction(1, 4)),
        (2, Fraction(1, 4)),
        (2, Fraction(1, 4)),
        (3, Fraction(1, 2)),
        (3, Fraction(1, 2)),
        (4, Fraction(1)),
        (4, Fraction(1)),
        (4, Fraction(1)),
    ]
    assert c.gini == Fraction(1, 3)  # 2·(10 + 40 + 90 + 240) / (4·120) − 5/4
    # finished: T1, T2, T3, T6 (T4 under way); achieved T1, T3, T6; with a budget T1, T2, T6 (60 億円), T1, T6
    cost = m.cost
    assert (cost.finished, cost.achieved, cost.finished_budgeted, cost.achieved_budgeted) == (4, 3, 3, 2)
    assert (cost.budget, cost.per_achieved, cost.finished_without_budget) == (Decimal(60), Fraction(30), 1)
    # 2024 has no execution (not computable, not 0) and no outputs row
    assert [(y.fy, y.papers, y.patents, y.papers_per, y.patents_per) for y in m.outputs] == [
        (2023, 10, 5, Fraction(20), Fraction(10)),
        (2024, None, None, None, None),
        (2025, 6, 2, Fraction(4), Fraction(4, 3)),
    ]
    total = m.outputs_total
    assert (total.executed, total.papers, total.patents, total.papers_per) == (Decimal(200), 16, 7, Fraction(8))


def test_cost_per_achieved_counts_what_kpi_explain_short_term_counts(tiny: Path) -> None:
    from kpi.figures.explain import explain

    with open_for_read(tiny, wait=5) as con:
        explained = explain(con, "short_term", 2025)
    roles = explained.counts
    cost = figures(tiny).cost
    assert (cost.achieved, cost.finished) == (roles["numerator"], roles["numerator"] + roles["denominator"])


def test_lorenz_and_gini_of_equal_and_of_one_theme_holding_everything() -> None:
    assert gini([Decimal(5)] * 4) == 0
    assert gini([Decimal(0), Decimal(0), Decimal(0), Decimal(8)]) == Fraction(3, 4)  # (n − 1) / n
    assert gini([]) is None and gini([Decimal(0)]) is None and lorenz([]) == ()
    assert [r.budget_share for r in lorenz([Decimal(1)] * 10)] == [Fraction(d, 10) for d in range(1, 11)]


def raw(extra: str, declared: str = DECLARED) -> dict:
    import tomllib

    return tomllib.loads(PROGRAMME + extra + declared)


@pytest.mark.parametrize(
    ("extra", "declared", "found"),
    [
        ('theme_budget = "予算額"\n', DECLARED, []),
        ('theme_budget = "予算"\n', DECLARED, [("theme_budget", "予算", "rule.setting.theme_money")]),
        ('theme_budget = "予算額"\n', "", [("theme_budget", "予算額", "rule.setting.theme_money")]),
        (
            'theme_executed = "分野"\n',
            '\n[attributes."分野"]\ntype = "text"\n',
            [("theme_executed", "分野", "rule.setting.theme_money")],
        ),
        (
            'theme_budget = "予算額"\ntheme_executed = "予算額"\n',
            DECLARED,
            [("theme_executed", "予算額", "rule.setting.theme_money_same")],
        ),
        ('theme_budget = ""\n', DECLARED, [("theme_budget", "", "rule.setting.empty")]),
    ],
)
def test_the_money_settings_name_a_declared_money_attribute(extra: str, declared: str, found: list) -> None:
    assert [(p.key, p.value, p.rule) for p in settings.problems(raw(extra, declared))] == found


def test_the_budget_attribute_defaults_to_the_one_money_attribute() -> None:
    def stored(extra: str, declared: str = DECLARED) -> settings.Settings:
        loaded = settings.Settings.from_stored(settings.normalise(raw(extra, declared)))
        assert loaded is not None
        return loaded

    assert stored("").budget_attribute is None  # two money attributes, none named
    assert stored('theme_budget = " 予算額 "\n').budget_attribute == "予算額"  # as the attribute is named (NFKC)
    assert stored("", '\n[attributes."予算額"]\ntype = "money"\n').budget_attribute == "予算額"
    assert stored("", "").budget_attribute is None
    assert stored('theme_budget = "予算額"\n').as_json() == stored("").as_json()  # the report's JSON unchanged
