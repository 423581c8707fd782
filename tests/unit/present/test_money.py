"""`kpi money` as presented (kpi.present.money): without a per-theme budget the document says how to declare one in
the place of the per-theme figures and still gives outputs per 100億円; a year without execution is —, never 0."""

from __future__ import annotations

import json
from decimal import Decimal

from kpi.db.notices import notices
from kpi.figures.money import Money, OutputsPerMoney, ThemeMoney, concentration, cost_per_achieved, coverage
from kpi.present.catalogue import Words
from kpi.present.formats import Format
from kpi.present.money import render

WITHOUT = Money(
    as_of=2025,
    snapshot=None,
    budget_attribute=None,
    executed_attribute=None,
    themes=(),
    coverage=(),
    concentration=concentration([]),
    cost=cost_per_achieved([]),
    outputs=(OutputsPerMoney(2024, Decimal(0), 3, 1), OutputsPerMoney(2025, Decimal(50), 10, 5)),
    outputs_total=OutputsPerMoney(0, Decimal(50), 10, 5),
)


def test_without_a_per_theme_budget_the_document_says_how_to_declare_one() -> None:
    text = render(WITHOUT, Format.table, Words("en"))
    assert isinstance(text, str)
    first, _, rest = text.partition("\n\n")
    assert first.startswith('No per-theme budget: declare [attributes."予算額"] with type = "money"')
    rows = [line.split() for line in rest.splitlines()[3:6]]
    assert rows == [
        ["2024", "0", "3", "1", "—", "—"],
        ["2025", "50", "10", "5", "20.00", "10.00"],
        ["total", "50", "10", "5", "20.00", "10.00"],
    ]
    assert notices() == []  # said in the document, not again as a notice


def test_without_a_per_theme_budget_json_and_csv_give_the_outputs_and_a_notice() -> None:
    data = json.loads(render(WITHOUT, Format.json, Words("en")))
    assert data["per_theme"] is None and data["theme_budget"] is None
    assert [(y["fy"], y["papers_per_100oku"], y["patents_per_100oku"]) for y in data["outputs_per_100oku"]] == [
        (2024, None, None),
        (2025, 20, 10),
    ]
    assert notices() == [("money.no_theme_budget", {})]
    csv = render(WITHOUT, Format.csv, Words("en"))
    assert isinstance(csv, str) and csv.splitlines()[0].startswith("FY,executed (億円),papers")
    assert len(csv.splitlines()) == 4 and csv.endswith("\r\n")  # the outputs table alone: header, 2 years, total
    notices()


def test_with_execution_declared_the_coverage_gives_the_execution_ratio() -> None:
    themes = [
        ThemeMoney("T1", 1, "a", Decimal(10), Decimal(8), "numerator"),
        ThemeMoney("T2", 1, "b", Decimal(30), Decimal(30), "denominator"),
        ThemeMoney("T3", 1, "c", Decimal(60), None, "not_countable"),
    ]
    m = WITHOUT._replace(
        budget_attribute="予算額",
        executed_attribute="執行額",
        themes=tuple(themes),
        coverage=coverage(themes),
        concentration=concentration(themes),
        cost=cost_per_achieved(themes),
    )
    text = render(m, Format.table, Words("en"))
    assert isinstance(text, str)
    total = next(line for line in text.splitlines() if line.startswith("total"))
    assert total.split() == ["total", "3", "3", "100", "2", "40", "38", "95.0%"]  # 38 / 40: T3 has no execution
    assert "Execution: attribute 執行額" in text and "Of the 2 themes that finished R&D, the 0 without" in text
    assert "per achieved theme (億円)" in text and text.count("■ ") == 6
