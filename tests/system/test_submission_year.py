"""A submission names its year (issue #33): `kpi export` without --as-of is a usage error, its first line and its
manifest name the fiscal year and the stage, a final submission waits for its year to end in the programme's
calendar, and a closed year takes a later list of the same content (the date of a list is not a figure)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from faultkit import rows
from kit import SAMPLE, SAMPLE_THEMES, invoke, ok, run_kpi, run_kpi_en

from kpi.fiscal import current_fy, wareki


def submissions(db: Path) -> int:
    return int(rows(db, "SELECT count(*) FROM submissions")[0][0])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused_and_untouched(db: Path, out: Path, *args: str, lang: str = "ja") -> str:
    """`kpi export ARGS`, which must be a usage error that writes nothing: no folder, the database's bytes as they
    were, no submission registered; its message (English in a process of its own: the language of an error is the
    process's)."""
    before, count = digest(db), submissions(db)
    if lang == "en":
        result = run_kpi_en("export", "--db", str(db), "--out", str(out), *args)
        code, said = result.returncode, result.stderr
    else:
        ran = invoke("export", "--db", str(db), "--out", str(out), *args)
        code, said = ran.exit_code, ran.stderr
    assert code == 2, (code, said)
    assert "Traceback" not in said and len(said.splitlines()) == 1
    assert not out.exists() and digest(db) == before and submissions(db) == count
    return said


# ---------------------------------------------------------------------------- --as-of is the submission's year


def test_export_without_as_of_is_a_usage_error_naming_the_year_to_give(sample_store: Path, tmp_path: Path) -> None:
    now = current_fy()  # the example years follow today's fiscal year (Japan's calendar)
    ja = refused_and_untouched(sample_store, tmp_path / "提出")
    assert "提出する年度を --as-of で指定してください" in ja
    assert f"--as-of {now - 1} --stage final" in ja and f"今年度の速報値は --as-of {now}" in ja
    assert "--submission N" in ja
    en = refused_and_untouched(sample_store, tmp_path / "out", lang="en")
    assert "name the fiscal year of the submission with --as-of" in en and "nothing was written" in en


def test_a_recorded_submission_is_written_again_without_as_of(sample_store: Path, tmp_path: Path) -> None:
    ok("export", "--db", str(sample_store), "--as-of", "2024", "--out", str(tmp_path / "a"))
    again = ok("export", "--db", str(sample_store), "--submission", "1", "--out", str(tmp_path / "b"))
    assert (
        again.stderr.splitlines()[0]
        == f"2024年度（令和6年度）の提出ファイル（速報値）を書き出しました: {tmp_path / 'b'}"
    )
    for name in ("outcome_kpis.csv", "themes.csv"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


@pytest.mark.parametrize(
    ("lang", "first", "written"),
    [
        ("ja", "2025年度（令和7年度）の提出ファイル（速報値）", "を書き出しました: "),
        ("en", "FY2025 (令和7年度) submission files (preliminary)", " written to "),
    ],
)
def test_the_first_line_and_the_manifest_name_the_year_and_the_stage(
    sample_store: Path, tmp_path: Path, lang: str, first: str, written: str
) -> None:
    out = tmp_path / "提出"
    done = run_kpi("export", "--db", str(sample_store), "--as-of", "R7", "--out", str(out), "--lang", lang)
    assert done.returncode == 0, done.stderr  # (a process of its own: the language of its words is the process's)
    lines = done.stderr.splitlines()
    assert lines[0] == f"{first}{written}{out}"
    assert len(lines) == 1 + len(list(out.iterdir())) + 1  # the year, a line per file, the submission recorded
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["title"] == first
    assert (manifest["as_of_fy"], manifest["as_of_wareki"]) == (2025, "令和7年度")
    assert manifest["fiscal_year"] == {"begins": "2025-04-01", "ends": "2026-03-31"}
    assert manifest["submission"]["stage"] == "preliminary"


# ---------------------------------------------------------------------------- a final submission: an ended year only


def test_a_final_submission_for_a_year_not_yet_ended_is_refused(sample_store: Path, tmp_path: Path) -> None:
    """The cron slip: `--stage final` of the running year closed it; the year is refused until 31 March F+1."""
    now = current_fy()
    for year in (now, now + 1):
        ja = refused_and_untouched(sample_store, tmp_path / "final", "--as-of", str(year), "--stage", "final")
        assert f"{year}年度（{wareki(year)}）はまだ終わっていません（{year + 1}-03-31 まで。" in ja
        assert "プログラムの暦 Asia/Tokyo で今日は" in ja and "速報値（--stage preliminary）" in ja
    en = refused_and_untouched(sample_store, tmp_path / "final", "--as-of", str(now), "--stage", "final", lang="en")
    assert f"FY{now} ({wareki(now)}) has not ended (it runs to {now + 1}-03-31;" in en
    # Its preliminary figures, and the final figures of the year that has ended, are submitted.
    ok("export", "--db", str(sample_store), "--as-of", str(now), "--out", str(tmp_path / "preliminary"))
    done = ok(
        "export", "--db", str(sample_store), "--as-of", str(now - 1), "--stage", "final", "--out", str(tmp_path / "f")
    )
    assert done.stderr.splitlines()[0].startswith(f"{now - 1}年度（{wareki(now - 1)}）の提出ファイル（確定値）")
    assert rows(sample_store, "SELECT as_of_fy, stage FROM submissions ORDER BY 1") == [
        (now - 1, "final"),
        (now, "preliminary"),
    ]


# ---------------------------------------------------------------------------- a closed year and a later list


@pytest.fixture(scope="module")
def _closed_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with its list dated 2026-03-30, and FY2025 closed by a final submission from that list."""
    root = tmp_path_factory.mktemp("closed")
    inbox = root / "inbox"
    shutil.copytree(SAMPLE, inbox, ignore=shutil.ignore_patterns("themes_*", "illustrative", "rs"))
    shutil.copy(SAMPLE_THEMES, inbox / "themes_2026-03-30.csv")
    db = root / "kpi.duckdb"
    ok("load", "--db", str(db), str(inbox))
    ok("export", "--db", str(db), "--as-of", "2025", "--stage", "final", "--out", str(root / "final"))
    return db


@pytest.fixture
def closed(_closed_db: Path, tmp_path: Path) -> Path:
    db = tmp_path / "kpi.duckdb"
    shutil.copy(_closed_db, db)
    return db


def loads(db: Path) -> int:
    return int(rows(db, "SELECT count(*) FROM loads")[0][0])


def test_a_closed_year_takes_a_later_list_of_the_same_content(closed: Path, tmp_path: Path) -> None:
    """The list in force for FY2025 moves from 2026-03-30 to 2026-03-31 and no figure changes: not refused."""
    before = loads(closed)
    (tmp_path / "april").mkdir()
    same = shutil.copy(SAMPLE_THEMES, tmp_path / "april" / SAMPLE_THEMES.name)
    ok("load", "--db", str(closed), str(same))
    assert loads(closed) == before + 1
    report = json.loads(ok("report", "--db", str(closed), "--as-of", "2025", "--format", "json").stdout)
    assert report["snapshot"] == "2026-03-31"
    assert report["latest_submission"]["differs"] is False and report["latest_submission"]["differences"] == []
    diff = json.loads(ok("submissions", "diff", "1", "--db", str(closed), "--format", "json").stdout)
    assert diff["same"] is True and diff["differences"] == []
    assert "数値に違いはありません" in ok("submissions", "diff", "1", "--db", str(closed)).stdout
    # The submission still records the list it was computed from.
    shown = json.loads(ok("submissions", "show", "1", "--db", str(closed), "--format", "json").stdout)
    assert shown["figures"]["snapshot"] == "2026-03-30"


def test_a_closed_year_still_refuses_a_list_that_changes_a_figure(closed: Path, tmp_path: Path) -> None:
    before = loads(closed)
    (tmp_path / "fix").mkdir()
    changed = tmp_path / "fix" / SAMPLE_THEMES.name
    changed.write_text(
        SAMPLE_THEMES.read_text(encoding="utf-8-sig").replace("目標達成", "目標未達", 1), encoding="utf-8"
    )
    refused = invoke("load", "--db", str(closed), str(changed))
    assert refused.exit_code == 3, refused.output
    assert "2025年度は確定値を提出済みです（提出 #1" in refused.stderr
    assert loads(closed) == before
