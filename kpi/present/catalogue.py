"""Every word a user reads, in Japanese and English side by side: Japanese by default.

Entries are grouped under the module that uses them (or "used by several modules"); each key is written whole
where it is used, so that a search for a key finds its users (tests/unit/present/test_catalogue.py holds both).
Messages are looked up by key (`words.text("db.busy", "ja", path=…)`); the lower layers raise errors and
report failures with keys and parameters only. A test fails when an entry lacks a language or when its two
languages name different {placeholders}. Values from the data (titles, organisations, published sources)
are never translated.
"""

from __future__ import annotations

import os
import re
import string
from enum import StrEnum
from pathlib import PurePath
from typing import Any


class Lang(StrEnum):
    """The languages of every word kpi prints."""

    ja = "ja"
    en = "en"


DEFAULT_LANG = Lang.ja

# key: (日本語, English)
WORDS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------------ used by several modules
    "db.damaged_after_commit": (
        "読み込みは確定しましたが、その後データベース {path} に壊れた部分が見つかりました。{advice}",
        "the load was committed, but database {path} was then found damaged; {advice}",
    ),
    "db.damaged_short": (
        "データベース {path} は途中で切れています。コピーの中断かディスクの障害です。"
        "ファイルは変更していません。{advice}",
        "database {path} is cut short: a copy was interrupted, or the disk failed. "
        "The file was left as it is; {advice}",
    ),
    "db.damaged_blocks": (
        "データベース {path} の一部が壊れています（ブロックのチェックサムが合いません）。"
        "ディスクの障害か、ほかのプログラムによる書き換えです。ファイルは変更していません。{advice}",
        "database {path} has damaged blocks (their checksums fail): a disk error, or another program "
        "wrote into it. The file was left as it is; {advice}",
    ),
    "db.damaged_wal": (
        "データベース {path} の隣の記録（.wal）はこのファイルのものではありません。ファイルは変更していません。{advice}",
        "the log (.wal) beside database {path} is not this file's. The file was left as it is; {advice}",
    ),
    "help.opt.out_record": (
        "書き出すファイル。形式は拡張子で決まります（.csv .json .xlsx。xlsx はファイルのみ）。",
        "File to write; its extension chooses the format (.csv .json .xlsx; xlsx is a file only).",
    ),
    "col.start_fy": ("開始年度", "start_fy"),
    "col.funding": ("契約形態", "funding"),
    "report.as_of": ("{fy}年度（{wareki}）時点", "as of FY{fy} ({wareki})"),
    "report.no_programme": (
        "プログラム設定（programme.toml）が未登録: 目標値なし",
        "no programme settings loaded (programme.toml): no targets",
    ),
    "section.headline": ("アウトカム指標", "Outcome indicators"),
    "col.indicator": ("指標", "indicator"),
    "col.numerator": ("分子", "numerator"),
    "col.denominator": ("分母", "denominator"),
    "col.actual": ("実績", "actual"),
    "col.target": ("目標", "target"),
    "col.verdict": ("判定", "verdict"),
    "verdict.not_judged_yet": ("判定は{fy}年度から", "judged from FY{fy}"),
    "verdict.no_target": ("目標未設定", "no target"),
    "notes": ("注", "notes"),
    "section.outlook": ("見通し", "Outlook"),
    "col.item": ("研究開発項目", "item"),
    "col.element": ("基盤要素", "element"),
    "col.fy": ("年度", "FY"),
    "col.wareki": ("和暦", "wareki"),
    "col.budget": ("予算", "budget"),
    "col.executed": ("執行", "executed"),
    "col.execution_ratio": ("執行率", "ratio"),
    "col.cumulative_budget": ("累計予算", "cum. budget"),
    "col.cumulative_executed": ("累計執行", "cum. executed"),
    "col.cumulative_ratio": ("累計執行率", "cum. ratio"),
    "mark.draws": ("※", "*"),
    "col.theme_id": ("テーマID", "theme_id"),
    "col.organizations": ("機関名", "organizations"),
    "col.title": ("開発テーマ名", "title"),
    "col.end_fy": ("終了年度", "end FY"),
    "col.status": ("結果/状況", "status"),
    "none": ("（なし）", "(none)"),
    "row.total": ("計", "total"),
    "col.review_fy": ("審査年度", "review FY"),
    "col.reviewers": ("委員数", "reviewers"),
    "col.mean": ("平均点", "mean"),
    "col.decision": ("判定", "decision"),
    "stagegate.not_reviewed": ("審査記録なし", "not reviewed"),
    "col.criterion": ("評価項目", "criterion"),
    "col.score": ("評点", "score"),
    "col.rs.budget_fy": ("予算年度", "budget FY"),
    "col.rs.number": ("番号", "no."),
    "col.rs.kind": ("種別", "kind"),
    "col.rs.period": ("期間", "period"),
    "col.rs.target": ("目標", "target"),
    "col.rs.achievement_rate": ("達成率", "achievement %"),
    "mark.yes": ("○", "yes"),
    "export.wrote": ("書き出し: {path}", "wrote {path}"),
    "html.project_id": ("予算事業ID", "budget project ID"),
    "col.file": ("ファイル", "file"),
    "col.kind": ("種類", "kind"),
    "col.rows": ("行数", "rows"),
    "col.inserted": ("追加", "inserted"),
    "col.updated": ("更新", "updated"),
    "col.load": ("読込", "load"),
    "col.snapshot": ("一覧の日付", "list date"),
    "load.snapshot_today": ("{date}（今日）", "{date} (today)"),
    "load.input.not_format": (
        "中身が{suffix} ファイルではありません（{found_text}）。保存し直すか、本当の拡張子にしてください",
        "its content is not a {suffix} file ({found_text}); save it again, or give it its real suffix",
    ),
    "load.input.binary_format": (
        "中身が{found_text}で、{suffix} のテキストではありません（バイナリデータ）。表計算ソフトで {suffix} として保存し直してください",
        "it holds {found_text} (binary data), not {suffix} text; save it again as {suffix} from the spreadsheet",
    ),
    "load.no_such_path": ("{path}: そのようなファイルやフォルダはありません", "{path}: no such file or folder"),
    "load.binary": (
        "バイナリデータ（NULバイト）を含みます。本当にCSVファイルですか",
        "holds binary data (NUL bytes); is it really a CSV file?",
    ),
    "load.empty": (
        "ファイルが空です。空で出力されたファイルは受け付けません",
        "the file is empty; an export that came out empty is refused",
    ),
    "load.cannot_read": ("{format} として読めません: {detail}", "cannot read as {format}: {detail}"),
    "load.rs.project_absent": (
        "予算事業ID {project_id} はこのファイル（RS {sheet}）にありません（ほかの事業 {others}件: {held}{more_text}）",
        "予算事業ID {project_id} is not in this file (RS {sheet}; it holds {others} other project(s): {held}{more_text})",
    ),
    "rule.field_count": (
        "項目が{n}個ありますが見出しは{width}個です（カンマの不足か余分?）",
        "{n} fields where the header has {width} (a missing or extra comma?)",
    ),
    "rule.fiscal_year": (
        "年度: 2025、R7、令和7年度、平成31年度 など（2000–2100年度。令和は元年から、平成は31年まで。数字は 0–9）",
        "fiscal year such as 2025, R7, 令和7年度 or 平成31年度, within 2000–2100 (令和 from 元年, 平成 up to 31; digits 0–9)",
    ),
    "rule.one_row_per_year": (
        "年度ごとに1行（この年度が2回あります）",
        "one row per fiscal year (this year appears twice)",
    ),
    "db.busy": (
        "データベース {path} は使用中です{holder_text}。{wait}秒待ちましたがあきらめました（もう一度実行するか、--wait / $KPI_WAIT を増やしてください）",
        "database {path} is busy{holder_text}; gave up after {wait} s (try again, or raise --wait / $KPI_WAIT)",
    ),
    "db.missing": (
        "{path} にデータベースがありません。先にデータを読み込んでください: kpi load sample_data/",
        "no database at {path}; load data first: kpi load sample_data/",
    ),
    "reconcile.scope.element": ("研究開発項目{item}・基盤要素{element}", "item {item}, element {element}"),
    "reconcile.group": (
        "テーマ一覧では{scope}: 目標達成 {achieved}、計画通り {on_track}、遅延 {delayed}、目標未達 {not_achieved}。遅延・未達: {ids}",
        "the theme list gives {scope}: achieved {achieved}, on_track {on_track}, delayed {delayed}, "
        "not_achieved {not_achieved}; delayed or not achieved: {ids}",
    ),
    "io.disk_full": (
        "{path} に書き込めません: ディスクの空きがありません（またはファイルの大きさの上限に達しました）。{kept_text}。空きを作ってからもう一度実行してください",
        "cannot write {path}: the disk is full (or a file-size limit was reached); {kept_text}; "
        "free some space and run it again",
    ),
    "io.disk_full_output": (
        "出力を書き込めません: ディスクの空きがありません（またはファイルの大きさの上限に達しました）。{kept_text}",
        "cannot write the output: the disk is full (or a file-size limit was reached); {kept_text}",
    ),
    "io.write_failed": (
        "{path} に書き込めません: {detail}。{kept_text}",
        "cannot write {path}: {detail}; {kept_text}",
    ),
    "db.is_folder": (
        "--db {path} はフォルダです。データベースファイルを指定してください（例: --db {example}）",
        "--db {path} is a folder; point --db (or $KPI_DB) at a database file, e.g. --db {example}",
    ),
    "cli.kept_nothing": ("何も書き込んでいません", "nothing was written"),
    "cli.kept_commit": (
        "読み込みは確定済みです: データは保存されています",
        "the load had been committed: the data is stored",
    ),
    "out.not_a_file": (
        "{path} は{kind_text}です。書き出し先にはファイル名を指定してください",
        "{path} is {kind_text}; name a file to write",
    ),
    "help.opt.log_format": (
        "stderr のメッセージを text か、1行1つのJSONで。",
        "Messages on stderr as text or one JSON object per line.",
    ),
    "sheet.summary": ("概要", "About"),
    "col.as_of": ("時点（年度）", "as_of_fy"),
    "col.loaded_at": ("日時", "time"),
    "group.achieved": ("目標達成", "achieved"),
    "group.on_track": ("遅延なし", "on track"),
    "group.delayed_or_not_achieved": ("遅延・未達", "delayed or not achieved"),
    "group.total": ("合計", "total"),
    "col.value": ("値", "value"),
    "col.figure": ("指標", "figure"),
    "col.count": ("件数", "count"),
    "col.themes": ("テーマ数", "themes"),
    "cli.xlsx_needs_out": (
        "xlsx はファイルに書き出します: --out ファイル名.xlsx を指定してください",
        "xlsx is written to a file: give --out NAME.xlsx",
    ),
    "portfolio.line": ("ポートフォリオ計（{n}事業）", "portfolio ({n} programmes)"),
    "col.rule": ("ルール", "rule"),
    "db.empty": (
        "{path} に kpi のデータがありません。先にデータを読み込んでください: kpi load sample_data/",
        "{path} holds no kpi data; load data first: kpi load sample_data/",
    ),
    "db.not_kpi": (
        "{path} は DuckDB のデータベースですが kpi のものではありません（ほかの表があります）。別の --db を指定してください",
        "{path} is a DuckDB database but not kpi's (it has other tables); use another --db",
    ),
    "db.no_permission": (
        "データベース {path} を開けないか書き込めません（{detail}）。ファイルとそのフォルダの権限を確かめてください",
        "cannot open or write database {path} ({detail}); check the permissions of the file and its folder",
    ),
    "changes.kpis": ("アウトカム指標の変化", "Outcome indicators, before and after"),
    "col.before": ("変更前", "before"),
    "col.after": ("変更後", "after"),
    "col.change": ("変化", "change"),
    "col.column": ("列", "column"),
    "group.terminated": ("中止（途中終了）", "ended early"),
    "rule.sheet_ambiguous": (
        "{kind_name} の見出しがそろったシートが複数あります: {holders}（このブックのシート: {sheets}）。読むシートを --sheet で指定してください",
        "more than one sheet has the {kind_name} headers: {holders} (the workbook's sheets: {sheets}); choose one with --sheet",
    ),
    "load.header_mismatch": (
        "見出し行が {kind_name} の入力規約に合いません",
        "the header row does not match the {kind_name} contract",
    ),
    "followups.col.organisation": ("回答機関", "organisation"),
    "responses.whole": ("（テーマ全体）", "(the theme as a whole)"),
    "effects.withheld": ("秘匿", "withheld"),
    "load.field_sep": ("、", ", "),
    "rule.reason_code": (
        "理由コード: 技術的課題、市場・需要、資金、事業戦略、その他（technical, market, funding, strategy, other）",
        "reason code: technical, market, funding, strategy or other (技術的課題, 市場・需要, 資金, 事業戦略, その他)",
    ),
    "effects.col.reason": ("理由", "reason"),
    "metavar.file": ("<ファイル>", "<file>"),
    "rule.date": ("日付: 2026-05-31、2026-05、2026年5月 など", "a date such as 2026-05-31, 2026-05 or 2026年5月"),
    "sheet.evaluation_trend": ("評点の推移", "Score trend"),
    "rule.key_in_two_files": (
        "{files_text} に同じ {key_text} の行があります: {n}件（{lines}行）: {keys_text}。同じ読み込みの別のファイルにもある値は、どちらを使うか決められません。{advice_text}",
        "{key_text}: {n} also given by another file of this load ({files_text}; {lines} rows): {keys_text}. Which should win? {advice_text}",
    ),
    "rule.key_in_two_files_of_a_date": (
        "{files_text} は同じ日（{date}）のテーマ一覧です。{n}件のテーマ（{key_text} = {keys_text}）が同じ読み込みの別のファイルにもあります（{lines}行分）。同じ日の一覧は一つのファイルにしてください（古い版をフォルダから除くか、別の日の一覧ならファイル名の日付を直してください）",
        "{files_text} are lists of the same date ({date}): {n} themes ({key_text} = {keys_text}) also given by another file of this load "
        "({lines} rows). Keep one file per date (take the older version out of the folder, or correct the date in "
        "the name of another day's list)",
    ),
    "col.note": ("説明", "note"),
    "col.outlook": ("見通し", "outlook"),
    # ------------------------------------------------------------------ kpi/cli/app.py
    "help.exit_codes": (  # \b: kept line by line, one code a line
        (
            "\b\n"
            "終了コード:\n"
            "  0       成功\n"
            "  1       KPIが目標未達（kpi check）\n"
            "  2       使い方の誤り\n"
            "  3       入力の拒否またはデータなし（何も書き込まない）\n"
            "  4       回答期限を過ぎた未回答の追跡調査（kpi check --max-overdue-days）\n"
            "  65      データベースの破損\n"
            "  70      内部エラー\n"
            "  73      書き出し先を作れない（読み取り専用のフォルダ）\n"
            "  74      書き込めない（ディスクがいっぱい）\n"
            "  75      使用中（別の処理のデータベース、Excel で開いているファイル）\n"
            "  77      データベースを開く・書き込む権限がない\n"
            "  130/143 Ctrl-C/SIGTERM で中断"
        ),
        (
            "\b\n"
            "Exit codes:\n"
            "  0       success\n"
            "  1       a KPI below its target (kpi check)\n"
            "  2       usage error\n"
            "  3       input rejected or no data (nothing written)\n"
            "  4       follow-up surveys overdue (kpi check --max-overdue-days)\n"
            "  65      database damaged\n"
            "  70      internal error\n"
            "  73      cannot create an output (a read-only folder)\n"
            "  74      cannot write (disk full)\n"
            "  75      busy (the database held by another process, a file open in Excel)\n"
            "  77      no permission to open or write the database\n"
            "  130/143 interrupted by Ctrl-C/SIGTERM"
        ),
    ),
    "cli.version": ("kpi {version}", "kpi {version}"),
    "help.app": (
        "R&D基金事業のアウトカムKPI・予算執行・評価表をコマンドラインで。",
        "Outcome KPIs, budget execution and evaluation tables of an R&D fund programme, from the command line.",
    ),
    "help.opt.debug": ("内部エラーのトレースバックを表示します。", "Show a traceback on internal errors."),
    "help.opt.version": ("版を表示して終了します。", "Print the version and exit."),
    "help.followups": (
        "追跡調査の手順: 調査するテーマと調査票。",
        "The follow-up survey loop: whom to survey, and the survey sheet.",
    ),
    # ------------------------------------------------------------------ kpi/cli/commands/figures.py
    "help.opt.all_stagegate": (
        "審査記録のないテーマ（due では実施期間が不明なテーマ）も1行ずつ表示します（既定は件数の1行）。"
        "CSV と JSON はいつも全件です。",
        "List every theme without a review (with due: every theme whose term is unknown), one row each (default: one "
        "row with their count); CSV and JSON always hold every theme.",
    ),
    "help.opt.stagegate_view": (
        "due: その年度（--as-of）にステージゲートを迎えるテーマと期限超過のテーマを一覧にします。",
        "due: list the themes whose stage gate falls in the year (--as-of) and those overdue.",
    ),
    "help.stagegate": (
        "審査済みテーマごとにステージゲート審査の点数と規則による判定、記録があれば委員会の決定を一覧にします。\n\n"
        "規則（3-3 ③）: 平均60点以上は原則継続、40点以上60点未満は特記事項を踏まえて継続可否を検討、"
        "40点未満は原則終了。審査項目（技術的評価・事業化評価）の配点と基準点は programme.toml の "
        "stagegate_criteria、stagegate_continue、stagegate_consider で変えられます。審査記録のないテーマも示します。\n\n"
        "kpi stagegate due: ステージゲートの年度（実施期間の中間: (開始年度 + 終了年度) / 2 の切り捨て）が"
        "その年度のテーマと、過ぎても審査記録のないテーマを一覧にします。\n\n"
        "例: kpi stagegate --as-of 2025 / kpi stagegate due --as-of 2026",
        "List each reviewed theme's stage-gate score and the rule's decision, and the committee's decision when "
        "recorded.\n\n"
        "Rule (3-3 ③): mean ≥ 60 continue in principle; 40 ≤ mean < 60 consider with the special notes; "
        "mean < 40 terminate in principle. The criteria's weights (技術的評価, 事業化評価) and the thresholds are "
        "programme.toml's stagegate_criteria, stagegate_continue and stagegate_consider. Themes with no review are "
        "listed too.\n\n"
        "kpi stagegate due: the themes whose stage gate (the midpoint of their term: (start FY + end FY) / 2, rounded "
        "down) falls in the year, and those past it with no review.\n\n"
        "Example: kpi stagegate --as-of 2025 / kpi stagegate due --as-of 2026",
    ),
    "help.opt.confidential": (
        "追跡調査の回答（テーマ・機関・年度別の売上高。秘）を、提出フォルダの外のこのファイル（.csv または .xlsx）に書き出す。先頭行に秘と明記し、提出ファイル・マニフェスト・提出の記録には含めない",
        "Also write the survey answers with per-theme sales (confidential) to this file (.csv or .xlsx) outside the submission's folder: its first line says it is confidential; never part of the submission, its manifest or its record",
    ),
    "help.opt.max_overdue_days": (
        "送付した追跡調査が回答期限を N 日より長く過ぎて未回答なら終了コード 4 で終わります（KPIが目標未達の 1 が優先）。",
        "Exit 4 when a follow-up survey sent is unanswered more than N days past its deadline (1, a KPI below its target, comes first).",
    ),
    "help.changes": (
        "テーマ一覧の2つの版（日付の異なる2つの一覧、または同じ日付の一覧の訂正の前と後）の間で変わったことを示します: 結果/状況の変化、それ以外の列（機関名、開発テーマ名、基盤要素、年度など）の変化、"
        "追加・消えたテーマ、各アウトカム指標の変更前と変更後。\n\n"
        "既定では最新の2つの一覧を比べます。各一覧の指標は、その一覧の日付を含む年度の時点で計算します。"
        "--from と --to に同じ日付を指定すると、その日付の一覧の訂正（同じ日付で読み込み直した版）の前と後を比べます。\n\n"
        "例: kpi changes --format markdown · kpi changes --from 2026-03-31 --to 2026-03-31",
        "Show what changed between two versions of the theme list (two dates' lists, or one date's list before and "
        "after a correction): statuses, the other columns (organisations, titles, "
        "element, years …), themes added and missing, and every outcome indicator before and after.\n\nBy default "
        "the last two lists are compared; each list's indicators are computed as of the fiscal year containing its "
        "date. The same date for --from and --to compares that date's list before and after its last correction "
        "(the version loaded again for the same date).\n\n"
        "Examples: kpi changes --format markdown · kpi changes --from 2026-03-31 --to 2026-03-31",
    ),
    "help.report": (
        "アウトカムKPI、状況表、予算執行、推移、テーマ一覧、その他の評価指標を表示します。\n\n--out report.html でグラフ入りの自己完結した1ページを書き出します（charts エクストラが必要: pip install 'kpi[charts]'）。\n\n形式は --format か、--out のファイル名の拡張子（.md .csv .json .html）で決まります。CSV ファイルは BOM付きUTF-8 で、Excel でそのまま開けます。\n\n例: kpi report --as-of 2025 --out 報告.csv",
        "Print the outcome KPIs, status tables, budget execution, trend, theme lists and other figures.\n\n--out report.html writes one self-contained page with charts (needs the charts extra: pip install 'kpi[charts]').\n\nThe format is --format's, or the one the --out file's extension names (.md .csv .json .html). A CSV file is UTF-8 with BOM: Excel opens it as is.\n\nExample: kpi report --as-of 2025 --out report.csv",
    ),
    "help.export": (
        "1年度分の省庁提出ファイルを、チェックサムのマニフェストとともに書き出します。\n\nファイル: outcome_kpis、status_summary、by_element、budget_execution、themes など（.csv、CRLF、既定は BOM付きUTF-8）と manifest.json。Excel が数式として実行する文字列は、CSV では先頭に ' を付けて書きます（xlsx では文字列のセルは数式にならないので、そのまま書きます）。\n\n--format xlsx は書式付きの1つのブック（概要シートと表ごとのシート、シート名と列名は選んだ言語）と manifest_xlsx.json。比率はどのファイルでも百分率、見出しに単位（億円、件、%）。\n\n例: kpi export --as-of 2025 --out submission/",
        "Write the ministry submission files for one fiscal year, with a manifest of checksums.\n\nFiles: outcome_kpis, status_summary, by_element, budget_execution, themes, … (.csv, CRLF, UTF-8 with BOM by default) and manifest.json. In a CSV file, text that Excel would run as a formula is written with a leading ' (in xlsx a text cell is never a formula: it is written as it is).\n\n--format xlsx writes one formatted workbook (an About sheet, then a sheet per table, named in the chosen language) and manifest_xlsx.json. Ratios are percentages in every file; headers name their units (億円, 件, %).\n\nExample: kpi export --as-of 2025 --out submission/",
    ),
    "help.opt.out_report": (
        "標準出力ではなくこのファイルに書き出します。形式は拡張子で決まります（--format は不要。html はファイルのみ）。",
        "Write to this file instead of stdout; its extension chooses the format (no --format needed; html is a file only).",
    ),
    "help.opt.as_of_export": (
        "提出する年度（必須）: 2025、R7、令和7年度。--submission N では指定しません（記録した年度で書き出します）。",
        "The fiscal year of the submission (required): 2025, R7 or 令和7年度. Not with --submission N (it is written "
        "for the year it recorded).",
    ),
    "chart.wrote": ("書き出し: {path}", "wrote {path}"),
    "help.opt.check_quiet": ("何も表示せず、終了コードだけで伝えます。", "Print nothing; only the exit code speaks."),
    "help.opt.encoding_out": ("utf-8-sig（Excel向け）、cp932、utf-8。", "utf-8-sig (Excel), cp932 or utf-8."),
    "help.opt.chart_out": ("FILE.png（300 dpi）か FILE.svg。", "FILE.png (300 dpi) or FILE.svg."),
    "help.check": (
        "測定できるKPIがすべて目標を満たせば 0、一つでも未達なら 1 で終了します（cron やスケジューラ向け）。\n\n"
        "判定は各KPIの定義どおり: 短期と長期（終了後一定年数を経過したテーマ）は毎年、公式の長期はプログラム設定の判定年度から。"
        "分母が0のKPIは測定不能で、未達にはなりません。\n\n"
        '例: kpi check --as-of 2025 --quiet || echo "目標未達のKPIがあります"',
        "Exit 0 when every measurable KPI meets its target, 1 when one does not (for cron and schedulers).\n\n"
        "Each KPI is judged by its definition: the short-term and the long-term (matured) ratios every year, the "
        "official long-term ratio from the judging year of the programme settings on. A KPI whose denominator "
        "is 0 is not measurable and does not fail.\n\n"
        'Example: kpi check --as-of 2025 --quiet || echo "a KPI is below target"',
    ),
    "help.reconcile": (
        "計算した指標を評価報告書に印刷された値と比べます。一つでも違えば 1 で終了します。\n\n"
        "公表値（sample_data/published.csv、kpi load で読み込み）はその時点のスナップショットです。"
        "違いは両方の数値とその内訳のテーマとともに示します。\n\n"
        "例: kpi reconcile --format json",
        "Compare the computed figures with the ones the evaluation report printed; exit 1 if any differ.\n\n"
        "The published figures (sample_data/published.csv, loaded by kpi load) are snapshots: each "
        "disagreement is shown with both numbers and the themes behind them.\n\n"
        "Example: kpi reconcile --format json",
    ),
    "help.chart": (
        "文書用のグラフを1つ描きます: 短期の推移、長期の到達、予算、基盤要素別の状況。\n\n"
        "charts エクストラが必要です（pip install 'kpi[charts]'）。日本語フォントも同梱されます。\n\n"
        "例: kpi chart short_term --as-of 2025 --out short_term.png",
        "Draw one chart for documents: the short-term trend, long-term maturity, budget, or status by element.\n\n"
        "Needs the charts extra (pip install 'kpi[charts]'); the Japanese font ships with it.\n\n"
        "Example: kpi chart short_term --as-of 2025 --out short_term.png",
    ),
    "help.opt.stage": (
        "提出の段階: preliminary（速報値）か final（確定値）。確定値を提出した年度は、その数値を変える読込を拒みます。[既定値: preliminary]",
        "The submission's stage: preliminary or final. Once a year's final figures are submitted, a load that "
        "would change them is refused. [default: preliminary]",
    ),
    "help.opt.submission": (
        "記録済みの提出 N のファイルを、記録どおり（同じバイト列、manifest の書き出し日時のみ異なる）にもう一度書き出します。",
        "Write the files of recorded submission N again, byte for byte (only the manifest's time of writing differs).",
    ),
    "help.opt.out_dir": ("提出ファイルを書き出すフォルダ。", "Folder to write the submission files into."),
    "help.opt.chart": (
        "short_term、long_term、budget、status、cohorts のいずれか。",
        "short_term, long_term, budget, status or cohorts.",
    ),
    # ------------------------------------------------------------------ kpi/cli/commands/followups.py
    "followups.sent_overdue": (
        "{fy}年度の回答期限 {deadline} は送付日 {today} より前です。送付した調査票 {n}件はすべて送付したときから期限超過です。",
        "The answer deadline of FY{fy}, {deadline}, is before the day of sending ({today}): every sheet sent ({n}) is overdue at once.",
    ),
    "help.followups_status": (
        "送付を記録した追跡調査の回答状況を、調査年度ごと・回答機関ごとに示します。\n\n送付・回答・未回答の件数、回答期限、期限超過の開始日と日数、回答率（回答 / 送付）。回答は、その機関の回答またはテーマ全体としての回答（回答機関が空欄）で、段階が記入されたもの。期限後に読み込んだ回答も回答です。--as-of の年度までの送付を、その日（年度が終わっていればその年度末）時点で数えます。\n\n例: kpi followups status --as-of 2026",
        "Show the answers to the follow-up surveys recorded as sent, per round and per organisation.\n\nSent, answered and not answered, the deadline, since when and for how many days answers are overdue, and the response rate (answered / sent). An answer is the organisation's own or one for the theme as a whole (organisation blank), with a stage; one loaded after the deadline counts. Counts the rounds up to the --as-of year, as of today (or the end of that fiscal year when it has ended).\n\nExample: kpi followups status --as-of 2026",
    ),
    "help.followups_remind": (
        "未回答の追跡調査を回答機関ごとにまとめた督促リストを書き出します。\n\nMarkdown（機関ごとの見出しと表: メールに貼り付け）または CSV（Excel 用、BOM付き）。テーマ、調査年度、回答期限、超過日数を示します。\n\n例: kpi followups remind --out 督促_2026.md",
        "Write the reminders: the follow-up surveys not answered, per organisation.\n\nMarkdown (a heading and a table per organisation, to paste into a mail) or CSV (for Excel, with a BOM). Shows the theme, round, deadline and days overdue.\n\nExample: kpi followups remind --out reminders_2026.md",
    ),
    "help.opt.out_status": (
        "このファイルに書き出します。形式は拡張子で決まります（.md、.csv は BOM付きUTF-8、.json）。",
        "Write to this file; its extension chooses the format (.md, .csv in UTF-8 with BOM, .json).",
    ),
    "help.opt.out_remind": (
        "このファイルに書き出します（.md: メールに貼る Markdown、.csv: Excel 用、BOM付き）。",
        "Write to this file (.md: markdown to paste into a mail, .csv: for Excel, with a BOM).",
    ),
    "help.followups_due": (
        "その年度に追跡調査を行うテーマ × 回答機関を一覧にします。\n\n最新のテーマ一覧のうち長期目標から除外されないテーマで、終了後の年数が追跡調査の時期（programme.toml の followup_rounds、既定 1, 2, 4, 6 年目）に当たるもの、と長期目標の測定の調査を待っているもの（期限超過）。機関名に複数の機関があれば機関ごとの行です。調査の種類（終了直後・簡易・詳細）と前回の回答、回答期限を示します。--out 追跡調査_2026.csv で調査票を書き出し、段階を記入して kpi load で読み込めます。機関ごとに送るブックは kpi followups sheets で。\n\n例: kpi followups due --as-of 2026",
        "List the theme × organisation pairs to survey in a fiscal year.\n\nThemes of the latest theme list that the long-term KPI does not exclude, in a year after their end that the survey rounds name (followup_rounds of programme.toml, by default 1, 2, 4 and 6), and those whose long-term KPI awaits its measuring survey (overdue). A theme whose 機関名 names several organisations has a row for each. Shows the kind of survey (immediate, simple, detailed), the last answer and the deadline. --out followups_2026.csv writes the survey sheet; fill in the stage and load it back with kpi load. For a workbook per organisation to send, use kpi followups sheets.\n\nExample: kpi followups due --as-of 2026",
    ),
    "help.followups_sheets": (
        "その年度の追跡調査票を、回答機関ごとに1つの xlsx ブックとしてフォルダに書き出し、送付を記録します。\n\n各ブックは記入要領のシートと回答のシート（段階・中止・中断の理由はプルダウン、その機関自身の前回の累積売上高と製品名は記入済み、A4横1ページ幅で印刷）。送付は読込として記録され、kpi loads に表示、kpi undo で取り消せます。記入されたブック（またはそのフォルダ）は kpi load で読み込めます。\n\n例: kpi followups sheets --as-of 2026 --out 追跡調査_2026",
        "Write the follow-up survey sheets of a fiscal year into a folder, one xlsx workbook per organisation, and record them as sent.\n\nEach workbook has an instructions sheet and an answers sheet (drop-downs for stage and reason_code, the organisation's own last cumulative sales and products filled in, printed on A4 landscape one page wide). The sending is recorded as a load: kpi loads lists it, kpi undo takes it back. The filled workbooks (or their folder) load back with kpi load.\n\nExample: kpi followups sheets --as-of 2026 --out followups_2026",
    ),
    "help.opt.out_sheets": (
        "回答機関ごとのブックを書き出すフォルダ（なければ作ります）。",
        "Folder to write the workbooks into, one per organisation (created if missing).",
    ),
    "help.opt.out_sheet": (
        "調査票をこのファイルに書き出します（例: 追跡調査_2026.xlsx。記入後そのまま kpi load で読み込めます）。形式は拡張子で決まります（.csv は BOM付きUTF-8、CRLF: Excel でそのまま開けます。.xlsx は機関名ごとに1シートのブック。.json）。",
        "Write to this file (e.g. followups_2026.xlsx: filled in, kpi load reads it back as it is); its extension chooses the format (.csv is UTF-8 with BOM, CRLF: Excel opens it as is; .xlsx a workbook with one sheet per organisation; .json).",
    ),
    # ------------------------------------------------------------------ kpi/cli/commands/loading.py
    "help.opt.sheet": (
        "ブック（.xlsx、.xls、.ods）の読むシートの名前。[既定値: シートが一つならそれ、複数なら見出しがそろった一つのシート]",
        "The sheet of a workbook (.xlsx, .xls, .ods) to read. [default: its only sheet, else the one sheet holding "
        "the contract's headers]",
    ),
    "help.load": (
        "プログラムの記録（テーマ、予算、追跡調査、成果…）を読み込みます。全ファイルを読み込むか、何も読み込まないかのどちらかです。\n\n"
        "すべての行を入力規約（docs/reference.md の「Input contract」）で検査し、どのファイルのどの行かが一つでも規約に反すれば何も書き込まず、"
        "すべての問題をファイルと行とともに示します。\n\n"
        "形式: .csv、タブ区切りの .txt と .tsv（Excel の「Unicode テキスト」も）、.xlsx、.xls、.ods、.parquet。\n\n"
        "RSオープンデータ（2-1_RS_…、3-1_RS_…）は1事業の行だけを残します（--project-id）。\n\n"
        "例: kpi load sample_data/",
        "Load the programme's records (themes, budget, follow-ups, outputs, …): all files or none.\n\n"
        'Every row is checked against the input contract (docs/reference.md, "Input contract"); if any row of any '
        "file fails, nothing is written and every failure is listed with its file and line.\n\n"
        "Formats: .csv, tab-separated .txt and .tsv (Excel's Unicode text too), .xlsx, .xls, .ods, .parquet.\n\n"
        "RS open-data files (2-1_RS_…, 3-1_RS_…) keep the rows of one project (--project-id).\n\n"
        "Example: kpi load sample_data/",
    ),
    "help.opt.renumbered": (
        "記録済みの一覧とテーマIDがほとんど共通しないテーマ一覧、または別の予算事業IDの設定ファイルを受け付けます（本当にIDを振り直した場合）。理由は読込とともに記録されます（kpi loads に表示）。",
        "Accept a themes list that shares few IDs with the stored one, or a settings file with another 予算事業ID: "
        "a genuine renumbering; the reason is kept with the load (shown by kpi loads).",
    ),
    "cli.renumbered_blank": (
        "--renumbered: IDを振り直した理由を文字で書いてください（空白だけでは理由になりません）",
        "--renumbered: write the reason for the renumbering as text (blanks alone are no reason)",
    ),
    "help.opt.paths": ("読み込むファイルまたはフォルダ。", "Files or folders to load."),
    "help.opt.kind": (
        "種類: themes、budget、followups、outputs、grants、stagegate、evaluation、published、rs、programme（省略時はファイル名から: "
        "themes・テーマ一覧・テーマ、budget・予算、followups・追跡調査、outputs・成果、grants・権利化、stagegate・ステージゲート、"
        "evaluation・評点、published・公表値、programme・設定 で始まる名前。日付があってもよい）。",
        "themes, budget, followups, outputs, grants, stagegate, evaluation, published, rs or programme "
        "(else from each file's name, which begins with the kind or its Japanese name: テーマ一覧 or テーマ, 予算, "
        "追跡調査, 成果, 権利化, ステージゲート, 評点, 公表値, 設定; a date may follow).",
    ),
    "help.opt.encoding_in": (
        "CSV・テキストの文字コード（utf-8、utf-8-sig、cp932）。[既定値: 自動判定。BOM付きUTF-16も]",
        "Encoding of CSV and text files (utf-8, utf-8-sig, cp932). [default: detected, UTF-16 with BOM too]",
    ),
    "help.opt.project_id": (
        "RSファイル: 残す予算事業ID。[既定値: プログラム設定の値]",
        "RS files: the 予算事業ID to keep. [default: the programme's]",
    ),
    "help.opt.undo_load": (
        "取り消す読込の番号。[既定値: 取り消されていない最新の読込]",
        "The load to undo. [default: the latest load not undone]",
    ),
    "help.undo": (
        "最新の読込（または読込 N）を取り消します。その行は置き換えられ、それが置き換えた行が再び現在の値になります。"
        "取り消しも1回の読込として記録され、何も削除されません。後の読込がその行を更新している場合は拒みます。\n\n"
        "例: kpi undo · kpi undo 5",
        "Undo the latest load (or load N): its rows are superseded and the rows it superseded are current again. "
        "The undo is itself a load in the history; nothing is deleted. Refused when a later load changed its rows.\n\n"
        "Examples: kpi undo · kpi undo 5",
    ),
    # ------------------------------------------------------------------ kpi/cli/commands/settings.py
    "init.wrote": (
        "書き出し: {path}\n次に name と project_id を記入して保存し、読み込んでください: kpi load {path}",
        "wrote {path}\nNext, fill in name and project_id, save it, and load it: kpi load {path}",
    ),
    "help.init": (
        "プログラム設定のひな形（programme.toml）を書き出します。\n\n"
        "各項目の意味と評価報告書のどこにあるかを日本語のコメントで示し、ポスト5G基金事業の値を例として入れてあります。\n\n"
        "name と project_id の2行を記入すれば kpi load で読み込めます。記入するまでは、記入が必要な行を示して"
        "読み込みを断ります。\n\n"
        "例: kpi init --out programme.toml",
        "Write a programme settings template (programme.toml).\n\n"
        "What each setting means and where in an evaluation report to find it are said in comments (Japanese by "
        "default, --lang en for English), with the Post-5G fund's values as examples.\n\n"
        "It loads with kpi load as soon as the two lines name and project_id are filled in; until then kpi load "
        "refuses it, naming the lines to fill.\n\n"
        "Example: kpi init --out programme.toml",
    ),
    "help.opt.init_out": ("書き出すファイル。", "File to write."),
    "help.opt.init_force": ("既存のファイルを置き換えます。", "Replace the file if it exists."),
    # ------------------------------------------------------------------ kpi/cli/commands/store.py
    "help.loads": (
        "これまでの読み込みを一覧にします: 番号、日時、ファイル、種類、テーマ一覧の日付、行数、追加、更新、sha256。\n\n"
        "kpi loads show N で、第N回の読込が変えたテーマ・行と列（変更前→変更後）を示します。\n\n"
        "--out loads.csv で Excel でそのまま開ける CSV（BOM付きUTF-8）を、--format json でスクリプト向け（sha256 は全桁）を出します。\n\n"
        "例: kpi loads --out loads.csv · kpi loads show 3",
        "List every load: number, time, file, kind, the date of a theme list, rows, inserted, updated, sha256.\n\n"
        "kpi loads show N shows the themes and rows load N changed, each column before → after.\n\n"
        "--out loads.csv writes a CSV Excel opens as is (UTF-8 with BOM); --format json is for scripts (with the "
        "whole sha256).\n\n"
        "Examples: kpi loads --out loads.csv · kpi loads show 3",
    ),
    "help.opt.out_listing": (
        "書き出すファイル。形式は拡張子で決まります（.csv は BOM付きUTF-8: Excel でそのまま開けます。.json）。",
        "File to write; its extension chooses the format (.csv is UTF-8 with BOM: Excel opens it as is; .json).",
    ),
    "help.opt.loads_action": (
        "show N: 第N回の読込が変えた行（テーマ一覧なら追加・変更・一覧にないテーマと列ごとの変更前→変更後、指標の変化）。省略すると一覧。",
        "show N: the rows load N changed (for a theme list the themes added, changed and missing, each column before → "
        "after, and the indicators). Without it, the list.",
    ),
    "help.opt.loads_number": ("読込の番号（kpi loads の #）。", "A load's number (# in kpi loads)."),
    "loads.show_needs_number": (
        "kpi loads show には読込の番号が必要です（例: kpi loads show 3。番号は kpi loads の #）",
        "kpi loads show needs a load's number (e.g. kpi loads show 3; the # in kpi loads)",
    ),
    "loads.show_known_at": (
        "kpi loads show N は第N回の読込の直後の状態で読みます。--known-at は一緒に使えません",
        "kpi loads show N reads the store as it stood right after load N: --known-at does not go with it",
    ),
    "help.backup": (
        "データベースの一貫したコピーを作ります。作ったコピーは全ブロックを読み直して確かめてから完了とします。\n\n"
        "読み込み中の処理があれば終わるまで待ちます（--wait）。既定の置き場所はデータベースの隣の "
        "kpi.duckdb.backups/ で、ファイルは所有者だけが読めます（0600）。kpi load もデータベースを変える前に、"
        "その時点のコピーを同じフォルダに残します（新しいものから既定で3つ、設定 backups）。\n\n"
        "例: kpi backup --out /mnt/share/kpi-2026-12.duckdb",
        "Take a consistent copy of the database, read back whole before it says it is done.\n\n"
        "A load under way is waited for (--wait). By default the copy goes to kpi.duckdb.backups/ beside the "
        "database, readable by its owner only (0600). kpi load, too, keeps the database as it was in that folder "
        "before every load that changes it (the newest 3 by default: the setting backups).\n\n"
        "Example: kpi backup --out /mnt/share/kpi-2026-12.duckdb",
    ),
    "help.opt.backup_out": (
        "コピーを書き出すファイル（既定: kpi.duckdb.backups/ の中、時刻付きの名前）。",
        "File to write the copy to (default: in kpi.duckdb.backups/, named by the time).",
    ),
    "help.opt.backup_force": ("--out の既存ファイルを置き換えます。", "Replace the --out file if it exists."),
    "help.restore": (
        "バックアップをデータベースの場所に戻します。\n\n"
        "バックアップは全ブロックを読んで確かめてから、一度に入れ替えます。置き換えたファイルは "
        "kpi.duckdb.replaced-日時 として残します。使用中のデータベースは待ちます（--wait）。\n\n"
        "例: kpi restore kpi.duckdb.backups/20261202T083012_load-8.duckdb",
        "Put a backup in the database's place.\n\n"
        "The backup is read whole first, then swapped in at once; the replaced file is kept as "
        "kpi.duckdb.replaced-TIME. A database in use is waited for (--wait).\n\n"
        "Example: kpi restore kpi.duckdb.backups/20261202T083012_load-8.duckdb",
    ),
    "help.opt.backup_file": ("戻すバックアップのファイル。", "The backup file to restore."),
    "help.opt.other_programme": (
        "別の事業（予算事業IDが違う）のバックアップでも戻す。",
        "Restore a backup of another programme (another 予算事業ID) all the same.",
    ),
    "help.lists": (
        "日付ごとのテーマ一覧を示します: 日付、テーマ数、書き込んだ読込、その一覧で数える年度。\n\n"
        "ある年度の数値は、その年度末（翌年3月31日）までの日付の最新の一覧で数えます。\n\n"
        "例: kpi lists --format json",
        "Show the dated theme lists: date, themes, the load that wrote it, and the fiscal years whose figures "
        "read it.\n\nA fiscal year's figures read the latest list dated on or before its end (31 March).\n\n"
        "Example: kpi lists --format json",
    ),
    # ------------------------------------------------------------------ kpi/cli/help.py
    "metavar.grouping": ("<群分け>", "<grouping>"),
    "param.stagegate_view": ("一覧の種類", "what to list"),
    "metavar.round": ("<評価回>", "<round>"),
    "usage.missing_chart": (
        "グラフを指定してください: short_term、long_term、budget、status、cohorts（例: kpi chart short_term --out 短期.png）",
        "name the chart: short_term, long_term, budget, status or cohorts (for example: kpi chart short_term --out short.png)",
    ),
    "usage.below_minimum": (
        "{option} の値 {value} は {minimum} 以上にしてください",
        "{option}: {value} is below its least value, {minimum}",
    ),
    "metavar.days": ("<日数>", "<days>"),
    "usage.many_commands_option": (
        "（{option} は {first}、{second} など多くのコマンドのオプションです）",
        " ({option} is an option of {first}, {second} and many other commands)",
    ),
    "usage.bad_env_value": (
        "環境変数 {env} の値 {value!r} は {option} の値として使えません",
        "environment variable {env}: {value!r} is not a value for {option}",
    ),
    "usage.other_commands_option": (
        "（{option} は {commands} のオプションです）",
        " ({option} is an option of {commands})",
    ),
    "param.chart": ("グラフの名前", "chart"),
    "param.kpi": ("指標", "kpi"),
    "param.paths": ("ファイル", "files"),
    "param.programmes": ("事業のデータベース", "programme databases"),
    "param.backup_file": ("バックアップ", "backup"),
    "param.action": ("操作", "action"),
    "param.load_number": ("読込番号", "load number"),
    "param.submission_numbers": ("提出番号", "submission numbers"),
    "metavar.year": ("<年度>", "<year>"),
    "metavar.folder": ("<フォルダ>", "<folder>"),
    "metavar.kpi": ("<指標>", "<kpi>"),
    "metavar.date": ("<日付>", "<date>"),
    "metavar.known_at": ("<読込番号|日付>", "<load|date>"),
    "metavar.size": ("<大きさ>", "<size>"),
    "metavar.programme": ("<事業ID>", "<programme>"),
    "metavar.number": ("<番号>", "<number>"),
    "metavar.reason": ("<理由>", "<reason>"),
    "metavar.sheet": ("<シート名>", "<sheet>"),
    "metavar.submission": ("<提出番号>", "<submission>"),
    "metavar.seconds": ("<秒>", "<seconds>"),
    "metavar.kind": ("<種類>", "<kind>"),
    "usage.one_argument": (
        "{command} がとる{label}は一つです: {args} は余分です",
        "{command} takes one {label}: {args} is one too many",
    ),
    "usage.bad_env": (
        "環境変数 {env} の値 {value!r} は使えません（{choices}）",
        "environment variable {env}: {value!r} is not allowed ({choices})",
    ),
    "usage.out_dash": (
        "--out - は使えません。標準出力に出すときは --out を書かないでください",
        "--out - is not a file name: leave --out out to write to the standard output",
    ),
    "usage.bad_value": ("{option} の値が正しくありません", "invalid value for {option}"),
    "usage.no_such_command": ("不明なコマンド: {name}", "no such command: {name}"),
    "usage.other": (
        "コマンドラインの書き方に誤りがあります",
        "the command line is not written as kpi reads it",
    ),
    "usage.extra": ("余分な引数があります: {args}", "unexpected argument(s): {args}"),
    "usage.missing_command": (
        "{command} の後にコマンドを書いてください: {commands}",
        "{command} needs one of its commands: {commands}",
    ),
    "usage.option_after_command": (
        "{option} は {owner} のオプションです。コマンド名の後に書いてください: {fixed}",
        "{option} is an option of {owner}: write it after the command's name: {fixed}",
    ),
    "usage.option_before_command": (
        "{option} は {owner} 自身のオプションです。コマンド名の前に書いてください: {fixed}",
        "{option} is an option of {owner} itself: write it before the command's name: {fixed}",
    ),
    "usage.needs_value": ("{option} の後に値を書いてください", "{option} needs a value after it"),
    "usage.needs_choice": (
        "{option} の後に値を書いてください（使える値: {choices}）",
        "{option} needs a value after it (one of {choices})",
    ),
    "usage.takes_no_value": (
        "{option} は値をとりません（{option} だけを書きます）",
        "{option} takes no value (write {option} alone)",
    ),
    "usage.no_such_option": ("不明なオプション: {option}", "no such option: {option}"),
    "usage.bad_choice": (
        "{option} に {value!r} は使えません。使える値: {choices}",
        "{option}: {value!r} is not one of {choices}",
    ),
    "usage.bad_type": ("{option} の値 {value!r} は{kind}ではありません", "{option}: {value!r} is not {kind}"),
    "usage.type.integer": ("整数", "an integer"),
    "usage.type.float": ("数値", "a number"),
    "usage.missing": ("{param} を指定してください", "missing {param}"),
    "usage.missing_paths": (
        "読み込むファイルまたはフォルダを指定してください（例: kpi load sample_data/）",
        "name the files or folders to read (for example: kpi load sample_data/)",
    ),
    "usage.missing_programmes": (
        "事業のデータベース（ファイルまたはフォルダ）を指定してください（例: kpi portfolio programmes/）",
        "name the programme databases (files or folders; for example: kpi portfolio programmes/)",
    ),
    "usage.missing_kpi": (
        "指標を指定してください: short_term、long_term、long_term_matured（例: kpi explain short_term）",
        "name the KPI: short_term, long_term or long_term_matured (for example: kpi explain short_term)",
    ),
    "usage.missing_backup": (
        "戻すバックアップのファイルを指定してください（kpi.duckdb.backups/ の中）",
        "name the backup file to restore (in kpi.duckdb.backups/)",
    ),
    "usage.did_you_mean": ("（もしかして: {commands}）", " (did you mean: {commands}?)"),
    "usage.hint": ("使い方は {command} --help で表示します", "see {command} --help"),
    "help.usage": ("使い方: ", "Usage: "),
    "help.arguments": ("引数", "Arguments"),
    "help.options": ("オプション", "Options"),
    "help.commands": ("コマンド", "Commands"),
    "help.default": ("既定値", "default"),
    "help.required": ("必須", "required"),
    "help.env": ("環境変数", "env var"),
    "help.help": ("このヘルプを表示して終了します。", "Show this message and exit."),
    # ------------------------------------------------------------------ kpi/cli/main.py
    "help.opt.install_completion": (
        "使っているシェル（bash、zsh、fish、PowerShell）に kpi の補完を設定します。",
        "Install completion of kpi for the current shell (bash, zsh, fish, PowerShell).",
    ),
    "help.opt.show_completion": (
        "使っているシェル向けの補完スクリプトを表示します（自分で設定するとき）。",
        "Print the completion script for the current shell, to install it yourself.",
    ),
    "cli.completion_installed": (
        "{shell} の補完を {path} に設定しました。新しく開いた端末から有効になります",
        "{shell} completion installed in {path}; it works in terminals opened from now on",
    ),
    "cli.completion_shell": (
        "補完を設定できるシェルが分かりません（{shell}）。使えるシェル: {shells}",
        "cannot tell which shell to complete for ({shell}); completion works in: {shells}",
    ),
    # ------------------------------------------------------------------ kpi/cli/options.py
    "cli.out_extension_unknown": (
        "--out {name}: 拡張子 {ext} は分かりません。このコマンドが書き出す拡張子: {extensions}",
        "--out {name}: unknown extension {ext}; this command writes {extensions}",
    ),
    "cli.out_name_trailing": (
        "--out 「{name}」: ファイル名が点か空白で終わっています（Windows では消えてしまい、別の名前になります）。末尾の点や空白を除いてください。書き出せる拡張子: {extensions}",
        "--out '{name}': the file name ends in a dot or a blank (Windows drops them, so the file would be named otherwise); remove them. It writes {extensions}",
    ),
    "cli.out_extension_typo": (
        "--out {name}: 拡張子 {ext} は分かりません。もしかして {guess} ですか？ このコマンドが書き出す拡張子: {extensions}",
        "--out {name}: unknown extension {ext}; did you mean {guess}? This command writes {extensions}",
    ),
    "cli.out_is_folder": (
        "--out {name}: --out は書き出すフォルダの名前です（ファイル名ではありません）。例: --out 提出/2025/（形式は --format csv か --format xlsx で選びます）",
        "--out {name}: --out is the name of the folder to write into, not a file's; e.g. --out submission/2025/ (choose the format with --format csv or --format xlsx)",
    ),
    "cli.out_format_mismatch": (
        "--out {name} は {named} のファイル名ですが、--format は {format} です。どちらかに合わせてください（--format を省けば拡張子で決まります）",
        "--out {name} names a {named} file but --format is {format}: make them agree (without --format, the extension chooses)",
    ),
    "cli.out_format_not_offered": (
        "--out {name}: このコマンドは {ext} のファイルを書き出せません。書き出せる拡張子: {extensions}（ほかの名前なら --format の形式で書き出します）",
        "--out {name}: this command does not write {ext} files; it writes {extensions} (any other name is written in --format)",
    ),
    "cli.wait_invalid": (
        "--wait（または $KPI_WAIT）{value}: 待つ秒数は 0 以上の有限の数で指定してください（nan、inf、負の数は使えません）",
        "--wait (or $KPI_WAIT) {value}: give the seconds to wait as a finite number, 0 or more (not nan, inf or a negative number)",
    ),
    "cli.reopen_blank": (
        "--reopen: 年度を開け直す理由を文字で書いてください（空白だけでは理由になりません）",
        "--reopen: write the reason for reopening the year as text (blanks alone are no reason)",
    ),
    "cli.not_a_date": (
        "{option}: 日付ではありません: {value!r}（2026-03-31 のように指定）",
        "{option}: not a date: {value!r} (use 2026-03-31)",
    ),
    "cli.as_of_out_of_range": (
        "--as-of: {year}年度は範囲外です（{low}〜{high}年度の年度を 2025、R7、令和7年度 のように指定）",
        "--as-of: FY{year} is out of range (give a fiscal year from {low} to {high}, as 2025, R7 or 令和7年度)",
    ),
    "cli.as_of_invalid": (
        "--as-of: 年度ではありません: {value!r}（2025、R7、令和7年度 のように指定）",
        "--as-of: not a fiscal year: {value!r} (use 2025, R7 or 令和7年度)",
    ),
    "help.opt.db": (
        "データベースファイル。[既定値: $KPI_DB、なければ ./kpi.duckdb]",
        "Database file. [default: $KPI_DB, else ./kpi.duckdb]",
    ),
    "help.opt.wait": (
        "使用中のデータベースを待つ秒数。[既定値: $KPI_WAIT、なければ 30]",
        "Seconds to wait for a busy database. [default: $KPI_WAIT, else 30]",
    ),
    "help.opt.known_at": (
        "その読込の直後の時点の数値: 読込の番号（kpi loads の 3）か日時（2026-04-01、2026-04-01T10:30。日付だけならその日の終わり）。[既定値: 現在]",
        "The figures as known right after a load: its number (3, from kpi loads) or a time (2026-04-01, "
        "2026-04-01T10:30; a date alone is the end of that day). [default: now]",
    ),
    "help.opt.reopen": (
        "確定値を提出済みの年度の数値を変える読込を、理由を記録して受け付けます（kpi loads と kpi submissions diff に表示）。",
        "Accept a load that changes the figures of a year whose final figures were submitted, keeping the reason "
        "(shown by kpi loads and kpi submissions diff).",
    ),
    "cli.known_at_invalid": (
        "--known-at {value}: 読込の番号（3）か日時（2026-04-01、2026-04-01T10:30）を指定してください",
        "--known-at {value}: give a load number (3) or a time (2026-04-01, 2026-04-01T10:30)",
    ),
    "help.opt.as_of": (
        "年度: 2025、R7、令和7年度。[既定値: 今日を含む年度]",
        "Fiscal year: 2025, R7 or 令和7年度. [default: the current fiscal year]",
    ),
    "help.opt.format": ("出力形式。", "Output format."),
    "help.opt.lang": (
        "表示の言語（ja 日本語、en 英語）。[既定値: $KPI_LANG、なければ ja]",
        "Language of every word kpi prints. [default: $KPI_LANG, else ja]",
    ),
    "help.opt.quiet": ("成功時は何も表示しません。", "Print nothing on success."),
    "help.opt.snapshot": (
        "テーマ一覧が表す日付 YYYY-MM-DD。[既定値: ファイル名の日付（themes_2026-03-31.csv、テーマ一覧_20260331.xlsx、テーマ一覧_令和8年3月31日.csv、R8.3.31 など）、なければ今日]",
        "The date a themes list describes, YYYY-MM-DD. [default: the date in the file's name "
        "(themes_2026-03-31.csv, テーマ一覧_20260331.xlsx, テーマ一覧_令和8年3月31日.csv, R8.3.31, …), else today]",
    ),
    "help.opt.all": (
        "テーマ一覧をすべて表示します（既定は各100行まで）。",
        "List every theme in the theme lists (default: the first 100 of each).",
    ),
    "help.opt.export_format": (
        "csv（表ごとに1ファイル）か xlsx（1つのブック）。",
        "csv (one file per table) or xlsx (one workbook).",
    ),
    "help.opt.max_file_size": (
        "これより大きい入力ファイルは読む前に断ります（2G、500M、バイト数。既定 2G）。",
        "Refuse an input file larger than this before reading it (2G, 500M, or bytes; default 2G).",
    ),
    "cli.bad_size": (
        "--max-file-size {value} は大きさではありません。2G、500M、1000000 のように書いてください",
        "--max-file-size {value} is not a size; write it as 2G, 500M or 1000000",
    ),
    "help.opt.force_out": ("--out の既存ファイルを置き換えます。", "Replace the --out file if it exists."),
    "help.opt.force": ("フォルダ内の既存ファイルを置き換えます。", "Replace files already in the folder."),
    "help.opt.since": (
        "この日付に有効な一覧から比べます（YYYY-MM-DD）。[既定値: 最新の一つ前の一覧]",
        "Compare from the list in force on this date (YYYY-MM-DD). [default: the list before the latest]",
    ),
    "help.opt.until": (
        "この日付に有効な一覧まで比べます（YYYY-MM-DD）。[既定値: 最新の一覧]",
        "Compare up to the list in force on this date (YYYY-MM-DD). [default: the latest list]",
    ),
    "help.opt.fy": (
        "調査する年度: 2026、R8、令和8年度。[既定値: 今日を含む年度]",
        "The survey year: 2026, R8 or 令和8年度. [default: the current fiscal year]",
    ),
    "help.opt.by": (
        "指標を群に分けて示します: item（研究開発項目）、element（基盤要素）、または programme.toml で宣言した属性の名前（例: 分野、企業規模）。",
        "Show the figures per group: item, element, or the name of an attribute programme.toml declares (e.g. 分野).",
    ),
    # ------------------------------------------------------------------ kpi/cli/output.py
    "cli.error": ("kpi: {message}", "kpi: {message}"),
    "cli.internal": (
        "内部エラー: {kind}: {detail}（詳しくは --debug を付けて再実行してください）",
        "internal error: {kind}: {detail} (run again with --debug for details)",
    ),
    "cli.interrupted": ("中断しました（Ctrl-C）。{kept}", "interrupted (Ctrl-C); {kept}"),
    "cli.terminated": ("終了しました（SIGTERM）。{kept}", "terminated (SIGTERM); {kept}"),
    # ------------------------------------------------------------------ kpi/present/changes.py
    "changes.in_force": (
        "（{asked} の一覧はありません。{asked} に有効な一覧は {date} のものです）",
        " ({asked} has no list of its own: the list in force on {asked} is that of {date})",
    ),
    "changes.title_none_left": (
        "{date} の一覧の取り消し（残る一覧はありません）",
        "The list of {date} withdrawn (no list is left)",
    ),
    "changes.dropped": (
        "数えなくなったテーマ（{n}）（新しい一覧になく、それより前の一覧からも引き継がれません）",
        "Themes no longer counted ({n}) (not in the newer list, nor carried from an earlier one)",
    ),
    "changes.title_first": (
        "{date} の一覧（最初の一覧: それより前の一覧はありません）",
        "The list of {date} (the first list: no list before it)",
    ),
    "changes.title_versions": (
        "{date} の一覧の訂正: 第{before}回の読込の版 → 第{after}回の読込の版",
        "The correction of the {date} list: the version of load #{before} → the version of load #{after}",
    ),
    "changes.col_before_version": (
        "訂正前（第{load}回の読込の版、{fy}年度）",
        "before (load #{load}'s version, FY{fy})",
    ),
    "changes.col_after_version": ("訂正後（第{load}回の読込の版、{fy}年度）", "after (load #{load}'s version, FY{fy})"),
    "changes.edited": ("結果/状況以外が変わったテーマ（{n}）", "Themes with other columns changed ({n})"),
    "col.field": ("変わった列", "column"),
    "changes.outlook": ("見通し（{name}）: {before} → {after}", "outlook ({name}): {before} → {after}"),
    "changes.title": (
        "テーマ一覧の変化: {before} → {after}",
        "What changed between the theme lists of {before} and {after}",
    ),
    "changes.moved": ("結果/状況が変わったテーマ（{n}）", "Themes whose status changed ({n})"),
    "changes.added": ("追加されたテーマ（{n}）", "Themes added ({n})"),
    "changes.missing": (
        "新しい一覧にないテーマ（{n}）（最後の状態のまま保持）",
        "Themes missing from the newer list ({n}) (kept with their last known status)",
    ),
    "changes.col_before": ("変更前（{date} の一覧、{fy}年度）", "before ({date} list, FY{fy})"),
    "changes.col_after": ("変更後（{date} の一覧、{fy}年度）", "after ({date} list, FY{fy})"),
    # ------------------------------------------------------------------ kpi/present/charts.py
    "chart.by.too_many": (
        "群が{n}あり、グラフでは読めません（{most}まで）。kpi report --by で表にしてください",
        "{n} groups: too many to read in a chart (at most {most}); use kpi report --by for the table",
    ),
    "chart.by.partition": (
        "各テーマはちょうど1つの群に入り、群の件数・分子・分母の合計は「計」に等しくなります。",
        "Each theme is in exactly one group; the groups' counts, numerators and denominators sum to the total's.",
    ),
    "chart.by.kpi_title": ("{kpi}（{by}別）", "{kpi}, by {by}"),
    "chart.by.status_title": (
        "研究開発の状況（{by}別、先導研究除く）",
        "Status of themes by {by} (leading research excluded)",
    ),
    "chart.by.small": ("{label}（少数）", "{label} (small)"),
    "chart.by.small_note": (
        "（少数）: 採択テーマが{n}件未満の群。1件で比率が大きく動きます。",
        "(small): a group with fewer than {n} adopted themes; one theme moves its ratio a lot.",
    ),
    "chart.by.denominator_zero": ("分母0: 未算出", "denominator 0: not computed"),
    "chart.by.no_followups": ("追跡調査データなし: 未算出（0%ではない）", "no follow-up survey: not computed (not 0%)"),
    "chart.by.refused": (
        "--by は {name} のグラフには使えません。群別に描けるグラフ: {charts}",
        "--by does not apply to the {name} chart; the charts drawn by group: {charts}",
    ),
    "effects.chart.years_after": ("{n}年後", "{n} yr after"),
    "effects.chart.cohort": ("{fy}年度終了", "ended FY{fy}"),
    "effects.chart.response": ("回答{rate}", "answered {rate}"),
    "chart.outlook": ("{fy}年度の見通し {worst}〜{best}", "FY{fy} outlook {worst}–{best}"),
    "chart.ratio_axis": ("目標達成率", "achieved / completed"),
    "chart.ratio_line": ("目標達成 / 研究開発完了（各年度末）", "achieved / completed (at each year's end)"),
    "chart.below": ("目標を下回る年度", "below target"),
    "chart.target_line": ("目標 {target}", "target {target}"),
    "chart.matured_axis": ("実用化率", "commercialised"),
    "chart.matured_line": ("実用化 / {horizon}年経過テーマ", "commercialised / {horizon} years past end"),
    "chart.no_followups": (
        "追跡調査データなし: 長期指標は未算出（0%ではない）",
        "No follow-up surveys loaded: not computed (this is not 0%)",
    ),
    "chart.no_matured": (
        "{horizon}年経過テーマなし: 実用化率は未算出",
        "No theme is {horizon} years past its end yet: not computed",
    ),
    "chart.reaching": ("{horizon}年経過時点に達するテーマ数", "themes reaching their {horizon}-year point"),
    "chart.cumulative": ("累計（{horizon}年経過済み）", "cumulative ({horizon} years past end)"),
    "chart.later": ("{fy}年度以降", "FY{fy}+"),
    "chart.judged": ("判定 {fy}年度", "judged FY{fy}"),
    "chart.themes_axis": ("テーマ数", "themes"),
    "chart.oku_yen": ("億円", "100M yen (億円)"),
    "chart.budget_bar": ("予算", "budget"),
    "chart.executed_bar": ("執行", "executed"),
    "chart.cumulative_ratio": ("累計執行率（右軸）", "cumulative execution ratio (right axis)"),
    "chart.draws": (
        "※ 執行が当該年度予算を上回る（前年度までの予算を充当）",
        "* execution above the year's budget (earlier appropriations drawn on)",
    ),
    "chart.no_data": ("データなし", "no data"),
    "chart.item_element": ("{item} {element}", "item {item} {element}"),
    "chart.fy_tick": ("{fy}\n({era})", "FY{fy}\n({era})"),
    "cli.charts_missing": (
        "グラフには charts エクストラが必要です: pip install 'kpi[charts]'（matplotlib と日本語フォント）",
        "charts need the charts extra: pip install 'kpi[charts]' (matplotlib and its Japanese font)",
    ),
    "cli.chart_suffix": (
        "--out の拡張子は {formats} にしてください（{name!r} ではなく）",
        "--out must end in {formats}, not {name!r}",
    ),
    "portfolio.range": (
        "最良〜最悪（結果待ちが全件達成〜全件未達）",
        "best–worst (every pending theme achieving – none)",
    ),
    # ------------------------------------------------------------------ kpi/present/check.py
    "check.overdue": (
        "回答期限を {days} 日より長く過ぎて未回答の追跡調査が {n} 件あります（{date} 時点。最も古いもの: {theme_id} {organisation}、{fy}年度の調査、期限 {deadline}、{oldest} 日超過）。",
        "{n} follow-up surveys are unanswered more than {days} days past their deadline (as of {date}; the oldest: {theme_id} {organisation}, the FY{fy} round, deadline {deadline}, {oldest} days overdue).",
    ),
    "check.overdue_none": (
        "回答期限を {days} 日より長く過ぎて未回答の追跡調査はありません（{date} 時点）。",
        "No follow-up survey is unanswered more than {days} days past its deadline (as of {date}).",
    ),
    "check.exit_overdue": (
        "終了コード 4: 回答期限を {days} 日より長く過ぎて未回答の追跡調査があります（kpi followups remind で督促リスト）。",
        "exit code 4: follow-up surveys are unanswered more than {days} days past their deadline (kpi followups remind writes the reminders).",
    ),
    "check.exit_missed": (
        "終了コード 1: {fy}年度の {names} が目標に届いていません。",
        "exit code 1: for FY{fy}, {names} is below its target.",
    ),
    "check.exit_ok": (
        "終了コード 0: {fy}年度に目標に届いていない指標はありません（判定前・測定不能を除く）。",
        "exit code 0: no indicator is below its target for FY{fy} (those not judged yet or not measurable aside).",
    ),
    "check.heading": ("{fy}年度（{wareki}）", "FY{fy} ({wareki})"),
    # ------------------------------------------------------------------ kpi/present/export.py
    "export.confidential_suffix": (
        "{name}: --confidential のファイル名は {extensions} で終わる名前にしてください（その形式で書き出します）",
        "{name}: name the --confidential file with {extensions} (it is written in that format)",
    ),
    "effects.col.years_after_header": ("終了後年数", "years after the end"),
    "effects.col.survey_fy": ("調査年度", "survey FY"),
    "effects.col.commercialised": ("実用化テーマ数", "commercialised themes"),
    "effects.col.commercialised_ratio": ("実用化の割合", "commercialised share"),
    "effects.col.sent": ("送付数", "sent"),
    "effects.col.answered": ("回答数", "answered"),
    "effects.col.response_rate": ("回答率", "response rate"),
    "effects.col.organisation": ("回答機関", "organisation"),
    "effects.whole_theme": ("（テーマ全体）", "(theme as a whole)"),
    "effects.col.stage": ("段階", "stage"),
    "effects.col.sales": ("売上高", "sales"),
    "effects.col.cumulative_sales": ("累積売上高", "cumulative sales"),
    "effects.col.products": ("製品名", "products"),
    "effects.col.effects": ("効果", "effects"),
    "effects.sheet.confidential": ("回答（秘）", "answers (confidential)"),
    "effects.confidential": (
        "【秘】テーマ・機関別の売上高を含みます。外部に提出・公表しないでください（公表は設定した数以上のテーマの合計のみ）。",
        "CONFIDENTIAL: per-theme and per-organisation sales. Do not submit or publish this file (sales are published only as sums over at least the set number of themes).",
    ),
    "submission.title": (
        "{fy}年度（{wareki}）の提出ファイル（{stage}）",
        "FY{fy} ({wareki}) submission files ({stage})",
    ),
    "export.header_unit": ("{header}（{unit}）", "{header} ({unit})"),
    "unit.oku": ("億円", "100M yen"),
    "unit.yen": ("円", "yen"),
    "unit.count": ("件", "count"),
    "unit.percent": ("%", "%"),
    "col.definition": ("定義", "definition"),
    "col.best": ("全件達成なら", "if all pending meet their goals"),
    "col.worst": ("全件未達なら", "if none does"),
    "col.needed": ("必要件数", "needed"),
    "col.rs.sheet_fy": ("RSシート年度", "rs_sheet_fy"),
    "col.rs.target_year": ("目標年度", "target_year"),
    "col.as_of_wareki": ("時点（和暦）", "as_of_wareki"),
    "col.group": ("区分", "group"),
    "col.draws": ("前年度までの予算を充当", "draws_on_earlier_appropriations"),
    "col.start_wareki": ("開始年度（和暦）", "start_wareki"),
    "col.end_wareki": ("終了年度（和暦）", "end_wareki"),
    "cli.cannot_encode": (
        "{file}: {where}に {char!r}（U+{code}）があり、{encoding} では表せません。何も書き込んでいません（--encoding utf-8-sig を使うか、元データの文字を変えてください）",
        "{file}: {where} holds {char!r} (U+{code}), which has no {encoding} form; nothing was written "
        "(use --encoding utf-8-sig, or change the text at its source)",
    ),
    "cli.cannot_encode.row": ("{row} 行（{column}）", "row {row} ({column})"),
    "cli.cannot_encode.header": ("見出し", "a header"),
    "col.summary_item": ("項目", "item"),
    "col.summary_value": ("内容", "value"),
    "summary.programme": ("事業名", "programme"),
    "summary.no_programme": (
        "プログラム設定（programme.toml）が未登録",
        "no programme settings loaded (programme.toml)",
    ),
    "summary.as_of": ("時点", "as of"),
    "summary.version": ("作成ツール", "made with"),
    "summary.written_at": ("書き出し日時", "written at"),
    "summary.source": ("読み込んだファイル", "source file"),
    "summary.source_value": (
        "読込 #{n} {file}（{kind}、{rows}行、{at}）",
        "load #{n} {file} ({kind}, {rows} rows, {at})",
    ),
    "submission.tag": ("提出 #{n}（{stage}）", "submission #{n} ({stage})"),
    "summary.submission": ("提出", "submission"),
    # ------------------------------------------------------------------ kpi/present/followups.py
    "followups.guide.sales": (
        "単位は億円（例: 1.25）。売上高はその年度の額、累積売上高は上市からの合計で、いずれも貴機関の分です。貴機関の前回の累積売上高を記入済みです。更新してください（複数機関のテーマで、テーマ全体として回答された額は記入していません）。",
        "In 億円 (100 million yen, e.g. 1.25). sales is this fiscal year's; cumulative_sales the total since launch; both your organisation's own. Your last cumulative sales are filled in: update them (a theme of several organisations answered as a whole is not filled in).",
    ),
    "followups.guide.products": (
        "製品・サービスの名称（貴機関の前回の回答を記入済み）と、波及効果（雇用、他の製品への展開など）を自由に記入してください。",
        "The product or service names (your last answer's are filled in) and the wider effects (jobs, use in other products) in your words.",
    ),
    "followups.heading_rounds": (
        "{fy}年度の追跡調査: {n}件・{organisations}機関（終了後 {rounds} 年目のテーマと、終了後{horizon}年の調査を待つテーマ）、回答期限 {deadline}",
        "Follow-up surveys of FY{fy}: {n}, {organisations} organisations (themes {rounds} years after their end, and those awaiting their survey {horizon} years after it), answers due by {deadline}",
    ),
    "followups.col.years_after": ("終了後年数", "years after"),
    "followups.col.kind": ("調査の種類", "survey"),
    "followups.col.last": ("前回の回答", "last answer"),
    "followups.kind.immediate": ("終了直後", "immediate"),
    "followups.kind.simple": ("簡易", "simple"),
    "followups.kind.detailed": ("詳細", "detailed"),
    "followups.reason.technical": ("技術的課題", "technical"),
    "followups.reason.market": ("市場・需要", "market"),
    "followups.reason.funding": ("資金", "funding"),
    "followups.reason.strategy": ("事業戦略", "strategy"),
    "followups.reason.other": ("その他", "other"),
    "followups.file": ("追跡調査_FY{fy}_{organisation}.xlsx", "followups_FY{fy}_{organisation}.xlsx"),
    "followups.sheet.guide": ("記入要領", "instructions"),
    "followups.sheet.answers": ("回答", "answers"),
    "followups.guide.item": ("項目", "item"),
    "followups.guide.text": ("内容", "what to do"),
    "followups.guide.what.label": ("記入するもの", "What to fill in"),
    "followups.guide.what": (
        "「回答」シートの各行（テーマと回答機関）について、段階を選び、該当する欄を記入してください。テーマID・調査年度・回答機関は変更しないでください。開発テーマ名から右の列は参考情報です（読込時には使いません）。",
        "For each row of the sheet answers (a theme and your organisation), choose the stage and fill in what applies. Do not change theme_id, survey_fy or organisation. The columns from title on are for reference (not read back).",
    ),
    "followups.guide.stage.label": ("段階", "stage"),
    "followups.guide.stage": (
        "次の6つから一つを選んでください（セルのプルダウン）: {stages}",
        "Choose one of these six (the cell's drop-down): {stages}",
    ),
    "followups.guide.stage.0.label": ("研究", "研究 (research)"),
    "followups.guide.stage.0": ("研究段階: 基礎的な研究を続けている。", "Research: basic research continues."),
    "followups.guide.stage.1.label": ("開発", "開発 (development)"),
    "followups.guide.stage.1": (
        "開発段階: 製品・サービスに向けた開発を行っている。",
        "Development: developing towards a product or service.",
    ),
    "followups.guide.stage.2.label": ("製品化", "製品化 (productization)"),
    "followups.guide.stage.2": (
        "製品化段階: 製品・サービスとして完成し、販売・提供の準備ができている（実用化）。",
        "Productization: the product or service is complete and ready to sell or provide (practical use).",
    ),
    "followups.guide.stage.3.label": ("上市", "上市 (launch)"),
    "followups.guide.stage.3": (
        "上市段階: 製品・サービスを販売・提供している（実用化）。",
        "Launch: the product or service is on sale or provided (practical use).",
    ),
    "followups.guide.stage.4.label": ("中止", "中止 (discontinued)"),
    "followups.guide.stage.4": (
        "中止: 研究開発・事業化の取組をやめた。理由を選び、詳細を記入してください。",
        "Discontinued: the work towards use has stopped. Choose the reason and describe it.",
    ),
    "followups.guide.stage.5.label": ("中断", "中断 (suspended)"),
    "followups.guide.stage.5": (
        "中断: 取組を一時的に止めている。理由を選び、詳細を記入してください。",
        "Suspended: the work is paused. Choose the reason and describe it.",
    ),
    "followups.guide.reason.label": ("中止・中断の理由", "reason_code"),
    "followups.guide.reason": (
        "段階が中止・中断のときだけ、次から一つを選んでください（プルダウン）: {reasons}。理由の詳細は自由に記入してください。",
        "Only when the stage is 中止 or 中断, choose one (drop-down): {reasons}; describe it freely in reason_text.",
    ),
    "followups.guide.sales.label": ("売上高・累積売上高", "sales, cumulative_sales"),
    "followups.guide.products.label": ("製品名・効果", "products, effects"),
    "followups.guide.deadline.label": ("回答期限", "deadline"),
    "followups.guide.deadline": (
        "{fy}年度の調査の回答期限は {deadline} です。",
        "The answers of the FY{fy} survey are due by {deadline}.",
    ),
    "followups.guide.secret.label": ("売上高の取扱い", "confidentiality"),
    "followups.guide.secret": (
        "個別の売上高は公表しません。公表するのは {k} テーマ以上の合計だけです。",
        "Individual sales are kept confidential: only sums over at least {k} themes are published.",
    ),
    "followups.guide.return.label": ("返送", "returning"),
    "followups.guide.return": (
        "このファイルを名前を変えずに、記入して事務局へ返送してください。",
        "Fill in this file and send it back to the office without renaming it.",
    ),
    "followups.sheets_written": (
        "{fy}年度の追跡調査票を {n} 機関分（{surveys}件）書き出しました:",
        "Wrote the FY{fy} follow-up survey sheets of {n} organisations ({surveys} surveys):",
    ),
    "followups.sent_recorded": (
        "送付を読込 #{load} として記録しました（kpi loads に表示、kpi undo で取り消せます）。",
        "Recorded the sending as load #{load} (kpi loads lists it, kpi undo takes it back).",
    ),
    "followups.sent_already": (
        "この送付は記録済みです（新しい読込はありません）。",
        "This sending was recorded already (no new load).",
    ),
    "followups.nothing_due": (
        "{fy}年度に行う追跡調査はありません（何も書き出していません）。",
        "No follow-up survey is due in FY{fy} (nothing written).",
    ),
    "followups.sheet": ("調査票", "survey"),
    "followups.no_organisation": ("機関名なし", "no organisation"),
    "col.overdue": ("期限超過", "overdue"),
    # ------------------------------------------------------------------ kpi/present/history.py
    "col.file_order": ("ファイルでの順番", "order in the file"),
    "loads.more_rows": (
        "… ほか{n}行（すべては --format csv または --format json で）",
        "… and {n} more rows (all of them with --format csv or --format json)",
    ),
    "col.key": ("キー", "key"),
    "loads.change_added": ("追加", "added"),
    "loads.change_changed": ("変更", "changed"),
    "loads.change_missing": ("一覧になし（最後の状態のまま保持）", "missing from the list (kept with its last state)"),
    "loads.change_removed": ("取り消し", "removed"),
    "loads.show_heading": ("第{load}回の読込: {file}（{kind}）{at}", "Load #{load}: {file} ({kind}) {at}"),
    "loads.changed_rows": ("変わった行（{n}）", "Rows changed ({n})"),
    "loads.nothing_changed": ("（変わった行はありません）", "(no row changed)"),
    "lists.superseded": ("なし（同じ年度により新しい一覧があります）", "none (a newer list of the same year)"),
    "lists.superseded_stands_in": (
        "{fy}年度より前の年度のみ（{fy}年度には同じ年度のより新しい一覧があります）",
        "only the years before FY{fy} (a newer list of FY{fy} stands for its own year)",
    ),
    "loads.renumbered": ("IDの振り直しとして受付: {reason}", "accepted as a renumbering: {reason}"),
    "backup.wrote": (
        "バックアップを作成しました: {path}（{size} バイト、読込 {loads}件。DuckDB が書き、読み直して確認済み）",
        "backup written: {path} ({size} bytes, {loads} loads; written by DuckDB and read back whole)",
    ),
    "restore.done": (
        "データベース {db} をバックアップ {backup} から戻しました。{aside_text}",
        "restored database {db} from backup {backup}. {aside_text}",
    ),
    "restore.aside": ("置き換えたファイルは {aside} に残しています。", "The replaced file is kept as {aside}."),
    "col.sha256": ("ハッシュ（sha256）", "sha256"),
    "col.stands_for": ("この一覧で数える年度", "fiscal years it stands for"),
    "loads.none": ("読み込みはまだありません", "nothing loaded yet"),
    "lists.none": ("テーマ一覧はまだ読み込まれていません", "no theme list loaded yet"),
    "lists.year": ("{fy}年度（{wareki}）", "FY{fy} ({wareki})"),
    "lists.years": ("{first}〜{last}年度", "FY{first}–{last}"),
    "lists.years_onwards": ("{first}年度（{wareki}）以降", "FY{first} ({wareki}) onwards"),
    "lists.stands_in": ("（それより前の年度にも代用）", " (and standing in for earlier years)"),
    "col.load_note": ("備考", "note"),
    "loads.undoes": ("第{load}回の取り消し", "undoes load #{load}"),
    "loads.reopened": ("確定済み年度を再開: {reason}", "reopened a closed year: {reason}"),
    # ------------------------------------------------------------------ kpi/present/submissions.py
    "submission.figure_status": ("状況 {group}", "status: {group}"),
    "submission.figure_budget_total": ("予算 累計（億円）", "budget, cumulative (100M yen)"),
    "submission.figure_budget_executed": ("執行 累計（億円）", "executed, cumulative (100M yen)"),
    "submission.figure_budget_ratio": ("累計執行率", "cumulative execution ratio"),
    "change.status": ("状況の訂正", "status corrected"),
    "change.corrected": ("年度・項目の訂正", "years or item corrected"),
    "change.added": ("一覧に追加", "added to the list in force"),
    "change.missing": ("一覧から消えた", "missing from the list in force"),
    "change.followup": ("追跡調査の追加・変更", "follow-up survey added or changed"),
    "role.numerator": ("分子", "numerator"),
    "role.denominator": ("分母のみ", "denominator only"),
    "role.pending": ("結果待ち", "pending"),
    "role.none": ("対象外", "not counted"),
    "role.kpi.short_term": ("短期", "short-term"),
    "role.kpi.long_term": ("長期", "long-term"),
    "role.kpi.long_term_matured": ("長期（経過）", "long-term (matured)"),
    "submission.figure_horizon": ("追跡調査の年数", "follow-up horizon (years)"),
    "submission.written_again": (
        "提出 #{n}（{stage}）のファイルを記録どおりに書き出しました（sha256 一致）",
        "wrote the files of submission #{n} ({stage}) again, as recorded (sha256 match)",
    ),
    "col.submission": ("提出", "submission"),
    "col.stage": ("段階", "stage"),
    "col.format": ("形式", "format"),
    "col.short_term_counts": ("短期 分子/分母", "short-term counts"),
    "col.short_term_ratio": ("短期 実績", "short-term actual"),
    "col.status_before": ("状況（前）", "status before"),
    "col.status_after": ("状況（後）", "status after"),
    "col.roles_before": ("数え方（前）", "counted before"),
    "col.roles_after": ("数え方（後）", "counted after"),
    "sheet.submissions": ("提出記録", "Submissions"),
    "sheet.figures": ("数値", "Figures"),
    "sheet.themes_changed": ("差の理由のテーマ", "Themes explaining"),
    "submission.none": (
        "提出の記録はまだありません（kpi export で記録されます）",
        "no submission yet (kpi export records one)",
    ),
    "submission.heading": (
        "提出 #{n}（{stage}）: {as_of} · {made} · 第{load}回の読込の時点の数値",
        "submission #{n} ({stage}): {as_of} · {made} · figures as known at load #{load}",
    ),
    "submission.files": ("ファイル（sha256）", "files (sha256)"),
    "submission.registered": (
        "提出 #{n}（{stage}）として記録しました（kpi submissions show {n}）",
        "recorded as submission #{n} ({stage}) (kpi submissions show {n})",
    ),
    "submission.differs": (
        "{fy}年度の現在の数値は、提出 #{n}（{stage}、{made}）と異なります: {changed}（kpi submissions diff {n}）",
        "today's FY{fy} figures differ from submission #{n} ({stage}, {made}): {changed} (kpi submissions diff {n})",
    ),
    "diff.submission": ("提出 #{n}（{stage}）", "submission #{n} ({stage})"),
    "diff.now": ("現在（第{load}回の読込まで）", "now (as of load #{load})"),
    "diff.heading": ("{as_of}: {before} と {after} の比較", "{as_of}: {before} against {after}"),
    "diff.same": ("数値に違いはありません。", "No figure differs."),
    "diff.figures_same": (
        "数値に違いはありません（テーマの数え方のみ変化）。",
        "No figure differs (only how themes are counted).",
    ),
    "diff.themes": ("差を説明するテーマ: {n}件", "themes explaining the differences: {n}"),
    "diff.reopened": (
        "第{load}回の読込が確定済みの年度を再開しました。理由: {reason}",
        "load #{load} reopened a closed year. Reason: {reason}",
    ),
    "known_at.line": (
        "第{load}回の読込の直後の時点（{at}）の数値",
        "figures as known right after load #{load} ({at})",
    ),
    "undo.done": (
        "第{undone}回の読込（{file}）を取り消しました（第{load}回の読込として記録。取り消した行 {superseded}、戻した行 {restored}）",
        "undid load #{undone} ({file}) as load #{load}: {superseded} rows superseded, {restored} rows current again",
    ),
    "submission.numbers": (
        "{action} に渡す提出の番号の数が違います（{n}個）: kpi submissions [show N | diff N [M]]",
        "wrong count of submission numbers for {action} ({n}): kpi submissions [show N | diff N [M]]",
    ),
    # ------------------------------------------------------------------ kpi/present/portfolio.py
    "portfolio.fault_usage": ("読めましたが示せません: {file}: {reason}", "read but not shown: {file}: {reason}"),
    "col.programmes": ("事業数", "programmes"),
    "sheet.portfolio_groups": ("群別のポートフォリオ計", "Portfolio line by group"),
    "explain.col.answered": ("回答機関数", "organisations answered"),
    "explain.not_measured": (
        "追跡調査が未登録のため、この指標は測定不能（分子は0ではなく未測定）。",
        "No follow-up survey is counted yet: this figure is not measured (its numerator is unknown, not 0).",
    ),
    "explain.role.excluded": ("除外", "excluded"),
    "explain.carried": (
        "新しい一覧にないテーマ{n}件は、それを載せた最後の一覧の状態で数えています（「前の一覧から」の列）。",
        "{n} themes missing from the newer list count with their state in the last list that named them (column 'carried from').",
    ),
    "col.carried_from": ("前の一覧から", "carried from"),
    "explain.rule.cancelled": (
        "採択取消: 全アウトカム指標・状況表から除外",
        "adoption cancelled: left out of every outcome figure and the status tables",
    ),
    "explain.rule.terminated_excluded": (
        '中止（途中終了）: 設定 terminated_themes = "excluded" により全アウトカム指標から除外',
        'ended early: left out of every outcome figure (setting terminated_themes = "excluded")',
    ),
    "explain.rule.short_term.in_progress": (
        "終了年度 > {fy}: 研究開発期間中",
        "ends after FY{fy}: still in its R&D period",
    ),
    "explain.rule.short_term.achieved": ("終了年度 ≤ {fy} かつ 目標達成", "ends by FY{fy} and achieved"),
    "explain.rule.short_term.not_achieved": ("終了年度 ≤ {fy} かつ 目標未達", "ends by FY{fy} and not achieved"),
    "explain.rule.short_term.terminated": (
        "終了年度 ≤ {fy} かつ 中止（途中終了）: 目標未達として分母に入る",
        "ended early by FY{fy}: in the denominator as not achieved",
    ),
    "explain.rule.short_term.awaiting_final": (
        "終了年度 ≤ {fy} かつ 計画通り: 最終評価待ち、結果が出れば分母に入る",
        "ends by FY{fy}, still on track: awaiting its final result, joins the denominator once judged",
    ),
    "explain.rule.short_term.delayed": (
        "終了年度 ≤ {fy} かつ 遅延: 結果が出れば分母に入る",
        "ends by FY{fy} and delayed: joins the denominator once judged",
    ),
    "explain.rule.long_term.terminated": (
        "中止（途中終了）: 採択テーマとして分母に入り、分子には入らない",
        "ended early: in the denominator as an adopted theme, never in the numerator",
    ),
    "explain.rule.long_term.commercialised": (
        "{fy}年度までの追跡調査（終了年度以降）で製品化・上市",
        "commercialised (製品化・上市) in a survey from its end year up to FY{fy}",
    ),
    "explain.rule.long_term.not_commercialised": (
        "採択テーマ（先導研究除く）: 終了後{horizon}年以降の調査で実用化なし",
        "an adopted theme (leading research aside): not commercialised by its survey {horizon} years or more after its end",
    ),
    "explain.rule.long_term.awaiting_survey": (
        "採択テーマ: 終了後{horizon}年以降の調査がまだ（実用化もまだ）。公式の分母には入る",
        "an adopted theme whose survey {horizon} years after its end is still to come (not commercialised yet): in the official denominator",
    ),
    "explain.rule.long_term_matured.not_matured": (
        "終了後{horizon}年を経過していない",
        "not yet {horizon} years past its end",
    ),
    "explain.rule.long_term_matured.terminated": (
        "終了後{horizon}年を経過 かつ 中止（途中終了）: 実用化なしとして分母に入る",
        "{horizon} years past its end and ended early: in the denominator as not commercialised",
    ),
    "explain.rule.long_term_matured.commercialised": (
        "終了後{horizon}年を経過 かつ 製品化・上市",
        "{horizon} years past its end and commercialised",
    ),
    "explain.rule.long_term_matured.not_commercialised": (
        "終了後{horizon}年を経過、その年以降の調査で実用化なし",
        "{horizon} years past its end, not commercialised by a survey in or after that year",
    ),
    "explain.rule.long_term_matured.awaiting_survey": (
        "終了後{horizon}年を経過、その年以降の調査がまだ: 調査待ち（調査が出れば分母に入る）",
        "{horizon} years past its end, no survey in or after that year yet: awaiting its survey (joins the denominator once surveyed)",
    ),
    "portfolio.title": ("ポートフォリオ（{n}事業）", "Portfolio ({n} programmes)"),
    "portfolio.section.programmes": ("事業別のアウトカム指標", "Outcome indicators by programme"),
    "portfolio.section.cohorts": ("終了年度別（コホート）", "By the fiscal year themes end (cohorts)"),
    "portfolio.section.explain": ("指標の内訳（{kpi}）", "What makes up {kpi}"),
    "portfolio.targets_differ": ("目標が事業で異なる", "targets differ"),
    "portfolio.no_settings": ("（設定なし: {file}）", "(no settings: {file})"),
    "portfolio.sums": (
        "ポートフォリオ計は分子・分母の合計（百分率の平均ではない）。長期は追跡調査のある事業のみ合計。",
        "The portfolio line sums numerators and denominators (never averages percentages); a long-term KPI over the programmes with follow-up surveys only.",
    ),
    "portfolio.lacking": (
        "プログラム設定のない事業 {settings}件、追跡調査のない事業 {followups}件",
        "programmes without settings: {settings}; without follow-up surveys: {followups}",
    ),
    "portfolio.fault": ("読めませんでした: {file}: {reason}", "could not read {file}: {reason}"),
    "portfolio.exit": (
        "終了コード {code}（読めたファイルの数値は上に表示）",
        "exit code {code} (the files that could be read are shown above)",
    ),
    "col.programme": ("事業", "programme"),
    "col.budget_ratio": ("累計執行率", "cumulative execution"),
    "col.achieved_completed": ("目標達成/研究開発完了", "achieved/completed"),
    "col.commercialised_matured": ("実用化/経過", "commercialised/matured"),
    "col.role": ("内訳", "role"),
    "sheet.portfolio": ("ポートフォリオ", "Portfolio"),
    "sheet.cohorts": ("コホート", "Cohorts"),
    "sheet.explain": ("指標の内訳", "Explain"),
    "explain.heading": ("{kpi} · {as_of} · テーマ一覧: {snapshot}", "{kpi} · {as_of} · theme list of {snapshot}"),
    "explain.role.numerator": ("分子", "numerator"),
    "explain.role.denominator": ("分母のみ", "denominator only"),
    "explain.role.pending": ("結果待ち", "pending"),
    "explain.role.not_countable": ("まだ数えない", "not countable yet"),
    "explain.rule.not_adopted": (
        "開始年度 > {fy}: {fy}年度にはまだ採択されていない",
        "starts after FY{fy}: not adopted by then",
    ),
    "explain.rule.leading_research": (
        "先導研究: 全アウトカム指標から除外",
        "leading research: left out of every outcome indicator",
    ),
    "portfolio.needs_out": (
        "--format {format} はファイルに書き出します: --out を指定してください",
        "--format {format} is written to a file: give --out",
    ),
    # ------------------------------------------------------------------ kpi/present/html.py
    "html.title": ("KPI報告", "KPI report"),
    "html.charts": ("グラフ", "Charts"),
    "html.tables": ("集計表", "Tables"),
    "html.lists": ("要確認テーマ", "Themes to follow up"),
    "html.figures": ("その他の評価指標", "Other evaluation figures"),
    "html.contents": ("目次", "Contents"),
    "html.cumulative_execution": (
        "累計執行率（参考・目標なし）",
        "cumulative execution ratio (for reference, no target)",
    ),
    "html.cumulative_execution_sub": (
        "執行 {executed} / 予算 {budget} 億円",
        "executed {executed} / budget {budget} (100M yen)",
    ),
    "html.fraction": ("{n} / {d}", "{n} / {d}"),
    "html.generated": (
        "kpi {version} により作成。データは読み込み済みのファイルによる。",
        "Made by kpi {version} from the files loaded.",
    ),
    # ------------------------------------------------------------------ kpi/present/labels.py
    "kind.schedule": ("スケジュール", "schedule"),
    "sheet.breakdown_short_term": ("群別_短期", "By group, short-term"),
    "sheet.breakdown_long_term": ("群別_長期", "By group, long-term"),
    "sheet.breakdown_long_term_matured": ("群別_長期_3年経過", "By group, long matured"),
    "sheet.breakdown_status": ("群別_状況", "By group, status"),
    "committee.continue": ("継続", "continue"),
    "committee.conditional": ("条件付き継続", "continue with conditions"),
    "committee.revise": ("目標見直し", "revise the goals"),
    "committee.stop": ("中止", "stop"),
    "kind.recommendations": ("指摘事項", "recommendations"),
    "col.reason_code": ("理由コード", "reason code"),
    "col.reason_text": ("理由の詳細", "reason details"),
    "effects.chart.cohorts": ("終了年度別の実用化の推移", "Commercialisation by end-year cohort"),
    "effects.chart_note.cohorts": (
        "終了年度ごとのテーマのうち、終了後の各年数までに実用化（製品化・上市）したものの割合。点の数字は実用化 / テーマ数、送付した年度はその調査の回答率。",
        "For the themes ending in each fiscal year, the share commercialised (製品化 or 上市) by each number of years after the end. Labels: commercialised / themes, and the survey's response rate where sheets were sent.",
    ),
    "effects.sheet.cohorts": ("終了年度別の実用化", "Cohorts"),
    "kind.followup_sent": ("追跡調査の送付", "survey sent"),
    "status.terminated": ("中止（途中終了）", "terminated early"),
    "status.cancelled": ("採択取消", "adoption cancelled"),
    "kpi.short_term.name": ("短期: 目標達成 / 研究開発完了", "short-term: achieved / completed"),
    "kpi.long_term.name": ("長期: 実用化 / 採択（公式）", "long-term: commercialised / adopted (official)"),
    "kpi.long_term_matured.name": (
        "長期: 実用化 / {horizon}年経過テーマ",
        "long-term: commercialised / {horizon} years past end",
    ),
    "kpi.short_term.title": ("短期目標", "short-term"),
    "kpi.long_term.title": ("長期目標", "long-term"),
    "kpi.long_term_matured.title": (
        "長期目標（終了後{horizon}年経過テーマ）",
        "long-term (themes {horizon} years past their end)",
    ),
    "kpi.short_term.definition": (
        "開発テーマごとに設定した目標を達成したテーマ数／当該時点までに研究開発を完了したテーマ数（先導研究は除く）",
        "themes that met their goals / themes that completed R&D by the as-of year (leading research excluded)",
    ),
    "kpi.long_term.definition": (
        "開発した技術が実用化に至ったテーマ数／先導研究以外の採択テーマ数",
        "themes whose technology reached practical use / adopted themes (leading research excluded)",
    ),
    "kpi.long_term_matured.definition": (
        "実用化に至ったテーマ数／終了後{horizon}年を経過した先導研究以外の採択テーマのうち、実用化したか、終了後{horizon}年以降の追跡調査で結果が分かったもの（調査待ちは分母に含めず、見通しに示す）",
        "themes in practical use / adopted themes {horizon} or more years past their end (leading research excluded) that are in practical use or were surveyed in or after that year (those awaiting their survey are shown in the outlook, not counted)",
    ),
    "verdict.met": ("達成", "met"),
    "verdict.not_met": ("未達", "not met"),
    "verdict.not_measurable": ("測定不能", "not measurable"),
    "reason.denominator_zero": ("（分母0）", " (denominator 0)"),
    "reason.no_followups": ("（追跡調査データなし）", " (no follow-up data)"),
    "reach.secured": ("達成確定", "secured"),
    "reach.open": ("未確定", "open"),
    "reach.out_of_reach": ("達成不能", "out of reach"),
    "item.1": ("①", "1"),
    "item.2": ("②", "2"),
    "item.3": ("③", "3"),
    "status.achieved": ("目標達成", "achieved"),
    "status.not_achieved": ("目標未達", "not achieved"),
    "status.delayed": ("遅延", "delayed"),
    "status.on_track": ("計画通り", "on track"),
    "list.delayed": ("遅延しているテーマ", "Delayed themes"),
    "list.awaiting_final": (
        "最終評価待ちのテーマ（終了年度経過・計画通り）",
        "Awaiting a final result (ended, still on track)",
    ),
    "list.not_achieved": ("目標未達のテーマ", "Themes that did not achieve their goals"),
    "col.papers": ("論文数", "papers"),
    "col.presentations": ("発表", "presentations"),
    "col.patents_domestic": ("国内特許出願", "patents (domestic)"),
    "col.patents_foreign": ("国外特許出願", "patents (foreign)"),
    "col.patents_pct": ("PCT出願", "PCT"),
    "decision.continue": ("原則継続", "continue"),
    "decision.consider": ("特記事項を踏まえて継続可否を検討", "consider with the special notes"),
    "decision.terminate": ("原則終了", "terminate in principle"),
    "col.rs.initial": ("当初", "initial"),
    "col.rs.supplementary": ("補正", "supplementary"),
    "col.rs.carried_in": ("前年度繰越", "carried in"),
    "col.rs.reserve": ("予備費等", "reserve"),
    "col.rs.current": ("歳出予算現額", "current"),
    "col.rs.executed": ("執行額", "executed"),
    "col.rs.execution_rate": ("執行率", "ratio"),
    "col.rs.carried_out": ("翌年度繰越", "carried out"),
    "rs.kind.activity": ("活動", "activity"),
    "rs.kind.output": ("アウトプット", "output"),
    "rs.kind.outcome": ("アウトカム", "outcome"),
    "rs.period.short": ("短期", "short"),
    "rs.period.medium": ("中期", "medium"),
    "rs.period.long": ("長期", "long"),
    "html.chart_note.short_term": (
        "各年度末時点の 目標達成 / 研究開発完了。点線が目標。▼は目標を下回る年度。",
        "Achieved / completed at each year's end. Dashed: the target. ▼: a year below target.",
    ),
    "html.chart_note.long_term": (
        "上: {horizon}年経過テーマのうち実用化（製品化・上市）の割合。下: 各年度に{horizon}年経過時点に達するテーマ数と累計。",
        "Top: commercialised share of themes {horizon} years past their end. Bottom: themes reaching that point "
        "each year, and the running total.",
    ),
    "html.chart_note.budget": (
        "棒: 各年度の予算・執行（億円）。線: 累計執行率（右軸）。",
        "Bars: budget and execution per year (100M yen). Line: cumulative execution ratio (right axis).",
    ),
    "html.chart_note.status": (
        "先導研究を除く採択テーマの状況。数字はテーマ数。",
        "Adopted themes except leading research. Numbers are themes.",
    ),
    "chart.short_term": (
        "短期指標の推移（目標達成 / 研究開発完了）",
        "Short-term ratio by fiscal year (achieved / completed)",
    ),
    "chart.long_term": (
        "長期指標: {horizon}年経過テーマの実用化率と到達年度",
        "Long-term: commercialised share of themes {horizon} years past end",
    ),
    "chart.budget": (
        "予算と執行（億円）、累計執行率",
        "Budget and execution (100M yen) with cumulative execution ratio",
    ),
    "chart.status": (
        "研究開発の状況（研究開発項目・基盤要素別、先導研究除く）",
        "Status of themes by item and element (leading research excluded)",
    ),
    "kind.programme": ("設定", "programme"),
    "kind.themes": ("テーマ", "themes"),
    "kind.budget": ("予算", "budget"),
    "kind.followups": ("追跡調査", "followups"),
    "kind.outputs": ("成果", "outputs"),
    "kind.grants": ("権利化", "grants"),
    "kind.stagegate": ("ステージゲート", "stagegate"),
    "kind.evaluation": ("評点", "evaluation"),
    "kind.published": ("公表値", "published"),
    "kind.rs": ("RS", "rs"),
    "progress.read": ("ファイルを読み込んでいます", "reading the files"),
    "progress.check": ("全行を検査しています", "checking every row"),
    "progress.write": ("データベースに書き込んでいます", "writing to the database"),
    "check.name.short_term": ("短期", "short-term"),
    "check.name.long_term": ("長期（公式）", "long-term (official)"),
    "check.name.long_term_matured": ("長期（{horizon}年経過）", "long-term ({horizon} years past end)"),
    "reconcile.scope.overall": ("全体", "overall"),
    "sheet.outcome_kpis": ("アウトカム指標", "Outcome KPIs"),
    "sheet.status_summary": ("研究開発の状況", "Status summary"),
    "sheet.by_element": ("基盤要素別", "By element"),
    "sheet.budget_execution": ("予算執行", "Budget execution"),
    "sheet.themes": ("テーマ一覧", "Themes"),
    "sheet.outputs": ("特許出願・論文発表等", "Outputs"),
    "sheet.stage_gate": ("ステージゲート審査", "Stage gate"),
    "sheet.evaluation": ("評点法による評価", "Evaluation"),
    "sheet.rs_appropriations": ("RS予算・執行", "RS appropriations"),
    "sheet.rs_indicators": ("RS成果指標", "RS indicators"),
    "stage.preliminary": ("速報値", "preliminary"),
    "stage.final": ("確定値", "final"),
    "verdict.word.not_judged_yet": ("判定前", "not judged yet"),
    "schedule.event.start": ("開始", "start"),
    "schedule.event.stagegate": ("ステージゲート", "stage gate"),
    "schedule.event.end": ("終了", "end"),
    "schedule.event.milestone": ("マイルストーン", "milestone"),
    # ------------------------------------------------------------------ kpi/present/messages.py
    "load.file_rows": ("{file}（行 {rows}）", "{file} (rows {rows})"),
    "rule.key_in_two_files.advice.any": ("一つのファイルにまとめてください", "Put each in one file only"),
    "rule.key_in_two_files.advice.followups": (
        "同じ機関が2回返送したなら、新しい方だけを読み込んでください（古い方を読み込み済みなら、新しい方を後から読み込めば置き換わります）",
        "If an organisation sent its answers twice, load only the newer workbook (an answer loaded later replaces the one loaded before)",
    ),
    "load.snapshot_is_load_day": (
        "{file}: ファイル名に日付がないため、読み込んだ日（今日 {date}）の一覧として記録しました。別の日の一覧なら、--snapshot YYYY-MM-DD を付けるか、ファイル名に日付を入れてください（テーマ一覧_2026-03-31.csv、テーマ一覧_令和8年3月31日.xlsx など）。",
        "{file}: its name gives no date, so it was stored as the list of the day it was loaded (today, {date}). "
        "If it is the list of another day, pass --snapshot YYYY-MM-DD or put the date in its name "
        "(themes_2026-03-31.csv, テーマ一覧_20260331.xlsx, …).",
    ),
    "load.changed_fields": ("{file}: 変わったテーマ {n}件（{fields}）", "{file}: {n} themes changed ({fields})"),
    "load.field_count": ("{field} {n}件", "{field} {n}"),
    "load.unnamed_column": ("{letter}列（見出しなし）", "column {letter} (no header)"),
    "load.list_replaced": (
        "{date} の一覧を置き換えました（前の版も残っています: kpi undo で戻せます）。",
        "replaced the list of {date} (the earlier version is kept: kpi undo brings it back).",
    ),
    "load.missing": (
        "{date} の一覧には、前の一覧（{previous}）にあったテーマ {n}件がありません（最後の状態のまま保持）: {ids}",
        "{n} themes of the list of {previous} are missing from the list of {date} (kept with their last known "
        "status): {ids}",
    ),
    "load.unanswered": (
        "{file}: 段階が空欄の行 {n}件は未回答として読み込んでいません。",
        "{file}: {n} rows whose 段階 is blank were left out (not answered yet).",
    ),
    "col.line": ("行", "line"),
    "load.number": ("#{n}", "#{n}"),
    "load.unchanged_as": (
        "変更なし: 読込 #{n}（{at}）と同じ内容",
        "unchanged: same content as load #{n} of {at}",
    ),
    "load.unchanged": ("変更なし: すべての行が登録済み", "unchanged: every row is already stored"),
    "load.refused_file": ("{file}: {rule}。何も読み込んでいません", "{file}: {rule}; nothing was loaded"),
    "failures.more": (
        "… ほか{n}件（kpi load --log-format json … ですべて表示）",
        "… and {n} more (kpi load --log-format json … lists every one)",
    ),
    "load.rs.more": (" ほか{more}件", " and {more} more"),
    "db.holder": ("（{holder}、PID {pid} が使用中）", " (held by {holder}, PID {pid})"),
    "db.advice_restore": (
        "最新のバックアップから戻すには: {command}（または元のデータを新しい --db に読み込み直してください）",
        "to restore the newest backup: {command} (or load your files again into a new --db)",
    ),
    "db.advice_reload": (
        "バックアップから戻すか、元のデータを新しい --db に読み込み直してください",
        "restore it from a backup, or load your files again into a new --db",
    ),
    # ------------------------------------------------------------------ kpi/present/progress.py
    "progress.elapsed": ("{phase}…（{seconds}秒）", "{phase}… ({seconds} s)"),
    # ------------------------------------------------------------------ kpi/present/stagegate.py
    "stagegate.due_heading_declared": (
        "{fy}年度にステージゲート（スケジュールの予定年度、なければ実施期間の中間年度）を迎えるテーマ: {due}件、期限超過: {overdue}件",
        "themes whose stage gate (the year their schedule plans, else the midpoint of their term) falls in FY{fy}: {due}; overdue: {overdue}",
    ),
    "col.gate_basis": ("年度の根拠", "FY from"),
    "stagegate.declared": ("スケジュールの予定", "the schedule"),
    "stagegate.midpoint": ("実施期間の中間年度", "the midpoint of the term"),
    "stagegate.due": ("この年度", "this year"),
    "col.gate_fy": ("ステージゲート年度", "stage-gate FY"),
    "col.gate_state": ("区分", "state"),
    "stagegate.overdue": ("期限超過（審査記録なし）", "overdue (no review)"),
    "stagegate.term_unknown": ("実施期間不明（開始年度なし）", "term unknown (no start year)"),
    "stagegate.term_unknown_summary": ("実施期間不明 {n}件", "term unknown: {n} themes"),
    "stagegate.due_heading": (
        "{fy}年度にステージゲート（実施期間の中間年度）を迎えるテーマ: {due}件、期限超過: {overdue}件",
        "themes whose stage gate (the midpoint of their term) falls in FY{fy}: {due}; overdue: {overdue}",
    ),
    "stagegate.none_due": ("該当するテーマはありません", "no theme"),
    "stagegate.due_all_hint": (
        "実施期間が不明なテーマ（テーマ一覧に開始年度がない）の一覧: kpi stagegate due --all",
        "the themes whose term is unknown (no start year in the theme list): kpi stagegate due --all",
    ),
    "stagegate.not_reviewed_summary": ("審査記録なし {n}件", "not reviewed: {n} themes"),
    "stagegate.all_hint": (
        "審査記録のないテーマの一覧は kpi stagegate --all で表示します（CSV・JSON は全件）。",
        "kpi stagegate --all lists the themes without a review (CSV and JSON hold every theme).",
    ),
    # ------------------------------------------------------------------ kpi/present/reconcile.py
    "reading.cumulative": ("累計", "cumulative"),
    "reading.cohort": ("年度終了分", "end-year cohort"),
    "reconcile.readings_cell": (
        "累計 {cumulative} / 年度終了分 {cohort}",
        "cumulative {cumulative} / end-year cohort {cohort}",
    ),
    "agree.reading": ("一致（{reading}）", "yes ({reading})"),
    "agree.every_reading": ("一致（累計・年度終了分とも）", "yes (both readings)"),
    "agree.neither": ("不一致（累計・年度終了分とも）", "NO (neither reading)"),
    "reconcile.figure.status": ("研究開発の状況: {group}", "status of themes: {group}"),
    "reconcile.figure.element": ("基盤要素別 {element}: {group}", "by element {element}: {group}"),
    "reconcile.figure.short_term": ("短期目標の達成状況", "short-term KPI"),
    "reconcile.figure.budget_total": ("予算額 総額（予算）", "budget, total (appropriated)"),
    "reconcile.figure.executed_total": ("予算額 総額（執行）", "budget, total (executed)"),
    "reconcile.figure.budget_year": ("予算額（予算）", "budget of the year (appropriated)"),
    "reconcile.figure.executed_year": ("予算額（執行）", "budget of the year (executed)"),
    "reconcile.figure.national_expenditure": ("国費総額", "national expenditure, total"),
    "reconcile.figure.outputs": ("特許出願・論文発表等（計）: {column}", "outputs (total): {column}"),
    "reconcile.figure.granted_domestic": ("権利化 国内特許", "patents granted (domestic)"),
    "reconcile.figure.granted_foreign": ("権利化 国外特許", "patents granted (foreign)"),
    "reconcile.figure.evaluation": ("評点法 {criterion}", "working-group score {criterion}"),
    "reconcile.figure.rs_short_actual": ("RS 短期目標 実績", "RS short-term KPI, actual"),
    "reconcile.figure.rs_short_target": ("RS 短期目標 目標値", "RS short-term KPI, target"),
    "reconcile.figure.rs_long_target": ("RS 長期目標 目標値", "RS long-term KPI, target"),
    "reconcile.figure.rs_long_target_year": ("RS 長期目標 目標年度", "RS long-term KPI, target year"),
    "reconcile.figure.rs_appropriation": ("RS 予算・執行", "RS appropriation"),
    "col.published": ("公表値", "published"),
    "col.computed": ("計算値", "computed"),
    "col.agree": ("一致", "agree"),
    "col.source": ("出典", "source"),
    "agree.yes": ("一致", "yes"),
    "agree.no": ("不一致", "NO"),
    "reconcile.summary": ("{total}件中{n}件が一致。", "{n} of {total} figures agree."),
    "reconcile.difference": (
        "- {figure}（{fy}年度）: 公表 {published}、計算 {computed}: {note}",
        "- {figure} (FY{fy}): published {published}, computed {computed}: {note}",
    ),
    # ------------------------------------------------------------------ kpi/present/report.py
    "report.title": ("{name}（予算事業ID {project_id}）", "{name} (budget project ID {project_id})"),
    "cli.html_needs_out": (
        "--format html はファイルに書き出します: --out report.html を付けてください",
        "--format html writes a file: add --out report.html",
    ),
    # section: kpi/cli/options.py
    # ------------------------------------------------------------------ kpi/present/rows.py
    "col.committee": ("委員会の決定", "committee's decision"),
    "col.decided_on": ("決定日", "decided on"),
    "stagegate.conflict": ("{decision}（一覧の状況は「{status}」のまま）", "{decision} (the list still says {status})"),
    "evaluation.latest_round": ("上の表は最新の評価回: {round}。", "The table above is the latest round: {round}."),
    "section.evaluation_trend": ("評点の推移（評価回ごと）", "Score trend by evaluation round"),
    "section.recommendations": ("前回評価等の指摘事項の対処状況", "Recommendations by status"),
    "recommendations.see": ("一覧は kpi recommendations で示します。", "kpi recommendations lists them."),
    "section.missed_reasons": (
        "目標未達・中止の理由（テーマ一覧）",
        "Why themes missed their goals or stopped (theme list)",
    ),
    "section.sales": (
        "売上高（億円、終了年度別・調査年度別）",
        "Sales (100M yen, 億円) by end-year cohort and survey year",
    ),
    "section.reasons": ("中止・中断の理由（最新の回答）", "Reasons for stopping (中止・中断, latest answers)"),
    "section.cohorts": (
        "実用化の推移（終了年度別・終了後年数別）",
        "Commercialisation by end-year cohort and years since the end",
    ),
    "effects.cohort_note": (
        "各欄: 実用化（製品化・上市）したテーマ / その終了年度のテーマ（その年度までの回答による）。送付した年度は回答数 / 送付数（回答率）も示します。",
        "Each cell: themes commercialised (製品化 or 上市) / the cohort's themes, by the answers up to that year; where sheets were sent, answered / sent (response rate).",
    ),
    "report.response_rate": (
        "追跡調査の回答率: {fy}年度の調査 {answered}/{sent}（{rate}）、送付した全回 {all_answered}/{all_sent}（{all_rate}）",
        "Follow-up survey response rate: the FY{fy} round {answered}/{sent} ({rate}), every round sent {all_answered}/{all_sent} ({all_rate})",
    ),
    "note.no_followups": (
        "追跡調査の結果が未登録のため長期指標は算出しない（0%ではない）。",
        "No follow-up surveys loaded: the long-term ratios are not computed (they are not 0%).",
    ),
    "note.carried": (
        "新しい一覧にないテーマ{n}件は、それを載せた最後の一覧（{dates}）の状態のまま数えている（除くには一覧で「採択取消」とする）。",
        "{n} themes missing from the newer list count with their state in the last list that named them ({dates}); to remove one, mark it 採択取消 (cancelled) in a list.",
    ),
    "note.terminated_failed": (
        '中止（途中終了）{n}件は目標未達・実用化なしとして各指標の分母に含む（分子には含まない。設定 terminated_themes = "failed"）。',
        '{n} themes ended early count in each KPI\'s denominator as not met, never in a numerator (setting terminated_themes = "failed").',
    ),
    "note.terminated_excluded": (
        '中止（途中終了）{n}件は全アウトカム指標から除外（設定 terminated_themes = "excluded"）。',
        '{n} themes ended early are left out of every outcome figure (setting terminated_themes = "excluded").',
    ),
    "note.cancelled": (
        "採択取消{n}件は全アウトカム指標・状況表から除外。",
        "{n} themes whose adoption was cancelled are left out of every outcome figure and status table.",
    ),
    "note.surveys_set_aside": (
        "テーマの終了年度より前の追跡調査{n}件は数えていない（追跡調査は終了年度以降のものを数える）。",
        "{n} follow-up surveys dated before their theme's end year are not counted (a follow-up counts from the year its theme ends).",
    ),
    "note.matured_pending": (
        "長期（{horizon}年経過）: {horizon}年を経過したが、その年以降の追跡調査がないテーマ{n}件は調査待ち（分母に含まない。見通しを参照）。",
        "Long-term (matured): {n} themes past their {horizon}-year point without a survey in or after it await their survey (not in the denominator; see the outlook).",
    ),
    "outlook.matured.open": (
        "長期（経過テーマ）: 目標{target}には、調査待ち{pending}件のうち{needed}件以上の実用化が必要（全件実用化なら {best}、全件なしなら {worst}）",
        "long-term (matured): the {target} target needs {needed} of the {pending} themes awaiting their survey to be commercialised ({best} if all are, {worst} if none is)",
    ),
    "outlook.matured.no_target": (
        "長期（経過テーマ）: 調査待ち{pending}件の結果により {worst}〜{best}",
        "long-term (matured): {worst}–{best}, as the {pending} themes awaiting their survey turn out",
    ),
    "outlook.matured.settled": (
        "長期（経過テーマ）: 調査待ちのテーマはなし（{ratio}）",
        "long-term (matured): no theme awaits its survey ({ratio})",
    ),
    "outlook.matured.out_of_reach": (
        "長期（経過テーマ）: 調査待ち{pending}件が全て実用化でも {best}（目標{target}に届かない）",
        "long-term (matured): even if all {pending} themes awaiting their survey are commercialised, {best} (below the {target} target)",
    ),
    "outlook.matured.secured": (
        "長期（経過テーマ）: 調査待ち{pending}件が全て実用化なしでも {worst}（目標{target}以上を確保）",
        "long-term (matured): even if none of the {pending} themes awaiting their survey is commercialised, {worst} (the {target} target is secured)",
    ),
    "report.snapshot": ("テーマ一覧: {date} 現在", "theme list as of {date}"),
    "report.no_list": ("テーマ一覧: 未登録", "theme list: none loaded"),
    "note.snapshot_fallback": (
        "{fy}年度末（{year_end}）までの日付のテーマ一覧がないため、最も古い一覧（{date} 現在）の状況を使用。",
        "No theme list is dated on or before the end of FY{fy} ({year_end}): the earliest list (as of {date}) is used.",
    ),
    "target.at_least": ("{target}以上", "≥ {target}"),
    "note.excluded": (
        "先導研究{n}件は全アウトカム指標・状況表から除外。",
        "{n} leading-research themes (item 3) are excluded from every outcome figure and status table.",
    ),
    "note.not_adopted": (
        "開始年度が{fy}年度より後の未採択テーマ{n}件は除外。",
        "{n} themes starting after FY{fy} are not yet adopted and excluded.",
    ),
    "note.short_term": (
        "終了年度が{fy}年度までのテーマのうち、遅延{delayed}件・最終評価待ち（計画通り）{awaiting}件の計{pending}件は結果待ちで短期の分母に含まない（見通しの結果待ちと同じテーマ）。",
        "Of the themes ending by FY{fy}, {delayed} delayed and {awaiting} awaiting a final result (still on track), "
        "{pending} in all, await their result and are not in the short-term denominator (the outlook's pending themes).",
    ),
    "note.long_term": (
        "長期（公式）は{fy}年度から判定。{horizon}年経過前で未測定のテーマ{n}件。",
        "The official long-term ratio is judged from FY{fy}; {n} themes have not reached their {horizon}-year point.",
    ),
    "note.no_settings": (
        "目標はプログラム設定（programme.toml）から読む。未登録のため判定しない: kpi load programme.toml",
        "Targets come from the programme settings (programme.toml); none are loaded, so nothing is judged: "
        "kpi load programme.toml",
    ),
    "outlook.long": (
        "長期: 目標{target}には実用化（製品化・上市）があと{needed}件必要（採択{adopted}件のうち実用化{commercialised}件）。判定（{fy}年度）まであと{years}年、実用化の調査が未了のテーマ{due}件。",
        "long-term: the {target} target needs {needed} more themes in practical use (製品化 or 上市; "
        "{commercialised} of {adopted} adopted so far); {years} years to the judging year (FY{fy}); {due} themes "
        "still to be surveyed.",
    ),
    "outlook.long.unmeasured": (
        "長期: 実用化の件数は未測定（追跡調査データなし）。目標{target}には採択{adopted}件のうち{required}件の実用化が必要。判定（{fy}年度）まであと{years}年、実用化の調査が未了のテーマ{due}件。",
        "long-term: the themes in practical use are not measured yet (no follow-up surveys); the {target} target "
        "needs {required} of the {adopted} adopted themes; {years} years to the judging year (FY{fy}); {due} themes "
        "still to be surveyed.",
    ),
    "outlook.long.unmeasured_judged": (
        "長期: 判定年度（{fy}年度）ですが、実用化の件数は未測定です（追跡調査データなし）。目標{target}には採択{adopted}件のうち{required}件の実用化が必要。",
        "long-term: the judging year (FY{fy}) has come, but the themes in practical use are not measured (no "
        "follow-up surveys); the {target} target needs {required} of the {adopted} adopted themes.",
    ),
    "outlook.long.judged_met": (
        "長期: {fy}年度からの判定: 実用化{commercialised}件 / 採択{adopted}件で目標{target}に達している。",
        "long-term: judged from FY{fy}: {commercialised} of {adopted} adopted themes in practical use reach the "
        "{target} target.",
    ),
    "outlook.long.judged_short": (
        "長期: {fy}年度からの判定: 実用化{commercialised}件 / 採択{adopted}件で、目標{target}にはあと{needed}件足りない（実用化の調査が未了のテーマ{due}件）。",
        "long-term: judged from FY{fy}: {commercialised} of {adopted} adopted themes in practical use, {needed} short "
        "of the {target} target ({due} themes still to be surveyed).",
    ),
    "outlook.long.reached": (
        "長期: 実用化{commercialised}件で目標{target}に達している（採択{adopted}件）。判定（{fy}年度）まであと{years}年。",
        "long-term: {commercialised} themes in practical use reach the {target} target ({adopted} adopted); {years} "
        "years to the judging year (FY{fy}).",
    ),
    "outlook.brief.needed": ("あと{n}件", "{n} more"),
    "budget.total": (
        "{fy}年度までの合計: 執行 {executed} / 予算 {budget} 億円 = {ratio}",
        "total to FY{fy}: executed {executed} / budget {budget} = {ratio}",
    ),
    "col.achieved": ("目標達成", "achieved"),
    "col.completed": ("研究開発完了", "completed"),
    "grants.line": (
        "権利化（{date}時点）: 国内 {granted_domestic}件 / 出願 {filed_domestic}件 = {rate_domestic}、"
        "国外 {granted_foreign}件 / 出願 {filed_foreign}件 = {rate_foreign}",
        "granted as of {date}: domestic {granted_domestic} / filed {filed_domestic} = {rate_domestic}; "
        "foreign {granted_foreign} / filed {filed_foreign} = {rate_foreign}",
    ),
    "grants.none": ("権利化件数: 未登録", "granted patents: none loaded"),
    "rs.not_reported": ("未公表", "not reported"),
    "outlook.short.open": (
        "短期: 目標{target}には、最終評価待ち・遅延{pending}件のうち{needed}件以上の目標達成が必要（全件達成なら {best}、全件未達なら {worst}）",
        "short-term: the {target} target needs {needed} of the {pending} themes awaiting their result or delayed to "
        "meet their goals ({best} if all do, {worst} if none does)",
    ),
    "outlook.short.no_target": (
        "短期: 最終評価待ち・遅延{pending}件の結果により {worst}〜{best}",
        "short-term: {worst}–{best}, as the {pending} themes awaiting their result or delayed turn out",
    ),
    "outlook.short.settled": (
        "短期: 結果待ちのテーマはなし（{ratio}）",
        "short-term: no theme awaits its result ({ratio})",
    ),
    "outlook.short.out_of_reach": (
        "短期: 最終評価待ち・遅延{pending}件が全て目標達成でも {best}（目標{target}に届かない）",
        "short-term: even if all {pending} themes awaiting their result or delayed meet their goals, {best} (below "
        "the {target} target)",
    ),
    "outlook.short.secured": (
        "短期: 最終評価待ち・遅延{pending}件が全て目標未達でも {worst}（目標{target}以上を確保）",
        "short-term: even if none of the {pending} themes awaiting their result or delayed meets its goal, {worst} "
        "(the {target} target is secured)",
    ),
    "section.status_summary": ("研究開発の状況（先導研究除く）", "Status of themes (leading research excluded)"),
    "section.by_element": ("基盤要素別", "By element"),
    "section.budget": ("予算執行（億円）", "Budget execution (100M yen, 億円)"),
    "note.draws": (
        "※ 執行が当該年度予算を上回る年度（基金のため前年度までの予算を充当）。",
        "* execution above the year's budget: the fund draws on earlier appropriations.",
    ),
    "section.trend": ("短期指標の推移（各年度末時点）", "Short-term ratio by fiscal year (at each year's end)"),
    "list.heading": ("{label}（{n}）", "{label} ({n})"),
    "list.more": (
        "… ほか{n}件（すべては kpi report --all、または kpi export の themes.csv）",
        "… and {n} more (all of them: kpi report --all, or themes.csv of kpi export)",
    ),
    "section.outputs": ("特許出願・論文発表等", "Outputs: papers, presentations and patent applications"),
    "section.stage_gate": ("ステージゲート審査", "Stage-gate reviews"),
    "stagegate.not_reviewed_count": ("審査記録のないテーマ: {n}件", "themes without a review: {n}"),
    "section.evaluation": ("評点法による評価結果", "Working-group scores (評点法)"),
    "section.rs": (
        "歳出予算と執行（行政事業レビュー RS、予算事業ID {project_id}、億円）",
        "Appropriations (RS open data, 予算事業ID {project_id}, 100M yen)",
    ),
    "rs.note": (
        "執行率 = 執行額 / 歳出予算現額（RSの定義）。基金事業のRS執行は基金への繰入れであり研究開発の支出ではない"
        "ため、上の予算執行表とは別に示す。当年度の執行は未公表（0ではない）。",
        "ratio = executed / current appropriation, as RS defines it. For a fund, RS execution is the transfer "
        "into the fund, not R&D spending, so it is shown apart from the budget table above. The sheet's own "
        "year has no execution yet (not 0).",
    ),
    "section.rs_indicators": ("RSの成果指標（公表値、◎ = 目標年度）", "RS indicators (as published; ◎ = target year)"),
    "evaluation.points": (
        "評点は {points} として換算し、評価した委員で平均（未記入は除く）。",
        "Grades count as {points}, averaged over the members who graded (blanks left out).",
    ),
    # ------------------------------------------------------------------ kpi/present/settings_file.py
    "init.template": (
        """# kpi のプログラム設定（programme.toml）。kpi init が作成しました。
# kpi はアウトカム指標の目標と判定の決まりをこのファイルから読みます（コードには書いていません）。
# 値は事業の評価報告書（中間評価・終了時評価）から写します。例はポスト5G基金事業
# （ポスト5G情報通信システム基盤強化研究開発事業、2026年6月の中間評価報告書）の値です。
#
# まず name と project_id の2行を記入し、保存してから読み込みます:
#     kpi load programme.toml
# 記入するまで kpi load はこのファイルを受け付けず、記入が必要な行を示します。
# 文字コードは UTF-8 のままにしてください。

# 事業名（必須）: 報告書の表紙、または【事業情報】の「事業名」をそのまま。
# 例: name = "ポスト5G情報通信システム基盤強化研究開発事業（AI基盤モデル及び先端半導体関連技術開発事業）"
name = ""

# 予算事業ID（必須）: 【事業情報】の「予算事業ID」（行政事業レビューの事業番号）。半角の整数で。
# RS（行政事業レビュー）のファイルを読み込むとき、この番号の行だけを残します。
# 例: project_id = 3522
project_id = ""

# 短期目標: 「2-1 アウトカム指標及び目標値」の短期目標の値。
# 指標は 開発テーマごとに設定した目標を達成したテーマ数 / 当該時点までに研究開発を完了したテーマ数。
# "80%"、"0.8"、"4/5" のどの形でも書けます。ポスト5G: 80%（毎年度）
short_term_target = "80%"

# 長期目標: 「2-1 アウトカム指標及び目標値」の長期目標の値。
# 指標は 開発した技術が実用化に至ったテーマ数 / 先導研究以外の採択テーマ数。ポスト5G: 50%
long_term_target = "50%"

# 追跡調査の時点（年）: 長期目標を測る時点が「各採択テーマ終了後 何年」か（2-1 の長期目標の注）。
# この年数を過ぎたテーマで実用化の割合を毎年度みます。ポスト5G:「終了後概ね3年時点」→ 3
followup_horizon_years = 3

# 長期目標の判定年度: 長期目標の達成年度（2-1 の長期目標「2030年度」）。この年度から公式の長期指標を判定します。
# 2030、R12、令和12年度 のどの形でも書けます。ポスト5G: 2030
long_term_judged_from_fy = 2030

# 評点法の換算（省略可）: 「第1章 1. 評点法による評価結果」の注にある換算（事務局が評価を数値に換算して平均）。
# この行がなければ A=3, B=2, C=1, D=0。ポスト5G: A=3, B=2, C=1, D=0
grade_points = "A=3, B=2, C=1, D=0"

# バックアップの数（省略可）: kpi load はデータベースを変える前に、その時点のデータベースを
# 隣のフォルダ（kpi.duckdb.backups/）に残します。残すのは新しいものからこの数まで。0 で作りません。
# この行がなければ 3。
backups = 3

# タイムゾーン（省略可）: 「今日」と年度をどの地域の暦で数えるか。日付のないテーマ一覧は、
# この地域の今日の日付の一覧になります（UTC のサーバーの cron でも日本の日付）。この行がなければ Asia/Tokyo。
timezone = "Asia/Tokyo"

# 途中で終了したテーマの数え方（省略可）: ステージゲートでの中止や実施者の辞退で途中で終了したテーマ
# （結果/状況が 中止 など）を指標でどう数えるか。
# "failed"（未達として数える）: すべての指標の分母に残します。短期は終了年度が来たら分母に（目標未達として）、
# 長期（公式）は分母に、経過年数で見る長期は終了後の年数を過ぎたら分母に入れ、分子には入れません。
# このため指標を上げることはありません。
# "excluded"（除外）: 先導研究と同じくすべての指標から除き、別の行に件数を示します。
# "未達として数える"、"除外" とも書けます。この行がなければ "failed"。
terminated_themes = "failed"

# 追跡調査の時点（省略可）: テーマの終了後、何年目の年度に追跡調査をするか。既定は NEDO と同じく
# 終了直後（1年後）と2年後・4年後・6年後（簡易追跡調査）。毎年なら "1-6" のように書けます。
# [1, 2, 4, 6]、"1, 2, 4, 6"、"1-6" のどの形でも。この行がなければ [1, 2, 4, 6]。
followup_rounds = [1, 2, 4, 6]

# 回答期限（省略可）: 各年度の追跡調査の回答期限（月と日）。その年度のうちの日付です（1〜3月なら翌年の暦年）。
# "01-31" や "1月31日" の形で。この行がなければ "01-31"（1月31日）。
followup_deadline = "01-31"

# 売上高の秘匿（省略可）: 売上高は各社の秘密のため、この数以上のテーマの合計としてだけ示します。
# これより少ないテーマの合計や、差し引きで求められる合計は伏せます。1 で伏せません。この行がなければ 3。
suppression_k = 3

# ステージゲートの審査項目と配点（省略可）: 各テーマの中間時点の審査（3-3 ③）。委員は審査項目ごとに100点満点で
# 採点し、審査の点数は 項目ごとの委員の平均点 を配点で重み付けした平均（100点満点）です。配点は比で、合計は問いません。
# 項目名は " で囲みます。点数のファイルに「審査項目」の列がなければ、委員ごとの合計点の平均です。
# この行がなければ {{"技術的評価" = 50, "事業化評価" = 50}}（2項目を同じ重みで）。
stagegate_criteria = {{"技術的評価" = 50, "事業化評価" = 50}}

# ステージゲートの継続の基準点（省略可）: 審査の点数がこの点以上なら原則継続。
# この行がなければ 60。
stagegate_continue = 60

# ステージゲートの検討の基準点（省略可）: 点数がこの点以上（継続の基準点未満）なら特記事項を踏まえて継続可否を検討、
# この点未満なら原則終了。継続の基準点以下にします。この行がなければ 40。
stagegate_consider = 40

# 小さい群（省略可）: 群別の表（kpi report --by 分野 など）で、採択テーマがこの数より少ない群は「少数」と示します
# （隠しはしません。1件で比率が大きく動くことを示すためです）。この行がなければ 5。
small_group = 5

# 事業期間（省略可）: 事業の最初と最後の年度。"2020-2030"、"R2〜R12" のどの形でも書けます。
# 評価の予定（省略可）: 評価回（事前・中間・終了時と年度: 中間2026、終了時評価（2030年度） など）の並び。書くと kpi report の
# 1行目に次の評価（例: 次の評価: 終了時評価（2030年度）、あと4年度）を示します。評価回の年度は事業期間の中に。
# 使うときは次の2行の先頭の "# " を外します。
# period = "2020-2030"
# evaluations = ["中間2022", "中間2026", "終了時2030"]
#
# テーマの属性（省略可）: テーマ一覧に列を加えると、テーマを分野・企業規模などで分けて示せます。属性ごとに
# [attributes."名前"] の表をファイルの最後に書きます（日本語の名前は " で囲みます）。headers はその列の見出しとして
# 読む名前（属性の名前も見出しとして読みます）。type は種類: "category"（区分: values の値のいずれか）、"number"（数値）、
# "money"（金額、億円。見出しに (円) とあれば円）、"year"（年度: 2025、令和7年度 など）、"text"（文字）。
# テーマ一覧の列の見出しと同じ名前・見出しは使えません。属性の列のない一覧では、そのテーマの属性は空欄です。
# 使うときは次の行から先頭の "# " を外します。
# [attributes."分野"]
# headers = ["技術分野"]
# type = "category"
# values = ["通信", "計算基盤", "半導体製造", "先導研究"]
#
# [attributes."企業規模"]
# type = "category"
# values = ["大企業", "中小企業", "大学・研究機関"]
#
# [attributes."予算額"]
# headers = ["予算額(億円)"]
# type = "money"
""",
        """# kpi programme settings (programme.toml), written by kpi init.
# kpi reads the targets and the rules of the outcome KPIs from this file, not from its code.
# Copy the values from the programme's evaluation report (interim or final). The examples are those of
# the Post-5G fund (ポスト5G情報通信システム基盤強化研究開発事業, interim evaluation report of June 2026).
#
# Fill in the two lines name and project_id, save, then load it:
#     kpi load programme.toml
# Until they are filled in, kpi load refuses this file and names the lines to fill.
# Keep the file in UTF-8.

# Programme name (required): as on the report's cover or under 事業名 in 【事業情報】.
# Example: name = "ポスト5G情報通信システム基盤強化研究開発事業（AI基盤モデル及び先端半導体関連技術開発事業）"
name = ""

# Budget project ID (required): 予算事業ID in 【事業情報】 (the administrative project review number), a
# whole number. When RS (行政事業レビュー) files are loaded, only this project's rows are kept.
# Example: project_id = 3522
project_id = ""

# Short-term target: the short-term target in 2-1 (アウトカム指標及び目標値).
# The KPI is themes that met their goals / themes that completed R&D by then.
# Write "80%", "0.8" or "4/5". Post-5G: 80% (every year)
short_term_target = "80%"

# Long-term target: the long-term target in 2-1.
# The KPI is themes whose technology reached practical use / adopted themes other than leading research. Post-5G: 50%
long_term_target = "50%"

# Follow-up point (years): how many years after each theme's end the long-term target is measured (the note
# to the long-term target in 2-1). The share in practical use is followed every year among the themes past
# that point. Post-5G: 「終了後概ね3年時点」 (about 3 years after the end) → 3
followup_horizon_years = 3

# Judging year of the long-term target: the year the long-term target is to be met (2-1: 2030年度). The official
# long-term KPI is judged from this fiscal year on. Write 2030, R12 or 令和12年度. Post-5G: 2030
long_term_judged_from_fy = 2030

# Grade points of the 評点法 (optional): the conversion in the note to 第1章 1. 評点法による評価結果.
# Without this line: A=3, B=2, C=1, D=0.
grade_points = "A=3, B=2, C=1, D=0"

# Backups (optional): before a load changes the database, kpi load keeps the database as it was in the folder
# beside it (kpi.duckdb.backups/), the newest this many. 0 for none. Without this line: 3.
backups = 3

# Time zone (optional): whose calendar "today" and the fiscal year are counted in. A theme list without a date
# is the list of today in this zone (Japan's date even from cron on a UTC server). Without this line: Asia/Tokyo.
timezone = "Asia/Tokyo"

# Themes ended early (optional): how a theme stopped at a stage gate or withdrawn by its organisations (status
# 中止 and its other spellings) counts in the KPIs.
# "failed": it stays in every KPI's population: in the short-term denominator once its end year has come (as not
# achieved), in the official long-term denominator, and in the matured long-term denominator once its horizon has
# passed, never in a numerator, so this can never raise a KPI.
# "excluded": it is left out of every KPI (as leading research is), shown on its own line.
# 未達として数える and 除外 are read too. Without this line: "failed".
terminated_themes = "failed"

# Survey rounds (optional): the years after a theme's end in which it is surveyed. By default NEDO's: the year
# after the end (終了直後), then 2, 4 and 6 years (簡易追跡調査). Every year to 6: "1-6".
# Write [1, 2, 4, 6], "1, 2, 4, 6" or "1-6". Without this line: [1, 2, 4, 6].
followup_rounds = [1, 2, 4, 6]

# Answer deadline (optional): the month and day each fiscal year's survey round is answered by, inside that fiscal
# year (January to March fall in the next calendar year). Write "01-31" or "1月31日". Without this line: "01-31".
followup_deadline = "01-31"

# Sales kept confidential (optional): sales are shown only as sums over at least this many themes; a smaller group,
# or a total from which one could be derived by subtraction, is suppressed. 1 for none. Without this line: 3.
suppression_k = 3

# Stage-gate criteria and their weights (optional): the review at each theme's midpoint (3-3 ③). Reviewers score
# each criterion out of 100; a review's score is the weighted mean (out of 100) of each criterion's mean over its
# reviewers. The weights are relative: they need not sum to 100. Names in quotes. A scores file without the
# 審査項目 (criterion) column gives each reviewer's total, and the score is their mean.
# Without this line: {{"技術的評価" = 50, "事業化評価" = 50}} (the two weighed alike).
stagegate_criteria = {{"技術的評価" = 50, "事業化評価" = 50}}

# Stage-gate threshold to continue (optional): a review scoring this or more continues in principle.
# Without this line: 60.
stagegate_continue = 60

# Stage-gate threshold to consider (optional): a score from this (below the continue threshold) is considered with
# the special notes; below it, the theme is terminated in principle. At most the continue threshold.
# Without this line: 40.
stagegate_consider = 40

# Small groups (optional): in a breakdown (kpi report --by 分野 and the like) a group with fewer adopted themes than
# this is marked small, never hidden: one theme moves its ratios a lot. Without this line: 5.
small_group = 5

# Programme period (optional): the programme's first and last fiscal years. Write "2020-2030" or "R2~R12".
# Evaluation calendar (optional): the evaluation rounds (事前, 中間 or 終了時 and a fiscal year: 中間2026, interim 2026,
# final FY2030 …). When given, the first line of kpi report says when the next evaluation is (for example: next
# evaluation: final evaluation (FY2030), in 4 years). Each round's year lies inside the period.
# To use them, remove the leading "# " of the next two lines.
# period = "2020-2030"
# evaluations = ["中間2022", "中間2026", "終了時2030"]
#
# Theme attributes (optional): columns added to the theme list, so that themes can be shown by field, size of
# company and so on. Each attribute is a table [attributes."name"] at the end of this file (a name in Japanese in
# quotes). headers: the column's headers read as it (the attribute's name is read as one too). type: "category" (one
# of its values), "number", "money" (億円; yen when the header says (円)), "year" (2025, 令和7年度 …) or "text".
# A header of the theme list's own columns cannot be an attribute's name or header. A list without an attribute's
# column leaves it blank for its themes.
# To use them, take "# " off the start of the lines from the next one.
# [attributes."分野"]
# headers = ["技術分野"]
# type = "category"
# values = ["通信", "計算基盤", "半導体製造", "先導研究"]
#
# [attributes."企業規模"]
# type = "category"
# values = ["大企業", "中小企業", "大学・研究機関"]
#
# [attributes."予算額"]
# headers = ["予算額(億円)"]
# type = "money"
""",
    ),
    "cli.init_name": (
        "--out のファイル名は programme で始まり .toml で終わるようにしてください（{name!r} ではなく）。"
        "kpi load はファイルの種類を名前から判断します",
        "--out must name a file programme*.toml, not {name!r}: kpi load tells a file's kind by its name",
    ),
    # ------------------------------------------------------------------ kpi/present/xlsx.py
    "export.cell_too_long": (
        "シート「{sheet}」の {row} の行の「{column}」は {length} 文字あり、Excel のセルに入る {limit} 文字を超えます"
        "（切り詰めずに書き出しを止めました）。--format csv なら全文を書き出せます",
        "in the sheet {sheet}, the row of {row} holds {length} characters in {column}, more than the {limit} an "
        "Excel cell holds (the export stopped rather than cut it); --format csv writes it whole",
    ),
    # ------------------------------------------------------------------ kpi/figures/changes.py
    "changes.nothing_before": (
        "{date} の一覧より前の一覧がなく、この一覧には訂正前の版もないため、比べられません（読み込んだ一覧: {lists}）。"
        "--to にこれより後の一覧の日付を指定するか、{date} より前の日付の一覧を読み込んでください",
        "the list of {date} has no list before it and no earlier version, so there is nothing to compare it with "
        "(lists loaded: {lists}); give --to the date of a later list, or load a list dated before {date}",
    ),
    "changes.same_list": (
        "--from と --to がどちらも同じ一覧（{date}）を指し、この一覧には訂正前の版がありません（読み込んだ一覧: {lists}）。"
        "別の一覧の日付を指定してください",
        "--from and --to both name the list of {date}, which has no earlier version (no same-date correction; lists "
        "loaded: {lists}); give dates of two different lists",
    ),
    "changes.before_first": (
        "{date} 以前のテーマ一覧はありません（読み込んだ一覧: {lists}）。--from・--to にはこれらの日付以降を指定してください",
        "no theme list is dated on or before {date} (lists loaded: {lists}); give --from and --to on or after them",
    ),
    "changes.two_lists": (
        "比べるには日付の異なるテーマ一覧が2つ必要です（登録済みの一覧: {lists}）。kpi load --snapshot YYYY-MM-DD themes.csv で読み込んでください",
        "comparing needs two theme lists of different dates (lists loaded: {lists}); load one with "
        "kpi load --snapshot YYYY-MM-DD themes.csv",
    ),
    # ------------------------------------------------------------------ kpi/figures/programme.py
    "db.no_themes": (
        "データベースにテーマも予算もまだありません。先にデータを読み込んでください: kpi load sample_data/",
        "the database holds no themes or budget yet; load data first: kpi load sample_data/",
    ),
    "db.no_settings": (
        "プログラム設定（目標値）が未登録のため判定できません。programme.toml を読み込んでください: kpi load programme.toml（例: sample_data/programme.toml）",
        "the programme settings (targets) are missing, so nothing can be judged; load them: kpi load programme.toml "
        "(see sample_data/programme.toml)",
    ),
    # ------------------------------------------------------------------ kpi/figures/reconcile.py
    "reconcile.rs_readings": (
        "累計（{fy}年度末までに終了したテーマ）{cn}/{cd}、年度終了分（{fy}年度に終了したテーマ）{yn}/{yd}。",
        "cumulative (themes ended by the end of FY{fy}) {cn}/{cd}, end-year cohort (themes that ended in FY{fy}) "
        "{yn}/{yd};",
    ),
    "db.no_published": (
        "公表値が未登録です。先に読み込んでください: kpi load sample_data/published.csv",
        "no published figures loaded; load them first: kpi load sample_data/published.csv",
    ),
    "reconcile.year": (
        "{fy}年度終了のテーマ（{snapshot} の一覧の結果/状況別）: 目標達成 {achieved}、目標未達 {not_achieved}、計画通り {on_track}、遅延 {delayed}（計画通りのものは最終評価待ち）",
        "themes ending in FY{fy} by status in the list of {snapshot}: achieved {achieved}, not_achieved "
        "{not_achieved}, on_track {on_track}, delayed {delayed} (those still 'on_track' await their final result)",
    ),
    "reconcile.short_term": ("{n}/{d}。", "{n}/{d};"),
    "reconcile.budget_total": ("{fy}年度までの予算表の合計", "sum of the budget table up to FY{fy}"),
    "reconcile.budget_year": ("予算表の{fy}年度", "budget table, FY{fy}"),
    "reconcile.national_expenditure": (
        "読み込んだ全年度の予算（歳出予算）の合計。報告書の国費総額は別の時点で集計している可能性",
        "sum of every budget year loaded (appropriations); the report's 国費総額 may count another cut-off",
    ),
    "reconcile.outputs_total": ("{fy}年度までの成果表の合計", "sum of the outputs table up to FY{fy}"),
    "reconcile.grants": ("{date}時点の権利化件数", "grants as of {date}"),
    "reconcile.no_grants": ("権利化件数が未登録", "no grants loaded"),
    "reconcile.evaluation": ("評価した委員{n}人の平均", "mean over {n} members"),
    "reconcile.criterion_missing": ("この評価項目は未登録", "criterion not loaded"),
    "reconcile.element_differs": (
        "公表された基盤要素別の内訳が異なる: 研究開発項目{item}・基盤要素{element}（公表 {published}、一覧 {computed}）。",
        "the published element breakdown differs in item {item} element {element}: published {published}, "
        "list {computed}.",
    ),
    "reconcile.rs_target": ("programme.toml の {key}", "programme.toml {key}"),
    "reconcile.rs_target_year": (
        "RSは{year}年度を目標年度とする。programme.toml は公式の長期指標を{judged}年度から判定（報告書は長期目標 2030年度）",
        "RS flags FY{year} as the target year; programme.toml judges the official ratio from FY{judged} "
        "(長期目標 2030年度 in the report)",
    ),
    "reconcile.rs_appropriation": (
        "RS 歳出予算現額 {current} 円（当初 {initial} + 補正 {supplementary}）。予算表は {budget} 億円",
        "RS 歳出予算現額 {current} yen (当初 {initial} + 補正 {supplementary}); the budget table gives {budget} 億円",
    ),
    # ------------------------------------------------------------------ kpi/load/decode.py
    "load.duplicate_column": ("{line}行目: 列 {name!r} が重複しています", "line {line}: duplicate column {name!r}"),
    "load.cannot_decode": ("{encoding} として読めません: {detail}", "cannot decode as {encoding}: {detail}"),
    "load.not_utf8_or_cp932": (
        "{line}行目: UTF-8 でも CP932 でもありません（バイト {byte}）。UTF-8 で保存するか --encoding を指定してください",
        "line {line}: neither UTF-8 nor CP932 (byte {byte}); save it as UTF-8 or pass --encoding",
    ),
    "load.mixed_encodings": (
        "文字コードが混在しています: {utf8_line}行目は UTF-8、{other_line}行目はそうではありません（CP932?）。ファイル全体を一つの文字コード（UTF-8）で保存してください",
        "mixed encodings: line {utf8_line} is UTF-8 but line {other_line} is not (CP932?); "
        "save the whole file in one encoding (UTF-8)",
    ),
    "load.bom_inside": (
        "{line}行目: ファイルの途中にBOMがあります。BOMを取り除かずにファイルを連結したようです",
        "line {line}: a byte-order mark (BOM) inside the file; files were joined without removing it",
    ),
    "load.header_too_long": (
        "1行目: 見出し行が {bytes} バイトあります。本当に表ですか",
        "line 1: the header row is {bytes} bytes long; is this really a table?",
    ),
    "load.too_many_columns": (
        "1行目: 見出し行に {columns} 列あります。本当に表ですか",
        "line 1: the header row has {columns} columns; is this really a table?",
    ),
    "rule.duplicate_column": ("列が重複しています", "duplicate column"),
    "rule.unclosed_quote": ('ここで開いた引用符（"）が閉じていません', "a quote opened here is never closed"),
    "rule.bad_quoting": ('引用符（"）の使い方が正しくありません: {detail}', "malformed quoting: {detail}"),
    "load.separator_semicolon": (
        "列がカンマ（,）ではなくセミコロン（;）で区切られています。Excel で「名前を付けて保存」→ ファイルの種類"
        "「CSV UTF-8 (コンマ区切り) (*.csv)」で保存し直してください（区切り記号が ; の地域設定の Excel では"
        "「Unicode テキスト (*.txt)」で保存すれば、そのまま読み込めます）",
        "fields are separated by semicolons (;), not commas. In Excel, Save As → “CSV UTF-8 (Comma "
        "delimited) (*.csv)” (an Excel whose regional list separator is ; writes ; again: save as “Unicode Text "
        "(*.txt)” instead, which kpi loads as it is)",
    ),
    "load.separator_tab": (
        "列がカンマ（,）ではなくタブで区切られています。タブ区切りのまま読み込むには拡張子を .txt か .tsv に"
        "してください。CSV にするには Excel で「名前を付けて保存」→「CSV UTF-8 (コンマ区切り) (*.csv)」",
        "fields are separated by tabs, not commas. To load it as it is, name it .txt or .tsv; to make it "
        "a CSV, in Excel Save As → “CSV UTF-8 (Comma delimited) (*.csv)”",
    ),
    "load.not_tab_separated": (
        "{suffix} ファイルはタブ区切りのテキストとして読みますが、タブがありません。Excel で「名前を付けて保存」→"
        "「Unicode テキスト (*.txt)」か「テキスト (タブ区切り) (*.txt)」で保存してください",
        "a {suffix} file is read as tab-separated text, but there is no tab. In Excel, Save As → "
        "“Unicode Text (*.txt)” or “Text (Tab delimited) (*.txt)”",
    ),
    "load.not_tab_separated_commas": (
        "{suffix} ファイルはタブ区切りのテキストとして読みますが、カンマ区切りです。拡張子を .csv にしてください",
        "a {suffix} file is read as tab-separated text, but this one is comma-separated: name it .csv",
    ),
    "rule.header_field_count": (
        "見出しは{width}個ですが、{rows}行すべての項目が{n}個です。見出しの名前が足りないか多すぎます（見出し行を確かめてください）",
        "the header names {width} columns but all {rows} rows have {n} fields: the header has a name too many or too "
        "few (check the header row)",
    ),
    # ------------------------------------------------------------------ kpi/load/files.py
    "load.kind_by_headers": (
        "{path}: 種類は見出しから {kind_ja} と判断しました（ファイル名から分からないため。指定するには --kind {kind}）",
        "{path}: kind {kind} ({kind_ja}) judged from the headers (the file's name does not tell it; --kind {kind} says it)",
    ),
    "load.skip.lock_file": (
        "スキップ（Excel や LibreOffice がファイルを開いている間のロックファイル）: {files}",
        "skipped (lock files Excel or LibreOffice keeps while a file is open): {files}",
    ),
    "load.open_in_office": (
        "{files} は Excel（または LibreOffice）で開かれています（横に {locks} があります）。画面の内容がまだ保存されていないかもしれないため読み込みません。保存して閉じてから、もう一度読み込んでください。何も読み込んでいません",
        "{files} is open in Excel (or LibreOffice): {locks} lies beside it. What the screen shows may not be saved yet, so it is not read; save and close it, then load again. Nothing was loaded",
    ),
    "load.skip.not_a_kind": ("スキップ（種類が不明）: {files}", "skipped (not a known kind): {files}"),
    "load.skip.folder": (
        "スキップ（フォルダ。読み込むにはフォルダを指定してください）: {files}",
        "skipped (folders; name a folder to load it): {files}",
    ),
    "load.skip.not_a_file": (
        "スキップ（通常のファイルではない）: {files}",
        "skipped (not regular files): {files}",
    ),
    "load.skip.database": (
        "スキップ（データベースとそのファイル）: {files}",
        "skipped (the database and its files): {files}",
    ),
    "load.format.zip": ("ZIP（Excel の .xlsx か .ods のブック）", "a ZIP archive (an .xlsx or .ods workbook)"),
    "load.format.ole": ("Excel 97–2003 のブック（.xls）", "an Excel 97–2003 workbook (.xls)"),
    "load.format.parquet": ("Parquet ファイル", "a Parquet file"),
    "load.format.pdf": ("PDF", "a PDF"),
    "load.format.png": ("PNG 画像", "a PNG image"),
    "load.format.jpeg": ("JPEG 画像", "a JPEG image"),
    "load.format.gif": ("GIF 画像", "a GIF image"),
    "load.format.gzip": ("gzip で圧縮したファイル", "a gzip-compressed file"),
    "load.format.text": ("テキスト", "text"),
    "load.inputs_refused": (
        "{count}件のファイルを読めません。何も読み込んでいません",
        "{count} files cannot be read; nothing was loaded",
    ),
    "load.input.missing": ("ファイルがありません", "no such file"),
    "load.input.dangling": ("存在しないファイルへのリンクです", "a link to a file that does not exist"),
    "load.input.unreadable": (
        "読めません（権限がないか、読めない場所です）",
        "cannot be read (no permission, or not reachable)",
    ),
    "load.input.folder": ("フォルダです（ファイルを指定してください）", "a folder, not a file"),
    "load.input.fifo": (
        "名前付きパイプ（FIFO）です。通常のファイルだけを読み込みます",
        "a named pipe (FIFO); only regular files are read",
    ),
    "load.input.device": ("デバイスです。通常のファイルだけを読み込みます", "a device; only regular files are read"),
    "load.input.socket": ("ソケットです。通常のファイルだけを読み込みます", "a socket; only regular files are read"),
    "load.input.other": ("通常のファイルではありません", "not a regular file"),
    "load.input.database": (
        "データベース（またはその記録・バックアップ）です。入力ファイルではありません",
        "the database (or its log or a backup), not an input file",
    ),
    "load.limit_size": (
        "大きすぎます（{size} バイト、上限 {limit} バイト）。--max-file-size で上限を変えられます",
        "too large ({size} bytes; the limit is {limit}); --max-file-size changes it",
    ),
    "load.kind_unknown_by_name": (
        "{path}: ファイル名から種類が分かりません。テーマ一覧*.csv（themes*）、予算*.csv（budget*）、追跡調査*.csv（followups*）"
        "などの名前にするか、--kind を指定してください",
        "{path}: cannot tell what it holds from its name; name it themes*.csv (テーマ一覧*), budget*.csv (予算*), "
        "followups*.csv (追跡調査*) and so on, or pass --kind",
    ),
    # ------------------------------------------------------------------ kpi/load/ingest.py
    "load.note.no_attribute_column": (
        "{file}: 設定で決めた属性の列がありません: {names}。この一覧のテーマにはその値がありません（kpi report --by では「（未設定）」）",
        "{file}: no column for the attribute the settings declare: {names}. This list's themes have no such value "
        "(kpi report --by shows them as (not given))",
    ),
    "rule.actual_future": (
        "実績年度は今年度（{fy}年度）より後にはできません（まだ来ていない年度です。年度の書き誤りでは）",
        "an actual year cannot be after the current fiscal year FY{fy} (a year that has not come yet: a mistyped year?)",
    ),
    "load.note.sheets_together": (
        "{file}: 見出しのそろった{n}枚のシートの行を合わせて読みました: {sheet}。",
        "{file}: the rows of the {n} sheets with the headers were read together: {sheet}.",
    ),
    "load.note.sheet": (
        "{file}: シート {sheet} を読みました（このブックのシート: {sheets}）。",
        "{file}: sheet {sheet} was read (the workbook's sheets: {sheets}).",
    ),
    "load.sheet_without_workbook": (
        "--sheet {sheet}: 読み込むファイルにブック（.xlsx、.xls、.ods）がありません。--sheet はブックのシートを選ぶときに使います",
        "--sheet {sheet}: none of the files to load is a workbook (.xlsx, .xls, .ods); --sheet chooses a workbook's sheet",
    ),
    "load.snapshot_name_two_dates": (
        "{path}: ファイル名に二つの日付があります（{first} と {second}）。どちらの日の一覧か分かりません。名前を直すか --snapshot で日付を指定してください",
        "{path}: the file's name gives two dates, {first} and {second}: which day's list is it? Rename it or pass --snapshot",
    ),
    "rule.survey_future": (
        "調査年度は今年度（{fy}年度）より後にはできません（まだ行われていない調査です。年度の書き誤りでは）",
        "a survey year cannot be after the current fiscal year FY{fy} (that survey has not been made yet: a mistyped year?)",
    ),
    "load.note.header_line": (
        "{file}: 見出しは{line}行目として読みました（その上の行は表題などとして読んでいません）。",
        "{file}: the header was read from row {line} (the rows above it, titles and the like, were not read).",
    ),
    "load.note.ignored": (
        "{file}: 使わない列を読み込んでいません: {headers}",
        "{file}: columns kpi does not use were not read: {headers}",
    ),
    "load.note.totals": (
        "{file}: 合計の行を読み込んでいません（{lines}行目）。",
        "{file}: totals rows were not read (row {lines}).",
    ),
    "load.no_answers": (
        "段階が記入された行がありません（未回答の行 {skipped}件）。回答を記入してから読み込んでください",
        "no row has its 段階 filled in ({skipped} rows not answered yet); fill in the answers, then load it",
    ),
    "load.snapshot_future": (
        "--snapshot {date} は未来の日付です。一覧が現在を表す日付（今日以前）を指定してください",
        "--snapshot {date} lies in the future; give the date the list describes (today or earlier)",
    ),
    "load.snapshot_name_future": (
        "{path}: ファイル名の日付 {date} は未来の日付です。名前を直すか --snapshot で日付を指定してください",
        "{path}: the date in the file's name, {date}, lies in the future; rename it or pass --snapshot",
    ),
    "load.snapshot_name_not_a_date": (
        "{path}: ファイル名の {text} は日付ではありません（読める日付の形: {forms}。2000〜2100年の実在する日）。名前を直すか --snapshot で日付を指定してください",
        "{path}: {text} in the file's name is not a date (the forms read: {forms}; a real day of 2000–2100); "
        "rename it or pass --snapshot",
    ),
    "load.problems": (
        "問題が{count}件見つかりました。何も読み込んでいません",
        "{count} problem(s) found; nothing was loaded",
    ),
    "load.no_files": (
        "読み込めるファイルがありません（themes*.csv、budget*.csv、followups*.csv、programme*.toml などが必要です）",
        "no loadable files found (expected themes*.csv, budget*.csv, followups*.csv, programme*.toml, …)",
    ),
    "load.unknown_kind": ("不明な種類 {kind!r}。使える種類: {kinds}", "unknown kind {kind!r}; use one of: {kinds}"),
    "load.rs_which_project": (
        "{path}: どの事業か分かりません。--project-id（予算事業ID）を指定するか、先に programme.toml を読み込んでください",
        "{path}: which project? pass --project-id (the 予算事業ID) or load programme.toml first",
    ),
    # ------------------------------------------------------------------ kpi/load/programme.py
    "rule.toml_quote_key": (
        '日本語の名前は " で囲んで書いてください: {fixed}',
        "write a name in Japanese within quotes: {fixed}",
    ),
    "rule.setting.attribute_clash": (
        "属性の名前・見出しがテーマ一覧の列 {column} の見出しと同じです。別の名前にしてください",
        "an attribute's name or header is a header of the theme list's own column {column}; choose another",
    ),
    "rule.setting.attribute_header_twice": (
        "この見出しは属性「{other}」の名前・見出しでもあります。一つの属性にだけ付けてください",
        "this header is also attribute {other}'s name or header; give it to one attribute only",
    ),
    "load.toml_not_utf8": (
        "UTF-8 で保存されていません。メモ帳などで文字コード「UTF-8」を選んで保存し直してください",
        "not saved as UTF-8; save it again choosing the encoding UTF-8 (in メモ帳, for example)",
    ),
    "rule.toml_full_width": (
        "全角の文字は設定の値に使えません。半角で {fixed} と書いてください",
        "full-width characters cannot be read in a setting; write it in half-width: {fixed}",
    ),
    "rule.toml_syntax": (
        'この行は設定として読めません（{detail}）。数字は半角で、文字は "…" で囲んで書いてください',
        'this line cannot be read as a setting ({detail}); write numbers in half-width digits and text within "…"',
    ),
    "load.settings_rejected": ("プログラム設定に誤りがあります", "programme settings rejected"),
    # ------------------------------------------------------------------ kpi/load/rs.py
    "load.cannot_read_file": ("読めません: {detail}", "cannot read: {detail}"),
    "load.rs.not_rs": (
        "kpi が読める RS ファイルではありません: 見出しが RS {budget} とも RS {indicators} とも一致しません。期待する見出し: {expected}",
        "not an RS file kpi can read: its header matches neither RS {budget} nor RS {indicators}. "
        "Expected the headers of {expected}",
    ),
    "load.rs.not_rs_near": (
        "kpi が読める RS ファイルではありません: 見出しが RS {budget} とも RS {indicators} とも一致しません。RS {closest} に似ていますが次の列がありません: {lacks}。期待する見出し: {expected}",
        "not an RS file kpi can read: its header matches neither RS {budget} nor RS {indicators}; it looks like "
        "RS {closest} but lacks: {lacks}. Expected the headers of {expected}",
    ),
    "load.rs.rows_rejected": (
        "予算事業ID {project_id} の行（RS {sheet}）に問題があります。何も読み込んでいません",
        "problems in the rows of 予算事業ID {project_id} (RS {sheet}); nothing was read",
    ),
    "load.rs.no_total_row": (
        "予算事業ID {project_id} には会計別の行（会計区分あり）しかなく、合計行（会計区分が空）がありません",
        "予算事業ID {project_id} has only per-account rows (会計区分 filled) and no total row (会計区分 empty) in this file",
    ),
    "rule.rs.amount": (
        "円単位の整数の金額: 110003000000 や 34482000.0 など（負は - か △、空欄は未記入）",
        "amount in whole yen such as 110003000000 or 34482000.0 (negative with - or △; blank = not given)",
    ),
    "rule.rs.number": (
        "数値: 80、103.75、-2 など（空欄はなし）（{row_type}）",
        "a number such as 80, 103.75 or -2 (blank = none) ({row_type})",
    ),
    "rule.rs.percent": (
        "百分率: 90 や 103.75 など（%記号なし、空欄はなし）（{row_type}）",
        "a percentage such as 90 or 103.75, without the % sign (blank = none) ({row_type})",
    ),
    "rule.rs.rate": (
        "率: RSの公表どおり 1 や 0.97162 など（空欄はなし）",
        "a rate such as 1 or 0.97162, as RS publishes it (blank = none)",
    ),
    "rule.rs.flag": ("目標年度の印は 1、それ以外は空欄", "1 flags the target year; otherwise blank"),
    "rule.rs.fiscal_year": ("年度: 2025 など", "fiscal year such as 2025"),
    "rule.rs.choice": (
        "次のいずれか: {choices}（「1.」のような番号を前に付けても可）",
        "one of {choices} (a leading number such as 「1.」 is allowed)",
    ),
    "rule.rs.second_total": (
        "予算年度 {fy} の合計行が2つあります（1つ目は{first}行目）",
        "a second total row for 予算年度 {fy} (the first is on line {first})",
    ),
    "rule.rs.indicator_number": ("指標番号: 3 や 301 などの整数", "indicator number: a whole number such as 3 or 301"),
    "rule.rs.value_without_row_type": (
        "{column} が空の行の年度列に値があります（1.目標年度、2.目標値、3.実績値、4.達成率のいずれかが必要）",
        "a value in a year column of a row with no {column} (1.目標年度, 2.目標値, 3.実績値 or 4.達成率)",
    ),
    "rule.rs.row_type": (
        "1.目標年度、2.目標値、3.実績値、4.達成率 のいずれか",
        "one of 1.目標年度, 2.目標値, 3.実績値, 4.達成率",
    ),
    "rule.rs.second_row_type": (
        "指標 {number} の {row_type} 行が2つあります（1つ目は{first}行目）",
        "a second {row_type} row for indicator {number} (the first is on line {first})",
    ),
    # ------------------------------------------------------------------ kpi/load/sheets.py
    "load.limit_cells": (
        "シートの使用範囲が大きすぎます（値のあるセルが {far} まで: {rows} 行 × {columns} 列。"
        "上限は {limit} セル、{max_columns} 列）。離れたセルの値を消してから保存し直してください",
        "the sheet's used range is too large (cells with values reach {far}: {rows} rows × {columns} columns; "
        "the limits are {limit} cells and {max_columns} columns); clear the far cells and save it again",
    ),
    "load.limit_part": (
        "ブックの中の {part} が大きすぎます（展開すると {size} バイト、上限 {limit} バイト）",
        "the workbook's part {part} is too large ({size} bytes uncompressed; the limit is {limit})",
    ),
    # ------------------------------------------------------------------ kpi/load/tables.py
    "load.no_such_sheet": ("ブックに指定のシートがありません", "the workbook has no such sheet"),
    "rule.no_such_sheet": (
        "--sheet {sheet} というシートはありません（このブックのシート: {sheets}）",
        "no sheet named {sheet} (--sheet); the workbook's sheets: {sheets}",
    ),
    "load.sheet_ambiguous": (
        "どのシートを読むか決められません",
        "cannot tell which sheet to read",
    ),
    "rule.excel_error": (
        "Excel のエラー値 {value} です（セル {cell}）。数式を直すか値を入れてから保存し直してください",
        "an Excel error value {value} (cell {cell}); fix the formula or enter a value, then save the file again",
    ),
    "load.excel_errors": (
        "Excel のエラー値（#DIV/0! など）のセルが{n}個あります。空欄として読み込むと数値が「不明」に変わるため、読み込みません",
        "{n} cells hold an Excel error value (#DIV/0! and the like); read as blank they would turn a figure into "
        "unknown, so the file is not loaded",
    ),
    "load.unsupported_type": (
        "{path}: 対応していないファイル形式 {suffix!r}（.csv、.tsv、.txt、.xlsx、.xls、.ods、.parquet を使ってください）",
        "{path}: unsupported file type {suffix!r} (use .csv, .tsv, .txt, .xlsx, .xls, .ods or .parquet)",
    ),
    "load.header_only": (
        "見出し行だけで行がありません。空で出力されたファイルは受け付けません",
        "no rows, only a header; an export that came out empty is refused",
    ),
    "load.ragged": ("列の数が見出しと合わない行があります", "rows with the wrong number of fields"),
    "rule.duplicate_alias": (
        "列が重複しています: {other!r} も {column} です",
        "duplicate column: {other!r} is also {column}",
    ),
    "rule.column_missing": (
        "必須の列がありません（{column} または {alias}）",
        "required column missing ({column} or {alias})",
    ),
    "rule.column_missing_unused": (
        "必須の列がありません（{column} または {alias}）。使わなかった見出し: {unused}（書き間違いがないか確かめてください）",
        "required column missing ({column} or {alias}); headers not used: {unused} (check them for a misspelling)",
    ),
    "rule.sheet_read": (
        "読んだシート: {sheet}（このブックのシート: {sheets}）。別のシートを読むには --sheet で指定してください",
        "sheet read: {sheet} (the workbook's sheets: {sheets}); --sheet chooses another",
    ),
    # ------------------------------------------------------------------ kpi/load/validate.py
    "rule.stage_blank_answered": (
        "段階を選んでください（売上高などが記入されています）",
        "choose a 段階 (stage): the row gives sales, effects or a reason",
    ),
    "rule.not_an_organisation": (
        "このテーマの機関名にない機関です（テーマの機関: {organisations}）。機関名のいずれか、またはテーマ全体の回答なら空欄にしてください",
        "not one of this theme's organisations ({organisations}); give one of them, or leave it blank for the theme as a whole",
    ),
    "rule.not_in_round": (
        "{fy}年度の調査はこのテーマのこの機関に送付していません（送付先: {sent}）",
        "the survey of FY{fy} was not sent to this organisation for this theme (sent to: {sent})",
    ),
    "rule.unknown_theme_refused": (
        "未登録のテーマを書いた行が{n}行あります（{rows}行目）。同じ読み込みのテーマ一覧 {cause} が受け付けられなかったためです。先にその一覧を直してください",
        "{n} row(s) name themes not registered (rows {rows}) because the themes file {cause} of this load was "
        "refused; correct that file first",
    ),
    "rule.survey_before_end": (
        "調査年度がテーマの終了年度（{end_fy}年度）より前です",
        "the survey year is before the theme ended (FY{end_fy})",
    ),
    "rule.required": ("必須: セルが空です", "required: the cell is empty"),
    "rule.unique": (
        "重複不可: この値がファイル内に複数回あります",
        "must be unique: this value appears more than once in the file",
    ),
    "rule.column_missing_plain": ("必須の列がありません", "required column missing"),
    "rule.unknown_column_plain": ("不明な列", "unknown column"),
    "rule.unknown_theme": (
        "未登録のテーマ: 先にそのテーマ一覧を読み込んでください（同じコマンドでも可）",
        "unknown theme: load its themes file first (or in the same command)",
    ),
    # ------------------------------------------------------------------ schemas/common.py
    "rule.amount": (
        "0以上の金額: 1,100 や 151.5 など数字 0–9 のみ（単位の語は不可。全角の数字は読めます）",
        "non-negative amount such as 1,100 or 151.5, digits 0–9 only (no unit words; full-width digits are read)",
    ),
    "rule.amount_too_large": (
        "金額が大きすぎます: 億円で整数部16桁まで（円なら24桁まで）",
        "amount too large: at most 16 digits before the point in 億円 (24 in yen)",
    ),
    "rule.count": (
        "件数: 25、1,056、1,056件 などの整数（数字は 0–9。18桁を超えると大きすぎます）",
        "a whole number of items such as 25, 1,056 or 1,056件 (digits 0–9; too large beyond 18 digits)",
    ),
    # ------------------------------------------------------------------ schemas/evaluation.py
    "rule.grade": ("評価: A、B、C、D（未記入は空欄）", "grade A, B, C or D (blank if not given)"),
    "rule.one_grade": (
        "評価項目と委員ごとに1行（この組が2回あります）",
        "one grade per criterion and member (this pair appears twice)",
    ),
    # ------------------------------------------------------------------ schemas/followups.py
    "rule.one_answer_per_organisation": (
        "テーマ・回答機関・調査年度ごとに1行（この組が2回あります）",
        "one row per theme, organisation and survey year (this combination appears twice)",
    ),
    "rule.reason_only_when_stopped": (
        "中止・中断の理由は段階が中止か中断のときだけ書きます",
        "a reason is given only when the stage is 中止 (discontinued) or 中断 (suspended)",
    ),
    "rule.sales_too_large": (
        "売上高が大きすぎます: 億円で整数部14桁まで",
        "sales too large: at most 14 digits before the point in 億円",
    ),
    "rule.stage": ("段階: 研究、開発、製品化、上市、中止、中断", "stage: 研究, 開発, 製品化, 上市, 中止 or 中断"),
    "rule.one_survey_per_year": (
        "テーマと調査年度ごとに1行（この組が2回あります）",
        "one row per theme and survey year (this pair appears twice)",
    ),
    # ------------------------------------------------------------------ schemas/grants.py
    "rule.one_row_per_date": ("日付ごとに1行（この日付が2回あります）", "one row per date (this date appears twice)"),
    # ------------------------------------------------------------------ schemas/published.py
    "rule.figure": (
        "kpi が計算する指標名: status_summary.achieved、short_term.ratio、evaluation.score:<評価項目> など（README の kpi reconcile）",
        "a figure kpi computes, e.g. status_summary.achieved, short_term.ratio, evaluation.score:<criterion> "
        "(README, kpi reconcile)",
    ),
    "rule.printed_value": (
        "印刷どおりの数値: 45、27,759、2.8、80% など",
        "a number as printed: 45, 27,759, 2.8 or 80%",
    ),
    "rule.one_value": (
        "指標と年度ごとに1行（この組が2回あります）",
        "one value per figure and year (this pair appears twice)",
    ),
    # ------------------------------------------------------------------ schemas/stagegate.py
    "rule.stagegate_one_decision": (
        "一つの審査（テーマと審査年度）の決定は、記入するすべての行で同じにしてください",
        "a review's (theme and review year) decision must be the same on every row that gives it",
    ),
    "rule.stagegate_one_date": (
        "一つの審査（テーマと審査年度）の決定日は、記入するすべての行で同じにしてください",
        "a review's (theme and review year) date of decision must be the same on every row that gives it",
    ),
    "rule.one_score_per_criterion": (
        "テーマ・審査年度・審査委員・審査項目ごとに1行（この組が2回あります）",
        "one score per theme, review year, reviewer and criterion (this one appears twice)",
    ),
    "rule.stagegate_mixed": (
        "一つの審査（テーマと審査年度）は審査項目ごとの点数か合計点のどちらかで: 審査項目の空欄の行と記入した行が混ざっています",
        "a review (theme and review year) is scored by criterion or in total, not both: rows with and without a criterion are mixed",
    ),
    "rule.stagegate_decision": (
        "決定は 継続、条件付き継続、目標見直し、中止 のいずれか",
        "a decision is 継続 (continue), 条件付き継続 (conditional), 目標見直し (revise) or 中止 (stop)",
    ),
    "rule.stagegate_criterion": (
        "設定（stagegate_criteria）にない審査項目です。設定の審査項目: {criteria}",
        "a criterion the settings (stagegate_criteria) do not name; theirs: {criteria}",
    ),
    "rule.stagegate_criterion_missing": (
        "この審査（テーマと審査年度）には設定の審査項目 {missing} の点数がありません",
        "this review (theme and review year) gives no score for the settings' criterion {missing}",
    ),
    "rule.score": ("点数: 0から100（小数第2位まで）", "score between 0 and 100 (up to two decimals)"),
    "rule.one_score": (
        "テーマ・審査年度・審査委員ごとに1行（この組が2回あります）",
        "one score per theme, review year and reviewer (this one appears twice)",
    ),
    # ------------------------------------------------------------------ schemas/themes.py
    "rule.reason_text_only_when_missed": (
        "理由の詳細は結果が目標未達・中止・採択取消のテーマにだけ書きます",
        "reason details are given only for a theme whose result is 目標未達 (not achieved), 中止 (terminated) or 採択取消 (cancelled)",
    ),
    "rule.attribute_category": (
        "設定（programme.toml）で決めた値のいずれかを書いてください: {values}",
        "write one of the values the settings (programme.toml) declare: {values}",
    ),
    "rule.reason_only_when_missed": (
        "理由は結果が目標未達・中止・採択取消のテーマにだけ書きます",
        "a reason is given only for a theme whose result is 目標未達 (not achieved), 中止 (terminated) or 採択取消 (cancelled)",
    ),
    "rule.theme_id_case": (
        "大文字と小文字だけが違うテーマIDがほかの行にあります（同じテーマを2回書いています）",
        "another row has the same theme ID up to upper and lower case (the same theme written twice)",
    ),
    "rule.item": (
        "研究開発項目: 1、2、3（①②③ または項目名。3 = 先導研究）",
        "research item 1, 2 or 3 (①②③ or the item's name; 3 = 先導研究)",
    ),
    "rule.funding": ("契約形態: 委託 または 助成", "委託 or 助成 (contract or grant)"),
    "rule.element": (
        "基盤要素: 英字a–z1文字、続けて数字と -数字 も可（a1、d2-1、b）",
        "element: a letter a–z, optionally digits and -digits (a1, d2-1, b)",
    ),
    "rule.status": (
        "結果/状況: 目標達成、目標未達、遅延、計画通り、遅延なし（achieved、not achieved、delayed、on track も可）。前に「令和N年度終了」も可。"
        "途中で終了したテーマは 中止（ステージゲートで中止、原則終了、辞退 なども可）、採択を取り消したテーマは 採択取消。"
        "この2つは前に「令和N年度」も可",
        "status: 目標達成, 目標未達, 遅延, 計画通り or 遅延なし (or achieved, not achieved, delayed, on track), "
        "optionally after 令和N年度終了; a theme ended early: 中止 (or ステージゲートで中止, 原則終了, 辞退, terminated, "
        "withdrawn…), adoption cancelled: 採択取消 (or cancelled), either optionally after 令和N年度",
    ),
    "rule.status_year": (
        "「…年度終了」の年度は 令和5年度 などの年度で書いてください（「…年度中止」「…年度採択取消」の年度も同じ）",
        "the year in 「…年度終了」 must be a fiscal year such as 令和5年度 (so must the year before 中止 or 採択取消)",
    ),
    "rule.end_year_required": (
        "終了年度が必要です: 終了年度（end_fy）を記入するか、結果/状況を「令和5年度終了 目標達成」の形で書いてください"
        "（途中で終了したテーマは「令和6年度中止」）",
        "end year required: fill 終了年度 (end_fy) or write the status as 令和5年度終了 目標達成 (a theme ended early: "
        "令和6年度中止)",
    ),
    "rule.end_year_disagrees": (
        "終了年度が結果/状況欄の年度と一致しません（途中で終了したテーマの終了年度は中止した年度です）",
        "end_fy disagrees with the year in the status cell (a theme ended early ends in the year it stopped)",
    ),
    "rule.start_after_end": ("開始年度が終了年度より後です", "start_fy must not be after end_fy"),
    # ------------------------------------------------------------------ kpi/db/backup.py
    "backup.damaged": (
        "バックアップ {path} は壊れています。ほかのバックアップを指定してください",
        "backup {path} is damaged; choose another backup",
    ),
    "backup.damaged_short": (
        "バックアップ {path} は途中で切れています（コピーの中断かディスクの障害です）。ほかのバックアップを指定してください",
        "backup {path} is cut short (a copy was interrupted, or the disk failed); choose another backup",
    ),
    "backup.damaged_blocks": (
        "バックアップ {path} の一部が壊れています（ブロックのチェックサムが合いません）。ほかのバックアップを指定してください",
        "backup {path} has damaged blocks (their checksums fail); choose another backup",
    ),
    "backup.damaged_wal": (
        "バックアップ {path} の隣の記録（.wal）はこのファイルのものではありません。ほかのバックアップを指定してください",
        "the log (.wal) beside backup {path} is not this file's; choose another backup",
    ),
    "backup.log_beside": (
        "{path} の隣に記録（{log}）があります。別のデータベースのものかもしれないので、この名前にはバックアップを書きません。別の名前を指定してください",
        "there is a log ({log}) beside {path}; it may be another database's, so no backup is written under that name: name another file",
    ),
    "restore.with_log": (
        "バックアップ {backup} の記録（{log}）も DuckDB が読み込み、その内容も含めて戻します",
        "the backup {backup} has a log ({log}): DuckDB reads it too, and what it holds is restored with the rest",
    ),
    "backup.not_a_file": (
        "バックアップ {path} がありません（ファイルを指定してください）",
        "backup {path}: no such file",
    ),
    "backup.not_kpi": (
        "{path} は kpi のデータベースのバックアップではありません",
        "{path} is not a backup of a kpi database",
    ),
    "restore.same_file": (
        "{path} はデータベースそのものです。バックアップのファイルを指定してください",
        "{path} is the database itself; name a backup file",
    ),
    "restore.kept": ("データベース {path} はバックアップから戻してあります", "database {path} had been restored"),
    "restore.other_programme": (
        "{backup} は別の事業（予算事業ID {theirs}）のバックアップです。このデータベースは予算事業ID {ours} です。"
        "それでも戻すには --other-programme を付けてください",
        "{backup} is a backup of another programme (予算事業ID {theirs}); this database is 予算事業ID {ours}. "
        "To restore it all the same, pass --other-programme",
    ),
    "restore.damaged_kept": (
        "開けないほど壊れたデータベース {path} は、その記録（.wal）とともに {aside} として残しています",
        "the database {path}, too damaged to open, is kept with its log (.wal) as {aside}",
    ),
    # ------------------------------------------------------------------ kpi/db/connect.py
    "db.upgraded": (
        "データベース {path} を旧版 {old} から版 {new} に更新しました（更新前の写し: {backup}）",
        "upgraded database {path} from schema {old} to {new} (the copy before: {backup})",
    ),
    "db.leftover_removed": (
        "中断された書き込みの途中のファイル {path} を削除しました",
        "removed {path}, left half-written by an interrupted backup or restore",
    ),
    "db.not_duckdb": (
        "データベース {path} を開けません: DuckDB のデータベースファイルではありません",
        "cannot open database {path}: it is not a DuckDB database file",
    ),
    "db.too_new": (
        "データベース {path} のスキーマ版 {version} はこの kpi が知る版（{known}）より新しいため読めません。kpi を更新してください",
        "database {path} has schema version {version}, newer than this kpi knows ({known}); upgrade kpi to read it",
    ),
    "db.cannot_open": ("データベース {path} を開けません: {detail}", "cannot open database {path}: {detail}"),
    # ------------------------------------------------------------------ kpi/settings.py
    "rule.setting.period": (
        '事業期間: 最初と最後の年度を - か 〜 でつなぎます（例: "2020-2030"、"R2〜R12"。最初の年度は最後の年度以前）',
        'the programme\'s period: its first and last fiscal years joined by - or ~ (for example "2020-2030", "R2~R12"; the first not after the last)',
    ),
    "rule.setting.evaluations": (
        '評価の予定: 評価回の配列かカンマ区切り（例: ["中間2022", "中間2026", "終了時2030"]）。空の評価回・同じ評価回の重複・評価回の中のカンマは不可',
        'the evaluation calendar: an array of rounds or a comma-separated list (for example ["中間2022", "中間2026", "終了時2030"]); no empty round, none twice, no comma inside a round',
    ),
    "rule.setting.theme_money": (
        'theme_budget と theme_executed には [attributes."…"] で type = "money"（金額）と宣言した'
        "属性の名前を書いてください",
        'theme_budget and theme_executed name an attribute declared under [attributes."…"] with type = "money"',
    ),
    "rule.setting.theme_money_same": (
        "theme_executed（執行額）には theme_budget（予算額）と別の属性を書いてください",
        "theme_executed (execution) names another attribute than theme_budget (budget)",
    ),
    "rule.setting.small_group": (
        "小さい群とみなすテーマ数は 1–1000 の整数",
        "the size below which a group is marked small must be a whole number 1–1000",
    ),
    "rule.setting.attributes": (
        'テーマの属性は属性ごとの表で書きます: [attributes."分野"] の下に type = "category" など',
        'declare each theme attribute as a table: [attributes."分野"] with type = "category" and so on below it',
    ),
    "rule.setting.attribute_name": (
        "属性の名前が空か、ほかの属性と同じです（大文字・小文字、全角・半角の違いは同じとみなします）",
        "an attribute's name is empty or the same as another attribute's (case and full/half width aside)",
    ),
    "rule.setting.attribute_key": (
        "属性に書ける項目は headers（見出し）、type（種類）、values（区分の値）です",
        "an attribute takes headers, type and values (a category's values) only",
    ),
    "rule.setting.attribute_type": (
        '属性の種類 type は "category"（区分）、"number"（数値）、"money"（金額・億円）、"year"（年度）、"text"（文字）のいずれか',
        'an attribute\'s type is "category", "number", "money" (億円), "year" or "text"',
    ),
    "rule.setting.attribute_headers": (
        '見出し headers は文字の配列で、空や重複なく: ["分野", "技術分野"]',
        'headers is an array of texts, none empty or twice: ["分野", "技術分野"]',
    ),
    "rule.setting.attribute_values": (
        '区分（category）の属性には値の一覧 values を空や重複なく書いてください: ["大企業", "中小企業"]',
        'a category attribute needs its values, none empty or twice: ["大企業", "中小企業"]',
    ),
    "rule.setting.attribute_values_category": (
        "values（値の一覧）は区分（category）の属性にだけ書けます",
        "values may be given for a category attribute only",
    ),
    "rule.setting.stagegate_criteria": (
        '審査項目と配点は {{"技術的評価" = 50, "事業化評価" = 50}} の形で（項目名は " で囲みます）: 項目名は重複なく'
        "（= と , は使えません）、配点は正の数",
        'write the criteria and their weights as {{"技術的評価" = 50, "事業化評価" = 50}} (names in quotes): each name '
        "once (without = or ,), each weight a positive number",
    ),
    "rule.setting.stagegate_threshold": (
        "ステージゲートの基準点は 0–100 の数（例: 60、62.5）",
        "a stage-gate threshold is a score 0–100 (e.g. 60 or 62.5)",
    ),
    "rule.setting.stagegate_order": (
        "stagegate_consider（検討の基準点）は stagegate_continue（継続の基準点）以下にしてください",
        "stagegate_consider (the threshold to consider) may not be above stagegate_continue (the threshold to continue)",
    ),
    "rule.setting.followup_rounds": (
        '追跡調査の時点は終了後の年数 1–30 を重複なく: [1, 2, 4, 6]、"1, 2, 4, 6" または "1-6"（1年後から6年後まで毎年）',
        'the survey rounds are years after the end, 1–30, each once: [1, 2, 4, 6], "1, 2, 4, 6" or "1-6" (every year from 1 to 6)',
    ),
    "rule.setting.followup_deadline": (
        '回答期限は月と日で: "01-31" または "1月31日"（毎年ある日。2月29日は不可）',
        'the answer deadline is a month and day: "01-31" or "1月31日" (a day every year has, not 29 February)',
    ),
    "rule.setting.suppression_k": (
        "売上高を示す最小のテーマ数は 1–1000（1 で秘匿しない）",
        "the fewest themes a sales figure may sum must be 1–1000 (1: nothing suppressed)",
    ),
    "rule.setting.terminated_themes": (
        '途中で終了したテーマの数え方は "failed"（未達として数える）か "excluded"（除外）で書いてください',
        'write "failed" (count as not achieved) or "excluded" (leave out of every KPI)',
    ),
    "rule.setting.unknown": ("不明な設定。使える設定: {expected}", "unknown setting; expected: {expected}"),
    "rule.setting.missing": ("必須の設定がありません", "required setting missing"),
    "rule.setting.empty": ("空欄です: 値を記入してください", "empty: fill in a value"),
    "rule.setting.not_a_value": (
        "値を一つ書いてください（表や配列は不可）",
        "write one value (not a table or an array)",
    ),
    "rule.setting.target": (
        "目標ではありません: {value!r}（80% や 0.8 の形で書いてください）",
        "not a target: {value!r} (write it as 80% or 0.8)",
    ),
    "rule.setting.target_range": ("目標 {value!r} が 0–100% の範囲外です", "target {value!r} is outside 0–100%"),
    "rule.setting.year_range": ("年度 {value} が 2000–2100 の範囲外です", "fiscal year {value} is outside 2000–2100"),
    "rule.setting.grade_points": (
        "評点の換算は 'A=3, B=2, C=1, D=0' の形で A、B、C、D をすべて書いてください",
        "grade points must give A, B, C and D, like 'A=3, B=2, C=1, D=0'",
    ),
    "rule.setting.whole_number": ("整数で書いてください", "write a whole number"),
    "rule.setting.horizon": ("追跡調査までの年数は 0–30年", "the follow-up horizon must be 0–30 years"),
    "rule.setting.backups": (
        "残すバックアップの数は 0–100（0 で作らない）",
        "the number of backups to keep must be 0–100 (0 for none)",
    ),
    "rule.setting.timezone": (
        "タイムゾーンの名前ではありません（例: Asia/Tokyo）",
        "not the name of a time zone (e.g. Asia/Tokyo)",
    ),
    # ------------------------------------------------------------------ kpi/db/versions.py
    "known_at.no_loads": (
        "まだ何も読み込まれていないため --known-at は使えません",
        "nothing is loaded yet: --known-at has no load to name",
    ),
    "known_at.no_such_load": (
        "--known-at {value}: その番号の読込はありません（第{first}回〜第{last}回。kpi loads で確かめてください）",
        "--known-at {value}: there is no such load (loads #{first}–#{last}; see kpi loads)",
    ),
    "known_at.before_first": (
        "--known-at {value}: 最初の読込（{first}）より前です",
        "--known-at {value}: before the first load ({first})",
    ),
    "undo.nothing": ("取り消せる読込がありません", "there is no load to undo"),
    "undo.no_such_load": (
        "第{load}回の読込はありません（最新は第{last}回。kpi loads で確かめてください）",
        "there is no load #{load} (the latest is #{last}; see kpi loads)",
    ),
    "undo.is_undo": (
        "第{load}回は第{undoes}回の取り消しです。取り消しは取り消せません（元に戻すにはそのファイルをもう一度読み込んでください）",
        "load #{load} is the undo of load #{undoes}; an undo is not undone (load that file again instead)",
    ),
    "undo.latest_is_undo": (
        "最新の読込（第{load}回）は第{undoes}回の取り消しです。取り消しは取り消せません（戻すにはそのファイルをもう一度読み込んでください。さらに前の読込は kpi undo N で番号を指定）",
        "the latest load (#{load}) is the undo of load #{undoes}; an undo is not undone (load that file again; "
        "to undo an earlier load, name it: kpi undo N)",
    ),
    "undo.already": ("第{load}回の読込は第{by}回で取り消し済みです", "load #{load} was already undone by load #{by}"),
    "undo.built_on": (
        "第{load}回の読込は取り消せません: その後の読込（{later}）がその行を更新しています。先にそちらを取り消してください",
        "load #{load} cannot be undone: later loads ({later}) changed its rows; undo those first",
    ),
    # ------------------------------------------------------------------ kpi/db/submissions.py
    "submission.no_such": (
        "提出 #{n} の記録はありません（記録は {last}件。kpi submissions で確かめてください）",
        "there is no submission #{n} ({last} recorded; see kpi submissions)",
    ),
    # ------------------------------------------------------------------ kpi/figures/submissions.py
    "submission.year_not_ended": (
        "{fy}年度（{wareki}）はまだ終わっていません（{ends} まで。プログラムの暦 {timezone} で今日は {today}）。確定値（--stage final）は年度が終わってから提出できます。いまは速報値（--stage preliminary）を提出できます。何も書き出していません",
        "FY{fy} ({wareki}) has not ended (it runs to {ends}; today is {today} in the programme's calendar, "
        "{timezone}): its final figures (--stage final) can be submitted once it has ended, preliminary ones "
        "(--stage preliminary) now; nothing was written",
    ),
    "submission.other_year": (
        "提出 #{n}（{fy}年度）と #{m}（{fy2}年度）は年度が違うため比べられません",
        "submission #{n} (FY{fy}) and #{m} (FY{fy2}) are of different years",
    ),
    "submission.year_closed": (
        '{fy}年度は確定値を提出済みです（提出 #{n}、{made}）。この読込はその年度の数値を変えるため取り込みませんでした。訂正するには --reopen "理由" を付けてください',
        'FY{fy} is closed: its final figures were submitted (submission #{n}, {made}). This load would change them and was not stored; give --reopen "reason" to correct them',
    ),
    # ------------------------------------------------------------------ kpi/present/submit.py
    "submission.not_reproduced_answers_sheet": (
        "提出 #{n} の {files} には秘の回答（「{sheet}」シート）が入っていました。kpi はいま秘の回答を提出とは別のファイルに書き出すため、この提出のファイルは作り直しません。何も書き出していません。新しい提出として書き出してください: kpi export --as-of {fy} --stage {stage} --format xlsx --out DIR --confidential FILE（秘の回答は提出フォルダの外の FILE に書き出します）",
        'the workbook of submission #{n} ({files}) held the confidential answers (sheet "{sheet}"), which kpi now writes apart from a submission, so its files are not made again; nothing was written. Export a new submission: kpi export --as-of {fy} --stage {stage} --format xlsx --out DIR --confidential FILE (the answers go to FILE, outside the submission\'s folder)',
    ),
    "submission.confidential_swept": (
        "{path} は kpi が書き出した秘の回答（テーマ・機関別の売上高）のファイルです。提出フォルダ {folder} に置いたままでは提出と一緒に送られてしまうため、何も書き出していません。フォルダの外に移してから、もう一度実行してください",
        "{path} is a file of confidential answers (per-theme sales) that kpi wrote: left in the submission's folder {folder} it would be sent with the submission, so nothing was written. Move it out of the folder and run the command again",
    ),
    "submission.confidential_in_another": (
        "{path}: 秘の回答は別の提出（#{n}）のフォルダ {folder} の中には書き出しません（その提出に紛れないように）。提出フォルダの外のファイルを指定してください",
        "{path}: the confidential answers are never written in the folder {folder} of another submission (#{n}): they would be sent with it; name a file outside every submission's folder",
    ),
    "submission.confidential_in_another_folder": (
        "{path}: 秘の回答は別の提出のフォルダ {folder} の中には書き出しません（その提出に紛れないように）。提出フォルダの外のファイルを指定してください",
        "{path}: the confidential answers are never written in the folder {folder} of another submission: they would be sent with it; name a file outside every submission's folder",
    ),
    "submission.confidential_inside": (
        "{path}: 秘の回答は提出フォルダ {folder} の中には書き出しません（提出に紛れないように）。フォルダの外のファイルを指定してください",
        "{path}: the confidential answers are never written in the submission's folder {folder} (they would be sent with it); name a file outside it",
    ),
    "submission.confidential_wrote": (
        "【秘】テーマ・機関別の売上高: {path}（提出ファイルではありません。提出・公表しないでください）",
        "CONFIDENTIAL per-theme sales: {path} (not a file of the submission; do not submit or publish it)",
    ),
    "submission.confidential_set_apart": (
        "提出 #{n} の記録にある {files}（秘の回答）は提出フォルダには書き出しません。必要なら --confidential FILE でフォルダの外に書き出してください",
        "{files} (the confidential answers) recorded with submission #{n} is no longer written into the submission's folder; give --confidential FILE to write it outside it",
    ),
    "submission.as_of_required": (
        "提出する年度を --as-of で指定してください（例: 終わった年度の確定値は --as-of {last} --stage final、今年度の速報値は --as-of {now}。記録済みの提出をもう一度書き出すときは --submission N）。何も書き出していません",
        "name the fiscal year of the submission with --as-of (e.g. --as-of {last} --stage final for the final "
        "figures of the year that has ended, --as-of {now} for this year's preliminary ones; --submission N writes a "
        "recorded submission again); nothing was written",
    ),
    "submission.year_line": ("{title}を書き出しました: {folder}", "{title} written to {folder}"),
    "submission.disk_full_detail": (
        "{path} に書き込めません: ディスクの空きがありません（またはファイルの大きさの上限に達しました）",
        "cannot write {path}: the disk is full (or a file-size limit was reached)",
    ),
    "submission.not_reproduced_version": (
        "提出 #{n} のファイルを同じ内容で作り直せませんでした（{files}）: 記録したときの kpi は {recorded}、いまの kpi は {version} で、版が違います。何も書き出していません（kpi {recorded} で書き出してください）",
        "the files of submission #{n} could not be made again byte for byte ({files}): kpi {recorded} wrote them, this is kpi {version}; nothing was written (write them again with kpi {recorded})",
    ),
    "submission.recorded_disk_full": (
        "提出 #{n}（{stage}）を記録し、{folder} に {count} 個のファイルを書き出しました（kpi export をもう一度実行すると別の提出として記録されます）。その後 {path} に書き込めませんでした: ディスクの空きがありません（またはファイルの大きさの上限に達しました）。提出の記録は保存されています。空きを作ってください",
        "submission #{n} ({stage}) is recorded and its {count} files are written in {folder} (running kpi export again would record another submission); then {path} could not be written: the disk is full (or a file-size limit was reached). The record is stored; free some space",
    ),
    "submission.recorded_not_placed": (
        "提出 #{n}（{stage}）を記録しましたが、そのファイルを {folder} に置けませんでした: {detail}。記録どおりのファイルは {command} で書き出せます（kpi export をもう一度実行すると別の提出として記録されます）",
        "submission #{n} ({stage}) is recorded, but its files could not be put in {folder}: {detail}; write them as recorded with {command} (running kpi export again would record another submission)",
    ),
    "submission.recorded_then_failed": (
        "提出 #{n}（{stage}）を記録し、{folder} に {count} 個のファイルを書き出しました（kpi export をもう一度実行すると別の提出として記録されます）。その後に問題がありました: {detail}",
        "submission #{n} ({stage}) is recorded and its {count} files are written in {folder} (running kpi export again would record another submission); then: {detail}",
    ),
    "submission.not_reproduced": (
        "提出 #{n} のファイルを同じ内容で作り直せませんでした（{files}）。何も書き出していません",
        "the files of submission #{n} could not be made again byte for byte ({files}); nothing was written",
    ),
    "submission.options_with_number": (
        "--submission と一緒に {options} は指定できません（記録どおりに書き出します）",
        "{options} cannot be given with --submission (its files are written as recorded)",
    ),
    "submission.kept": ("提出を記録済みです", "the submission is recorded"),
    # ------------------------------------------------------------------ kpi/cli/commands/submissions.py
    "help.opt.submission_action": (
        "show N（1件の数値）または diff N [M]（提出 N と M、M がなければ現在の数値との比較）。省略すると一覧。",
        "show N (one submission's figures) or diff N [M] (submission N against M, or against the figures now). "
        "Without it, the list.",
    ),
    "help.opt.submission_numbers": (
        "提出の番号（kpi submissions の #）。",
        "Submission numbers (# in kpi submissions).",
    ),
    "help.submissions": (
        "提出の記録（kpi export のたびに記録）: 一覧、1件の数値、2つの提出（または提出と現在）の違いとその理由のテーマ。\n\n"
        "例: kpi submissions · kpi submissions show 1 · kpi submissions diff 1 --format json",
        "The register of submissions (each kpi export records one): the list, one submission's figures, and how "
        "two submissions (or a submission and now) differ, with the themes that explain it.\n\n"
        "Examples: kpi submissions · kpi submissions show 1 · kpi submissions diff 1 --format json",
    ),
    # ------------------------------------------------------------------ kpi/db/attach.py
    "portfolio.no_such_path": ("{path} はファイルでもフォルダでもありません", "{path} is neither a file nor a folder"),
    "portfolio.no_files": ("{paths} にデータベース（*.duckdb）がありません", "no database (*.duckdb) in {paths}"),
    # ------------------------------------------------------------------ kpi/figures/portfolio.py
    "portfolio.same_project_id": (
        "予算事業ID {project_id} の事業が2つあります: {first} と {second}。同じ事業を2回数えないよう、どちらかを外してください",
        "two programmes have 予算事業ID {project_id}: {first} and {second}; leave one out so that no programme counts twice",
    ),
    "portfolio.no_programme": (
        "予算事業ID {project_id} の事業はありません（あるのは {ids}）",
        "no programme has 予算事業ID {project_id} (there are {ids})",
    ),
    # ------------------------------------------------------------------ kpi/figures/explain.py
    "explain.unknown_kpi": ("指標 {kpi} はありません（{kpis} のいずれか）", "there is no KPI {kpi} (one of {kpis})"),
    "explain.other_programme": (
        "このデータベースは予算事業ID {found} の事業です（--programme {asked} ではありません）",
        "this database holds programme {found}, not --programme {asked}",
    ),
    # ------------------------------------------------------------------ kpi/cli/commands/portfolio.py
    "help.explain": (
        "指標の内訳: テーマ一覧の全テーマを、分子・分母のみ・結果待ち・まだ数えない・未採択・先導研究（除外）に分け、それぞれのルールとともに示します。\n\n指標: short_term、long_term、long_term_matured。例: kpi explain short_term --as-of 2025 --out 内訳.csv",
        "What makes up a KPI: every theme of the list in force, as numerator, denominator only, pending, not countable yet, not yet adopted or leading research (excluded), each with its rule.\n\nKPIs: short_term, long_term, long_term_matured. Example: kpi explain short_term --as-of 2025 --out explain.csv",
    ),
    "help.opt.out_portfolio": (
        "書き出すファイル。形式は拡張子で決まります（xlsx と html はファイルのみ）。",
        "File to write; its extension chooses the format (xlsx and html are files only).",
    ),
    "help.portfolio": (
        "複数の事業のデータベースを並べて読みます（各ファイルを読み取り専用で ATTACH、複製しない）: 事業ごとのアウトカム指標、見通し、累計執行率、"
        "一覧の日付、ポートフォリオ計（分子・分母の合計）、終了年度別のコホート。読めないファイル（読み込み中、破損、別の版）は理由とともに"
        "1行ずつ示し、他の事業は表示します。終了コードはその中で最も重いもの（75、65、3 の順）。\n\n"
        "例: kpi portfolio programmes/ · kpi portfolio a.duckdb b.duckdb --format json · kpi portfolio programmes/ --explain short_term",
        "Read several programme databases side by side (each attached read-only, never copied): each programme's "
        "outcome indicators, outlook, cumulative execution and list date, the portfolio line (numerators and "
        "denominators summed) and the cohorts by the year themes end. A file that cannot be read (a load writing it, "
        "damaged, another schema) is named on a line of its own with the reason while the others are shown; the "
        "exit code is the worst of them (75, 65, 3 in that order).\n\n"
        "Examples: kpi portfolio programmes/ · kpi portfolio a.duckdb b.duckdb --format json · "
        "kpi portfolio programmes/ --explain short_term",
    ),
    "help.opt.paths_portfolio": (
        "事業のデータベース（ファイル、またはそれを含むフォルダ）。",
        "Programme databases (files, or folders of them).",
    ),
    "help.opt.explain_kpi": (
        "指標の内訳も示す（short_term、long_term、long_term_matured）。",
        "Also list the themes behind a KPI (short_term, long_term, long_term_matured).",
    ),
    "help.opt.programme": ("予算事業IDでその事業だけを選ぶ。", "Only the programme of this 予算事業ID."),
    "help.opt.kpi": (
        "指標: short_term、long_term、long_term_matured。",
        "The KPI: short_term, long_term, long_term_matured.",
    ),
    # ------------------------------------------------------------------ kpi/db/gate.py
    "out.name_too_long": (
        "{path} を作れません: 名前が長すぎます（ファイルシステムの上限は1つの名前につき255バイト、日本語はおよそ85文字）。短い名前のフォルダやファイルを指定してください",
        "cannot create {path}: the name is too long for the file system (at most 255 bytes a name); use a shorter name",
    ),
    "out.open_in_office": (
        "{path} は Excel（または LibreOffice）で開かれています（横に {lock} があります）。保存していない変更があるかもしれないため、--force を付けても置き換えません。保存して閉じてから、もう一度実行してください",
        "{path} is open in Excel (or LibreOffice): {lock} lies beside it. It may hold unsaved changes, so it is not replaced, even with --force; save and close it, then run the command again",
    ),
    "out.protected": (
        "{path} はデータベース（またはその記録・バックアップ・復元で残した写し）です。--force を付けても置き換えません。別の書き出し先を指定してください",
        "{path} is a database (or its log, a backup or a copy a restore kept); it is never replaced, even with --force: write somewhere else",
    ),
    "cli.would_replace": (
        "{folder}: {names} を置き換えることになります。置き換えるには --force を付けてください",
        "{folder}: would replace {names}; pass --force to replace them",
    ),
    "io.kept_file": ("{path} は書き出し済みです", "{path} had been written"),
    "io.kept_files": ("{folder} に {n} 個のファイルを書き出し済みです", "the {n} files in {folder} had been written"),
    "out.not_a_folder": (
        "{path} はフォルダではありません。書き出し先のフォルダを指定してください",
        "{path} is not a folder; name a folder to write into",
    ),
    "out.kind.folder": ("フォルダ", "a folder"),
    "out.kind.device": ("デバイス", "a device"),
    "out.kind.fifo": ("名前付きパイプ（FIFO）", "a named pipe (FIFO)"),
    "out.kind.socket": ("ソケット", "a socket"),
    "out.kind.other": ("通常のファイルではないもの", "not a regular file"),
    "out.cannot_create": (
        "{path} を作れません: フォルダ {folder} に書き込む権限がないか、読み取り専用です。書き込めるフォルダを指定してください",
        "cannot create {path}: the folder {folder} is read-only or not writable by you; write somewhere else",
    ),
    # ------------------------------------------------------------------ kpi/db/write.py
    "load.correction_drops_themes": (
        "{date} の一覧の訂正に、訂正前の一覧にあったテーマ {n}件がありません: {ids}。前の一覧にもないため、このまま読み込むと全ての指標から消えてしまいます。事業から外すテーマは一覧に残して結果/状況を「採択取消」にしてください（誤って載せたテーマも同じ）",
        "the corrected list of {date} leaves out {n} themes the list it corrects gave: {ids}. No earlier list names them, so they would leave every figure. To take a theme out of the programme, keep it in the list with the status 採択取消 (cancelled) — a theme listed by mistake too",
    ),
    "load.another_programmes_list": (
        'このテーマ一覧のテーマID {ids}件のうち、{previous} の一覧（{held}件）と共通なのは {shared}件だけです（少ない方の一覧の半分未満）。データベースが保持するのは「{name}」（予算事業ID {project_id}）です。別の事業の一覧ではありませんか。IDを振り直した一覧なら --renumbered "理由" を付けて読み込んでください',
        "only {shared} of this list's {ids} theme IDs are in the list of {previous} ({held} themes): fewer than half "
        "of the smaller list's. The database holds 「{name}」 (予算事業ID {project_id}). Is it another programme's "
        'list? If the IDs were renumbered, load it with --renumbered "reason"',
    ),
    "load.other_programme": (
        '予算事業ID {new} の設定ですが、データベースが保持するのは「{name}」（予算事業ID {stored}）です。別の事業の設定ではありませんか。予算事業IDが本当に変わったのなら --renumbered "理由" を付けて読み込んでください',
        "the settings give 予算事業ID {new}, but the database holds 「{name}」 (予算事業ID {stored}). Are they "
        'another programme\'s? If the 予算事業ID really changed, load them with --renumbered "reason"',
    ),
    # ------------------------------------------------------------------ kpi/present/tables.py
    "table.too_wide": (
        "表が端末の幅（{columns}桁）に収まらないため、数値や変わった値は切らずに折り返して示しました（端末を広げるか、別の --format で全体を出力できます）",
        "a table is wider than the terminal ({columns} columns): its figures and values are folded onto more lines, never cut (widen the terminal, or use another --format for every cell on one line)",
    ),
    # ------------------------------------------------------------------ kpi/figures/history.py
    "loads.no_such_load": (
        "第{load}回の読込はありません（最新は第{last}回。kpi loads で確かめてください）",
        "there is no load #{load} (the latest is #{last}; see kpi loads)",
    ),
    # ------------------------------------------------------------------ kpi/present/responses.py
    "remind.intro": (
        "次の {n} 件のご回答をまだいただいていません（うち回答期限を過ぎたもの {overdue} 件）。記入した調査票をご返送ください。",
        "Surveys not yet answered: {n} ({overdue} past their deadline). Please return the filled-in sheets.",
    ),
    "responses.heading": (
        "追跡調査の回答状況（{fy}年度までの送付、{date} 時点）: 送付 {sent} 件、回答 {answered} 件、回答率 {rate}、期限超過 {overdue} 件",
        "Follow-up survey answers (rounds sent up to FY{fy}, as of {date}): {sent} sent, {answered} answered, response rate {rate}, {overdue} overdue",
    ),
    "responses.none": (
        "{fy}年度までに送付を記録した追跡調査はありません（kpi followups sheets で送付すると記録されます）。",
        "No follow-up survey is recorded as sent for FY{fy} or earlier (kpi followups sheets records a round as sent).",
    ),
    "responses.section.rounds": ("調査年度ごとの回答状況", "Answers by round"),
    "responses.section.organisations": ("調査年度 × 回答機関ごとの回答状況", "Answers by round and organisation"),
    "responses.col.round": ("調査年度", "survey_fy"),
    "responses.col.sent": ("送付", "sent"),
    "responses.col.answered": ("回答", "answered"),
    "responses.col.not_answered": ("未回答", "not_answered"),
    "responses.col.deadline": ("回答期限", "deadline"),
    "responses.col.overdue_since": ("期限超過の開始日", "overdue_since"),
    "responses.col.days": ("超過日数", "days_overdue"),
    "responses.col.rate": ("回答率", "response_rate"),
    "remind.heading": (
        "追跡調査のご回答のお願い（{date} 時点の未回答）",
        "Follow-up survey: answers still awaited (as of {date})",
    ),
    "remind.none": (
        "{fy}年度までに送付した追跡調査に未回答はありません（{date} 時点）。",
        "Every follow-up survey sent up to FY{fy} is answered (as of {date}).",
    ),
    # ------------------------------------------------------------------ kpi/present/effects.py
    "effects.sales_note": (
        "秘匿: {k}テーマ未満の合計、または示した合計から差し引きで求められる値。テーマの売上高はその機関の回答の合計。",
        "withheld: a sum over fewer than {k} themes, or a value derivable by subtraction from the totals shown. A theme's sales are the sum of its organisations' answers.",
    ),
    "effects.col.fy": ("{fy}年度", "FY{fy}"),
    "effects.col.answers": ("回答数", "answers"),
    "effects.reason.unrecorded": ("未記入", "not given"),
    "effects.col.years_after": ("{n}年後", "{n} yr after"),
    "effects.cohort_cell": ("{n}/{d}（{ratio}）", "{n}/{d} ({ratio})"),
    "effects.response": ("回答{answered}/{sent}（{rate}）", "answered {answered}/{sent} ({rate})"),
    # ------------------------------------------------------------------ kpi/db/sent.py
    "followups.round_future": (
        "--as-of {fy}: {fy}年度はまだ来ていません（今年度は{current}年度）。その年度の回答は{fy}年度になるまで読み込めないため、調査票は今年度以前についてだけ送付できます。何も書き出していません",
        "--as-of {fy}: FY{fy} is in the future (the current fiscal year is FY{current}); its answers could not be loaded before FY{fy}, so sheets are sent only for the current year or an earlier one. Nothing was written",
    ),
    # ------------------------------------------------------------------ schemas/rounds.py
    "rule.round": (
        "評価回: 中間2026、中間評価（2022年度）、終了時2030、事前 R3 など（事前・中間・終了時と年度）",
        "an evaluation round such as 中間2026, 中間評価（2022年度）, 終了時2030 or interim 2026 (事前, 中間 or 終了時 and a fiscal year)",
    ),
    # ------------------------------------------------------------------ schemas/recommendations.py
    "rule.recommendation_status": (
        "状況: 未着手、対応中、対応済",
        "status 未着手, 対応中 or 対応済 (not started, in progress, done)",
    ),
    "rule.one_recommendation": (
        "評価回・区分・番号ごとに1行（この組が2回あります）",
        "one row per round, section and number (this one appears twice)",
    ),
    # ------------------------------------------------------------------ kpi/present/recommendations.py
    "recommendations.none_in_round": ("{round}の指摘事項はありません", "no recommendations of the {round}"),
    "round.ex_ante": ("事前評価（{fy}年度）", "ex-ante evaluation (FY{fy})"),
    "round.interim": ("中間評価（{fy}年度）", "interim evaluation (FY{fy})"),
    "round.final": ("終了時評価（{fy}年度）", "final evaluation (FY{fy})"),
    "round.unnamed": ("評価回の記載なし", "round not named"),
    "recommendations.bad_round": (
        "--round {round} は評価回ではありません（例: 中間2022、中間評価（2026年度）、interim 2026）",
        "--round {round} is not an evaluation round (for example 中間2022, 中間評価（2026年度）, interim 2026)",
    ),
    "recommendations.none": ("指摘事項はまだ読み込まれていません", "no recommendations loaded yet"),
    "recommendation.status.not_started": ("未着手", "not started"),
    "recommendation.status.in_progress": ("対応中", "in progress"),
    "recommendation.status.done": ("対応済", "done"),
    "col.round": ("評価回", "round"),
    "col.section": ("区分", "section"),
    "col.number": ("番号", "no."),
    "col.member": ("委員", "member"),
    "col.recommendation": ("指摘事項", "recommendation"),
    "col.response": ("対処方針", "response"),
    "col.recommendation_status": ("状況", "status"),
    "col.evidence": ("対処状況", "evidence"),
    "col.status_date": ("時点", "as of"),
    "sheet.recommendations": ("指摘事項と対処状況", "Recommendations"),
    # ------------------------------------------------------------------ kpi/cli/commands/recommendations.py
    "help.recommendations": (
        "評価WGの指摘事項（問題点・改善点・今後への提言）、対処方針、対処状況を示します。"
        "未着手、対応中、対応済の順（未対応のものが先）。\n\n"
        "例: kpi recommendations · kpi recommendations --round 中間2022 --format csv",
        "The working group's recommendations, the 対処方針 and what has been done about them, the open ones first "
        "(not started, in progress, then done).\n\n"
        "Examples: kpi recommendations · kpi recommendations --round 中間2022 --format csv",
    ),
    "help.opt.recommendations_round": (
        "この評価回の指摘事項だけ（中間2022、中間評価（2026年度）など）。",
        "Only this round's recommendations (中間2022, interim 2026, …).",
    ),
    "help.opt.out_recommendations": (
        "書き出すファイル。形式は拡張子で決まります（.md .csv .json .xlsx。xlsx はファイルのみ）。",
        "File to write; its extension chooses the format (.md .csv .json .xlsx; xlsx is a file only).",
    ),
    # ------------------------------------------------------------------ kpi/present/breakdown.py
    "breakdown.note.no_values": (
        "この一覧のどのテーマにも「{by}」の値がありません。属性は設定で決めた後に読み込んだテーマ一覧から読みます。列のある一覧をもう一度読み込んでください。",
        "No theme of this list has a value of {by}: attributes are read from the theme lists loaded after the settings "
        "declare them. Load a list with the column again.",
    ),
    "breakdown.element": ("{item}（{letter}）", "{item}({letter})"),
    "col.left_out": ("対象外", "left out"),
    "breakdown.note.partition": (
        "各テーマはちょうど1つの群に入ります（一覧に値のないテーマは「（未設定）」）。群の分子・分母・件数の合計は「計」の行、"
        "すなわち kpi report の値に等しくなります。対象外は先導研究・未採択・採択取消のテーマで、どの指標にも入りません。",
        "Each theme is in exactly one group (a theme whose list gives no value: (not given)). The groups' numerators, "
        "denominators and counts sum to the total line, which is kpi report's. Left out: leading research, not yet "
        "adopted and cancelled themes, in no figure.",
    ),
    "breakdown.not_given": ("（未設定）", "(not given)"),
    "breakdown.small": ("少数（{n}件未満）", "small (under {n})"),
    "breakdown.heading": (
        "{by}別のアウトカム指標と状況 · {fy}年度末 · テーマ一覧 {date}",
        "Outcome KPIs and status by {by} · end of FY{fy} · theme list of {date}",
    ),
    "breakdown.note.small": (
        "採択テーマが{n}件未満の群は「少数」と示します（隠しません）。1件で比率が大きく動きます。設定 small_group で変えられます。",
        "A group with fewer than {n} adopted themes is marked small (not hidden): one theme moves its ratios a lot. "
        "The setting small_group changes the size.",
    ),
    "col.pending": ("結果待ち", "pending"),
    "col.share_of_adopted": ("採択テーマに占める割合", "share of adopted themes"),
    "section.breakdown_status": ("状況（群別）", "Status by group"),
    # section: kpi/figures/breakdown.py
    # ------------------------------------------------------------------ kpi/figures/breakdown.py
    "breakdown.not_groupable": (
        "--by {by}: 金額・数値の属性では群に分けられません（カテゴリ、年度、文字の属性で分けます）",
        "--by {by}: an amount or number attribute does not name groups (use a category, year or text attribute)",
    ),
    "breakdown.unknown_by": (
        "--by {by}: そのような群分けはありません。使えるもの: {choices}（属性は programme.toml の [attributes] で宣言します）",
        "--by {by}: no such grouping; expected one of: {choices} (attributes are declared under [attributes] in "
        "programme.toml)",
    ),
    # section: kpi/present/report.py
    # ------------------------------------------------------------------ schemas/schedule.py
    "rule.schedule_event": (
        "事象: 開始、ステージゲート、終了、マイルストーン",
        "event 開始, ステージゲート, 終了 or マイルストーン (start, stagegate, end, milestone)",
    ),
    "rule.schedule_name_required": (
        "マイルストーンには名称が必要です",
        "a milestone needs its name",
    ),
    "rule.schedule_name_only_milestone": (
        "名称はマイルストーンの行にだけ書きます（開始・ステージゲート・終了はテーマに1つ）",
        "only a milestone has a name (a theme has one start, stage gate and end)",
    ),
    "rule.schedule_one_event": (
        "テーマ・事象・名称ごとに1行（この組が2回あります）",
        "one row per theme, event and name (this one appears twice)",
    ),
    # ------------------------------------------------------------------ kpi/present/milestones.py
    "calendar.next": ("次の評価: {round}、あと{n}年度", "next evaluation: {round}, in {n} years"),
    "calendar.next_this_year": ("次の評価: {round}、今年度", "next evaluation: {round}, this year"),
    "calendar.none_left": ("評価の予定はすべて過ぎました", "every evaluation of the calendar has passed"),
    "schedule.status.late": ("遅れ", "late"),
    "schedule.status.not_started": ("未着手", "not started"),
    "schedule.status.on_schedule": ("予定通り", "on schedule"),
    "schedule.status.done": ("完了", "done"),
    "schedule.due": ("この年度", "this year"),
    "schedule.overdue": ("期限超過（実績なし）", "overdue (not done)"),
    "schedule.none": ("スケジュールはまだ読み込まれていません", "no schedule loaded yet"),
    "schedule.none_due": ("該当する予定はありません", "nothing due"),
    "schedule.heading": (
        "{fy}年度末時点の各テーマのスケジュール（予定・実績）",
        "each theme's schedule (planned, actual) as of FY{fy}",
    ),
    "schedule.due_heading": (
        "{fy}年度に予定された開始・ステージゲート・終了・マイルストーン: {due}件、期限超過: {overdue}件",
        "starts, stage gates, ends and milestones planned in FY{fy}: {due}; overdue: {overdue}",
    ),
    "col.start_planned": ("開始（予定）", "start (planned)"),
    "col.start_actual": ("開始（実績）", "start (actual)"),
    "col.gate_planned": ("SG（予定）", "stage gate (planned)"),
    "col.gate_actual": ("SG（実績）", "stage gate (actual)"),
    "col.end_planned": ("終了（予定）", "end (planned)"),
    "col.end_actual": ("終了（実績）", "end (actual)"),
    "col.milestones": ("マイルストーン（実績/予定）", "milestones (done/planned)"),
    "col.schedule_status": ("状況", "status"),
    "col.event": ("事象", "event"),
    "col.milestone_name": ("名称", "name"),
    "col.planned_fy": ("予定年度", "planned FY"),
    "col.due_state": ("区分", "state"),
    "sheet.schedule": ("スケジュール", "Schedule"),
    "sheet.schedule_due": ("予定と期限超過", "Due and overdue"),
    # ------------------------------------------------------------------ kpi/cli/commands/schedule.py
    "help.schedule": (
        "テーマごとの研究開発スケジュール（3-3 の予定・ステージゲート・実績）を示します: 開始・ステージゲート・終了の"
        "予定年度と実績年度、マイルストーンの実績/予定、状況（遅れ、未着手、予定通り、完了。遅れが先）。"
        "スケジュールのファイル（スケジュール.csv など: テーマ番号、事象、名称、予定年度、実績年度）を kpi load で"
        "読み込みます。kpi schedule due はその年度の予定と期限超過（予定年度を過ぎて実績なし）を示します。\n\n"
        "例: kpi schedule --as-of 2026 · kpi schedule due --as-of 2026",
        "Each theme's R&D schedule (3-3's planned, stage gate and actual): the planned and actual years of its start, "
        "stage gate and end, its milestones done of those planned, and its status (late, not started, on schedule, "
        "done; the late ones first). Load the schedule file (schedule.csv: theme_id, event, name, planned_fy, "
        "actual_fy) with kpi load. kpi schedule due lists what is due in the year and what is overdue (planned "
        "before it, not done).\n\n"
        "Examples: kpi schedule --as-of 2026 · kpi schedule due --as-of 2026",
    ),
    "help.opt.schedule_view": (
        "due: その年度（--as-of）に予定された開始・ステージゲート・終了・マイルストーンと、期限超過のものを一覧にします。",
        "due: list the starts, stage gates, ends and milestones planned in the year (--as-of) and those overdue.",
    ),
    "help.opt.out_schedule": (
        "書き出すファイル。形式は拡張子で決まります（.md .csv .json .xlsx。xlsx はファイルのみ）。",
        "File to write; its extension chooses the format (.md .csv .json .xlsx; xlsx is a file only).",
    ),
    # ------------------------------------------------------------------ kpi/present/money.py
    "money.coverage_rule": (
        "対象は先導研究と採択取消を除く採択テーマ（KPIの母数と同じ）。",
        "The themes are the adopted ones, leading research and cancelled adoptions left out (the KPIs' population).",
    ),
    "money.execution_rule": (
        "執行率は予算額と執行額の両方があるテーマの執行額計 ÷ その予算額計。",
        "The execution ratio is the execution over the budget of the themes that have both.",
    ),
    "money.no_theme_budget": (
        'テーマごとの予算額がありません。programme.toml に [attributes."予算額"] を type = "money" で宣言し、'
        "テーマ一覧に「予算額(億円)」の列を加えて読み込んでください（金額の属性が複数あるときは "
        'theme_budget = "予算額"、テーマごとの執行額は theme_executed = "執行額" で指定）。'
        "執行額あたりの論文・特許出願は事業全体の予算・執行の表から計算します。",
        'No per-theme budget: declare [attributes."予算額"] with type = "money" in programme.toml and load a theme '
        'list with a 予算額(億円) column (with more than one money attribute, name it: theme_budget = "予算額"; '
        'the execution per theme: theme_executed = "執行額"). Outputs per 100億円 come from the programme budget '
        "table.",
    ),
    "col.money_budgeted": ("予算額あり", "with a budget"),
    "col.money_budget_total": ("予算額計(億円)", "budget (億円)"),
    "col.money_paired": ("執行額あり", "with execution"),
    "col.money_paired_budget": ("その予算額(億円)", "their budget (億円)"),
    "col.money_executed": ("執行額計(億円)", "executed (億円)"),
    "col.money_rank": ("順位", "rank"),
    "col.money_budget": ("予算額(億円)", "budget (億円)"),
    "col.money_share": ("構成比", "share"),
    "col.money_cumulative": ("累積構成比", "cumulative share"),
    "col.money_top": ("上位", "largest"),
    "col.money_decile": ("十分位", "decile"),
    "col.money_theme_share": ("テーマの累積割合", "cumulative share of themes"),
    "col.money_budget_share": ("予算額の累積割合", "cumulative share of budget"),
    "col.money_finished": ("研究開発を完了したテーマ", "finished R&D"),
    "col.money_finished_budgeted": ("うち予算額あり", "of which with a budget"),
    "col.money_achieved": ("目標を達成したテーマ", "achieved"),
    "col.money_achieved_budgeted": ("達成のうち予算額あり", "achieved with a budget"),
    "col.money_finished_budget": ("完了テーマの予算額計(億円)", "budget of finished themes (億円)"),
    "col.money_per_achieved": ("達成1テーマあたり(億円)", "per achieved theme (億円)"),
    "col.money_executed_fy": ("執行額(億円)", "executed (億円)"),
    "col.money_patents": ("特許出願(国内+国外)", "patent applications (domestic + foreign)"),
    "col.money_papers_per": ("論文/100億円", "papers per 100億円"),
    "col.money_patents_per": ("特許出願/100億円", "patents per 100億円"),
    "money.top": ("上位{n}テーマ", "largest {n}"),
    "money.heading_coverage": (
        "テーマ別予算額の把握状況（{fy}年度時点、{date} の一覧、属性「{attribute}」）",
        "Per-theme budget coverage (as of FY{fy}, the list of {date}, attribute {attribute})",
    ),
    "money.executed_attribute": ("執行額: 属性「{attribute}」", "Execution: attribute {attribute}"),
    "money.heading_concentration": (
        "予算の集中度（予算額のある {n} テーマ、計 {total} 億円）",
        "Concentration of the budget ({n} themes with a budget, {total} 億円 in all)",
    ),
    "money.gini": (
        "ジニ係数: {gini}（0 は均等、1 に近いほど少数のテーマに集中）",
        "Gini coefficient: {gini} (0: equal; the nearer 1, the fewer themes hold the budget)",
    ),
    "money.heading_largest": ("予算額の大きいテーマ（上位 {n} 件）", "The largest themes (top {n})"),
    "money.heading_lorenz": ("ローレンツ表（予算額の小さい順）", "Lorenz table (smallest budgets first)"),
    "money.lorenz_rule": (
        "第d十分位: 予算額の小さい順に ⌈d × テーマ数 ÷ 10⌉ テーマまでの累積。均等なら両列が同じ値になります。",
        "Decile d: the smallest ⌈d × themes ÷ 10⌉ budgets, cumulated. Were they equal, both columns would agree.",
    ),
    "money.none_budgeted": (
        "予算額のあるテーマがありません（テーマ一覧の予算額の列が空です）。",
        "No theme has a budget (the theme list's budget column is empty).",
    ),
    "money.heading_cost": (
        "目標達成1テーマあたりの予算額（短期KPIと同じ判定）",
        "Budget per achieved theme (the themes as the short-term KPI places them)",
    ),
    "money.cost_rule": (
        "予算額のあるテーマだけで計算: 完了テーマの予算額計 ÷ 予算額のある達成テーマ数。研究開発を完了した"
        "テーマ {finished} 件のうち予算額のない {without} 件はどちらにも含みません。",
        "Over the themes with a budget only: the budget of the finished themes ÷ the achieved themes with a budget. "
        "Of the {finished} themes that finished R&D, the {without} without a budget are in neither.",
    ),
    "money.heading_outputs": (
        "執行額{per}億円あたりの論文・特許出願（年度別、事業全体の予算・執行から）",
        "Papers and patent applications per {per}億円 executed, by year (the programme's budget table)",
    ),
    "money.outputs_rule": (
        "その年度の件数 × 100 ÷ その年度の執行額。執行額のない年度は計算できません（—）。特許出願は国内＋国外"
        "（PCT出願は各国への出願ではないため含みません）。計は執行額と成果の両方がある年度の合計です。",
        "That year's count × 100 ÷ that year's execution; a year without execution is not computable (—). Patent "
        "applications are domestic + foreign (a PCT application is not a national filing). The total is over the "
        "years with both execution and outputs.",
    ),
    "money.outputs_none": (
        "予算・執行と成果（論文・特許）の表が読み込まれていません。",
        "No budget or outputs table is loaded.",
    ),
    # ------------------------------------------------------------------ kpi/cli/commands/money.py
    "help.money": (
        "テーマごとの予算額（programme.toml で宣言した金額の属性）から、把握状況、予算の集中度（上位テーマの構成比、"
        "ローレンツ表、ジニ係数）、目標達成1テーマあたりの予算額（短期KPIと同じ判定）を、また事業全体の予算・執行から"
        "年度別の執行額100億円あたりの論文・特許出願を示します。\n\n"
        "例: kpi money · kpi money --as-of 2025 --top 5 · kpi money --format csv --out money.csv",
        "Money per theme (the money attribute programme.toml declares): how many themes have a budget, how "
        "concentrated it is (the largest themes' shares, a Lorenz table, the Gini coefficient) and the budget per "
        "achieved theme (as the short-term KPI places the themes); and, from the programme's budget table, papers and "
        "patent applications per 100億円 executed, by year.\n\n"
        "Examples: kpi money · kpi money --as-of 2025 --top 5 · kpi money --format csv --out money.csv",
    ),
    "help.opt.top_money": ("予算額の大きいテーマを何件示すか。", "How many of the largest themes to list."),
    "help.opt.out_money": (
        "書き出すファイル。形式は拡張子で決まります（.md .csv .json）。",
        "File to write; its extension chooses the format (.md .csv .json).",
    ),
    # ------------------------------------------------------------------ kpi/load/calendar.py
    "rule.setting.evaluation_round": (
        "評価回ではありません: 事前・中間・終了時と年度で書きます（例: 中間2026、終了時評価（2030年度）、interim 2026）",
        "not an evaluation round: write 事前, 中間 or 終了時 and a fiscal year (for example 中間2026, 終了時評価（2030年度）, interim 2026)",
    ),
    "rule.setting.evaluation_outside_period": (
        "評価回の年度が事業期間（period）の外です",
        "the round's fiscal year is outside the programme's period (period)",
    ),
}

_FIELDS = string.Formatter()


def placeholders(template: str) -> set[str]:
    """The {names} a template fills."""
    return {name.split("!")[0].split(".")[0] for _, name, _, _ in _FIELDS.parse(template) if name}


def lang_from_env() -> Lang:
    """$KPI_LANG when it names a language, else Japanese."""
    value = os.environ.get("KPI_LANG", "").strip().lower()
    return Lang(value) if value in Lang.__members__ else DEFAULT_LANG


CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
SHOWN = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def inert(value: str) -> str:
    """Text from outside (a file name, a path, a cell) with its control characters shown as escapes: a line break
    in a file's name cannot start a second, forged line of a log."""
    return CONTROL.sub(
        lambda m: SHOWN.get(
            m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}"
        ),
        value,
    )


def text(key: str, lang: Lang | str = DEFAULT_LANG, /, **params: Any) -> str:
    """The words of `key` in `lang`, filled with `params` (text and paths among them made inert)."""
    ja, en = WORDS[key]
    template = en if Lang(lang) is Lang.en else ja
    if not params and "{" not in template:
        return template
    return template.format(**{k: inert(str(v)) if isinstance(v, str | PurePath) else v for k, v in params.items()})


class Words:
    """The catalogue in one language: `words("key", **params)`."""

    def __init__(self, lang: Lang | str = DEFAULT_LANG) -> None:
        self.lang = Lang(lang)

    def __call__(self, key: str, /, **params: Any) -> str:
        return text(key, self.lang, **params)

    def has(self, key: str) -> bool:
        return key in WORDS
