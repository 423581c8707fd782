"""`kpi explain KPI --format json` counts by role what `kpi report --format json` counts (#33, "Done when"): for
every KPI in every fiscal year 2022–2030, on the sample (with the illustrative surveys) and on the two programmes of
tests/built_programmes.py (surveys for some themes, terminations, a cancelled adoption, several dated lists, one
dropping themes). Each programme is loaded once with `kpi load`; every year is read through the functions the two
commands call and render with, one year through the commands themselves (in this process, tests/kit.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from built_programmes import PROGRAMMES
from kit import ok
from matrix import some_in_default

from kpi.db.connect import open_for_read
from kpi.figures.explain import explain
from kpi.figures.report import report
from kpi.present.json_out import report_json
from kpi.present.portfolio import explain_json

YEARS = range(2022, 2031)
KPIS = ("short_term", "long_term", "long_term_matured")
CLI_YEAR = 2026  # the year also read through the commands (in this process)


@pytest.fixture(scope="module", params=some_in_default(sorted(PROGRAMMES), 1))  # (the others: CI's slow step)
def programme(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """A programme loaded load by load with `kpi load`, as an office runs it."""
    name = request.param
    folder = tmp_path_factory.mktemp(f"programme_{name}")
    db = folder / "kpi.duckdb"
    for files in PROGRAMMES[name](folder / "in"):
        ok("load", "--db", str(db), *map(str, files))
    return name, db


def json_of(*args: str) -> Any:
    return json.loads(ok(*args, "--format", "json").stdout)


def library(db: Path, years: range | tuple[int, ...]) -> dict[int, tuple[dict[str, Any], dict[str, dict[str, Any]]]]:
    """The JSON `kpi report` and `kpi explain KPI` print as of each year, built by the functions they call."""
    with open_for_read(db, wait=5) as con:
        return {
            fy: (report_json(report(con, fy)), {key: explain_json(explain(con, key, fy)) for key in KPIS})
            for fy in years
        }


def agree(name: str, fy: int, given: dict[str, Any], explained: dict[str, dict[str, Any]]) -> None:
    """Explain's counts by role (and reason) are the report's, KPI by KPI."""
    kpis = {k["name"]: k for k in given["kpis"]}
    assert sorted(kpis) == sorted(KPIS)
    for key in KPIS:
        shown, k = explained[key], kpis[key]
        assert shown["as_of_fy"] == fy and shown["snapshot"] == given["snapshot"], (name, fy, key)
        assert shown["counts"] == k["roles"], (name, fy, key)
        assert {r: n for r, n in shown["reasons"].items() if n} == k["reasons"], (name, fy, key)
        assert sum(shown["counts"].values()) == len(shown["themes"]) == given["exclusions"]["themes_loaded"]
        assert k["denominator"] == k["roles"]["numerator"] + k["roles"]["denominator"], (name, fy, key)
        assert k["numerator"] in (k["roles"]["numerator"], None), (name, fy, key)
        assert (k["numerator"] is None) == (not shown["measured"]), (name, fy, key)


def test_explain_counts_every_kpi_as_the_report_does_every_year(programme: tuple[str, Path]) -> None:
    """Every year through the functions the commands call; one year through the commands themselves."""
    name, db = programme
    seen: dict[str, int] = {}
    for fy, (given, explained) in library(db, YEARS).items():
        agree(name, fy, given, explained)
        notes = given["placement"]
        for what in ("carried", "terminated", "cancelled", "surveys_set_aside"):
            seen[what] = max(seen.get(what, 0), notes[what])
        matured = next(k for k in given["kpis"] if k["name"] == "long_term_matured")
        seen["pending"] = max(seen.get("pending", 0), matured["roles"]["pending"])
    if name != "sample":  # what the programme is built to show, in some year at least
        assert all(seen[what] for what in ("carried", "terminated", "cancelled", "surveys_set_aside", "pending")), seen
    printed = json_of("report", "--db", str(db), "--as-of", str(CLI_YEAR))
    shown = {key: json_of("explain", key, "--db", str(db), "--as-of", str(CLI_YEAR)) for key in KPIS}
    agree(name, CLI_YEAR, printed, shown)
    given, explained = library(db, (CLI_YEAR,))[CLI_YEAR]
    assert printed["kpis"] == given["kpis"] and shown == explained


def test_the_built_programmes_place_their_themes_as_written(programme: tuple[str, Path]) -> None:
    """A few placements of each built programme, worked out by hand from its lists (tests/built_programmes.py)."""
    name, db = programme
    if name == "sample":
        given = library(db, (2025,))[2025][0]
        assert (given["short_term"]["achieved"], given["short_term"]["completed"]) == (39, 56)
        assert given["status_summary"]["total"] == 115
        return
    roles = {
        (t["theme_id"], key): (t["role"], t["reason"])
        for key, e in library(db, (2026,))[2026][1].items()
        for t in e["themes"]
    }
    if name == "a":
        assert roles["A10", "long_term"] == ("numerator", "commercialised")  # carried since 2023-03-31
        assert roles["A03", "long_term_matured"] == ("denominator", "not_commercialised")  # carried, surveyed
        assert roles["A01", "long_term_matured"] == ("numerator", "commercialised")  # end corrected to FY2022
        assert roles["A06", "long_term_matured"] == ("pending", "awaiting_survey")
        assert roles["A09", "short_term"] == ("denominator", "terminated")
        assert roles["A08", "long_term"] == ("denominator", "terminated")
        assert roles["A02", "short_term"] == ("excluded", "cancelled")
        assert roles["A11", "short_term"] == ("pending", "awaiting_final")
    else:
        assert roles["B02", "long_term_matured"] == ("denominator", "not_commercialised")  # carried, surveyed
        assert roles["B03", "long_term_matured"] == ("pending", "awaiting_survey")  # its FY2022 survey set aside
        assert roles["B04", "short_term"] == ("excluded", "terminated")
        assert roles["B10", "long_term"] == ("excluded", "terminated")
        assert roles["B09", "long_term"] == ("excluded", "cancelled")
        assert roles["B06", "short_term"] == ("pending", "delayed")  # carried since 2024-03-31
        assert roles["B08", "short_term"] == ("not_countable", "in_progress")
        assert roles["B07", "long_term"] == ("excluded", "leading_research")


@pytest.mark.slow  # (every grouping of the sample, three years: 4 s; CI's slow step)
def test_the_sample_with_attributes_breaks_down_into_groups_that_sum_to_the_report(tmp_path: Path) -> None:
    """#37's "Done when": the sample, its list given the illustrative attributes (tests/fixtures/attributes: 分野 from
    the seed's fields, 企業規模, 予算額) and the illustrative surveys: for every grouping and year, `kpi report --by`'s
    groups sum to `kpi report`'s every KPI, role and status; `kpi explain KPI --by` counts each group's themes as the
    breakdown does; the SME share is the 中小企業 line."""
    from kit import ROOT, SAMPLE

    db = tmp_path / "kpi.duckdb"
    fixture = ROOT / "tests" / "fixtures" / "attributes"
    ok("load", "--db", str(db), str(SAMPLE))
    ok("load", "--db", str(db), str(SAMPLE / "illustrative"))
    ok(
        "load",
        "--db",
        str(db),
        str(fixture / "programme_illustrative.toml"),
        str(fixture / "themes_illustrative_2026-03-31.csv"),
    )
    for fy in (2024, 2025, 2026):
        whole = json_of("report", "--db", str(db), "--as-of", str(fy))
        kpis = {k["name"]: k for k in whole["kpis"]}
        for by in ("item", "element", "分野", "企業規模"):
            found = json_of("report", "--db", str(db), "--as-of", str(fy), "--by", by)
            assert found["total"]["status"] == whole["status_summary"], (fy, by)
            assert sum(g["adopted"] for g in found["groups"]) == whole["status_summary"]["total"]
            for i, key in enumerate(KPIS):
                total = found["total"]["kpis"][i]
                assert {k: total[k] for k in ("numerator", "denominator", "verdict", "roles")} == {
                    k: kpis[key][k] for k in ("numerator", "denominator", "verdict", "roles")
                }, (fy, by, key)
                for role, n in total["roles"].items():
                    assert sum(g["kpis"][i]["roles"][role] for g in found["groups"]) == n, (fy, by, key, role)
                if total["numerator"] is not None:
                    assert sum(g["kpis"][i]["numerator"] for g in found["groups"]) == total["numerator"]
                explained = json_of("explain", key, "--db", str(db), "--as-of", str(fy), "--by", by)
                for group, shown in zip(found["groups"], explained["groups"], strict=True):
                    assert shown["label"] == group["label"] and shown["counts"] == group["kpis"][i]["roles"]
        sizes = {
            g["label"]: g for g in json_of("report", "--db", str(db), "--as-of", str(fy), "--by", "企業規模")["groups"]
        }
        assert sizes["中小企業"]["share"] == sizes["中小企業"]["adopted"] / whole["status_summary"]["total"]
