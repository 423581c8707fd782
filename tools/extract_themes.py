"""Extract the theme table of section 3-3 from the report's text into sample_data/themes_2026-03-31.csv.

Run once by hand from the project root: python tools/extract_themes.py ../shared/seed/000_e25c639a4b7dbaa6.txt
Cells are kept as printed (the PDF's letter spacing included); only the theme_id is ours.
"""

import csv
import re
import sys
from pathlib import Path

SECTION = re.compile(r"^([①②③])(.+?)\s*[(（](委託|助成)[)）]")
ROW = re.compile(
    r"^([a-g](?:\d+(?:-\d+)?)?)\t([^\t]+)\t([^\t]+)\t(令和\S+年度終了)\s*(目標達成|目標未達|計画通り|遅延)?"
)
STATUS_ONLY = re.compile(r"^\t*(目標達成|目標未達|計画通り|遅延)\t")
ITEM = {"①": 1, "②": 2, "③": 3}


def main(src: str, dest: str = "sample_data/themes_2026-03-31.csv") -> None:
    lines = Path(src).read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("3-3. 研究開発計画① 進捗状況（1/11）"))
    end = next(i for i, line in enumerate(lines) if line.startswith("3-3. 研究開発計画② 進捗管理"))
    rows, item, funding, seq = [], None, None, {1: 0, 2: 0, 3: 0}
    for i in range(start, end):
        line = lines[i]
        if m := SECTION.match(line):
            item, funding = ITEM[m.group(1)], m.group(3)
            continue
        if m := ROW.match(line):
            element, orgs, title, ended, status = m.groups()
            if status is None:  # page 10 prints the result on the next line
                status = STATUS_ONLY.match(lines[i + 1]).group(1)
            seq[item] += 1
            rows.append(
                [
                    f"T{item}-{seq[item]:03d}",
                    item,
                    funding,
                    element,
                    orgs.strip(),
                    title.strip(),
                    "",
                    f"{ended} {status}",
                ]
            )
    with open(dest, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            ["テーマID", "研究開発項目", "契約形態", "基盤要素", "機関名", "開発テーマ名", "開始年度", "結果/状況"]
        )
        w.writerows(rows)
    print(len(rows), seq, file=sys.stderr)


if __name__ == "__main__":
    main(*sys.argv[1:])
