"""The charts: PNG size and resolution, Japanese drawn with the bundled font (not boxes), SVG, the schedule."""

from __future__ import annotations

import io
import re
import subprocess
import sys
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from kit import ROOT
from matrix import some_in_default
from PIL import Image

from kpi.db.connect import open_for_read
from kpi.figures.report import Report, schedule
from kpi.figures.report import report as build
from kpi.figures.schedule import Schedule
from kpi.present import charts
from kpi.present.catalogue import WORDS, Words

AS_OF = 2025
FOLLOWUPS = "テーマID,調査年度,段階\nT1-002,2024,開発\nT1-002,2025,上市\nT1-001,2025,製品化\nT1-003,2026,上市\n"


def load(tmp: Path, extra: dict[str, str] | None = None) -> Path:
    """A database of the sample data (plus any extra files), made by the real CLI in a subprocess."""
    db = tmp / "k.duckdb"
    files = [str(ROOT / "sample_data")]
    for name, text in (extra or {}).items():
        (tmp / name).write_text(text, encoding="utf-8")
        files.append(str(tmp / name))
    subprocess.run([sys.executable, "-m", "kpi", "load", "--db", str(db), *files], check=True, capture_output=True)
    return db


def figures(db: Path, as_of: int) -> tuple[Report, Schedule]:
    """The report and the long-term schedule of one as-of year."""
    with open_for_read(db) as con:
        rep = build(con, as_of)
        return rep, schedule(con, rep)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample data's report and long-term schedule as of FY2025."""
    db = load(tmp_path_factory.mktemp("charts-db"))
    rep, schedule = figures(db, AS_OF)
    return {"db": db, "report": rep, "schedule": schedule}


def png(report: Report, name: str, lang: str, schedule: Schedule) -> Image.Image:
    """A chart rendered to PNG bytes and opened."""
    return Image.open(io.BytesIO(charts.render(report, name, Words(lang), "png", schedule)))


@pytest.mark.parametrize("lang", some_in_default(["ja", "en"], 1))
@pytest.mark.parametrize("name", some_in_default(charts.CHARTS, 2))
def test_png_is_300_dpi_at_its_size(sample: dict[str, Any], name: str, lang: str) -> None:
    """A 300 dpi PNG of the chart's size in inches (16:9 or 4:3, for slides and Word)."""
    img = png(sample["report"], name, lang, sample["schedule"])
    width, height = charts.SIZES[name]
    assert img.format == "PNG"
    assert img.size == (round(width * 300), round(height * 300))
    assert img.info["dpi"] == pytest.approx((300, 300), abs=0.01)
    assert len(img.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 20  # drawn, not blank


def test_svg_has_glyphs_as_outlines_and_no_timestamp(kpi, sample: dict[str, Any], tmp_path: Path) -> None:
    """`kpi chart … --out FILE.SVG` writes SVG whose text is drawn as paths (no font needed where it is opened)."""
    path = tmp_path / "short.SVG"
    result = kpi("chart", "short_term", "--db", str(sample["db"]), "--as-of", "2025", "--out", str(path))
    assert result.returncode == 0, result.stderr
    text = path.read_text(encoding="utf-8")
    assert "<svg" in text and "<text" not in text and "<path" in text
    assert "<dc:date>" not in text  # no timestamp: the same data gives the same file
    again = charts.render(sample["report"], "short_term", Words("ja"), "svg", sample["schedule"])
    assert again == path.read_bytes()


def test_bad_names_formats_and_suffixes_are_refused(kpi, sample: dict[str, Any], tmp_path: Path) -> None:
    """Unknown chart names and formats fail in the library; the command refuses a bad suffix with exit 2."""
    rep, w = sample["report"], Words("ja")
    with pytest.raises(ValueError, match="short_term, long_term, budget, status"):
        charts.render(rep, "pie", w, "png")
    with pytest.raises(ValueError, match="png or svg"):
        charts.render(rep, "budget", w, "pdf")
    with pytest.raises(ValueError, match="maturity schedule"):
        charts.render(rep, "long_term", w, "png")
    with pytest.raises(ValueError):
        Words("fr")
    result = kpi("chart", "budget", "--db", str(sample["db"]), "--out", str(tmp_path / "b.pdf"))
    assert result.returncode == 2 and ".png / .svg" in result.stderr
    assert kpi("chart", "pie", "--db", str(sample["db"]), "--out", str(tmp_path / "p.png")).returncode == 2
    assert not list(tmp_path.iterdir())


# ---------------------------------------------------------------- Japanese text: the bundled font, no boxes


def test_every_title_character_is_in_the_bundled_font(sample: dict[str, Any]) -> None:
    """matplotlib-fontja's IPAexGothic has a glyph for each character of every Japanese title and label."""
    from matplotlib.ft2font import FT2Font

    font = FT2Font(charts.font_path())
    texts = [charts.title(sample["report"], n, Words("ja")) for n in charts.CHARTS]
    texts += [ja for key, (ja, _) in WORDS.items() if key.startswith(("chart.", "group.", "item.", "mark."))]
    missing = {ch for text in texts for ch in text if not ch.isspace() and font.get_char_index(ord(ch)) == 0}
    assert missing <= set("{}"), missing  # format placeholders only


@pytest.mark.parametrize("name", charts.CHARTS)
def test_no_glyph_is_missing_when_drawing(sample: dict[str, Any], name: str, caplog: pytest.LogCaptureFixture) -> None:
    """Drawing a Japanese chart raises no 'Glyph … missing from font' warning and no findfont complaint."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png(sample["report"], name, "ja", sample["schedule"])
    assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
    assert [r.getMessage() for r in caplog.records if "findfont" in r.getMessage()] == []


def test_missing_glyph_detector_works() -> None:
    """The check above is not blind: Japanese set in DejaVu Sans (no CJK) does warn."""
    from matplotlib.figure import Figure

    with charts.style(), warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig = Figure()
        fig.text(0.1, 0.5, "研究開発", family="DejaVu Sans")
        fig.savefig(io.BytesIO(), format="png")
    assert any("missing from font" in str(w.message) for w in caught)


def _title_pixels(report: Report, name: str, schedule: Schedule, font: Any = None) -> np.ndarray:
    """The chart as saved at 300 dpi, cut to the ink of its title; font replaces the title's font when given."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    title = charts.title(report, name, Words("ja"))
    with charts.style(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the DejaVu variant warns about the missing glyphs, as it should
        fig = charts.figure(report, name, Words("ja"), schedule)
        (artist,) = [t for t in fig.findobj(Text) if isinstance(t, Text) and t.get_text() == title]
        if font is not None:
            artist.set_fontproperties(font)
        canvas = FigureCanvasAgg(fig)
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=charts.DPI, facecolor="white")
        box = artist.get_window_extent(canvas.get_renderer()).transformed(fig.transFigure.inverted())
    img = np.asarray(Image.open(buf).convert("L"))
    h, w = img.shape
    region = img[
        max(int((1 - box.y1) * h) - 6, 0) : int((1 - box.y0) * h) + 6, max(int(box.x0 * w) - 6, 0) : int(box.x1 * w) + 6
    ]
    ys, xs = np.nonzero(region < 128)
    assert len(xs), f"no ink where the title of {name} should be"
    return region[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1].astype(int)


@pytest.mark.parametrize("name", some_in_default(charts.CHARTS, 2))
def test_japanese_title_is_drawn_not_boxes(sample: dict[str, Any], name: str) -> None:
    """The saved title matches the same title drawn from the bundled font file, and not the boxes of a CJK-less font.

    Three renders of the same chart differ only in the title's font: as shipped, forced to matplotlib-fontja's
    ipaexg.ttf by file path, and forced to DejaVu Sans (which has no CJK glyphs and draws boxes).
    """
    from matplotlib.font_manager import FontProperties

    rep, sch = sample["report"], sample["schedule"]
    shipped = _title_pixels(rep, name, sch)
    bundled = _title_pixels(rep, name, sch, FontProperties(fname=charts.font_path(), size=11))
    boxes = _title_pixels(rep, name, sch, FontProperties(family="DejaVu Sans", size=11))
    assert shipped.shape == bundled.shape
    assert np.abs(shipped - bundled).mean() < 1.0  # the same glyphs, pixel for pixel
    # Boxes are another width altogether, and where they overlap the picture is nothing alike.
    assert abs(boxes.shape[1] - shipped.shape[1]) > 0.08 * shipped.shape[1]
    overlap = min(boxes.shape[1], shipped.shape[1]), min(boxes.shape[0], shipped.shape[0])
    assert np.abs(shipped[: overlap[1], : overlap[0]] - boxes[: overlap[1], : overlap[0]]).mean() > 20


def test_boxes_look_alike_and_real_glyphs_do_not() -> None:
    """Why the comparison is meaningful: in DejaVu Sans two different words draw the same boxes; in IPAexGothic not."""
    from matplotlib.figure import Figure

    def draw(text: str, family: str) -> np.ndarray:
        with charts.style(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fig = Figure(figsize=(3, 0.6))
            fig.text(0.05, 0.3, text, family=family, fontsize=14)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=100, facecolor="white")
        return np.asarray(Image.open(buf).convert("L")).astype(int)

    assert np.array_equal(draw("予算執行", "DejaVu Sans"), draw("研究開発", "DejaVu Sans"))
    assert np.abs(draw("予算執行", charts.FONT_FAMILY) - draw("研究開発", charts.FONT_FAMILY)).mean() > 1


# ---------------------------------------------------------------- data behind the charts


def test_chart_labels_follow_the_language(sample: dict[str, Any]) -> None:
    """--lang en draws English titles and axis labels; ja draws Japanese and the 和暦 of each year."""
    from matplotlib.text import Text

    def texts(lang: str, name: str) -> str:
        with charts.style():
            fig = charts.figure(sample["report"], name, Words(lang), sample["schedule"])
            fig.savefig(io.BytesIO(), format="svg")  # lays the figure out, so every tick label exists
        return "\n".join(t.get_text() for t in fig.findobj(Text))

    assert "Short-term ratio by fiscal year" in texts("en", "short_term") and "FY2025" in texts("en", "short_term")
    ja = texts("ja", "short_term")
    assert "短期指標の推移" in ja and "(R7)" in ja and "目標 80%" in ja and "69.6%\n39/56" in ja
    assert "追跡調査データなし" in texts("ja", "long_term")  # the sample has no follow-up survey: not 0%
    assert "2031年度以降" in texts("ja", "long_term")
    assert "※" in texts("ja", "budget") and "82.4%" in texts("ja", "budget")
    assert "① g" in texts("ja", "status") and "遅延・未達" in texts("ja", "status")


def test_schedule_without_followups(sample: dict[str, Any]) -> None:
    """Every adopted theme reaches its 3-year point in one year shown or in the 'later' bar; nothing is measured."""
    rep, sch = sample["report"], sample["schedule"]
    years = sch.years
    official, matured = rep.outcome["long_term"], rep.outcome["long_term_matured"]
    assert sch.horizon_years == 3 and sch.until_fy == 2030 and not sch.has_followups
    assert years[0].fy == AS_OF and years[-1].fy == 2030
    assert sum(y.reaching for y in years) + sch.later == official.denominator == 115
    # the one theme past its point (T1-002) awaits its survey: matured, not in the KPI's denominator
    assert (years[0].matured, years[0].measured, years[0].pending) == (1, matured.denominator, 1)
    assert matured.denominator == 0
    assert all(y.ratio is None and y.commercialised is None for y in years)
    assert [y.matured for y in years] == sorted(y.matured for y in years)


@pytest.mark.slow  # (the sample with surveys loaded: 2 s; CI's slow step)
def test_schedule_with_followups_agrees_with_the_matured_kpi(tmp_path: Path) -> None:
    """With surveys loaded, the row of each as-of year equals the matured KPI; later years stay unmeasured."""
    from fractions import Fraction

    db = load(tmp_path, {"followups.csv": FOLLOWUPS})
    for as_of in (2025, 2026, 2028):
        rep, sch = figures(db, as_of)
        row = next(y for y in sch.years if y.fy == as_of)
        matured = rep.outcome["long_term_matured"]
        assert (row.measured, row.commercialised, row.ratio) == (matured.denominator, matured.numerator, matured.ratio)
        assert row.pending == matured.placement.pending
        assert all(y.ratio is None for y in sch.years if y.fy > as_of)
    rep, sch = figures(db, 2025)
    first = sch.years[0]
    assert (first.fy, first.reaching, first.matured, first.commercialised, first.ratio) == (2025, 1, 1, 1, Fraction(1))
    img = Image.open(io.BytesIO(charts.render(rep, "long_term", Words("ja"), "png", sch)))
    assert img.size == (1920, 1440)


def test_inline_svg_prefixes_ids_and_drops_the_prologue(sample: dict[str, Any]) -> None:
    """The SVG for HTML has no XML prologue or metadata, ids under its own prefix, and an accessible label."""
    svgs = charts.svgs(sample["report"], Words("ja"), sample["schedule"])
    assert list(svgs) == list(charts.CHARTS)
    for name, svg in svgs.items():
        assert svg.startswith('<svg viewBox="0 0 ') and f'id="kpi-{name}"' in svg
        assert f'aria-label="{charts.title(sample["report"], name, Words("ja"))}"' in svg
        assert "<?xml" not in svg and "<!DOCTYPE" not in svg and "<metadata" not in svg and "://" not in svg
        ids = re.findall(r'\bid="([^"]+)"', svg)
        assert all(i.startswith(f"kpi-{name}") for i in ids)


# ---------------------------------------------------------------- per group (kpi chart … --by)


def drawn_texts(svg: str) -> list[str]:
    """The texts of an SVG chart, in drawing order: matplotlib precedes each text's outlines with it as a comment."""
    return re.findall(r"<!-- (.*?) -->", svg, re.DOTALL)


def test_short_term_by_field_labels_each_group_with_its_counts_and_the_whole_last(kpi, grouped_store: Path) -> None:
    """`kpi chart short_term --by 分野` draws a bar per declared value (in order), then (未設定), then the whole;
    each bar says its ratio and exact counts, a group without a countable theme says why (not 0%), small groups are
    marked, and the target is drawn."""
    out = grouped_store.parent / "short_by.svg"
    args = ("chart", "short_term", "--by", "分野", "--db", str(grouped_store), "--as-of", "2026", "--out", str(out))
    result = kpi(*args, "--force")
    assert result.returncode == 0, result.stderr
    texts = drawn_texts(out.read_text(encoding="utf-8"))
    assert "短期: 目標達成 / 研究開発完了（分野別）" in texts
    bars = [t for t in texts if "/" in t and ("%" in t or "未算出" in t)]
    assert bars == ["50.0%  1/2", "100.0%  1/1", "分母0: 未算出  0/0", "分母0: 未算出  0/0", "66.7%  2/3"]
    names = ["通信（少数）", "AI（少数）", "光（少数）", "（未設定）（少数）", "計"]
    assert [t for t in texts if t in names] == names  # the y-axis, top to bottom: the whole last
    assert "目標 80%" in texts
    assert any(t.startswith("（少数）: 採択テーマが3件未満の群") for t in texts)


@pytest.mark.slow
def test_status_by_company_size_stacks_each_group_and_gives_its_share(kpi_en, grouped_store: Path) -> None:
    """`kpi chart status --by 企業規模`: each group's status groups stacked, its adopted themes and share at the
    bar's end (the SME share), the whole last with every adopted theme."""
    out = grouped_store.parent / "status_by.svg"
    args = ("chart", "status", "--by", "企業規模", "--db", str(grouped_store), "--as-of", "2026", "--out", str(out))
    result = kpi_en(*args, "--force")
    assert result.returncode == 0, result.stderr
    texts = drawn_texts(out.read_text(encoding="utf-8"))
    assert "Status of themes by 企業規模 (leading research excluded)" in texts
    shares = [t for t in texts if re.fullmatch(r"\d+ \(\d+\.\d%\)", t)]
    assert shares == ["2 (40.0%)", "2 (40.0%)", "1 (20.0%)"]  # 大企業, 中小企業 (the SME share), (not given)
    assert texts[texts.index(shares[-1]) + 1] == "5"  # the whole's bar ends in every adopted theme
    names = ["大企業 (small)", "中小企業 (small)", "(not given) (small)", "total"]
    assert [t for t in texts if t in names] == names
    assert {"achieved", "on track", "delayed or not achieved"} <= set(texts)  # the legend


@pytest.mark.slow
def test_long_term_by_item_without_surveys_says_so_in_each_bar(kpi, sample_store: Path, tmp_path: Path) -> None:
    """Without a follow-up survey, each group's matured long-term ratio is an empty bar saying it is not computed
    (not 0%); the whole's too."""
    out = tmp_path / "long_by.svg"
    result = kpi("chart", "long_term", "--by", "item", "--db", str(sample_store), "--as-of", "2025", "--out", str(out))
    assert result.returncode == 0, result.stderr
    texts = drawn_texts(out.read_text(encoding="utf-8"))
    assert "長期: 実用化 / 3年経過テーマ（研究開発項目別）" in texts
    groups = [t for t in texts if re.fullmatch(r"[①-⑨](（少数）)?", t)]
    assert groups[:3] == ["①", "②", "③（少数）"] and "計" in texts
    said = [t for t in texts if t.startswith("追跡調査データなし: 未算出（0%ではない）  —/")]
    assert len(said) == len(groups) + 1  # each group's bar and the whole's
    assert not any(t.startswith("0.0%") for t in texts)


def test_budget_and_cohorts_by_group_are_refused_before_any_work(kpi_en, tmp_path: Path) -> None:
    """--by on a chart without groups is a usage error (exit 2) naming the charts that have them; nothing is read
    (the database does not exist) and nothing written."""
    for name in ("budget", "cohorts"):
        out = tmp_path / f"{name}.png"
        result = kpi_en("chart", name, "--by", "分野", "--db", str(tmp_path / "none.duckdb"), "--out", str(out))
        assert result.returncode == 2, result.stderr
        assert f"--by does not apply to the {name} chart" in result.stderr
        assert "short_term, long_term, status" in result.stderr
    assert not list(tmp_path.iterdir())


@pytest.mark.slow
def test_every_chart_by_group_is_drawn_in_both_languages_without_missing_glyphs(grouped_store: Path) -> None:
    """Each chart by group draws as PNG in Japanese and English with every glyph in the bundled font."""
    from kpi.figures.breakdown import breakdown

    with open_for_read(grouped_store) as con:
        found = breakdown(con, "分野", 2026)
    for lang in ("ja", "en"):
        for name in charts.BY_CHARTS:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                img = Image.open(io.BytesIO(charts.render_breakdown(found, name, Words(lang), "png", "P")))
            assert [str(w.message) for w in caught if "missing from font" in str(w.message)] == []
            assert img.info["dpi"] == pytest.approx((300, 300), abs=0.01)
            assert len(img.convert("RGB").getcolors(maxcolors=1 << 20) or []) > 20


@pytest.mark.slow  # (1 s: matplotlib's import; CI's slow step)
def test_a_chart_of_more_groups_than_can_be_read_is_refused(kpi_en, load, tmp_path: Path) -> None:
    """`kpi chart … --by` draws at most MOST_BARS groups: beyond, a usage error naming `kpi report --by`, nothing
    written (a text attribute of 12,000 values once drew for three minutes)."""
    from kit import SAMPLE, THEMES_HEADER, theme, themes_csv

    from kpi.present.charts import MOST_BARS

    settings = (SAMPLE / "programme.toml").read_text(encoding="utf-8") + '\n[attributes."メモ"]\ntype = "text"\n'
    rows = [theme(f"T{i}") + f",m{i}" for i in range(MOST_BARS + 1)]
    db = load({"programme.toml": settings, "themes_2026-03-31.csv": themes_csv(rows, THEMES_HEADER + ",メモ")})
    out = tmp_path / "c.png"
    result = kpi_en("chart", "short_term", "--db", str(db), "--by", "メモ", "--out", str(out))
    assert result.returncode == 2 and f"{MOST_BARS + 1} groups: too many" in result.stderr and not out.exists()
