"""The province story's sentences: each helper takes the results of :mod:`shanxi_analysis.analysis` (the province,
the economy), decides which facts to state and hands them to one message of the catalog (:mod:`.messages`,
``messages/<lang>.yml``), which holds every word.  No sentence is written here.

Each fact is stated once, on the page it belongs to (the overview: growth, rank, China, the place of the year in the
cycle, the events of the year; 01: every province, the cycle, the breaks; 02: the pandemic, the monthly path, the
breakdown, the scale; 06: peers; 07: the economy); the other pages link to it.  A gap between two figures is always
the difference of the rounded figures shown (:func:`shown_gap`), so a reader can check it.

Every helper returns plain text; a notebook renders it with :func:`shanxi_analysis.present.md`, which escapes it
once.  A missing value stays missing and the sentence says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from .. import analysis
from ..analysis.indicators import shown_gap  # one rule for a stated gap, in analysis and on the page
from ..analysis.macro import Economy
from ..analysis.province import Cycle, Pandemic, Peers, RegionRecord, ScopeContext, YearSpread
from ..messages import DEFAULT_LANG, JOIN_LINES, Message, Words, in_lang, say
from ..numbers import is_missing, rounded
from .markdown import safe_url

#: Decimals of every growth figure in the text.
DIGITS = 1


def sentences(*parts: str, lang: str = DEFAULT_LANG) -> str:
    """Sentences of one language run together as that language writes them (a space in English, nothing in
    Chinese); empty parts are left out.  In every language where the parts are
    :class:`~shanxi_analysis.messages.Words` (a chart's note)."""

    def write(lang: str) -> str:
        return JOIN_LINES.get(lang, " ").join(t for t in (in_lang(p, lang) for p in parts) if t)

    return Words.written(write, lang)


def shown(value: Any, digits: int = DIGITS) -> float | None:
    """``value`` rounded as the text shows it (half away from zero, :func:`shanxi_analysis.numbers.rounded`; None
    when missing)."""
    return None if value is None or is_missing(value) else rounded(float(value), digits)


# --------------------------------------------------------------------------------------------- titles
def overview_title(
    py: analysis.ProvinceYear,
    *,
    provinces: pd.DataFrame | None = None,
    table: pd.DataFrame | None = None,
    lang: str = DEFAULT_LANG,
) -> str:
    """The overview's title: the finding of the year (growth and rank).  Given ``provinces``
    (:func:`shanxi_analysis.data.provinces`), a year before the province became a province-level division says so
    (:func:`shanxi_analysis.analysis.not_yet`) instead of that it published no figure; given the year's ``table``
    (:func:`shanxi_analysis.analysis.year_table`), a rank shared with other provinces names them ("7th of 31, tied
    with Tibet"; ties share the rank)."""
    before = None if provinces is None or py.growth is not None else analysis.not_yet(provinces, py.province, py.year)
    tied = list(analysis.tied_with(table, py.province)) if table is not None else []  # () without a usable figure
    return say(
        "title.overview", lang, province=py.province, year=py.year, growth=shown(py.growth), rank=py.rank,
        n_ranked=py.n_ranked, tied=tied, since=None if before is None else before.since,
        division=None if before is None else before.kind, why=flag_words(py, lang=lang),
        artefact_value=shown(py.published) if py.flag == "revision artefact" else None,
    )  # fmt: skip


def flag_words(py: analysis.ProvinceYear, *, lang: str = DEFAULT_LANG) -> str:
    """What is wrong with the province's published value, when it is flagged and so not used as growth (the
    catalog's ``flag.short``: "is a data-revision artefact"); empty for a usable value or none published."""
    if py.growth is not None or not py.flagged or py.flag is None:
        return ""
    return say("flag.short", lang, flag=py.flag, many=False)


def growth_title(py: analysis.ProvinceYear, s: YearSpread, *, lang: str = DEFAULT_LANG) -> str:
    """01's title: the province against the median province."""
    return say(
        "title.growth", lang, province=py.province, year=py.year, growth=shown(py.growth), median=shown(s.median),
        gap=shown_gap(py.growth, s.median), n_ranked=py.n_ranked, why=flag_words(py, lang=lang),
    )  # fmt: skip


def peers_title(p: Peers, *, lang: str = DEFAULT_LANG) -> str:
    """06's title: faster or slower than the region's (and neighbours') median; a group of two figures is named as
    such (below both, above both, between them: :func:`_pair_facts`)."""
    mine = _own_growth(p)
    region, neighbour = _pair_facts(p, "region", mine), _pair_facts(p, "neighbour", mine)
    region_gap = shown_gap(mine, p.region_median)
    return say(
        "title.peers", lang, province=p.province, year=p.year, region=p.region, growth=shown(mine),
        region_gap=region_gap, neighbour_gap=shown_gap(mine, p.neighbour_median),
        has_neighbours=bool(_neighbours(p)), why=_own_flag_words(p, lang=lang), region_rel=region["region_rel"],
        neighbour_rel=neighbour["neighbour_rel"], leads=_leads(p, mine), region_only=region["region_only"],
        also=_also(neighbour["neighbour_rel"], region["region_rel"], region_gap),
    )  # fmt: skip


def _leads(p: Peers, mine: float | None) -> str | None:
    """``"fastest"`` or ``"slowest"`` where the province's figure, as shown, is above (below) every usable figure of
    the rest of its region, of three or more, and of its neighbours with one, none equal: the title says so instead
    of "above the median" (Shanxi 2020 led both groups; a Chinese editor read the medians as hiding it).  None
    otherwise."""
    if mine is None:
        return None
    t = p.table
    others = t[(t["province"] != p.province) & t["fai_growth_pct"].notna()]
    region = [rounded(float(v), DIGITS) for v in others.loc[others["group"].str.contains("region"), "fai_growth_pct"]]
    near = [rounded(float(v), DIGITS) for v in others.loc[others["group"].str.contains("neighbour"), "fai_growth_pct"]]
    own = rounded(mine, DIGITS)  # as shown (shown())
    if len(region) < 3 or (_neighbours(p) and not near):  # two others are named as a pair (_pair_facts)
        return None
    if own > max(region + near):
        return "fastest"
    if own < min(region + near):
        return "slowest"
    return None


def _top_field(drivers: pd.DataFrame) -> tuple[str | None, float | None, float | None]:
    """The field that sets the province furthest apart from China that year (the largest gap, either way, between
    the rounded figures shown), its growth and China's; without China's figures, the field whose investment moved
    most, with China's None; (None, None, None) without a field."""
    if not drivers.empty:
        have = drivers[(drivers["field"] != "all") & drivers["province_pct"].notna()]
        if not have.empty:
            gaps = [shown_gap(p, c) for p, c in zip(have["province_pct"], have["china_pct"], strict=True)]
            sized = [(abs(g), -i) for i, g in enumerate(gaps) if g is not None]  # ties: the first field listed
            if sized:
                top = have.iloc[-max(sized)[1]]
                return str(top["field"]), shown(top["province_pct"]), shown(top["china_pct"])
            top = have.loc[have["province_pct"].abs().idxmax()]
            return str(top["field"]), shown(top["province_pct"]), None
    return None, None, None


def economy_lead(e: Economy, drivers: pd.DataFrame) -> str | None:
    """What 07's title says (:func:`economy_title`), the first thing the data says of investment against the economy
    that year: ``"share"`` (investment as a share of GRP, unless the reconciliation puts a caveat on it: above
    100%), ``"real"`` (real investment growth), ``"field"`` (the
    field furthest from China's), ``"nominal"`` (investment against GRP growth in current prices, where only that
    compares), ``"grp"`` (real GRP growth), or None (the title names the topic only)."""
    if e.fai_share_of_gdp is not None and e.share_caveat is None:  # a share above 100% of GRP is no headline
        return "share"
    if e.real_fai_growth is not None:
        return "real"
    if _top_field(drivers)[0] is not None:
        return "field"
    if e.growth_basis == "nominal" and e.growth_gap is not None:
        return "nominal"  # investment against the economy in current prices: an investment page leads with investment
    return "grp" if e.real_grp_growth is not None else None


def economy_title(e: Economy, drivers: pd.DataFrame, *, lang: str = DEFAULT_LANG) -> str:
    """07's title: the first thing the data says of investment against the economy that year
    (:func:`economy_lead`)."""
    field, growth, china = _top_field(drivers)
    return say(
        "title.economy", lang, province=e.province, year=e.year, lead=economy_lead(e, drivers),
        share=shown(e.fai_share_of_gdp), real_fai=shown(e.real_fai_growth), field=field, field_growth=growth,
        field_china=china, grp=shown(e.real_grp_growth), fai=shown(e.fai_growth),
        nominal_grp=shown(e.nominal_grp_growth),
    )  # fmt: skip


# --------------------------------------------------------------------------------------------- the overview
LOOKED_BACK = 5
"""A rank this good or better is looked back on in the overview: the last year the province ranked as well."""


def headline_text(
    py: analysis.ProvinceYear,
    national: analysis.NationalGrowth | None,
    previous: int | None,
    *,
    provinces: pd.DataFrame | None = None,
    table: pd.DataFrame | None = None,
    history: pd.DataFrame | None = None,
    titled: bool = False,
    lang: str = DEFAULT_LANG,
) -> str:
    """The year in two sentences: growth and rank (and, for a rank in the top :data:`LOOKED_BACK`, the last year it
    ranked as well), then China's growth and the gap (a derived national figure says so). Given the year's
    ``table`` (:func:`analysis.year_table`), a province above China but in the lower half of the ranking is told
    how many provinces grew faster than China, so the two do not read as a contradiction.  ``titled``: the page's
    title (:func:`overview_title`) already gives the growth and rank, so the text goes on from it instead of
    saying them again.  Given ``provinces``, a province that was not yet a province-level division in the year is
    said to have been part of another (:func:`not_yet_text`), not to have published nothing.  Given the province's
    ``history`` (:func:`analysis.rank_history`), the year looked back to is given with its rank."""
    before = ""
    if provinces is not None and py.growth is None:
        before = not_yet_text(py.province, py.year, provinces, lang=lang)
    if before:
        growth = before
    elif py.growth is None and py.flagged:  # a value published but not usable as growth: say so, never as growth
        growth = say(
            "headline.flagged" if titled else "flag.value", lang, province=py.province, year=py.year,
            value=py.published, flag=py.flag, note=None,
        )  # fmt: skip
    else:
        said = say(
            "headline.growth", lang, province=py.province, year=py.year, growth=shown(py.growth), rank=py.rank,
            n_ranked=py.n_ranked,
        )  # fmt: skip
        looked_back = (
            say(
                "headline.previous",
                lang,
                province=py.province,
                previous=previous,
                year=py.year,
                rank=py.rank,
                previous_rank=_rank_in(history, previous),  # "It also ranked 3rd in 2008", not "as high"
            )  # fmt: skip
            if py.rank is not None and py.rank <= LOOKED_BACK
            else ""
        )
        # the title gives a growth figure and its rank; a year without one is said here (with how many have one)
        growth = looked_back if titled and py.growth is not None else sentences(said, looked_back, lang=lang)
        new = None if provinces is None else analysis.not_yet(provinces, py.province, py.year - 1)
        if new is not None and new.since == py.year:  # its first year as a division (Chongqing, 1997)
            growth = sentences(
                growth,
                say("headline.new_division", lang, province=py.province, year=py.year, parent=new.parent,
                    division=new.kind),
                lang=lang,
            )  # fmt: skip
    close = analysis.within_rounding(py.growth, national)  # within the rounding of China's figure: no verdict
    nat = say(
        "headline.national", lang, province=py.province, year=py.year,
        national=None if national is None else shown(national.value),
        scope=None if national is None else national.scope,
        derived=bool(national is not None and national.derived),
        gap=None if national is None else shown_gap(py.growth, national.value),
        decimals=1 if national is None else national.decimals, close=close,
    )  # fmt: skip
    faster = ""
    china = None if national is None else shown(national.value)
    gap = None if national is None else shown_gap(py.growth, national.value)
    if (
        table is not None
        and china is not None
        and gap is not None
        and gap > 0
        and not close
        and ((py.rank or 0) > py.n_ranked / 2)
    ):
        n_faster = analysis.n_faster_than_china(table, national)
        faster = say("headline.faster", lang, n_faster=n_faster, n_ranked=py.n_ranked)
    left_out = ""
    if table is not None and provinces is not None and py.rank is not None:
        left_out = unranked_text(analysis.unranked(table, provinces, py.year), lang=lang)
    return sentences(growth, nat, faster, left_out, lang=lang)


def _rank_in(history: pd.DataFrame | None, year: int | None) -> int | None:
    """The rank of ``year`` in ``history`` (:func:`analysis.rank_history`); None without either or a rank."""
    if history is None or year is None:
        return None
    rank = history.loc[history["year"] == year, "rank"].dropna()
    return None if rank.empty else int(rank.iloc[0])


def unranked_text(left_out: list[analysis.Unranked], *, lang: str = DEFAULT_LANG) -> str:
    """Which provinces a year's ranking leaves out and why (:func:`shanxi_analysis.analysis.unranked`), those with
    the same reason together: "Inner Mongolia and Xinjiang (their figures are data-revision artefacts) are not
    ranked."; empty when every province is ranked."""
    groups: dict[tuple[str, str | None, str | None], list[str]] = {}
    for u in left_out:
        groups.setdefault((u.reason, u.parent, u.flag), []).append(u.province)
    if not groups:
        return ""
    said = [
        {
            "reason": reason,
            "parent": parent,
            "why": say("flag.short", lang, flag=flag, many=len(names) > 1) if reason == "flagged" and flag else "",
            "names": names,
        }
        for (reason, parent, flag), names in groups.items()
    ]
    return say("headline.unranked", lang, groups=said, n=len(left_out))


def cycle_place(
    c: Cycle, year: int, artefact: bool = False, *, history: pd.DataFrame | None = None, lang: str = DEFAULT_LANG
) -> str:
    """Where ``year`` sits in the province's own record: its fastest, one of its fastest, its slowest, ... (empty
    when the province has no figure that year); a year in the middle, given the province's ``history``
    (:func:`analysis.rank_history`), by its place among the province's years (:func:`analysis.own_rank`)."""
    if not c.n_years:
        return ""
    if artefact:
        place = "artefact"
    elif _alone_first(c.booms, year):
        place = "fastest"
    elif _alone_first(c.busts, year):
        place = "slowest"
    elif year in set(c.booms["year"]):
        place = "boom"
    elif year in set(c.busts["year"]):
        place = "bust"
    elif c.booms.empty or c.busts.empty:  # too few years for a record to place the year in
        return ""
    else:
        place = "middle"
    own = analysis.own_rank(history, year) if history is not None and place in ("boom", "bust", "middle") else None
    low = analysis.own_rank(history, year, slowest=True) if history is not None and own is not None else None
    slow = low is not None and own is not None and low[0] < own[0]  # lower half: from the slowest (12th slowest)
    at = None if own is None or low is None else (low if slow else own)[0]
    if at == 1:  # tied for the top or the bottom: "one of its 3 fastest", not "1st fastest"
        own = low = None
    near = history is not None and at is not None and 1 < at <= analysis.N_EXTREMES  # 2nd or 3rd: name those ahead
    ahead = analysis.own_ahead(history, year, slowest=slow) if near and history is not None else []
    return say(
        "cycle.place", lang, place=place, province=c.province, year=year, first=c.first_year, last=c.last_year,
        n=len(c.busts if place == "bust" else c.booms), artefacts=[int(y) for y in c.artefacts["year"]],
        own_rank=None if own is None else own[0], own_n=None if own is None else own[1],
        own_slow=low[0] if slow and low is not None else None, ahead_years=ahead,
        tied_years=analysis.own_tied(history, year) if own is not None and history is not None else [],
    )  # fmt: skip


def _alone_first(years: pd.DataFrame, year: int) -> bool:
    """Whether ``year`` heads ``years`` (booms or busts, most extreme first) on its own: a year tied with another
    at the top is one of the fastest, not the fastest."""
    if years.empty or int(years["year"].iloc[0]) != year:
        return False
    growth = years["fai_growth_pct"]
    return bool((growth == growth.iloc[0]).sum() == 1)


def year_events(events: pd.DataFrame, province: str, year: int) -> pd.DataFrame:
    """The events (``sa.data.events()``) that apply to ``province`` in ``year``: national ones and those naming it,
    whose years cover ``year``; national first, then by start year."""
    on = (events["year_start"] <= year) & (events["year_end"] >= year)
    mine = [p == "all" or province in p for p in events["provinces"]]
    out = events[on & pd.Series(mine, index=events.index)].copy()
    out["_national"] = [p == "all" for p in out["provinces"]]
    return out.sort_values(["_national", "year_start", "event_id"], ascending=[False, True, True]).drop(
        columns="_national"
    )


def event_text(row: Any, *, lang: str = DEFAULT_LANG) -> tuple[str, str, str | None]:
    """One event as ``(sentence, source label, URL)``: the sentence from the catalog (an event of all provinces
    marked as national), the publisher and date as the link's label, the URL only if :func:`safe_url` accepts
    it."""
    title = row.title_zh if lang == "zh" else row.title_en
    summary = row.summary_zh if lang == "zh" else row.summary_en
    date = None if is_missing(row.date_published) else str(row.date_published)
    return (
        say(
            "event.line",
            lang,
            title=title,
            summary=summary,
            first=int(row.year_start),
            last=int(row.year_end),
            nationwide=row.provinces == "all",  # a national event on a province's page says it is national
        ),  # fmt: skip
        say("event.source", lang, publisher=row.publisher, date=date),
        safe_url(row.url),
    )


# --------------------------------------------------------------------------------------------- 01: every province
def spread_text(s: YearSpread, py: analysis.ProvinceYear, *, lang: str = DEFAULT_LANG) -> str:
    """The year's spread across provinces and where the province sits against the median."""
    return say(
        "spread.year", lang, year=s.year, n=s.n, slowest=s.slowest, slowest_growth=shown(s.slowest_growth),
        slowest_artefact=bool(set(s.slowest) & set(s.artefacts)), fastest=s.fastest,
        fastest_growth=shown(s.fastest_growth), fastest_artefact=bool(set(s.fastest) & set(s.artefacts)),
        median=shown(s.median), n_falls=s.n_falls, left_out=list(s.artefacts),
        province=py.province, growth=shown(py.growth), gap=shown_gap(py.growth, s.median),
    )  # fmt: skip


def missing_text(
    names: Sequence[str], year: int, *, provinces: pd.DataFrame | None = None, lang: str = DEFAULT_LANG
) -> str:
    """The provinces with no figure in the year (empty when none).  Given ``provinces``
    (:func:`shanxi_analysis.data.provinces`), a division not yet set up in the year is said to have been part of
    another (:func:`not_yet_text`: Chongqing, part of Sichuan until 1997) rather than to lack a figure."""
    said = {n: not_yet_text(n, year, provinces, lang=lang) if provinces is not None else "" for n in names}
    rest = [n for n, text in said.items() if not text]
    return sentences(say("spread.missing", lang, names=rest, year=year) if rest else "", *said.values(), lang=lang)


def not_yet_text(province: str, year: int, provinces: pd.DataFrame, *, lang: str = DEFAULT_LANG) -> str:
    """That ``province`` was not yet a province-level division in ``year`` and what it was part of, from
    ``provinces`` (:func:`shanxi_analysis.data.provinces`: ``established``, ``formerly_part_of``); empty when it
    already was."""
    before = analysis.not_yet(provinces, province, year)
    if before is None:
        return ""
    return say(
        "spread.not_yet", lang, province=province, year=year, since=before.since, parent=before.parent,
        division=before.kind,
    )  # fmt: skip


def scope_text(sc: ScopeContext, province: str, *, lang: str = DEFAULT_LANG) -> str:
    """The scope of the figures and any change touching the year, and the other provinces whose figure that year is
    flagged; the province's own flagged figure is said by its cycle (:func:`cycle_text`) on the same page, and
    named by the page's title (an editor found the flag's passage twice on Inner Mongolia 2018's page)."""
    parts = []
    if sc.change:
        parts.append(say("scope.change", lang, year=sc.year, note=sc.change))
    elif sc.scope_note:
        parts.append(say("scope.note", lang, year=sc.year, note=sc.scope_note))
    f = sc.flags if sc.flags is not None else pd.DataFrame({"province": sc.flagged, "flag": "revision artefact"})
    kind = dict(zip(f["province"], f["flag"], strict=True))
    others = [p for p in sc.flagged if p != province]
    for k in dict.fromkeys(kind.get(p, "revision artefact") for p in others):
        names = [p for p in others if kind.get(p, "revision artefact") == k]
        parts.append(say("scope.other_artefacts", lang, year=sc.year, names=names, kind=k))
    return sentences(*parts, lang=lang)


def _pairs(frame: pd.DataFrame) -> list[tuple[int, float | None]]:
    return [(int(y), shown(g)) for y, g in zip(frame["year"], frame["fai_growth_pct"], strict=True)]


def _shared(rows: pd.DataFrame) -> pd.Series:
    """How many other provinces shared each row's rank (:func:`analysis.rank_history`'s ``rank_shared``; 0 in a frame
    built without it)."""
    return rows["rank_shared"].astype(int) if "rank_shared" in rows else pd.Series(0, index=rows.index)


def cycle_text(c: Cycle, *, lang: str = DEFAULT_LANG) -> str:
    """The cycle in a few sentences: the years with a figure, the fastest and slowest, the falls, the best and
    worst ranks, the revision artefacts (where the chosen year sits is said on the overview: :func:`cycle_place`)."""
    if c.n_years == 0:
        return say("cycle.none", lang, province=c.province, first=c.first_year, last=c.last_year)
    flagged = [int(y) for y in c.artefacts["year"]]  # published, but failing a check: said, never used
    span = {"province": c.province, "first": c.first_year, "last": c.last_year}
    parts = [say("cycle.count", lang, **span, n=c.n_years, flagged=flagged)]
    a = c.artefacts  # each flagged value right after the count that leaves it out: what it is, what is done with it
    kinds = a["flag"] if "flag" in a else pd.Series("revision artefact", index=a.index)
    said: set[str] = set()
    for y, g, k, note in zip(a["year"], a["fai_growth_pct"], kinds, a["flag_note"], strict=True):
        parts.append(
            say(
                "flag.value",
                lang,
                province=c.province,
                year=int(y),
                value=g,
                flag=k,
                note=None if note in said else note,
            )  # fmt: skip
        )
        said.add(note)
    if not c.booms.empty:
        parts.append(say("cycle.extremes", lang, booms=_pairs(c.booms), busts=_pairs(c.busts)))
    flagged_falls = [y for y, v in _pairs(c.artefacts) if v is not None and v < 0]  # said above with its figure
    parts.append(
        say(
            "cycle.falls",
            lang,
            falls=[int(y) for y in c.falls["year"]],
            flagged=bool(flagged),
            flagged_falls=flagged_falls,
        )
    )
    if not c.best.empty:
        parts.append(
            say(
                "cycle.ranks",
                lang,
                best_rank=int(c.best["rank"].iloc[0]),
                best_years=list(c.best["year"]),
                worst_rank=int(c.worst["rank"].iloc[0]),
                worst_years=list(c.worst["year"]),
                # last of those ranked in each of those years (Xinjiang's 30th of 30 in 2016 is its last place; a
                # rank shared at the bottom is last too)
                worst_last=bool((c.worst["rank"] + _shared(c.worst) == c.worst["n_ranked"]).all()),
                # the years the rank was shared with other provinces (Yunnan's 2nd of 1997, with Shanxi and Jilin)
                best_tied=[int(y) for y, k in zip(c.best["year"], _shared(c.best), strict=True) if k],
                worst_tied=[int(y) for y, k in zip(c.worst["year"], _shared(c.worst), strict=True) if k],
            )  # fmt: skip
        )
    return sentences(*parts, lang=lang)


#: How far (percentage points) a province's published growth may be from the change its two levels imply and still
#: be said to agree with them (the levels are at current prices, the growth on NBS's comparable basis). An editor
#: read Hainan's 1.0 point (+9.1% against +10.1%) called agreement as too loose; the others agreeing are within 0.4.
LEVELS_AGREE_PP = 0.5


def level_break(
    year: int, note: str, province: str, level: pd.DataFrame | None = None, fai: pd.DataFrame | None = None,
    *, growth_break: bool = False, lang: str = DEFAULT_LANG,
) -> str:  # fmt: skip
    """A break in the FAI levels, told for this province: the 2017 revision with its own 2016 and 2017 levels (and
    its published growth) from the data, never another province's; the change the two levels imply is given, and
    whether the published growth agrees with it (within :data:`LEVELS_AGREE_PP`), so a province whose levels were cut
    reads differently from one whose levels moved with its growth.  ``growth_break``: the growth series breaks the
    same year, said just before (01's list), so the shared cause is not said twice."""
    before = after = growth = implied = None
    if level is not None:
        mine = level[level["province"] == province].set_index("year")["fai_100m_yuan"]
        before, after = (None if y not in mine.index else shown(mine[y], 2) for y in (year - 1, year))
        if before and after is not None:
            implied = shown((after / before - 1) * 100)
    if fai is not None:
        g = fai[(fai["province"] == province) & (fai["year"] == year)]["fai_growth_pct"]
        growth = None if g.empty else shown(g.iloc[0])
    agree = None if implied is None or growth is None else abs(implied - growth) <= LEVELS_AGREE_PP
    return say(
        "breaks.level", lang, year=year, note=note, province=province, before=before, after=after, growth=growth,
        implied=implied, agree=agree, growth_break=growth_break,
    )  # fmt: skip


def breaks_list(
    changes: Sequence[tuple[int, str]],
    level: pd.DataFrame | None = None,
    province: str | None = None,
    fai: pd.DataFrame | None = None,
    *,
    context: ScopeContext | None = None,
    lang: str = DEFAULT_LANG,
) -> list[str]:
    """One line per break, in year order: each change of the growth indicator's scope
    (:func:`analysis.scope_changes`) and each break in the FAI levels (``fai_level`` rows not comparable with the
    year before), told for ``province``.  A list passed to :func:`shanxi_analysis.present.md` is shown as bullets.
    Given the page's year's ``context`` (:func:`analysis.scope_context`), whose scope :func:`scope_text` states
    above the list, the break that scope began with refers to it instead of repeating it."""
    above = None if context is None else (context.change or context.scope_note)
    items = [
        (int(y), say("breaks.growth_above", lang, year=y, shown=context.year))
        if context is not None and s == above
        else (int(y), say("breaks.growth", lang, year=y, note=s))
        for y, s in changes
    ]
    if level is not None:
        b = level.loc[~level["comparable_with_previous"].astype(bool), ["year", "break_note"]].drop_duplicates("year")
        items += [
            (
                int(r.year),
                level_break(
                    int(r.year),
                    str(r.break_note),
                    province or "",
                    level,
                    fai,
                    growth_break=int(r.year) in {int(y) for y, _ in changes},
                    lang=lang,
                ),  # fmt: skip
            )
            for r in b.itertuples()
        ]
    return [text for _, text in sorted(items, key=lambda x: x[0])]


# --------------------------------------------------------------------------------------------- 02: the year in detail
#: What 02-year-in-detail can add beyond the overview, in page order.
DETAIL_TOPICS = ("pandemic", "breakdown", "scale")


def detail_topics(province: str, year: int, *, scale: pd.DataFrame) -> list[str]:
    """What 02-year-in-detail has for the province and year beyond the overview: the pandemic (2020), the Shanxi
    2020 breakdown, the scale scatter (a year with GDP figures); empty: the page is not published."""
    out = []
    if year == analysis.PANDEMIC_YEAR:
        out.append("pandemic")
    if (province, year) == ("Shanxi", 2020):  # the one published breakdown by sector and city
        out.append("breakdown")
    if not scale.empty:
        out.append("scale")
    return out


def detail_title(
    topics: Sequence[str],
    p: Pandemic | None,
    province: str,
    year: int,
    *,
    r: float | None = None,
    per_head: bool = False,
    growth: float | None = None,
    lang: str = DEFAULT_LANG,
) -> str:
    """02's title, from its first topic; for the scale scatter, given ``r`` (the correlation across the provinces
    that the page states), whether growth went with the size of the economy (GDP per head when ``per_head``); for
    the pandemic year, given the province's ``growth``, the province first, then China's path."""
    topic = topics[0] if topics else "none"
    return say(
        "title.detail", lang, topic=topic, province=province, year=year,
        first_value=None if p is None else shown(p.first_value), first_period=None if p is None else p.first_period,
        year_value=None if p is None else shown(p.year_value), tendency=_tendency(r), weak=_weak(r),
        per_head=per_head, growth=shown(growth),
    )  # fmt: skip


def scale_title(
    scale: pd.DataFrame,
    province: str,
    year: int,
    size: str,
    *,
    r: float | None,
    per_head: bool,
    why: str = "",
    lang: str = DEFAULT_LANG,
) -> str:
    """The title of 02's scatter of growth against ``size`` (a column of :func:`analysis.scale_table`): whether
    growth went with size across the provinces (``r``, as the page's title says it), then where the province
    stands (``why``: :func:`flag_words` of a flagged figure, which is not drawn)."""
    me = scale[scale["province"] == province]
    return say(
        "chart.scale", lang, province=province, year=year, per_head=per_head, tendency=_tendency(r), weak=_weak(r),
        why=why,
        value=None if me.empty else me[size].iloc[0],
        growth=None if me.empty else shown(me["fai_growth_pct"].iloc[0]),
    )  # fmt: skip


def _weak(r: float | None) -> bool:
    """Whether a clear correlation (:func:`_tendency` not 0) is still below :data:`STRONG_CORRELATION`, as the page
    shows it: the words then say the link is weak."""
    return r is not None and CLEAR_CORRELATION <= abs(rounded(r, 2)) < STRONG_CORRELATION


def _tendency(r: float | None) -> int | None:
    """1 or -1 where growth went clearly with or against size (:data:`CLEAR_CORRELATION`, on the correlation as the
    page shows it, to two decimals), 0 where it did not, None without a correlation."""
    if r is None:
        return None
    shown_r = rounded(r, 2)
    return 0 if abs(shown_r) < CLEAR_CORRELATION else (1 if shown_r > 0 else -1)


def pandemic_text(p: Pandemic, *, lang: str = DEFAULT_LANG) -> str:
    """2020's shock in numbers: China's path and the hardest-hit province (where the province stood is the page's
    first paragraph, :func:`detail_intro`)."""
    parts = []
    if p.first_value is not None:
        parts.append(
            say(
                "pandemic.national",
                lang,
                first_value=shown(p.first_value),
                first_period=p.first_period,
                year_value=shown(p.year_value),
            )  # fmt: skip
        )
    if p.hardest:
        parts.append(
            say(
                "pandemic.hardest",
                lang,
                hardest=p.hardest,
                hardest_growth=shown(p.hardest_growth),
                n_falls=p.n_falls,
                n_ranked=p.n_ranked,
            )  # fmt: skip
        )
    return sentences(*parts, lang=lang)


def cited_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The rows of a breakdown (``sa.analysis.breakdown``) whose figure has a citable source (``source_url``, a safe
    web address): a figure without one is neither counted as found nor stated, as an editor would not print it."""
    return frame[[safe_url(u) is not None for u in frame["source_url"]]]


#: How strong a correlation across the provinces must be (in absolute value) before the title and first paragraph
#: of 02 call it a tendency; weaker ones read as no clear relation. 0.36 is about the 5% two-sided critical value
#: of Pearson's r for 31 provinces (0.355): a weaker one could well be chance. The paragraph under the scatter
#: states the coefficient.
CLEAR_CORRELATION = 0.36
#: Below this (in absolute value) a clear correlation is said to be weak ("tended, weakly, to grow faster"): an
#: editor read "tended to" at 0.36 as stronger than the link is. 0.5 is the usual line between a moderate and a
#: strong correlation.
STRONG_CORRELATION = 0.5


def detail_intro(
    topics: list[str],
    py: analysis.ProvinceYear,
    *,
    ahead: bool | None = None,
    periods: int = 0,
    subset_growth: float | None = None,
    subset_share: float | None = None,
    r: float | None = None,
    n: int = 0,
    per_head: bool = False,
    lang: str = DEFAULT_LANG,
) -> str:
    """The first paragraph of a page of details with several topics (``topics``: :func:`detail_topics`): a finding
    of each, where the page's title names none of them. The province's growth and rank in the pandemic year, and
    whether it ran ahead of China's in all the ``periods`` with figures for both (``ahead``:
    :func:`analysis.ahead_throughout`); the growth of the subset broken down by sector and city and its share of
    all the province's investment (``subset_growth``, ``subset_share``); and whether, across the ``n``
    provinces, growth went with the size of the economy (``r``: the correlation the scatter's paragraph states;
    GDP per head when ``per_head``). Where none is known it says what the page covers."""
    parts = []
    if "pandemic" in topics and py.growth is not None and py.rank is not None:
        parts.append(
            say(
                "pandemic.province",
                lang,
                province=py.province,
                growth=shown(py.growth),
                rank=py.rank,
                n_ranked=py.n_ranked,
                ahead=bool(ahead) and periods > 0,
                periods=periods,
            )  # fmt: skip
        )
    if "breakdown" in topics and subset_growth is not None and subset_share is not None:
        parts.append(
            say("intro.breakdown", lang, province=py.province, growth=shown(subset_growth), share=shown(subset_share))
        )
    if "scale" in topics and r is not None:
        tendency = _tendency(r)
        parts.append(say("intro.relation", lang, n=n, per_head=per_head, tendency=tendency, weak=_weak(r)))
    if not parts:
        return say("intro.detail", lang, province=py.province, year=py.year, topics=topics, per_head=per_head)
    return sentences(*parts, lang=lang)


def monthly_text(province_path: pd.DataFrame | None, province: str, *, lang: str = DEFAULT_LANG) -> str:
    """Which periods have a figure for the province (China's path is told by :func:`pandemic_text`), and what the
    markers mean."""
    if province_path is None:
        return say("monthly.no_province", lang, province=province)
    have = province_path[province_path["cum_growth_pct"].notna()]
    status = have["status"].astype(str) if "status" in have else pd.Series([], dtype=str)
    return say(
        "monthly.province", lang, province=province, found=[analysis.ytd(m) for m in have["end_month"]],
        n_periods=len(province_path), n_missing=len(province_path) - len(have),
        derived=bool((status == "derived").any()),
        drc=bool(have["source_desc"].map(analysis.from_drc).any()) if "source_desc" in have else False,
    )  # fmt: skip


# --------------------------------------------------------------------------------------------- 06: peers
def _own_growth(p: Peers) -> float | None:
    me = p.table[p.table["province"] == p.province]["fai_growth_pct"]
    return None if me.empty or pd.isna(me.iloc[0]) else float(me.iloc[0])


def _pair_facts(p: Peers, group: str, mine: float | None) -> dict[str, Any]:
    """``<group>_pair`` and ``<group>_rel`` for :func:`peers_text`: where only two provinces of the group
    (``region`` or ``neighbour``) have a usable figure, their median is their average, which matches neither; the
    page names the two (``[{"name", "growth"}]``, growth as shown) and says whether the province was below both,
    above both or between them.  None where the group has another number of figures, or the province none.
    ``<group>_only``: the one province of a group with a single usable figure (``{"name", "growth"}``), else None."""
    t = p.table
    usable = t[
        (t["province"] != p.province)
        & t["group"].str.contains(group)
        & t["fai_growth_pct"].notna()
        & (t["flag"].isna() if "flag" in t else True)
    ]
    only = (
        {"name": str(usable["province"].iloc[0]), "growth": rounded(float(usable["fai_growth_pct"].iloc[0]), DIGITS)}
        if len(usable) == 1
        else None
    )  # the median of one figure is that figure: the province is named (Jilin, for Heilongjiang 2016)
    if len(usable) != 2 or mine is None:
        return {f"{group}_pair": None, f"{group}_rel": None, f"{group}_only": only}
    names, values = [str(n) for n in usable["province"]], [rounded(float(v), DIGITS) for v in usable["fai_growth_pct"]]
    own = rounded(mine, DIGITS)  # as shown (shown())
    rel = "below" if own < min(values) else "above" if own > max(values) else "between"
    pair = [{"name": n, "growth": v} for n, v in zip(names, values, strict=True)]
    return {f"{group}_pair": pair, f"{group}_rel": rel, f"{group}_only": None}


def _also(neighbour_rel: str | None, region_rel: str | None, region_gap: float | None) -> bool:
    """Whether the province stands to both its neighbours as it stands to its region (Chinese 也: 低于……，也低于两个
    相邻省份): below or above both neighbours, and below or above its region's pair, or its region's median or
    single other figure (``region_gap``, as shown)."""
    if neighbour_rel not in ("below", "above"):
        return False
    if region_rel is not None:
        return neighbour_rel == region_rel
    return region_gap is not None and (region_gap < 0 if neighbour_rel == "below" else region_gap > 0)


def _own_flag_words(p: Peers, *, lang: str) -> str:
    """What is wrong with the province's own published value that year (``flag.short``), where it is flagged."""
    flag = analysis.flag_of(p.table, p.province)
    return "" if _own_growth(p) is not None or flag is None else say("flag.short", lang, flag=flag, many=False)


def _neighbours(p: Peers) -> list[str]:
    return p.table[p.table["group"].str.contains("neighbour")]["province"].tolist()


def peers_text(p: Peers, *, lang: str = DEFAULT_LANG) -> str:
    """The province against its region's and neighbours' medians (a province without land neighbours is compared
    with its region only), and who led and trailed among them."""
    t = p.table
    mine = _own_growth(p)
    others = t[(t["province"] != p.province) & t["fai_growth_pct"].notna()]
    region_n = int(t["group"].str.startswith("region").sum())
    parts = [say("peers.who", lang, province=p.province, region=p.region, region_n=region_n, neighbours=_neighbours(p))]
    pairs = _pair_facts(p, "region", mine) | _pair_facts(p, "neighbour", mine)
    named = {q["name"] for q in pairs["region_pair"] or []} if pairs["region_rel"] else set()
    named |= {pairs["region_only"]["name"]} if pairs["region_only"] and mine is not None else set()
    if pairs["neighbour_pair"]:  # a neighbour also in the region's pair was just given with its figure: named only
        pairs["neighbour_pair"] = [q | {"growth": None} if q["name"] in named else q for q in pairs["neighbour_pair"]]
    said: set[str] = set()  # the peers whose figures peers.against names (a group of two, each with its figure)
    if p.region_median is not None:
        parts.append(
            say(
                "peers.against",
                lang,
                province=p.province,
                year=p.year,
                growth=shown(mine),
                region_median=shown(p.region_median),
                neighbour_median=shown(p.neighbour_median),
                region_gap=shown_gap(mine, p.region_median),
                neighbour_gap=shown_gap(mine, p.neighbour_median),
                why=_own_flag_words(p, lang=lang),
                also=_also(pairs["neighbour_rel"], pairs["region_rel"], shown_gap(mine, p.region_median)),
                **pairs,
            )  # fmt: skip
        )
        said = {q["name"] for g in ("region", "neighbour") if pairs[f"{g}_rel"] for q in pairs[f"{g}_pair"]} | named
    as_shown = [rounded(float(g), DIGITS) for g in others["fai_growth_pct"]]  # as shown (shown()): ties all named
    names = others["province"].tolist()
    # every peer's figure just given: who was fastest and slowest is there to read, not to be said again
    if len(others) > 1 and max(as_shown) != min(as_shown) and not set(names) <= said:
        best = [n for n, g in zip(names, as_shown, strict=True) if g == max(as_shown)]
        worst = [n for n, g in zip(names, as_shown, strict=True) if g == min(as_shown)]
        parts.append(
            say(
                "peers.extremes",
                lang,
                best=best,
                best_growth=max(as_shown),
                best_said=set(best) <= said,
                worst=worst,
                worst_growth=min(as_shown),
                worst_said=set(worst) <= said,
                n_falls=sum(g < 0 for g in as_shown),
                province=p.province,
                own=shown(mine),  # the province itself, when it is above or below all of them
            )  # fmt: skip
        )
    none = t.loc[(t["province"] != p.province) & t["fai_growth_pct"].isna()]
    flags = none["flag"]  # analysis.peers: a flagged value is NaN with its flag
    missing = none.loc[flags.isna(), "province"].tolist()  # nothing published
    if missing:
        parts.append(say("peers.missing", lang, year=p.year, names=missing))
    for flag in dict.fromkeys(flags.dropna()):  # published but flagged: one sentence per kind of flag
        names = none.loc[flags == flag, "province"].tolist()
        why = say("flag.short", lang, flag=flag, many=len(names) > 1)
        parts.append(say("peers.flagged", lang, year=p.year, names=names, why=why))
    return sentences(*parts, lang=lang)


def region_record_text(r: RegionRecord, *, lang: str = DEFAULT_LANG) -> str:
    """How many years above the region's median, and the longest run above or below it (every one of them, when
    several are equally long)."""
    t = r.table
    if t.empty:
        return say("record.none", lang, province=r.province)
    runs: list[list] = []  # [above?, first year, last year] of consecutive years on one side
    for y, a in zip(t["year"].astype(int), t["above"], strict=True):
        if runs and runs[-1][0] == a and y == runs[-1][2] + 1:
            runs[-1][2] = y
        else:
            runs.append([a, y, y])
    length = max(last - first for _, first, last in runs)
    longest = [{"above": bool(a), "first": f, "last": la} for a, f, la in runs if la - f == length]  # ties: all
    return say(
        "record.text", lang, above=int(t["above"].sum()), n=len(t), first=int(t["year"].min()),
        last=int(t["year"].max()), province=r.province, region=r.region, runs=longest,
        artefacts=list(r.skipped_artefacts),
    )  # fmt: skip


# --------------------------------------------------------------------------------------------- 07: the economy
def drivers_text(d: pd.DataFrame, province: str, year: int, *, lang: str = DEFAULT_LANG) -> list[str]:
    """Each field's own growth and its gap to the nation (one line per field, for bullets), after the total."""
    if d.empty:
        return []
    out = []
    total = d[d["field"] == "all"].iloc[0]
    if pd.notna(total["province_pct"]):
        out.append(
            say(
                "drivers.total",
                lang,
                province=province,
                year=year,
                growth=shown(total["province_pct"]),
                china=shown(total["china_pct"]),
            )  # fmt: skip
        )
    for r in d[d["field"] != "all"].itertuples():
        if pd.isna(r.province_pct):
            note = r.note if isinstance(r.note, str) and r.note.strip() else None
            out.append(say("drivers.missing", lang, field=r.field, province=province, year=year, note=note))
        else:
            out.append(
                say(
                    "drivers.field",
                    lang,
                    field=r.field,
                    growth=shown(r.province_pct),
                    china=shown(r.china_pct),
                    gap=shown_gap(r.province_pct, r.china_pct),
                )  # fmt: skip
            )
    return out


def fields_title(d: pd.DataFrame, province: str, year: int, *, lang: str = DEFAULT_LANG) -> str:
    """The title of 07's chart of growth by field (:func:`analysis.drivers`): the field furthest above China's growth
    and the one furthest below, each with its gap (of the figures shown); what the chart shows when no field is
    above or below."""
    rows = d[(d["field"] != "all") & d["province_pct"].notna() & d["china_pct"].notna()]
    facts = [
        {"field": r.field, "growth": shown(r.province_pct), "gap": shown_gap(r.province_pct, r.china_pct)}
        for r in rows.itertuples()
    ]
    above = max((f for f in facts if f["gap"] > 0), key=lambda f: f["gap"], default=None)
    below = min((f for f in facts if f["gap"] < 0), key=lambda f: f["gap"], default=None)
    if below is not None:
        below = below | {"gap": -below["gap"]}  # how far below, as a positive number of points
    return say("chart.fields", lang, year=year, province=province, field_above=above, field_below=below)


def economy_text(
    e: Economy,
    price: pd.DataFrame | None = None,
    level: pd.DataFrame | None = None,
    *,
    lead: str | None = None,
    lang: str = DEFAULT_LANG,
) -> list[str]:
    """Sentences on investment against the economy, one per question the data can answer (a break in the levels
    told for this province: :func:`level_break`).  ``lead``: what the page's title already says
    (:func:`economy_lead`), which the text then goes on from instead of saying it again."""
    p, y = e.province, e.year
    out = []
    if e.fai_share_of_gdp is not None:
        text = say(
            "economy.share", lang, province=p, year=y, level=e.fai_level, share=shown(e.fai_share_of_gdp), gdp=e.gdp,
            per_head=e.fai_per_head if e.population_10k is not None else None,
            population_m=None if e.population_10k is None else e.population_10k * 1e4 / 1e6,
            caveat=e.share_caveat,
        )  # fmt: skip
        if e.level_break:
            text = sentences(text, level_break(y, e.level_break, p, level, None, lang=lang), lang=lang)
        out.append(text)
    if e.real_fai_growth is not None and e.price_index is not None:
        out.append(
            say(
                "economy.real",
                lang,
                year=y,
                inflation=shown(e.price_index - 100),
                nominal=shown(e.fai_growth),
                real=shown(e.real_fai_growth),
            )  # fmt: skip
        )
    elif not e.has_price_index:
        out.append(say("economy.no_price_index", lang, province=p))
    if e.real_grp_growth is not None:
        grp = say(
            "economy.grp", lang, province=p, year=y, grp=shown(e.real_grp_growth),
            basis=e.growth_basis,  # like with like: real against real, or nominal against nominal
            real_fai=shown(e.real_fai_growth), gap=e.growth_gap,
            real_said=e.real_fai_growth is not None and e.price_index is not None,  # economy.real gave the figure
        )  # fmt: skip
        usable = None if price is None else analysis.usable_price_index(price)
        indexed = (
            None
            if usable is None
            else usable.loc[(usable["province"] == p) & usable["index_prev_year_100"].notna(), "year"]
        )
        nominal = (
            say(
                "economy.nominal",
                lang,
                fai=shown(e.fai_growth),
                nominal_grp=shown(e.nominal_grp_growth),
                gap=e.growth_gap,
                price_until=None if indexed is None or indexed.empty else int(indexed.max()),  # its last year
            )  # fmt: skip
            if e.growth_gap is not None and e.growth_basis == "nominal"
            else ""
        )
        text = nominal if lead == "grp" else sentences(grp, nominal, lang=lang)  # the title gave the real growth
        # the figure is the database's current one, which a reader checking a communiqué will find differs
        out.append(sentences(text, say("economy.grp_vintage", lang, year=y), lang=lang))
    if e.gfcf is not None:
        out.append(
            say(
                "economy.gfcf",
                lang,
                province=e.province,
                year=e.year,
                gfcf=e.gfcf,
                gfcf_growth=shown(e.gfcf_growth),  # beside investment's: how differently the two measures moved
                fai=shown(e.fai_growth),
                share=shown(e.gfcf_share_of_gdp),
                ratio=e.fai_to_gfcf,
                caveat=e.share_caveat is not None and e.fai_level is not None,  # FAI's extra items said above
            )
        )
    return out


def economy_history_text(history: pd.DataFrame, province: str, *, lang: str = DEFAULT_LANG) -> str:
    """Which years of the province's series can be put in real terms, and against real GRP growth."""
    real = [int(y) for y in history.loc[history["real_fai_growth_pct"].notna(), "year"]]
    usable = history["fai_growth_pct"].notna() & ~history["flagged"].astype(bool)  # a flagged figure is no growth
    grp = [int(y) for y in history.loc[history["real_grp_growth_pct"].notna() & usable, "year"]]
    both = sorted(set(real) & set(grp))
    return say(
        "economy.history", lang, province=province, n_real=len(real), real_years=real, n_grp=len(grp), grp_years=grp,
        real_missing=_holes(real),  # 1995: a share, not growth
        grp_missing=_holes(grp), both_years=both, both_missing=_holes(both),  # a flagged year (Xinjiang 2018)
    )  # fmt: skip


def _holes(years: Sequence[int]) -> list[int]:
    """The years between the first and the last of ``years`` that are not among them (a span is then said with
    them left out: "2016–2024, all but 2018")."""
    return sorted(set(range(min(years), max(years) + 1)) - set(years)) if years else []


# --------------------------------------------------------------------------------------------- gaps
def _years_of(df: pd.DataFrame | None, column: str, province: str | None = None) -> set[int]:
    """Years with a value in ``column`` (for ``province`` where given)."""
    if df is None or df.empty:
        return set()
    rows = df if province is None else df[df["province"] == province]
    return set(int(y) for y in rows.loc[rows[column].notna(), "year"])


def data_gaps(
    province: str,
    year: int,
    *,
    fai: pd.DataFrame | None = None,
    nat: pd.DataFrame | None = None,
    monthly: pd.DataFrame | None = None,
    gdp: pd.DataFrame | None = None,
    breakdown: bool = False,
    provinces: pd.DataFrame | None = None,
) -> list[Message]:
    """What the data cannot say for ``province`` in ``year``, each a :class:`Message` naming why, in report order.

    Every coverage is read from the frames passed (a frame left out is not judged): pass to each page only the
    frames of the questions it answers.  ``breakdown``: judge whether the province and year has a breakdown of its
    investment by sector and city (only Shanxi 2020 has one, ``sa.data.shanxi_investment_2020()``; the frame is not
    needed to say so, so a page of another province need not read it).  ``provinces``
    (:func:`shanxi_analysis.data.provinces`): a year before the province became a province-level division gives
    that as the reason it has no figure (:func:`shanxi_analysis.analysis.not_yet`).
    """
    out = []
    if fai is not None and year not in _years_of(fai, "fai_growth_pct", province):
        before = None if provinces is None else analysis.not_yet(provinces, province, year)
        since, parent = (None, None) if before is None else (before.since, before.parent)
        out.append(Message("gap.growth", province=province, year=year, since=since, parent=parent))
    if nat is not None and analysis.national_growth(nat, year) is None:
        out.append(Message("gap.national", year=year))
    if monthly is not None:
        months = monthly[monthly["cum_growth_pct"].notna()]
        if year not in set(months["year"]):
            out.append(Message("gap.monthly", years=sorted(int(y) for y in set(months["year"]))))
        elif province not in set(months.loc[months["year"] == year, "region"]):
            others = sorted(set(months.loc[months["year"] == year, "region"]) - {"China"})
            out.append(Message("gap.monthly_province", province=province, others=others))
    if breakdown and (province, year) != ("Shanxi", 2020):  # the one breakdown: Shanxi's 2020
        out.append(Message("gap.breakdown", province=province))
    if gdp is not None:
        g = gdp[gdp["vintage"] == "revised"] if "vintage" in gdp else gdp
        have = _years_of(g, "gdp_100m_yuan", province)
        if year not in have:
            out.append(Message("gap.gdp", years=sorted(have)))
    return out


def economy_gaps(
    e: Economy,
    *,
    level: pd.DataFrame,
    price: pd.DataFrame,
    gfcf: pd.DataFrame,
    grp: pd.DataFrame,
    population: pd.DataFrame,
    by_field: pd.DataFrame | None = None,
    drivers: pd.DataFrame | None = None,
) -> list[Message]:
    """What :func:`shanxi_analysis.analysis.economy` could not answer for the province and year, each with the years
    the data covers (and the fields, when ``by_field`` is given and the year has none)."""

    def span(df: pd.DataFrame, col: str) -> list[int]:
        return sorted(_years_of(df, col, e.province))

    out = []
    if e.fai_share_of_gdp is None:
        out.append(Message("gap.share", years=span(level, "fai_100m_yuan")))
    elif e.fai_per_head is None:
        out.append(Message("gap.per_head", years=span(population, "population_10k")))
    if e.real_fai_growth is None and e.has_price_index:
        covered = e.price_index is not None  # the year has an index: only the growth figure is missing
        out.append(
            Message(
                "gap.real",
                years=span(price, "index_prev_year_100"),
                no_growth=e.fai_growth is None,
                covered=covered,
                growth_flagged=e.fai_growth_flag is not None,  # published, but flagged: no growth to deflate
            )
        )
    if e.real_grp_growth is None:
        out.append(Message("gap.grp", years=span(grp, "index_prev_year_100")))
    if e.gfcf is None:
        out.append(Message("gap.gfcf", years=span(gfcf, "gfcf_100m_yuan")))
    if by_field is not None and drivers is not None and drivers.empty:
        out.append(Message("gap.fields", years=sorted(int(y) for y in set(by_field["year"]))))
    return out


def gaps_text(province: str, year: int, missing: Sequence[Message], *, lang: str = DEFAULT_LANG) -> str:
    """One plain sentence: what the data cannot say for the province and year."""
    if not missing:
        return say("gaps.none", lang, province=province, year=year)
    return say("gaps.some", lang, province=province, year=year, clauses=[m.text(lang) for m in missing])


# --------------------------------------------------------------------------------------------- sources
def monthly_provenance(monthly: pd.DataFrame, province: str | None) -> list[dict[str, str]]:
    """The provenance of a monthly chart: the dataset's record when the chart shows the province's own months (the
    dataset's provincial rows are its), otherwise only the national rows' publisher, so a chart of China's path
    beside another province is never credited to that dataset's provincial sources; the national rows' record
    carries its Chinese fields as the manifest's records do (``publisher_zh``, ``title_zh``)."""
    own = province is not None and province in set(monthly.loc[monthly["cum_growth_pct"].notna(), "region"])
    if own:
        return list(monthly.attrs.get("sources", []))
    return [
        {
            "publisher": "National Bureau of Statistics of China (NBS), via the reposts named per row",
            "publisher_zh": "国家统计局，转载来源逐条列于数据文件",
            "title": "2020 cumulative year-to-date FAI growth, national",
            "title_zh": "2020年全国固定资产投资累计增速",
            "url": "",
        }
    ]
