"""The province story's computations: what a report set says about one province in one year, from the data.

Every helper here takes already-loaded datasets (:mod:`shanxi_analysis.data.datasets`) and returns plain results
(named tuples, frames); :mod:`shanxi_analysis.present.story` turns them into Markdown sentences and
:mod:`shanxi_analysis.present.gaps` says what the data cannot say. Investment against the economy is in
:mod:`shanxi_analysis.analysis.macro`. No helper fills a gap: a missing value
stays missing.

=================================  =================================================================
helper                             question
=================================  =================================================================
:func:`cycle`                      the province's booms, busts, best and worst ranks, 1992 onwards
:func:`year_spread`                how did every province do in the year: range, median, falls?
:func:`scope_context`              does a change of the indicator's scope touch the year?
:func:`pandemic`                   2020: the national monthly path, the hardest-hit province
:func:`neighbours`                 which provinces share a border with it (from the province shapes)?
:func:`peers`                      the province against its NBS region and its neighbours in the year
:func:`not_yet`                    was it a province-level division that year (Chongqing: from 1997)?
=================================  =================================================================
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from .indicators import (
    best_years,
    flagged_values,
    is_flagged,
    scope_changes,
    shown_gap,
    tied_extreme,
    year_table,
)
from .national import NATIONAL_SCOPE_PREFERENCE, NationalGrowth, monthly_paths, too_close
from .periods import ytd

#: How many of its own fastest and slowest years :func:`cycle` lists as booms and busts.
N_EXTREMES = 3

#: The year whose pandemic shock :func:`pandemic` describes.
PANDEMIC_YEAR = 2020


# --------------------------------------------------------------------------------------------- the cycle
class Cycle(NamedTuple):
    """The province's investment cycle: each frame is a slice of
    :func:`~shanxi_analysis.analysis.indicators.rank_history`."""

    province: str
    first_year: int  # the first and last years with a published figure (the series's, when it has none)
    last_year: int
    n_years: int  # years with a published figure
    booms: pd.DataFrame  # its fastest years with growth above zero (flagged values left out), fastest first
    busts: pd.DataFrame  # its slowest years (flagged values left out), slowest first
    falls: pd.DataFrame  # years in which investment fell (growth below zero, flagged values left out)
    best: pd.DataFrame  # years of its best rank (flagged values left out)
    worst: pd.DataFrame  # years it was last of those ranked, else years of its lowest rank (flagged left out)
    artefacts: pd.DataFrame  # its flagged values (revision artefacts, values failing a check), kept as published
    changes: list[tuple[int, str]]  # indicators.scope_changes


def _head_with_ties(ordered: pd.DataFrame, n: int) -> pd.DataFrame:
    """The first ``n`` rows of ``ordered`` (sorted by growth), and every further row with the same growth as the
    n-th: a year tied with the last one listed is listed too."""
    if n <= 0 or ordered.empty:
        return ordered.head(0)
    growth = ordered["fai_growth_pct"]
    edge = growth.iloc[min(n, len(ordered)) - 1]
    return ordered[(np.arange(len(ordered)) < n) | (growth == edge).to_numpy()]


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
        Flagged values (revision artefacts, values failing a reconciliation check) are excluded from booms,
        busts, falls and best/worst ranks and returned in ``artefacts``.  Booms and busts are :data:`N_EXTREMES`
        years each, at most half the years with a figure, and more only where further years tie with the last one
        (Hunan's 36.0% of 1993 and 2004); they never share a year; a boom is a year of growth above zero.
    """
    have = history[history["fai_growth_pct"].notna()]
    real = have[~is_flagged(have)]
    # at most half the years each, so no year is both a boom and a bust (with two years: one of each), and a
    # year in which investment fell is never a boom, however few years there are
    n = min(N_EXTREMES, len(real) // 2)
    rising = real[real["fai_growth_pct"] > 0]
    booms = _head_with_ties(rising.sort_values(["fai_growth_pct", "year"], ascending=[False, True]), n)
    busts = _head_with_ties(real.sort_values(["fai_growth_pct", "year"], ascending=[True, True]), n)
    if set(booms["year"]) & set(busts["year"]):  # ties reaching across a very short series: no ties added
        booms, busts = booms.head(n), busts.head(n)
    falls = real[real["fai_growth_pct"] < 0].sort_values("year")
    ranked = real[real["rank"].notna()]
    # the worst place is last of those ranked (29th of 29 in 1992 is worse than 30th of 31), else the lowest rank
    last = ranked[ranked["rank"] == ranked["n_ranked"]]
    worst = last if not last.empty else ranked[ranked["rank"] == ranked["rank"].max()]
    span = have if len(have) else history  # the years of its own figures (Chongqing's start in 1997)
    return Cycle(
        province,
        int(span["year"].min()),
        int(span["year"].max()),
        len(have),
        booms.reset_index(drop=True),
        busts.reset_index(drop=True),
        falls.reset_index(drop=True),
        best_years(real),
        worst.reset_index(drop=True),
        have[is_flagged(have)].reset_index(drop=True),
        scope_changes(history),
    )


def national_series(nat: pd.DataFrame) -> pd.DataFrame:
    """China's growth by year in the scope closest to the provincial series (:func:`.national_growth`):
    ``year, growth_pct, scope, derived, decimals`` (the decimals the source gives it to); only years with a
    national figure."""
    # each year's figure in the first scope of NATIONAL_SCOPE_PREFERENCE that has one (as national_growth picks
    # it), for all years at once
    order = {scope: i for i, scope in enumerate(NATIONAL_SCOPE_PREFERENCE)}
    rows = pd.DataFrame(
        {
            "year": nat["year"].to_numpy(),
            "growth_pct": nat["growth_pct"].to_numpy(),
            "scope": nat["scope"].to_numpy(),
            "derived": nat["derived"].to_numpy(),
            "decimals": nat["growth_decimals"].to_numpy(),
            "preference": nat["scope"].map(order).to_numpy(),
        }
    )
    rows = rows[rows["growth_pct"].notna() & rows["preference"].notna()]
    first = rows.sort_values(["year", "preference"], kind="stable").drop_duplicates("year")
    out = pd.DataFrame(
        {
            "year": first["year"].astype(int).to_numpy(),
            "growth_pct": first["growth_pct"].astype(float).to_numpy(),
            "scope": first["scope"].astype(str).to_numpy(),
            "derived": first["derived"].astype(bool).to_numpy(),
            "decimals": first["decimals"].astype(int).to_numpy(),
        }
    )
    out.attrs = dict(nat.attrs)
    return out


class AgainstChina(NamedTuple):
    """How often a province's investment grew faster than China's, over the years both have a figure."""

    years: int  # years with a usable provincial figure (flagged values left out) and a national one
    faster: int  # of those, the years the province grew faster than China
    slower: int  # and more slowly (the rest were equal to the published decimal, or ``close``)
    first: int | None = None  # the first and last of those years (None: no year with both)
    last: int | None = None
    close: int = 0  # years within the rounding of a national figure published rounded (2004's 25): no verdict


def against_china(history: pd.DataFrame, national: pd.DataFrame) -> AgainstChina:
    """Count the years ``history`` (:func:`~shanxi_analysis.analysis.indicators.rank_history`) grew faster and more
    slowly than ``national`` (:func:`national_series`), over the years both have a figure; a flagged provincial
    value is not growth and is left out, and a year without a national figure is not guessed.  A year within
    the rounding of a national figure published rounded (:func:`.within_rounding`; ``national``'s ``decimals``,
    taken as one where the frame has none) counts as neither: ``close``."""
    usable = history.loc[~is_flagged(history) & history["fai_growth_pct"].notna(), ["year", "fai_growth_pct"]]
    national = national if "decimals" in national else national.assign(decimals=1)  # as the pages show them
    both = usable.merge(national[["year", "growth_pct", "decimals"]].dropna(), on="year")
    gap = pd.Series(
        [shown_gap(a, b) for a, b in zip(both["fai_growth_pct"], both["growth_pct"], strict=True)], dtype=float
    )
    close = pd.Series([too_close(g, d) for g, d in zip(gap, both["decimals"], strict=True)], dtype=bool)
    span = (int(both["year"].min()), int(both["year"].max())) if len(both) else (None, None)
    faster, slower = int(((gap > 0) & ~close).sum()), int(((gap < 0) & ~close).sum())
    return AgainstChina(len(both), faster, slower, span[0], span[1], close=int(close.sum()))


def yearly_medians(fai: pd.DataFrame) -> pd.DataFrame:
    """The median province's growth in every year of ``fai`` (:func:`shanxi_analysis.data.fai_growth`), over the
    usable figures (flagged values left out): ``year, fai_growth_pct, n`` (how many provinces the median is of);
    a year without a usable figure has no row.  Shaped as a province's :func:`~.indicators.rank_history`, so
    :func:`against_china` counts how often the median province outgrew China."""
    usable = fai.loc[~is_flagged(fai) & fai["fai_growth_pct"].notna(), ["year", "fai_growth_pct"]]
    out = usable.groupby("year", sort=True)["fai_growth_pct"].agg(["median", "size"]).reset_index()
    out = out.rename(columns={"median": "fai_growth_pct", "size": "n"}).astype({"year": int, "n": int})
    out.attrs = dict(fai.attrs)
    return out


def median_against_china(fai: pd.DataFrame, nat: pd.DataFrame) -> AgainstChina:
    """How often the median province (:func:`yearly_medians` of ``fai``) grew faster than China
    (:func:`national_series` of ``nat``), by :func:`against_china`'s rules: how usual outgrowing China's figure is."""
    return against_china(yearly_medians(fai), national_series(nat))


def n_faster_than_china(table: pd.DataFrame, national: NationalGrowth | None) -> int:
    """How many provinces of ``table`` (one year's figures, :func:`~.indicators.year_table`) grew faster than China
    (``national``, :func:`.national_growth`), by the gap of the figures as shown (:func:`~.indicators.shown_gap`):
    flagged values left out, and a figure within the rounding of a national figure published rounded
    (:func:`.too_close`, as :func:`against_china`) not counted; 0 without a national figure."""
    if national is None:
        return 0
    usable = table.loc[~is_flagged(table) & table["fai_growth_pct"].notna(), "fai_growth_pct"]
    gaps = [shown_gap(v, national.value) for v in usable]
    return sum(g is not None and g > 0 and not too_close(g, national.decimals) for g in gaps)


# --------------------------------------------------------------------------------------------- the year
class YearSpread(NamedTuple):
    """Every province's growth in one year, flagged values left out (``artefacts``: the provinces whose figure
    is flagged, kept as published)."""

    year: int
    n: int
    fastest: tuple[str, ...]  # every province sharing the highest figure (empty: no figure)
    fastest_growth: float | None
    slowest: tuple[str, ...]  # every province sharing the lowest figure
    slowest_growth: float | None
    median: float | None
    n_falls: int
    artefacts: tuple[str, ...] = ()


def year_spread(fai: pd.DataFrame, year: int) -> YearSpread:
    """Range, median and number of falls among provinces with an unflagged figure in ``year`` (flagged values
    are named in ``artefacts``, never used)."""
    every = year_table(fai, year)
    flagged = tuple(every.loc[every["flagged"], "province"])
    t = every[~every["flagged"]]
    if t.empty:
        return YearSpread(int(year), 0, (), None, (), None, None, 0, flagged)
    return YearSpread(
        int(year),
        len(t),
        tied_extreme(t),
        float(t["fai_growth_pct"].iloc[0]),
        tied_extreme(t, lowest=True),
        float(t["fai_growth_pct"].iloc[-1]),
        float(t["fai_growth_pct"].median()),
        int((t["fai_growth_pct"] < 0).sum()),
        flagged,
    )


class ScopeContext(NamedTuple):
    """The indicator's scope in a year and whether a change touches it."""

    year: int
    scope_note: str | None
    change: str | None  # the new scope when ``year`` is the first year of a new scope, else None
    flagged: list[str]  # provinces whose figure that year is flagged (kept as published, not used)
    flags: pd.DataFrame | None = None  # indicators.flagged_values of the year: province, value, flag, flag_note


def scope_context(fai: pd.DataFrame, year: int) -> ScopeContext:
    """The scope of the provincial figures in ``year``, a change of scope starting that year, and that year's
    flagged values (revision artefacts, values failing a reconciliation check)."""
    rows = fai[fai["year"] == year]
    note = rows["scope_note"].dropna()
    changes = dict(scope_changes(fai.drop_duplicates("year")[["year", "scope_note"]]))
    flags = flagged_values(fai, year)
    flagged = sorted(rows.loc[is_flagged(rows) & rows["fai_growth_pct"].notna(), "province"])
    return ScopeContext(int(year), None if note.empty else str(note.iloc[0]), changes.get(int(year)), flagged, flags)


# --------------------------------------------------------------------------------------------- the pandemic
class Pandemic(NamedTuple):
    """2020 from the data: the national cumulative path and the provinces' annual figures."""

    first_period: str | None
    first_value: float | None  # national cumulative growth in the first period (Jan-Feb)
    lowest_period: str | None
    lowest_value: float | None
    year_value: float | None  # national growth for the year (December cumulative)
    hardest: tuple[str, ...]  # the province(s) with the lowest 2020 growth (empty: no figure)
    hardest_growth: float | None
    n_falls: int
    n_ranked: int


def pandemic(monthly: pd.DataFrame, fai: pd.DataFrame) -> Pandemic:
    """The 2020 shock as the data shows it: China's monthly cumulative path and the hardest-hit province."""
    nat = monthly_paths(monthly, "China", PANDEMIC_YEAR).national
    nat = nat.dropna(subset=["cum_growth_pct"]) if nat is not None else None
    spread = year_spread(fai, PANDEMIC_YEAR)
    if nat is None or nat.empty:
        first = low = last = None
    else:
        first, last = nat.iloc[0], nat.iloc[-1]
        low = nat.loc[nat["cum_growth_pct"].idxmin()]
    return Pandemic(
        None if first is None else ytd(int(first["end_month"])),
        None if first is None else float(first["cum_growth_pct"]),
        None if low is None else ytd(int(low["end_month"])),
        None if low is None else float(low["cum_growth_pct"]),
        None if last is None else float(last["cum_growth_pct"]),
        spread.slowest,
        spread.slowest_growth,
        spread.n_falls,
        spread.n,
    )


# --------------------------------------------------------------------------------------------- peers
def neighbours(shapes: pd.DataFrame, province: str) -> list[str]:
    """Provinces sharing a boundary with ``province`` in the shipped province shapes, in name order.

    Two provinces are neighbours when their outlines share a boundary point: the shipped shapes are simplified
    with shared borders kept identical, so a common border has common vertices.  Hainan, an island, has none.

    Parameters
    ----------
    shapes : DataFrame
        :func:`shanxi_analysis.data.province_shapes`.
    province : str
        Canonical English name.
    """

    def points(rings: Sequence[np.ndarray]) -> set[tuple[float, float]]:
        xy = np.concatenate([np.asarray(ring, dtype=float)[:, :2] for ring in rings])
        return set(map(tuple, np.round(xy, 6).tolist()))  # one array op: this runs for all 31 provinces per call

    by_name = dict(zip(shapes["province"], shapes["rings"], strict=True))
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
    # fai_growth_pct (NaN where unpublished or flagged), rank, flag (the kind of a flagged value, else None);
    # this province first, then fastest first
    region_median: float | None
    neighbour_median: float | None


def peers(fai: pd.DataFrame, provinces: pd.DataFrame, shapes: pd.DataFrame, province: str, year: int) -> Peers:
    """Growth of the province, its NBS region (East, Central, West, Northeast) and its neighbours in ``year``.

    Medians are over the peers with an unflagged figure, the province itself left out; a flagged value is
    shown as NaN with its ``flag``.
    """
    region = str(provinces.loc[provinces["name_en"] == province, "region"].iloc[0])
    same = set(provinces.loc[provinces["region"] == region, "name_en"]) - {province}
    near = set(neighbours(shapes, province))
    rows = fai[(fai["year"] == year) & fai["province"].isin(same | near | {province})]
    t = rows[["province", "fai_growth_pct", "rank"]].copy()
    flagged = is_flagged(rows) & rows["fai_growth_pct"].notna()
    t["flag"] = rows["flag"].where(flagged) if "flag" in rows else None
    t["fai_growth_pct"] = t["fai_growth_pct"].where(~flagged)  # a flagged value is no peer's growth
    t["group"] = [
        "this province"
        if p == province
        else "region and neighbour"
        if p in same and p in near
        else "region"
        if p in same
        else "neighbour"
        for p in t["province"]
    ]
    t["_me"] = t["province"] != province
    t = (
        t.sort_values(["_me", "fai_growth_pct", "province"], ascending=[True, False, True], na_position="last")
        .drop(columns="_me")
        .reset_index(drop=True)
    )

    def median(names: set[str]) -> float | None:
        v = t.loc[t["province"].isin(names), "fai_growth_pct"].dropna()
        return None if v.empty else float(v.median())

    return Peers(
        province,
        int(year),
        region,
        t[["province", "group", "fai_growth_pct", "rank", "flag"]],
        median(same),
        median(near),
    )


def flag_of(table: pd.DataFrame, province: str) -> str | None:
    """The kind of flag on ``province``'s value in a one-year ``table`` (``province``, ``flag``: :attr:`Peers.table`,
    :func:`year_table`), None where its value is not flagged or it has no row."""
    own = table.loc[table["province"] == province, "flag"] if "flag" in table else pd.Series(dtype=object)
    return None if own.empty or pd.isna(own.iloc[0]) else str(own.iloc[0])


def _own_record(history: pd.DataFrame, year: int) -> tuple[pd.DataFrame, float | None]:
    """The province's years with a usable figure (flagged values left out) and ``year``'s growth among them (None
    when it has no usable figure): what :func:`own_rank`, :func:`own_ahead` and :func:`own_tied` compare."""
    usable = history.loc[~history["flagged"].astype(bool) & history["fai_growth_pct"].notna()]
    mine = usable.loc[usable["year"] == year, "fai_growth_pct"]
    return usable, None if mine.empty else float(mine.iloc[0])


def own_rank(history: pd.DataFrame, year: int, *, slowest: bool = False) -> tuple[int, int] | None:
    """Where ``year`` ranks among the province's own years, fastest first (``slowest``: slowest first):
    ``(place, years)`` over the years with a usable figure (flagged values left out; a tie shares the better place),
    from ``history`` (:func:`~shanxi_analysis.analysis.indicators.rank_history`); None when the year has no usable
    figure."""
    usable, value = _own_record(history, year)
    if value is None:
        return None
    ahead = usable["fai_growth_pct"] < value if slowest else usable["fai_growth_pct"] > value
    return 1 + int(ahead.sum()), len(usable)


def own_ahead(history: pd.DataFrame, year: int, *, slowest: bool = False) -> list[tuple[int, float]]:
    """The years that grew faster than ``year`` in the province's own record (``slowest``: more slowly), as
    ``(year, growth)``, the most extreme first, over the years with a usable figure (flagged values left out), from
    ``history`` (:func:`~shanxi_analysis.analysis.indicators.rank_history`): the years :func:`own_rank` counts
    ahead of it.  Empty when the year has no usable figure."""
    usable, value = _own_record(history, year)
    if value is None:
        return []
    ahead = usable[usable["fai_growth_pct"] < value] if slowest else usable[usable["fai_growth_pct"] > value]
    ahead = ahead.sort_values(["fai_growth_pct", "year"], ascending=[slowest, True])
    return [(int(y), float(g)) for y, g in zip(ahead["year"], ahead["fai_growth_pct"], strict=True)]


def own_tied(history: pd.DataFrame, year: int) -> list[int]:
    """The other years of the province's own record with exactly ``year``'s growth (flagged values left out), which
    share its place in :func:`own_rank`: Hunan's 36.0% of 2004 and of 1993."""
    usable, value = _own_record(history, year)
    if value is None:
        return []
    same = usable[(usable["fai_growth_pct"] == value) & (usable["year"] != year)]
    return sorted(int(y) for y in same["year"])


class NotYet(NamedTuple):
    """A province that was not yet a province-level division in a year: since when it is, what it was part of, and
    what kind of division it became."""

    since: int
    parent: str  # the English name of the division it was part of (``provinces()["formerly_part_of"]``)
    kind: str  # "municipality", "autonomous region" or "province" (:func:`division_kind`)


#: The kind of a province-level division, by the end of its full Chinese name (``provinces()["name_zh_full"]``).
DIVISION_KINDS = (("自治区", "autonomous region"), ("市", "municipality"), ("省", "province"))


def division_kind(name_zh_full: str) -> str:
    """What kind of province-level division a full Chinese name (重庆市) names: "municipality" (directly under the
    central government), "autonomous region" or "province"."""
    for ending, kind in DIVISION_KINDS:
        if name_zh_full.endswith(ending):
            return kind
    raise ValueError(
        f"Cannot tell the kind of division {name_zh_full!r} (data/raw/provinces.csv, name_zh_full): a full name "
        f"ends in {', '.join(e for e, _ in DIVISION_KINDS)}"
    )


def not_yet(provinces: pd.DataFrame, province: str, year: int) -> NotYet | None:
    """:class:`NotYet` when ``province`` became a province-level division after ``year`` (Chongqing, part of Sichuan
    until 1997), from ``provinces`` (:func:`shanxi_analysis.data.provinces`: ``established``,
    ``formerly_part_of``); None when it already was one, or the table does not know the province."""
    row = provinces[provinces["name_en"] == province]
    if row.empty or pd.isna(row["established"].iloc[0]) or year >= int(row["established"].iloc[0]):
        return None
    return NotYet(
        int(row["established"].iloc[0]),
        str(row["formerly_part_of"].iloc[0]),
        division_kind(str(row["name_zh_full"].iloc[0])),
    )


class Unranked(NamedTuple):
    """A province left out of a year's ranking, and why: ``reason`` "not yet" (not yet a province-level division;
    ``parent``, the division it was part of), "flagged" (a published value that fails a check; ``flag``, its kind)
    or "no figure" (nothing published)."""

    province: str
    reason: str
    parent: str | None = None
    flag: str | None = None


def unranked(table: pd.DataFrame, provinces: pd.DataFrame, year: int) -> list[Unranked]:
    """Every province of ``provinces`` (:func:`shanxi_analysis.data.provinces`) that the year's ``table``
    (:func:`year_table`) does not rank, in name order, with the reason (:class:`Unranked`)."""
    rows = table.set_index("province")
    out = []
    for name in sorted(provinces["name_en"]):
        if name in rows.index and not bool(rows.at[name, "flagged"]):
            continue
        before = not_yet(provinces, name, year)
        if before is not None:
            out.append(Unranked(name, "not yet", parent=before.parent))
        elif name in rows.index:
            out.append(Unranked(name, "flagged", flag=str(rows.at[name, "flag"])))
        else:
            out.append(Unranked(name, "no figure"))
    return out


class GroupRank(NamedTuple):
    """The province's place among itself and a group of its peers (:func:`group_rank`)."""

    rank: int  # provinces with equal growth share the better rank
    n: int  # the province and the peers with a usable figure
    tied: int  # peers with the same growth as the province (0: its rank is its own)


def group_rank(p: Peers, group: str) -> GroupRank | None:
    """Where the province ranks by growth among itself and one ``group`` of its peers (``"region"``: the other
    provinces of its NBS region; ``"neighbour"``: its map neighbours), as ``(rank, n, tied)``: ``n`` counts the
    province and the peers with a usable figure, provinces with equal growth share the better rank, and ``tied``
    counts the peers that share it.  None when the province has no usable figure or no peer of the group has one."""
    t = p.table
    mine = t.loc[t["group"] == "this province", "fai_growth_pct"]
    others = t.loc[t["group"].str.contains(group) & t["fai_growth_pct"].notna(), "fai_growth_pct"]
    if mine.empty or pd.isna(mine.iloc[0]) or others.empty:
        return None
    own = float(mine.iloc[0])
    return GroupRank(int((others > own).sum()) + 1, len(others) + 1, int((others == own).sum()))


class RegionRecord(NamedTuple):
    """Year by year, the province's growth against the median of the rest of its NBS region."""

    province: str
    region: str
    table: pd.DataFrame  # year, fai_growth_pct, region_median, above (bool); years where both exist
    skipped_artefacts: list[int]  # the province's flagged years (revision artefacts, failed checks), left out


def region_record(fai: pd.DataFrame, provinces: pd.DataFrame, province: str) -> RegionRecord:
    """How often the province grew faster than the median of the other provinces of its region."""
    region = str(provinces.loc[provinces["name_en"] == province, "region"].iloc[0])
    others = set(provinces.loc[provinces["region"] == region, "name_en"]) - {province}
    usable = fai[~is_flagged(fai)]
    med = usable[usable["province"].isin(others)].groupby("year")["fai_growth_pct"].median().rename("region_median")
    mine = fai[fai["province"] == province].set_index("year")
    flagged = is_flagged(mine) & mine["fai_growth_pct"].notna()
    art = sorted(int(y) for y in mine.index[flagged])
    t = mine.loc[~flagged, ["fai_growth_pct"]].join(med).dropna().reset_index()
    t["above"] = t["fai_growth_pct"] > t["region_median"]
    return RegionRecord(province, region, t, art)


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
