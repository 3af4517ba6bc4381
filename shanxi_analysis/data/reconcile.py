"""Do the series agree with each other?  Cross-series checks run whenever the datasets are built.

A source can be wrong while being copied faithfully: the 1995 column of the NBS growth export carries each
province's *share* of national investment, not its growth.  Each check below compares one series with another
(or with itself) and returns its findings as rows of one table (:data:`COLUMNS`):

``check, series, province, year, observed, expected, tolerance, verdict, source, note``

Two verdicts:

- ``fails``: the value is not what it says it is (shares posing as growth, a year copied from the one before, a
  price index no economy produces).  It is kept as published, flagged, and never used as a finding: no rank,
  median, boom, bust, best or worst year is computed from it.
- ``caveat``: two published series disagree beyond what their scopes explain, or a ratio is outside what the
  concept allows (investment above 100% of GRP).  Both values stay; any sentence that uses the value says so.

A check that finds nothing returns no rows.  :data:`CHECKS` documents every check, its threshold and the reasoning
behind the threshold (the README lists them).  Every function here is pure: frames in, a findings frame out.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

#: The columns of a findings table, in order.
COLUMNS = [
    "check",
    "series",
    "province",
    "year",
    "observed",
    "expected",
    "tolerance",
    "verdict",
    "source",
    "note",
]

#: Verdicts, from worst to mildest.
VERDICTS = ["fails", "caveat"]

#: The province column of a finding about a whole year's column rather than one value.
ALL_PROVINCES = "all provinces"


class Check(NamedTuple):
    """One cross-series check: what it compares, its threshold and why that threshold."""

    name: str
    compares: str
    threshold: str
    reasoning: str
    verdict: str


#: Thresholds (module constants so tests and the README read the same numbers).
SHARE_SUM_RANGE = (85.0, 101.0)  # percent: shares of the provinces covered sum to just under 100
SHARE_MIN_CORRELATION = 0.9  # Pearson r with the provinces' shares of gross fixed capital formation
MEDIAN_GAP_PP = 8.0  # |median of provincial growth - national growth|, percentage points
LEVEL_GAP_PP = 10.0  # |published growth - growth implied by comparable levels|, percentage points
GFCF_GAP_PP = 45.0  # |FAI growth - GFCF growth|, percentage points
PRICE_INDEX_RANGE = (80.0, 150.0)  # previous year = 100
RATIO_MAX_PCT = 100.0  # FAI as % of GRP
DUPLICATE_SHARE = 0.9  # share of provinces whose value repeats the year before exactly
CROSSCHECK_TOLERANCE_PP = 0.05  # rounding of a growth figure published to one decimal

CHECKS: list[Check] = [
    Check(
        "shares_as_growth",
        "a year's provincial growth column with the provinces' shares of gross fixed capital formation that year",
        f"all values >= 0, summing to {SHARE_SUM_RANGE[0]:g}-{SHARE_SUM_RANGE[1]:g}, and correlating at r >= "
        f"{SHARE_MIN_CORRELATION:g} with GFCF shares",
        "Growth rates of 30 provinces sum to several hundred in a normal year and never track economic size; "
        "shares sum to just under 100 and track size almost perfectly. In 1992-2024 the growth columns correlate "
        "with GFCF shares at r between -0.40 and 0.40, and the one column that behaves like shares, 1995, at 0.98.",
        "fails",
    ),
    Check(
        "median_vs_national",
        "the median of provincial growth with China's growth the same year",
        f"more than {MEDIAN_GAP_PP:g} percentage points apart",
        "Where both exist the median province and the national figure differ by at most 4.4 points in 1999-2024, "
        "scope differences (urban, excluding rural households) included, and by 7.6 in 1998 (a preliminary "
        "national figure); twice 4 points is no scope effect.",
        "fails",
    ),
    Check(
        "growth_vs_levels",
        "published growth with the growth implied by two comparable years of published levels",
        f"more than {LEVEL_GAP_PP:g} percentage points apart",
        "Published growth is computed on a comparable basis and levels are later revised, so the two differ by "
        "3 points in a typical year (standard deviation, 2006-2017); beyond 10 points one of the two was revised "
        "and a reader should know.",
        "caveat",
    ),
    Check(
        "fai_vs_gfcf",
        "FAI growth with the growth of gross fixed capital formation (national accounts) the same year",
        f"more than {GFCF_GAP_PP:g} percentage points apart",
        "The two measure different things (FAI includes land purchases; GFCF is value added to the capital "
        "stock) and differ by 10 points in a typical year; beyond 45 points a value needs a second look.",
        "caveat",
    ),
    Check(
        "price_index_range",
        "the FAI price index with the range an economy produces",
        f"outside {PRICE_INDEX_RANGE[0]:g}-{PRICE_INDEX_RANGE[1]:g} (previous year = 100)",
        "Investment prices rose at most 38.8% (1993-94 inflation) and fell at most 4% in 1991-2019; an index "
        "outside 80-150 is a typing or unit error.",
        "fails",
    ),
    Check(
        "ratio_to_grp",
        "FAI levels with gross regional product of the same year",
        f"investment above {RATIO_MAX_PCT:g}% of GRP",
        "FAI counts land purchases and transfers of used assets, which GRP leaves out, and the FAI levels were "
        "published before the GRP series was revised: a ratio above 100% is possible as published but is not the "
        "share of the economy invested.",
        "caveat",
    ),
    Check(
        "duplicated_year",
        "each year's provincial column with the year before",
        f"at least {DUPLICATE_SHARE:.0%} of provinces with exactly the same value",
        "Real growth rates repeat to one decimal for a few provinces at most; a column that repeats the year "
        "before is a copy.",
        "fails",
    ),
    Check(
        "shifted_year",
        "a growth figure published independently with the series at the same year and the years around it",
        f"disagrees with its own year by more than {CROSSCHECK_TOLERANCE_PP:g} points but matches a neighbouring year",
        "An independent figure that matches the series one year off means the series (or the figure) is shifted.",
        "fails",
    ),
]


def _frame(rows: list[dict]) -> pd.DataFrame:
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["year"] = out["year"].astype("Int64")
    for c in ("observed", "expected"):
        out[c] = pd.to_numeric(out[c], errors="coerce").astype(float)
    return out


def _per_year(frame: pd.DataFrame, value: str) -> dict[int, pd.Series]:
    have = frame.dropna(subset=[value])
    return {int(y): t.set_index("province")[value] for y, t in have.groupby("year")}


def shares_as_growth(growth: pd.DataFrame, gfcf: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Years whose growth column behaves like shares of national investment.

    ``growth``: ``province, year, fai_growth_pct``; ``gfcf``: ``province, year, gfcf_100m_yuan``.  A year fails
    when all its values are >= 0, they sum to :data:`SHARE_SUM_RANGE` and they correlate with the provinces'
    GFCF shares of that year (of the nearest GFCF year, so that a year after the GFCF series, 1993-2018, is still
    checked: the provinces' relative sizes change slowly) at r >= :data:`SHARE_MIN_CORRELATION`.
    One ``fails`` row per province-year of such a column: observed the value, expected its GFCF share."""
    shares = {
        y: s / s.sum() * 100 for y, s in _per_year(gfcf, "gfcf_100m_yuan").items() if s.sum() > 0 and len(s) >= 10
    }
    rows = []
    for year, values in _per_year(growth, "fai_growth_pct").items():
        near = sorted((abs(y - year), y) for y in shares)  # the nearest GFCF year: sizes change slowly
        if len(values) < 10 or not near:
            continue
        share = shares[near[0][1]].reindex(values.index)
        both = pd.concat([values, share], axis=1).dropna()
        total = float(values.sum())
        if len(both) < 10 or values.min() < 0 or not SHARE_SUM_RANGE[0] <= total <= SHARE_SUM_RANGE[1]:
            continue
        r = float(np.corrcoef(both.iloc[:, 0], both.iloc[:, 1])[0, 1])
        if r < SHARE_MIN_CORRELATION:
            continue
        note = (
            f"The {year} column sums to {total:.1f} and correlates at r = {r:.2f} with the provinces' shares of "
            f"gross fixed capital formation in {near[0][1]}: these are shares of national investment, not growth."
        )
        for province, v in values.items():
            rows.append(
                {
                    "check": "shares_as_growth",
                    "series": "fai_growth",
                    "province": province,
                    "year": year,
                    "observed": v,
                    "expected": share.get(province, np.nan),
                    "tolerance": CHECKS[0].threshold,
                    "verdict": "fails",
                    "source": source,
                    "note": note,
                }
            )
    return _frame(rows)


def _national(national: pd.DataFrame) -> pd.Series:
    """One national growth figure per year: whole society first, then excluding rural households, then urban."""
    order = {"whole society": 0, "excluding rural households": 1, "urban": 2}
    n = national.dropna(subset=["growth_pct"]).assign(_o=lambda t: t["scope"].map(order).fillna(9))
    return n.sort_values(["year", "_o"]).groupby("year")["growth_pct"].first()


def median_vs_national(growth: pd.DataFrame, national: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Years whose provincial median lies more than :data:`MEDIAN_GAP_PP` from China's growth: one ``fails`` row
    per province-year of that column (the column as a whole is not growth as the nation measures it)."""
    nat = _national(national)
    rows = []
    for year, values in _per_year(growth, "fai_growth_pct").items():
        if year not in nat.index or len(values) < 10:
            continue
        median, n = float(values.median()), float(nat[year])
        if abs(median - n) <= MEDIAN_GAP_PP:
            continue
        note = (
            f"The provinces' median growth in {year}, {median:.1f}%, is {abs(median - n):.1f} points from China's "
            f"{n:.1f}%: the column does not measure what the national figure measures."
        )
        for province, v in values.items():
            rows.append(
                {
                    "check": "median_vs_national",
                    "series": "fai_growth",
                    "province": province,
                    "year": year,
                    "observed": v,
                    "expected": n,
                    "tolerance": CHECKS[1].threshold,
                    "verdict": "fails",
                    "source": source,
                    "note": note,
                }
            )
    return _frame(rows)


def growth_vs_levels(growth: pd.DataFrame, level: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Province-years whose published growth differs by more than :data:`LEVEL_GAP_PP` from the growth implied by
    two comparable years of levels (``level``: ``province, year, fai_100m_yuan, comparable_with_previous``)."""
    lv = level.sort_values(["province", "year"]).copy()
    prev = lv.groupby("province")["fai_100m_yuan"].shift(1)
    prev_year = lv.groupby("province")["year"].shift(1)
    lv["implied"] = (lv["fai_100m_yuan"] / prev - 1) * 100
    ok = lv["comparable_with_previous"].astype(bool) & (prev_year == lv["year"] - 1)
    m = (
        lv[ok]
        .merge(growth[["province", "year", "fai_growth_pct"]], on=["province", "year"])
        .dropna(subset=["implied", "fai_growth_pct"])
    )
    m = m[(m["fai_growth_pct"] - m["implied"]).abs() > LEVEL_GAP_PP]
    rows = [
        {
            "check": "growth_vs_levels",
            "series": "fai_growth",
            "province": r.province,
            "year": int(r.year),
            "observed": r.fai_growth_pct,
            "expected": round(r.implied, 1),
            "tolerance": CHECKS[2].threshold,
            "verdict": "caveat",
            "source": source,
            "note": (
                f"Published growth {r.fai_growth_pct:.1f}% against {r.implied:.1f}% implied by the published levels "
                f"of {int(r.year) - 1} and {int(r.year)}: one of the two was revised."
            ),
        }
        for r in m.itertuples()
    ]
    return _frame(rows)


def gfcf_growth(gfcf: pd.DataFrame) -> pd.DataFrame:
    """GFCF's growth on the year before, in current prices (DERIVED from two consecutive years' levels):
    ``province, year, gfcf_growth`` (%), for the province-years whose year before has a level."""
    g = gfcf.sort_values(["province", "year"]).copy()
    prev = g.groupby("province")["gfcf_100m_yuan"].shift(1)
    prev_year = g.groupby("province")["year"].shift(1)
    g["gfcf_growth"] = (g["gfcf_100m_yuan"] / prev - 1) * 100
    return g.loc[prev_year == g["year"] - 1, ["province", "year", "gfcf_growth"]]


def fai_vs_gfcf(growth: pd.DataFrame, gfcf: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Province-years whose FAI growth and GFCF growth (:func:`gfcf_growth`) differ by more than
    :data:`GFCF_GAP_PP`."""
    g = gfcf_growth(gfcf)
    m = g.merge(growth[["province", "year", "fai_growth_pct"]], on=["province", "year"]).dropna(
        subset=["gfcf_growth", "fai_growth_pct"]
    )
    m = m[(m["fai_growth_pct"] - m["gfcf_growth"]).abs() > GFCF_GAP_PP]
    rows = [
        {
            "check": "fai_vs_gfcf",
            "series": "fai_growth",
            "province": r.province,
            "year": int(r.year),
            "observed": r.fai_growth_pct,
            "expected": round(r.gfcf_growth, 1),
            "tolerance": CHECKS[3].threshold,
            "verdict": "caveat",
            "source": source,
            "note": (
                f"FAI growth {r.fai_growth_pct:.1f}% against gross fixed capital formation growth "
                f"{r.gfcf_growth:.1f}% the same year."
            ),
        }
        for r in m.itertuples()
    ]
    return _frame(rows)


def price_index_range(price: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """FAI price indices (``index_prev_year_100``) outside :data:`PRICE_INDEX_RANGE`."""
    v = price.dropna(subset=["index_prev_year_100"])
    bad = v[~v["index_prev_year_100"].between(*PRICE_INDEX_RANGE)]
    rows = [
        {
            "check": "price_index_range",
            "series": "fai_price_index",
            "province": r.province,
            "year": int(r.year),
            "observed": r.index_prev_year_100,
            "expected": np.nan,
            "tolerance": CHECKS[4].threshold,
            "verdict": "fails",
            "source": source,
            "note": f"An FAI price index of {r.index_prev_year_100:g} (previous year = 100) is outside what an "
            "economy produces.",
        }
        for r in bad.itertuples()
    ]
    return _frame(rows)


def ratio_to_grp(level: pd.DataFrame, gdp: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Province-years whose FAI level is above :data:`RATIO_MAX_PCT` of GRP (``gdp``: ``province, year,
    gdp_100m_yuan, vintage``)."""
    m = level.merge(gdp[["province", "year", "gdp_100m_yuan", "vintage"]], on=["province", "year"])
    m["ratio"] = m["fai_100m_yuan"] / m["gdp_100m_yuan"] * 100
    m = m[m["ratio"] > RATIO_MAX_PCT]
    rows = [
        {
            "check": "ratio_to_grp",
            "series": "fai_level",
            "province": r.province,
            "year": int(r.year),
            "observed": round(r.ratio, 1),
            "expected": RATIO_MAX_PCT,
            "tolerance": CHECKS[5].threshold,
            "verdict": "caveat",
            "source": source,
            "note": (
                f"Investment of {r.ratio:.0f}% of GRP ({r.vintage} GRP) is not the share of the economy invested: "
                "FAI counts land purchases and used assets, which GRP leaves out"
                + (
                    ", and the FAI level was published before the GRP it is divided by was revised."
                    if r.vintage == "revised"
                    else "."
                )
            ),
        }
        for r in m.itertuples()
    ]
    return _frame(rows)


def duplicated_year(growth: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Years whose column repeats the year before for at least :data:`DUPLICATE_SHARE` of the provinces they
    share (10 at least): one ``fails`` row per province-year of the later column."""
    cols = _per_year(growth, "fai_growth_pct")
    rows = []
    for year, values in cols.items():
        before = cols.get(year - 1)
        if before is None:
            continue
        both = pd.concat([values, before], axis=1, keys=["now", "before"]).dropna()
        if len(both) < 10:
            continue
        same = float((both["now"] == both["before"]).mean())
        if same < DUPLICATE_SHARE:
            continue
        note = f"{same:.0%} of the provinces' {year} values repeat {year - 1} exactly: the column is a copy."
        for province, v in values.items():
            rows.append(
                {
                    "check": "duplicated_year",
                    "series": "fai_growth",
                    "province": province,
                    "year": year,
                    "observed": v,
                    "expected": before.get(province, np.nan),
                    "tolerance": CHECKS[6].threshold,
                    "verdict": "fails",
                    "source": source,
                    "note": note,
                }
            )
    return _frame(rows)


def shifted_year(growth: pd.DataFrame, crosschecks: pd.DataFrame, *, source: str = "") -> pd.DataFrame:
    """Independent growth figures (``crosschecks``: ``province, year, fai_growth_pct``) that disagree with the
    series at their own year but match it one year off: the series value at that year fails."""
    series = growth.set_index(["province", "year"])["fai_growth_pct"]
    rows = []
    for r in crosschecks.dropna(subset=["fai_growth_pct"]).itertuples():
        own = series.get((r.province, r.year), np.nan)
        if pd.isna(own) or abs(own - r.fai_growth_pct) <= CROSSCHECK_TOLERANCE_PP:
            continue
        off = [
            y
            for y in (r.year - 1, r.year + 1)
            if abs(series.get((r.province, y), np.nan) - r.fai_growth_pct) <= CROSSCHECK_TOLERANCE_PP
        ]
        if not off:
            continue
        rows.append(
            {
                "check": "shifted_year",
                "series": "fai_growth",
                "province": r.province,
                "year": int(r.year),
                "observed": own,
                "expected": r.fai_growth_pct,
                "tolerance": CHECKS[7].threshold,
                "verdict": "fails",
                "source": source,
                "note": (
                    f"An independent figure gives {r.fai_growth_pct:.1f}% for {r.year}, which the series carries "
                    f"in {off[0]} instead: the series is shifted by a year here."
                ),
            }
        )
    return _frame(rows)


def combine(*findings: pd.DataFrame) -> pd.DataFrame:
    """Findings tables stacked and sorted (check order of :data:`CHECKS`, then series, year, province)."""
    parts = [f for f in findings if not f.empty]
    if not parts:
        return _frame([])
    out = pd.concat(parts, ignore_index=True)
    order = {c.name: i for i, c in enumerate(CHECKS)}
    out = out.assign(_o=out["check"].map(order)).sort_values(["_o", "series", "year", "province"])
    return out.drop(columns="_o").reset_index(drop=True)


def failing(findings: pd.DataFrame, series: str) -> pd.DataFrame:
    """The values of ``series`` that fail a check: ``province, year, check, note`` (one row per value, the first
    failing check in :data:`CHECKS` order)."""
    f = findings[(findings["series"] == series) & (findings["verdict"] == "fails")]
    f = f[f["province"] != ALL_PROVINCES]
    return f.drop_duplicates(["province", "year"])[["province", "year", "check", "note"]].reset_index(drop=True)


#: The flag a value failing each check carries in ``fai_growth()`` (``flag``), in words a reader understands.
FLAG_KINDS = {
    "shares_as_growth": "shares, not growth",
    "median_vs_national": "far from national growth",
    "duplicated_year": "copy of the year before",
    "shifted_year": "shifted by a year",
    "price_index_range": "price index out of range",
}

#: The flag of a known data-revision artefact (``data/raw/fai_growth_annotations.csv``).
REVISION_ARTEFACT = "revision artefact"

#: The series each check compares (the ``source`` column of its findings).
SOURCES = {
    "shares_as_growth": "fai_growth against gfcf (shares of the provinces' total)",
    "median_vs_national": "fai_growth (median of the provinces) against national_fai_growth",
    "growth_vs_levels": "fai_growth against fai_level (growth implied by two comparable years)",
    "fai_vs_gfcf": "fai_growth against gfcf (growth)",
    "price_index_range": "fai_price_index against the range an economy produces",
    "ratio_to_grp": "fai_level against gdp (revised vintage)",
    "duplicated_year": "fai_growth against itself, the year before",
    "shifted_year": "fai_growth against fai_crosschecks (figures published independently)",
}


def run(
    *,
    growth: pd.DataFrame,
    national: pd.DataFrame,
    level: pd.DataFrame,
    gfcf: pd.DataFrame,
    price: pd.DataFrame,
    gdp: pd.DataFrame,
    crosschecks: pd.DataFrame,
) -> pd.DataFrame:
    """Every check of :data:`CHECKS` on the frames given, combined (:func:`combine`); ``gdp`` is the revised
    vintage only.  The ``source`` column names the two series each check compares (:data:`SOURCES`)."""
    s = SOURCES
    return combine(
        shares_as_growth(growth, gfcf, source=s["shares_as_growth"]),
        median_vs_national(growth, national, source=s["median_vs_national"]),
        growth_vs_levels(growth, level, source=s["growth_vs_levels"]),
        fai_vs_gfcf(growth, gfcf, source=s["fai_vs_gfcf"]),
        price_index_range(price, source=s["price_index_range"]),
        ratio_to_grp(level, gdp, source=s["ratio_to_grp"]),
        duplicated_year(growth, source=s["duplicated_year"]),
        shifted_year(growth, crosschecks, source=s["shifted_year"]),
    )


def flags(findings: pd.DataFrame, annotations: pd.DataFrame, series: str = "fai_growth") -> pd.DataFrame:
    """One flag per value of ``series``: ``province, year, flag, flag_note``.

    ``annotations`` (``province, year, flag, note``: the project's own records, with their sources) come first;
    a value failing a check and not annotated is flagged with its check's :data:`FLAG_KINDS` entry and the
    check's note, so a new year or a corrected file that fails a check is flagged without any code edit."""
    own = annotations.rename(columns={"note": "flag_note"})[["province", "year", "flag", "flag_note"]]
    fail = failing(findings, series)
    fail = fail.assign(flag=fail["check"].map(FLAG_KINDS).fillna(fail["check"]), flag_note=fail["note"])
    out = pd.concat([own, fail[["province", "year", "flag", "flag_note"]]], ignore_index=True)
    out["year"] = out["year"].astype(int)
    return out.drop_duplicates(["province", "year"], keep="first").reset_index(drop=True)
