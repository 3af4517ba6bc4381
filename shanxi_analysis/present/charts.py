"""The report's charts. Chart functions take an Axes and already-computed tables (from
:mod:`shanxi_analysis.analysis`) and a ``title`` that states the finding; they never compute or alter a figure,
and a missing value is drawn as a gap, never joined by a line. The look comes from :mod:`.theme`, label
placement from :mod:`.labels`, maps from :mod:`.maps`.

The charts of one year (growth by province, the map, breakdowns, scale, verdicts), the charts over time (a
province's rank and growth year by year, the cumulative year-to-date growth month by month) and the charts of the
province story (its path against the nation, its peers, the economy around investment, the fields that drove it).
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes

from .. import numbers as fmt
from .labels import place_labels
from .messages import DEFAULT_LANG, place, say
from .theme import (
    GREY,
    HIGHLIGHT,
    NATIONAL,
    NOTE_GREY,
    VERDICT_COLORS,
    chart_text,
    figure_of,
    nice_log_ticks,
    set_legend,
    set_title,
    text_width,
)


# --------------------------------------------------------------------------------------------- charts
def growth_bars(
    ax: Axes, table: pd.DataFrame, province: str, national: Any | None, *, title: str, lang: str = DEFAULT_LANG
) -> None:
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
    lang : str, default "en"
        The language of the labels (the message catalog's ``label.*``; province names from ``provinces()``).
    """
    y = np.arange(len(table))
    colors = [HIGHLIGHT if p == province else GREY for p in table["province"]]
    bars = ax.barh(y, table["fai_growth_pct"], color=colors, height=0.75, gid="growth-bars")
    for bar, flagged in zip(bars, table["revision_artefact"], strict=True):
        if flagged:
            bar.set_hatch("///")
            bar.set_edgecolor(NOTE_GREY)
    labels = [
        chart_text(place(p, lang)) + (" *" if f else "")
        for p, f in zip(table["province"], table["revision_artefact"], strict=True)
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
            label=say("label.national", lang, scope=national.scope, derived=national.derived, value=national.value),
        )
    ax.set_xlabel(chart_text(say("label.fai_growth_axis", lang)))
    ax.set_ylabel("")
    ax.grid(axis="y", visible=False)
    set_legend(ax)
    set_title(ax, title)


def choropleth(
    ax: Axes,
    table: pd.DataFrame,
    shapes: pd.DataFrame,
    highlight_adcode: int | None,
    *,
    title: str,
    vmin: float | None = None,
    vmax: float | None = None,
    lang: str = DEFAULT_LANG,
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
    from .maps import draw_choropleth

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
        colorbar_label=chart_text(say("label.fai_growth_short", lang)),
    )
    set_title(ax, title)
    names = dict(zip(shapes["adcode"].astype(int), shapes["province"], strict=True))
    missing = [names[c] for c in names if not np.isfinite(values.get(c, np.nan))]
    years: list[Any] = table["year"].dropna().unique().tolist() if "year" in table else []
    text = say(
        "label.map_caption", lang, year=int(years[0]) if len(years) == 1 else None, drawn=len(names),
        missing=missing, highlight=names.get(int(highlight_adcode)) if highlight_adcode is not None else None,
    )  # fmt: skip
    width = int(figure_of(ax).get_figwidth() * 13)
    ax.annotate(
        "\n".join(textwrap.wrap(chart_text(text), width=text_width(text, width))),
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
    name_column: str = "name_en",
    lang: str = DEFAULT_LANG,
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
    name_column : str, default "name_en"
        The column of the bars' names (``name_zh`` for a Chinese page).
    lang : str, default "en"
        The language of the labels.
    """
    t = table[table["growth_pct"].notna()]
    y = np.arange(len(t))
    ax.barh(y, t["growth_pct"], color=GREY, height=0.7, gid="breakdown-bars")
    ax.set_yticks(y, [chart_text(str(n)) for n in t[name_column]])
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
        text = fmt.pct(v) if inside else say("label.bar_cut", lang, value=v)
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
    set_legend(ax)
    set_title(ax, title)


def scale_scatter(
    ax: Axes,
    table: pd.DataFrame,
    province: str,
    x: str,
    *,
    xlabel: str,
    title: str,
    logx: bool = True,
    lang: str = DEFAULT_LANG,
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
        nice_log_ticks(ax)
    ax.set_xlabel(chart_text(xlabel))
    ax.set_ylabel(chart_text(say("label.fai_growth_short", lang)))
    set_title(ax, title)
    texts = []
    for _, r in t.iterrows():
        is_focus = r["province"] == province
        texts.append(
            ax.text(
                r[x],
                r["fai_growth_pct"],
                chart_text(place(r["province"], lang)),
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
    set_title(ax, title)


# --------------------------------------------------------------------------------------------- over time
def rank_history_chart(
    axes: Sequence[Axes],
    history: pd.DataFrame,
    best: pd.DataFrame,
    year: int,
    changes: Sequence[tuple[int, str]],
    *,
    title: str,
    lang: str = DEFAULT_LANG,
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
            label=chart_text(say("label.best_rank", lang, rank=int(best["rank"].iloc[0]), years=list(best["year"]))),
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
            label=chart_text(say("label.artefact", lang)),
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
            chart_text(say("label.scope_change", lang, year=y)),
            xy=(y - 0.5, 1.0),
            xycoords=("data", "axes fraction"),
            xytext=(3, -3 - 11 * row),
            textcoords="offset points",
            fontsize=7.5,
            color=NOTE_GREY,
            va="top",
        )
    ax_g.axhline(0, color="black", lw=0.8)
    ax_g.set_ylabel(chart_text(say("label.growth_axis", lang)))
    n_max = int(history["n_ranked"].max()) if history["n_ranked"].notna().any() else 31
    ax_r.set_ylim(n_max + 1, 0)
    ax_r.set_yticks([1, 5, 10, 15, 20, 25, 30][: sum(t <= n_max for t in [1, 5, 10, 15, 20, 25, 30])])
    ax_r.set_ylabel(textwrap.fill(chart_text(say("label.rank_axis", lang)), 22 if lang == DEFAULT_LANG else 10))
    ax_r.set_xlabel(chart_text(say("label.year_axis", lang)))
    set_legend(ax_g, axes)
    set_title(ax_g, title)


def _point_label(row: pd.Series, lang: str = DEFAULT_LANG) -> str | None:
    labels = []
    if bool(row.get("derived", False)):
        labels.append(chart_text(say("label.derived_point", lang)))
    if "Development and Reform" in str(row.get("source_desc", "")):
        labels.append(chart_text(say("label.drc_point", lang)))
    return " / ".join(labels) or None


def monthly_chart(
    ax: Axes,
    national: pd.DataFrame | None,
    province: pd.DataFrame | None,
    province_name: str,
    *,
    title: str,
    lang: str = DEFAULT_LANG,
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
            label=chart_text(say("label.china_monthly", lang)),
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
            label=chart_text(say("label.province_monthly", lang, province=province_name)),
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
            label = _point_label(r, lang)
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
                label=chart_text(say("label.month_gap", lang, province=province_name)),
            )
    ax.axhline(0, color="black", lw=0.8)
    from ..analysis import ytd

    # a period's label on two lines where it has a hyphen ("Jan-" / "Feb"); Chinese periods ("1—2月") fit on one
    ticks = [chart_text(say("label.period_tick", lang, period=ytd(m))).replace("-", "-\n", 1) for m in range(2, 13)]
    ax.set_xticks(range(2, 13), ticks)
    ax.set_xlim(1.5, 12.5)
    ax.set_xlabel(chart_text(say("label.period_axis", lang)))
    ax.set_ylabel(chart_text(say("label.cum_growth_axis", lang)))
    set_legend(ax)
    set_title(ax, title)


# --------------------------------------------------------------------------------------------- the province story
def _series_finish(
    ax: Axes, history: pd.DataFrame, year: int, ylabel: str, title: str, lang: str = DEFAULT_LANG
) -> None:
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
            label=chart_text(say("label.artefact_gap", lang)),
        )
    ax.axvspan(year - 0.5, year + 0.5, color=HIGHLIGHT, alpha=0.12, lw=0)
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel(chart_text(say("label.year_axis", lang)))
    ax.set_ylabel(chart_text(ylabel))
    ax.legend(loc="best")
    set_title(ax, title)


def story_path(
    ax: Axes,
    history: pd.DataFrame,
    national: pd.DataFrame | None,
    year: int,
    province: str,
    *,
    title: str,
    lang: str = DEFAULT_LANG,
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
    ax.plot(
        history["year"],
        growth,
        color=HIGHLIGHT,
        marker="o",
        ms=3.5,
        lw=1.5,
        gid="province-path",
        label=chart_text(place(province, lang)),
    )
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
            label=chart_text(say("label.china_path", lang)),
        )
    _series_finish(ax, history, year, say("label.fai_growth_short", lang), title, lang)


def peer_bars(ax: Axes, table: pd.DataFrame, province: str, *, title: str, lang: str = DEFAULT_LANG) -> None:
    """Horizontal bars of the province and its peers in one year, fastest on top.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        :attr:`shanxi_analysis.analysis.province.Peers.table` (``province``, ``group``,
        ``fai_growth_pct``); peers without a figure are left out of the bars.
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
    ax.set_yticks(
        y,
        [
            chart_text(place(p, lang) if p == province else say("label.peer", lang, province=p, group=g))
            for p, g in zip(t["province"], t["group"], strict=True)
        ],
    )
    for lbl, p in zip(ax.get_yticklabels(), t["province"], strict=True):
        if p == province:
            lbl.set_color(HIGHLIGHT)
            lbl.set_fontweight("bold")
    for yi, v in zip(y, t["fai_growth_pct"], strict=True):
        ax.annotate(fmt.pct(v), (max(v, 0), yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(chart_text(say("label.fai_growth_axis", lang)))
    ax.grid(axis="y", visible=False)
    set_title(ax, title)


def economy_chart(ax: Axes, history: pd.DataFrame, year: int, *, title: str, lang: str = DEFAULT_LANG) -> None:
    """Nominal and real (DERIVED) investment growth and real GRP growth of one province by year, the year shaded.

    Parameters
    ----------
    ax : Axes
    history : DataFrame
        :func:`shanxi_analysis.analysis.macro.economy_history`; gaps stay gaps and revision artefacts are drawn as
        crosses, not joined.
    year : int
    title : str
    """
    art = history["revision_artefact"].astype(bool)
    series: tuple[tuple[str, dict[str, Any], bool], ...] = (
        (
            "fai_growth_pct",
            dict(
                color=HIGHLIGHT,
                marker="o",
                ms=3,
                lw=1.2,
                label=chart_text(say("label.fai_nominal", lang)),
                gid="fai-nominal",
            ),
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
                label=chart_text(say("label.fai_real", lang)),
                gid="fai-real",
            ),
            True,
        ),
        (
            "real_grp_growth_pct",
            dict(
                color=NATIONAL, marker="s", ms=3, lw=1.4, label=chart_text(say("label.grp_real", lang)), gid="grp-real"
            ),
            False,
        ),
    )
    for column, style, investment in series:
        values = history[column].where(~art) if investment else history[column]
        if values.notna().any():  # a series the data does not have (Tibet's real growth) gets no legend entry
            ax.plot(history["year"], values, **style)
    _series_finish(ax, history, year, say("label.growth_axis", lang), title, lang)


def field_bars(ax: Axes, drivers: pd.DataFrame, province: str, *, title: str, lang: str = DEFAULT_LANG) -> None:
    """Paired bars of growth by field: the province (:data:`HIGHLIGHT`) beside China (:data:`NATIONAL`).

    Parameters
    ----------
    ax : Axes
    drivers : DataFrame
        :func:`shanxi_analysis.analysis.province.drivers` (``field, province_pct, china_pct``); a missing
        figure is no bar.
    province : str
    title : str
    """
    y = np.arange(len(drivers))
    h = 0.38
    ax.barh(
        y - h / 2,
        drivers["province_pct"],
        height=h,
        color=HIGHLIGHT,
        label=chart_text(place(province, lang)),
        gid="field-province",
    )
    ax.barh(
        y + h / 2,
        drivers["china_pct"],
        height=h,
        color=NATIONAL,
        label=chart_text(say("label.china", lang)),
        gid="field-china",
    )
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
    ax.set_yticks(y, [chart_text(say("label.field", lang, field=f)) for f in drivers["field"]])
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(chart_text(say("label.field_axis", lang)))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="best")
    set_title(ax, title)
