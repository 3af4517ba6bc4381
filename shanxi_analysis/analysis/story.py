"""The province story: what a report set says about one province in one year, computed from the data.

Every helper here takes already-loaded datasets (:mod:`shanxi_analysis.datasets`) and returns plain results;
the ``*_text`` helpers turn those results into Markdown sentences, so that a notebook narrates with one call and
no sentence is ever pasted.  Text that comes from data files (scope and flag notes) is escaped with
:func:`shanxi_analysis.safe.text` before it is put into Markdown.  No helper fills a gap: a missing value stays
missing and the sentence says so.

=================================  =================================================================
helper                             question
=================================  =================================================================
:func:`cycle`                      the province's booms, busts, best and worst ranks, 1992 onwards
:func:`year_spread`                how did every province do in the year: range, median, falls?
:func:`scope_context`              does a change of the indicator's scope touch the year?
:func:`pandemic`                   2020: the national monthly path, the hardest-hit province
:func:`neighbours`                 which provinces share a border with it (from the province shapes)?
:func:`peers`                      the province against its NBS region and its neighbours in the year
:func:`data_gaps`                  what the data cannot say for the province and year
=================================  =================================================================
"""

from __future__ import annotations

from typing import Any, NamedTuple, Sequence

import numpy as np
import pandas as pd

from .. import safe
from ..present import numbers as fmt
from . import indicators as analysis

#: How many of its own fastest and slowest years :func:`cycle` lists as booms and busts.
N_EXTREMES = 3

#: The year whose pandemic shock :func:`pandemic` describes.
PANDEMIC_YEAR = 2020


def esc(text: Any) -> str:
    """``text`` as safe Markdown/HTML (data text is never trusted as markup): :func:`shanxi_analysis.safe.text`."""
    return safe.text(text)


def _years(values: Sequence[Any]) -> str:
    return fmt.join(str(int(y)) for y in values)


# --------------------------------------------------------------------------------------------- the cycle
class Cycle(NamedTuple):
    """The province's investment cycle: each frame is a slice of :func:`analysis.rank_history`."""

    province: str
    first_year: int
    last_year: int
    n_years: int  # years with a published figure
    booms: pd.DataFrame  # its N_EXTREMES fastest years (revision artefacts left out), fastest first
    busts: pd.DataFrame  # its N_EXTREMES slowest years (revision artefacts left out), slowest first
    falls: pd.DataFrame  # years in which investment fell (growth below zero, artefacts left out)
    best: pd.DataFrame  # years of its best rank (revision artefacts left out)
    worst: pd.DataFrame  # years of its worst rank (revision artefacts left out)
    artefacts: pd.DataFrame  # flagged revision artefacts, kept as published
    changes: list[tuple[int, str]]  # analysis.scope_changes


def cycle(history: pd.DataFrame, province: str) -> Cycle:
    """Booms, busts, falls and best/worst ranks of the province over the whole series.

    Parameters
    ----------
    history : DataFrame
        :func:`shanxi_analysis.analysis.rank_history` of the province.
    province : str
        Its canonical English name.

    Returns
    -------
    Cycle
        Revision artefacts are excluded from booms, busts and falls (they are not economics) and returned in
        ``artefacts``; ranks are as published.
    """
    have = history[history["fai_growth_pct"].notna()]
    real = have[~have["revision_artefact"].astype(bool)]
    booms = real.sort_values(["fai_growth_pct", "year"], ascending=[False, True]).head(N_EXTREMES)
    busts = real.sort_values(["fai_growth_pct", "year"], ascending=[True, True]).head(N_EXTREMES)
    falls = real[real["fai_growth_pct"] < 0].sort_values("year")
    ranked = real[real["rank"].notna()]
    worst = ranked[ranked["rank"] == ranked["rank"].max()] if not ranked.empty else ranked
    return Cycle(province, int(history["year"].min()), int(history["year"].max()), len(have),
                 booms.reset_index(drop=True), busts.reset_index(drop=True), falls.reset_index(drop=True),
                 analysis.best_years(real), worst.reset_index(drop=True),
                 history[history["revision_artefact"].astype(bool)].reset_index(drop=True),
                 analysis.scope_changes(history))


def growth_phrase(growth: float) -> str:
    """``"grew +10.6%"`` or ``"fell 12.5%"``: a change stated with its direction."""
    return f"grew {fmt.pct(growth)}" if growth >= 0 else f"fell {fmt.pct(-growth)}"


def _growth_years(frame: pd.DataFrame) -> str:
    return fmt.join(f"{int(r.year)} ({fmt.pct(r.fai_growth_pct, signed=True)})" for r in frame.itertuples())


def cycle_text(c: Cycle, year: int) -> str:
    """The cycle in a few sentences, with the year chosen placed in it."""
    if c.n_years == 0:
        return (f"{esc(c.province)} has no published investment growth figure in {c.first_year}-{c.last_year}, "
                "so it has no cycle to describe.")
    parts = [f"Between {c.first_year} and {c.last_year} {esc(c.province)} has a published growth figure for "
             f"{fmt.plural(c.n_years, 'year')}."]
    if not c.booms.empty:
        parts.append(f"Its boom years, the fastest, were {_growth_years(c.booms)}; its slowest were "
                     f"{_growth_years(c.busts)}.")
    if c.falls.empty:
        parts.append("Its investment never fell in a year with a figure.")
    else:
        parts.append(f"Investment fell in {fmt.plural(len(c.falls), 'year')}: {_years(c.falls['year'])}.")
    if not c.best.empty:
        parts.append(f"Its best rank was {fmt.ordinal(int(c.best['rank'].iloc[0]))} ({_years(c.best['year'])}), "
                     f"its worst {fmt.ordinal(int(c.worst['rank'].iloc[0]))} ({_years(c.worst['year'])}).")
    if int(year) in set(c.booms["year"]):
        parts.append(f"{year} is one of its boom years.")
    elif int(year) in set(c.busts["year"]):
        parts.append(f"{year} is one of its slowest years.")
    for r in c.artefacts.itertuples():
        parts.append(f"**{int(r.year)} ({fmt.pct(r.fai_growth_pct, signed=True)}) is a data-revision artefact, "
                     f"not economics:** {esc(r.flag_note)}")
    return " ".join(parts)


def national_series(nat: pd.DataFrame) -> pd.DataFrame:
    """China's growth by year in the scope closest to the provincial series (:func:`analysis.national_growth`):
    ``year, growth_pct, scope, derived``; only years with a national figure."""
    rows = [analysis.national_growth(nat, int(y)) for y in sorted(nat["year"].unique())]
    out = pd.DataFrame([r._asdict() for r in rows if r is not None], columns=["year", "value", "scope", "derived"])
    out = out.rename(columns={"value": "growth_pct"})
    out.attrs = dict(nat.attrs)
    return out


def headline_text(py: analysis.ProvinceYear, national: analysis.NationalGrowth | None,
                  previous: int | None) -> str:
    """The year in one sentence or two: growth, rank, the national figure (a flagged revision artefact is
    said by :func:`scope_text`)."""
    if py.growth is None:
        text = (f"**{esc(py.province)} has no published fixed-asset investment growth figure for {py.year}**, so "
                f"it has no rank that year ({fmt.plural(py.n_ranked, 'province')} have one).")
    else:
        text = (f"**{esc(py.province)}'s fixed-asset investment {growth_phrase(py.growth)} in {py.year}, "
                f"{fmt.ordinal(py.rank)} of {py.n_ranked} provinces.**")
        if py.rank is not None and py.rank <= 5:
            text += (f" The last year it ranked as well was {previous}." if previous else
                     " It had not ranked as well in any earlier year of the series.")
    if national is None:
        text += f" No national growth figure for {py.year} is in the sources, so there is no national comparison."
    else:
        text += (f" China's investment ({esc(national.scope)}{', a DERIVED figure' if national.derived else ''}) "
                 f"{growth_phrase(national.value)}")
        if py.growth is not None:
            gap = py.growth - national.value
            text += (f"; {esc(py.province)} was {fmt.pp(abs(gap))} "
                     f"{'above' if gap > 0 else 'below' if gap < 0 else 'level with'} it.")
        else:
            text += "."
    return text


def breaks_list(changes: Sequence[tuple[int, str]], level: pd.DataFrame | None = None) -> list[str]:
    """Markdown bullets: each change of the growth indicator's scope (:func:`analysis.scope_changes`) and each
    break in the FAI levels (the 2011 threshold, the 2017 revisions: ``fai_level`` rows not comparable with the
    year before), in year order."""
    items = [(int(y), f"- **From {int(y)}, growth:** {esc(s)}") for y, s in changes]
    if level is not None:
        b = level.loc[~level["comparable_with_previous"].astype(bool), ["year", "break_note"]].drop_duplicates("year")
        items += [(int(r.year), f"- **{int(r.year)}, levels:** {esc(r.break_note)}") for r in b.itertuples()]
    return [text for _, text in sorted(items, key=lambda x: x[0])]


# --------------------------------------------------------------------------------------------- the year
class YearSpread(NamedTuple):
    """Every province's growth in one year (``artefacts``: provinces whose figure is a flagged revision
    artefact)."""

    year: int
    n: int
    fastest: str | None
    fastest_growth: float | None
    slowest: str | None
    slowest_growth: float | None
    median: float | None
    n_falls: int
    artefacts: tuple[str, ...] = ()


def year_spread(fai: pd.DataFrame, year: int) -> YearSpread:
    """Range, median and number of falls among provinces with a figure in ``year`` (artefacts included, as
    published)."""
    t = analysis.year_table(fai, year)
    if t.empty:
        return YearSpread(int(year), 0, None, None, None, None, None, 0)
    return YearSpread(int(year), len(t), str(t["province"].iloc[0]), float(t["fai_growth_pct"].iloc[0]),
                      str(t["province"].iloc[-1]), float(t["fai_growth_pct"].iloc[-1]),
                      float(t["fai_growth_pct"].median()), int((t["fai_growth_pct"] < 0).sum()),
                      tuple(t.loc[t["revision_artefact"].astype(bool), "province"]))


def spread_text(s: YearSpread, py: analysis.ProvinceYear) -> str:
    """Where the province sits in the year's spread."""
    if s.n == 0:
        return f"No province has a published investment growth figure for {s.year}."
    def who(name: str) -> str:
        return esc(name) + (", a revision artefact" if name in s.artefacts else "")

    text = (f"In {s.year} investment growth across the {fmt.plural(s.n, 'province')} with a figure ranged from "
            f"{fmt.pct(s.slowest_growth, signed=True)} ({who(s.slowest)}) to "
            f"{fmt.pct(s.fastest_growth, signed=True)} ({who(s.fastest)}); the median was {fmt.pct(s.median)}")
    text += f", and {fmt.plural(s.n_falls, 'province')} saw investment fall." if s.n_falls else \
        ", and no province saw investment fall."
    if py.growth is not None:
        gap = py.growth - s.median
        text += (f" {esc(py.province)}, at {fmt.pct(py.growth, signed=True)}, was {fmt.pp(abs(gap))} "
                 f"{'above' if gap > 0 else 'below' if gap < 0 else 'level with'} the median.")
    return text


class ScopeContext(NamedTuple):
    """The indicator's scope in a year and whether a change touches it."""

    year: int
    scope_note: str | None
    change: str | None  # the new scope when ``year`` is the first year of a new scope, else None
    flagged: list[str]  # provinces whose figure that year is a flagged revision artefact


def scope_context(fai: pd.DataFrame, year: int) -> ScopeContext:
    """The scope of the provincial figures in ``year``, a change of scope starting that year, and that year's
    flagged revision artefacts."""
    rows = fai[fai["year"] == year]
    note = rows["scope_note"].dropna()
    changes = dict(analysis.scope_changes(fai.drop_duplicates("year")[["year", "scope_note"]]))
    flagged = sorted(rows.loc[rows["revision_artefact"].astype(bool), "province"])
    return ScopeContext(int(year), None if note.empty else str(note.iloc[0]), changes.get(int(year)), flagged)


def scope_text(sc: ScopeContext, province: str) -> str:
    """The scope of the figures and any change or revision artefact touching the year."""
    parts = []
    if sc.change:
        parts.append(f"**A change of the indicator's scope or source starts in {sc.year}:** {esc(sc.change)}")
    elif sc.scope_note:
        parts.append(f"*Scope of the provincial figures in {sc.year}:* {esc(sc.scope_note)}")
    if sc.flagged:
        own = province in sc.flagged
        others = [p for p in sc.flagged if p != province]
        if own:
            parts.append(f"**{esc(province)}'s {sc.year} figure is a flagged data-revision artefact**, kept as "
                         "published: do not read it as a real swing.")
        if others:
            parts.append(f"The {sc.year} figures of {esc(fmt.join(others))} are flagged revision artefacts, kept "
                         "as published.")
    return " ".join(parts)


# --------------------------------------------------------------------------------------------- the pandemic
class Pandemic(NamedTuple):
    """2020 from the data: the national cumulative path and the provinces' annual figures."""

    first_period: str | None
    first_value: float | None  # national cumulative growth in the first period (Jan-Feb)
    lowest_period: str | None
    lowest_value: float | None
    year_value: float | None  # national growth for the year (December cumulative)
    hardest: str | None  # the province with the lowest 2020 growth
    hardest_growth: float | None
    n_falls: int
    n_ranked: int


def pandemic(monthly: pd.DataFrame, fai: pd.DataFrame) -> Pandemic:
    """The 2020 shock as the data shows it: China's monthly cumulative path and the hardest-hit province."""
    nat = analysis.monthly_paths(monthly, "China", PANDEMIC_YEAR).national
    nat = nat.dropna(subset=["cum_growth_pct"]) if nat is not None else None
    spread = year_spread(fai, PANDEMIC_YEAR)
    if nat is None or nat.empty:
        first = low = last = None
    else:
        first, last = nat.iloc[0], nat.iloc[-1]
        low = nat.loc[nat["cum_growth_pct"].idxmin()]
    return Pandemic(None if first is None else fmt.ytd(int(first["end_month"])),
                    None if first is None else float(first["cum_growth_pct"]),
                    None if low is None else fmt.ytd(int(low["end_month"])),
                    None if low is None else float(low["cum_growth_pct"]),
                    None if last is None else float(last["cum_growth_pct"]),
                    spread.slowest, spread.slowest_growth, spread.n_falls, spread.n)


def pandemic_text(p: Pandemic, py: analysis.ProvinceYear) -> str:
    """2020's pandemic shock in numbers, and where the province stood."""
    parts = []
    if p.first_value is not None:
        parts.append(f"2020 was the year of the COVID-19 shock. China's investment (excluding rural households) "
                     f"was {fmt.pct(p.first_value, signed=True)} on a year earlier in {p.first_period}, "
                     f"recovering month by month to {fmt.pct(p.year_value, signed=True)} for the whole year.")
    if p.hardest is not None:
        parts.append(f"Among the provinces, {esc(p.hardest)} was last at "
                     f"{fmt.pct(p.hardest_growth, signed=True)}" if p.hardest == "Hubei" else
                     f"Among the provinces, {esc(p.hardest)} was last at {fmt.pct(p.hardest_growth, signed=True)}")
        parts[-1] += (f", and {fmt.plural(p.n_falls, 'province')} of {p.n_ranked} ended the year below 2019."
                      if p.n_falls else ".")
    if py.growth is not None and py.province != p.hardest:
        parts.append(f"{esc(py.province)}'s investment {growth_phrase(py.growth)} in 2020, "
                     f"{fmt.ordinal(py.rank)} of {py.n_ranked}.")
    return " ".join(parts)


# --------------------------------------------------------------------------------------------- peers
def neighbours(shapes: pd.DataFrame, province: str) -> list[str]:
    """Provinces sharing a boundary with ``province`` on the map, in name order.

    Two provinces are neighbours when their outlines share a boundary point: the shipped shapes are simplified
    with shared borders kept identical, so a common border has common vertices.  Hainan, an island, has none.

    Parameters
    ----------
    shapes : DataFrame
        :func:`shanxi_analysis.datasets.province_shapes`.
    province : str
        Canonical English name.
    """
    def points(rings: Sequence[np.ndarray]) -> set[tuple[float, float]]:
        return {(round(float(x), 6), round(float(y), 6)) for ring in rings for x, y in np.asarray(ring)[:, :2]}

    by_name = dict(zip(shapes["province"], shapes["rings"]))
    if province not in by_name:
        return []
    mine = points(by_name[province])
    return sorted(p for p, rings in by_name.items() if p != province and mine & points(rings))


class Peers(NamedTuple):
    """The province beside its NBS region and its map neighbours in one year."""

    province: str
    year: int
    region: str
    table: pd.DataFrame  # province, group ("this province" / "region" / "neighbour" / "region and neighbour"),
    # fai_growth_pct (NaN where unpublished), rank; this province first, then fastest first
    region_median: float | None
    neighbour_median: float | None


def peers(fai: pd.DataFrame, provinces: pd.DataFrame, shapes: pd.DataFrame, province: str, year: int) -> Peers:
    """Growth of the province, its NBS region (East, Central, West, Northeast) and its neighbours in ``year``.

    Medians are over the peers with a figure, the province itself left out.
    """
    region = str(provinces.loc[provinces["name_en"] == province, "region"].iloc[0])
    same = set(provinces.loc[provinces["region"] == region, "name_en"]) - {province}
    near = set(neighbours(shapes, province))
    rows = fai[(fai["year"] == year) & fai["province"].isin(same | near | {province})]
    t = rows[["province", "fai_growth_pct", "rank"]].copy()
    t["group"] = ["this province" if p == province else "region and neighbour" if p in same and p in near
                  else "region" if p in same else "neighbour" for p in t["province"]]
    t["_me"] = t["province"] != province
    t = t.sort_values(["_me", "fai_growth_pct", "province"], ascending=[True, False, True],
                      na_position="last").drop(columns="_me").reset_index(drop=True)

    def median(names: set[str]) -> float | None:
        v = t.loc[t["province"].isin(names), "fai_growth_pct"].dropna()
        return None if v.empty else float(v.median())

    return Peers(province, int(year), region, t[["province", "group", "fai_growth_pct", "rank"]],
                 median(same), median(near))


def peers_text(p: Peers) -> str:
    """The province against its region's and neighbours' medians, and who led and trailed among them."""
    t = p.table
    me = t[t["province"] == p.province]["fai_growth_pct"]
    mine = None if me.empty or pd.isna(me.iloc[0]) else float(me.iloc[0])
    others = t[(t["province"] != p.province) & t["fai_growth_pct"].notna()]
    near = t[t["group"].str.contains("neighbour")]["province"].tolist()
    region_n = int(t["group"].str.startswith("region").sum())
    parts = [f"{esc(p.province)} belongs to NBS's {esc(p.region)} region "
             f"({fmt.plural(region_n, 'other province')})"
             + (f" and borders {fmt.plural(len(near), 'province')} on the map: {esc(fmt.join(near))}."
                if near else " and shares no land border with another province.")]
    against = []
    for label, med in (("region", p.region_median), ("neighbours", p.neighbour_median)):
        if med is None:
            continue
        if mine is None:
            against.append(f"the median of its {label} in {p.year} was {fmt.pct(med)}")
        else:
            gap = mine - med
            against.append(f"{fmt.pp(abs(gap))} {'above' if gap > 0 else 'below' if gap < 0 else 'level with'} "
                           f"the median of its {label} ({fmt.pct(med)})")
    if against:
        lead = (f"In {p.year} {esc(p.province)} has no figure; " if mine is None else
                f"In {p.year}, at {fmt.pct(mine, signed=True)}, it was ")
        parts.append(lead + fmt.join(against) + ".")
    if len(others):
        parts.append(f"Among these peers {esc(others['province'].iloc[0])} grew fastest "
                     f"({fmt.pct(others['fai_growth_pct'].iloc[0], signed=True)}) and "
                     f"{esc(others['province'].iloc[-1])} slowest "
                     f"({fmt.pct(others['fai_growth_pct'].iloc[-1], signed=True)}).")
    missing = t.loc[(t["province"] != p.province) & t["fai_growth_pct"].isna(), "province"].tolist()
    if missing:
        parts.append(f"No {p.year} figure was published for {esc(fmt.join(missing))}.")
    return " ".join(parts)


class RegionRecord(NamedTuple):
    """Year by year, the province's growth against the median of the rest of its NBS region."""

    province: str
    region: str
    table: pd.DataFrame  # year, fai_growth_pct, region_median, above (bool); years where both exist
    skipped_artefacts: list[int]  # the province's flagged revision-artefact years, left out


def region_record(fai: pd.DataFrame, provinces: pd.DataFrame, province: str) -> RegionRecord:
    """How often the province grew faster than the median of the other provinces of its region."""
    region = str(provinces.loc[provinces["name_en"] == province, "region"].iloc[0])
    others = set(provinces.loc[provinces["region"] == region, "name_en"]) - {province}
    med = fai[fai["province"].isin(others)].groupby("year")["fai_growth_pct"].median().rename("region_median")
    mine = fai[fai["province"] == province].set_index("year")
    art = sorted(int(y) for y in mine.index[mine["revision_artefact"].astype(bool)])
    t = mine.loc[~mine["revision_artefact"].astype(bool), ["fai_growth_pct"]].join(med).dropna().reset_index()
    t["above"] = t["fai_growth_pct"] > t["region_median"]
    return RegionRecord(province, region, t, art)


def region_record_text(r: RegionRecord) -> str:
    """How many years above the region's median, and the longest run above or below it."""
    t = r.table
    if t.empty:
        return f"{esc(r.province)} has no year with both its own figure and its region's."
    above = int(t["above"].sum())
    runs: list[list] = []  # [above?, first year, last year] of consecutive years on one side
    for y, a in zip(t["year"].astype(int), t["above"]):
        if runs and runs[-1][0] == a and y == runs[-1][2] + 1:
            runs[-1][2] = y
        else:
            runs.append([a, y, y])
    longest = max(runs, key=lambda x: (x[2] - x[1], x[1]))
    text = (f"In {fmt.plural(above, 'year')} of the {len(t)} with both figures ({int(t['year'].min())}-"
            f"{int(t['year'].max())}), {esc(r.province)}'s investment grew faster than the median of the rest of the "
            f"{esc(r.region)} region. Its longest run {'above' if longest[0] else 'below'} that median was "
            f"{longest[1]}-{longest[2]}." if longest[2] > longest[1] else
            f"In {fmt.plural(above, 'year')} of the {len(t)} with both figures, {esc(r.province)}'s investment grew "
            f"faster than the median of the rest of the {esc(r.region)} region.")
    if r.skipped_artefacts:
        text += f" Its revision-artefact years ({_years(r.skipped_artefacts)}) are left out."
    return text


# --------------------------------------------------------------------------------------------- the economy
def _value(df: pd.DataFrame | None, province: str, year: int, column: str) -> float | None:
    if df is None:
        return None
    v = df.loc[(df["province"] == province) & (df["year"] == year), column]
    return None if v.empty or pd.isna(v.iloc[0]) else float(v.iloc[0])


def real_growth(nominal_pct: float | None, price_index: float | None) -> float | None:
    """Nominal growth deflated by a price index (previous year = 100): ``(1 + g/100) / (P/100) * 100 - 100``.

    None when either is missing.  A DERIVED figure: arithmetic on two published ones.
    """
    if nominal_pct is None or price_index is None or pd.isna(nominal_pct) or pd.isna(price_index):
        return None
    return (1 + float(nominal_pct) / 100) / (float(price_index) / 100) * 100 - 100


class Economy(NamedTuple):
    """Investment against the economy for one province and year; None where the data has no figure."""

    province: str
    year: int
    fai_growth: float | None
    fai_level: float | None  # 100 million yuan, for scale only
    level_break: str | None  # why the level is not comparable with the previous year's
    gdp: float | None  # revised GRP, 100 million yuan
    fai_share_of_gdp: float | None  # %
    population_10k: float | None
    fai_per_head: float | None  # yuan
    price_index: float | None  # previous year = 100
    has_price_index: bool  # False for a province NBS never published one for (Tibet)
    real_fai_growth: float | None  # DERIVED
    real_grp_growth: float | None  # %, from the index
    gfcf: float | None  # 100 million yuan
    gfcf_share_of_gdp: float | None  # %
    fai_to_gfcf: float | None  # FAI level / GFCF


def economy(province: str, year: int, *, fai: pd.DataFrame, level: pd.DataFrame, gdp: pd.DataFrame,
            population: pd.DataFrame, price: pd.DataFrame, gfcf: pd.DataFrame, grp: pd.DataFrame) -> Economy:
    """Investment against the economy in ``year``: its share of GRP and per head (level years), real growth
    with the FAI price index, real GRP growth, and gross fixed capital formation, wherever the data has them.

    Parameters are the datasets :func:`~shanxi_analysis.datasets.fai_growth`, ``fai_level``, ``gdp``,
    ``population_yearend``, ``fai_price_index``, ``gfcf`` and ``grp_real_growth``.
    """
    g = gdp[gdp["vintage"] == "revised"] if "vintage" in gdp else gdp
    growth = _value(fai, province, year, "fai_growth_pct")
    lvl = _value(level, province, year, "fai_100m_yuan")
    brk = level.loc[(level["province"] == province) & (level["year"] == year), "break_note"]
    brk = None if brk.empty or pd.isna(brk.iloc[0]) else str(brk.iloc[0])
    y = _value(g, province, year, "gdp_100m_yuan")
    pop = _value(population, province, year, "population_10k")
    pi = _value(price, province, year, "index_prev_year_100")
    grp_i = _value(grp, province, year, "index_prev_year_100")
    cap = _value(gfcf, province, year, "gfcf_100m_yuan")
    return Economy(
        province, int(year), growth, lvl, brk, y,
        None if lvl is None or y is None else lvl / y * 100,
        pop, None if lvl is None or pop is None else lvl * 1e8 / (pop * 1e4),
        pi, province in set(price["province"]), real_growth(growth, pi),
        None if grp_i is None else grp_i - 100,
        cap, None if cap is None or y is None else cap / y * 100,
        None if cap is None or lvl is None else lvl / cap)


def economy_text(e: Economy, price: pd.DataFrame) -> list[str]:
    """Sentences on investment against the economy, one per question the data can answer, and one plain sentence
    for each it cannot."""
    p, y = esc(e.province), e.year
    out = []
    if e.fai_share_of_gdp is not None:
        text = (f"{p}'s fixed-asset investment was {fmt.yuan_100m(e.fai_level)} in {y}, "
                f"{fmt.pct(e.fai_share_of_gdp)} of its gross regional product ({fmt.yuan_100m(e.gdp)})")
        text += (f", or {fmt.yuan(e.fai_per_head)} per resident (year-end population "
                 f"{fmt.number(e.population_10k * 1e4 / 1e6, 2)} million)." if e.fai_per_head is not None else ".")
        if e.level_break:
            text += f" The level is for scale only and not comparable with the year before: {esc(e.level_break)}"
        out.append(text)
    if e.real_fai_growth is not None:
        out.append(f"Investment prices changed {fmt.pct(e.price_index - 100, signed=True)} in {y} (FAI price "
                   f"index), so the {fmt.pct(e.fai_growth, signed=True)} nominal growth was about "
                   f"{fmt.pct(e.real_fai_growth, signed=True)} in real terms (DERIVED: nominal growth deflated by the "
                   "price index).")
    elif not e.has_price_index:
        out.append(f"NBS never published an FAI price index for {p}, so its investment growth cannot be put in "
                   "real terms.")
    if e.real_grp_growth is not None:
        text = f"{p}'s economy (real GRP) grew {fmt.pct(e.real_grp_growth, signed=True)} in {y}"
        if e.fai_growth is not None:
            gap = e.fai_growth - e.real_grp_growth
            text += (f"; investment growth ({fmt.pct(e.fai_growth, signed=True)}, nominal) was {fmt.pp(abs(gap))} "
                     f"{'above' if gap > 0 else 'below' if gap < 0 else 'level with'} it")
        out.append(text + ".")
    if e.gfcf is not None:
        text = (f"Gross fixed capital formation, the national-accounts measure of investment, was "
                f"{fmt.yuan_100m(e.gfcf)}")
        if e.gfcf_share_of_gdp is not None:
            text += f", {fmt.pct(e.gfcf_share_of_gdp)} of GRP"
        if e.fai_to_gfcf is not None:
            text += (f"; the FAI statistics counted {fmt.number(e.fai_to_gfcf, 2)} times as much (the two measure "
                     "different things: FAI includes land and second-hand assets)")
        out.append(text + ".")
    return out


def economy_gaps(e: Economy, *, level: pd.DataFrame, price: pd.DataFrame, gfcf: pd.DataFrame,
                 grp: pd.DataFrame, population: pd.DataFrame) -> list[str]:
    """What :func:`economy` could not answer for the province and year, each with the years the data covers."""
    def span(df: pd.DataFrame, col: str) -> str:
        rows = df[(df["province"] == e.province) & df[col].notna()]
        return _span(set(int(v) for v in rows["year"]))

    out = []
    if e.fai_share_of_gdp is None:
        out.append(f"investment's share of GRP (FAI levels cover {span(level, 'fai_100m_yuan')})")
    elif e.fai_per_head is None:
        out.append(f"investment per head (year-end population covers {span(population, 'population_10k')})")
    if e.real_fai_growth is None and e.has_price_index:
        out.append(f"real investment growth (the FAI price index covers {span(price, 'index_prev_year_100')}"
                   + (", and there is no growth figure" if e.fai_growth is None else "") + ")")
    if e.real_grp_growth is None:
        out.append(f"real GRP growth (covered {span(grp, 'index_prev_year_100')})")
    if e.gfcf is None:
        out.append(f"gross fixed capital formation (covered {span(gfcf, 'gfcf_100m_yuan')})")
    return out


def economy_history(province: str, *, fai: pd.DataFrame, price: pd.DataFrame, grp: pd.DataFrame) -> pd.DataFrame:
    """Year by year: nominal FAI growth, real FAI growth (DERIVED, where a price index exists), real GRP growth.

    Columns ``year, fai_growth_pct, real_fai_growth_pct, real_grp_growth_pct, revision_artefact``; gaps stay NaN.
    """
    h = fai.loc[fai["province"] == province, ["year", "fai_growth_pct", "revision_artefact"]]
    pi = price.loc[price["province"] == province, ["year", "index_prev_year_100"]]
    gi = grp.loc[grp["province"] == province, ["year", "index_prev_year_100"]].rename(
        columns={"index_prev_year_100": "grp_index"})
    t = h.merge(pi, on="year", how="left").merge(gi, on="year", how="outer").sort_values("year", ignore_index=True)
    t["real_fai_growth_pct"] = [np.nan if (r := real_growth(g, i)) is None else r
                                for g, i in zip(t["fai_growth_pct"], t["index_prev_year_100"])]
    t["real_grp_growth_pct"] = t["grp_index"] - 100
    t["revision_artefact"] = t["revision_artefact"].fillna(False).astype(bool)
    t = t[["year", "fai_growth_pct", "real_fai_growth_pct", "real_grp_growth_pct", "revision_artefact"]]
    t.attrs = {"sources": [s for d in (fai, price, grp) for s in d.attrs.get("sources", [])]}
    return t


def economy_history_text(history: pd.DataFrame, province: str) -> str:
    """Which years of the province's series can be put in real terms, and against real GRP growth."""
    def years(col: str) -> str:
        ys = history.loc[history[col].notna(), "year"].astype(int)
        return f"{fmt.plural(len(ys), 'year')} ({ys.min()}-{ys.max()})" if len(ys) else "no year"

    return (f"Over the series, {esc(province)}'s investment growth can be put in real terms for "
            f"{years('real_fai_growth_pct')} and set against the real growth of its economy for "
            f"{years('real_grp_growth_pct')}.")


# --------------------------------------------------------------------------------------------- 2023-2024 by field
FIELDS = ("infrastructure", "manufacturing", "real estate development")


def drivers(by_field: pd.DataFrame, province: str, year: int) -> pd.DataFrame:
    """Growth by field in ``year`` for the province and China: ``field, province_pct, china_pct, gap_pp, note``
    (``field`` all first, then :data:`FIELDS`); empty when the table has no row for that year."""
    rows = by_field[by_field["year"] == year]
    if rows.empty:
        return pd.DataFrame(columns=["field", "province_pct", "china_pct", "gap_pp", "note"])
    me = rows[rows["province"] == province].set_index("field")
    cn = rows[rows["province"] == "China"].set_index("field")
    out = pd.DataFrame({"field": ("all",) + FIELDS})
    out["province_pct"] = out["field"].map(me["growth_pct"])
    out["china_pct"] = out["field"].map(cn["growth_pct"])
    out["gap_pp"] = out["province_pct"] - out["china_pct"]
    out["note"] = out["field"].map(me["note"])
    out.attrs = dict(by_field.attrs)
    return out


def drivers_text(d: pd.DataFrame, province: str, year: int) -> str:
    """Which field drove the year, against the nation."""
    if d.empty:
        return ""
    p = esc(province)
    fields = d[d["field"] != "all"]
    have = fields[fields["province_pct"].notna()]
    total = d[d["field"] == "all"].iloc[0]
    parts = []
    if pd.notna(total["province_pct"]):
        parts.append(f"All investment in {p} {growth_phrase(total['province_pct'])} in {year} "
                     f"(China: {fmt.pct(total['china_pct'], signed=True)}).")
    if not have.empty:
        best = have.loc[have["province_pct"].idxmax()]
        worst = have.loc[have["province_pct"].idxmin()]
        parts.append(f"By field, {esc(best['field'])} investment grew fastest "
                     f"({fmt.pct(best['province_pct'], signed=True)}) and {esc(worst['field'])} slowest "
                     f"({fmt.pct(worst['province_pct'], signed=True)}).")
        ahead = [f"{esc(r.field)} ({fmt.pp(r.gap_pp, signed=True)})" for r in have.itertuples()
                 if pd.notna(r.gap_pp)]
        if ahead:
            parts.append(f"Against the nation, the gaps were: {fmt.join(ahead)}.")
    missing = fields[fields["province_pct"].isna()]
    for r in missing.itertuples():
        parts.append(f"The yearbook gives no {esc(r.field)} figure for {p} in {year}"
                     + (f" ({esc(r.note)})." if isinstance(r.note, str) and r.note.strip() else "."))
    parts.append("Infrastructure overlaps the other fields, so the fields do not add up to the total.")
    return " ".join(parts)


# --------------------------------------------------------------------------------------------- gaps
def _years_of(df: pd.DataFrame | None, column: str, province: str | None = None) -> set[int]:
    """Years with a value in ``column`` (for ``province`` where given)."""
    if df is None or df.empty:
        return set()
    rows = df if province is None else df[df["province"] == province]
    return set(int(y) for y in rows.loc[rows[column].notna(), "year"])


def _span(years: set[int]) -> str:
    return f"{min(years)}-{max(years)}" if years else "no year"


def data_gaps(province: str, year: int, *, fai: pd.DataFrame, nat: pd.DataFrame | None = None,
              monthly: pd.DataFrame | None = None, gdp: pd.DataFrame | None = None,
              breakdown: pd.DataFrame | None = None,
              extra: Sequence[tuple[str, pd.DataFrame | None, str]] = ()) -> list[str]:
    """What the data cannot say for ``province`` in ``year``, each as a clause naming why, in report order.

    Every coverage is read from the frames passed (a frame left out is not judged).

    Parameters
    ----------
    fai, nat, monthly, gdp : DataFrame
        :func:`~shanxi_analysis.datasets.fai_growth`, ``national_fai_growth``, ``fai_monthly_2020``, ``gdp``.
    breakdown : DataFrame
        ``shanxi_investment_2020``: the only breakdown of a province's investment by sector and city.
    extra : sequence of (what, frame, value column)
        Further province-year datasets: ``what`` is said when ``frame`` has no value for the province and year.
    """
    out = []
    if year not in _years_of(fai, "fai_growth_pct", province):
        out.append(f"how fast {esc(province)}'s investment grew or where it ranked (no figure was published "
                   f"for {year})")
    if nat is not None and analysis.national_growth(nat, year) is None:
        out.append(f"how it compared with China as a whole (no national figure for {year} is in the sources)")
    if monthly is not None:
        months = monthly[monthly["cum_growth_pct"].notna()]
        if year not in set(months["year"]):
            out.append(f"how the year unfolded month by month (monthly figures exist only for "
                       f"{_years(sorted(set(months['year'])))})")
        elif province not in set(months.loc[months["year"] == year, "region"]):
            others = sorted(set(months.loc[months["year"] == year, "region"]) - {"China"})
            out.append(f"how {esc(province)}'s own year unfolded month by month (the monthly provincial "
                       f"figures cover only {esc(fmt.join(others))})")
    if breakdown is not None and (province, year) != ("Shanxi", 2020):  # the one breakdown: Shanxi's 2020
        out.append("how its investment split by sector and city (" + (
            "the data has that breakdown only for 2020)" if province == "Shanxi" else
            f"the data has no such breakdown for {esc(province)})"))
    if gdp is not None:
        g = gdp[gdp["vintage"] == "revised"] if "vintage" in gdp else gdp
        have = _years_of(g, "gdp_100m_yuan", province)
        if year not in have:
            out.append(f"how investment compared with the size of its economy (the GDP series covers "
                       f"{_span(have)})")
    for what, frame, column in extra:
        if frame is not None and year not in _years_of(frame, column, province):
            out.append(what)
    return out


def gaps_text(province: str, year: int, missing: Sequence[str]) -> str:
    """One plain sentence: what the data cannot say for the province and year (empty when nothing is missing)."""
    if not missing:
        return f"The data covers every question of this report for {esc(province)} in {year}."
    return f"For {esc(province)} in {year} the data cannot say {fmt.join(list(missing))}."
