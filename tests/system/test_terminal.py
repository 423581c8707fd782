"""On a terminal, tables fit its width: long titles and organisations are shortened with …, never the numbers;
piped or written to a file, every character is kept. `kpi stagegate` sums up the themes without a review in one
row unless --all is given."""

from __future__ import annotations

import csv
import fcntl
import io
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from kit import ROOT
from wcwidth import wcswidth

THEME_ROW = ("T1-", "T2-", "T3-", "----------")  # the lines of theme tables: a theme, or the rule under the header


def on_a_terminal(*args: str, columns: int, lang: str = "ja", codes: tuple[int, ...] = (0,)) -> str:
    """What kpi shows on a terminal `columns` wide (a pseudo-terminal, as a person's window)."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}
    env.update(KPI_LANG=lang, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpi", *args], stdout=follower, stderr=subprocess.DEVNULL, env=env, close_fds=True
    )
    os.close(follower)
    shown = b""
    try:
        while chunk := _read(leader):
            shown += chunk
    finally:
        os.close(leader)
    assert proc.wait(timeout=60) in codes
    return shown.decode("utf-8").replace("\r\n", "\n")


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except OSError:  # the terminal closed: the command has ended
        return b""


@pytest.mark.parametrize(("columns", "lang"), [(100, "ja"), (80, "en")])
def test_theme_tables_fit_the_terminal_and_keep_their_numbers(kpi, sample_store: Path, columns: int, lang: str) -> None:
    shown = on_a_terminal("report", "--db", str(sample_store), "--as-of", "2025", columns=columns, lang=lang)
    rows = [line for line in shown.splitlines() if line.startswith(THEME_ROW)]
    assert len(rows) > 40
    assert max(wcswidth(line) for line in rows) <= columns
    assert any("…" in line for line in rows)
    t1007 = next(line for line in rows if line.startswith("T1-007"))
    assert t1007.split()[-2:] == ["2025", "遅延" if lang == "ja" else "delayed"]  # the end year and status whole
    piped = kpi("report", "--db", str(sample_store), "--as-of", "2025").stdout
    assert "バス型海底ケーブルネットワーク" in piped and "…" not in "".join(
        line for line in piped.splitlines() if line.startswith("T1-")
    )


def test_stagegate_sums_up_the_themes_without_a_review(kpi, kpi_en, sample_store: Path) -> None:
    assert kpi("load", "--db", str(sample_store), str(ROOT / "sample_data" / "illustrative")).returncode == 0
    csv = kpi("stagegate", "--db", str(sample_store), "--format", "csv").stdout
    unreviewed = csv.count("審査記録なし")  # a file always holds every theme
    assert 0 < unreviewed < 144
    shown = kpi("stagegate", "--db", str(sample_store)).stdout
    assert shown.count("審査記録なし") == 1 and f"審査記録なし {unreviewed}件" in shown
    assert "kpi stagegate --all" in shown
    every = kpi("stagegate", "--db", str(sample_store), "--all").stdout
    assert every.count("審査記録なし") == unreviewed
    assert f"not reviewed: {unreviewed} themes" in kpi_en("stagegate", "--db", str(sample_store)).stdout


def test_stagegate_fits_the_terminal(sample_store: Path) -> None:
    shown = on_a_terminal("stagegate", "--db", str(sample_store), "--all", columns=80)
    assert max(wcswidth(line) for line in shown.splitlines() if line.startswith(THEME_ROW)) <= 80


# ---------------------------------------------------------------------------- every figure whole, every command

# The command lines of every command that prints a table (the ones whose --format offers aligned text), on a store
# with the sample data, the illustrative stage-gate and follow-up files, a later theme list and a submission; and
# the format each writes its cells whole in (markdown where it has it, else CSV).
STORE = "{store}"
TABLES: dict[str, tuple[list[str], str]] = {
    "report": (["report", "--as-of", "2025"], "markdown"),
    "changes": (["changes"], "markdown"),
    "stagegate": (["stagegate", "--all"], "markdown"),
    "reconcile": (["reconcile"], "markdown"),
    "portfolio": (["portfolio", STORE, "--as-of", "2026"], "markdown"),
    "loads": (["loads"], "csv"),
    "lists": (["lists"], "csv"),
    "recommendations": (["recommendations"], "markdown"),
    "schedule": (["schedule", "--as-of", "2026"], "markdown"),
    "money": (["money", "--as-of", "2025"], "markdown"),
    "submissions": (["submissions", "show", "1"], "csv"),
    "explain": (["explain", "short_term", "--as-of", "2025"], "csv"),
    "followups due": (["followups", "due", "--as-of", "2026"], "csv"),
    "followups status": (["followups", "status", "--as-of", "2026"], "csv"),
}
# The free-text columns that give way on a narrow terminal (shortened with …): their cells are not checked.
GIVE_WAY = (
    *("col.title", "col.organizations", "col.criterion", "col.programme", "col.rule", "col.file"),
    *("col.section", "col.recommendation", "col.response", "col.evidence"),
)
FIGURE = re.compile(r"(?<![A-Za-z0-9_.,/])(?:—/\d[\d,]*|\d[\d,]*(?:\.\d+)?%?(?:/\d[\d,]*)?)(?![A-Za-z0-9_/%])")


def test_every_command_that_prints_a_table_is_checked() -> None:
    """TABLES holds every command whose --format offers aligned text (read from the command tree)."""
    import typer

    from kpi.cli import options
    from kpi.cli.main import whole_app
    from kpi.present.formats import Format

    def leaves(group, path=()):
        for name, sub in group.commands.items():
            if isinstance(getattr(sub, "commands", None), dict):
                yield from leaves(sub, (*path, name))
            else:
                yield " ".join((*path, name)), sub

    tree = typer.main.get_command(whole_app())
    printing = {
        name
        for name, command in leaves(tree)
        for p in command.params
        if isinstance(p.type, options.FormatChoice) and Format.table in p.type.offered
    }
    assert printing == set(TABLES)


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample data, the illustrative files (and schedule), a later theme list (statuses and organisations
    changed), a submission."""
    from kit import SAMPLE, SAMPLE_THEMES, cli

    folder = tmp_path_factory.mktemp("month")
    store = folder / "kpi.duckdb"
    assert cli("load", "--db", str(store), str(SAMPLE)).returncode == 0
    assert cli("load", "--db", str(store), str(SAMPLE / "illustrative")).returncode == 0
    assert cli("load", "--db", str(store), str(ROOT / "tests" / "fixtures" / "schedule")).returncode == 0
    rows = list(csv.reader(SAMPLE_THEMES.open(encoding="utf-8-sig", newline="")))
    for row in [r for r in rows[1:] if "遅延" in r[7]][:3]:
        row[7] = row[7].replace("遅延", "目標達成")
    rows[5][4] = "株式会社国際電気通信基礎技術研究所と長い名前の共同研究機関株式会社"
    rows[9][4] = "富士通株式会社、日本電気株式会社、株式会社日立製作所、三菱電機株式会社"
    later = folder / "themes_2026-06-30.csv"
    with later.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    assert cli("load", "--db", str(store), str(later)).returncode == 0
    assert cli("export", "--db", str(store), "--as-of", "2025", "--out", str(folder / "sent")).returncode == 0
    return store


@pytest.fixture(scope="module")
def month_with_round(month: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The month's database with a survey round sent (`kpi followups status` has figures)."""
    import shutil

    from kit import cli

    folder = tmp_path_factory.mktemp("round")
    store = Path(shutil.copy(month, folder / "kpi.duckdb"))
    sheets = ["followups", "sheets", "--db", str(store), "--as-of", "2026", "--out", str(folder / "sheets")]
    assert cli(*sheets).returncode == 0
    return store


def cells_of(text: str, fmt: str) -> list[tuple[str, str]]:
    """(header, cell) of every table cell of a markdown document or a CSV file."""
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(text)))
        return [(h, c) for row in rows[1:] for h, c in zip(rows[0], row, strict=False)]
    found, headers = [], None
    lines = text.splitlines()
    for i, line in enumerate(lines):
        split = [c.strip().replace("<br>", " ") for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]
        if not line.startswith("|"):
            headers = None
        elif i + 1 < len(lines) and re.fullmatch(r"\|[-:| ]+\|", lines[i + 1].strip()):
            headers = split
        elif headers is not None and not re.fullmatch(r"\|[-:| ]+\|", line.strip()):
            found += list(zip(headers, split, strict=False))
    return found


def figures(text: str) -> set[str]:
    return {m.replace(",", "") for m in FIGURE.findall(text)}


@pytest.mark.slow
@pytest.mark.parametrize("columns", [80, 100, 120])
@pytest.mark.parametrize("name", list(TABLES))
def test_every_figure_is_whole_at_any_width(month: Path, month_with_round: Path, name: str, columns: int) -> None:
    """Every figure (number, fraction, percentage) of every cell but the free text's, as the command writes it in a
    file, appears whole on a terminal `columns` wide (kpi#35: 「21/27…」, 「2/4 5…」)."""
    from kit import cli

    from kpi.present.catalogue import WORDS

    args, fmt = TABLES[name]
    args = [str(month) if a == STORE else a for a in args]
    db = [] if name == "portfolio" else ["--db", str(month_with_round if name == "followups status" else month)]
    whole = cli(*args, *db, "--format", fmt)
    assert whole.returncode in (0, 1), whole.stderr
    free = {pair[0] for key in GIVE_WAY for pair in [WORDS[key]]}
    expected = set().union(*(figures(cell) for header, cell in cells_of(whole.stdout, fmt) if header not in free))
    assert expected, f"kpi {name}: no figure to look for"
    shown = on_a_terminal(*args, *db, columns=columns, codes=(whole.returncode,))
    missing = expected - figures(shown)
    assert not missing, f"kpi {name} at {columns} columns cut {sorted(missing)}:\n{shown}"


# The free text of these tables (organisations, titles, a file's name) gives way before their figures and changed
# values: on a terminal 80 columns wide each holds a cell shortened with …, and its figures are whole (above).
GIVING_WAY = {
    "changes": ["changes"],
    "followups due": ["followups", "due", "--as-of", "2026"],
    "loads": ["loads"],
}


def from_column(line: str, start: int) -> str:
    """The part of an aligned line from a terminal column on (a folded value's line, beside other folded ones)."""
    at = 0
    for i, char in enumerate(line):
        if at >= start:
            return line[i:].strip()
        at += wcswidth(char)
    return ""


@pytest.mark.slow
@pytest.mark.parametrize("name", list(GIVING_WAY))
def test_free_text_gives_way_first(month: Path, name: str) -> None:
    from kit import cli

    args = [*GIVING_WAY[name], "--db", str(month)]
    whole = cli(*args).stdout
    shown = on_a_terminal(*args, columns=80, codes=(0, 1))
    assert "…" not in whole and "…" in shown, shown
    if name == "changes":  # an organisation changed is shown whole (its last column, folded onto more lines)
        lines = shown.splitlines()
        first = next(i for i, line in enumerate(lines) if line.startswith("T1-005") and "機関名" in line)
        rest = next(i for i, line in enumerate(lines) if i > first and not line.startswith(" "))
        rule = max(i for i in range(first) if lines[i].startswith("---"))
        start = lines[rule].rindex(" ") + 1  # the last column's (変更後), in terminal columns: the rule is ASCII
        after = "".join(from_column(line, start) for line in lines[first:rest])
        assert after == "株式会社国際電気通信基礎技術研究所と長い名前の共同研究機関株式会社", shown


@pytest.mark.slow
def test_a_wide_terminal_cuts_only_what_it_must(month: Path) -> None:
    """kpi#35: at 120 and 200 columns `kpi changes` showed headers 「機…」「開…」 and 「株式…」; at 80 `kpi loads`
    showed two theme lists' files alike (「theme…」). As wide as its table, a terminal shows it as a file would."""
    from kit import cli

    whole = cli("changes", "--db", str(month)).stdout
    for columns in (120, 200):
        shown = on_a_terminal("changes", "--db", str(month), columns=columns)
        assert max(wcswidth(line) for line in shown.splitlines()) <= columns
        assert not re.search(r"(?<!\S)\S{1,2}…", shown), shown  # no cell nor header cut to a character or two
    natural = max(wcswidth(line) for line in whole.splitlines())
    assert on_a_terminal("changes", "--db", str(month), columns=natural).splitlines() == whole.splitlines()
    loads = on_a_terminal("loads", "--db", str(month), columns=80)
    themes = re.findall(r"(\S*…\S*)\s+テー", loads)
    assert len(themes) == 2 and len(set(themes)) == 2, loads  # the end of each file's name: t…3-31, t…6-30


@pytest.mark.slow
def test_names_stay_readable_at_80_columns(month: Path) -> None:
    """kpi#35: at 80 columns `kpi loads` showed 「t…3-31」「b…dget」 beside an empty 備考 at full width, and `kpi
    followups due` organisations of 7 characters beside an empty 期限超過: empty columns and headers give way first."""
    from kit import cli

    loads = on_a_terminal("loads", "--db", str(month), columns=80)
    assert max(wcswidth(line) for line in loads.splitlines()) <= 80, loads
    names = [r[2] for r in csv.reader(io.StringIO(cli("loads", "--db", str(month), "--format", "csv").stdout))][1:]
    cut = re.findall(r"\S*…\S*", loads)
    assert cut and all(wcswidth(c) >= 12 for c in cut), loads
    assert all(name in loads for name in names if wcswidth(name) <= 12), loads  # a short name whole
    assert {"2026-03-31", "2026-06-30"} <= {d for c in cut for d in re.findall(r"2026-\d\d-\d\d", c)}, loads
    due = on_a_terminal("followups", "due", "--as-of", "2026", "--db", str(month), columns=80, codes=(0, 1))
    rule = next(line for line in due.splitlines() if line.startswith("--"))
    start, end = [m.span() for m in re.finditer(r"-+", rule)][1]  # the organisations' (the rule is ASCII)
    organisations = [within(from_column(line, start), end - start) for line in due.splitlines() if line[:2] == "T1"]
    assert organisations and all(wcswidth(o) >= 10 for o in organisations), due


def within(text: str, columns: int) -> str:
    """The start of a text as many terminal columns wide (a cell from its column's start)."""
    out = ""
    for char in text:
        if wcswidth(out + char) > columns:
            break
        out += char
    return out.strip()
