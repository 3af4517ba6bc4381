"""How charts look: one theme, one highlight colour, a source line under every chart, and the report's charts.

Call :func:`set_theme` once per notebook.  The province in focus is always drawn in :data:`HIGHLIGHT`, every
other province in :data:`GREY`, the national figure in :data:`NATIONAL`.  Chart functions take an Axes and
already-computed tables (from :mod:`shanxi_analysis.analysis`) and a ``title`` that states the finding; they
never compute or alter a figure, and a missing value is drawn as a gap, never joined by a line.

This module imports matplotlib and seaborn at its top; ``import shanxi_analysis`` does not load it until a
notebook asks for ``shanxi_analysis.plots``.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.text  # noqa: F401  (mpl.text)
import matplotlib.pyplot as plt
import matplotlib.ticker  # noqa: F401  (mpl.ticker)
import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from . import fmt

#: The province in focus, everywhere.
HIGHLIGHT = "#d62728"
#: Every other province.
GREY = "#b8b8b8"
#: The national figure.
NATIONAL = "#1f3b73"
#: Text of source lines and notes.
NOTE_GREY = "#555555"
#: Colours of claim verdicts.
VERDICT_COLORS = {"confirmed": "#3b7d3b", "contradicted": "#b2182b", "unverifiable": "#9a9a9a"}
#: Default figure size (inches) and resolution: small inline PNGs keep the HTML reports light.
FIGSIZE = (8.0, 6.0)
DPI = 100


def set_theme() -> None:
    """Apply the reports' seaborn theme (white grid, notebook context, 8x6 in at 100 dpi)."""
    sns.set_theme(style="whitegrid", context="notebook", rc={
        "figure.figsize": FIGSIZE, "figure.dpi": DPI, "savefig.dpi": DPI, "axes.titlesize": 12,
        "axes.titleweight": "bold", "axes.titlelocation": "left", "axes.labelsize": 10,
        "xtick.labelsize": 9, "ytick.labelsize": 9, "legend.fontsize": 9, "legend.frameon": False,
        "svg.hashsalt": "shanxi-analysis",
    })


def figure(nrows: int = 1, ncols: int = 1, *, size: tuple[float, float] = FIGSIZE, **kw: Any):
    """A new figure and axes in the report size (``plt.subplots`` with constrained layout)."""
    return plt.subplots(nrows, ncols, figsize=size, dpi=DPI, layout="constrained", **kw)


# --------------------------------------------------------------------------------------------- sources
def _sources_of(obj: Any) -> list[dict]:
    if isinstance(obj, pd.DataFrame):
        return list(obj.attrs.get("sources", []))
    if isinstance(obj, Mapping):
        return [dict(obj)]
    return [dict(s) for s in obj]


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_GROUP = re.compile(rf"\s*[(（][^()（）]*[{_CJK}][^()（）]*[)）]")
_CJK_RUN = re.compile(rf"[{_CJK}][{_CJK}:：\s]*")


def latin(text: str) -> str:
    """``text`` without Chinese characters (the chart fonts have no CJK glyphs): parenthesised groups that
    contain Chinese are dropped, other runs of Chinese removed.  The full titles stay in the data manifest."""
    text = _CJK_GROUP.sub("", text)
    text = _CJK_RUN.sub("", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def source_text(*objs: Any, note: str | None = None, width: int = 120) -> str:
    """The source line printed under a chart: the publishers (with date and title) of every input.

    Parameters
    ----------
    *objs : DataFrame, dict or list of dict
        Datasets (their ``attrs["sources"]``) or provenance records.
    note : str, optional
        A sentence appended after the sources (e.g. a caveat).
    width : int, default 120
        Wrap width in characters.

    Returns
    -------
    str
        ``"Source: <publisher> (<published>), <title>; ..."``, duplicates removed, wrapped.
    """
    seen, parts = set(), []
    for obj in objs:
        for s in _sources_of(obj):
            publisher = (s.get("publisher") or "").strip()
            if publisher.startswith("shanxi-analysis"):  # the project's own annotation files
                continue
            item = publisher + (f" ({s['published']})" if s.get("published") else "")
            if s.get("title"):
                item += f", {s['title']}"
            if item and item not in seen:
                seen.add(item)
                parts.append(item)
    text = "Source: " + ("; ".join(latin(p) for p in parts) if parts else "not recorded")
    if note:
        text += ". " + note
    return "\n".join(textwrap.wrap(text, width=width))


def add_source(target: Axes | Figure, *objs: Any, note: str | None = None) -> mpl.text.Text:
    """Print the source line under a figure.

    Parameters
    ----------
    target : Axes or Figure
        The chart (its figure gets the text).
    *objs
        As :func:`source_text`.
    note : str, optional
        A caveat appended to the sources.

    Returns
    -------
    matplotlib.text.Text
        The text artist (``gid="source"``), placed below the figure's lower edge, which the inline backend's
        tight bounding box includes.
    """
    fig = target.figure if isinstance(target, Axes) else target
    width = int(fig.get_figwidth() * 15)
    return fig.text(0.0, -0.01, source_text(*objs, note=note, width=width), ha="left", va="top", fontsize=7.5,
                    color=NOTE_GREY, gid="source")


def show(fig: Figure) -> None:
    """Display a figure inline once and close it (no duplicate output, no memory build-up)."""
    from IPython.display import display

    display(fig)
    plt.close(fig)


def save(fig: Figure, path) -> None:
    """Save a figure with fixed dpi, a tight box and no software stamp, so equal charts give equal bytes."""
    fig.savefig(path, dpi=DPI, bbox_inches="tight", metadata={"Software": None})


def _title(ax: Axes, title: str, width: int = 70) -> None:
    ax.set_title("\n".join(textwrap.wrap(title, width=width)))


# --------------------------------------------------------------------------------------------- charts
def growth_bars(ax: Axes, table: pd.DataFrame, province: str, national: Any | None, *, title: str) -> None:
    """Horizontal bars of every province's growth in a year, fastest on top, the province highlighted.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        :func:`shanxi_analysis.analysis.year_table` (sorted, fastest first).
    province : str
        The province in focus (drawn in :data:`HIGHLIGHT`).
    national : analysis.NationalGrowth or None
        Drawn as a vertical line labelled with its scope; nothing is drawn when None.
    title : str
        The finding.
    """
    y = np.arange(len(table))
    colors = [HIGHLIGHT if p == province else GREY for p in table["province"]]
    bars = ax.barh(y, table["fai_growth_pct"], color=colors, height=0.75, gid="growth-bars")
    for bar, flagged in zip(bars, table["revision_artefact"]):
        if flagged:
            bar.set_hatch("///")
            bar.set_edgecolor(NOTE_GREY)
    labels = [p + (" *" if f else "") for p, f in zip(table["province"], table["revision_artefact"])]
    ax.set_yticks(y, labels)
    for lbl, p in zip(ax.get_yticklabels(), table["province"]):
        if p == province:
            lbl.set_color(HIGHLIGHT)
            lbl.set_fontweight("bold")
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=8)
    ax.axvline(0, color="black", lw=0.8)
    if national is not None:
        ax.axvline(national.value, color=NATIONAL, lw=1.5, ls="--", gid="national",
                   label=f"{national.label}: {fmt.pct(national.value)}")
        ax.legend(loc="lower right")
    ax.set_xlabel("Fixed-asset investment growth, % year on year")
    ax.set_ylabel("")
    ax.grid(axis="y", visible=False)
    _title(ax, title)


def rank_history_chart(axes: Sequence[Axes], history: pd.DataFrame, best: pd.DataFrame, year: int,
                       changes: Sequence[tuple[int, str]], *, title: str) -> None:
    """The province's growth (top) and rank (bottom, 1 on top) over the series.

    Parameters
    ----------
    axes : two Axes
        Growth panel and rank panel (share the x axis).
    history : DataFrame
        :func:`shanxi_analysis.analysis.rank_history`.
    best : DataFrame
        :func:`shanxi_analysis.analysis.best_years` (marked with stars).
    year : int
        The report year (shaded).
    changes : list of (int, str)
        :func:`shanxi_analysis.analysis.scope_changes` (dotted vertical lines).
    title : str
        The finding.
    """
    ax_g, ax_r = axes
    ax_g.plot(history["year"], history["fai_growth_pct"], color=HIGHLIGHT, marker="o", ms=3.5, lw=1.5,
              gid="growth-line")
    rank = history["rank"].astype("float")
    ax_r.plot(history["year"], rank, color=HIGHLIGHT, marker="o", ms=3.5, lw=1.5, gid="rank-line")
    if not best.empty:
        ax_r.scatter(best["year"], best["rank"].astype(float), marker="*", s=160, color=HIGHLIGHT,
                     edgecolor="black", zorder=5, gid="best-years",
                     label=f"best rank ({fmt.ordinal(int(best['rank'].iloc[0]))}): "
                           + fmt.join(str(y) for y in best["year"]))
    art = history[history["revision_artefact"]]
    if not art.empty:
        ax_g.scatter(art["year"], art["fai_growth_pct"], marker="X", s=70, color="black", zorder=5,
                     label="revision artefact (as published)", gid="artefacts")
    for ax in axes:
        ax.axvspan(year - 0.5, year + 0.5, color=HIGHLIGHT, alpha=0.12, lw=0)
        for y, _ in changes:
            ax.axvline(y - 0.5, color=NOTE_GREY, ls=":", lw=1.2)
    for y, scope in changes:
        ax_g.annotate(f"scope change {y}", xy=(y - 0.5, 1.0), xycoords=("data", "axes fraction"),
                      xytext=(3, -3), textcoords="offset points", fontsize=7.5, color=NOTE_GREY, va="top")
    ax_g.axhline(0, color="black", lw=0.8)
    ax_g.set_ylabel("Growth, % year on year")
    n_max = int(history["n_ranked"].max()) if history["n_ranked"].notna().any() else 31
    ax_r.set_ylim(n_max + 1, 0)
    ax_r.set_yticks([1, 5, 10, 15, 20, 25, 30][: sum(t <= n_max for t in [1, 5, 10, 15, 20, 25, 30])])
    ax_r.set_ylabel(f"Rank among provinces\n(1 = fastest)")
    ax_r.set_xlabel("Year")
    for ax in axes:
        handles, _ = ax.get_legend_handles_labels()
        if handles:
            ax.legend(loc="lower left")
    _title(ax_g, title)


def choropleth(ax: Axes, table: pd.DataFrame, shapes: pd.DataFrame, highlight_adcode: int | None, *, title: str,
               vmin: float | None = None, vmax: float | None = None) -> None:
    """Map of growth by province (via :func:`shanxi_analysis.geo.draw_choropleth`), the province outlined.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        With ``adcode`` and ``fai_growth_pct`` (provinces absent are hatched as "no data").
    shapes : DataFrame
        :func:`shanxi_analysis.datasets.province_shapes`.
    highlight_adcode : int or None
        The province in focus, outlined in :data:`HIGHLIGHT`.
    title : str
        The finding.
    vmin, vmax : float, optional
        Colour-scale limits (values beyond them take the end colours).
    """
    from .geo import draw_choropleth

    values = dict(zip(table["adcode"].astype(int), table["fai_growth_pct"].astype(float)))
    draw_choropleth(ax, values, dict(zip(shapes["adcode"].astype(int), shapes["rings"])), cmap="viridis",
                    highlight=highlight_adcode, highlight_color=HIGHLIGHT, vmin=vmin, vmax=vmax,
                    colorbar_label="FAI growth, % year on year")
    _title(ax, title)


def _point_label(row: pd.Series) -> str | None:
    labels = []
    if bool(row.get("derived", False)):
        labels.append("DERIVED")
    if "Development and Reform" in str(row.get("source_desc", "")):
        labels.append("DRC")
    return " / ".join(labels) or None


def monthly_chart(ax: Axes, national: pd.DataFrame | None, province: pd.DataFrame | None, province_name: str,
                  *, title: str) -> None:
    """Cumulative year-to-date growth by month: national line, province as markers with gaps kept.

    Parameters
    ----------
    ax : Axes
    national, province : DataFrame or None
        :func:`shanxi_analysis.analysis.monthly_paths` frames.  The province's missing months stay NaN, so no
        line joins points across a gap; they are marked "not found" on the x axis.  Points from derived
        figures are labelled DERIVED, those from the Development and Reform Commission DRC.
    province_name : str
    title : str
    """
    if national is not None:
        ax.plot(national["end_month"], national["cum_growth_pct"], color=NATIONAL, marker="o", ms=4, lw=1.5,
                label="China (excluding rural households)", gid="national-path")
    if province is not None:
        ax.plot(province["end_month"], province["cum_growth_pct"], color=HIGHLIGHT, marker="o", ms=8, lw=1.5,
                ls="-", label=f"{province_name} (markers only where a figure was found)", gid="province-path")
        for _, r in province[province["cum_growth_pct"].notna()].iterrows():
            ax.annotate(fmt.pct(r["cum_growth_pct"]), (r["end_month"], r["cum_growth_pct"]), xytext=(0, 9),
                        textcoords="offset points", ha="center", fontsize=8, color=HIGHLIGHT)
            label = _point_label(r)
            if label:
                ax.annotate(label, (r["end_month"], r["cum_growth_pct"]), xytext=(0, -16),
                            textcoords="offset points", ha="center", fontsize=7.5, color=NOTE_GREY,
                            fontweight="bold")
        gaps = province.loc[province["cum_growth_pct"].isna(), "end_month"]
        if len(gaps):
            ax.scatter(gaps, np.zeros(len(gaps)), marker="|", s=120, color=HIGHLIGHT, alpha=0.6,
                       transform=ax.get_xaxis_transform(), clip_on=False, gid="province-gaps",
                       label=f"{province_name}: month not found (gap, not interpolated)")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(range(2, 13), ["Jan-\nFeb"] + [f"Jan-\n{m}" for m in
                                                ["Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                                                 "Dec"]])
    ax.set_xlim(1.5, 12.5)
    ax.set_xlabel("Period (cumulative, year to date)")
    ax.set_ylabel("Cumulative growth, % year on year")
    ax.legend(loc="lower right")
    _title(ax, title)


def breakdown_bars(ax: Axes, table: pd.DataFrame, *, reference: float | None = None,
                   reference_label: str = "", title: str, xlabel: str = "Growth, % year on year",
                   clip_at: float | None = None) -> None:
    """Horizontal bars of a published breakdown (sectors or cities), fastest first.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        :func:`shanxi_analysis.analysis.breakdown` (``name_en``, ``growth_pct``).
    reference : float, optional
        A provincial figure drawn as a vertical line in :data:`HIGHLIGHT`.
    reference_label : str
        Its legend label.
    title, xlabel : str
    clip_at : float, optional
        Right edge of the axis; longer bars run off the edge and carry their published value as text.
    """
    t = table[table["growth_pct"].notna()]
    y = np.arange(len(t))
    ax.barh(y, t["growth_pct"], color=GREY, height=0.7, gid="breakdown-bars")
    ax.set_yticks(y, t["name_en"])
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    if reference is not None:
        ax.axvline(reference, color=HIGHLIGHT, lw=1.5, ls="--", label=reference_label, gid="reference")
        ax.legend(loc="lower right")
    lo = min(0.0, float(t["growth_pct"].min())) * 1.1 if len(t) else 0
    if clip_at is not None:
        ax.set_xlim(lo, clip_at)
    for yi, v in zip(y, t["growth_pct"]):
        inside = clip_at is None or v <= clip_at
        x = max(v, 0) if inside else clip_at  # negative bars: value written right of zero
        text = fmt.pct(v) + ("" if inside else " (bar cut at axis edge)")
        ax.annotate(text, (x, yi), xytext=(3 if inside else -3, 0), textcoords="offset points",
                    va="center", ha="left" if inside else "right", fontsize=8,
                    color="white" if not inside else "black", fontweight="bold" if not inside else "normal")
    ax.set_xlabel(xlabel)
    ax.grid(axis="y", visible=False)
    _title(ax, title)


def scale_scatter(ax: Axes, table: pd.DataFrame, province: str, x: str, *, xlabel: str, title: str,
                  logx: bool = True) -> None:
    """FAI growth (y) against a size measure (x) for every province, the province highlighted and named.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        :func:`shanxi_analysis.analysis.scale_table`.
    province : str
    x : str
        Column for the x axis (``gdp_100m_yuan`` or ``gdp_per_capita_yuan``).
    xlabel, title : str
    logx : bool, default True
        Logarithmic x axis (province sizes span two orders of magnitude).
    """
    t = table[table[x].notna() & table["fai_growth_pct"].notna()]
    others = t[t["province"] != province]
    focus = t[t["province"] == province]
    ax.scatter(others[x], others["fai_growth_pct"], color=GREY, s=40, edgecolor="white", gid="others")
    ax.scatter(focus[x], focus["fai_growth_pct"], color=HIGHLIGHT, s=90, edgecolor="black", zorder=5,
               gid="focus")
    for _, r in t.iterrows():
        is_focus = r["province"] == province
        ax.annotate(r["province"], (r[x], r["fai_growth_pct"]), xytext=(4, 3), textcoords="offset points",
                    fontsize=8.5 if is_focus else 6.5, color=HIGHLIGHT if is_focus else NOTE_GREY,
                    fontweight="bold" if is_focus else "normal")
    if logx:
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
        ax.xaxis.set_minor_formatter(mpl.ticker.NullFormatter())
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("FAI growth, % year on year")
    _title(ax, title)


def verdict_chart(ax: Axes, counts: Mapping[str, int], *, title: str) -> None:
    """Bars of the number of claims per verdict (confirmed, contradicted, unverifiable), counts printed."""
    order = [v for v in VERDICT_COLORS if v in counts] + [v for v in counts if v not in VERDICT_COLORS]
    vals = [int(counts[v]) for v in order]
    bars = ax.bar(order, vals, color=[VERDICT_COLORS.get(v, GREY) for v in order], width=0.6, gid="verdicts")
    for b, v in zip(bars, vals):
        ax.annotate(str(v), (b.get_x() + b.get_width() / 2, v), xytext=(0, 3), textcoords="offset points",
                    ha="center", fontsize=10, fontweight="bold")
    ax.set_ylabel("Number of claims")
    ax.set_xlabel("Verdict")
    ax.set_ylim(0, max(vals + [1]) * 1.15)
    ax.grid(axis="x", visible=False)
    _title(ax, title)


# --------------------------------------------------------------------------------------------- the province story
def _series_finish(ax: Axes, history: pd.DataFrame, year: int, ylabel: str, title: str) -> None:
    """Common to the year-by-year charts: revision artefacts as crosses (never joined), the year shaded, the
    zero line, labels, legend and title."""
    art = history["revision_artefact"].astype(bool)
    if art.any():
        ax.scatter(history.loc[art, "year"], history.loc[art, "fai_growth_pct"], marker="X", s=60, color="black",
                   zorder=5, gid="artefacts", label="revision artefact (as published, not joined)")
    ax.axvspan(year - 0.5, year + 0.5, color=HIGHLIGHT, alpha=0.12, lw=0)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel("Year")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best")
    _title(ax, title)


def story_path(ax: Axes, history: pd.DataFrame, national: pd.DataFrame | None, year: int, province: str, *,
               title: str) -> None:
    """The province's growth over the series against China's, the report year shaded.

    Parameters
    ----------
    ax : Axes
    history : DataFrame
        :func:`shanxi_analysis.analysis.rank_history` (revision artefacts drawn as crosses, not joined).
    national : DataFrame or None
        :func:`shanxi_analysis.story.national_series` (``year``, ``growth_pct``); gaps stay gaps.
    year : int
    province : str
    title : str
    """
    art = history["revision_artefact"].astype(bool)
    growth = history["fai_growth_pct"].where(~art)
    ax.plot(history["year"], growth, color=HIGHLIGHT, marker="o", ms=3.5, lw=1.5, gid="province-path",
            label=province)
    if national is not None and not national.empty:
        full = national.set_index("year").reindex(range(int(history["year"].min()),
                                                        int(history["year"].max()) + 1))
        ax.plot(full.index, full["growth_pct"], color=NATIONAL, marker="s", ms=3.5, lw=1.2, ls="--",
                gid="national-path", label="China (where a national figure is in the sources)")
    _series_finish(ax, history, year, "FAI growth, % year on year", title)


def peer_bars(ax: Axes, table: pd.DataFrame, province: str, *, title: str) -> None:
    """Horizontal bars of the province and its peers in one year, fastest on top.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        :attr:`shanxi_analysis.story.Peers.table` (``province``, ``group``, ``fai_growth_pct``); peers without
        a figure are left out of the bars.
    province : str
        Drawn in :data:`HIGHLIGHT`; neighbours in dark grey, the rest of the region in :data:`GREY`.
    title : str
    """
    t = table[table["fai_growth_pct"].notna()].sort_values("fai_growth_pct", ascending=False)
    y = np.arange(len(t))
    colors = [HIGHLIGHT if p == province else "#6f6f6f" if "neighbour" in g else GREY
              for p, g in zip(t["province"], t["group"])]
    ax.barh(y, t["fai_growth_pct"], color=colors, height=0.7, gid="peer-bars")
    ax.set_yticks(y, [f"{p} ({g})" if p != province else p for p, g in zip(t["province"], t["group"])])
    for lbl, p in zip(ax.get_yticklabels(), t["province"]):
        if p == province:
            lbl.set_color(HIGHLIGHT)
            lbl.set_fontweight("bold")
    for yi, v in zip(y, t["fai_growth_pct"]):
        ax.annotate(fmt.pct(v), (max(v, 0), yi), xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("Fixed-asset investment growth, % year on year")
    ax.grid(axis="y", visible=False)
    _title(ax, title)


def economy_chart(ax: Axes, history: pd.DataFrame, year: int, *, title: str) -> None:
    """Nominal and real (DERIVED) investment growth and real GRP growth of one province by year, the year shaded.

    Parameters
    ----------
    ax : Axes
    history : DataFrame
        :func:`shanxi_analysis.story.economy_history`; gaps stay gaps and revision artefacts are drawn as crosses,
        not joined.
    year : int
    title : str
    """
    art = history["revision_artefact"].astype(bool)
    ax.plot(history["year"], history["fai_growth_pct"].where(~art), color=HIGHLIGHT, marker="o", ms=3, lw=1.2,
            label="investment, nominal", gid="fai-nominal")
    ax.plot(history["year"], history["real_fai_growth_pct"].where(~art), color=HIGHLIGHT, ls="--", lw=1.2,
            marker="o", ms=2.5, alpha=0.7, label="investment, real (DERIVED)", gid="fai-real")
    ax.plot(history["year"], history["real_grp_growth_pct"], color=NATIONAL, marker="s", ms=3, lw=1.4,
            label="economy (real GRP)", gid="grp-real")
    _series_finish(ax, history, year, "Growth, % year on year", title)


def field_bars(ax: Axes, drivers: pd.DataFrame, province: str, *, title: str) -> None:
    """Paired bars of growth by field: the province (:data:`HIGHLIGHT`) beside China (:data:`NATIONAL`).

    Parameters
    ----------
    ax : Axes
    drivers : DataFrame
        :func:`shanxi_analysis.story.drivers` (``field, province_pct, china_pct``); a missing figure is no bar.
    province : str
    title : str
    """
    y = np.arange(len(drivers))
    h = 0.38
    ax.barh(y - h / 2, drivers["province_pct"], height=h, color=HIGHLIGHT, label=province, gid="field-province")
    ax.barh(y + h / 2, drivers["china_pct"], height=h, color=NATIONAL, label="China", gid="field-china")
    for yi, (p, c) in enumerate(zip(drivers["province_pct"], drivers["china_pct"])):
        for v, off in ((p, -h / 2), (c, h / 2)):
            if pd.notna(v):
                ax.annotate(fmt.pct(v), (max(v, 0), yi + off), xytext=(3, 0), textcoords="offset points",
                            va="center", fontsize=8)
    ax.set_yticks(y, drivers["field"])
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("Growth over the previous year, %")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="best")
    _title(ax, title)
