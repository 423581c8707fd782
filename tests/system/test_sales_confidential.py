"""Sales kept confidential in every output: a programme whose survey answers carry distinctive sales (one theme's
from two organisations) is read by every command of the tree in every format it writes, and no output holds a
theme's (or an organisation's) sales — nor a difference of two printed figures that equals one; only
`kpi export --confidential FILE` writes them, to that file, apart from the submission's folder, its first line saying
so. A command added to the tree must be placed here: run, or set aside with its reason."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from kit import SAMPLE, cli, write
from system.test_write_matrix import command_tree, leaves

from kpi.present.catalogue import WORDS, Lang, Words
from kpi.present.export import confidential_file
from kpi.present.formats import Format, OutEncoding

HEADER = "theme_id,item,funding,element,organizations,title,start_fy,end_fy,status"
THEMES = [
    "A1,1,委託,a1,甲社、乙社,テーマA1,2020,2022,目標達成",
    "A2,1,委託,a1,丙社,テーマA2,2020,2022,目標達成",
    "A3,1,委託,a2,丁社,テーマA3,2020,2022,目標未達",
    "A4,1,委託,a2,戊社,テーマA4,2020,2022,目標達成",
    "B1,1,委託,b1,己社,テーマB1,2021,2023,目標達成",
    "B2,1,委託,b1,庚社,テーマB2,2021,2023,目標達成",
]
# theme, organisation, stage, sales, cumulative sales, reason: A1's sales of FY2024 are 100.1212 + 23.3355
ANSWERS = [
    ("A1", "甲社", "上市", "100.1212", "150.9191", ""),
    ("A1", "乙社", "製品化", "23.3355", "31.7373", ""),
    ("A2", "", "製品化", "45.6789", "52.4141", ""),
    ("A3", "", "上市", "67.0101", "71.2929", ""),
    ("A4", "", "製品化", "38.3838", "44.5151", ""),
    ("B1", "", "上市", "81.1919", "93.6767", ""),
    ("B2", "", "中止", "", "", "market"),
]
SECRET = [Decimal(v) for a in ANSWERS for v in a[3:5] if v] + [Decimal("123.4567")]  # A1's sum of its organisations

# Commands that print or write no figure of the surveys, or whose output is the organisation's own answer.
SET_ASIDE = {
    ("backup",): "a copy of the database",
    ("init",): "a new programme's files",
    ("load",): "reads files",
    ("restore",): "replaces the database",
    ("undo",): "takes a load back",
    ("followups", "sheets"): "each workbook goes to the organisation it asks, pre-filled with its own last answer",
}
EXTRA = {  # the arguments a command needs besides --db, --as-of, --format and --out
    ("chart",): [["short_term"], ["long_term"], ["budget"], ["status"], ["cohorts"]],
    ("explain",): [["long_term"], ["long_term_matured"], ["short_term"]],
    ("submissions",): [[], ["show", "1"]],
    ("loads",): [[], ["show", "1"], ["show", "2"], ["show", "3"]],  # every load of the store: the answers' too
}
FILE_FORMATS = {"xlsx", "html"}
SUFFIX = {"xlsx": ".xlsx", "html": ".html"}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The programme loaded."""
    folder = tmp_path_factory.mktemp("secret")
    write(folder / "themes.csv", HEADER + "\n" + "\n".join(THEMES) + "\n")
    rows = ["theme_id,survey_fy,organisation,stage,sales,cumulative_sales,reason_code"]
    rows += [f"{t},2024,{o},{s},{v},{c},{r}" for t, o, s, v, c, r in ANSWERS]
    write(folder / "followups.csv", "\n".join(rows) + "\n")
    write(folder / "programme.toml", (SAMPLE / "programme.toml").read_text(encoding="utf-8"))
    db = folder / "kpi.duckdb"
    assert cli("load", "--db", str(db), str(folder)).returncode == 0
    return db


def runs() -> list[tuple[tuple[str, ...], list[str], str | None]]:
    """Every command of the tree not set aside × its extra arguments × each format it offers."""
    found = []
    for path, command in leaves(command_tree()):
        if path in SET_ASIDE:
            continue
        fmt = next((p for p in command.params if "--format" in p.opts), None)
        for fmt_choice in list(getattr(fmt.type, "choices", [])) if fmt else [None]:
            for extra in EXTRA.get(path, [[]]):
                found.append((path, extra, fmt_choice))
    return found


def test_every_command_is_run_or_set_aside() -> None:
    paths = {path for path, _ in leaves(command_tree())}
    assert set(SET_ASIDE) <= paths  # (a renamed command is noticed)
    assert {p for p, _, _ in runs()} == paths - set(SET_ASIDE)


def numbers(text: str) -> set[Decimal]:
    """Every decimal number in a text (thousands separators dropped)."""
    return {Decimal(m.replace(",", "")) for m in re.findall(r"\d[\d,]*\.\d+", text)}


def written(folder: Path) -> str:
    """The text of every file a command wrote (an xlsx workbook: its cells; an SVG chart: its texts)."""
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".xlsx":
            book = openpyxl.load_workbook(path, read_only=True)
            texts += [
                " ".join(str(v) for v in row if v is not None) for ws in book for row in ws.iter_rows(values_only=True)
            ]
        elif path.suffix in (".svg", ".html"):
            texts.append(page_text(path.read_text(encoding="utf-8")))
        elif path.is_file():
            texts.append(path.read_bytes().decode("utf-8-sig", errors="replace"))
    return "\n".join(texts)


def page_text(page: str) -> str:
    """What a page or chart says: a chart's texts (drawn as paths, each said in a comment before it), then the
    page's text without its markup and style (whose numbers are coordinates and sizes)."""
    charts = re.findall(r"<svg\b.*?</svg>", page, flags=re.DOTALL)
    said = [c for chart in charts for c in re.findall(r"<!-- (.*?) -->", chart)]
    page = re.sub(r"<svg\b.*?</svg>|<style\b.*?</style>|<script\b.*?</script>", " ", page, flags=re.DOTALL)
    return "\n".join([*said, re.sub(r"<[^>]*>", " ", page)])


def leaks(printed: set[Decimal]) -> list[str]:
    """The secret values a set of printed numbers shows, as printed or rounded, or as a difference of two."""
    found = []
    for secret in SECRET:
        for p in printed:
            if p == secret or p == round(secret, 2) or p == round(secret, 1):
                found.append(f"{secret} printed as {p}")
        for a, b in itertools.permutations(printed, 2):
            if abs(a - b - secret) < Decimal("0.006"):
                found.append(f"{secret} = {a} − {b}")
    return found


@pytest.mark.slow  # (every command in every format: ~60 runs)
def test_no_output_shows_a_theme_s_sales(store: Path, tmp_path: Path) -> None:
    done = cli("export", "--db", str(store), "--as-of", "2025", "--out", str(tmp_path / "first"))
    assert done.returncode == 0, done.stderr  # (so that `submissions` has one to show)
    problems = []
    for i, (path, extra, fmt) in enumerate(runs()):
        command = dict(leaves(command_tree()))[path]
        names = {p.name for p in command.params}
        args = [*path, *extra]
        args += ["--db", str(store)] if "db" in names else []
        args += ["--as-of", "2025"] if "as_of" in names else []
        args += ["--format", fmt] if fmt else []
        if path == ("portfolio",):
            args.append(str(store))
        out = tmp_path / str(i)
        if "out" in names and (fmt in FILE_FORMATS or path in {("export",), ("chart",), ("backup",)}):
            target = out / ("chart.svg" if path == ("chart",) else f"file{SUFFIX.get(fmt or '', '')}")
            if path == ("export",):
                target = out / "export"
            args += ["--out", str(target)]
        out.mkdir()
        result = cli(*args)
        assert result.returncode in (0, 1, 3), (args, result.stderr)
        shown = numbers(result.stdout + result.stderr + written(out))
        problems += [f"{' '.join(args)}: {leak}" for leak in leaks(shown)]
    assert not problems, "\n".join(problems[:20])


def test_the_report_shows_sums_of_at_least_k_themes_and_says_withheld(store: Path) -> None:
    text = cli("report", "--db", str(store), "--as-of", "2025").stdout
    section = text.split("■ " + WORDS["section.sales"][0])[1].split("■")[0]
    lines = [line.split() for line in section.splitlines()[3:6]]
    # 2022: A1–A4 (4 themes) 274.5294; 2023: B1 alone, withheld, and so 2022 with it (FY2024's total would give it)
    assert lines == [["2022", "秘匿", "秘匿"], ["2023", "秘匿", "秘匿"], ["計", "355.72", "355.72"]]
    assert not leaks(numbers(text))
    reasons = text.split("■ " + WORDS["section.reasons"][0])[1].split("■")[0]
    assert re.search(r"市場・需要\s+1\n", reasons) and re.search(r"計\s+1\n", reasons)


def submission_of(result: Any) -> int:
    """The number of the submission an export recorded (「提出 #N（…）として記録しました」)."""
    return int(re.findall(r"#(\d+)", result.stderr)[-1])


def test_the_confidential_export_is_apart_from_the_submission_and_says_so_first(store: Path, tmp_path: Path) -> None:
    """The answers with their sales go to the file --confidential names, never into the submission's folder, its
    manifest or its record: what the office mails holds no theme's sales."""
    out, apart = tmp_path / "提出" / "2025", tmp_path / "秘" / "answers_2025.csv"
    result = cli("export", "--db", str(store), "--as-of", "2025", "--out", str(out), "--confidential", str(apart))
    assert result.returncode == 0, result.stderr
    text = apart.read_text(encoding="utf-8-sig")
    first, *rows = list(csv.reader(io.StringIO(text)))
    assert first[0] == WORDS["effects.confidential"][0]
    assert rows[0][:3] == ["テーマID", "開発テーマ名", "回答機関"]
    assert {(r[0], r[2], r[5]) for r in rows[1:]} >= {("A1", "甲社", "100.1212"), ("A1", "乙社", "23.3355")}
    assert len(leaks(numbers(text))) >= len(SECRET) - 1  # (the search finds them where they are)
    assert str(apart) in result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in out.iterdir()) == sorted([*manifest["files"], "manifest.json"])
    assert not any("confidential" in name for name in manifest["files"])
    assert not leaks(numbers(written(out))) and WORDS["effects.confidential"][0] not in written(out)
    n = str(submission_of(result))
    shown = cli("submissions", "show", n, "--db", str(store), "--format", "json").stdout
    assert set(json.loads(shown)["files"]) == set(manifest["files"]) and not leaks(numbers(shown))


@pytest.mark.slow  # (three exports, one in xlsx)
def test_a_confidential_workbook_is_apart_and_an_old_submission_with_the_file_is_written_again_without_it(
    store: Path, tmp_path: Path
) -> None:
    """--confidential FILE.xlsx is a workbook of its own (its first row says confidential), the submission's
    workbook holds no sheet of it. A submission recorded before the answers were written apart (its record lists
    confidential_answers.csv) is written again without them, said so; with --confidential FILE.csv they go to
    that file, checked against the bytes the record kept."""
    import duckdb

    book, apart = tmp_path / "book", tmp_path / "秘.xlsx"
    args = ["--db", str(store), "--as-of", "2025", "-f", "xlsx"]
    assert cli("export", *args, "--out", str(book), "--confidential", str(apart)).returncode == 0
    sheet = openpyxl.load_workbook(apart)[WORDS["effects.sheet.confidential"][0]]
    assert sheet["A1"].value == WORDS["effects.confidential"][0] and sheet["A2"].value == "テーマID"
    assert WORDS["effects.sheet.confidential"][0] not in openpyxl.load_workbook(book / "kpi_submission.xlsx").sheetnames
    assert not leaks(numbers(written(book)))

    old, kept = tmp_path / "old", tmp_path / "kept" / "answers.csv"
    made = cli("export", "--db", str(store), "--as-of", "2025", "--out", str(old), "--confidential", str(kept))
    n = submission_of(made)
    con = duckdb.connect(str(store))  # the record as kpi wrote it when the answers were one of the folder's files
    try:
        files = json.loads(con.execute("SELECT files FROM submissions WHERE submission_id = ?", [n]).fetchone()[0])
        files["confidential_answers.csv"] = hashlib.sha256(kept.read_bytes()).hexdigest()
        con.execute("UPDATE submissions SET files = ? WHERE submission_id = ?", [json.dumps(files), n])
    finally:
        con.close()
    again = cli("export", "--db", str(store), "--submission", str(n), "--out", str(tmp_path / "again"))
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in (tmp_path / "again").iterdir()) == sorted(p.name for p in old.iterdir())
    assert "confidential_answers.csv" in again.stderr and "--confidential" in again.stderr
    asked = tmp_path / "秘" / "again.csv"
    both = ["--submission", str(n), "--out", str(tmp_path / "again2"), "--confidential", str(asked)]
    assert cli("export", "--db", str(store), *both).returncode == 0
    assert asked.read_bytes() == kept.read_bytes()
    assert not (tmp_path / "again2" / "confidential_answers.csv").exists()


def test_a_confidential_file_in_the_submission_s_folder_is_refused_and_nothing_is_written(
    store: Path, tmp_path: Path
) -> None:
    out = tmp_path / "提出"
    listed = cli("submissions", "--db", str(store), "--format", "json").stdout
    result = cli(
        "export", "--db", str(store), "--as-of", "2025", "--out", str(out), "--confidential", str(out / "a.csv")
    )
    assert result.returncode == 2 and str(out) in result.stderr
    assert not out.exists() and cli("submissions", "--db", str(store), "--format", "json").stdout == listed


def test_a_folder_holding_a_confidential_file_is_refused_as_a_submission_s_folder(store: Path, tmp_path: Path) -> None:
    """A confidential file written into a folder that was no submission's yet is never swept into a submission
    written there later (nor with --force over one, nor written again by --submission): exit 2, the file named,
    nothing written and nothing recorded."""
    later, first = tmp_path / "later", tmp_path / "first"
    made = cli(
        "export", "--db", str(store), "--as-of", "2025", "--out", str(first), "--confidential", str(later / "c.csv")
    )
    assert made.returncode == 0, made.stderr
    n = submission_of(made)
    (first / "old").mkdir()
    (first / "old" / "c.xlsx").write_bytes(
        confidential_file([], Words(Lang.en), OutEncoding.utf_8_sig, Format.xlsx)  # (as kpi wrote it, in English)
    )
    listed = cli("submissions", "--db", str(store), "--format", "json").stdout
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    for args, found in (
        (["--as-of", "2025", "--out", str(later)], later / "c.csv"),
        (["--as-of", "2025", "--out", str(later), "--force"], later / "c.csv"),
        (["--as-of", "2025", "--out", str(first), "--force", "-f", "xlsx"], first / "old" / "c.xlsx"),
        (["--submission", str(n), "--out", str(first), "--force"], first / "old" / "c.xlsx"),
        (["--submission", str(n), "--out", str(tmp_path)], first / "old" / "c.xlsx"),  # (the first found, by name)
    ):
        refused = cli("export", "--db", str(store), *args)
        assert refused.returncode == 2, (args, refused.stderr)
        assert f"{found} は kpi が書き出した秘の回答" in refused.stderr, args
    assert cli("submissions", "--db", str(store), "--format", "json").stdout == listed
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


@pytest.mark.slow  # (an xlsx export and its workbook made again twice: ~1.3 s)
def test_an_old_workbook_that_held_the_confidential_sheet_says_why_and_what_to_do(store: Path, tmp_path: Path) -> None:
    """A workbook registered when kpi wrote the confidential answers as its last sheet cannot be written again
    without them: refused (exit 3, nothing written), saying so and naming the export of a new submission."""
    import duckdb

    from kpi.db import submissions as register
    from kpi.db.store import Store
    from kpi.figures.report import submission
    from kpi.present.export import Tag, build_files, data_hashes, zone_of

    made = cli("export", "--db", str(store), "--as-of", "2025", "-f", "xlsx", "--out", str(tmp_path / "new"))
    n = submission_of(made)
    with Store(store).reading() as con:  # the workbook as kpi wrote it then: the answers its last sheet
        stored = register.get(con, n)
        content = submission(con, 2025, confidential=True)
    tag = Tag(n, stored.stage, stored.made_at.replace(tzinfo=zone_of(content.report.programme)), stored.load_id)
    old = data_hashes(build_files(content, Words(Lang.ja), OutEncoding.utf_8_sig, Format.xlsx, tag, True))
    con = duckdb.connect(str(store))
    try:
        con.execute("UPDATE submissions SET files = ? WHERE submission_id = ?", [json.dumps(old), n])
    finally:
        con.close()
    again = cli("export", "--db", str(store), "--submission", str(n), "--out", str(tmp_path / "again"))
    assert again.returncode == 3 and not (tmp_path / "again").exists()
    said = f"提出 #{n} の kpi_submission.xlsx には秘の回答（「回答（秘）」シート）が入っていました"
    assert said in again.stderr
    assert "kpi export --as-of 2025 --stage preliminary --format xlsx --out DIR --confidential FILE" in again.stderr
