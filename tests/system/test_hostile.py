"""Nothing a user names can destroy data, and hostile or odd files are refused in bounded time and memory.

Each case asserts its exit code, its one line (or its rule) and that no file changed. The cases bounded in time and
memory (the child's own rusage, from wait4) and those in a read-only mount run the real command in a subprocess
(`kpi`); the others run it in this process (`here`).
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
from faultkit import copy_db, kpi_env, rows, table_checksums
from kit import SAMPLE, SAMPLE_THEMES, cli, theme, themes_csv, write

MAX_SECONDS = 30.0
MAX_PEAK_KB = 1024 * 1024  # 1 GiB
HEADER = ["theme_id", "item", "funding", "element", "organizations", "title", "start_fy", "end_fy", "status"]


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_kb: int


# The measured command runs under a small launcher: Linux keeps a child's peak memory across fork and exec, so a
# child of the test process itself would report the test process's own peak.
LAUNCHER = """
import os, subprocess, sys
child = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(child.pid, 0)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(os.waitstatus_to_exitcode(status) % 256)
"""


def kpi(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, prefix: list[str] | None = None) -> Run:
    """`python -m kpi ARGS` (its output through pipes, as a person or a script reads it) with its time and its own
    peak memory (resource usage from wait4, in a launcher)."""
    with tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak"
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", LAUNCHER, str(peak_file), *(prefix or []), sys.executable, "-m", "kpi", *args],
            capture_output=True,
            text=True,
            env={**kpi_env(), **(env or {})},
            cwd=cwd,
            timeout=300,
        )
        seconds = time.monotonic() - started
        peak = int(peak_file.read_text()) if peak_file.exists() else 0
    return Run(result.returncode, result.stdout, result.stderr, seconds, peak)


def here(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """`kpi ARGS` in this process (tests/kit.py `cli`), for a case whose time and memory are not measured."""
    started = time.monotonic()
    result = cli(*args, cwd=cwd, env=env)
    return Run(result.returncode, result.stdout, result.stderr, time.monotonic() - started, 0)


def bounded(run: Run) -> None:
    assert run.seconds < MAX_SECONDS, run.seconds
    assert run.peak_kb < MAX_PEAK_KB, run.peak_kb
    assert "Traceback" not in run.stderr, run.stderr


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(_sample_db: Path, tmp_path: Path) -> Path:
    return copy_db(_sample_db, tmp_path / "kpi.duckdb")


# ---------------------------------------------------------------------------- outputs never replace what they must not


@pytest.mark.parametrize("fmt", ["html", "csv", "markdown"])
def test_an_output_that_is_the_database_is_refused_and_the_database_opens_unchanged(store: Path, fmt: str) -> None:
    before = digest(store)
    result = here("report", "--db", str(store), "--format", fmt, "--out", str(store), "--force")
    assert result.code == 2, result.stderr
    assert result.stderr.splitlines() == [
        f"kpi: {store} はデータベース（またはその記録・バックアップ・復元で残した写し）です。--force を付けても置き換えません。別の書き出し先を指定してください"
    ]
    assert digest(store) == before
    assert here("report", "--db", str(store), "--as-of", "2025").code == 0


def test_an_output_that_is_a_backup_or_the_log_is_refused(store: Path, tmp_path: Path) -> None:
    assert here("backup", "--db", str(store)).code == 0
    [copy] = (tmp_path / "kpi.duckdb.backups").iterdir()
    kept = digest(copy)
    for target in (copy, tmp_path / "kpi.duckdb.wal", tmp_path / "kpi.duckdb.backups" / "new.csv"):
        result = here("report", "--db", str(store), "--format", "csv", "--out", str(target), "--force")
        assert result.code == 2 and "はデータベース" in result.stderr, result.stderr
    assert digest(copy) == kept and not (tmp_path / "kpi.duckdb.wal").exists()
    exported = here(
        "export", "--db", str(store), "--as-of", "2025", "--out", str(tmp_path / "kpi.duckdb.backups"), "--force"
    )
    assert exported.code == 2 and sorted(p.name for p in copy.parent.iterdir()) == [copy.name]


@pytest.mark.parametrize(
    ("target", "words"),
    [
        ("folder", "はフォルダです"),
        ("/dev/null", "はデバイスです"),
        ("/dev/full", "はデバイスです"),
        ("fifo", "は名前付きパイプ（FIFO）です"),
    ],
)
def test_an_output_that_is_not_a_regular_file_is_refused_before_anything_is_written(
    store: Path, tmp_path: Path, target: str, words: str
) -> None:
    if target == "folder":
        path = tmp_path / "out"
        path.mkdir()
    elif target == "fifo":
        path = tmp_path / "report.csv"
        os.mkfifo(path)
    else:
        path = Path(target)
    mode = path.stat().st_mode
    result = kpi("report", "--db", str(store), "--format", "csv", "--out", str(path), "--force")
    bounded(result)
    assert result.code == 2 and words in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    assert path.stat().st_mode == mode  # a device stays a device
    assert not list(tmp_path.rglob("*.tmp")) and not list(tmp_path.rglob(".*.tmp"))


def test_an_existing_output_is_replaced_only_with_force(store: Path, tmp_path: Path) -> None:
    out = write(tmp_path / "report.csv", "keep me")
    refused = here("report", "--db", str(store), "--format", "csv", "--out", str(out))
    assert refused.code == 2 and "--force" in refused.stderr and out.read_text() == "keep me"
    assert here("report", "--db", str(store), "--format", "csv", "--out", str(out), "--force").code == 0
    written = out.read_text(encoding="utf-8-sig")
    assert written.startswith("ポスト5G") and "\n\nアウトカム指標\n" in written  # the programme, then the tables


# ---------------------------------------------------------------------------- a read-only folder: its own exit codes


def read_only(folder: Path) -> list[str]:
    """A prefix that runs a command with `folder` bind-mounted read-only in its own mount namespace (EROFS)."""
    return ["unshare", "-rm", "sh", "-c", f'mount --bind -o ro "{folder}" "{folder}" && exec "$0" "$@"']


def test_a_database_in_a_read_only_folder_and_an_output_there_get_their_own_exit_codes(
    store: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    db = copy_db(store, folder / "kpi.duckdb")
    before = digest(db)
    report = kpi("report", "--db", str(db), "--as-of", "2025", prefix=read_only(folder))
    assert report.code == 0, report.stderr  # reading needs no write
    load = kpi("load", "--db", str(db), str(SAMPLE / "budget.csv"), prefix=read_only(folder))
    assert load.code == 77, load.stderr
    assert load.stderr.startswith(f"kpi: データベース {db} を開けないか書き込めません") and "権限" in load.stderr
    out = kpi("report", "--db", str(store), "--format", "csv", "--out", str(folder / "r.csv"), prefix=read_only(folder))
    assert out.code == 73 and "を作れません" in out.stderr, out.stderr
    export = kpi(
        "export", "--db", str(store), "--as-of", "2025", "--out", str(folder / "sub"), prefix=read_only(folder)
    )
    assert export.code == 73 and "を作れません" in export.stderr, export.stderr
    assert digest(db) == before and sorted(p.name for p in folder.iterdir()) == ["kpi.duckdb"]


# ---------------------------------------------------------------------------- a load never deletes a file it did not create


def other_tools_database(path: Path, sql: str) -> Path:
    con = duckdb.connect(str(path))
    if sql:
        con.execute(sql)
    con.close()
    return path


@pytest.mark.parametrize(
    ("made_with", "code"),
    [
        ("CREATE MACRO twice(x) AS x * 2", 3),
        ("CREATE SEQUENCE serial", 3),
        ("", 3),  # an empty database another tool wrote: kept, with kpi's tables, when the load fails
    ],
    ids=["macro-only", "sequence-only", "empty"],
)
def test_a_failed_load_never_removes_a_database_it_did_not_create(tmp_path: Path, made_with: str, code: int) -> None:
    db = other_tools_database(tmp_path / "other.duckdb", made_with)
    before = digest(db)
    bad = write(tmp_path / "themes_bad.csv", themes_csv([theme("X1", item=9)]))
    result = here("load", "--db", str(db), str(bad))
    assert result.code == code, result.stderr
    assert db.exists()
    if made_with:
        assert digest(db) == before and "kpi のものではありません" in result.stderr, result.stderr


def test_a_table_name_is_never_pasted_into_sql(store: Path, tmp_path: Path) -> None:
    hostile = 'a"; DROP TABLE victim; --'
    foreign = tmp_path / "it.duckdb"
    con = duckdb.connect(str(foreign))
    con.execute("CREATE TABLE victim (x INTEGER); CREATE TABLE a (y INTEGER); INSERT INTO victim VALUES (1)")
    con.execute(f'CREATE TABLE "{hostile.replace(chr(34), chr(34) * 2)}" (z INTEGER)')
    con.close()
    result = here("load", "--db", str(foreign), str(SAMPLE / "budget.csv"))
    assert result.code == 3 and "Traceback" not in result.stderr, result.stderr
    assert rows(foreign, "SELECT count(*) FROM victim") == [(1,)]
    # the same name planted beside kpi's own tables: a load reads kpi's tables by name, never that one
    con = duckdb.connect(str(store))
    con.execute("CREATE TABLE victim (x INTEGER); INSERT INTO victim VALUES (1)")
    con.execute(f'CREATE TABLE "{hostile.replace(chr(34), chr(34) * 2)}" (z INTEGER)')
    con.close()
    corrected = write(tmp_path / "budget.csv", (SAMPLE / "budget.csv").read_text(encoding="utf-8-sig") + "2026,1,\n")
    loaded = here("load", "--db", str(store), str(corrected))
    assert loaded.code == 0, loaded.stderr
    assert rows(store, "SELECT count(*) FROM victim") == [(1,)] and rows(store, "SELECT count(*) FROM budget") == [(8,)]


# ---------------------------------------------------------------------------- bounded reads


def workbook_with_cell(path: Path, far: str) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(["T1", "1", "委託", "a1", "某社", "題", "", "2023", "目標達成"])
    sheet[far] = "far"
    book.save(path)
    return path


def whitespace_bomb(path: Path, megabytes: int) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(HEADER)
    plain = io.BytesIO()
    book.save(plain)
    with zipfile.ZipFile(io.BytesIO(plain.getvalue())) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * (megabytes * 1024 * 1024))
            out.writestr(info, data)
    return path


def ods_with_repeats(path: Path) -> Path:
    table = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        f'xmlns:table="{table}" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        '<office:body><office:spreadsheet><table:table table:name="S">'
        '<table:table-row><table:table-cell office:value-type="string"><text:p>theme_id</text:p></table:table-cell>'
        '<table:table-cell table:number-columns-repeated="16000" office:value-type="string"><text:p>x</text:p>'
        "</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"
    )
    with zipfile.ZipFile(path, "w") as book:
        book.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        book.writestr("content.xml", content)
    return path


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: workbook_with_cell(p / "themes_far.xlsx", "XFD1048576"), "値のあるセルが XFD1048576 まで"),
        pytest.param(  # (the default run keeps one far cell; the slow step the other and the 600 MB bomb)
            lambda p: workbook_with_cell(p / "themes_far.xlsx", "XFD8000"),
            "値のあるセルが XFD8000 まで",
            marks=pytest.mark.slow,
        ),
        pytest.param(
            lambda p: whitespace_bomb(p / "themes_pad.xlsx", 600),
            "ブックの中の xl/worksheets/sheet1.xml が大きすぎます",
            marks=pytest.mark.slow,
        ),
        (lambda p: ods_with_repeats(p / "themes_wide.ods"), "シートの使用範囲が大きすぎます"),
    ],
    ids=["cell-at-XFD1048576", "cell-at-XFD8000", "whitespace-bomb", "ods-repeated-columns"],
)
def test_a_spreadsheet_beyond_the_limits_is_refused_in_bounded_time_and_memory(
    store: Path, tmp_path: Path, make: object, words: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    before = table_checksums(store)
    result = kpi("load", "--db", str(store), str(path))
    bounded(result)
    assert result.code == 3, result.stderr
    [line] = result.stderr.splitlines()
    assert line.startswith(f"kpi: {path}: ") and words in line and line.endswith("何も読み込んでいません"), line
    assert table_checksums(store) == before


def sparse(path: Path, size: int) -> Path:
    with path.open("wb") as f:
        f.truncate(size)
    return path


@pytest.mark.parametrize(
    ("make", "args", "words"),
    [
        (lambda p: Path("/dev/zero"), ["--kind", "themes"], "デバイスです"),
        (lambda p: sparse(p / "themes_2026-04-30.csv", 12 * 1024**3), [], "大きすぎます（12,884,901,888 バイト"),
        pytest.param(  # (the default run keeps one sparse file; the slow step both)
            lambda p: sparse(p / "themes_2026-04-30.csv", 50 * 1024**3),
            [],
            "大きすぎます（53,687,091,200 バイト",
            marks=pytest.mark.slow,
        ),
        (lambda p: (os.mkfifo(p / "themes_2026-05-01.csv"), p / "themes_2026-05-01.csv")[1], [], "名前付きパイプ"),
    ],
    ids=["dev-zero", "sparse-12GB", "sparse-50GB", "fifo"],
)
def test_an_unbounded_input_is_refused_at_once_by_name(
    store: Path, tmp_path: Path, make: object, args: list[str], words: str
) -> None:
    path = make(tmp_path)  # type: ignore[operator]
    before = table_checksums(store)
    result = kpi("load", "--db", str(store), *args, str(path))
    bounded(result)
    assert result.code == 3 and words in result.stderr and len(result.stderr.splitlines()) == 1, result.stderr
    assert table_checksums(store) == before
    assert kpi("report", "--db", str(store), "--wait", "0").code == 0  # nothing was left holding the database


def test_a_folder_load_names_everything_it_leaves_out_and_refuses_what_it_cannot_read(tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    shutil.copy(SAMPLE / "budget.csv", folder)
    (folder / "themes_old.csv").mkdir()  # a folder with a file's name
    write(folder / "notes.txt.bak", "memo")
    result = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(folder))
    assert result.code == 0, result.stderr
    assert f"スキップ（フォルダ。読み込むにはフォルダを指定してください）: {folder / 'themes_old.csv'}" in result.stderr
    assert f"スキップ（種類が不明）: {folder / 'notes.txt.bak'}" in result.stderr
    (folder / "themes_gone.csv").symlink_to(tmp_path / "nowhere.csv")
    os.mkfifo(folder / "followups_pipe.csv")
    refused = kpi("load", "--db", str(tmp_path / "kpi.duckdb"), str(folder))
    bounded(refused)
    assert refused.code == 3, refused.stderr
    assert "存在しないファイルへのリンクです" in refused.stderr and "名前付きパイプ（FIFO）です" in refused.stderr


# ---------------------------------------------------------------------------- odd values


@pytest.mark.parametrize("digits", ["١١٠٠", "११००", "๑๑๐๐"], ids=["arabic-indic", "devanagari", "thai"])
@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("budget.csv", "fy,budget,executed\n2019,{d},0\n"),
        ("grants.csv", "as_of_date,granted_domestic,granted_foreign\n2026-05-01,{d},1\n"),
        ("outputs.csv", "fy,papers,presentations,patents_domestic,patents_foreign,patents_pct\n2020,{d},1,1,1,1\n"),
    ],
    ids=["budget", "grants", "outputs"],
)
def test_digits_of_other_scripts_are_refused_with_the_rule(
    store: Path, tmp_path: Path, digits: str, name: str, text: str
) -> None:
    path = write(tmp_path / name, text.format(d=digits))
    result = here("load", "--db", str(store), str(path))
    assert result.code == 3, result.stderr
    assert "0–9" in result.stderr and "Traceback" not in result.stderr and "内部エラー" not in result.stderr


@pytest.mark.parametrize(
    ("row", "rule"),
    [
        (theme("T1", end_fy="令和0年度"), "令和は元年から"),
        (theme("T1", end_fy="H35"), "平成は31年まで"),
    ],
    ids=["reiwa-0", "heisei-35"],
)
def test_era_years_that_never_were_are_refused(store: Path, tmp_path: Path, row: str, rule: str) -> None:
    result = here("load", "--db", str(store), str(write(tmp_path / "themes_x.csv", themes_csv([row]))))
    assert result.code == 3 and rule in result.stderr, result.stderr


def test_theme_ids_that_differ_only_in_case_are_one_theme_written_twice(store: Path, tmp_path: Path) -> None:
    path = write(tmp_path / "themes_x.csv", themes_csv([theme("T1-002"), theme("t1-002")]))
    result = here("load", "--db", str(store), str(path))
    assert result.code == 3 and result.stderr.count("大文字と小文字だけが違うテーマID") == 2, result.stderr


# ---------------------------------------------------------------------------- text from the data is inert


def test_markdown_escapes_pipes_line_breaks_and_html_from_the_data(tmp_path: Path) -> None:
    db = tmp_path / "kpi.duckdb"
    title = '"a | b\nc <script>alert(1)</script>"'
    hostile = f"H1,1,委託,a1,某社,{title},,令和7年度終了 遅延"
    lines = [*SAMPLE_THEMES.read_text(encoding="utf-8-sig").splitlines(), hostile]
    path = write(tmp_path / "themes_2026-03-31.csv", "\n".join(lines) + "\n")
    assert here("load", "--db", str(db), str(SAMPLE / "programme.toml"), str(path)).code == 0
    report = here("report", "--db", str(db), "--as-of", "2025", "--format", "markdown")
    assert report.code == 0
    [row] = [line for line in report.stdout.splitlines() if line.startswith("| H1")]
    assert "a \\| b<br>c &lt;script&gt;alert(1)&lt;/script&gt;" in row and row.count(" | ") == row.count("|") - 3
    assert "<script>" not in report.stdout


def test_mathtext_in_the_programme_name_is_plain_text_in_charts(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    db = tmp_path / "kpi.duckdb"
    settings = (SAMPLE / "programme.toml").read_text(encoding="utf-8")
    for name in ("US$20億、US$換算", r"$\frac{1}{ x$"):
        changed = settings.replace(settings.splitlines()[2], f"name = {name!r}".replace("'", '"').replace("\\", "\\\\"))
        folder = tmp_path / f"p{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        assert (
            here("load", "--db", str(db), str(write(folder / "programme.toml", changed)), str(SAMPLE_THEMES)).code == 0
        )
        out = folder / "short_term.svg"
        chart = here("chart", "short_term", "--db", str(db), "--as-of", "2025", "--out", str(out))
        assert chart.code == 0 and chart.stderr.count("\n") == 1, chart.stderr  # only its 書き出し line
        assert "Glyph" not in chart.stderr and out.stat().st_size > 0


def test_a_line_break_in_a_file_name_cannot_forge_a_log_line(store: Path, tmp_path: Path) -> None:
    forged = tmp_path / "r\n2026-12-01T06:30:04+09:00 forged.csv"
    log = tmp_path / "kpi.log"
    with log.open("wb") as stderr:
        subprocess.run(
            [sys.executable, "-m", "kpi", "report", "--db", str(store), "--format", "csv", "--out", str(forged)],
            stderr=stderr,
            env=kpi_env(),
            timeout=120,
        )
    [line] = log.read_text(encoding="utf-8").splitlines()
    assert line.endswith("r\\n2026-12-01T06:30:04+09:00 forged.csv")


def test_a_title_longer_than_an_excel_cell_is_refused_at_export_naming_the_theme(tmp_path: Path) -> None:
    db = tmp_path / "kpi.duckdb"
    long_title = "長" * 40_002
    path = write(
        tmp_path / "themes_2026-03-31.csv",
        themes_csv([theme("T1"), f"LONG-1,1,委託,a1,某社,{long_title},,2023,目標達成"]),
    )
    assert here("load", "--db", str(db), str(path)).code == 0
    result = here("export", "--db", str(db), "--as-of", "2025", "--format", "xlsx", "--out", str(tmp_path / "x"))
    assert result.code == 3, result.stderr
    assert "LONG-1" in result.stderr and "40,002" in result.stderr and "32,767" in result.stderr
    assert not (tmp_path / "x").exists()
    csv_export = here("export", "--db", str(db), "--as-of", "2025", "--out", str(tmp_path / "c"))
    assert csv_export.code == 0 and long_title in (tmp_path / "c" / "themes.csv").read_text(encoding="utf-8-sig")
