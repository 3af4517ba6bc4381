"""The report's charts. Chart functions take an Axes and already-computed tables (from
:mod:`shanxi_analysis.analysis`) and a ``title`` that states the finding; they never compute or alter a figure,
and a missing value is drawn as a gap, never joined by a line. The look comes from :mod:`.theme`, label
placement from :mod:`.labels`, maps from :mod:`.maps`."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import numbers as fmt
from .labels import place_labels
from .theme import (
    GREY,
    HIGHLIGHT,
    NATIONAL,
    NOTE_GREY,
    VERDICT_COLORS,
    _legend,
    _nice_log_ticks,
    _title,
    chart_text,
    figure_of,
)
from .time_charts import monthly_chart as monthly_chart
from .time_charts import rank_history_chart as rank_history_chart


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
    for bar, flagged in zip(bars, table["revision_artefact"], strict=True):
        if flagged:
            bar.set_hatch("///")
            bar.set_edgecolor(NOTE_GREY)
    labels = [
        chart_text(p) + (" *" if f else "") for p, f in zip(table["province"], table["revision_artefact"], strict=True)
    ]
    ax.set_yticks(y, labels)
    for lbl, p in zip(ax.get_yticklabels(), table["province"], strict=True):
        if p == province:
            lbl.set_color(HIGHLIGHT)
            lbl.set_fontweight("bold")
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=8)
    ax.axvline(0, color="black", lw=0.8)
    if national is not None:
        ax.axvline(
            national.value,
            color=NATIONAL,
            lw=1.5,
            ls="--",
            gid="national",
            label=f"{national.label}: {fmt.pct(national.value)}",
        )
    ax.set_xlabel("Fixed-asset investment growth, % year on year")
    ax.set_ylabel("")
    ax.grid(axis="y", visible=False)
    _legend(ax)
    _title(ax, title)


def choropleth(
    ax: Axes,
    table: pd.DataFrame,
    shapes: pd.DataFrame,
    highlight_adcode: int | None,
    *,
    title: str,
    vmin: float | None = None,
    vmax: float | None = None,
) -> None:
    """Map of growth by province (via :func:`shanxi_analysis.present.maps.draw_choropleth`), the province outlined.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        With ``adcode`` and ``fai_growth_pct`` (provinces absent are hatched as "no data").
    shapes : DataFrame
        :func:`shanxi_analysis.data.datasets.province_shapes`.
    highlight_adcode : int or None
        The province in focus, outlined in :data:`HIGHLIGHT`.
    title : str
        The finding.
    vmin, vmax : float, optional
        Colour-scale limits (values beyond them take the end colours).
    """
    from .maps import draw_choropleth, map_caption

    values = dict(zip(table["adcode"].astype(int), table["fai_growth_pct"].astype(float), strict=True))
    draw_choropleth(
        ax,
        values,
        dict(zip(shapes["adcode"].astype(int), shapes["rings"], strict=True)),
        cmap="viridis",
        highlight=highlight_adcode,
        highlight_color=HIGHLIGHT,
        vmin=vmin,
        vmax=vmax,
        colorbar_label="FAI growth, % year on year",
    )
    _title(ax, title)
    names = dict(zip(shapes["adcode"].astype(int), shapes["province"], strict=True))
    missing = [names[c] for c in names if not np.isfinite(values.get(c, np.nan))]
    years: list[Any] = table["year"].dropna().unique().tolist() if "year" in table else []
    what = "FAI growth" + (f" in {int(years[0])}" if len(years) == 1 else "") + ", % year on year"
    text = map_caption(
        what, len(names), missing, names.get(int(highlight_adcode)) if highlight_adcode is not None else None
    )
    width = int(figure_of(ax).get_figwidth() * 13)
    ax.annotate(
        "\n".join(textwrap.wrap(chart_text(text), width=width)),
        xy=(0, 0),
        xycoords="axes fraction",
        xytext=(0, -4),
        textcoords="offset points",
        ha="left",
        va="top",
        fontsize=8,
        color="#333333",
        gid="caption",
        annotation_clip=False,
    )


def breakdown_bars(
    ax: Axes,
    table: pd.DataFrame,
    *,
    reference: float | None = None,
    reference_label: str = "",
    title: str,
    xlabel: str = "Growth, % year on year",
    clip_at: float | None = None,
) -> None:
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
    for yi, v in zip(y, t["growth_pct"], strict=True):
        inside = clip_at is None or v <= clip_at
        x = max(v, 0) if inside else clip_at  # negative bars: value written right of zero
        text = fmt.pct(v) + ("" if inside else " (bar cut at axis edge)")
        ax.annotate(
            text,
            (x, yi),
            xytext=(3 if inside else -3, 0),
            textcoords="offset points",
            va="center",
            ha="left" if inside else "right",
            fontsize=8,
            zorder=4,
            color="white" if not inside else "black",
            fontweight="bold" if not inside else "normal",
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85} if inside else None,
        )
    ax.set_xlabel(chart_text(xlabel))
    ax.grid(axis="y", visible=False)
    _legend(ax)
    _title(ax, title)


def scale_scatter(
    ax: Axes, table: pd.DataFrame, province: str, x: str, *, xlabel: str, title: str, logx: bool = True
) -> None:
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
    ax.scatter(focus[x], focus["fai_growth_pct"], color=HIGHLIGHT, s=90, edgecolor="black", zorder=5, gid="focus")
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
        texts.append(
            ax.text(
                r[x],
                r["fai_growth_pct"],
                chart_text(str(r["province"])),
                ha="center",
                va="center",
                fontsize=9 if is_focus else 7.5,
                color=HIGHLIGHT if is_focus else "#333333",
                fontweight="bold" if is_focus else "normal",
                zorder=6,
                gid="point-label",
            )
        )
    place_labels(ax, texts, t[x].to_numpy(float), t["fai_growth_pct"].to_numpy(float))


def verdict_chart(ax: Axes, counts: Mapping[str, int], *, title: str) -> None:
    """Bars of the number of claims per verdict (confirmed, contradicted, unverifiable), counts printed."""
    order = [v for v in VERDICT_COLORS if v in counts] + [v for v in counts if v not in VERDICT_COLORS]
    vals = [int(counts[v]) for v in order]
    bars = ax.bar(order, vals, color=[VERDICT_COLORS.get(v, GREY) for v in order], width=0.6, gid="verdicts")
    for b, v in zip(bars, vals, strict=True):
        ax.annotate(
            str(v),
            (b.get_x() + b.get_width() / 2, v),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            fontsize=10,
            fontweight="bold",
        )
    ax.set_ylabel("Number of claims")
    ax.set_xlabel("Verdict")
    ax.set_ylim(0, max(vals + [1]) * 1.15)
    ax.grid(axis="x", visible=False)
    _title(ax, title)
