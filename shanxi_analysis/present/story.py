"""The province story's sentences: the ``*_text`` helpers turn the results of :mod:`shanxi_analysis.analysis.province`
into Markdown, so that a notebook narrates with one call and no sentence is ever pasted.  Text that comes from
data files (scope and flag notes) is escaped with :func:`shanxi_analysis.present.safe.text` before it is put
into Markdown; a missing value stays missing and the sentence says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from .. import analysis
from ..analysis.province import Cycle, Pandemic, Peers, RegionRecord, ScopeContext, YearSpread
from .. import numbers as fmt
from . import safe
from .economy import economy_history_text as economy_history_text  # re-exported: moved
from .economy import economy_text as economy_text  # re-exported: moved
from .gaps import data_gaps as data_gaps  # re-exported: moved
from .gaps import gaps_text as gaps_text  # re-exported: moved


def esc(text: Any) -> str:
    """``text`` as safe Markdown/HTML (data text is never trusted as markup):
    :func:`shanxi_analysis.present.safe.text`."""
    return safe.text(text)


def _years(values: Iterable[Any]) -> str:
    return fmt.years(values)


def growth_phrase(growth: float) -> str:
    """``"grew +10.6%"`` or ``"fell 12.5%"``: a change stated with its direction."""
    return f"grew {fmt.pct(growth)}" if growth >= 0 else f"fell {fmt.pct(-growth)}"


def best_phrase(growth: float) -> str:
    """The verb for the highest of several growth rates: "grew fastest" only if it grew at all."""
    return "grew fastest" if growth > 0 else "did best"


def worst_phrase(growth: float) -> str:
    """The verb for the lowest of several growth rates: "fell furthest" if it fell, else "grew slowest"."""
    return "fell furthest" if growth < 0 else "grew slowest"


def _growth_years(frame: pd.DataFrame) -> str:
    pairs = zip(frame["year"], frame["fai_growth_pct"], strict=True)
    return fmt.join(f"{int(y)} ({fmt.pct(g, signed=True)})" for y, g in pairs)


def cycle_text(c: Cycle, year: int) -> str:
    """The cycle in a few sentences, with the year chosen placed in it."""
    if c.n_years == 0:
        return (
            f"{esc(c.province)} has no published investment growth figure in {c.first_year}-{c.last_year}, "
            "so it has no cycle to describe."
        )
    parts = [
        f"Between {c.first_year} and {c.last_year} {esc(c.province)} has a published growth figure for "
        f"{fmt.plural(c.n_years, 'year')}."
    ]
    if not c.booms.empty:
        parts.append(
            f"Its boom years, the fastest, were {_growth_years(c.booms)}; its slowest were {_growth_years(c.busts)}."
        )
    if c.falls.empty:
        parts.append("Its investment never fell in a year with a figure.")
    else:
        parts.append(f"Investment fell in {fmt.plural(len(c.falls), 'year')}: {_years(c.falls['year'])}.")
    if not c.best.empty:
        parts.append(
            f"Its best rank was {fmt.ordinal(int(c.best['rank'].iloc[0]))} ({_years(c.best['year'])}), "
            f"its worst {fmt.ordinal(int(c.worst['rank'].iloc[0]))} ({_years(c.worst['year'])})."
        )
    if int(year) in set(c.booms["year"]):
        parts.append(f"{year} is one of its boom years.")
    elif int(year) in set(c.busts["year"]):
        parts.append(f"{year} is one of its slowest years.")
    a = c.artefacts
    for y, g, note in zip(a["year"], a["fai_growth_pct"], a["flag_note"], strict=True):
        parts.append(
            f"**{int(y)} ({fmt.pct(g, signed=True)}) is a data-revision artefact, not economics:** {esc(note)}"
        )
    return " ".join(parts)


def headline_text(py: analysis.ProvinceYear, national: analysis.NationalGrowth | None, previous: int | None) -> str:
    """The year in one sentence or two: growth, rank, the national figure (a flagged revision artefact is
    said by :func:`scope_text`)."""
    if py.growth is None:
        text = (
            f"**{esc(py.province)} has no published fixed-asset investment growth figure for {py.year}**, so "
            f"it has no rank that year ({fmt.plural(py.n_ranked, 'province')} have one)."
        )
    else:
        text = (
            f"**{esc(py.province)}'s fixed-asset investment {growth_phrase(py.growth)} in {py.year}, "
            f"{fmt.ordinal(py.rank)} of {py.n_ranked} provinces.**"
        )
        if py.rank is not None and py.rank <= 5:
            text += (
                f" The last year it ranked as well was {previous}."
                if previous
                else " It had not ranked as well in any earlier year of the series."
            )
    if national is None:
        text += f" No national growth figure for {py.year} is in the sources, so there is no national comparison."
    else:
        text += (
            f" China's investment ({esc(national.scope)}{', a DERIVED figure' if national.derived else ''}) "
            f"{growth_phrase(national.value)}"
        )
        if py.growth is not None:
            gap = py.growth - national.value
            text += (
                f"; {esc(py.province)} was {fmt.pp(abs(gap))} "
                f"{'above' if gap > 0 else 'below' if gap < 0 else 'level with'} it."
            )
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


def spread_text(s: YearSpread, py: analysis.ProvinceYear) -> str:
    """Where the province sits in the year's spread."""
    if s.n == 0:
        return f"No province has a published investment growth figure for {s.year}."

    def who(name: str | None) -> str:  # None only when s.n == 0, handled above
        return esc(name) + (", a revision artefact" if name in s.artefacts else "")

    text = (
        f"In {s.year} investment growth across the {fmt.plural(s.n, 'province')} with a figure ranged from "
        f"{fmt.pct(s.slowest_growth, signed=True)} ({who(s.slowest)}) to "
        f"{fmt.pct(s.fastest_growth, signed=True)} ({who(s.fastest)}); the median was {fmt.pct(s.median)}"
    )
    text += (
        f", and {fmt.plural(s.n_falls, 'province')} saw investment fall."
        if s.n_falls
        else ", and no province saw investment fall."
    )
    if py.growth is not None:
        gap = py.growth - s.median
        text += (
            f" {esc(py.province)}, at {fmt.pct(py.growth, signed=True)}, was {fmt.pp(abs(gap))} "
            f"{'above' if gap > 0 else 'below' if gap < 0 else 'level with'} the median."
        )
    return text


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
            parts.append(
                f"**{esc(province)}'s {sc.year} figure is a flagged data-revision artefact**, kept as "
                "published: do not read it as a real swing."
            )
        if others:
            parts.append(
                f"The {sc.year} figures of {esc(fmt.join(others))} are flagged revision artefacts, kept as published."
            )
    return " ".join(parts)


def pandemic_text(p: Pandemic, py: analysis.ProvinceYear) -> str:
    """2020's pandemic shock in numbers, and where the province stood."""
    parts = []
    if p.first_value is not None:
        parts.append(
            f"2020 was the year of the COVID-19 shock. China's investment (excluding rural households) "
            f"was {fmt.pct(p.first_value, signed=True)} on a year earlier in {p.first_period}, "
            f"recovering month by month to {fmt.pct(p.year_value, signed=True)} for the whole year."
        )
    if p.hardest is not None:
        parts.append(
            f"Among the provinces, {esc(p.hardest)} was last at {fmt.pct(p.hardest_growth, signed=True)}"
            if p.hardest == "Hubei"
            else f"Among the provinces, {esc(p.hardest)} was last at {fmt.pct(p.hardest_growth, signed=True)}"
        )
        parts[-1] += (
            f", and {fmt.plural(p.n_falls, 'province')} of {p.n_ranked} ended the year below 2019."
            if p.n_falls
            else "."
        )
    if py.growth is not None and py.province != p.hardest:
        parts.append(
            f"{esc(py.province)}'s investment {growth_phrase(py.growth)} in 2020, "
            f"{fmt.ordinal(py.rank)} of {py.n_ranked}."
        )
    return " ".join(parts)


def peers_text(p: Peers) -> str:
    """The province against its region's and neighbours' medians, and who led and trailed among them."""
    t = p.table
    me = t[t["province"] == p.province]["fai_growth_pct"]
    mine = None if me.empty or pd.isna(me.iloc[0]) else float(me.iloc[0])
    others = t[(t["province"] != p.province) & t["fai_growth_pct"].notna()]
    near = t[t["group"].str.contains("neighbour")]["province"].tolist()
    region_n = int(t["group"].str.startswith("region").sum())
    parts = [
        f"{esc(p.province)} belongs to NBS's {esc(p.region)} region "
        f"({fmt.plural(region_n, 'other province')})"
        + (
            f" and borders {fmt.plural(len(near), 'province')} on the map: {esc(fmt.join(near))}."
            if near
            else " and shares no land border with another province."
        )
    ]
    against = []
    for label, med in (("region", p.region_median), ("neighbours", p.neighbour_median)):
        if med is None:
            continue
        if mine is None:
            against.append(f"the median of its {label} in {p.year} was {fmt.pct(med)}")
        else:
            gap = mine - med
            against.append(
                f"{fmt.pp(abs(gap))} {'above' if gap > 0 else 'below' if gap < 0 else 'level with'} "
                f"the median of its {label} ({fmt.pct(med)})"
            )
    if against:
        lead = (
            f"In {p.year} {esc(p.province)} has no figure; "
            if mine is None
            else f"In {p.year}, at {fmt.pct(mine, signed=True)}, it was "
        )
        parts.append(lead + fmt.join(against) + ".")
    if len(others):
        parts.append(
            f"Among these peers {esc(others['province'].iloc[0])} {best_phrase(others['fai_growth_pct'].iloc[0])} "
            f"({fmt.pct(others['fai_growth_pct'].iloc[0], signed=True)}) and "
            f"{esc(others['province'].iloc[-1])} {worst_phrase(others['fai_growth_pct'].iloc[-1])} "
            f"({fmt.pct(others['fai_growth_pct'].iloc[-1], signed=True)})."
        )
    missing = t.loc[(t["province"] != p.province) & t["fai_growth_pct"].isna(), "province"].tolist()
    if missing:
        parts.append(f"No {p.year} figure was published for {esc(fmt.join(missing))}.")
    return " ".join(parts)


def region_record_text(r: RegionRecord) -> str:
    """How many years above the region's median, and the longest run above or below it."""
    t = r.table
    if t.empty:
        return f"{esc(r.province)} has no year with both its own figure and its region's."
    above = int(t["above"].sum())
    runs: list[list] = []  # [above?, first year, last year] of consecutive years on one side
    for y, a in zip(t["year"].astype(int), t["above"], strict=True):
        if runs and runs[-1][0] == a and y == runs[-1][2] + 1:
            runs[-1][2] = y
        else:
            runs.append([a, y, y])
    longest = max(runs, key=lambda x: (x[2] - x[1], x[1]))
    text = (
        f"In {fmt.plural(above, 'year')} of the {len(t)} with both figures ({int(t['year'].min())}-"
        f"{int(t['year'].max())}), {esc(r.province)}'s investment grew faster than the median of the rest of the "
        f"{esc(r.region)} region. Its longest run {'above' if longest[0] else 'below'} that median was "
        f"{longest[1]}-{longest[2]}."
        if longest[2] > longest[1]
        else f"In {fmt.plural(above, 'year')} of the {len(t)} with both figures, {esc(r.province)}'s investment grew "
        f"faster than the median of the rest of the {esc(r.region)} region."
    )
    if r.skipped_artefacts:
        text += f" Its revision-artefact years ({_years(r.skipped_artefacts)}) are left out."
    return text


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
        parts.append(
            f"All investment in {p} {growth_phrase(total['province_pct'])} in {year} "
            f"(China: {fmt.pct(total['china_pct'], signed=True)})."
        )
    if not have.empty:
        best = have.loc[have["province_pct"].idxmax()]
        worst = have.loc[have["province_pct"].idxmin()]
        parts.append(
            f"By field, {esc(best['field'])} investment {best_phrase(best['province_pct'])} "
            f"({fmt.pct(best['province_pct'], signed=True)}) and {esc(worst['field'])} "
            f"{worst_phrase(worst['province_pct'])} "
            f"({fmt.pct(worst['province_pct'], signed=True)})."
        )
        ahead = [f"{esc(r.field)} ({fmt.pp(r.gap_pp, signed=True)})" for r in have.itertuples() if pd.notna(r.gap_pp)]
        if ahead:
            parts.append(f"Against the nation, the gaps were: {fmt.join(ahead)}.")
    missing = fields[fields["province_pct"].isna()]
    for r in missing.itertuples():
        parts.append(
            f"The yearbook gives no {esc(r.field)} figure for {p} in {year}"
            + (f" ({esc(r.note)})." if isinstance(r.note, str) and r.note.strip() else ".")
        )
    parts.append("Infrastructure overlaps the other fields, so the fields do not add up to the total.")
    return " ".join(parts)
