"""What did the article claim, and does the data bear it out?  The claims ledger.

The China Daily article "Investment booms in Shanxi in 2020" (2021-03-26, :data:`ARTICLE_URL`) makes the claims
listed in ``data/raw/article_claims.csv`` (:func:`shanxi_analysis.datasets.article_claims`).  Each claim has one
check in :data:`CHECKS`: a small pure function of the datasets it needs, which it receives as DataFrames (a
parameter named after a dataset function, e.g. ``fai_growth``, receives that dataset; ``claim`` receives the
claim's row).  A check returns a :class:`Finding`; :func:`ledger` runs every check and lays the findings out in a
table with one row per claim.

Verdicts come from the data, never from the code:

``confirmed``
    an independent figure measuring the same thing agrees with the article within the rounding the article uses
    (the tolerance is stated on every row);
``contradicted``
    such a figure disagrees;
``unverifiable``
    no independent figure measuring the same thing exists in the data; the row says what would settle it.

Claims resting on the article alone are checked against ``data/raw/independent_figures.csv``: a row with
``comparable == True`` is compared with the article's figure; rows that are not comparable are named in the
evidence, never used for the verdict.

>>> from shanxi_analysis import claims
>>> table = claims.ledger()                       # doctest: +SKIP
>>> claims.verdict_counts(table)                  # doctest: +SKIP
"""

from __future__ import annotations

import inspect
import math
from dataclasses import dataclass
from typing import Any, Callable, NamedTuple

import pandas as pd

from . import analysis, datasets, fmt
from .errors import DataError, ParameterError

#: The article every claim comes from.
ARTICLE_URL = datasets.ARTICLE_URL

#: How the article is cited in the ``sources`` column (always first).
ARTICLE_SOURCE = f"China Daily, 'Investment booms in Shanxi in 2020' (2021-03-26) <{ARTICLE_URL}>"

#: The article's subject: the province and the year it writes about.
PROVINCE = "Shanxi"
YEAR = 2020

#: The month the article was published: the rate "current at publication" is this month's average.
PUBLISHED_MONTH = "2021-03"

#: "Two decades" before :data:`YEAR`: the 20 years 2000-2019.
TWO_DECADES = (YEAR - 20, YEAR - 1)

#: "Much higher than the national average": at least this many percentage points above it ...
MUCH_HIGHER_MIN_GAP_PP = 2.0
#: ... and at least this multiple of it (the ratio test is skipped when national growth is zero or negative).
MUCH_HIGHER_MIN_RATIO = 1.5

#: Tolerance of growth rates given to one decimal.
ONE_DECIMAL_PP = 0.05

#: The three verdicts, in the order :func:`verdict_counts` reports them.
VERDICTS = ("confirmed", "contradicted", "unverifiable")

#: Columns of :func:`ledger`, in order.
COLUMNS = ["claim_id", "topic", "quote", "article_value", "unit", "data_value", "verdict", "tolerance",
           "evidence", "settle", "sources"]

#: Separator between the entries of the ``sources`` column.
SOURCE_SEP = " | "

_EPS = 1e-9  # absorbs binary floating-point error in comparisons of decimal figures (10.6 - 2.9 != 7.7 exactly)


class Finding(NamedTuple):
    """What one check found.

    Attributes
    ----------
    data_value : float
        The independent figure compared with the article's (NaN when none exists).
    verdict : str
        One of :data:`VERDICTS`.
    tolerance : str
        The rounding tolerance or decision rule used, in words.
    evidence : str
        One or two sentences naming the figures compared.
    settle : str
        For ``unverifiable``: the data that would settle the claim; else ``""``.
    sources : tuple of str
        "publisher <URL>" of each figure used (the article is added by :func:`ledger`).
    """

    data_value: float
    verdict: str
    tolerance: str
    evidence: str
    settle: str
    sources: tuple[str, ...]


# --------------------------------------------------------------------------------------------- registry
#: claim_id -> check function.
CHECKS: dict[str, Callable[..., Finding]] = {}

#: claim_id -> short label of what the claim is about.
TOPICS: dict[str, str] = {}


def _register(claim_id: str, topic: str, func: Callable[..., Finding]) -> Callable[..., Finding]:
    CHECKS[claim_id] = func
    TOPICS[claim_id] = topic
    return func


def _check(claim_id: str, topic: str) -> Callable[[Callable[..., Finding]], Callable[..., Finding]]:
    def deco(func: Callable[..., Finding]) -> Callable[..., Finding]:
        return _register(claim_id, topic, func)

    return deco


# --------------------------------------------------------------------------------------------- small helpers
def _within(a: float, b: float, tol: float) -> bool:
    return abs(float(a) - float(b)) <= tol + _EPS


def _decimals(value: float, least: int = 1, most: int = 4) -> int:
    """Decimals needed to show ``value`` as given (at least ``least``), so no figure is rounded for display."""
    for d in range(least, most + 1):
        if abs(round(float(value), d) - float(value)) < _EPS:
            return d
    return most


def _pct(value: float) -> str:
    return fmt.pct(value, _decimals(value))


def _pp(value: float) -> str:
    return fmt.pp(value, _decimals(value))


def _num(value: float) -> str:
    """A figure as given: ``1010 -> "1,010"``, ``0.7306 -> "0.7306"``."""
    if fmt.is_missing(value):
        return fmt.MISSING
    v = float(value)
    return f"{v:,.0f}" if v == int(v) else f"{v:,.{_decimals(v, least=1, most=6)}f}"


def _src(desc: Any, url: Any) -> str:
    desc, url = str(desc or "").strip(), str(url or "").strip()
    return f"{desc} <{url}>" if url else desc


def _dataset_source(df: pd.DataFrame) -> tuple[str, ...]:
    return tuple(_src(s.get("publisher", ""), s.get("url", "")) for s in df.attrs.get("sources", [])[:1])


def _article_value(claim: pd.Series) -> float:
    v = claim["article_value"]
    return float("nan") if fmt.is_missing(v) else float(v)


def _unverifiable(tolerance: str, evidence: str, settle: str, sources: tuple[str, ...] = ()) -> Finding:
    return Finding(float("nan"), "unverifiable", tolerance, evidence, settle, sources)


# --------------------------------------------------------------------------------------------- growth checks
_GROWTH_TOLERANCE = "±0.05 pp: the article gives growth to one decimal"


@_check("fai_growth_2020", "FAI growth 2020")
def check_fai_growth_2020(claim: pd.Series, fai_growth: pd.DataFrame, fai_crosschecks: pd.DataFrame) -> Finding:
    """Shanxi's 2020 FAI growth in the NBS provincial table against the article's figure.

    Parameters
    ----------
    claim : Series
        The claim's row of :func:`~shanxi_analysis.datasets.article_claims`.
    fai_growth, fai_crosschecks : DataFrame
        The datasets of the same names.

    Returns
    -------
    Finding
        ``data_value`` is the NBS growth; the verdict compares it within ±0.05 pp.  The independent Shanxi
        Statistics Bureau figure (:func:`~shanxi_analysis.datasets.fai_crosschecks`) is named in the evidence.
    """
    art = _article_value(claim)
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    cross = fai_crosschecks[(fai_crosschecks["province"] == PROVINCE) & (fai_crosschecks["year"] == YEAR)]
    cross_src = tuple(_src(r["source_desc"], r["source_url"]) for _, r in cross.iterrows())
    if py.growth is None:
        return _unverifiable(_GROWTH_TOLERANCE,
                             f"The NBS provincial table has no FAI growth for {PROVINCE} in {YEAR}.",
                             f"NBS's {YEAR} FAI growth for {PROVINCE}.", _dataset_source(fai_growth) + cross_src)
    ok = _within(py.growth, art, ONE_DECIMAL_PP)
    text = (f"NBS's provincial table gives {PROVINCE}'s {YEAR} FAI growth as {_pct(py.growth)}, "
            + (f"matching the article's {_pct(art)}." if ok else
               f"not the article's {_pct(art)} ({_pp(py.growth - art)} apart)."))
    for _, r in cross.iterrows():
        agree = _within(r["fai_growth_pct"], py.growth, ONE_DECIMAL_PP)
        text += (f" Independently, {r['source_desc']} gives {_pct(r['fai_growth_pct'])}"
                 + (", the same figure." if agree else f", which differs from the NBS table."))
    return Finding(py.growth, "confirmed" if ok else "contradicted", _GROWTH_TOLERANCE, text, "",
                   _dataset_source(fai_growth) + cross_src)


def _national_rows(nat: pd.DataFrame, year: int) -> pd.DataFrame:
    return nat[(nat["year"] == year) & nat["growth_pct"].notna()]


def _national_sources(nat: pd.DataFrame, year: int, scopes: list[str]) -> tuple[str, ...]:
    rows = _national_rows(nat, year)
    rows = rows[rows["scope"].isin(scopes)]
    return tuple(_src(f"NBS via {r['source_desc']}", r["source_url"]) for _, r in rows.iterrows())


@_check("national_average_2020", "National FAI growth 2020")
def check_national_average_2020(claim: pd.Series, fai_growth: pd.DataFrame,
                                national_fai_growth: pd.DataFrame) -> Finding:
    """China's 2020 FAI growth (the scope comparable to the provincial table) against the article's "national
    average".

    Parameters
    ----------
    claim : Series
        The claim's row of :func:`~shanxi_analysis.datasets.article_claims`.
    fai_growth, national_fai_growth : DataFrame
        The datasets of the same names.

    Returns
    -------
    Finding
        ``data_value`` is the national growth in the first scope of
        :data:`shanxi_analysis.analysis.NATIONAL_SCOPE_PREFERENCE` published for the year.  Where the article's
        figure equals Shanxi's growth minus the national growth (within ±0.05 pp), the evidence says so.
    """
    art = _article_value(claim)
    ng = analysis.national_growth(national_fai_growth, YEAR)
    if ng is None:
        return _unverifiable(_GROWTH_TOLERANCE, f"The data has no national FAI growth figure for {YEAR}.",
                             f"NBS's {YEAR} national FAI growth (statistical communiqué or January release).",
                             _dataset_source(national_fai_growth))
    others = _national_rows(national_fai_growth, YEAR)
    others = others[others["scope"] != ng.scope]
    ok = _within(ng.value, art, ONE_DECIMAL_PP)
    text = (f"NBS gives China's {YEAR} FAI growth as {_pct(ng.value)} ({ng.scope}, the scope comparable to the "
            "provincial figures"
            + "".join(f"; {r['scope']} investment grew {_pct(r['growth_pct'])}" for _, r in others.iterrows())
            + ("), matching the article's " if ok else "), not the article's ") + f"{_pct(art)}.")
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    if not ok and py.growth is not None:
        gap = py.growth - ng.value
        if _within(gap, art, ONE_DECIMAL_PP):
            text += (f" The article's {fmt.number(art, _decimals(art))} is {PROVINCE}'s growth minus the national "
                     f"growth ({fmt.number(py.growth, _decimals(py.growth))} \u2212 "
                     f"{fmt.number(ng.value, _decimals(ng.value))} = {_pp(gap)}): it reported the gap as the "
                     "national average.")
    scopes = [ng.scope, *others["scope"]]
    return Finding(ng.value, "confirmed" if ok else "contradicted", _GROWTH_TOLERANCE, text, "",
                   _national_sources(national_fai_growth, YEAR, scopes))


_MUCH_HIGHER_RULE = (f"'much higher' read as at least {fmt.number(MUCH_HIGHER_MIN_GAP_PP)} pp above the national "
                     f"growth and at least {fmt.number(MUCH_HIGHER_MIN_RATIO)} times it (ratio test skipped when "
                     "national growth is zero or negative)")


@_check("much_higher_than_national", "Shanxi vs national growth")
def check_much_higher_than_national(claim: pd.Series, fai_growth: pd.DataFrame,
                                    national_fai_growth: pd.DataFrame) -> Finding:
    """Whether Shanxi's 2020 growth was "much higher" than China's, by :data:`MUCH_HIGHER_MIN_GAP_PP` and
    :data:`MUCH_HIGHER_MIN_RATIO`.

    Parameters
    ----------
    claim : Series
        The claim's row of :func:`~shanxi_analysis.datasets.article_claims`.
    fai_growth, national_fai_growth : DataFrame
        The datasets of the same names.

    Returns
    -------
    Finding
        ``data_value`` is the gap in percentage points (Shanxi minus national, comparable scope).
    """
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    ng = analysis.national_growth(national_fai_growth, YEAR)
    if py.growth is None or ng is None:
        missing = fmt.join(([f"{PROVINCE}'s"] if py.growth is None else []) + (["China's"] if ng is None else []))
        return _unverifiable(_MUCH_HIGHER_RULE, f"The data has no {YEAR} FAI growth figure for {missing}.",
                             f"NBS's {YEAR} FAI growth for {PROVINCE} and for China.",
                             _dataset_source(fai_growth) + _dataset_source(national_fai_growth))
    gap = py.growth - ng.value
    ratio = py.growth / ng.value if ng.value > 0 else None
    ok = gap >= MUCH_HIGHER_MIN_GAP_PP - _EPS and (ratio is None or ratio >= MUCH_HIGHER_MIN_RATIO - _EPS)
    times = "" if ratio is None else f", {fmt.number(ratio)} times the national rate"
    text = (f"{PROVINCE}'s {_pct(py.growth)} was {_pp(gap)} {'above' if gap >= 0 else 'below'} China's "
            f"{_pct(ng.value)} ({ng.scope}){times}: " + ("much higher by this rule." if ok else
                                                        "not much higher by this rule."))
    return Finding(gap, "confirmed" if ok else "contradicted", _MUCH_HIGHER_RULE, text, "",
                   _dataset_source(fai_growth) + _national_sources(national_fai_growth, YEAR, [ng.scope]))


# --------------------------------------------------------------------------------------------- rank checks
_RANK_TOLERANCE = "exact: ranks are whole numbers (provinces with equal growth share the better rank)"


def _leaders(fai: pd.DataFrame, year: int) -> pd.DataFrame:
    t = analysis.year_table(fai, year)
    return t[t["rank"] == 1]


def _who_led(fai: pd.DataFrame, year: int) -> str:
    """``"Sichuan's 42.4%"`` (all leaders where tied)."""
    lead = _leaders(fai, year)
    return fmt.join(f"{r['province']}'s {_pct(r['fai_growth_pct'])}" for _, r in lead.iterrows())


@_check("rank_2020", "FAI growth rank 2020")
def check_rank_2020(claim: pd.Series, fai_growth: pd.DataFrame) -> Finding:
    """Shanxi's rank among the provinces by 2020 FAI growth against the article's rank.

    Parameters
    ----------
    claim : Series
        The claim's row of :func:`~shanxi_analysis.datasets.article_claims`.
    fai_growth : DataFrame
        :func:`~shanxi_analysis.datasets.fai_growth` (its ``rank`` column: 1 = fastest, ties share the better rank).

    Returns
    -------
    Finding
        ``data_value`` is the rank; exact comparison.
    """
    art = _article_value(claim)
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    if py.rank is None:
        return _unverifiable(_RANK_TOLERANCE, f"The NBS provincial table has no {YEAR} growth for {PROVINCE}, so "
                             "no rank.", f"NBS's {YEAR} FAI growth for every province.", _dataset_source(fai_growth))
    ok = py.rank == art
    t = analysis.year_table(fai_growth, YEAR)
    tied = t[(t["rank"] == py.rank) & (t["province"] != PROVINCE)]
    text = (f"In NBS's provincial table {PROVINCE}'s {_pct(py.growth)} ranked {fmt.ordinal(py.rank)} of "
            f"{py.n_ranked} provinces in {YEAR}"
            + (f" (tied with {fmt.join(tied['province'])})" if not tied.empty else "")
            + (f", as the article says; " if ok else f", not {fmt.ordinal(int(art))} as the article says; ")
            + (f"the fastest was {_who_led(fai_growth, YEAR)}." if py.rank != 1 else
               "it was the fastest itself."))
    ahead = t[(t["rank"] < py.rank) & t["revision_artefact"]]
    if not ahead.empty:
        text += (f" Caveat: {fmt.join(ahead['province'])} ahead of it carry a data-revision flag.")
    return Finding(float(py.rank), "confirmed" if ok else "contradicted", _RANK_TOLERANCE, text, "",
                   _dataset_source(fai_growth))


_TWO_DECADES_RULE = (f"two decades read as the 20 years {TWO_DECADES[0]}-{TWO_DECADES[1]}; 'best' holds only if no "
                     f"rank in those years was as good as or better than {YEAR}'s (a tie counts against it)")


@_check("best_rank_two_decades", "Best rank in two decades")
def check_best_rank_two_decades(claim: pd.Series, fai_growth: pd.DataFrame) -> Finding:
    """Whether Shanxi's 2020 rank was its best in the 20 years before (2000-2019).

    Parameters
    ----------
    claim : Series
        The claim's row of :func:`~shanxi_analysis.datasets.article_claims`.
    fai_growth : DataFrame
        :func:`~shanxi_analysis.datasets.fai_growth`.

    Returns
    -------
    Finding
        ``data_value`` is the number of years since Shanxi last ranked at least as well within the window, or the
        window's length (20) if it never did; contradicted when any year in the window ranked as well or better.
        The evidence names those years and carries the series' scope changes as a caveat.
    """
    first, last = TWO_DECADES
    length = last - first + 1
    hist = analysis.rank_history(fai_growth, PROVINCE)
    this = analysis.province_year(fai_growth, PROVINCE, YEAR)
    if this.rank is None:
        return _unverifiable(_TWO_DECADES_RULE, f"The NBS provincial table has no {YEAR} rank for {PROVINCE}.",
                             f"NBS's {YEAR} FAI growth for every province.", _dataset_source(fai_growth))
    window = hist[hist["year"].between(first, last)]
    as_good = window[window["rank"].notna() & (window["rank"] <= this.rank)]
    unranked = window.loc[window["rank"].isna(), "year"].astype(int).tolist()
    changes = [(y, s) for y, s in analysis.scope_changes(hist) if first <= y <= YEAR]
    caveat = ""
    if changes:
        caveat = (f" Caveat: the indicator's scope changed in {fmt.join(str(y) for y, _ in changes)} (e.g. rural "
                  "households excluded, project threshold raised), so ranks compare provinces within each year on "
                  "that year's definition.")
    if unranked:
        caveat += f" No rank exists for {fmt.join(str(y) for y in unranked)}."
    if as_good.empty:
        before = analysis.last_as_good(hist, YEAR)
        earlier = (f"; the last time before that was {before}, {fmt.plural(YEAR - before, 'year')} earlier"
                   if before is not None else "")
        text = (f"{PROVINCE} ranked {fmt.ordinal(this.rank)} in {YEAR} and no year from {first} to {last} ranked as "
                f"well (its best in the window was {fmt.ordinal(int(window['rank'].min()))}" + earlier + ")."
                if window["rank"].notna().any() else
                f"{PROVINCE} ranked {fmt.ordinal(this.rank)} in {YEAR}; the window {first}-{last} has no ranks.")
        return Finding(float(length), "confirmed", _TWO_DECADES_RULE, text + caveat, "", _dataset_source(fai_growth))
    latest = int(as_good["year"].max())
    years = fmt.join(f"{int(r['year'])} ({fmt.ordinal(int(r['rank']))}, {_pct(r['fai_growth_pct'])}"
                     + (f", behind {_who_led(fai_growth, int(r['year']))}" if int(r["rank"]) > 1 else "") + ")"
                     for _, r in as_good.sort_values("year").iterrows())
    tie = bool((as_good["rank"] == this.rank).all())
    text = (f"{PROVINCE} ranked {fmt.ordinal(this.rank)} in {YEAR}, but it had ranked as well"
            + ("" if tie else " or better") + f" in {years}, {fmt.plural(YEAR - latest, 'year')} earlier, so {YEAR} "
            + ("only equalled" if tie else "did not beat") + " its best rank of the two decades.")
    return Finding(float(YEAR - latest), "contradicted", _TWO_DECADES_RULE, text + caveat, "",
                   _dataset_source(fai_growth))


# --------------------------------------------------------------------------------------------- currency
_USD_TOLERANCE = "±$5 billion: the article gives $190 billion to two significant figures"


def _rate(rates: pd.DataFrame, period: str, measure_prefix: str) -> pd.Series | None:
    hit = rates[(rates["period"] == period) & rates["measure"].str.startswith(measure_prefix)
                & (rates["kind"] == "published")]
    return None if hit.empty else hit.iloc[0]


@_check("combined_investment_usd", "Dollar conversion of the combined investment")
def check_combined_investment_usd(claim: pd.Series, article_claims: pd.DataFrame,
                                  exchange_rates: pd.DataFrame) -> Finding:
    """Whether the article's dollar figure is its yuan figure converted at the rate current at publication.

    Parameters
    ----------
    claim : Series
        The claim's row of :func:`~shanxi_analysis.datasets.article_claims` (billion US dollars).
    article_claims : DataFrame
        For the yuan amount (claim ``combined_investment_cny``, trillion yuan).
    exchange_rates : DataFrame
        :func:`~shanxi_analysis.datasets.exchange_rates`: the FRED monthly average of :data:`PUBLISHED_MONTH`
        and the NBS annual average of :data:`YEAR` are read by period and measure.

    Returns
    -------
    Finding
        ``data_value`` is the yuan amount in billion dollars at the publication-month rate; confirmed within
        ±$5 billion.  The evidence also gives the conversion at the 2020 average rate.
    """
    art = _article_value(claim)
    cny = article_claims.loc[article_claims["claim_id"] == "combined_investment_cny", "article_value"]
    if cny.empty or fmt.is_missing(cny.iloc[0]):
        raise DataError("data/raw/article_claims.csv: the check of combined_investment_usd needs the yuan amount "
                        "of claim combined_investment_cny (trillion yuan), which is missing. Restore that row.")
    billion_cny = float(cny.iloc[0]) * 1000  # trillion -> billion yuan (a unit conversion)
    now = _rate(exchange_rates, PUBLISHED_MONTH, "monthly average")
    annual = _rate(exchange_rates, str(YEAR), "annual average")
    srcs = tuple(_src(r["source_desc"], r["source_url"]) for r in (now, annual) if r is not None)
    at_annual = (f"at the {YEAR} average rate ({fmt.number(annual['cny_per_usd'], 4)} yuan per dollar, NBS) it would "
                 f"be ${fmt.number(billion_cny / annual['cny_per_usd'])} billion" if annual is not None else "")
    if now is None:
        return _unverifiable(_USD_TOLERANCE, f"The data has no yuan-dollar rate for {PUBLISHED_MONTH}, the month of "
                             "publication" + (f"; {at_annual}." if at_annual else "."),
                             f"A published yuan-dollar rate for {PUBLISHED_MONTH} (e.g. FRED EXCHUS or the PBOC "
                             "central parity).", srcs)
    usd = billion_cny / float(now["cny_per_usd"])
    ok = _within(usd, art, 5.0)
    month = pd.Period(PUBLISHED_MONTH, freq="M").strftime("%B %Y")
    text = (f"{_num(float(cny.iloc[0]))} trillion yuan is ${fmt.number(usd)} billion at the "
            f"{month} average rate ({fmt.number(now['cny_per_usd'], 4)} yuan per dollar, FRED), the month "
            f"of publication, " + ("within" if ok else "outside") + f" the rounding of the article's "
            f"${fmt.number(art, 0)} billion")
    if at_annual:
        text += f"; {at_annual}"
        if ok and not _within(billion_cny / annual["cny_per_usd"], art, 5.0):
            text += f", so the article converted at a rate current at publication, not the {YEAR} average"
    return Finding(usd, "confirmed" if ok else "contradicted", _USD_TOLERANCE, text + ".", "", srcs)


# --------------------------------------------------------------------------------------------- article-only
@dataclass(frozen=True)
class _Rule:
    """How an article-only figure is compared: ``kind`` is ``"more than"`` (from the figure up to, not
    including, the figure + ``step``), ``"nearly"`` (from the figure − ``step`` up to the figure), ``"about"``
    (within ± ``step``), ``"exact"`` or ``"event"`` (1 = an independent record confirms it, 0 = contradicts)."""

    kind: str
    step: float = 0.0

    def bounds(self, article: float) -> tuple[float, float, bool]:
        """(low, high, high included)."""
        if self.kind == "more than":
            return article, article + self.step, False
        if self.kind == "nearly":
            return article - self.step, article, True
        if self.kind == "about":
            return article - self.step, article + self.step, True
        if self.kind == "exact":
            return article, article, True
        return 1.0, 1.0, True  # event

    def holds(self, value: float, article: float) -> bool:
        low, high, closed = self.bounds(article)
        return low - _EPS <= value and (value <= high + _EPS if closed else value < high - _EPS)

    def describe(self, article: float, unit: str) -> str:
        if self.kind == "event":
            return ("event: confirmed by an independent record of it (value 1), contradicted by one that says "
                    "otherwise (value 0)")
        low, high, closed = self.bounds(article)
        if self.kind == "more than":
            return (f"'more than {_num(article)}': a comparable figure from {_num(low)} up to, not including, "
                    f"{_num(high)} (the article's precision is {_num(self.step)})")
        if self.kind == "nearly":
            return (f"'nearly {_num(article)}': a comparable figure from {_num(low)} to {_num(high)} (the article's "
                    f"precision is {_num(self.step)})")
        if self.kind == "exact":
            return f"exact: a count of {unit} must equal {_num(article)}"
        return f"±{_num(self.step)} {unit}: the article's figure is rounded to the nearest {_num(self.step * 2)}"


def _describe_figure(r: pd.Series) -> str:
    """``"1,010 projects (2020-02-28..2020-08-08, DERIVED): what it is"`` without a final full stop."""
    flag = ", DERIVED" if bool(r["derived"]) else ""
    return f"{_num(r['value'])} {r['unit']} ({r['period']}{flag}): {str(r['what']).strip().rstrip('.')}"


def _article_only(claim_id: str, topic: str, rule: _Rule, settle: str, related: tuple[str, ...] = (),
                  extra: Callable[..., str] | None = None) -> Callable[..., Finding]:
    """Build the check of a claim resting on the article alone: compare with ``comparable`` rows of
    independent_figures() within ``rule``; without one the claim is unverifiable and the evidence names the
    figures that are not comparable (also those filed under the ``related`` claims)."""

    def check(claim: pd.Series, independent_figures: pd.DataFrame, **other: pd.DataFrame) -> Finding:
        art = _article_value(claim)
        unit = str(claim["unit"])
        tolerance = rule.describe(art, unit)
        mine = independent_figures[independent_figures["claim_id"] == claim_id]
        comparable = mine[mine["comparable"]]
        near = pd.concat([mine[~mine["comparable"]],
                          independent_figures[independent_figures["claim_id"].isin(related)
                                              & ~independent_figures["comparable"]]])
        tail = "" if extra is None else " " + extra(claim, **other)
        if not comparable.empty:
            values = comparable["value"].astype(float)
            fails = comparable[[not rule.holds(v, art) for v in values]]
            ok = fails.empty
            used = comparable.iloc[0] if ok else fails.iloc[0]
            shown = "the article's claim" if math.isnan(art) else f"the article's {_num(art)} {unit}"
            text = (f"{used['source_desc']} gives {_describe_figure(used)}; "
                    + ("this agrees with " if ok else "this contradicts ") + shown + ".")
            srcs = tuple(_src(r["source_desc"], r["source_url"]) for _, r in comparable.iterrows())
            return Finding(float(used["value"]), "confirmed" if ok else "contradicted", tolerance, text + tail, "",
                           srcs)
        if near.empty:
            text = "Only the article gives this; the data holds no other source that bears on it."
        else:
            text = ("Only the article gives this figure. Closest figures found, not comparable: "
                    + "; ".join(_describe_figure(r) for _, r in near.iterrows()) + ".")
        srcs = tuple(_src(r["source_desc"], r["source_url"]) for _, r in near.iterrows())
        return _unverifiable(tolerance, text + tail, settle, srcs)

    if extra is not None:  # expose the extra datasets in the signature, so ledger() passes them in
        params = [inspect.Parameter("claim", inspect.Parameter.POSITIONAL_OR_KEYWORD),
                  inspect.Parameter("independent_figures", inspect.Parameter.POSITIONAL_OR_KEYWORD)]
        params += [p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
                   for p in list(inspect.signature(extra).parameters.values())[1:]]
        check.__signature__ = inspect.Signature(params)  # type: ignore[attr-defined]
    else:
        check.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            list(inspect.signature(check).parameters.values())[:2])
    check.__name__ = check.__qualname__ = f"check_{claim_id}"
    check.__doc__ = (f"Claim ``{claim_id}`` ({topic}) against comparable independent figures; rule: {rule.kind}.")
    return _register(claim_id, topic, check)


def _total_fai_ceiling(claim: pd.Series, shanxi_investment_2020: pd.DataFrame) -> str:
    """The sentence comparing the article's combined investment with Shanxi's entire 2020 FAI."""
    total = shanxi_investment_2020[shanxi_investment_2020["breakdown"] == "province total FAI"]
    part = shanxi_investment_2020[shanxi_investment_2020["breakdown"] == "province"]
    if total.empty or fmt.is_missing(total.iloc[0]["amount_100m_yuan"]):
        return "The data has no level of Shanxi's entire 2020 FAI to compare with."
    fai_100m = float(total.iloc[0]["amount_100m_yuan"])
    art_100m = _article_value(claim) * 10_000  # trillion -> 100 million yuan (a unit conversion)
    notes = ["DERIVED"] if bool(total.iloc[0]["derived"]) else []
    if not part.empty:
        p = part.iloc[0]
        notes.append(f"{fmt.yuan_100m(p['amount_100m_yuan'])} of industry-type project investment being "
                     f"{_pct(p['share_pct'])} of it")
    head = f"Shanxi's entire 2020 fixed-asset investment was about {fai_100m / 10_000:.2f} trillion yuan"
    head += f" ({': '.join(notes)})" if notes else ""
    claimed = f"the {_num(_article_value(claim))} trillion yuan claimed"
    if art_100m > fai_100m:
        return (head + f", less than {claimed}, so the figure can only be the projects' multi-year planned "
                "investment, not 2020 spending.")
    return head + f", not less than {claimed}."


_SETTLE_COMBINED = ("A Shanxi Development and Reform Commission or Statistics Bureau list of the projects started in "
                    "2020 with their total planned investment.")

_article_only("new_projects", "New projects started in 2020", _Rule("more than", 100),
              "A Shanxi Statistics Bureau or Development and Reform Commission count of the projects started in 2020.",
              related=("zone_projects",))
_article_only("combined_investment_cny", "Combined investment of the projects", _Rule("about", 0.005),
              _SETTLE_COMBINED, extra=_total_fai_ceiling)
_article_only("zone_projects", "New projects in industrial zones", _Rule("nearly", 100),
              "A Shanxi Department of Commerce or Statistics Bureau count of the 2020 new projects located in "
              "development zones.")
_article_only("operational_projects", "Zone projects that went into operation", _Rule("more than", 100),
              "A Shanxi Statistics Bureau count of zone projects that went into operation in 2020 (e.g. the "
              "full-year '三个一批' commissioning total).")
_article_only("jinbo_first_collagen", "Jinbo's first recombinant human collagen", _Rule("event"),
              "A Jinbo Biology company announcement of September 2020 or an NMPA registration record of the "
              "product, with evidence that it was the first in China.")
_article_only("dayun_output_value", "Dayun Group output value", _Rule("about", 5),
              "Dayun Group's annual report or a Yuncheng statistics bulletin giving its 2020 output value.")
_article_only("dayun_nev_cadence", "Dayun NEV line speed", _Rule("about", 0.5),
              "Dayun Group's description of the NEV plant's line speed or capacity (e.g. the plant's capacity "
              "filing).")
_article_only("huashuo_investment", "Huashuo / Nengji project investment", _Rule("about", 50),
              "The Shuozhou project's filing (项目备案) or the companies' announcement of its total investment.")
_article_only("huashuo_capacity", "Huashuo / Nengji project capacity", _Rule("about", 0.5),
              "The Shuozhou project's filing or environmental impact assessment, giving its lines and annual "
              "capacity.")
_article_only("approval_procedures", "Approval procedures (about 30 -> 6)", _Rule("exact"),
              "A provincial list of the procedures needed to start a project before and after the reform.")


# --------------------------------------------------------------------------------------------- the ledger
def _params(func: Callable[..., Finding]) -> list[str]:
    return [p for p in inspect.signature(func).parameters if p != "claim"]


def _run(claim_id: str, claim: pd.Series, load: Callable[[str], pd.DataFrame]) -> dict[str, Any]:
    func = CHECKS[claim_id]
    finding = func(claim, **{name: load(name) for name in _params(func)})
    if finding.verdict not in VERDICTS:
        raise DataError(f"The check of claim {claim_id!r} in claims.py returned verdict {finding.verdict!r}; "
                        f"it must be one of {', '.join(VERDICTS)}. Fix the check.")
    settle = finding.settle if finding.verdict == "unverifiable" else ""
    sources = [ARTICLE_SOURCE] + [s for s in dict.fromkeys(finding.sources) if s and s != ARTICLE_SOURCE]
    return {"claim_id": claim_id, "topic": TOPICS[claim_id], "quote": claim["quote"],
            "article_value": _article_value(claim), "unit": claim["unit"],
            "data_value": float(finding.data_value), "verdict": finding.verdict, "tolerance": finding.tolerance,
            "evidence": finding.evidence, "settle": settle, "sources": SOURCE_SEP.join(sources)}


def _loader() -> tuple[Callable[[str], pd.DataFrame], dict[str, pd.DataFrame]]:
    loaded: dict[str, pd.DataFrame] = {}

    def load(name: str) -> pd.DataFrame:
        if name not in loaded:
            func = getattr(datasets, name, None)
            if func is None or name not in datasets.available():
                raise DataError(f"A check in claims.py asks for dataset {name!r}, which datasets.py does not have; "
                                f"known: {', '.join(datasets.available())}. Rename the check's parameter.")
            loaded[name] = func()
        return loaded[name]

    return load, loaded


def _unchecked(claims: pd.DataFrame) -> None:
    missing = [c for c in claims["claim_id"] if c not in CHECKS]
    if missing:
        raise DataError(f"data/raw/article_claims.csv: claim(s) {', '.join(missing)} have no check. Add a check "
                        "for each in shanxi_analysis/claims.py (register it in CHECKS), or remove the row.")


def ledger() -> pd.DataFrame:
    """Every claim of the article with its verdict, one row per claim in ``article_claims()`` order.

    Returns
    -------
    DataFrame
        Columns :data:`COLUMNS`: ``claim_id``, ``topic``, ``quote``, ``article_value``, ``unit``, ``data_value``
        (NaN where nothing independent exists), ``verdict`` (one of :data:`VERDICTS`), ``tolerance``,
        ``evidence``, ``settle`` (what would settle an unverifiable claim; else empty) and ``sources``
        ("publisher <URL>" entries joined by :data:`SOURCE_SEP`, the article first).
        ``attrs["sources"]`` lists the provenance of every dataset used.

    Raises
    ------
    DataError
        If a claim in ``data/raw/article_claims.csv`` has no check in :data:`CHECKS`.
    """
    load, loaded = _loader()
    claims = load("article_claims")
    _unchecked(claims)
    rows = [_run(r["claim_id"], r, load) for _, r in claims.iterrows()]
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["data_value"] = out["data_value"].astype(float)
    out["article_value"] = out["article_value"].astype(float)
    seen: dict[str, dict] = {}
    for df in loaded.values():
        for s in df.attrs.get("sources", []):
            seen.setdefault(s.get("resource", s.get("title", "")), s)
    out.attrs = {"title": "Claims of the China Daily article (2021-03-26) checked against the data",
                 "article_url": ARTICLE_URL, "sources": list(seen.values())}
    return out


def check(claim_id: str) -> dict[str, Any]:
    """Run one claim's check on the current data.

    Parameters
    ----------
    claim_id : str
        A ``claim_id`` of ``data/raw/article_claims.csv``.

    Returns
    -------
    dict
        The claim's :func:`ledger` row (keys :data:`COLUMNS`).

    Raises
    ------
    ParameterError
        If ``claim_id`` is not a claim of the article.
    DataError
        If the claim has no check in :data:`CHECKS`.
    """
    load, _ = _loader()
    claims = load("article_claims")
    hit = claims[claims["claim_id"] == claim_id]
    if hit.empty:
        raise ParameterError(f"Unknown claim id {claim_id!r}; the article's claims (data/raw/article_claims.csv) "
                             f"are: {', '.join(claims['claim_id'])}.")
    _unchecked(hit)
    return _run(claim_id, hit.iloc[0], load)


def verdict_counts(ledger_df: pd.DataFrame) -> pd.Series:
    """How many claims got each verdict.

    Parameters
    ----------
    ledger_df : DataFrame
        :func:`ledger` (or any frame with a ``verdict`` column).

    Returns
    -------
    Series
        Counts indexed by :data:`VERDICTS` (zeros included), named ``claims``.

    Raises
    ------
    ParameterError
        If there is no ``verdict`` column or it holds a value outside :data:`VERDICTS`.
    """
    if "verdict" not in ledger_df.columns:
        raise ParameterError("verdict_counts() needs a DataFrame with a 'verdict' column, such as claims.ledger(); "
                             f"got columns {list(ledger_df.columns)}.")
    bad = sorted(set(ledger_df["verdict"]) - set(VERDICTS))
    if bad:
        raise ParameterError(f"verdict_counts(): unknown verdict(s) {bad}; allowed: {', '.join(VERDICTS)}.")
    counts = ledger_df["verdict"].value_counts().reindex(list(VERDICTS), fill_value=0).astype(int)
    counts.index.name = "verdict"
    return counts.rename("claims")
