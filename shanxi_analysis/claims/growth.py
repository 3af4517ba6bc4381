"""Checks of the claims about FAI growth: Shanxi's rate, the national figure, the comparison, the pandemic path
and what the Shanxi Statistics Bureau actually said (the rank claims are in :mod:`.ranks`)."""

from __future__ import annotations

import pandas as pd

from .. import analysis
from ..present import numbers as fmt
from .base import (
    _EPS,
    MUCH_HIGHER_MIN_GAP_PP,
    MUCH_HIGHER_MIN_RATIO,
    ONE_DECIMAL_PP,
    PROVINCE,
    YEAR,
    Finding,
    _article_value,
    _dataset_source,
    _decimals,
    _figure_sources,
    _figures,
    _pct,
    _pp,
    _rule,
    _src,
    _unverifiable,
    _within,
)

# --------------------------------------------------------------------------------------------- growth checks
_GROWTH_TOLERANCE = "±0.05 pp: the article gives growth to one decimal"


@_rule("fai_growth_2020")
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
        return _unverifiable(
            _GROWTH_TOLERANCE,
            f"The NBS provincial table has no FAI growth for {PROVINCE} in {YEAR}.",
            f"NBS's {YEAR} FAI growth for {PROVINCE}.",
            _dataset_source(fai_growth) + cross_src,
        )
    ok = _within(py.growth, art, ONE_DECIMAL_PP)
    text = f"NBS's provincial table gives {PROVINCE}'s {YEAR} FAI growth as {_pct(py.growth)}, " + (
        f"matching the article's {_pct(art)}."
        if ok
        else f"not the article's {_pct(art)} ({_pp(py.growth - art)} apart)."
    )
    for _, r in cross.iterrows():
        agree = _within(r["fai_growth_pct"], py.growth, ONE_DECIMAL_PP)
        text += f" Independently, {r['source_desc']} gives {_pct(r['fai_growth_pct'])}" + (
            ", the same figure." if agree else ", which differs from the NBS table."
        )
    return Finding(
        py.growth,
        "confirmed" if ok else "contradicted",
        _GROWTH_TOLERANCE,
        text,
        "",
        _dataset_source(fai_growth) + cross_src,
        shown=(_pct(art), _pct(py.growth)),
    )


def _national_rows(nat: pd.DataFrame, year: int) -> pd.DataFrame:
    return nat[(nat["year"] == year) & nat["growth_pct"].notna()]


def _national_sources(nat: pd.DataFrame, year: int, scopes: list[str]) -> tuple[str, ...]:
    rows = _national_rows(nat, year)
    rows = rows[rows["scope"].isin(scopes)]
    return tuple(_src(f"NBS via {r['source_desc']}", r["source_url"]) for _, r in rows.iterrows())


@_rule("national_average_2020")
def check_national_average_2020(
    claim: pd.Series, fai_growth: pd.DataFrame, national_fai_growth: pd.DataFrame
) -> Finding:
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
        return _unverifiable(
            _GROWTH_TOLERANCE,
            f"The data has no national FAI growth figure for {YEAR}.",
            f"NBS's {YEAR} national FAI growth (statistical communiqué or January release).",
            _dataset_source(national_fai_growth),
        )
    others = _national_rows(national_fai_growth, YEAR)
    others = others[others["scope"] != ng.scope]
    ok = _within(ng.value, art, ONE_DECIMAL_PP)
    text = (
        f"NBS gives China's {YEAR} FAI growth as {_pct(ng.value)} ({ng.scope}, the scope comparable to the "
        "provincial figures"
        + "".join(f"; {r['scope']} investment grew {_pct(r['growth_pct'])}" for _, r in others.iterrows())
        + ("), matching the article's " if ok else "), not the article's ")
        + f"{_pct(art)}."
    )
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    if not ok and py.growth is not None:
        gap = py.growth - ng.value
        if _within(gap, art, ONE_DECIMAL_PP):
            text += (
                f" The article's {fmt.number(art, _decimals(art))} is {PROVINCE}'s growth minus the national "
                f"growth ({fmt.number(py.growth, _decimals(py.growth))} \u2212 "
                f"{fmt.number(ng.value, _decimals(ng.value))} = {_pp(gap)}): it reported the gap as the "
                "national average."
            )
    scopes = [ng.scope, *others["scope"]]
    return Finding(
        ng.value,
        "confirmed" if ok else "contradicted",
        _GROWTH_TOLERANCE,
        text,
        "",
        _national_sources(national_fai_growth, YEAR, scopes),
        shown=(_pct(art), _pct(ng.value)),
    )


_MUCH_HIGHER_RULE = (
    f"'much higher' read as at least {fmt.number(MUCH_HIGHER_MIN_GAP_PP)} pp above the national "
    f"growth and at least {fmt.number(MUCH_HIGHER_MIN_RATIO)} times it (ratio test skipped when "
    "national growth is zero or negative)"
)


def _much_higher(shanxi: float, national: float) -> tuple[bool, float, float | None]:
    """(much higher by the rule, gap in pp, ratio or None when national growth is not positive)."""
    gap = shanxi - national
    ratio = shanxi / national if national > 0 else None
    ok = gap >= MUCH_HIGHER_MIN_GAP_PP - _EPS and (ratio is None or ratio >= MUCH_HIGHER_MIN_RATIO - _EPS)
    return ok, gap, ratio


def _gap_words(shanxi: float, national: float) -> str:
    """``"10.6% vs 2.9%: 7.7 pp, 3.66 times"`` (no ratio when national growth is not positive)."""
    _, gap, ratio = _much_higher(shanxi, national)
    times = "" if ratio is None else f", {fmt.number(ratio, 2)} times"
    return f"{_pct(shanxi)} vs {_pct(national)}: {_pp(gap)}{times}"


def _article_figure(article_claims: pd.DataFrame, claim_id: str) -> float | None:
    hit = article_claims.loc[article_claims["claim_id"] == claim_id, "article_value"]
    return None if hit.empty or fmt.is_missing(hit.iloc[0]) else float(hit.iloc[0])


@_rule("much_higher_than_national")
def check_much_higher_than_national(
    claim: pd.Series, fai_growth: pd.DataFrame, national_fai_growth: pd.DataFrame, article_claims: pd.DataFrame
) -> Finding:
    """Whether Shanxi's 2020 growth was "much higher" than China's, by :data:`MUCH_HIGHER_MIN_GAP_PP` and
    :data:`MUCH_HIGHER_MIN_RATIO`.

    Parameters
    ----------
    claim : Series
        The claim's row of :func:`~shanxi_analysis.datasets.article_claims`.
    fai_growth, national_fai_growth : DataFrame
        The datasets of the same names.
    article_claims : DataFrame
        For the article's own pair of figures (claims ``fai_growth_2020`` and ``national_average_2020``): the
        evidence says what the same rule gives on them.

    Returns
    -------
    Finding
        ``data_value`` is the gap in percentage points (Shanxi minus national, comparable scope).
    """
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    ng = analysis.national_growth(national_fai_growth, YEAR)
    art_shanxi = _article_figure(article_claims, "fai_growth_2020")
    art_nat = _article_figure(article_claims, "national_average_2020")
    art_shown = _gap_words(art_shanxi, art_nat) if art_shanxi is not None and art_nat is not None else ""
    if py.growth is None or ng is None:
        missing = fmt.join(([f"{PROVINCE}'s"] if py.growth is None else []) + (["China's"] if ng is None else []))
        return _unverifiable(
            _MUCH_HIGHER_RULE,
            f"The data has no {YEAR} FAI growth figure for {missing}.",
            f"NBS's {YEAR} FAI growth for {PROVINCE} and for China.",
            _dataset_source(fai_growth) + _dataset_source(national_fai_growth),
            (art_shown, "none found"),
        )
    ok, gap, ratio = _much_higher(py.growth, ng.value)
    times = "" if ratio is None else f", {fmt.number(ratio, 2)} times the national rate"
    text = (
        f"{PROVINCE}'s {_pct(py.growth)} was {_pp(gap)} {'above' if gap >= 0 else 'below'} China's "
        f"{_pct(ng.value)} ({ng.scope}){times}: "
        + ("much higher by this rule." if ok else "not much higher by this rule.")
    )
    if art_shown:
        art_ok, _, _ = _much_higher(art_shanxi, art_nat)
        text += f" Alternative reading: on the article's own figures ({art_shown}) the same rule gives " + (
            "'much higher' too."
            if art_ok == ok
            else f"the opposite verdict ({'much higher' if art_ok else 'not much higher'}), so the article's "
            "own numbers do not support its words; the claim holds only on the real national figure."
            if ok
            else "the opposite verdict (much higher)."
        )
    return Finding(
        gap,
        "confirmed" if ok else "contradicted",
        _MUCH_HIGHER_RULE,
        text,
        "",
        _dataset_source(fai_growth) + _national_sources(national_fai_growth, YEAR, [ng.scope]),
        shown=(art_shown, _gap_words(py.growth, ng.value)),
    )


# --------------------------------------------------------------------------------------------- the bureau's words
_ATTRIBUTION_RULE = (
    "±0.05 pp (growth rates to one decimal); the bureau's national figure is its Shanxi growth minus the gap it states"
)


def _bureau_statement(rows: pd.DataFrame) -> tuple[pd.Series | None, pd.Series | None]:
    """The bureau's growth row (unit ``percent``) and gap row (unit ``percentage points ...``), or None."""
    comparable = rows[rows["comparable"]]
    growth = comparable[comparable["unit"] == "percent"]
    gap = comparable[comparable["unit"].str.startswith("percentage points")]
    return (None if growth.empty else growth.iloc[0]), (None if gap.empty else gap.iloc[0])


@_rule("statistics_bureau_attribution")
def check_statistics_bureau_attribution(claim: pd.Series, independent_figures: pd.DataFrame) -> Finding:
    """Whether the Shanxi Statistics Bureau gave the "national average of 7.7 percent" the article attributes to it.

    Parameters
    ----------
    claim : Series
        The claim's row (the national average the article attributes to the bureau, percent).
    independent_figures : DataFrame
        Rows filed under this claim: the bureau's own statement of Shanxi's growth (unit ``percent``) and of its
        gap to the national average (unit ``percentage points above the national average``).

    Returns
    -------
    Finding
        ``data_value`` is the national growth implied by the bureau's own figures (growth minus gap); confirmed when
        it equals the article's figure, contradicted otherwise (the evidence says when the article's figure is the
        bureau's gap).
    """
    art = _article_value(claim)
    rows = _figures(independent_figures, "statistics_bureau_attribution")
    growth, gap = _bureau_statement(rows)
    if growth is None or gap is None:
        return _unverifiable(
            _ATTRIBUTION_RULE,
            "No record of the Shanxi Statistics Bureau's own statement of 2020 "
            "FAI growth and its gap to the national average was found in the data.",
            "The bureau's 2020 statistical communiqué or its annual-report release.",
            _figure_sources(rows),
            (f"national average {_pct(art)}", "none found"),
        )
    g, d = float(growth["value"]), float(gap["value"])
    implied = g - d
    head = (
        f"The bureau gave Shanxi's growth as {_pct(g)} and the gap to the national average as {_pp(d)}, so on "
        f"its own figures the national average was {fmt.number(g, 1)} \u2212 {fmt.number(d, 1)} = "
        f"{_pct(implied)}"
    )
    if _within(implied, art, ONE_DECIMAL_PP):
        verdict, text = "confirmed", head + ", as the article says."
    elif _within(d, art, ONE_DECIMAL_PP):
        verdict, text = (
            "contradicted",
            (
                head + f"; the article's {_pct(art)} is the bureau's gap, reported as a "
                "national average the bureau never gave."
            ),
        )
    else:
        verdict, text = "contradicted", head + f", not the article's {_pct(art)}."
    said = str(gap.get("verbatim", "") or "").strip()
    if said:
        text += f" Source, {gap['source_desc']}: \u201c{said}\u201d"
    return Finding(
        implied,
        verdict,
        _ATTRIBUTION_RULE,
        text,
        "",
        _figure_sources(rows[rows["comparable"]]),
        shown=(
            f"national average {_pct(art)}",
            f"{_pct(implied)} (bureau: growth {_pct(g)}, {_pp(d)} above the national average)",
        ),
    )


# --------------------------------------------------------------------------------------------- the pandemic path
_PANDEMIC_RULE = (
    "'a boom despite the pandemic' read as: Shanxi's cumulative 2020 FAI growth positive and above "
    "China's in every period published, and in the full year; a full year at or below zero or at or "
    "below China's contradicts it, a dip in a published period makes it misleading"
)


def _path_words(rows: pd.DataFrame) -> str:
    """``"6.7% (Jan-Apr), 8.3% (Jan-Jun, DERIVED)"``."""
    return ", ".join(
        f"{_pct(r['cum_growth_pct'])} ({fmt.ytd(int(r['end_month']))}"
        + (", DERIVED" if r["status"] == "derived" else "")
        + ")"
        for _, r in rows.iterrows()
    )


@_rule("despite_pandemic")
def check_despite_pandemic(claim: pd.Series, fai_monthly_2020: pd.DataFrame) -> Finding:
    """Whether Shanxi's investment grew through 2020, the pandemic year, by the month-by-month cumulative path.

    Parameters
    ----------
    claim : Series
        The claim's row (no figure: a characterisation of the year).
    fai_monthly_2020 : DataFrame
        :func:`~shanxi_analysis.datasets.fai_monthly_2020`: Shanxi's and China's cumulative growth by period.

    Returns
    -------
    Finding
        ``data_value`` is Shanxi's lowest published cumulative growth of the year.  Confirmed when every published
        Shanxi period is positive and above China's, misleading when the full year is but a published period is
        not, contradicted when the full year is not; the evidence names the periods with no Shanxi figure.
    """
    monthly = fai_monthly_2020[fai_monthly_2020["year"] == YEAR]
    sx = monthly[(monthly["region"] == PROVINCE) & monthly["cum_growth_pct"].notna()].sort_values("end_month")
    cn = monthly[(monthly["region"] == "China") & monthly["cum_growth_pct"].notna()].set_index("end_month")
    gaps = monthly[(monthly["region"] == PROVINCE) & monthly["cum_growth_pct"].isna()]["end_month"].astype(int)
    srcs = tuple(dict.fromkeys(_src(r["source_desc"], r["source_url"]) for _, r in sx.iterrows()))
    shown_art = "a boom through 2020, the pandemic year"
    full = sx[sx["end_month"] == 12]
    if full.empty or 12 not in cn.index:
        return _unverifiable(
            _PANDEMIC_RULE,
            f"The data has no full-year {YEAR} cumulative growth for " + ("Shanxi." if full.empty else "China."),
            f"The Shanxi Statistics Bureau's monthly cumulative FAI growth for {YEAR}.",
            srcs,
            (shown_art, "none found"),
        )
    nat = {int(m): float(v) for m, v in cn["cum_growth_pct"].items()}
    weak = [
        int(r["end_month"])
        for _, r in sx.iterrows()
        if r["cum_growth_pct"] <= 0 + _EPS
        or (int(r["end_month"]) in nat and r["cum_growth_pct"] <= nat[int(r["end_month"])] + _EPS)
    ]
    year_value = float(full.iloc[0]["cum_growth_pct"])
    path = (
        f"Shanxi's cumulative growth: {_path_words(sx)}; China's in the same periods: "
        + ", ".join(f"{_pct(nat[int(m)])}" for m in sx["end_month"] if int(m) in nat)
        + "."
    )
    if 12 in weak:
        verdict = "contradicted"
        text = f"Shanxi's full-year growth ({_pct(year_value)}) was not above zero and China's {_pct(nat[12])}. " + path
    elif weak:
        verdict = "misleading"
        text = (
            f"The year ended at {_pct(year_value)}, but in {fmt.join(fmt.ytd(m) for m in weak)} Shanxi's "
            "growth was at or below zero or China's, so 'despite the pandemic' overstates a year that dipped. " + path
        )
    else:
        verdict = "confirmed"
        text = (
            "Every published period of 2020 shows Shanxi's cumulative growth positive and above China's, "
            f"ending the year at {_pct(year_value)}. " + path
        )
    if len(gaps):
        text += (
            f" Caveat: no Shanxi figure was found for {fmt.join(fmt.ytd(m) for m in gaps)}"
            + (
                ", including the first months of the pandemic (China: "
                + ", ".join(f"{_pct(nat[m])} in {fmt.ytd(m)}" for m in gaps if m in nat and m <= 3)
                + ")"
                if any(m <= 3 for m in gaps)
                else ""
            )
            + ", so the path is known only from the periods above."
        )
    derived = sx[sx["status"] != "published"]
    if not derived.empty or (sx["source_desc"].str.contains("Development and Reform", na=False)).any():
        text += " Some periods are DERIVED or come from the Development and Reform Commission rather than the bureau."
    low = float(sx["cum_growth_pct"].min())
    data_shown = (
        f"{_pct(low)} to {_pct(year_value)} year to date ({fmt.ytd(int(sx['end_month'].min()))} to "
        f"Jan-Dec)" + (", above China's in every published period" if verdict == "confirmed" else "")
    )
    return Finding(low, verdict, _PANDEMIC_RULE, text, "", srcs, "independent data", (shown_art, data_shown))
