"""Unit tests of shanxi_analysis.plots: the charts draw the data they are given, highlight the province in focus,
keep gaps as gaps and carry a source line.  Expected values come from hand-made frames."""

from __future__ import annotations

import subprocess
import sys

import matplotlib

matplotlib.use("Agg")

import matplotlib.colors as mcolors  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from shanxi_analysis import analysis, plots  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


TABLE = pd.DataFrame({"province": ["A", "Shanxi", "C"], "adcode": [1, 140000, 3],
                      "fai_growth_pct": [12.0, 10.6, -63.5], "rank": [1, 2, 3],
                      "revision_artefact": [False, False, True]})


def _by_gid(ax, gid):
    return [a for a in ax.get_children() if a.get_gid() == gid]


def test_growth_bars_highlight_and_national_line():
    fig, ax = plots.figure()
    nat = analysis.NationalGrowth(2020, 2.9, "excluding rural households", False)
    plots.growth_bars(ax, TABLE, "Shanxi", nat, title="t")
    bars = _by_gid(ax, "growth-bars")
    assert [b.get_width() for b in bars] == [12.0, 10.6, -63.5]
    colors = [mcolors.to_hex(b.get_facecolor()) for b in bars]
    assert colors == [plots.GREY, plots.HIGHLIGHT, plots.GREY]
    assert bars[2].get_hatch() == "///"  # revision artefact
    line = _by_gid(ax, "national")[0]
    assert line.get_xdata()[0] == 2.9
    assert "excluding rural households" in ax.get_legend().get_texts()[0].get_text()


def test_growth_bars_without_national_draws_no_line():
    fig, ax = plots.figure()
    plots.growth_bars(ax, TABLE, "Shanxi", None, title="t")
    assert not _by_gid(ax, "national") and ax.get_legend() is None


def test_monthly_chart_keeps_gaps():
    nat = pd.DataFrame({"end_month": [2, 3, 4, 5], "cum_growth_pct": [-24.5, -16.1, -10.3, -6.3],
                        "derived": False, "source_desc": "NBS"})
    prov = pd.DataFrame({"end_month": [2, 3, 4, 5], "cum_growth_pct": [np.nan, np.nan, 6.7, 8.3],
                         "derived": [False, False, False, True],
                         "source_desc": ["", "", "China Daily citing Shanxi Development and Reform Commission", "x"]})
    fig, ax = plots.figure()
    plots.monthly_chart(ax, nat, prov, "Shanxi", title="t")
    line = _by_gid(ax, "province-path")[0]
    y = np.asarray(line.get_ydata(), dtype=float)
    assert np.isnan(y[:2]).all() and list(y[2:]) == [6.7, 8.3]  # NaN kept: matplotlib breaks the line there
    texts = [t.get_text() for t in ax.texts]
    assert "DRC" in texts and "DERIVED" in texts
    assert len(_by_gid(ax, "province-gaps")[0].get_offsets()) == 2


def test_breakdown_bars_clip_states_value():
    t = pd.DataFrame({"name_en": ["it", "mining"], "growth_pct": [574.0, -7.2]})
    fig, ax = plots.figure()
    plots.breakdown_bars(ax, t, reference=18.4, reference_label="r", title="t", clip_at=100)
    assert ax.get_xlim()[1] == 100
    assert any("574.0%" in x.get_text() and "cut" in x.get_text() for x in ax.texts)
    assert any(x.get_text() == "\u22127.2%" for x in ax.texts)


def test_scale_scatter_highlights_focus():
    t = pd.DataFrame({"province": ["A", "Shanxi"], "fai_growth_pct": [1.0, 10.6], "gdp_100m_yuan": [100.0, 200.0]})
    fig, ax = plots.figure()
    plots.scale_scatter(ax, t, "Shanxi", "gdp_100m_yuan", xlabel="x", title="t")
    focus = _by_gid(ax, "focus")[0]
    assert list(focus.get_offsets()[0]) == [200.0, 10.6]
    assert mcolors.to_hex(focus.get_facecolor()[0]) == plots.HIGHLIGHT


def test_verdict_chart_counts():
    fig, ax = plots.figure()
    plots.verdict_chart(ax, {"unverifiable": 10, "confirmed": 4, "contradicted": 2}, title="t")
    bars = _by_gid(ax, "verdicts")
    assert [b.get_height() for b in bars] == [4, 2, 10]  # confirmed, contradicted, unverifiable


def test_source_line_lists_publishers_without_chinese():
    df = pd.DataFrame({"a": [1]})
    df.attrs["sources"] = [{"publisher": "NBS", "published": "2023-01-30", "title": "Growth (省:同比)"},
                           {"publisher": "shanxi-analysis, notes", "title": "internal"},
                           {"publisher": "NBS", "published": "2023-01-30", "title": "Growth (省:同比)"}]
    assert plots.source_text(df) == "Source: NBS (2023-01-30), Growth"
    fig, ax = plots.figure()
    text = plots.add_source(ax, df, note="A caveat")
    assert text.get_text().endswith("A caveat") and text.get_gid() == "source"


def test_theme_and_save_are_stable(tmp_path):
    plots.set_theme()
    assert matplotlib.rcParams["figure.dpi"] == plots.DPI
    out = []
    for i in range(2):
        fig, ax = plots.figure(size=(3, 2))
        ax.plot([1, 2], [3, 4])
        p = tmp_path / f"{i}.png"
        plots.save(fig, p)
        out.append(p.read_bytes())
    assert out[0] == out[1]


def test_import_package_does_not_load_plotting():
    code = "import sys, shanxi_analysis as sa; sa.analysis; sa.fmt; print('matplotlib' in sys.modules)"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "False"
