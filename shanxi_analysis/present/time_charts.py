"""Charts over time: a province's rank and growth year by year, and the cumulative year-to-date growth month by
month. Like :mod:`shanxi_analysis.present.charts`, they take an Axes and already-computed tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import numbers as fmt
from .theme import HIGHLIGHT, NATIONAL, NOTE_GREY, _legend, _title, chart_text


def rank_history_chart(
    axes: Sequence[Axes],
    history: pd.DataFrame,
    best: pd.DataFrame,
    year: int,
    changes: Sequence[tuple[int, str]],
    *,
    title: str,
) -> None:
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
    ax_g.plot(
        history["year"], history["fai_growth_pct"], color=HIGHLIGHT, marker="o", ms=3.5, lw=1.5, gid="growth-line"
    )
    rank = history["rank"].astype("float")
    ax_r.plot(history["year"], rank, color=HIGHLIGHT, marker="o", ms=3.5, lw=1.5, gid="rank-line")
    if not best.empty:
        ax_r.scatter(
            best["year"],
            best["rank"].astype(float),
            marker="*",
            s=160,
            color=HIGHLIGHT,
            edgecolor="black",
            zorder=5,
            gid="best-years",
            label=f"best rank ({fmt.ordinal(int(best['rank'].iloc[0]))}): " + fmt.join(str(y) for y in best["year"]),
        )
    art = history[history["revision_artefact"]]
    if not art.empty:
        ax_g.scatter(
            art["year"],
            art["fai_growth_pct"],
            marker="X",
            s=70,
            color="black",
            zorder=5,
            label="revision artefact (as published)",
            gid="artefacts",
        )
    for ax in axes:
        ax.axvspan(year - 0.5, year + 0.5, color=HIGHLIGHT, alpha=0.12, lw=0)
        for y, _ in changes:
            ax.axvline(y - 0.5, color=NOTE_GREY, ls=":", lw=1.2)
    previous, row = None, 0
    for y, _ in changes:  # changes a few years apart get their labels on alternate lines
        row = 1 if previous is not None and y - previous < 8 and row == 0 else 0
        previous = y
        ax_g.annotate(
            f"scope change {y}",
            xy=(y - 0.5, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3 - 11 * row),
            textcoords="offset points",
            fontsize=7.5,
            color=NOTE_GREY,
            va="top",
        )
    ax_g.axhline(0, color="black", lw=0.8)
    ax_g.set_ylabel("Growth, % year on year")
    n_max = int(history["n_ranked"].max()) if history["n_ranked"].notna().any() else 31
    ax_r.set_ylim(n_max + 1, 0)
    ax_r.set_yticks([1, 5, 10, 15, 20, 25, 30][: sum(t <= n_max for t in [1, 5, 10, 15, 20, 25, 30])])
    ax_r.set_ylabel("Rank among provinces\n(1 = fastest)")
    ax_r.set_xlabel("Year")
    _legend(ax_g, axes)
    _title(ax_g, title)


def _point_label(row: pd.Series) -> str | None:
    labels = []
    if bool(row.get("derived", False)):
        labels.append("DERIVED")
    if "Development and Reform" in str(row.get("source_desc", "")):
        labels.append("DRC")
    return " / ".join(labels) or None


def monthly_chart(
    ax: Axes, national: pd.DataFrame | None, province: pd.DataFrame | None, province_name: str, *, title: str
) -> None:
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
        ax.plot(
            national["end_month"],
            national["cum_growth_pct"],
            color=NATIONAL,
            marker="o",
            ms=4,
            lw=1.5,
            label="China (excluding rural households)",
            gid="national-path",
        )
    if province is not None:
        ax.plot(
            province["end_month"],
            province["cum_growth_pct"],
            color=HIGHLIGHT,
            marker="o",
            ms=8,
            lw=1.5,
            ls="-",
            label=f"{chart_text(province_name)} (markers only where a figure was found)",
            gid="province-path",
        )
        for _, r in province[province["cum_growth_pct"].notna()].iterrows():
            ax.annotate(
                fmt.pct(r["cum_growth_pct"]),
                (r["end_month"], r["cum_growth_pct"]),
                xytext=(0, 9),
                textcoords="offset points",
                ha="center",
                fontsize=8,
                color=HIGHLIGHT,
            )
            label = _point_label(r)
            if label:
                ax.annotate(
                    label,
                    (r["end_month"], r["cum_growth_pct"]),
                    xytext=(0, -16),
                    textcoords="offset points",
                    ha="center",
                    fontsize=7.5,
                    color=NOTE_GREY,
                    fontweight="bold",
                )
        gaps = province.loc[province["cum_growth_pct"].isna(), "end_month"]
        if len(gaps):
            ax.scatter(
                gaps,
                np.zeros(len(gaps)),
                marker="|",
                s=120,
                color=HIGHLIGHT,
                alpha=0.6,
                transform=ax.get_xaxis_transform(),
                clip_on=False,
                gid="province-gaps",
                label=f"{province_name}: month not found (gap, not interpolated)",
            )
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xticks(
        range(2, 13),
        ["Jan-\nFeb"] + [f"Jan-\n{m}" for m in ["Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]],
    )
    ax.set_xlim(1.5, 12.5)
    ax.set_xlabel("Period (cumulative, year to date)")
    ax.set_ylabel("Cumulative growth, % year on year")
    _legend(ax)
    _title(ax, title)
