"""Checks of the claims about FAI growth: Shanxi's rate, the national figure and the comparison of the two (the
pandemic path is in :mod:`.pandemic`, the bureau's words in :mod:`.bureau`, the rank claims in :mod:`.ranks`)."""

from __future__ import annotations

import pandas as pd

from .. import analysis
from .. import numbers as fmt
from .article import MUCH_HIGHER_MIN_GAP_PP, MUCH_HIGHER_MIN_RATIO, ONE_DECIMAL_PP, PROVINCE, YEAR
from .definitions import register_check
from .evidence import (
    EPS,
    Finding,
    article_value,
    cite,
    dataset_sources,
    decimals_as_given,
    is_publisher,
    pct_as_given,
    pp_as_given,
    unverifiable,
    within,
)

# --------------------------------------------------------------------------------------------- growth checks
_GROWTH_TOLERANCE = "within ±0.05 pp, since the article gives growth to one decimal"


@register_check("fai_growth_2020")
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
    art = article_value(claim)
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    cross = fai_crosschecks[(fai_crosschecks["province"] == PROVINCE) & (fai_crosschecks["year"] == YEAR)]
    cross_src = tuple(
        cite(r["source_desc"], r["source_url"])
        for _, r in cross.iterrows()
        if not is_publisher(r["source_desc"], r["source_url"])
    )
    if py.growth is None:
        return unverifiable(
            _GROWTH_TOLERANCE,
            f"The NBS provincial table has no FAI growth for {PROVINCE} in {YEAR}.",
            f"NBS's {YEAR} FAI growth for {PROVINCE}.",
            dataset_sources(fai_growth) + cross_src,
        )
    ok = within(py.growth, art, ONE_DECIMAL_PP)
    text = f"NBS's provincial table gives {PROVINCE}'s {YEAR} FAI growth as {pct_as_given(py.growth)}, " + (
        f"matching the article's {pct_as_given(art)}."
        if ok
        else f"not the article's {pct_as_given(art)} ({pp_as_given(py.growth - art)} apart)."
    )
    for _, r in cross.iterrows():
        same = within(r["fai_growth_pct"], py.growth, ONE_DECIMAL_PP)
        if is_publisher(r["source_desc"], r["source_url"]):
            text += (
                f" China Daily's own later report of the Shanxi Statistics Bureau's figure "
                f"({pct_as_given(r['fai_growth_pct'])}) is context only: China Daily published the article, so it "
                "is not independent evidence."
            )
        else:
            text += f" {r['source_desc']} also gives {pct_as_given(r['fai_growth_pct'])}" + (
                ", the same figure." if same else ", which differs from the NBS table."
            )
    return Finding(
        py.growth,
        "confirmed" if ok else "contradicted",
        _GROWTH_TOLERANCE,
        text,
        "",
        dataset_sources(fai_growth) + cross_src,
        shown=(pct_as_given(art), pct_as_given(py.growth)),
    )


def _national_rows(nat: pd.DataFrame, year: int) -> pd.DataFrame:
    return nat[(nat["year"] == year) & nat["growth_pct"].notna()]


def _national_sources(nat: pd.DataFrame, year: int, scopes: list[str]) -> tuple[str, ...]:
    rows = _national_rows(nat, year)
    rows = rows[rows["scope"].isin(scopes)]
    return tuple(cite(f"NBS via {r['source_desc']}", r["source_url"]) for _, r in rows.iterrows())


@register_check("national_average_2020")
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
    art = article_value(claim)
    ng = analysis.national_growth(national_fai_growth, YEAR)
    if ng is None:
        return unverifiable(
            _GROWTH_TOLERANCE,
            f"The data has no national FAI growth figure for {YEAR}.",
            f"NBS's {YEAR} national FAI growth (statistical communiqué or January release).",
            dataset_sources(national_fai_growth),
        )
    others = _national_rows(national_fai_growth, YEAR)
    others = others[others["scope"] != ng.scope]
    ok = within(ng.value, art, ONE_DECIMAL_PP)
    text = (
        f"NBS gives China's {YEAR} FAI growth as {pct_as_given(ng.value)} ({ng.scope}, the scope comparable to the "
        "provincial figures"
        + "".join(f"; {r['scope']} investment grew {pct_as_given(r['growth_pct'])}" for _, r in others.iterrows())
        + ("), matching the article's " if ok else "), not the article's ")
        + f"{pct_as_given(art)}."
    )
    py = analysis.province_year(fai_growth, PROVINCE, YEAR)
    if not ok and py.growth is not None:
        gap = py.growth - ng.value
        if within(gap, art, ONE_DECIMAL_PP):
            text += (
                f" The article's {fmt.number(art, decimals_as_given(art))} is {PROVINCE}'s growth minus the national "
                f"growth ({fmt.number(py.growth, decimals_as_given(py.growth))} \u2212 "
                f"{fmt.number(ng.value, decimals_as_given(ng.value))} = {pp_as_given(gap)}): it reported the gap as "
                "the national average."
            )
    scopes = [ng.scope, *others["scope"]]
    return Finding(
        ng.value,
        "confirmed" if ok else "contradicted",
        _GROWTH_TOLERANCE,
        text,
        "",
        _national_sources(national_fai_growth, YEAR, scopes),
        shown=(pct_as_given(art), pct_as_given(ng.value)),
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
    ok = gap >= MUCH_HIGHER_MIN_GAP_PP - EPS and (ratio is None or ratio >= MUCH_HIGHER_MIN_RATIO - EPS)
    return ok, gap, ratio


def _gap_words(shanxi: float, national: float) -> str:
    """``"10.6% vs 2.9%: 7.7 pp, 3.66 times"`` (no ratio when national growth is not positive)."""
    _, gap, ratio = _much_higher(shanxi, national)
    times = "" if ratio is None else f", {fmt.number(ratio, 2)} times"
    return f"{pct_as_given(shanxi)} vs {pct_as_given(national)}: {pp_as_given(gap)}{times}"


def _article_figure(article_claims: pd.DataFrame, claim_id: str) -> float | None:
    hit = article_claims.loc[article_claims["claim_id"] == claim_id, "article_value"]
    return None if hit.empty or fmt.is_missing(hit.iloc[0]) else float(hit.iloc[0])


@register_check("much_higher_than_national")
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
        return unverifiable(
            _MUCH_HIGHER_RULE,
            f"The data has no {YEAR} FAI growth figure for {missing}.",
            f"NBS's {YEAR} FAI growth for {PROVINCE} and for China.",
            dataset_sources(fai_growth) + dataset_sources(national_fai_growth),
            (art_shown, "none found"),
        )
    ok, gap, ratio = _much_higher(py.growth, ng.value)
    times = "" if ratio is None else f", {fmt.number(ratio, 2)} times the national rate"
    text = (
        f"{PROVINCE}'s {pct_as_given(py.growth)} was {pp_as_given(gap)} {'above' if gap >= 0 else 'below'} China's "
        f"{pct_as_given(ng.value)} ({ng.scope}){times}: "
        + ("much higher by this rule." if ok else "not much higher by this rule.")
    )
    if art_shown and art_shanxi is not None and art_nat is not None:  # art_shown is "" unless both are given
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
        dataset_sources(fai_growth) + _national_sources(national_fai_growth, YEAR, [ng.scope]),
        shown=(art_shown, _gap_words(py.growth, ng.value)),
    )
