"""The report's charts. Chart functions take an Axes and already-computed tables (from
:mod:`shanxi_analysis.analysis`) and a ``title`` that states the finding; they never compute or alter a figure,
and a missing value is drawn as a gap, never joined by a line. The look comes from :mod:`.theme`, label
placement from :mod:`.labels`, the tile grid from :mod:`.maps`.

The charts of one year (growth by province, the tile grid of provinces, breakdowns, scale, verdicts), the charts
over time (a province's rank and growth year by year, the cumulative year-to-date growth month by month) and the
charts of the province story (its path against the nation, its peers, the economy around investment, the fields
that drove it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.text import Annotation
from matplotlib.ticker import MaxNLocator

from .. import numbers as fmt
from ..analysis import drawn_flagged, flag_of, from_drc, is_flagged, not_yet, tied_extreme
from ..data import provinces
from ..messages import DEFAULT_LANG, Words, every_language, per_language, place, say, term
from .labels import place_labels
from .maps import NOT_COVERED, TILE_CODES, TILES, draw_tile_map, fit_tile_labels
from .theme import (
    GREY,
    HIGHLIGHT,
    LABEL_FONT,
    MIN_FONT,
    NATIONAL,
    NOTE_GREY,
    VERDICT_COLORS,
    chart_text,
    figure_of,
    fit_xlabel,
    lay_out,
    nice_log_ticks,
    record_data,
    set_legend,
    set_title,
    text_width,
    wrap_text,
)
from .wording import drawn_once

#: The width of a category label's lines, in Latin characters (a Chinese character counts as 1.8): a phone-width
#: chart keeps room for its bars.
CATEGORY_WIDTH = 16


def _fit_height(ax: Axes, labels: Sequence[str], extra: float = 1.9) -> None:
    """Make the figure tall enough for its category labels (their lines at :data:`MIN_FONT`), never shorter.  The
    categories are evenly spaced, so two neighbouring labels of two lines each need that spacing everywhere: the
    height allows for every label's lines with room between them, and for the tallest pair of neighbours."""
    fig = figure_of(ax)
    n = [max(1, *(text.count("\n") + 1 for text in every_language(label))) for label in labels]
    pair = max([1.0] + [(a + b) / 2 for a, b in zip(n, n[1:], strict=False)])  # lines two neighbours take
    lines = max(sum(n) + 0.6 * len(n), (pair + 0.25) * len(n))
    fig.set_figheight(max(fig.get_figheight(), lines * MIN_FONT * 1.2 / 72 + extra))


def _raw(value: Any) -> Any:
    """A fact for a template as it is, a missing number (NaN, ``pd.NA``) as None, in lists and tuples too."""
    if isinstance(value, (list, tuple)):
        return type(value)(_raw(v) for v in value)
    if isinstance(value, dict):
        return {k: _raw(v) for k, v in value.items()}
    if not isinstance(value, str) and fmt.is_missing(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def _alt_facts(lang: str, **facts: Any) -> dict[str, Any]:
    """The facts of a chart's alt text (the catalog's ``alt.*``), raw, and ``no_figure``: the catalog's wording
    of a missing figure (``alt.none``), which the templates write where a fact is None."""
    return {k: _raw(v) for k, v in facts.items()} | {"no_figure": say("alt.none", lang)}


def _span_facts(history: pd.DataFrame, province: str | None, year: int) -> dict[str, Any]:
    """The facts every year-by-year chart's alt text opens with: the province, the first and last year of its
    published figures (of the series, when it has none: Chongqing's start in 1997, not 1992), the report year."""
    years = history["year"]
    if "fai_growth_pct" in history and history["fai_growth_pct"].notna().any():
        years = years[history["fai_growth_pct"].notna()]
    return {
        "province": province,
        "first": int(years.min()),
        "last": int(years.max()),
        "year": year,
    }


def _year_of(table: pd.DataFrame) -> int | None:
    """The year of a table of one year's figures (None for a table of several years or without a year)."""
    years = table["year"].dropna().unique().tolist() if "year" in table else []
    return int(years[0]) if len(years) == 1 else None


def _flag_kinds(flagged: pd.DataFrame) -> list[str]:
    """The kinds of the flagged values of a frame (its ``flag`` column: ``revision artefact``, ``shares, not
    growth``...), each once, for the legends (``label.flagged``, ``label.flag_key``)."""
    return [str(k) for k in dict.fromkeys(flagged["flag"].dropna())] if "flag" in flagged else []


#: How far beyond the ordinary values (a share of their range) an outlier may lie and still be drawn whole by
#: :func:`clip_limits`, the axis stretched to it.
NEAR_OUTLIER = 0.5


def clip_limits(values: pd.Series, flagged: pd.Series | None = None, pad: float = 0.12) -> tuple[float, float]:
    """Axis limits that show every ordinary value and zero, leaving out revision artefacts (``flagged``) and
    extreme outliers (beyond three interquartile ranges of the quartiles, and more than :data:`NEAR_OUTLIER` of the
    range shown beyond it), which are drawn cut at the edge with their value written: one artefact never squeezes
    thirty provinces into a corner of the axis."""
    v = values.astype(float)
    keep = v.notna()
    if flagged is not None:
        keep &= ~flagged.astype(bool)
    kept = v[keep]
    if len(kept) >= 4:
        q1, q3 = kept.quantile(0.25), kept.quantile(0.75)
        iqr = q3 - q1
        inside = (kept >= q1 - 3 * iqr) & (kept <= q3 + 3 * iqr)
        out = kept[~inside].sort_values()
        kept = kept[inside]
        # an outlier close to the ordinary range is drawn whole, the axis stretched to it, so that only values far
        # beyond are cut (Guizhou's 43.4% of 2001, just past the fence, was cut at the edge beside Tibet's 75.1%)
        while len(out) and len(kept):
            lo_k, hi_k = min(0.0, float(kept.min())), max(0.0, float(kept.max()))
            reach = NEAR_OUTLIER * ((hi_k - lo_k) or 1.0)
            near = out[(out >= lo_k - reach) & (out <= hi_k + reach)]
            if near.empty:
                break
            kept = pd.concat([kept, near])
            out = out.drop(near.index)
    if kept.empty:
        kept = v.dropna()
    lo, hi = min(0.0, float(kept.min())) if len(kept) else 0.0, max(0.0, float(kept.max())) if len(kept) else 1.0
    span = (hi - lo) or 1.0
    # room for the cut bars and markers, and for a value left out that still falls within the padding (Tibet's
    # 87.9% of 1994 sat on the top edge, its marker cut in half and not labelled, since it was not beyond the axis)
    beyond_lo, beyond_hi = (v < lo).any(), (v > hi).any()
    lo, hi = lo - pad * span * (lo < 0), hi + pad * span
    if beyond_lo:
        lo -= 0.08 * span
    if beyond_hi:
        hi += 0.08 * span
    return lo, hi


#: Colour scales of the tile grid: diverging (centred on zero) for values of both signs, one hue otherwise.
DIVERGING, POSITIVE, NEGATIVE = "BrBG", "Greens", "Oranges_r"


# --------------------------------------------------------------------------------------------- charts
@drawn_once
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
    growth = table["fai_growth_pct"].astype(float)
    flags = is_flagged(table)
    lo, hi = clip_limits(growth, flags)
    if national is not None and pd.notna(national.value):
        lo, hi = min(lo, float(national.value) * 1.1), max(hi, float(national.value) * 1.1)
    cut = (growth < lo) | (growth > hi)
    bars = ax.barh(y, growth.clip(lo, hi), color=colors, height=0.75, gid="growth-bars")
    ax.set_xlim(lo, hi)
    for yi, v, c in zip(y, growth, cut, strict=True):
        if c:
            ax.annotate(
                chart_text(say("label.cut", lang, value=v)),
                (lo if v < lo else hi, yi),
                xytext=(4 if v < lo else -4, 0),
                textcoords="offset points",
                va="center",
                ha="left" if v < lo else "right",
                fontsize=MIN_FONT,
                zorder=4,
                gid="clipped",
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.9},
            )
    for bar, flagged in zip(bars, flags, strict=True):
        if flagged:  # kept as published, drawn hatched: a revision artefact or a value failing a check
            bar.set_hatch("///")
            bar.set_edgecolor(NOTE_GREY)
    if flags.any():
        ax.text(
            0.99,
            0.01,
            chart_text(say("label.flag_key", lang, kinds=_flag_kinds(table[flags]))),
            transform=ax.transAxes,
            ha="right",
            va="bottom",
            fontsize=8,
            color=NOTE_GREY,
            gid="flag-key",
        )
    labels = [chart_text(place(p, lang)) + (" *" if f else "") for p, f in zip(table["province"], flags, strict=True)]
    ax.set_yticks(y, labels)
    for lbl, p in zip(ax.get_yticklabels(), table["province"], strict=True):
        if p == province:
            lbl.set_color(HIGHLIGHT)
            lbl.set_fontweight("bold")
    ax.invert_yaxis()
    ax.tick_params(axis="y", labelsize=MIN_FONT)
    ax.axvline(0, color="black", lw=0.8)
    national_label = None
    if national is not None:
        national_label = say(
            "label.national",
            lang,
            scope=national.scope,
            derived=national.derived,
            value=national.value,
            decimals=national.decimals,
        )
        ax.axvline(national.value, color=NATIONAL, lw=1.5, ls="--", gid="national", label=national_label)
    ax.set_xlabel(chart_text(say("label.fai_growth_axis", lang)))
    ax.set_ylabel("")
    ax.grid(axis="y", visible=False)
    set_legend(ax)  # fits the axis label under a legend
    if ax.get_legend() is None:  # no national line: the label is fitted all the same (it ran past the edge)
        fit_xlabel(ax)
    set_title(ax, title)
    order = table.reset_index(drop=True)
    me = order.index[order["province"] == province]
    # the published rank among the ranked provinces (a value failing a cross-check has none), not the bar's place
    ranks = order["rank"] if "rank" in order else pd.Series(np.arange(1, len(order) + 1), index=order.index)
    ranked = order[ranks.notna()]
    focus = (
        say(
            "alt.growth_bars_focus",
            lang,
            **_alt_facts(
                lang,
                province=province,
                growth=order.at[me[0], "fai_growth_pct"],
                rank=ranks.at[me[0]],
                n=len(ranked),
            ),
        )
        if len(me)
        else ""
    )
    clipped = (
        say(
            "alt.clipped",
            lang,
            **_alt_facts(lang, names=list(order.loc[cut.to_numpy(), "province"]), values=list(growth[cut])),
        )
        if cut.any()
        else ""
    )
    columns = ["province", "fai_growth_pct", "revision_artefact"] + (["rank"] if "rank" in order else [])
    record_data(
        ax,
        order[columns].assign(cut_at_axis_edge=cut.to_numpy()),
        written={"province": place},
        units={"fai_growth_pct": say("unit.pct_yoy", lang)},
        notes=[say("note.national", lang, national=national_label)] if national is not None else [],
        alt=say(
            "alt.growth_bars",
            lang,
            **_alt_facts(
                lang,
                n=len(order),
                year=national.year if national is not None else _year_of(table),
                focus=focus,
                fastest=tied_extreme(ranked),
                fastest_growth=ranked["fai_growth_pct"].iloc[0] if len(ranked) else None,
                slowest=tied_extreme(ranked, lowest=True),
                slowest_growth=ranked["fai_growth_pct"].iloc[-1] if len(ranked) else None,
                clipped=clipped,
            ),
        ),
        lang=lang,
    )


def tile_key(lang: str = DEFAULT_LANG) -> str:
    """The tile grid's key for its caption: in English, whose squares carry two-letter codes (:data:`TILE_CODES`),
    each code with the name it stands for, in the codes' order (an English reader cannot tell that XZ is Tibet or
    HA Henan); empty in a language whose squares carry the names."""
    codes = sorted((code, name) for name, code in TILE_CODES.items())

    def write(lang: str) -> str:
        return "" if lang != DEFAULT_LANG else say("chart.map_codes", lang, codes=codes)

    return Words.written(write, lang)  # in every language: empty in those whose squares carry names


def _tile_label(name: str, named: Any, lang: str) -> Words:
    """A square's label: in English the two-letter code (:data:`TILE_CODES`), in another language the name
    (``named``: :func:`~shanxi_analysis.messages.place` or :func:`~shanxi_analysis.messages.term`), in every
    language."""

    def write(lang: str) -> str:
        return TILE_CODES[name] if lang == DEFAULT_LANG else chart_text(str(named(name, lang))) or TILE_CODES[name]

    return Words.written(write, lang)


@drawn_once
def tile_map(
    ax: Axes,
    table: pd.DataFrame,
    province: str | None,
    *,
    title: str,
    vmin: float | None = None,
    vmax: float | None = None,
    year: int | None = None,
    lang: str = DEFAULT_LANG,
) -> None:
    """Growth by province on a tile grid (via :func:`shanxi_analysis.present.maps.draw_tile_map`): one equal square
    per province placed roughly by geography, labelled with its short name in ``lang`` and its value, the province
    outlined; Hong Kong, Macao and Taiwan grey, as the statistics do not cover them.

    Parameters
    ----------
    ax : Axes
    table : DataFrame
        With ``province`` (English) and ``fai_growth_pct``; provinces absent or without a value are hatched as
        "no figure" and named in the caption.
    province : str or None
        The province in focus, outlined in :data:`HIGHLIGHT`.
    title : str
        The finding.
    vmin, vmax : float, optional
        Colour-scale limits (values beyond them take the end colours; the square still shows the published value).
    """
    values = dict(zip(table["province"], table["fai_growth_pct"].astype(float), strict=True))
    finite = [v for v in values.values() if np.isfinite(v)]
    lo = vmin if vmin is not None else min(finite, default=0.0)
    hi = vmax if vmax is not None else max(finite, default=1.0)
    if lo < 0 < hi:  # signed values: a diverging scale centred on zero
        cmap, m = DIVERGING, max(-lo, hi)
        vmin, vmax = -m, m
    else:  # one sign: a one-hue scale starting at zero
        cmap = POSITIVE if hi > 0 else NEGATIVE
        vmin, vmax = (0.0, hi) if hi > 0 else (lo, 0.0)
    # English squares carry the ISO code (a full name does not fit at a phone's width), others the short name
    labels = {n: _tile_label(n, place, lang) for n in TILES} | {n: _tile_label(n, term, lang) for n in NOT_COVERED}
    draw_tile_map(
        ax,
        values,
        labels,
        cmap=cmap,
        vmin=vmin,
        vmax=vmax,
        highlight=province,
        highlight_color=HIGHLIGHT,
        colorbar_label=chart_text(say("label.fai_growth_short", lang)),
        key_labels=(chart_text(say("label.tile_no_figure", lang)), chart_text(say("label.tile_not_covered", lang))),
    )
    set_title(ax, title)
    set_legend(ax)
    fit_tile_labels(ax)
    names = provinces()
    shown_year = year if year is not None else _year_of(table)
    missing = [n for n in TILES if not np.isfinite(values.get(n, np.nan))]
    # a division set up after the year (Chongqing before 1997) is drawn hatched, but it is no missing figure: the
    # year had one division fewer, and the caption says what it was part of
    before = {n: not_yet(names, n, shown_year) for n in missing} if shown_year is not None else {}
    later = [{"province": n, "since": b.since, "parent": b.parent} for n, b in before.items() if b is not None]
    missing = [n for n in missing if before.get(n) is None]
    drawn = len(TILES) - len(later)
    focus_in = province is not None and province in TILES
    text = say(
        "label.map_caption", lang, year=shown_year, drawn=drawn, missing=missing, not_yet=later,
        highlight=province if focus_in else None, not_covered=list(NOT_COVERED),
    )  # fmt: skip
    # what the chart shows and leaves out: a note under the chart in the page (the figcaption), not on the picture
    setattr(figure_of(ax), "_shanxi_note", chart_text(text))  # noqa: B010
    flagged = set(table.loc[is_flagged(table), "province"])
    usable = [v for n, v in values.items() if np.isfinite(v) and n not in flagged]
    focus = ""
    if focus_in:
        focus = say(
            "alt.tile_map_focus", lang, **_alt_facts(lang, province=province, growth=values.get(province, np.nan))
        )
    data = pd.DataFrame(
        {
            "adcode": names["adcode"].astype(int),
            "province": names["name_en"],
            "code": [TILE_CODES[n] for n in names["name_en"]],  # what an English square shows
            "fai_growth_pct": [values.get(n, np.nan) for n in names["name_en"]],
        }
    )
    record_data(
        ax,
        data,
        written={"province": place},
        units={"fai_growth_pct": say("unit.pct_yoy", lang)},
        notes=[text],
        alt=say(
            "alt.tile_map",
            lang,
            **_alt_facts(
                lang,
                year=shown_year,
                n=len(finite),
                drawn=drawn,
                # the range of the usable figures, as the page's text gives it (Heilongjiang 2016's alt text said
                # "from −63.5%", Liaoning's flagged figure, which the colour note names apart)
                low=min(usable, default=None),
                high=max(usable, default=None),
                focus=focus,
                missing=missing,
                not_yet=later,
                not_covered=list(NOT_COVERED),
            ),
        ),
        lang=lang,
    )


def _bar_name(en: Any, zh: Any, lang: str) -> Words:
    """A published category's name: as published (Chinese) on a Chinese page, translated on others."""

    def write(lang: str) -> str:
        return str(zh) if lang == "zh" else str(en)

    return Words.written(write, lang)


@drawn_once
def breakdown_bars(
    ax: Axes,
    table: pd.DataFrame,
    *,
    reference: float | None = None,
    reference_label: str = "",
    title: str,
    xlabel: str = "Growth, % year on year",
    clip_at: float | None = None,
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
    lang : str, default "en"
        The language of the labels; the bars are named as published (``name_zh``) on a Chinese page and by their
        translation (``name_en``) on others.
    """
    t = table[table["growth_pct"].notna()]
    y = np.arange(len(t))
    ax.barh(y, t["growth_pct"], color=GREY, height=0.7, gid="breakdown-bars")
    published = t["name_zh"] if "name_zh" in t else t["name_en"]  # (a table without names as published: translated)
    named = [_bar_name(en, zh, lang) for en, zh in zip(t["name_en"], published, strict=True)]
    names = [wrap_text(chart_text(n), CATEGORY_WIDTH, balanced=True) for n in named]
    _fit_height(ax, names)
    ax.set_yticks(y, names)
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
            fontsize=MIN_FONT,
            zorder=4,
            color="white" if not inside else "black",
            fontweight="bold" if not inside else "normal",
            bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.85} if inside else None,
        )
    ax.set_xlabel(chart_text(xlabel))
    ax.grid(axis="y", visible=False)
    set_legend(ax)
    set_title(ax, title)
    cols = [c for c in ("name_en", "name_zh", "growth_pct", "amount_100m_yuan", "share_pct") if c in t]
    shared_of = t["share_of"].dropna().unique().tolist() if "share_of" in t else []  # what share_pct is a share of
    record_data(
        ax,
        t[cols].assign(cut_at_axis_edge=(t["growth_pct"] > clip_at) if clip_at is not None else False),
        units={
            "growth_pct": say("unit.pct_yoy", lang),
            "amount_100m_yuan": say("unit.yuan_hundred_million", lang),
            "share_pct": say("unit.share", lang, share_of=shared_of[0] if len(shared_of) == 1 else None),
        },
        notes=[reference_label] if reference_label else [],
        alt=say(
            "alt.breakdown_bars",
            lang,
            **_alt_facts(
                lang,
                n=len(t),
                top=named[0] if len(t) else None,
                top_growth=t["growth_pct"].iloc[0] if len(t) else None,
                bottom=named[-1] if len(t) else None,
                bottom_growth=t["growth_pct"].iloc[-1] if len(t) else None,
                reference=reference_label,
            ),
        ),
        lang=lang,
    )


#: Per size column of :func:`scale_scatter`, per language, what its values are divided by as written: English
#: writes GDP in billions of yuan (100 million yuan x 10), Chinese in 亿元 (100 million) as published.
GDP_PER: dict[str, dict[str, float]] = {"gdp_100m_yuan": {"en": 10.0}}


@drawn_once
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
        Column for the x axis (``gdp_100m_yuan`` or ``gdp_per_capita_yuan``); GDP is written in billions of yuan
        on an English page (100 million x 10) and in 亿元 (100 million), as published, on a Chinese one.
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
        nice_log_ticks(ax, lang, per=GDP_PER.get(x, {}))
    ax.set_xlabel(chart_text(xlabel))
    ax.set_ylabel(chart_text(say("label.fai_growth_short", lang)))
    set_title(ax, title)
    texts = []
    growth = t["fai_growth_pct"]
    named = (
        {province}
        | set(t.loc[growth.nlargest(2).index, "province"])
        | set(t.loc[growth.nsmallest(2).index, "province"])
    )
    named |= set(t.loc[[t[x].idxmax(), t[x].idxmin()], "province"]) if len(t) else set()
    lab = t[t["province"].isin(named)]  # on a phone-width chart only these are named; the CSV has every province
    for _, r in lab.iterrows():
        is_focus = r["province"] == province
        texts.append(
            ax.text(
                r[x],
                r["fai_growth_pct"],
                chart_text(place(r["province"], lang)),
                ha="center",
                va="center",
                fontsize=LABEL_FONT,
                color=HIGHLIGHT if is_focus else "#333333",
                fontweight="bold" if is_focus else "normal",
                zorder=6,
                gid="point-label",
            )
        )
    fit_xlabel(ax)  # a long axis label (the Chinese one) wraps inside the figure
    place_labels(ax, texts, lab[x].to_numpy(float), lab["fai_growth_pct"].to_numpy(float))
    what = chart_text(xlabel)
    # the province's point, unless the title already gives its figures (the alt text starts with the title: an
    # editor found Ningxia's GDP twice in one alt text, as 531.5 and as 532 billion yuan)
    titled = (
        len(focus) > 0 and place(province, lang) in title and fmt.pct(abs(focus["fai_growth_pct"].iloc[0])) in title
    )
    record_data(
        ax,
        t[["province", x, "fai_growth_pct"]],
        written={"province": place},
        units={x: say("unit.yuan_hundred_million", lang) if x == "gdp_100m_yuan" else what}
        | {"fai_growth_pct": say("unit.pct_yoy", lang)},
        alt=say(
            "alt.scale_scatter",
            lang,
            **_alt_facts(
                lang,
                n=len(t),
                axis=xlabel,
                focus=say(
                    "alt.scale_scatter_focus",
                    lang,
                    **_alt_facts(
                        lang, province=province, x_value=focus[x].iloc[0], growth=focus["fai_growth_pct"].iloc[0]
                    )
                    | {"per_head": x == "gdp_per_capita_yuan"},
                )
                if len(focus) and not titled
                else "",
            ),
        ),
        lang=lang,
    )


@drawn_once
def verdict_chart(ax: Axes, counts: Mapping[str, int], *, title: str, lang: str = DEFAULT_LANG) -> None:
    """Horizontal bars of the number of claims per verdict, in the order of :data:`VERDICT_COLORS` from the top,
    counts printed at the bar ends (the verdicts' names read across, whatever the chart's width), in ``lang``."""
    order = [v for v in VERDICT_COLORS if v in counts] + [v for v in counts if v not in VERDICT_COLORS]
    vals = [int(counts[v]) for v in order]
    y = np.arange(len(order))
    bars = ax.barh(y, vals, color=[VERDICT_COLORS.get(v, GREY) for v in order], height=0.6, gid="verdicts")
    for b, v in zip(bars, vals, strict=True):
        ax.annotate(
            str(v),
            (v, b.get_y() + b.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=MIN_FONT,
            fontweight="bold",
        )
    ax.set_yticks(y, [say("article.verdict_word", lang, verdict=v) for v in order])
    ax.invert_yaxis()
    ax.set_xlabel(say("article.claims_axis", lang))
    ax.set_xlim(0, max(vals + [1]) * 1.15)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.grid(axis="y", visible=False)
    set_title(ax, title)
    record_data(
        ax,
        pd.DataFrame({"verdict": order, "claims": vals}),
        units={"claims": say("unit.claims", lang)},
        alt=say(
            "alt.verdict_chart",
            lang,
            **_alt_facts(lang, n=sum(vals), verdicts=dict(zip(order, vals, strict=True))),
        ),
    )


# --------------------------------------------------------------------------------------------- over time
@drawn_once
def rank_history_chart(
    axes: Sequence[Axes],
    history: pd.DataFrame,
    best: pd.DataFrame,
    year: int,
    changes: Sequence[tuple[int, str]],
    *,
    title: str,
    province: str | None = None,
    lang: str = DEFAULT_LANG,
) -> None:
    """The province's growth (top) and rank (bottom, 1 on top) over the series (``province``: its name, for the
    alt text; None: "the province").

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
        history["year"],
        history["fai_growth_pct"].where(~is_flagged(history)),  # flagged values: crosses below, never joined
        color=HIGHLIGHT,
        marker="o",
        ms=3.5,
        lw=1.5,
        gid="growth-line",
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
    art = history[drawn_flagged(history)]  # a share of national investment is no growth rate: not drawn
    if is_flagged(history).any():  # a series with flagged values keeps its axis to the ordinary ones
        _clip_y(ax_g, history, lang)
    if not art.empty:
        ax_g.scatter(
            art["year"],
            _at_edge(art["fai_growth_pct"], ax_g),
            marker="X",
            s=70,
            color="black",
            zorder=5,
            label=chart_text(say("label.flagged", lang, kinds=_flag_kinds(art), not_joined=False)),
            gid="artefacts",
        )
    for ax in axes:
        ax.axvspan(year - 0.5, year + 0.5, color=HIGHLIGHT, alpha=0.12, lw=0)
        for y, _ in changes:
            ax.axvline(y - 0.5, color=NOTE_GREY, ls=":", lw=1.2)
    n_max = int(history["n_ranked"].max()) if history["n_ranked"].notna().any() else 31
    ax_r.set_ylim(n_max + 1, -0.6)  # room above rank 1 for its star, whole inside the frame
    ax_r.set_yticks([1, 5, 10, 15, 20, 25, 30][: sum(t <= n_max for t in [1, 5, 10, 15, 20, 25, 30])])
    ax_g.set_ylabel(chart_text(say("label.growth_axis", lang)))
    ax_r.set_ylabel(_rank_axis(chart_text(say("label.rank_axis", lang))))
    ax_r.set_xlabel(chart_text(say("label.year_axis", lang)))
    fig = figure_of(ax_g)
    lay_out(fig)  # the axes' width once the axis labels have their room
    span = max(1.0, float(history["year"].max() - history["year"].min()) + 1)  # years across the axis
    per_year = ax_g.bbox.width * 72 / fig.dpi / span  # points per year
    first_year = float(history["year"].min())
    # each line's year centred above it (the source note says what the lines are); labels that would touch go on
    # the next free line
    texts = [chart_text(say("label.scope_change", lang, year=y)) for y, _ in changes]
    widths = [_label_width(t) for t in texts]
    spans = [((y - 0.5 - first_year) * per_year - w / 2, w) for (y, _), w in zip(changes, widths, strict=True)]
    rows = _label_rows(spans, np.inf)
    for (y, _), text, (row, _) in zip(changes, texts, rows, strict=True):
        # above the axes, clear of the data (stacked upwards when labels would touch)
        _above_axes(ax_g, text, y - 0.5, lift=(MIN_FONT + 3) * row, color=NOTE_GREY)
    ax_g.axhline(0, color="black", lw=0.8)
    set_legend(ax_g, axes)
    set_title(ax_g, title, above=(1 + max(r for r, _ in rows)) * (MIN_FONT + 3) + 3 if rows else 0.0)
    row = history[history["year"] == year]
    columns = ["year", "fai_growth_pct", "rank", "n_ranked", "revision_artefact"]
    record_data(
        ax_g,
        history[[c for c in columns if c in history]],
        units={
            "fai_growth_pct": say("unit.pct_yoy", lang),
            "rank": say("unit.rank", lang),
            "n_ranked": say("unit.n_ranked", lang),
        },
        notes=[say("note.flagged_marked", lang)],
        alt=say(
            "alt.rank_history",
            lang,
            **_alt_facts(
                lang,
                **_span_facts(history, province, year),
                growth=row["fai_growth_pct"].iloc[0] if len(row) else None,
                rank=row["rank"].iloc[0] if len(row) else None,
                n_ranked=row["n_ranked"].iloc[0] if len(row) else None,
            ),
        ),
        lang=lang,
    )


@per_language
def _rank_axis(text: str) -> str:
    """The rank axis's label wrapped to the axis's height (Chinese at a shorter line: its characters are wider)."""
    return wrap_text(text, 18 if text_width(text, 90) < 90 else 22)  # (a narrower width: Chinese)


#: How far inside the frame a value beyond the axis is drawn, as a share of the axis: its marker whole, not cut in
#: half by the frame (Xinjiang's 2018 cross).
EDGE_INSET = 0.03


def _at_edge(values: pd.Series, ax: Axes) -> pd.Series:
    """``values`` as drawn on ``ax``'s growth axis: those beyond it just inside its edge (:data:`EDGE_INSET`), where
    :func:`_clip_y` labels them with their published value; the others where they are."""
    lo, hi = ax.get_ylim()
    inset = EDGE_INSET * (hi - lo)
    return values.where(values >= lo, lo + inset).where(values <= hi, hi - inset)


def _clip_y(ax: Axes, history: pd.DataFrame, lang: str = DEFAULT_LANG) -> None:
    """Keep a growth axis to the ordinary values: revision artefacts and extreme outliers beyond it are drawn at
    its edge (by the caller) and labelled here with their published value, rightwards from the point's year (leftwards
    near the last year, where the label would run past the frame: Xinjiang's 2018).  Labels
    that would touch go on the next line inwards (:func:`_label_rows`): written on one line, labels a year or two apart
    printed over each other and read as one wrong number (60.6% and 61.5% as "661.5%")."""
    values = history["fai_growth_pct"].astype(float)
    lo, hi = clip_limits(values, history["revision_artefact"])
    ax.set_ylim(lo, hi)
    first, last = float(history["year"].min()), float(history["year"].max())
    per_year = 0.75 * figure_of(ax).get_figwidth() * 72 / (last - first + 1)  # points a year: the axes are narrower
    for low in (True, False):
        cut = [(int(y), v) for y, v in zip(history["year"], values, strict=True) if (v < lo if low else v > hi)]
        texts = [chart_text(say("label.cut", lang, value=v)) for _, v in cut]
        spans = [((y - first + 0.5) * per_year, _label_width(t)) for (y, _), t in zip(cut, texts, strict=True)]
        room = (last - first + 1) * per_year  # a label that would run past the last year is written leftwards
        for (y, _), text, (row, leftwards) in zip(cut, texts, _label_rows(spans, room), strict=True):
            step = 4 + (MIN_FONT + 3) * row
            ax.annotate(
                text,
                (y, lo if low else hi),
                xytext=(-6 if leftwards else 6, step if low else -step),
                textcoords="offset points",
                ha="right" if leftwards else "left",
                va="bottom" if low else "top",
                fontsize=MIN_FONT,
                gid="clipped",
                bbox={"boxstyle": "square,pad=0.1", "fc": "white", "ec": "none", "alpha": 0.9},
            )


def _above_axes(ax: Axes, text: str, x: float, *, lift: float = 0.0, color: str, gid: str | None = None) -> None:
    """``text`` centred on ``x`` (data) just above the axes' top edge, ``lift`` points higher (a label stacked over
    another), never clipped; the title clears it through :func:`set_title`'s ``above``."""
    ax.annotate(
        text,
        xy=(x, 1.0),
        xycoords=("data", "axes fraction"),
        xytext=(0, 3 + lift),
        textcoords="offset points",
        fontsize=MIN_FONT,
        color=color,
        va="bottom",
        ha="center",
        annotation_clip=False,
        gid=gid,
    )


def _label_width(text: str) -> float:
    """The width of a one-line label at :data:`MIN_FONT` in points, estimated from its characters (a Chinese
    character is about twice as wide as a Latin one), with its offset from the point; of the widest of its
    languages for text written in several."""
    return max(len(t) * MIN_FONT * 0.62 * 90 / text_width(t, 90) + 6 for t in every_language(text))


def _label_rows(spans: Sequence[tuple[float, float]], room: float) -> list[tuple[int, bool]]:
    """Lines for labels written beside points along an axis so that no two on a line touch: for each label
    (``spans``: the point's position and the label's width, in points, in the order given) its line (0: next to
    the axis edge, then inwards) and whether it is written leftwards from its point, as a label that would run past
    ``room`` (the axis length) is."""
    rows: list[list[tuple[float, float]]] = []  # per line, the stretches its labels take
    out = []
    for start, width in spans:
        right = start + width > room
        a, b = (start - width, start) if right else (start, start + width)
        row = next((k for k, taken in enumerate(rows) if all(b < x0 or a > x1 for x0, x1 in taken)), len(rows))
        if row == len(rows):
            rows.append([])
        rows[row].append((a, b))
        out.append((row, right))
    return out


def _point_label(row: pd.Series, lang: str = DEFAULT_LANG) -> str | None:
    labels = []
    if bool(row.get("derived", False)):
        labels.append(chart_text(say("label.derived_point", lang)))
    if from_drc(row.get("source_desc")):
        labels.append(chart_text(say("label.drc_point", lang)))
    if not labels:
        return None
    out = labels[0]
    for label in labels[1:]:
        out = out + " / " + label  # Words: the label in every language
    return out


@drawn_once
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
        figures are labelled "derived", those from the Development and Reform Commission DRC.
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
                fontsize=MIN_FONT,
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
                    fontsize=MIN_FONT,
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
    ticks = [_period_tick(chart_text(say("label.period_tick", lang, period=ytd(m)))) for m in range(2, 13)]
    ax.set_xticks(range(2, 13), ticks)
    ax.set_xlim(1.5, 12.5)
    ax.set_xlabel(chart_text(say("label.period_axis", lang)))
    ax.set_ylabel(chart_text(say("label.cum_growth_axis", lang)))
    set_legend(ax)
    set_title(ax, title)
    frames = []
    if national is not None:
        frames.append(national[["end_month", "cum_growth_pct"]].assign(series="China"))
    if province is not None:
        cols = [c for c in ("end_month", "cum_growth_pct", "derived") if c in province]
        frames.append(province[cols].assign(series=province_name))
    data = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["series"])
    nat = national.dropna(subset=["cum_growth_pct"]) if national is not None else None
    found = province.dropna(subset=["cum_growth_pct"]) if province is not None else None
    record_data(
        ax,
        data[["series", *[c for c in data.columns if c != "series"]]],
        written={"series": place},
        units={"end_month": say("unit.end_month", lang), "cum_growth_pct": say("unit.pct_ytd", lang)},
        notes=[say("note.month_gaps", lang)],
        alt=say(
            "alt.monthly_chart",
            lang,
            **_alt_facts(
                lang,
                national_from=nat["cum_growth_pct"].iloc[0] if nat is not None and len(nat) else None,
                national_to=nat["cum_growth_pct"].iloc[-1] if nat is not None and len(nat) else None,
                focus=say(
                    "alt.monthly_province",
                    lang,
                    **_alt_facts(lang, province=province_name, n=len(found), growth=found["cum_growth_pct"].iloc[-1]),
                )
                if found is not None and len(found)
                else "",
            ),
        ),
        lang=lang,
    )


@per_language
def _period_tick(text: str) -> str:
    return text.replace("-", "-\n", 1)


# --------------------------------------------------------------------------------------------- the province story
def _series_finish(
    ax: Axes, history: pd.DataFrame, year: int, ylabel: str, title: str, lang: str = DEFAULT_LANG
) -> None:
    """Common to the year-by-year charts: flagged values as crosses (never joined; :func:`drawn_flagged`: not a
    share of national investment, which is no growth rate), the year shaded, the zero line, labels, legend and
    title."""
    art = drawn_flagged(history)
    if is_flagged(history).any():  # a series with flagged values keeps its axis to the ordinary ones
        _clip_y(ax, history, lang)
    if art.any():
        ax.scatter(
            history.loc[art, "year"],
            _at_edge(history.loc[art, "fai_growth_pct"], ax),
            marker="X",
            s=60,
            color="black",
            zorder=5,
            gid="artefacts",
            label=chart_text(say("label.flagged", lang, kinds=_flag_kinds(history[art]), not_joined=True)),
        )
    ax.axvspan(year - 0.5, year + 0.5, color=HIGHLIGHT, alpha=0.12, lw=0)
    # the shaded year named above its band, so that no title has to say what the shading is
    _above_axes(ax, chart_text(say("label.shaded_year", lang, year=year)), year, color=HIGHLIGHT, gid="shaded-year")
    ax.axhline(0, color="black", lw=0.8)
    ax.set_xlabel(chart_text(say("label.year_axis", lang)))
    ax.set_ylabel(chart_text(ylabel))
    set_legend(ax)  # under the axes, never over the lines
    set_title(ax, title, above=MIN_FONT + 3)


def _national_decimals(national: pd.DataFrame | None, year: int) -> int:
    """The decimals China's figure of ``year`` was published to (:func:`analysis.national_series`'s ``decimals``;
    one where the frame does not say)."""
    if national is None or "decimals" not in national:
        return 1
    hit = national.loc[national["year"] == year, "decimals"]
    return int(hit.iloc[0]) if len(hit) else 1


def _rough_years(national: pd.DataFrame | None, history: pd.DataFrame) -> tuple[list[int], list[int]]:
    """The years of the drawn span in which China's figure was published to the whole percent (2004) and those in
    which it is derived from other published figures (2008); none where ``national`` has no ``decimals``."""
    if national is None or "decimals" not in national:
        return [], []
    drawn = national[national["year"].between(history["year"].min(), history["year"].max())]
    rounded = [int(y) for y in drawn.loc[drawn["decimals"] < 1, "year"]]
    return rounded, [int(y) for y in drawn.loc[drawn["derived"].astype(bool), "year"]]


@drawn_once
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
    rounded_years, derived_years = _rough_years(national, history)  # drawn apart, and named in the data's note
    art = is_flagged(history)
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
        rough = full.loc[sorted(set(rounded_years) | set(derived_years))]
        if len(rough):  # a figure derived from others (2008) or published to the whole percent (2004): open squares
            ax.plot(
                rough.index,
                rough["growth_pct"],
                ls="none",
                marker="s",
                ms=4.5,
                mfc="white",
                mec=NATIONAL,
                mew=1.2,
                zorder=4,
                gid="national-rough",
                label=chart_text(say("label.china_rough", lang)),
            )
    _series_finish(ax, history, year, say("label.fai_growth_short", lang), title, lang)
    notes = [say("note.flagged_crosses", lang)] if drawn_flagged(history).any() else []
    if rounded_years or derived_years:  # the file's numbers cannot show how a figure was published
        notes.append(say("note.china_rough", lang, rounded_years=rounded_years, derived_years=derived_years))
    data = history[["year", "fai_growth_pct", "revision_artefact"]].copy()
    if national is not None and not national.empty:
        data = data.merge(
            national[["year", "growth_pct"]].rename(columns={"growth_pct": "china_growth_pct"}), on="year", how="left"
        )
    row = data[data["year"] == year]
    record_data(
        ax,
        data,
        units={"fai_growth_pct": say("unit.pct_yoy", lang), "china_growth_pct": say("unit.pct_yoy", lang)},
        notes=notes,
        alt=say(
            "alt.story_path",
            lang,
            **_alt_facts(
                lang,
                **_span_facts(history, province, year),
                growth=row["fai_growth_pct"].iloc[0] if len(row) else None,
                national=row["china_growth_pct"].iloc[0] if len(row) and "china_growth_pct" in row else None,
                decimals=_national_decimals(national, year),
            ),
        ),
        lang=lang,
    )


def _room_for_labels(ax: Axes, labels: Sequence[Annotation]) -> None:
    """Widen the value axis of ``ax`` (x, to the right) so that ``labels`` drawn past the bars' ends, at an offset
    in points from a data position that the axis limits do not count, end inside the frame: the longest bar's
    value label ran across the frame on 06 (Hainan 2009's 41.1%)."""
    renderer = lay_out(figure_of(ax))
    box = ax.get_window_extent(renderer)
    lo, hi = ax.get_xlim()
    wanted = hi
    for label in labels:
        anchor = float(label.xy[0])
        start = box.x0 + (anchor - lo) / (hi - lo) * box.width  # the anchor in pixels
        reach = label.get_window_extent(renderer).x1 - start + MIN_FONT / 2  # the label's reach past it, padded
        if reach < box.width:  # the anchor at (anchor - lo) / (wanted - lo) of the width leaves room for the reach
            wanted = max(wanted, lo + (anchor - lo) * box.width / (box.width - reach))
    if wanted > hi:
        ax.set_xlim(lo, wanted)


@drawn_once
def peer_bars(
    ax: Axes, table: pd.DataFrame, province: str, *, title: str, year: int | None = None, lang: str = DEFAULT_LANG
) -> None:
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
    year : int, optional
        The year of the figures, named in the alt text (else the table's ``year`` column, where it has one).
    """
    t = table[table["fai_growth_pct"].notna()].sort_values("fai_growth_pct", ascending=False)
    y = np.arange(len(t))
    colors = [
        HIGHLIGHT if p == province else "#6f6f6f" if "neighbour" in g else GREY
        for p, g in zip(t["province"], t["group"], strict=True)
    ]
    ax.barh(y, t["fai_growth_pct"], color=colors, height=0.7, gid="peer-bars")
    names = [
        chart_text(place(p, lang))
        if p == province
        else wrap_text(chart_text(say("label.peer", lang, province=p, group=g)), CATEGORY_WIDTH, balanced=True)
        for p, g in zip(t["province"], t["group"], strict=True)
    ]
    _fit_height(ax, names)
    ax.set_yticks(y, names)
    for lbl, p in zip(ax.get_yticklabels(), t["province"], strict=True):
        if p == province:
            lbl.set_color(HIGHLIGHT)
            lbl.set_fontweight("bold")
    values = [
        ax.annotate(
            fmt.pct(v), (max(v, 0), yi), xytext=(3, 0), textcoords="offset points", va="center", fontsize=MIN_FONT
        )
        for yi, v in zip(y, t["fai_growth_pct"], strict=True)
    ]
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(chart_text(say("label.fai_growth_axis", lang)))
    ax.grid(axis="y", visible=False)
    set_title(ax, title)
    _room_for_labels(ax, values)
    fit_xlabel(ax)  # laid out again: the labels inside the frame, the axes reach further right than they did
    order = t.reset_index(drop=True)
    me = order.index[order["province"] == province]
    flag = None if len(me) else flag_of(table, province)  # a flagged value is not among the bars
    record_data(
        ax,
        order[[c for c in ("province", "group", "fai_growth_pct") if c in order]],
        written={"province": place, "group": term},
        units={"fai_growth_pct": say("unit.pct_yoy", lang)},
        alt=say(
            "alt.peer_bars",
            lang,
            **_alt_facts(
                lang,
                year=year if year is not None else _year_of(table),
                province=province,
                n=len(order) - len(me),
                growth=order.at[me[0], "fai_growth_pct"] if len(me) else None,
                rank=int(me[0]) + 1 if len(me) else None,
                total=len(order),
            )
            | {"why": "" if flag is None else say("flag.short", lang, flag=flag, many=False)},
        ),
        lang=lang,
    )


@drawn_once
def economy_chart(
    ax: Axes,
    history: pd.DataFrame,
    year: int,
    *,
    title: str,
    province: str | None = None,
    lang: str = DEFAULT_LANG,
) -> None:
    """Nominal and real (derived) investment growth and real GRP growth of one province by year, the year shaded.

    Parameters
    ----------
    ax : Axes
    history : DataFrame
        :func:`shanxi_analysis.analysis.macro.economy_history`; gaps stay gaps and revision artefacts are drawn as
        crosses, not joined.
    year : int
    title : str
    """
    art = is_flagged(history)
    labels = {  # the lines' legend labels; the alt text names them too
        "fai_growth_pct": say("label.fai_nominal", lang),
        "real_fai_growth_pct": say("label.fai_real", lang),
        "real_grp_growth_pct": say("label.grp_real", lang),
    }
    series: tuple[tuple[str, dict[str, Any], bool], ...] = (
        (
            "fai_growth_pct",
            dict(
                color=HIGHLIGHT,
                marker="o",
                ms=3,
                lw=1.2,
                label=chart_text(labels["fai_growth_pct"]),
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
                label=chart_text(labels["real_fai_growth_pct"]),
                gid="fai-real",
            ),
            True,
        ),
        (
            "real_grp_growth_pct",
            dict(
                color=NATIONAL,
                marker="s",
                ms=3,
                lw=1.4,
                label=chart_text(labels["real_grp_growth_pct"]),
                gid="grp-real",
            ),
            False,
        ),
    )
    for column, style, investment in series:
        values = history[column].where(~art) if investment else history[column]
        if values.notna().any():  # a series the data does not have (Tibet's real growth) gets no legend entry
            ax.plot(history["year"], values, **style)
    _series_finish(ax, history, year, say("label.growth_axis", lang), title, lang)
    cols = [c for c, _, _ in series if c in history]
    row = history[history["year"] == year]
    record_data(
        ax,
        history[["year", *cols, "revision_artefact"]],
        units={c: say("unit.pct_yoy", lang) for c in cols},
        notes=[say("note.real_derived", lang)],
        alt=say(
            "alt.economy_chart",
            lang,
            **_alt_facts(
                lang,
                **_span_facts(history, province, year),
                series=[(labels[c], row[c].iloc[0]) for c in cols] if len(row) else [],
            ),
        ),
        lang=lang,
    )


@drawn_once
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
                    fontsize=MIN_FONT,
                )
    ax.set_yticks(y, [chart_text(say("label.field", lang, field=f)) for f in drivers["field"]])
    ax.invert_yaxis()
    ax.axvline(0, color="black", lw=0.8)
    ax.set_xlabel(chart_text(say("label.field_axis", lang)))
    ax.grid(axis="y", visible=False)
    set_legend(ax)  # under the axes, never over the lines
    set_title(ax, title)
    record_data(
        ax,
        drivers[["field", "province_pct", "china_pct"]].rename(columns={"province_pct": f"{province}_pct"}),
        written={"field": term},
        units={f"{province}_pct": say("unit.pct_yoy", lang), "china_pct": say("unit.pct_yoy", lang)},
        alt=say(
            "alt.field_bars",
            lang,
            **_alt_facts(
                lang,
                province=province,
                fields=[(r.field, r.province_pct, r.china_pct) for r in drivers.itertuples()],
            ),
        ),
        lang=lang,
    )
