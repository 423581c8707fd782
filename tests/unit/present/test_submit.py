"""What `kpi export` says when something fails after its submission was committed: what it recorded and wrote."""

from __future__ import annotations

import errno
import os
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
        assert refused.value.key == "submission.confidential_in_another_folder"
        assert f"別の提出のフォルダ {last_year} " in error_text(refused.value, JA)
    apart(tmp_path / "提出" / "2025", other / "秘.csv", force=False)


def test_another_submission_s_folder_is_named_as_another_s_with_its_number(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`kpi export --out sub --confidential c.csv` run in submission #4's folder names that folder, not `.`."""
    from kpi.errors import UsageProblem
    from kpi.present.submit import apart

    (tmp_path / "manifest.json").write_text('{"tool": "kpi", "submission": {"number": 4}}\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(UsageProblem) as refused:
        apart(Path("sub"), Path("c.csv"), force=False)
    assert refused.value.key == "submission.confidential_in_another"
    assert error_text(refused.value, JA).startswith(f"c.csv: 秘の回答は別の提出（#4）のフォルダ {tmp_path} の中には")
    assert "another submission (#4): " in error_text(refused.value, EN)


@pytest.mark.parametrize(
    ("lang", "encoding", "name"),
    [
        (Lang.ja, "utf-8-sig", "c.csv"),
        (Lang.en, "utf-8-sig", "c.CSV"),
        (Lang.ja, "cp932", "c.csv"),
        (Lang.en, "cp932", "c.csv"),
        (Lang.ja, "utf-8", "c.csv"),
        (Lang.ja, "utf-8-sig", "c.xlsx"),
        (Lang.en, "utf-8-sig", "c.xlsx"),
    ],
)
def test_a_folder_already_holding_a_confidential_file_kpi_wrote_is_no_submission_s_folder(
    tmp_path: Path, lang: Lang, encoding: str, name: str
) -> None:
    """A confidential file written earlier into a folder (or below it) would be sent with a submission written
    there: refused, the file named, whatever the language, encoding or format kpi wrote it in, with --force too."""
    from kpi.errors import UsageProblem
    from kpi.present.export import confidential_file
    from kpi.present.formats import OutEncoding, named_format
    from kpi.present.submit import apart

    answers = [("T1-001", "テーマ", "甲社", 2025, "上市", 12.5, 30.0, "製品", "")]
    fmt = named_format(name)
    assert fmt is not None
    out = tmp_path / "later"
    found = out / "秘" / name
    found.parent.mkdir(parents=True)
    found.write_bytes(confidential_file(answers, Words(lang), OutEncoding(encoding), fmt))
    for force in (False, True):
        with pytest.raises(UsageProblem) as refused:
            apart(out, None, force)
        assert refused.value.key == "submission.confidential_swept" and refused.value.exit_code == ExitCode.USAGE
        assert error_text(refused.value, JA).startswith(f"{found} は kpi が書き出した秘の回答")
        assert f"submission's folder {out} " in error_text(refused.value, EN)
    apart(tmp_path / "elsewhere", None, force=False)  # (a folder that does not exist holds nothing)


def test_only_kpi_s_confidential_first_line_makes_a_file_confidential(tmp_path: Path) -> None:
    """Files whose first line is another, the notice on a later line, a broken workbook, the notice in a .txt:
    none is kpi's confidential file; the first one found (by name) is named."""
    import openpyxl

    from kpi.present.catalogue import WORDS
    from kpi.present.submit import swept

    notice = WORDS["effects.confidential"][0]
    out = tmp_path / "out"
    out.mkdir()
    (out / "themes.csv").write_text(f"テーマID,{notice}\n", encoding="utf-8-sig")
    (out / "later.csv").write_text(f"x\n{notice}\n", encoding="utf-8-sig")
    (out / "note.txt").write_text(f"{notice}\n", encoding="utf-8")
    (out / "broken.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    (out / "empty.csv").write_bytes(b"")
    (out / "binary.csv").write_bytes(bytes(range(256)) * 32)
    book = openpyxl.Workbook()
    book.active.append(["summary"])
    book.create_sheet("2").append([notice])  # (a sheet other than the first)
    book.save(out / "book.xlsx")
    os.mkfifo(out / "pipe.csv")  # never opened: opening a FIFO waits for a writer
    (out / "device.csv").symlink_to("/dev/zero")
    assert swept(out) is None
    (out / "z" / "y").mkdir(parents=True)
    (out / "z" / "y" / "b.csv").write_text(f"{notice},,\n", encoding="utf-8-sig")
    (out / "z" / "a.csv").write_text(f'"{notice}"\n', encoding="cp932")
    assert swept(out) == out / "z" / "a.csv"


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
