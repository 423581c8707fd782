"""Write N synthetic themes, with matching follow-ups and budget, in kpi's input contract (deterministic)."""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
import unicodedata
from pathlib import Path

# Canonical columns and the headers the office sends (the first alias of each column in schemas/).
THEME_HEADERS = {
    "en": ["theme_id", "item", "funding", "element", "organizations", "title", "start_fy", "end_fy", "status"],
    "ja": [
        "テーマID",
        "研究開発項目",
        "契約形態",
        "基盤要素",
        "機関名",
        "開発テーマ名",
        "開始年度",
        "終了年度",
        "結果/状況",
    ],
}
FOLLOWUP_HEADERS = {"en": ["theme_id", "survey_fy", "stage"], "ja": ["テーマID", "調査年度", "段階"]}
BUDGET_HEADERS = {
    "en": ["fy", "budget (oku yen)", "executed (oku yen)"],
    "ja": ["年度", "予算額(億円)", "執行額(億円)"],
}

# Every accepted spelling of each research item: digits, circled and full-width digits, and the item's name.
ITEM_SPELLINGS = {
    1: [
        "1",
        "1",
        "1",
        "①",
        "①",
        "１",
        "①ポスト5G情報通信システムの開発（委託）",
        "ポスト5G",
        "ポスト5G情報通信システムの開発",
    ],
    2: ["2", "2", "②", "２", "②先端半導体製造技術の開発（助成）", "先端半導体", "先導半導体"],
    3: ["3", "3", "③", "３", "先導研究", "③先導研究（委託）", "leading", "Leading research"],
}
ITEM_WEIGHTS = [61, 19, 20]  # the report's 88 / 27 / 29 themes, in per cent
FUNDING_SPELLINGS = {"委託": ["委託"] * 8 + ["contract", "Contract"], "助成": ["助成"] * 8 + ["grant", "Grant"]}
STATUS_SPELLINGS = {
    "achieved": ["目標達成"] * 6 + ["achieved", "Achieved"],
    "not_achieved": ["目標未達"] * 6 + ["not achieved", "Not Achieved"],
    "delayed": ["遅延"] * 6 + ["delayed", "Delayed"],
    "on_track": ["計画通り"] * 4 + ["遅延なし"] * 3 + ["on track", "On Track"],
}
STAGE_SPELLINGS = {
    "研究": ["研究", "research"],
    "開発": ["開発", "development"],
    "製品化": ["製品化", "productization"],
    "上市": ["上市", "launch"],
    "中止": ["中止", "discontinued"],
    "中断": ["中断", "suspended"],
}
FULL_WIDTH = str.maketrans("0123456789R", "０１２３４５６７８９Ｒ")

ORGANIZATIONS = [
    "日本電気株式会社",
    "富士通株式会社",
    "楽天モバイル株式会社",
    "ソフトバンク株式会社",
    "KDDI株式会社",
    "株式会社NTTドコモ",
    "三菱電機株式会社",
    "株式会社東芝",
    "株式会社日立製作所",
    "住友電気工業株式会社",
    "東京エレクトロン株式会社",
    "新光電気工業株式会社",
    "株式会社リコー",
    "株式会社ダイセル",
    "東レエンジニアリング株式会社",
    "株式会社インターネットイニシアティブ",
    "株式会社Preferred Networks",
    "ストックマーク株式会社",
    "Turing株式会社",
    "株式会社Kotoba Technologies Japan",
    "株式会社AIdeaLab",
    "マイクロメモリアン株式会社",
    "Rapidus株式会社",
    "キオクシア株式会社",
    "ルネサスエレクトロニクス株式会社",
    "ソニーセミコンダクタソリューションズ株式会社",
    "京セラ株式会社",
    "株式会社村田製作所",
    "国立研究開発法人産業技術総合研究所",
    "国立研究開発法人情報通信研究機構",
    "国立研究開発法人理化学研究所",
    "技術研究組合最先端半導体技術センター",
    "国立大学法人東京大学",
    "国立大学法人東北大学",
    "国立大学法人大阪大学",
    "国立大学法人広島大学",
    "国立大学法人京都大学",
    "国立大学法人東京科学大学",
    "学校法人慶應義塾",
    "学校法人早稲田大学",
    "1 F I N I T Y 株式会社",
    "NTTインフラデバイス株式会社",
]
TOPICS = [
    "ポスト5G",
    "5G基地局",
    "モバイルコア",
    "テラビット光伝送",
    "クラウド型ネットワーク",
    "エッジコンピューティング",
    "仮想化基地局",
    "ミリ波帯無線",
    "光電融合",
    "3次元実装",
    "2nm世代ロジック半導体",
    "先端パッケージ",
    "EUVリソグラフィ",
    "GaNパワーデバイス",
    "MRAM",
    "生成AI基盤モデル",
    "大規模言語モデル",
    "自動運転向けAI",
    "ロボット基盤モデル",
    "チップレット集積",
    "量子アニーリング",
    "不揮発性メモリ",
    "低消費電力AIアクセラレータ",
]
AIMS = [
    "高信頼性・柔軟性を両立する",
    "消費電力を大幅に削減する",
    "大容量・低遅延を実現する",
    "国内サプライチェーンを強化する",
    "社会実装に向けた",
    "量産化を見据えた",
    "オープン化に対応した",
    "セキュリティを確保した",
    "高効率な",
]
KINDS = [
    "研究開発",
    "技術開発",
    "基盤技術の研究開発",
    "実証",
    "製造技術の開発",
    "設計技術の開発",
    "評価技術の研究",
    "実装基盤技術の研究開発",
    "開発 (OSS/MANOのソフトウェア) の研究",
]


def spell_fy(year: int, rng: random.Random) -> str:
    """One accepted spelling of a fiscal year: 2023, 2023年度, R5, 令和5年度, 令和元年度, 平成31年度, full-width."""
    reiwa = year - 2018
    era = "元" if reiwa == 1 else str(reiwa)
    options = [
        str(year),
        str(year),
        f"{year}年度",
        f"R{reiwa}",
        f"R{reiwa}年度",
        f"r{reiwa}",
        f"令和{era}",
        f"令和{era}年度",
        f"令和{era}年度",
        str(year).translate(FULL_WIDTH),
        f"令和{reiwa}年度".translate(FULL_WIDTH),
        f"R{reiwa}".translate(FULL_WIDTH),
    ]
    if year == 2019:
        options += ["令和元年度", "令和元年度", "平成31年度", "平成31年度", "H31", "平成31"]
    return rng.choice(options)


def spell_element(rng: random.Random) -> str:
    """A 基盤要素 code: a letter, optionally digits and -digits (a1, d2-1, b); sometimes upper-case or full-width."""
    letter = rng.choice("abcdefg")
    shape = rng.random()
    code = (
        letter
        if shape < 0.1
        else f"{letter}{rng.randint(1, 12)}"
        if shape < 0.85
        else (f"{letter}{rng.randint(1, 5)}-{rng.randint(1, 4)}")
    )
    style = rng.random()
    if style < 0.03:
        return code.upper()
    if style < 0.05:
        return code.translate(str.maketrans("abcdefg0123456789-", "ａｂｃｄｅｆｇ０１２３４５６７８９－"))
    return code


def organizations(rng: random.Random) -> str:
    """One to three performing organisations, as the report prints them (space- or 、-separated)."""
    names = rng.sample(ORGANIZATIONS, rng.choice([1, 1, 1, 2, 2, 3]))
    return rng.choice([" ", "、", "・"]).join(names)


def title(rng: random.Random) -> str:
    """A research theme title in the style of the report's section 3-3."""
    topic, aim, kind = rng.choice(TOPICS), rng.choice(AIMS), rng.choice(KINDS)
    text = rng.choice(
        [
            f"{topic}に向けた{aim}{kind}",
            f"{topic}時代の{rng.choice(TOPICS)}の実現に向けた{aim}{kind}",
            f"{aim}{topic}の{kind}",
            f"{topic}及び{rng.choice(TOPICS)}の{kind}",
            f"{topic}、{rng.choice(TOPICS)}の{kind}（第{rng.randint(1, 3)}期）",
            f"{topic},{rng.choice(TOPICS)}の統合{kind}",  # a comma inside a cell: the CSV writer quotes it
        ]
    )
    return text


def pad(value: str, rng: random.Random) -> str:
    """Now and then surround a cell with spaces (values are trimmed), including full-width ones."""
    r = rng.random()
    if r < 0.02:
        return f" {value}"
    if r < 0.03:
        return f"{value}\u3000"
    return value


def theme_rows(
    n: int,
    rng: random.Random,
    multiline: float = 0.0,
    exclude: frozenset[str] = frozenset(),
    canonical: bool = False,
):
    """Yield (row, theme_id, item, end_fy, status) for n themes; rows are in the header order.

    `canonical`: every cell in the contract's own spelling (1, 委託, a1, 2023, achieved), nothing padded, no
    combined status cell — the file a user who follows the contract to the letter writes.
    """

    def keep(spellings: dict) -> dict:
        return {k: [v for v in values if v not in exclude] or values for k, values in spellings.items()}

    items, fundings, statuses = keep(ITEM_SPELLINGS), keep(FUNDING_SPELLINGS), keep(STATUS_SPELLINGS)
    digits = max(6, len(str(n)))
    for i in range(1, n + 1):
        item = rng.choices((1, 2, 3), ITEM_WEIGHTS)[0]
        funding = "委託" if item == 3 or (item == 1 and rng.random() < 0.8) else "助成"
        end = rng.randint(2019, 2030)
        start = rng.randint(max(2019, end - 4), end)
        if end <= 2025:
            status = rng.choices(["achieved", "not_achieved", "delayed", "on_track"], [70, 10, 8, 12])[0]
        else:
            status = rng.choices(["on_track", "delayed"], [85, 15])[0]
        theme_id = f"T{item}-{i:0{digits}d}"
        if canonical:
            start_text = "" if rng.random() < 0.3 else str(start)
            row = [
                theme_id,
                str(item),
                funding,
                unicodedata.normalize("NFKC", spell_element(rng)).lower(),
                organizations(rng),
                title(rng),
            ]
            yield [*row, start_text, str(end), status], theme_id, item, end, status
            continue
        word = rng.choice(statuses[status])
        shape = rng.random()
        if shape < 0.45:  # the report's own cell: 令和5年度終了 目標達成, end_fy left blank
            sep = rng.choice([" ", " ", "\u3000", ""])
            status_cell, end_cell = f"{spell_fy(end, rng)}終了{sep}{word}", ""
        elif shape < 0.55:  # the combined cell and an end_fy that agrees with it
            status_cell, end_cell = f"令和{end - 2018 if end > 2019 else '元'}年度終了 {word}", spell_fy(end, rng)
        else:
            status_cell, end_cell = word, spell_fy(end, rng)
        start_cell = "" if rng.random() < 0.3 else spell_fy(start, rng)
        title_cell = title(rng)
        if multiline and rng.random() < multiline:
            title_cell = title_cell.replace("の", "の\n", 1)  # a line break inside a quoted cell
        row = [
            pad(theme_id, rng),
            pad(rng.choice(items[item]), rng),
            rng.choice(fundings[funding]),
            spell_element(rng),
            pad(organizations(rng), rng),
            title_cell,
            start_cell,
            end_cell,
            pad(status_cell, rng),
        ]
        yield row, theme_id, item, end, status


def write_csv(path: Path, header: list[str], rows, encoding: str) -> int:
    """Write rows under a header; return the number of rows written."""
    count = 0
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def generate(
    n: int,
    out: Path,
    seed: int = 2026,
    headers: str = "ja",
    encoding: str = "utf-8",
    followup_share: float = 0.5,
    multiline: float = 0.0,
    exclude: frozenset[str] = frozenset(),
    canonical: bool = False,
) -> dict[str, int]:
    """Write themes.csv, followups.csv and budget.csv for n themes into `out`; return their row counts."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    ended: list[tuple[str, int]] = []

    def themes():
        for row, theme_id, _item, end, _status in theme_rows(n, rng, multiline, exclude, canonical):
            if end <= 2025 and rng.random() < followup_share:
                ended.append((theme_id, end))
            yield row

    counts = {"themes": write_csv(out / "themes.csv", THEME_HEADERS[headers], themes(), encoding)}

    def followups():
        stages = list(STAGE_SPELLINGS)
        for theme_id, end in ended:
            for survey in sorted(rng.sample(range(end + 1, 2027), min(rng.choice([1, 1, 2]), 2026 - end))):
                stage = rng.choices(stages, [10, 25, 30, 20, 10, 5])[0]
                yield [theme_id, spell_fy(survey, rng), rng.choice(STAGE_SPELLINGS[stage])]

    other = "en" if headers == "ja" else "ja"  # the follow-up survey comes from another office: other headers
    counts["followups"] = write_csv(out / "followups.csv", FOLLOWUP_HEADERS[other], followups(), encoding)

    def budget():
        for fy in range(2019, 2031):
            amount = rng.randint(300, 5000)
            executed = "" if fy >= 2026 else f"{amount * rng.uniform(0.1, 1.4):,.1f}"
            shown = f"{amount:,}" if rng.random() < 0.5 else str(amount)
            yield [spell_fy(fy, rng), shown, executed]

    counts["budget"] = write_csv(out / "budget.csv", BUDGET_HEADERS[headers], budget(), encoding)
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command line: python benchmarks/generate.py N OUT_DIR [options]."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("n", type=int, help="number of themes")
    parser.add_argument("out", type=Path, help="folder to write themes.csv, followups.csv and budget.csv into")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--headers", choices=["ja", "en"], default="ja", help="header language of themes and budget")
    parser.add_argument("--encoding", default="utf-8", help="utf-8 (default), utf-8-sig or cp932")
    parser.add_argument(
        "--canonical",
        action="store_true",
        help="themes in the contract's own spellings and English headers (1, 委託, a1, 2023, achieved)",
    )
    parser.add_argument("--multiline", type=float, default=0.0, help="share of titles holding a line break")
    parser.add_argument(
        "--exclude", action="append", default=[], help="leave out one spelling (repeatable), e.g. to isolate a bug"
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    counts = generate(
        args.n,
        args.out,
        args.seed,
        "en" if args.canonical else args.headers,
        args.encoding,
        multiline=args.multiline,
        exclude=frozenset(args.exclude),
        canonical=args.canonical,
    )
    took = time.perf_counter() - started
    print(f"wrote {counts} into {args.out} in {took:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
