"""Each cross-series check of :mod:`shanxi_analysis.data.reconcile` on small in-memory frames: the fault it is
for is caught, and a clean frame passes.  (The same checks on planted faults in a copy of the real data:
tests/test_reconcile.py.)"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from shanxi_analysis.data import reconcile

PROVINCES = [f"P{i:02d}" for i in range(20)]
SIZES = np.linspace(1, 20, len(PROVINCES))  # economic size, so shares differ
RNG = np.random.default_rng(7)


def growth_frame(years=(2000, 2001, 2002)) -> pd.DataFrame:
    rows = [
        {"province": p, "year": y, "fai_growth_pct": round(float(RNG.normal(15, 6)), 1)}
        for y in years
        for p in PROVINCES
    ]
    return pd.DataFrame(rows)


def gfcf_frame(years=(1999, 2000, 2001, 2002)) -> pd.DataFrame:
    rows = [
        {"province": p, "year": y, "gfcf_100m_yuan": round(float(s * 100 * 1.1 ** (y - 1999)), 2)}
        for y in years
        for p, s in zip(PROVINCES, SIZES, strict=True)
    ]
    return pd.DataFrame(rows)


def test_a_column_of_shares_fails_and_real_growth_passes():
    g, gf = growth_frame(), gfcf_frame()
    assert reconcile.shares_as_growth(g, gf).empty
    shares = SIZES / SIZES.sum() * 97  # shares of the provinces covered: sum just under 100
    g.loc[g["year"] == 2001, "fai_growth_pct"] = np.round(shares, 1)
    found = reconcile.shares_as_growth(g, gf)
    assert set(found["year"]) == {2001}
    assert len(found) == len(PROVINCES)
    assert set(found["verdict"]) == {"fails"}
    assert list(found.columns) == reconcile.COLUMNS


def test_growth_that_happens_to_sum_near_100_is_not_called_shares():
    # 2018 of the real data: a low-growth year whose values sum to 92 but do not track size
    g = growth_frame()
    g.loc[g["year"] == 2001, "fai_growth_pct"] = np.round(RNG.permutation(SIZES / SIZES.sum() * 97), 1)
    assert reconcile.shares_as_growth(g, gfcf_frame()).empty


def test_a_median_far_from_the_national_figure_fails():
    g = growth_frame()
    nat = pd.DataFrame({"year": [2000, 2001, 2002], "scope": ["whole society"] * 3, "growth_pct": [15.0, 15.0, 15.0]})
    assert reconcile.median_vs_national(g, nat).empty
    nat.loc[nat["year"] == 2002, "growth_pct"] = 15.0 + reconcile.MEDIAN_GAP_PP + 10
    found = reconcile.median_vs_national(g, nat)
    assert set(found["year"]) == {2002} and len(found) == len(PROVINCES)


def test_growth_that_disagrees_with_its_levels_gets_a_caveat_except_across_a_break():
    level = pd.DataFrame(
        {
            "province": ["A"] * 3,
            "year": [2000, 2001, 2002],
            "fai_100m_yuan": [100.0, 110.0, 50.0],
            "comparable_with_previous": [True, True, False],
        }
    )
    g = pd.DataFrame({"province": ["A"] * 3, "year": [2000, 2001, 2002], "fai_growth_pct": [5.0, 35.0, 8.0]})
    found = reconcile.growth_vs_levels(g, level)
    assert list(found["year"]) == [2001]  # 35% published vs 10% implied; 2002 is a break, not checked
    assert found["verdict"].iloc[0] == "caveat"
    assert found["expected"].iloc[0] == pytest.approx(10.0)


def test_fai_far_from_gfcf_growth_gets_a_caveat():
    gf = pd.DataFrame({"province": ["A"] * 3, "year": [2000, 2001, 2002], "gfcf_100m_yuan": [100.0, 110.0, 121.0]})
    g = pd.DataFrame({"province": ["A"] * 2, "year": [2001, 2002], "fai_growth_pct": [12.0, 80.0]})
    found = reconcile.fai_vs_gfcf(g, gf)
    assert list(found["year"]) == [2002]


@pytest.mark.parametrize("index,bad", [(104.0, False), (150.0, False), (151.0, True), (79.9, True), (1041.0, True)])
def test_a_price_index_outside_its_range_fails(index, bad):
    price = pd.DataFrame({"province": ["A"], "year": [2000], "index_prev_year_100": [index]})
    assert len(reconcile.price_index_range(price)) == int(bad)


def test_investment_above_grp_gets_a_caveat():
    level = pd.DataFrame({"province": ["A", "A"], "year": [2000, 2001], "fai_100m_yuan": [90.0, 120.0]})
    gdp = pd.DataFrame(
        {"province": ["A", "A"], "year": [2000, 2001], "gdp_100m_yuan": [100.0, 100.0], "vintage": ["revised"] * 2}
    )
    found = reconcile.ratio_to_grp(level, gdp)
    assert list(found["year"]) == [2001] and found["observed"].iloc[0] == pytest.approx(120.0)


def test_a_year_copied_from_the_year_before_fails():
    g = growth_frame()
    assert reconcile.duplicated_year(g).empty
    g.loc[g["year"] == 2002, "fai_growth_pct"] = g.loc[g["year"] == 2001, "fai_growth_pct"].to_numpy()
    found = reconcile.duplicated_year(g)
    assert set(found["year"]) == {2002} and len(found) == len(PROVINCES)


def test_a_series_shifted_by_a_year_against_an_independent_figure_fails():
    g = pd.DataFrame({"province": ["A"] * 3, "year": [2019, 2020, 2021], "fai_growth_pct": [9.3, 10.6, 8.7]})
    agree = pd.DataFrame({"province": ["A"], "year": [2020], "fai_growth_pct": [10.6]})
    assert reconcile.shifted_year(g, agree).empty
    shifted = pd.DataFrame({"province": ["A"], "year": [2020], "fai_growth_pct": [8.7]})  # the series has it in 2021
    found = reconcile.shifted_year(g, shifted)
    assert list(found["year"]) == [2020] and found["verdict"].iloc[0] == "fails"
    unrelated = pd.DataFrame({"province": ["A"], "year": [2020], "fai_growth_pct": [3.3]})  # disagrees, not shifted
    assert reconcile.shifted_year(g, unrelated).empty


def test_failing_lists_each_failing_value_once():
    g, gf = growth_frame(), gfcf_frame()
    g.loc[g["year"] == 2001, "fai_growth_pct"] = np.round(SIZES / SIZES.sum() * 97, 1)
    nat = pd.DataFrame({"year": [2001], "scope": ["whole society"], "growth_pct": [30.0]})
    both = reconcile.combine(reconcile.shares_as_growth(g, gf), reconcile.median_vs_national(g, nat))
    assert len(both) == 2 * len(PROVINCES)
    failing = reconcile.failing(both, "fai_growth")
    assert len(failing) == len(PROVINCES)
    assert set(failing["check"]) == {"shares_as_growth"}  # the first check in CHECKS order


def test_every_check_is_documented_with_a_threshold_and_its_reasoning():
    names = [c.name for c in reconcile.CHECKS]
    assert len(names) == len(set(names))
    for c in reconcile.CHECKS:
        assert c.verdict in reconcile.VERDICTS and c.threshold and len(c.reasoning) > 40
        assert callable(getattr(reconcile, c.name))
