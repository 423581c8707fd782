"""Issue #32's smaller failures, each on the real command line (in-process, typer's CliRunner, unless a process of
its own is needed): waits that are numbers, reasons that are text, options --submission ignores, the undo dead
end, a submission's figures read where they are recorded, an export on a full disk, and a submission written
again under another time zone."""

from __future__ import annotations

import json
import os
import resource
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from faultkit import Spy, rows
from kit import SAMPLE_THEMES, run_kpi
from matrix import some_in_default
from typer.testing import CliRunner

from kpi.cli.main import whole_app

app = whole_app()


def kpi(*args: str, env: dict[str, str] | None = None) -> Any:
    """`kpi ARGS` in this process (Japanese: the language is the process's, decided as kpi is imported)."""
    return CliRunner().invoke(app, list(args), env={"KPI_WAIT": None, "KPI_DB": None, **(env or {})})


def ok(*args: str) -> Any:
    result = kpi(*args)
    assert result.exit_code == 0, result.stderr
    return result


def corrected_list(folder: Path) -> Path:
    """The sample's 2026-03-31 list with its first three 目標達成 corrected to 目標未達."""
    folder.mkdir(parents=True, exist_ok=True)
    text = SAMPLE_THEMES.read_text(encoding="utf-8-sig").replace("目標達成", "目標未達", 3)
    path = folder / SAMPLE_THEMES.name
    path.write_text(text, encoding="utf-8")
    return path


def latest_load(db: Path) -> int:
    return int(rows(db, "SELECT max(load_id) FROM loads")[0][0])


# ---------------------------------------------------------------------------- waits and reasons


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "-1", "-0.5"])
def test_a_wait_that_is_not_a_finite_number_of_seconds_is_a_usage_error(sample_store: Path, value: str) -> None:
    given = kpi("report", "--db", str(sample_store), "--wait", value)
    assert given.exit_code == 2, given.output
    assert "待つ秒数は 0 以上の有限の数で指定してください" in given.stderr
    by_env = kpi("report", "--db", str(sample_store), env={"KPI_WAIT": value})
    assert by_env.exit_code == 2 and "待つ秒数は 0 以上の有限の数で指定してください" in by_env.stderr
    assert kpi("portfolio", str(sample_store), "--wait", value).exit_code == 2


def test_a_finite_wait_is_still_accepted(sample_store: Path) -> None:
    ok("report", "--db", str(sample_store), "--as-of", "2025", "--wait", "0")
    ok("report", "--db", str(sample_store), "--as-of", "2025", "--wait", "2.5")


@pytest.mark.parametrize("reason", ["", "   ", "\u3000\t"])
def test_a_blank_reason_to_reopen_is_a_usage_error(sample_store: Path, tmp_path: Path, reason: str) -> None:
    loads = latest_load(sample_store)
    budget = tmp_path / "budget.csv"
    budget.write_text("fy,budget,executed\n2031,10,\n", encoding="utf-8")
    refused = kpi("load", "--db", str(sample_store), "--reopen", reason, str(budget))
    assert refused.exit_code == 2 and "理由を文字で書いてください" in refused.stderr
    undo = kpi("undo", "--db", str(sample_store), "--reopen", reason)
    assert undo.exit_code == 2 and "理由を文字で書いてください" in undo.stderr
    assert latest_load(sample_store) == loads


# ---------------------------------------------------------------------------- --submission takes nothing that changes it


@pytest.mark.parametrize(
    ("option", "named"),
    some_in_default(
        [
            (["--stage", "final"], "--stage"),
            (["--stage", "preliminary"], "--stage"),
            (["--format", "xlsx"], "--format"),
            (["-f", "csv"], "--format"),
            (["--encoding", "cp932"], "--encoding"),
        ],
        2,
    ),
)
def test_an_option_that_would_change_a_registered_submission_is_a_usage_error(
    sample_store: Path, tmp_path: Path, option: list[str], named: str
) -> None:
    ok("export", "--db", str(sample_store), "--as-of", "2025", "--out", str(tmp_path / "a"))
    refused = kpi("export", "--db", str(sample_store), "--submission", "1", *option, "--out", str(tmp_path / "b"))
    assert refused.exit_code == 2, refused.output
    assert f"--submission と一緒に {named} は指定できません" in refused.stderr
    assert not (tmp_path / "b").exists()
    ok("export", "--db", str(sample_store), "--submission", "1", "--out", str(tmp_path / "b"), "--force")


# ---------------------------------------------------------------------------- undo


def test_a_load_whose_later_correction_was_undone_can_be_undone(sample_store: Path, tmp_path: Path) -> None:
    """The issue's dead end: list #2 corrected by a later load, that correction undone, then list #2 undone."""
    themes_load = int(rows(sample_store, "SELECT load_id FROM loads WHERE kind = 'themes'")[0][0])
    ok("load", "--db", str(sample_store), str(corrected_list(tmp_path / "fix")))
    correction = latest_load(sample_store)
    ok("undo", str(correction), "--db", str(sample_store))
    undone_correction = latest_load(sample_store)
    assert rows(sample_store, "SELECT count(*) FROM themes") == [(144,)]
    undo = kpi("undo", str(themes_load), "--db", str(sample_store))
    assert undo.exit_code == 0, undo.stderr
    assert rows(sample_store, "SELECT count(*) FROM theme_lists") == [(0,)]
    assert rows(sample_store, "SELECT count(*) FROM themes") == [(0,)]
    # Every earlier state is still as it was known.
    for load, expected in ((themes_load, 39), (correction, 36), (undone_correction, 39)):
        known = json.loads(
            ok("report", "--db", str(sample_store), "--as-of", "2025", "-f", "json", "--known-at", str(load)).stdout
        )
        assert next(k for k in known["kpis"] if k["name"] == "short_term")["numerator"] == expected, load


# ---------------------------------------------------------------------------- a submission read where it is recorded


def test_a_load_just_before_the_export_records_is_in_the_figures_it_records(
    sample_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A load that lands while `kpi export` waits for the write lock: the figures recorded are the ones after it."""
    from contextlib import contextmanager

    from kpi.db.store import Store

    fix = corrected_list(tmp_path / "fix")
    opened = Store.writing

    @contextmanager
    def writing_after_a_load(self: Store) -> Iterator[Any]:
        assert run_kpi("load", "--db", str(self.path), str(fix)).returncode == 0  # another process's load, meanwhile
        with opened(self) as con:
            yield con

    monkeypatch.setattr(Store, "writing", writing_after_a_load)
    ok("export", "--db", str(sample_store), "--as-of", "2025", "--stage", "final", "--out", str(tmp_path / "f"))
    monkeypatch.setattr(Store, "writing", opened)
    [(load_id, figures)] = rows(sample_store, "SELECT load_id, figures FROM submissions")
    assert load_id == latest_load(sample_store)
    assert json.loads(figures)["short_term.numerator"] == 36
    short_term = (tmp_path / "f" / "outcome_kpis.csv").read_text(encoding="utf-8-sig").splitlines()[1]
    assert ",36,56," in short_term
    diff = json.loads(ok("submissions", "diff", "1", "--db", str(sample_store), "-f", "json").stdout)
    assert diff["same"] is True


def test_a_submission_as_known_at_an_earlier_load_is_read_on_the_write_connection(
    sample_store: Path, tmp_path: Path
) -> None:
    themes_load = int(rows(sample_store, "SELECT load_id FROM loads WHERE kind = 'themes'")[0][0])
    ok("export", "--db", str(sample_store), "--as-of", "2025", "--out", str(tmp_path / "a"))
    ok("load", "--db", str(sample_store), str(corrected_list(tmp_path / "fix")))
    out = tmp_path / "then"
    ok("export", "--db", str(sample_store), "--as-of", "2025", "--known-at", str(themes_load), "--out", str(out))
    register = rows(sample_store, "SELECT submission_id, load_id, figures FROM submissions ORDER BY 1")
    assert [(n, load) for n, load, _ in register] == [(1, 8), (2, themes_load)]  # the sample's last load: 8
    assert json.loads(register[1][2])["short_term.numerator"] == 39
    ok("export", "--db", str(sample_store), "--submission", "2", "--out", str(tmp_path / "again"))


# ---------------------------------------------------------------------------- a full disk after the COMMIT


def test_an_export_whose_files_cannot_be_put_in_place_says_what_it_recorded(
    sample_store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    out = tmp_path / "out"
    replace = os.replace

    def full(source: Any, target: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(os, "replace", full)
    result = kpi("export", "--db", str(sample_store), "--as-of", "2025", "--out", str(out))
    monkeypatch.setattr(os, "replace", replace)
    assert result.exit_code == 74, result.stderr
    assert "提出 #1（速報値）を記録しましたが、そのファイルを" in result.stderr
    command = f"kpi export --db {sample_store} --submission 1 --out {out} --force"
    assert command in result.stderr and "もう一度実行してください" not in result.stderr
    assert rows(sample_store, "SELECT submission_id FROM submissions") == [(1,)]
    ok(*command.split()[1:])
    assert rows(sample_store, "SELECT submission_id FROM submissions") == [(1,)]
    assert (out / "outcome_kpis.csv").exists()


def _ignore_sigxfsz() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) instead of killing


@pytest.mark.slow
def test_an_export_that_fills_the_disk_after_its_commit_records_once_and_says_so(
    sample_store: Path, tmp_path: Path
) -> None:
    """The disk fills once the submission is committed (the log is then folded into the database file): the
    submission is recorded once, its files are in place, and the message says so instead of 'run it again'."""
    out = tmp_path / "out"
    args = ("export", "--db", str(sample_store), "--as-of", "2025", "--out", str(out))
    with Spy(*args, pause_at="after COMMIT", preexec_fn=_ignore_sigxfsz) as spy:
        spy.wait_for("paused")
        resource.prlimit(spy.pid, resource.RLIMIT_FSIZE, (0, 0))  # from here on, no file may grow: the disk is full
        spy.resume()
        returncode = spy.finish()
    stderr = spy.stderr()
    assert returncode == 74, stderr
    assert "Traceback" not in stderr and "もう一度実行してください" not in stderr, stderr
    assert f"提出 #1（速報値）を記録し、{out} に 9 個のファイルを書き出しました" in stderr, stderr
    assert "提出の記録は保存されています" in stderr
    [(files,)] = rows(sample_store, "SELECT files FROM submissions")
    import hashlib

    for name, sha in json.loads(files).items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == sha, name
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


# ---------------------------------------------------------------------------- the machine's time zone


@pytest.fixture
def time_zone(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """Set the process's time zone (TZ); put back afterwards."""

    def set_zone(zone: str) -> None:
        monkeypatch.setenv("TZ", zone)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def test_a_workbook_submission_is_the_same_bytes_under_any_time_zone(
    sample_store: Path, tmp_path: Path, time_zone: Any
) -> None:
    time_zone("UTC")
    ok("export", "--db", str(sample_store), "--as-of", "2025", "--format", "xlsx", "--out", str(tmp_path / "a"))
    time_zone("America/New_York")
    ok("export", "--db", str(sample_store), "--submission", "1", "--out", str(tmp_path / "b"))
    name = "kpi_submission.xlsx"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_a_submission_not_made_again_blames_the_version_only_when_it_differs(
    sample_store: Path, tmp_path: Path
) -> None:
    import duckdb

    ok("export", "--db", str(sample_store), "--as-of", "2025", "--out", str(tmp_path / "a"))
    con = duckdb.connect(str(sample_store))
    con.execute("""UPDATE submissions SET files = replace(files, '"themes.csv": "', '"themes.csv": "0')""")
    con.close()
    same = kpi("export", "--db", str(sample_store), "--submission", "1", "--out", str(tmp_path / "b"))
    assert same.exit_code == 3 and "提出 #1 のファイルを同じ内容で作り直せませんでした（themes.csv）" in same.stderr
    assert "版" not in same.stderr, same.stderr
    con = duckdb.connect(str(sample_store))
    con.execute("UPDATE meta SET value = '0.0.1' WHERE key = 'submission.1.kpi_version'")
    con.close()
    other = kpi("export", "--db", str(sample_store), "--submission", "1", "--out", str(tmp_path / "b"))
    assert other.exit_code == 3 and "記録したときの kpi は 0.0.1" in other.stderr, other.stderr
    assert not (tmp_path / "b").exists()
