"""Refresh the transcripts of the README, docs/reference.md and docs/guide.ja.md from real runs:
python tools/update_readme.py [--check].

Each block between <!-- out:NAME --> and <!-- /out --> is replaced by what the commands print,
run in a temporary folder holding a copy of sample_data/. --check exits 1 if a block is stale.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BAD_THEMES = (
    "theme_id,item,funding,element,organizations,title,end_fy,status\n"
    "T9,9,委託,a1,某社,題,2023,目標達成\n"
    "T10,1,寄付,A-1,某社,題,令和x年度,完了\n"
)
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}|\d{8}T\d{6}")  # a load's time; a backup's name


def kpi(folder: Path, *args: str, stream: str = "stdout") -> str:
    """Run kpi in `folder` and return a transcript: the command, what it printed, its exit code if not 0."""
    result = subprocess.run([sys.executable, "-m", "kpi", *args], cwd=folder, capture_output=True, text=True)
    text = getattr(result, stream) if stream != "both" else result.stdout + result.stderr
    return text


def transcripts(folder: Path) -> dict[str, str]:
    """Every README block, from real runs."""
    shutil.copytree(ROOT / "sample_data", folder / "sample_data")
    (folder / "themes_bad.csv").write_text(BAD_THEMES, encoding="utf-8")
    out = {"load": kpi(folder, "load", "sample_data/", stream="stderr")}
    out["reload"] = kpi(folder, "load", "sample_data/", stream="stderr")
    out["report"] = kpi(folder, "report", "--as-of", "2025")
    data = json.loads(kpi(folder, "report", "--as-of", "2025", "--format", "json"))
    out["json"] = (
        json.dumps({k: data[k] for k in ("as_of_fy", "short_term", "long_term")}, ensure_ascii=False, indent=2) + "\n"
    )
    out["loads"] = "$ kpi loads\n" + kpi(folder, "loads")
    out["lists"] = "$ kpi lists\n" + kpi(folder, "lists")
    out["backup"] = "$ kpi backup\n" + kpi(folder, "backup", stream="stderr")
    refused = ("portfolio", "kpi.duckdb", "--format", "html", "--out", "kpi.duckdb", "--force")
    code = subprocess.run([sys.executable, "-m", "kpi", *refused], cwd=folder, capture_output=True).returncode
    out["protected"] = f"$ kpi {' '.join(refused)}; echo $?\n" + kpi(folder, *refused, stream="stderr") + f"{code}\n"
    kpi(folder, "backup", "--out", "before.duckdb", stream="stderr")
    out["restore"] = "$ kpi restore before.duckdb\n" + kpi(folder, "restore", "before.duckdb", stream="stderr")
    out["bad"] = "$ kpi load themes_bad.csv\n" + kpi(folder, "load", "themes_bad.csv", stream="stderr")
    out["check"] = "$ kpi check --as-of 2025\n" + kpi(folder, "check", "--as-of", "2025")
    out["reconcile"] = "$ kpi reconcile\n" + kpi(folder, "reconcile")
    out["export"] = "$ kpi export --as-of 2025 --out submission/\n" + kpi(
        folder, "export", "--as-of", "2025", "--out", "submission/", stream="stderr"
    )
    kpi(folder, "load", "sample_data/illustrative/", stream="stderr")
    out["stagegate"] = "$ kpi load sample_data/illustrative/ && kpi stagegate --as-of 2025 | head -6\n" + "".join(
        kpi(folder, "stagegate", "--as-of", "2025").splitlines(keepends=True)[:6]
    )
    out["illustrative"] = (
        "$ kpi report --as-of 2026 | head -9   # after loading sample_data/illustrative/ (invented follow-ups)\n"
        + "".join(kpi(folder, "report", "--as-of", "2026").splitlines(keepends=True)[:9])
    )
    (folder / "themes_2026-04-30.csv").write_text(april_list(), encoding="utf-8")
    kpi(folder, "load", "themes_2026-04-30.csv", stream="stderr")
    out["changes"] = "$ kpi load themes_2026-04-30.csv && kpi changes   # an invented April list\n" + kpi(
        folder, "changes"
    )
    out["followups"] = (
        "$ kpi followups due --as-of 2026 | head -6\n"
        + "".join(kpi(folder, "followups", "due", "--as-of", "2026").splitlines(keepends=True)[:6])
        + "\n$ kpi followups due --as-of 2026 --out followups_2026.csv\n"
        + kpi(folder, "followups", "due", "--as-of", "2026", "--out", "followups_2026.csv", stream="stderr")
        + "$ kpi followups due --as-of 2026 --out followups_2026.xlsx   # a sheet per organisation\n"
        + kpi(folder, "followups", "due", "--as-of", "2026", "--out", "followups_2026.xlsx", stream="stderr")
    )
    (folder / "fix").mkdir()
    (folder / "fix" / "themes_2026-03-31.csv").write_text(corrected_list(), encoding="utf-8")
    kpi(folder, "load", "fix/themes_2026-03-31.csv", stream="stderr")
    out["diff"] = (
        "$ kpi load fix/themes_2026-03-31.csv   # the 2026-03-31 list again, three statuses corrected\n"
        "$ kpi submissions diff 1\n" + kpi(folder, "submissions", "diff", "1")
    )
    out["loadshow"] = "$ kpi loads show 11 | head -9\n" + "".join(
        kpi(folder, "loads", "show", "11").splitlines(keepends=True)[:9]
    )
    out["submissions"] = "$ kpi submissions\n" + kpi(folder, "submissions")
    out["undo"] = "$ kpi undo\n" + kpi(folder, "undo", stream="stderr")
    out["explain"] = "$ kpi explain short_term --as-of 2025 | head -10\n" + "".join(
        kpi(folder, "explain", "short_term", "--as-of", "2025").splitlines(keepends=True)[:10]
    )
    other = folder / "other"
    other.mkdir()
    settings = (ROOT / "sample_data" / "programme.toml").read_text(encoding="utf-8")
    (other / "programme.toml").write_text(
        settings.replace("project_id = 3522", "project_id = 9001")
        .replace(
            "ポスト5G情報通信システム基盤強化研究開発事業（AI基盤モデル及び先端半導体関連技術開発事業）",
            "別の研究開発事業（架空）",
        )
        .replace('short_term_target = "80%"', 'short_term_target = "70%"'),
        encoding="utf-8",
    )
    themes = (ROOT / "sample_data" / "themes_2026-03-31.csv").read_text(encoding="utf-8-sig").splitlines()
    (other / "themes_2026-03-31.csv").write_text("\n".join(themes[:81]) + "\n", encoding="utf-8")
    kpi(folder, "load", "other/", "--db", "other.duckdb", stream="stderr")
    out["portfolio"] = (
        "$ kpi portfolio kpi.duckdb other.duckdb --as-of 2025 | head -12   # other.duckdb: an invented programme\n"
        + "".join(
            kpi(folder, "portfolio", "kpi.duckdb", "other.duckdb", "--as-of", "2025").splitlines(keepends=True)[:12]
        )
    )
    out["sheets"] = "$ kpi followups sheets --as-of 2026 --out 追跡調査_2026 | head -4\n" + "".join(
        kpi(folder, "followups", "sheets", "--as-of", "2026", "--out", "追跡調査_2026", stream="stderr").splitlines(
            keepends=True
        )[:4]
    )
    returned = fill_answers(folder / "追跡調査_2026", folder / "返送")
    out["answers"] = "$ kpi load 返送/   # two returned workbooks, one renamed by its sender\n" + kpi(
        folder, "load", "返送/", stream="stderr"
    )
    (folder / "誤り").mkdir()
    shutil.copy(returned, folder / "誤り" / returned.name)
    wrong_answers(folder / "誤り" / returned.name)
    out["not_sent"] = "$ kpi load 誤り/\n" + kpi(folder, "load", "誤り/", stream="stderr")
    lines = kpi(folder, "explain", "long_term_matured", "--as-of", "2026").splitlines(keepends=True)
    header = next(i for i, line in enumerate(lines) if line.startswith("テーマID"))
    shown = [
        lines[0],
        *lines[header : header + 2],
        *(line for line in lines if line.startswith(("T1-004 ", "T1-006 "))),
    ]
    out["answered"] = (
        "$ kpi explain long_term_matured --as-of 2026 | sed -n '1p;/^テーマID/,+1p;/^T1-00[46] /p'\n" + "".join(shown)
    )
    # Last year's round, whose deadline has passed (a year that has ended: its figures are as of its last day).
    kpi(folder, "followups", "sheets", "--as-of", "2025", "--out", "追跡調査_2025", stream="stderr")
    answer_all(folder / "追跡調査_2025", folder / "返送_2025", ("日本電気株式会社", "楽天モバイル株式会社"))
    kpi(folder, "load", "返送_2025/", stream="stderr")
    lines = kpi(folder, "followups", "status", "--as-of", "2025").splitlines(keepends=True)
    answered = [line for line in lines[11:] if "日本電気株式会社" in line or "楽天モバイル株式会社" in line]
    out["status"] = (
        "$ kpi followups status --as-of 2025 | sed -n '1,11p;/日本電気株式会社\\|楽天モバイル株式会社/p'\n"
        + "".join(lines[:11] + answered)
    )
    out["remind"] = (
        "$ kpi followups remind --as-of 2025 --out 督促_2025.md && head -12 督促_2025.md\n"
        + kpi(folder, "followups", "remind", "--as-of", "2025", "--out", "督促_2025.md", stream="stderr")
        + "".join((folder / "督促_2025.md").read_text(encoding="utf-8").splitlines(keepends=True)[:12])
    )
    late = ("check", "--as-of", "2025", "--max-overdue-days", "30")
    code = subprocess.run([sys.executable, "-m", "kpi", *late], cwd=folder, capture_output=True).returncode
    out["overdue"] = (
        f"$ kpi {' '.join(late)} | tail -2; echo ${{PIPESTATUS[0]}}\n"
        + "".join(kpi(folder, *late).splitlines(keepends=True)[-2:])
        + f"{code}\n"
    )
    out["effects"] = "$ kpi report --as-of 2025 | sed -n '/■ 売上高/,/^各欄/p'\n" + "".join(
        survey_sections(kpi(folder, "report", "--as-of", "2025"))
    )
    return out


def survey_sections(report: str) -> list[str]:
    """The report's lines from its sales section to the end of the cohort table (as the sed in the transcript)."""
    lines = report.splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines) if line.startswith("■ 売上高"))
    last = next(i for i in range(first, len(lines)) if lines[i].startswith("各欄"))
    return lines[first : last + 1]


def answer_all(sent: Path, returned: Path, organisations: tuple[str, ...]) -> None:
    """Every survey of these organisations' workbooks answered, into `returned` (invented): the first organisation's
    themes on the market with sales of 1.5, 2.5, 3.5 … 億円, the others' in development."""
    import openpyxl

    returned.mkdir()
    for n, organisation in enumerate(organisations):
        book = openpyxl.load_workbook(sent / f"追跡調査_FY2025_{organisation}.xlsx")
        sheet = book["回答"]
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row, 4).value = "開発" if n else "上市"
            if not n:
                sheet.cell(row, 7).value = sheet.cell(row, 8).value = row - 0.5
        book.save(returned / f"追跡調査_FY2025_{organisation}.xlsx")


# Invented answers of FY2026's round: 日本電気 answers three themes (one productised, with sales; one stopped),
# 1FINITY one of the themes it shares with 日本電気 and NTTインフラデバイス; the other organisations do not answer.
ANSWERS = {
    "日本電気株式会社": {
        "T1-004": ("製品化", None, 1.25, 1.25, "光伝送用DSP"),
        "T1-006": ("中止", "市場・需要"),
        "T1-013": ("開発",),
    },
    "1FINITY株式会社": {"T1-004": ("開発",)},
}


def fill_answers(sent: Path, returned: Path) -> Path:
    """Fill two of the workbooks kpi followups sheets wrote, into `returned`; the second renamed as its sender might."""
    import openpyxl

    returned.mkdir()
    for organisation, answers in ANSWERS.items():
        book = openpyxl.load_workbook(sent / f"追跡調査_FY2026_{organisation}.xlsx")
        sheet = book["回答"]
        for row in range(2, sheet.max_row + 1):
            answer = answers.get(sheet.cell(row, 1).value)
            for column, value in zip((4, 5, 7, 8, 9), answer or (), strict=False):
                if value is not None:
                    sheet.cell(row, column).value = value
        book.save(returned / f"追跡調査_FY2026_{organisation}.xlsx")
    renamed = returned / "回答_1FINITY.xlsx"
    (returned / "追跡調査_FY2026_1FINITY株式会社.xlsx").rename(renamed)
    return renamed


def wrong_answers(path: Path) -> None:
    """Two answers no round asked for: a leading-research theme (not surveyed), an organisation the theme lacks."""
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["回答"].append(["T3-003", 2026, "1FINITY株式会社", "開発"])
    book["回答"].append(["T1-001", 2026, "富士通株式会社", "研究"])
    book.save(path)


def corrected_list() -> str:
    """The sample's 2026-03-31 list with the statuses of T1-001, T1-002 and T1-003 corrected to 目標未達 (invented)."""
    lines = (ROOT / "sample_data" / "themes_2026-03-31.csv").read_text(encoding="utf-8-sig").splitlines()
    fixed = [
        line.replace("目標達成", "目標未達") if line.split(",", 1)[0] in ("T1-001", "T1-002", "T1-003") else line
        for line in lines
    ]
    return "\n".join(fixed) + "\n"


def april_list() -> str:
    """The sample's list, a month on (invented): two themes reach their final result, one is added, one is gone."""
    lines = (ROOT / "sample_data" / "themes_2026-03-31.csv").read_text(encoding="utf-8-sig").splitlines()
    moved = {"T1-065": "目標達成", "T1-066": "目標未達"}
    kept = []
    for line in lines:
        theme_id = line.split(",", 1)[0]
        if theme_id == "T2-011":
            continue
        if theme_id in moved:
            line = line.replace("計画通り", moved[theme_id])
        kept.append(line)
    kept.append("T9-001,2,助成,b9,新規株式会社,新しい研究開発テーマ,,令和9年度終了 計画通り")
    return "\n".join(kept) + "\n"


def render(readme: str, blocks: dict[str, str]) -> str:
    """The README with every out-block replaced (each block ends at the first <!-- /out --> after it)."""
    parts = re.split(r"(<!-- out:\w+ -->\n```\w*\n)", readme)
    out = [parts[0]]
    for opening, rest in zip(parts[1::2], parts[2::2], strict=True):
        name = re.match(r"<!-- out:(\w+) -->", opening).group(1)  # type: ignore[union-attr]
        _, _, after = rest.partition("<!-- /out -->")
        out.append(f"{opening}{blocks[name].rstrip()}\n```\n<!-- /out -->{after}")
    return "".join(out)


# The documents whose out-blocks are transcripts: the README, the English reference, the Japanese guide.
DOCUMENTS = (ROOT / "README.md", ROOT / "docs" / "reference.md", ROOT / "docs" / "guide.ja.md")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        blocks = transcripts(Path(tmp))
    stale = []
    for path in DOCUMENTS:
        text = path.read_text(encoding="utf-8")
        fresh = render(text, blocks)
        if "--check" in sys.argv:
            if TIMESTAMP.sub("T", fresh) != TIMESTAMP.sub("T", text):
                stale.append(path.relative_to(ROOT))
        elif fresh != text:
            path.write_text(fresh, encoding="utf-8")
    for path in stale:
        print(f"{path}: transcripts are stale: run python tools/update_readme.py", file=sys.stderr)
    return int(bool(stale))


if __name__ == "__main__":
    sys.exit(main())
