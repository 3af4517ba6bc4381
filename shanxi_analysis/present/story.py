"""The province story's sentences: the ``*_text`` helpers turn the results of :mod:`shanxi_analysis.analysis`
(the province, the economy) into plain English, one call per paragraph, so that a notebook narrates with no
sentence ever pasted; :func:`economy_text` says what investment was against the economy, :func:`data_gaps` and
:func:`gaps_text` what the data cannot say.

Every helper returns plain text (names and notes from the data as they are, numbers written by
:mod:`shanxi_analysis.numbers`); a notebook renders it with :func:`shanxi_analysis.present.md`, which escapes it
once.  A missing value stays missing and the sentence says so.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from .. import analysis
from .. import numbers as fmt
from ..analysis.macro import Economy
from ..analysis.periods import year_span
from ..analysis.province import Cycle, Pandemic, Peers, RegionRecord, ScopeContext, YearSpread


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
            f"{c.province} has no published investment growth figure in {c.first_year}-{c.last_year}, "
            "so it has no cycle to describe."
        )
    parts = [
        f"Between {c.first_year} and {c.last_year} {c.province} has a published growth figure for "
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
        parts.append(f"{int(y)} ({fmt.pct(g, signed=True)}) is a data-revision artefact, not economics: {note}")
    return " ".join(parts)


def headline_text(py: analysis.ProvinceYear, national: analysis.NationalGrowth | None, previous: int | None) -> str:
    """The year in one sentence or two: growth, rank, the national figure (a flagged revision artefact is
    said by :func:`scope_text`)."""
    if py.growth is None:
        text = (
            f"{py.province} has no published fixed-asset investment growth figure for {py.year}, so "
            f"it has no rank that year ({fmt.plural(py.n_ranked, 'province')} have one)."
        )
    else:
        text = (
            f"{py.province}'s fixed-asset investment {growth_phrase(py.growth)} in {py.year}, "
            f"{fmt.ordinal(py.rank)} of {py.n_ranked} provinces."
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
            f" China's investment ({national.scope}{', a DERIVED figure' if national.derived else ''}) "
            f"{growth_phrase(national.value)}"
        )
        if py.growth is not None:
            gap = py.growth - national.value
            text += (
                f"; {py.province} was {fmt.pp(abs(gap))} "
                f"{'above' if gap > 0 else 'below' if gap < 0 else 'level with'} it."
            )
        else:
            text += "."
    return text


def breaks_list(changes: Sequence[tuple[int, str]], level: pd.DataFrame | None = None) -> list[str]:
    """One line per break, in year order: each change of the growth indicator's scope
    (:func:`analysis.scope_changes`) and each break in the FAI levels (the 2011 threshold, the 2017 revisions:
    ``fai_level`` rows not comparable with the year before).  Plain text; a list passed to
    :func:`shanxi_analysis.present.md` is shown as bullets."""
    items = [(int(y), f"From {int(y)}, growth: {s}") for y, s in changes]
    if level is not None:
        b = level.loc[~level["comparable_with_previous"].astype(bool), ["year", "break_note"]].drop_duplicates("year")
        items += [(int(r.year), f"{int(r.year)}, levels: {r.break_note}") for r in b.itertuples()]
    return [text for _, text in sorted(items, key=lambda x: x[0])]


def spread_text(s: YearSpread, py: analysis.ProvinceYear) -> str:
    """Where the province sits in the year's spread."""
    if s.n == 0:
        return f"No province has a published investment growth figure for {s.year}."

    def who(name: str | None) -> str:  # None only when s.n == 0, handled above
        return str(name) + (", a revision artefact" if name in s.artefacts else "")

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
    if py.growth is not None and s.median is not None:
        gap = py.growth - s.median
        text += (
            f" {py.province}, at {fmt.pct(py.growth, signed=True)}, was {fmt.pp(abs(gap))} "
            f"{'above' if gap > 0 else 'below' if gap < 0 else 'level with'} the median."
        )
    return text


def scope_text(sc: ScopeContext, province: str) -> str:
    """The scope of the figures and any change or revision artefact touching the year."""
    parts = []
    if sc.change:
        parts.append(f"A change of the indicator's scope or source starts in {sc.year}: {sc.change}")
    elif sc.scope_note:
        parts.append(f"Scope of the provincial figures in {sc.year}: {sc.scope_note}")
    if sc.flagged:
        own = province in sc.flagged
        others = [p for p in sc.flagged if p != province]
        if own:
            parts.append(
                f"{province}'s {sc.year} figure is a flagged data-revision artefact, kept as "
                "published: do not read it as a real swing."
            )
        if others:
            parts.append(
                f"The {sc.year} figures of {fmt.join(others)} are flagged revision artefacts, kept as published."
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
            f"Among the provinces, {p.hardest} was last at {fmt.pct(p.hardest_growth, signed=True)}"
            if p.hardest == "Hubei"
            else f"Among the provinces, {p.hardest} was last at {fmt.pct(p.hardest_growth, signed=True)}"
        )
        parts[-1] += (
            f", and {fmt.plural(p.n_falls, 'province')} of {p.n_ranked} ended the year below 2019."
            if p.n_falls
            else "."
        )
    if py.growth is not None and py.province != p.hardest:
        parts.append(
            f"{py.province}'s investment {growth_phrase(py.growth)} in 2020, {fmt.ordinal(py.rank)} of {py.n_ranked}."
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
        f"{p.province} belongs to NBS's {p.region} region "
        f"({fmt.plural(region_n, 'other province')})"
        + (
            f" and borders {fmt.plural(len(near), 'province')} on the map: {fmt.join(near)}."
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
            f"In {p.year} {p.province} has no figure; "
            if mine is None
            else f"In {p.year}, at {fmt.pct(mine, signed=True)}, it was "
        )
        parts.append(lead + fmt.join(against) + ".")
    if len(others):
        parts.append(
            f"Among these peers {others['province'].iloc[0]} {best_phrase(others['fai_growth_pct'].iloc[0])} "
            f"({fmt.pct(others['fai_growth_pct'].iloc[0], signed=True)}) and "
            f"{others['province'].iloc[-1]} {worst_phrase(others['fai_growth_pct'].iloc[-1])} "
            f"({fmt.pct(others['fai_growth_pct'].iloc[-1], signed=True)})."
        )
    missing = t.loc[(t["province"] != p.province) & t["fai_growth_pct"].isna(), "province"].tolist()
    if missing:
        parts.append(f"No {p.year} figure was published for {fmt.join(missing)}.")
    return " ".join(parts)


def region_record_text(r: RegionRecord) -> str:
    """How many years above the region's median, and the longest run above or below it."""
    t = r.table
    if t.empty:
        return f"{r.province} has no year with both its own figure and its region's."
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
        f"{int(t['year'].max())}), {r.province}'s investment grew faster than the median of the rest of the "
        f"{r.region} region. Its longest run {'above' if longest[0] else 'below'} that median was "
        f"{longest[1]}-{longest[2]}."
        if longest[2] > longest[1]
        else f"In {fmt.plural(above, 'year')} of the {len(t)} with both figures, {r.province}'s investment grew "
        f"faster than the median of the rest of the {r.region} region."
    )
    if r.skipped_artefacts:
        text += f" Its revision-artefact years ({_years(r.skipped_artefacts)}) are left out."
    return text


def drivers_text(d: pd.DataFrame, province: str, year: int) -> str:
    """Which field drove the year, against the nation."""
    if d.empty:
        return ""
    p = province
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
            f"By field, {best['field']} investment {best_phrase(best['province_pct'])} "
            f"({fmt.pct(best['province_pct'], signed=True)}) and {worst['field']} "
            f"{worst_phrase(worst['province_pct'])} "
            f"({fmt.pct(worst['province_pct'], signed=True)})."
        )
        ahead = [f"{r.field} ({fmt.pp(r.gap_pp, signed=True)})" for r in have.itertuples() if pd.notna(r.gap_pp)]
        if ahead:
            parts.append(f"Against the nation, the gaps were: {fmt.join(ahead)}.")
    missing = fields[fields["province_pct"].isna()]
    for r in missing.itertuples():
        parts.append(
            f"The yearbook gives no {r.field} figure for {p} in {year}"
            + (f" ({r.note})." if isinstance(r.note, str) and r.note.strip() else ".")
        )
    parts.append("Infrastructure overlaps the other fields, so the fields do not add up to the total.")
    return " ".join(parts)


# --------------------------------------------------------------------------------------------- the economy


def economy_text(e: Economy, price: pd.DataFrame) -> list[str]:
    """Sentences on investment against the economy, one per question the data can answer, and one plain sentence
    for each it cannot."""
    p, y = e.province, e.year
    out = []
    if e.fai_share_of_gdp is not None:
        text = (
            f"{p}'s fixed-asset investment was {fmt.yuan_100m(e.fai_level)} in {y}, "
            f"{fmt.pct(e.fai_share_of_gdp)} of its gross regional product ({fmt.yuan_100m(e.gdp)})"
        )
        text += (
            f", or {fmt.yuan(e.fai_per_head)} per resident (year-end population "
            f"{fmt.number(e.population_10k * 1e4 / 1e6, 2)} million)."
            if e.fai_per_head is not None and e.population_10k is not None  # per head needs the population
            else "."
        )
        if e.level_break:
            text += f" The level is for scale only and not comparable with the year before: {e.level_break}"
        out.append(text)
    if e.real_fai_growth is not None and e.price_index is not None:  # real growth needs the price index
        out.append(
            f"Investment prices changed {fmt.pct(e.price_index - 100, signed=True)} in {y} (FAI price "
            f"index), so the {fmt.pct(e.fai_growth, signed=True)} nominal growth was about "
            f"{fmt.pct(e.real_fai_growth, signed=True)} in real terms (DERIVED: nominal growth deflated by the "
            "price index)."
        )
    elif not e.has_price_index:
        out.append(
            f"NBS never published an FAI price index for {p}, so its investment growth cannot be put in real terms."
        )
    if e.real_grp_growth is not None:
        text = f"{p}'s economy (real GRP) grew {fmt.pct(e.real_grp_growth, signed=True)} in {y}"
        if e.fai_growth is not None:
            gap = e.fai_growth - e.real_grp_growth
            text += (
                f"; investment growth ({fmt.pct(e.fai_growth, signed=True)}, nominal) was {fmt.pp(abs(gap))} "
                f"{'above' if gap > 0 else 'below' if gap < 0 else 'level with'} it"
            )
        out.append(text + ".")
    if e.gfcf is not None:
        text = (
            f"Gross fixed capital formation, the national-accounts measure of investment, was {fmt.yuan_100m(e.gfcf)}"
        )
        if e.gfcf_share_of_gdp is not None:
            text += f", {fmt.pct(e.gfcf_share_of_gdp)} of GRP"
        if e.fai_to_gfcf is not None:
            text += (
                f"; the FAI statistics counted {fmt.number(e.fai_to_gfcf, 2)} times as much (the two measure "
                "different things: FAI includes land and second-hand assets)"
            )
        out.append(text + ".")
    return out


def economy_history_text(history: pd.DataFrame, province: str) -> str:
    """Which years of the province's series can be put in real terms, and against real GRP growth."""

    def years(col: str) -> str:
        ys = history.loc[history[col].notna(), "year"].astype(int)
        return f"{fmt.plural(len(ys), 'year')} ({ys.min()}-{ys.max()})" if len(ys) else "no year"

    return (
        f"Over the series, {province}'s investment growth can be put in real terms for "
        f"{years('real_fai_growth_pct')} and set against the real growth of its economy for "
        f"{years('real_grp_growth_pct')}."
    )


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
    fai: pd.DataFrame,
    nat: pd.DataFrame | None = None,
    monthly: pd.DataFrame | None = None,
    gdp: pd.DataFrame | None = None,
    breakdown: pd.DataFrame | None = None,
    extra: Sequence[tuple[str, pd.DataFrame | None, str]] = (),
) -> list[str]:
    """What the data cannot say for ``province`` in ``year``, each as a clause naming why, in report order.

    Every coverage is read from the frames passed (a frame left out is not judged).

    Parameters
    ----------
    fai, nat, monthly, gdp : DataFrame
        :func:`~shanxi_analysis.data.datasets.fai_growth`, ``national_fai_growth``, ``fai_monthly_2020``, ``gdp``.
    breakdown : DataFrame
        ``shanxi_investment_2020``: the only breakdown of a province's investment by sector and city.
    extra : sequence of (what, frame, value column)
        Further province-year datasets: ``what`` is said when ``frame`` has no value for the province and year.
    """
    out = []
    if year not in _years_of(fai, "fai_growth_pct", province):
        out.append(f"how fast {province}'s investment grew or where it ranked (no figure was published for {year})")
    if nat is not None and analysis.national_growth(nat, year) is None:
        out.append(f"how it compared with China as a whole (no national figure for {year} is in the sources)")
    if monthly is not None:
        months = monthly[monthly["cum_growth_pct"].notna()]
        if year not in set(months["year"]):
            out.append(
                f"how the year unfolded month by month (monthly figures exist only for "
                f"{fmt.years(sorted(set(months['year'])))})"
            )
        elif province not in set(months.loc[months["year"] == year, "region"]):
            others = sorted(set(months.loc[months["year"] == year, "region"]) - {"China"})
            out.append(
                f"how {province}'s own year unfolded month by month (the monthly provincial "
                f"figures cover only {fmt.join(others)})"
            )
    if breakdown is not None and (province, year) != ("Shanxi", 2020):  # the one breakdown: Shanxi's 2020
        out.append(
            "how its investment split by sector and city ("
            + (
                "the data has that breakdown only for 2020)"
                if province == "Shanxi"
                else f"the data has no such breakdown for {province})"
            )
        )
    if gdp is not None:
        g = gdp[gdp["vintage"] == "revised"] if "vintage" in gdp else gdp
        have = _years_of(g, "gdp_100m_yuan", province)
        if year not in have:
            out.append(
                f"how investment compared with the size of its economy (the GDP series covers {year_span(have)})"
            )
    for what, frame, column in extra:
        if frame is not None and year not in _years_of(frame, column, province):
            out.append(what)
    return out


def gaps_text(province: str, year: int, missing: Sequence[str]) -> str:
    """One plain sentence: what the data cannot say for the province and year (empty when nothing is missing)."""
    if not missing:
        return f"The data covers every question of this report for {province} in {year}."
    return f"For {province} in {year} the data cannot say {fmt.join(list(missing))}."
