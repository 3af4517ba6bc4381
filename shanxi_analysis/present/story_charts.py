"""The charts of the province story notebooks (06, 07): a province's path against the nation, its peers, the
economy around investment and the fields that drove it. Same rules as :mod:`.charts`."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import numbers as fmt
from .theme import GREY, HIGHLIGHT, NATIONAL, _title


# --------------------------------------------------------------------------------------------- the province story
def _series_finish(ax: Axes, history: pd.DataFrame, year: int, ylabel: str, title: str) -> None:
    """Common to the year-by-year charts: revision artefacts as crosses (never joined), the year shaded, the
    zero line, labels, legend and title."""
    art = history["revision_artefact"].astype(bool)
    if art.any():
        ax.scatter(
            history.loc[art, "year"],
            history.loc[art, "fai_growth_pct"],
            marker="X",
            s=60,
            color="black",
            zorder=5,
            gid="artefacts",
            label="revision artefact (as published, not joined)",
        )
    ax.axvspan(year - 0.5, year + 0.5, color=HIGHLIGHT, alpha=0.12, lw=0)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel("Year")
    ax.set_ylabel(ylabel)
    ax.legend(loc="best")
    _title(ax, title)


def story_path(
    ax: Axes, history: pd.DataFrame, national: pd.DataFrame | None, year: int, province: str, *, title: str
) -> None:
    """The province's growth over the series against China's, the report year shaded.

    Parameters
    ----------
    ax : Axes
    history : DataFrame
        :func:`shanxi_analysis.analysis.rank_history` (revision artefacts drawn as crosses, not joined).
    national : DataFrame or None
        :func:`shanxi_analysis.analysis.province.national_series` (``year``, ``growth_pct``); gaps stay gaps.
    year : int
    province : str
    title : str
    """
    art = history["revision_artefact"].astype(bool)
    growth = history["fai_growth_pct"].where(~art)
    ax.plot(history["year"], growth, color=HIGHLIGHT, marker="o", ms=3.5, lw=1.5, gid="province-path", label=province)
    if national is not None and not national.empty:
        full = national.set_index("year").reindex(range(int(history["year"].min()), int(history["year"].max()) + 1))
        ax.plot(
            full.index,
            full["growth_pct"],
            color=NATIONAL,
            marker="s",
            ms=3.5,
            lw=1.2,
            ls="--",
            gid="national-path",
            label="China (where a national figure is in the sources)",
        )
    _series_finish(ax, history, year, "FAI growth, % year on year", title)


def peer_bars(ax: Axes, table: pd.DataFrame, province: str, *, title: str) -> None:
    """Horizontal bars of the province and its peers in one year, fastest on top.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        :attr:`shanxi_analysis.analysis.province.Peers.table` (``province``, ``group``, ``fai_growth_pct``); peers without
        a figure are left out of the bars.
    province : str
        Drawn in :data:`HIGHLIGHT`; neighbours in dark grey, the rest of the region in :data:`GREY`.
    title : str
    """
    t = table[table["fai_growth_pct"].notna()].sort_values("fai_growth_pct", ascending=False)
    y = np.arange(len(t))
    colors = [
        HIGHLIGHT if p == province else "#6f6f6f" if "neighbour" in g else GREY
        for p, g in zip(t["province"], t["group"], strict=True)
    ]
    ax.barh(y, t["fai_growth_pct"], color=colors, height=0.7, gid="peer-bars")
    ax.set_yticks(y, [f"{p} ({g})" if p != province else p for p, g in zip(t["province"], t["group"], strict=True)])
    for lbl, p in zip(ax.get_yticklabels(), t["province"], strict=True):
        if p == province:
            lbl.set_color(HIGHLIGHT)
            lbl.set_fontweight("bold")
    for yi, v in zip(y, t["fai_growth_pct"], strict=True):
        ax.annotate(fmt.pct(v), (max(v, 0), yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
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
        :func:`shanxi_analysis.analysis.economy.economy_history`; gaps stay gaps and revision artefacts are drawn as
        crosses, not joined.
    year : int
    title : str
    """
    art = history["revision_artefact"].astype(bool)
    series: tuple[tuple[str, dict[str, Any], bool], ...] = (
        (
            "fai_growth_pct",
            dict(color=HIGHLIGHT, marker="o", ms=3, lw=1.2, label="investment, nominal", gid="fai-nominal"),
            True,
        ),
        (
            "real_fai_growth_pct",
            dict(
                color=HIGHLIGHT,
                ls="--",
                lw=1.2,
                marker="o",
                ms=2.5,
                alpha=0.7,
                label="investment, real (DERIVED)",
                gid="fai-real",
            ),
            True,
        ),
        (
            "real_grp_growth_pct",
            dict(color=NATIONAL, marker="s", ms=3, lw=1.4, label="economy (real GRP)", gid="grp-real"),
            False,
        ),
    )
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
        :func:`shanxi_analysis.analysis.province.drivers` (``field, province_pct, china_pct``); a missing figure is no bar.
    province : str
    title : str
    """
    y = np.arange(len(drivers))
    h = 0.38
    ax.barh(y - h / 2, drivers["province_pct"], height=h, color=HIGHLIGHT, label=province, gid="field-province")
    ax.barh(y + h / 2, drivers["china_pct"], height=h, color=NATIONAL, label="China", gid="field-china")
    for yi, (p, c) in enumerate(zip(drivers["province_pct"], drivers["china_pct"], strict=True)):
        for v, off in ((p, -h / 2), (c, h / 2)):
            if pd.notna(v):
                ax.annotate(
                    fmt.pct(v),
                    (max(v, 0), yi + off),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                    fontsize=8,
                )
    ax.set_yticks(y, drivers["field"])
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel("Growth over the previous year, %")
    ax.grid(axis="y", visible=False)
    ax.legend(loc="best")
    _title(ax, title)
