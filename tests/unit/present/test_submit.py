"""What `kpi export` says when something fails after its submission was committed: what it recorded and wrote."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from kpi.errors import CannotCreate, CannotWrite, DatabaseDamaged, ExitCode
from kpi.present.catalogue import Lang, Words
from kpi.present.messages import error_text
from kpi.present.submit import Submitted, after_recording

RECORDED = Submitted(3, "final", [Path("out/a.csv"), Path("out/manifest.json")], 2025)
JA, EN = Words(Lang.ja), Words(Lang.en)


def test_a_full_disk_once_the_files_are_in_place_says_the_submission_is_recorded() -> None:
    full = CannotWrite("io.disk_full", path="kpi.duckdb.wal", committed=True)
    said = after_recording(full, RECORDED, Path("kpi.duckdb"), Path("out"), True, JA)
    assert said.key == "submission.recorded_disk_full" and said.exit_code == ExitCode.IO_ERROR
    text = error_text(said, JA)
    assert text.startswith("提出 #3（確定値）を記録し、out に 2 個のファイルを書き出しました")
    assert "kpi.duckdb.wal に書き込めませんでした" in text and "もう一度実行してください" not in text
    english = after_recording(full, RECORDED, Path("kpi.duckdb"), Path("out"), True, EN)
    assert "submission #3 (final) is recorded and its 2 files are written in out" in error_text(english, EN)


def test_files_not_put_in_place_name_the_command_that_writes_them_as_recorded() -> None:
    for cause, kind in (
        (OSError(errno.ENOSPC, "full", "out/a.csv"), CannotWrite),
        (PermissionError(errno.EACCES, "no", "out"), CannotCreate),
    ):
        said = after_recording(cause, RECORDED, Path("my db.duckdb"), Path("out"), False, JA)
        assert said.key == "submission.recorded_not_placed" and isinstance(said, kind)
        text = error_text(said, JA)
        assert "kpi export --db 'my db.duckdb' --submission 3 --out out --force" in text
    assert "out/a.csv に書き込めません: ディスクの空きがありません" in error_text(
        after_recording(OSError(errno.ENOSPC, "full", "out/a.csv"), RECORDED, Path("k"), Path("out"), False, JA), JA
    )


def test_another_failure_after_the_files_keeps_its_exit_code_and_says_what_was_recorded() -> None:
    damaged = DatabaseDamaged("db.damaged_after_commit", path="kpi.duckdb", detail="bad block", backup=None)
    said = after_recording(damaged, RECORDED, Path("kpi.duckdb"), Path("out"), True, EN)
    assert said.key == "submission.recorded_then_failed" and said.exit_code == ExitCode.DAMAGED
    assert error_text(said, EN).startswith("submission #3 (final) is recorded and its 2 files are written in out")
    # the cause's own sentence follows (DuckDB's words stay in the --debug traceback, not in the message: #35)
    assert "database kpi.duckdb was then found damaged" in error_text(said, EN)
    assert "bad block" not in error_text(said, EN)


# ---------------------------------------------------------------------------- the confidential answers, apart


def test_the_confidential_answers_are_refused_in_the_submission_s_folder_or_below_it(tmp_path: Path) -> None:
    from kpi.errors import UsageProblem
    from kpi.present.submit import apart

    out = tmp_path / "提出" / "2025"
    link = tmp_path / "link"
    out.mkdir(parents=True)
    link.symlink_to(out)
    for inside in (
        out / "a.csv",
        out / "sub" / "a.xlsx",
        link / "a.csv",
        tmp_path / "提出" / "2025" / ".." / "2025" / "b.csv",
    ):
        with pytest.raises(UsageProblem) as refused:
            apart(out, inside, force=True)
        assert refused.value.key == "submission.confidential_inside", inside
    with pytest.raises(UsageProblem) as refused:
        apart(link, out / "a.csv", force=True)  # (the folder named through a link)
    assert refused.value.key == "submission.confidential_inside"
    apart(out, tmp_path / "提出" / "2025_秘.csv", force=False)  # beside the folder: allowed
    apart(out, None, force=False)


def test_the_confidential_answers_are_refused_in_another_submission_s_folder(tmp_path: Path) -> None:
    """A folder holding a manifest kpi wrote is a submission's, whichever export wrote it (last year's too)."""
    from kpi.errors import UsageProblem
    from kpi.present.submit import apart

    last_year, other = tmp_path / "提出" / "2024", tmp_path / "web"
    last_year.mkdir(parents=True)
    other.mkdir()
    (last_year / "manifest_xlsx.json").write_text('{"tool": "kpi", "as_of_fy": 2024}\n', encoding="utf-8")
    (other / "manifest.json").write_text('{"name": "someone else\'s"}\n', encoding="utf-8")
    for inside in (last_year / "秘.csv", last_year / "秘" / "秘.xlsx"):
        with pytest.raises(UsageProblem) as refused:
            apart(tmp_path / "提出" / "2025", inside, force=False)
        assert refused.value.key == "submission.confidential_inside" and str(last_year) in error_text(refused.value, JA)
    apart(tmp_path / "提出" / "2025", other / "秘.csv", force=False)


def test_the_confidential_file_is_csv_or_xlsx_by_its_name_and_never_replaced_without_force(tmp_path: Path) -> None:
    from kpi.errors import UsageProblem
    from kpi.present.submit import apart

    out = tmp_path / "out"
    for name in ("answers", "answers.json", "answers.xls", "answers.csv.txt"):
        with pytest.raises(UsageProblem) as refused:
            apart(out, tmp_path / name, force=True)
        assert refused.value.key == "export.confidential_suffix" and name in error_text(refused.value, EN)
    existing = tmp_path / "秘.csv"
    existing.write_text("kept\n", encoding="utf-8")
    with pytest.raises(UsageProblem) as refused:
        apart(out, existing, force=False)
    assert refused.value.key == "cli.would_replace"
    apart(out, existing, force=True)
    assert existing.read_text(encoding="utf-8") == "kept\n"  # (refusing reads nothing and writes nothing)


def test_what_export_says_of_the_confidential_answers() -> None:
    from kpi.present.submit import apart_lines

    written = RECORDED._replace(confidential=Path("秘/a.csv"))
    assert apart_lines(written, EN) == [EN("submission.confidential_wrote", path="秘/a.csv")]
    old = RECORDED._replace(set_apart=("confidential_answers.csv",))
    assert "--confidential" in apart_lines(old, EN)[0] and "confidential_answers.csv" in apart_lines(old, JA)[0]
    assert apart_lines(RECORDED, JA) == []
