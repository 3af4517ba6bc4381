"""Stage 2, analysis: pure functions on the tidy tables of :mod:`shanxi_analysis.data`.

Functions take frames and return frames or small named tuples; they read no files and format no text. Everything
is importable from here (``sa.analysis.province_year(fai, "Shanxi", 2020)``, ``sa.analysis.cycle(...)``); the
modules, by question:

================  ==================================================================================
``indicators``    a province's growth and rank in a year, over the series, its best years
``national``      China's growth in the scope comparable to provincial data, monthly paths
``structure``     breakdowns, scale against the economy's size, evidence for a claim
``periods``       year-to-date period names, year spans
``province``      the province's story: cycles, the year, the pandemic, neighbours and peers, drivers
``macro``         investment against the economy: shares of GRP, per head, real growth
``views``         the parts of a dataset a report page reads, and their keys (incremental builds)
================  ==================================================================================

May import: ``data`` and the top-level modules. Nothing from ``claims``, ``present`` or ``publish``.
"""

from .indicators import (
    ProvinceYear,
    best_years,
    check_year,
    drawn_flagged,
    flagged_values,
    is_flagged,
    last_as_good,
    missing_provinces,
    none_if_missing,
    province_year,
    rank_history,
    scope_changes,
    shown_gap,
    tied_extreme,
    tied_with,
    year_table,
)
from .macro import (
    Economy,
    EconomyRanges,
    economy,
    economy_history,
    economy_ranges,
    real_growth,
    usable_price_index,
)
from .national import (
    NATIONAL_SCOPE_PREFERENCE,
    MonthlyPaths,
    NationalGrowth,
    ahead_throughout,
    from_drc,
    monthly_paths,
    national_gap_reason,
    national_growth,
    rounding_margin,
    shared_periods,
    too_close,
    within_rounding,
)
from .periods import year_span, ytd
from .province import (
    FIELDS,
    N_EXTREMES,
    PANDEMIC_YEAR,
    AgainstChina,
    Cycle,
    GroupRank,
    NotYet,
    Pandemic,
    Peers,
    RegionRecord,
    ScopeContext,
    Unranked,
    YearSpread,
    against_china,
    cycle,
    division_kind,
    drivers,
    flag_of,
    group_rank,
    median_against_china,
    n_faster_than_china,
    national_series,
    neighbours,
    not_yet,
    own_ahead,
    own_rank,
    own_tied,
    pandemic,
    peers,
    region_record,
    scope_context,
    unranked,
    year_spread,
    yearly_medians,
)
from .structure import (
    CENSUS_YEAR,
    breakdown,
    compare,
    correlation,
    evidence_table,
    scale_table,
    size_correlation,
    size_rank,
)
from .views import VIEW_PARTS, VIEWED_DATASETS, describe_view, view_key, view_names

__all__ = [
    # views (incremental builds)
    "VIEW_PARTS",
    "VIEWED_DATASETS",
    "view_names",
    "view_key",
    "describe_view",
    # indicators
    "ProvinceYear",
    "check_year",
    "province_year",
    "tied_extreme",
    "tied_with",
    "year_table",
    "missing_provinces",
    "rank_history",
    "best_years",
    "last_as_good",
    "scope_changes",
    "none_if_missing",
    "is_flagged",
    "drawn_flagged",
    "flagged_values",
    "shown_gap",
    # national
    "NATIONAL_SCOPE_PREFERENCE",
    "NationalGrowth",
    "national_growth",
    "national_gap_reason",
    "rounding_margin",
    "within_rounding",
    "too_close",
    "MonthlyPaths",
    "monthly_paths",
    "from_drc",
    "ahead_throughout",
    "shared_periods",
    # structure
    "CENSUS_YEAR",
    "breakdown",
    "scale_table",
    "size_rank",
    "correlation",
    "size_correlation",
    "evidence_table",
    "compare",
    # periods
    "ytd",
    "year_span",
    # province
    "N_EXTREMES",
    "PANDEMIC_YEAR",
    "FIELDS",
    "Cycle",
    "cycle",
    "national_series",
    "AgainstChina",
    "against_china",
    "median_against_china",
    "n_faster_than_china",
    "yearly_medians",
    "YearSpread",
    "year_spread",
    "ScopeContext",
    "scope_context",
    "Pandemic",
    "pandemic",
    "neighbours",
    "Peers",
    "GroupRank",
    "group_rank",
    "peers",
    "NotYet",
    "RegionRecord",
    "division_kind",
    "not_yet",
    "own_ahead",
    "own_rank",
    "own_tied",
    "Unranked",
    "unranked",
    "region_record",
    "drivers",
    "flag_of",
    # macro
    "real_growth",
    "usable_price_index",
    "Economy",
    "EconomyRanges",
    "economy",
    "economy_history",
    "economy_ranges",
]
