"""Give me the cleaned table: one function per dataset, each a validated, tidy pandas DataFrame.

Every function reads its raw file(s) through :mod:`shanxi_analysis.data.raw` (checksum and column checks),
cleans them in three steps (load inputs / process / validate) and attaches its provenance: a ``source`` column
where rows come from different places, and always ``DataFrame.attrs["sources"]``, a list of manifest records
(publisher, title, URL, licence, dates, sha256).

Results are cached in memory per data folder and on disk by content (:mod:`shanxi_analysis.data.cache`), so
repeated calls are cheap; each call returns a fresh copy, so callers may modify what they get without affecting
later calls.

=============================  ===========================================================================
function                       content
=============================  ===========================================================================
``provinces()``                the 31 provincial-level divisions: adcode, names, NBS region
``fai_growth()``               FAI growth (%) by province and year (see ``year_range()``), rank, flags
``reconciliation()``           what the cross-series checks find: every value that fails, every caveat
``national_fai_growth()``      China's FAI growth by year and scope, level where published
``fai_growth_by_field()``      2023-2024 FAI growth by field (all, infrastructure, manufacturing, real estate)
``fai_level()``                FAI level 2005-2017 (100 million yuan), for scale only, with series breaks
``fai_price_index()``          FAI price index 1991-2019 (previous year = 100); none for Tibet
``gfcf()``                     gross fixed capital formation 1993-2017/18 (100 million yuan)
``grp_real_growth()``          real GRP growth 2016-2024 (previous year = 100), revised vintage
``population_yearend()``       year-end resident population 2015-2024 (10,000 persons)
``gdp()``                      gross regional product (100 million yuan) by province, 2004-2023, vintage
``population()``               2020 census resident population by province
``fai_monthly_2020()``         2020 cumulative year-to-date FAI growth, national and Shanxi, gaps as NaN
``shanxi_investment_2020()``   Shanxi 2020 industry-type project investment by sector and city, as published
``exchange_rates()``           yuan per US dollar as in the sources
``province_shapes()``          simplified province boundaries keyed by adcode
``fai_crosschecks()``          single provincial growth figures published independently of the NBS table
``shanxi_devzones()``          findings on Shanxi's development zones and the 2020 project campaign
``article_claims()``           the claims of the China Daily article, as quoted
``independent_figures()``      figures from other sources that bear on claims resting on the article alone
``events()``                   events that give context to a year (SARS 2003, Wenchuan 2008, Wuhan 2020, ...)
=============================  ===========================================================================

The loaders' building blocks are in :mod:`.loaders`; the yearbook and Wind panels (``fai_growth_by_field`` to
``population_yearend`` in the table) are in :mod:`.panels`, the province shapes in :mod:`.shapes`.  All are
``shanxi_analysis.data.<function>()``.
"""

from __future__ import annotations

import pandas as pd

from ..errors import DataError
from . import reconcile
from .loaders import LOADERS, adcodes, dataset, read_frame, to_province, with_provenance
from .panels import fai_level, fai_price_index, gfcf, yearbook_source, yearbook_table, years_covered
from .schemas import validate

ARTICLE_URL = "https://shanxi.chinadaily.com.cn/2021-03/26/c_606595.htm"


# --------------------------------------------------------------------------------------------- datasets
@dataset
def provinces() -> pd.DataFrame:
    """The 31 provincial-level divisions: ``adcode`` (int, e.g. 140000), ``name_en``, ``name_zh``,
    ``name_zh_full``, ``region`` (NBS's East / Central / West / Northeast) and, for a division set up within the
    data's years, ``established`` (the year; Chongqing, 1997) and ``formerly_part_of`` (the division it belonged to
    before: Sichuan); both missing for the others."""
    df = read_frame("provinces")
    df["established"] = pd.to_numeric(df["established"].replace("", None)).astype("Int64")
    df["formerly_part_of"] = df["formerly_part_of"].replace("", None)
    df = validate(df, "Provinces", ["data/raw/provinces.csv"], key=["name_en"])
    return with_provenance(df, "provinces", title="Provincial-level divisions of mainland China")


def growth_as_published() -> tuple[pd.DataFrame, str, str]:
    """The provincial growth series exactly as published, before any flag: ``province, year, fai_growth_pct,
    source`` (1992-2022 from the Wind export, then the yearbook's all-investment growth), with the years each
    source covers.  The input of :func:`fai_growth` and of the reconciliation checks."""
    raw = read_frame("nbs_fai_growth_by_province")
    names = raw["indicator_name"].str.split(":", n=1).str[0]
    df = pd.DataFrame(
        {
            "province": to_province(names, "nbs_fai_growth_by_province.csv", "indicator_name"),
            "year": raw["year"],
            "fai_growth_pct": raw["fai_growth_pct"].astype(float),
            "source": "NBS via Wind, indicator " + raw["indicator_id"],
        }
    )
    yearbook = yearbook_table()
    yearbook = yearbook[(yearbook["field"] == "all") & (yearbook["region_zh"] != "全国")]
    wind_years, yearbook_years = years_covered(raw["year"]), years_covered(yearbook["year"])
    df = pd.concat(
        [
            df,
            pd.DataFrame(
                {
                    "province": to_province(yearbook["region_zh"], "nbs_yearbook_fai_growth_by_field.csv", "region_zh"),
                    "year": yearbook["year"],
                    "fai_growth_pct": yearbook["growth_pct"].astype(float),
                    "source": yearbook["year"].map(yearbook_source) + ", all investment (全部投资)",
                }
            ),
        ],
        ignore_index=True,
    )
    df = validate(
        df,
        "GrowthAsPublished",
        ["data/raw/nbs_fai_growth_by_province.csv", "data/raw/nbs_yearbook_fai_growth_by_field.csv"],
        key=["province", "year"],
    )
    return df, wind_years, yearbook_years


@dataset
def reconciliation() -> pd.DataFrame:
    """What the cross-series checks of :mod:`.reconcile` find in the data, one row per finding: ``check``,
    ``series`` (the dataset whose value is in question), ``province``, ``year``, ``observed``, ``expected``,
    ``tolerance`` (the threshold), ``verdict`` (``fails``: the value is not what it says and is flagged in its
    dataset; ``caveat``: two series disagree, any sentence using the value says so), ``source`` (the two series
    compared) and ``note`` (one plain sentence).  Empty where the data passes every check."""
    growth, _, _ = growth_as_published()
    gdp_all = gdp()
    df = reconcile.run(
        growth=growth,
        national=national_fai_growth(),
        level=fai_level(),
        gfcf=gfcf(),
        price=fai_price_index(),
        gdp=gdp_all[gdp_all["vintage"] == "revised"],
        crosschecks=fai_crosschecks(),
    )
    df = validate(
        df,
        "Reconciliation",
        [
            "data/raw/nbs_fai_growth_by_province.csv",
            "data/raw/nbs_yearbook_fai_growth_by_field.csv",
            "data/raw/national_fai_growth.csv",
            "data/raw/fai_level_by_province.csv",
            "data/raw/gfcf_by_province.csv",
            "data/raw/fai_price_index_by_province.csv",
            "data/raw/nbs_gdp_by_province.csv",
            "data/raw/provincial_fai_crosschecks.csv",
        ],
        key=["check", "series", "province", "year"],
    )
    return with_provenance(
        df,
        "nbs_fai_growth_by_province",
        "nbs_yearbook_fai_growth_by_field",
        "national_fai_growth",
        "fai_level_by_province",
        "gfcf_by_province",
        "fai_price_index_by_province",
        "nbs_gdp_by_province",
        "provincial_fai_crosschecks",
        title="Cross-series checks of the data (reconciliation)",
        processing="Every check of shanxi_analysis.data.reconcile.CHECKS run on the datasets as published; "
        "thresholds and their reasoning are in the README's Reconciliation section.",
    )


@dataset
def fai_growth() -> pd.DataFrame:
    """Fixed-asset investment growth by province and year, one row per province-year: 1992-2022 from the NBS
    series (via Wind), continued from 2023 with the all-investment growth of NBS yearbook table 10-5 (comparable
    basis; see :func:`fai_growth_by_field`).  :func:`year_range` gives the years covered.

    Columns: ``province``, ``adcode``, ``year``, ``fai_growth_pct`` (y/y %, NaN where not published; always the
    value as published, flagged or not), ``rank`` (within the year among provinces with an unflagged value;
    1 = fastest; ties share the smallest rank; <NA> for a flagged value), ``flagged`` (True for a value that fails
    a check of :func:`reconciliation` or is a recorded annotation, e.g. a data-revision artefact or the 1995
    shares), ``flag`` (its kind: ``revision artefact``, ``shares, not growth``, ...), ``revision_artefact``
    (``flag == "revision artefact"``), ``flag_note`` (why, with the source), ``scope_note`` (the indicator's
    scope in that year) and ``source``.
    """
    # Load inputs
    df, wind_years, yearbook_years = growth_as_published()
    notes = read_frame("fai_growth_annotations")
    scope = read_frame("fai_growth_scope")
    findings = reconciliation()
    # Process
    df["adcode"] = df["province"].map(adcodes())
    notes["province"] = to_province(notes["province"], "fai_growth_annotations.csv", "province")
    flags = reconcile.flags(findings, notes).set_index(["province", "year"])
    idx = pd.MultiIndex.from_frame(df[["province", "year"]])
    df["flagged"] = idx.isin(flags.index)
    df["flag"] = pd.Series(flags["flag"].reindex(idx).to_numpy(), index=df.index)
    df["revision_artefact"] = df["flag"] == reconcile.REVISION_ARTEFACT
    df["flag_note"] = pd.Series(flags["flag_note"].reindex(idx).to_numpy(), index=df.index)
    ranked = df["fai_growth_pct"].where(~df["flagged"])
    df["rank"] = ranked.groupby(df["year"]).rank(method="min", ascending=False).astype("Int64")
    df["scope_note"] = None
    for _, s in scope.iterrows():
        df.loc[df["year"].between(s["first_year"], s["last_year"]), "scope_note"] = s["scope"]
    missing_scope = sorted(df.loc[df["scope_note"].isna(), "year"].unique())
    if missing_scope:
        raise DataError(
            f"data/raw/fai_growth_scope.csv: no scope note covers year(s) {missing_scope}; "
            "add a row whose first_year..last_year covers them."
        )
    df = df[
        [
            "province",
            "adcode",
            "year",
            "fai_growth_pct",
            "rank",
            "flagged",
            "flag",
            "revision_artefact",
            "flag_note",
            "scope_note",
            "source",
        ]
    ].sort_values(["year", "province"], ignore_index=True)
    # Validate
    df = validate(
        df,
        "FaiGrowth",
        [
            "data/raw/nbs_fai_growth_by_province.csv",
            "data/raw/nbs_yearbook_fai_growth_by_field.csv",
            "data/raw/yearbook_table10_5_transcription.csv",
            "data/raw/fai_growth_annotations.csv",
        ],
        key=["province", "year"],
    )
    return with_provenance(
        df,
        "nbs_fai_growth_by_province",
        "nbs_yearbook_fai_growth_by_field",
        "yearbook_table10_5_transcription",
        "fai_growth_annotations",
        "fai_growth_scope",
        title="Fixed-asset investment growth by province",
        unit="% year on year",
        processing=f"Wide Wind export ({wind_years}) reshaped to one row per province-year and continued with "
        f"the all-investment growth of NBS yearbook table 10-5 ({yearbook_years}, transcribed from the "
        "images); values failing a cross-series check (reconciliation()) or recorded in the annotations "
        "flagged, not removed; ranks computed per year among the unflagged values (method 'min').",
    )


@dataset
def national_fai_growth() -> pd.DataFrame:
    """China's annual FAI growth, one row per year and scope (``whole society``, ``urban``,
    ``excluding rural households``), with the level in 100 million yuan where published (``level_as_published``
    keeps the published wording, e.g. approximate values) and ``derived`` for figures computed from others."""
    df = read_frame("national_fai_growth")
    df = df.sort_values(["year", "scope"], ignore_index=True)
    df = validate(df, "NationalFaiGrowth", ["data/raw/national_fai_growth.csv"], key=["year", "scope"])
    return with_provenance(
        df, "national_fai_growth", title="National fixed-asset investment growth", unit="% year on year"
    )


@dataset
def gdp() -> pd.DataFrame:
    """Gross regional product by province and year, 2004-2023, in 100 million yuan.

    ``vintage`` is ``revised`` (NBS database, all provinces and years: use this) or ``first release`` (the value
    first published in the China Statistical Yearbook, where the sources give one), so the revision is visible.
    """
    rev = read_frame("nbs_gdp_by_province")
    first = read_frame("gdp_first_release")
    rev = rev.assign(vintage="revised", source="NBS, Annual by Province database (revised series)")
    first = first.assign(source=first["publisher"] + ", " + first["title"])[
        ["region", "year", "gdp_100m_yuan", "vintage", "source"]
    ]
    # each file's regions are checked against that file's name, so a bad one is reported where it is
    rev["province"] = to_province(rev["region"], "nbs_gdp_by_province.csv", "region")
    first["province"] = to_province(first["region"], "gdp_first_release.csv", "region")
    df = pd.concat([rev, first], ignore_index=True)
    df["adcode"] = df["province"].map(adcodes())
    df = df[["province", "adcode", "year", "gdp_100m_yuan", "vintage", "source"]]
    df = df.sort_values(["vintage", "year", "province"], ascending=[False, True, True], ignore_index=True)
    df = validate(
        df,
        "Gdp",
        ["data/raw/nbs_gdp_by_province.csv", "data/raw/gdp_first_release.csv"],
        key=["province", "year", "vintage"],
    )
    return with_provenance(
        df,
        "nbs_gdp_by_province",
        "gdp_first_release",
        title="Gross regional product",
        unit="100 million yuan (current prices)",
        processing="Wide .xls export reshaped to one row per province-year; vintage recorded.",
    )


@dataset
def population() -> pd.DataFrame:
    """Resident population by province at the 2020 census (2020-11-01), with shares of the national total in
    2020 and 2010.  Checks on load that the 31 provinces plus active military add up to the national total."""
    raw = read_frame("census2020_population")
    prov = raw[raw["kind"] == "province"].copy()
    military = raw.loc[raw["kind"] == "military", "population"]
    national = raw.loc[raw["kind"] == "national", "population"]
    if len(military) == 1 and len(national) == 1:
        total = int(prov["population"].sum() + military.iloc[0])
        if total != int(national.iloc[0]):
            raise DataError(
                f"data/raw/census2020_population.csv: the 31 provinces plus active military sum to "
                f"{total:,}, not the national total {int(national.iloc[0]):,}. A population figure "
                "was mistyped; compare the file with the census communiqué."
            )
    prov["province"] = to_province(prov["name_zh"], "census2020_population.csv", "name_zh")
    prov["adcode"] = prov["province"].map(adcodes())
    prov["census_date"] = "2020-11-01"
    prov["source"] = prov["source_desc"]
    df = prov[["province", "adcode", "population", "share_pct_2020", "share_pct_2010", "census_date", "source"]]
    df = validate(df.reset_index(drop=True), "Population", ["data/raw/census2020_population.csv"], key=["province"])
    return with_provenance(df, "census2020_population", title="Resident population, 2020 census", unit="persons")


@dataset
def fai_monthly_2020() -> pd.DataFrame:
    """Cumulative year-to-date FAI growth in 2020 (Jan-Feb, Jan-Mar, ... Jan-Dec), national (``China``) and
    Shanxi.  Periods not found are present with NaN and ``status == "not found"``; ``derived`` marks values
    computed from other published figures (Shanxi Jan-Jun)."""
    df = read_frame("fai_2020_monthly_cumulative")
    df["derived"] = df["status"] == "derived"
    df = df[
        [
            "region",
            "year",
            "end_month",
            "period",
            "period_zh",
            "cum_growth_pct",
            "status",
            "derived",
            "level_100m_yuan",
            "level_as_published",
            "source_url",
            "source_desc",
            "note",
        ]
    ]
    df = validate(df, "FaiMonthly", ["data/raw/fai_2020_monthly_cumulative.csv"], key=["region", "period"])
    return with_provenance(
        df, "fai_2020_monthly_cumulative", title="Cumulative FAI growth in 2020", unit="% year on year, year to date"
    )


@dataset
def shanxi_investment_2020() -> pd.DataFrame:
    """Shanxi 2020 as published by the Shanxi Statistics Bureau, one row per published figure.

    ``breakdown``: ``province`` (industry-type project investment, a subset of FAI), ``sector`` and ``city``
    (the same subset by sector and by city; for cities ``share_pct`` is the subset's share of the city's FAI),
    ``city total FAI`` (total FAI growth of the cities found), ``structure`` (shares of FAI by the three sectors)
    and ``province total FAI`` (a DERIVED level).  ``derived`` flags arithmetic on published figures.
    """
    df = read_frame("shanxi_investment_2020")
    df = validate(df, "ShanxiInvestment", ["data/raw/shanxi_investment_2020.csv"], key=["breakdown", "name_en"])
    return with_provenance(
        df, "shanxi_investment_2020", title="Shanxi 2020 investment by sector and city", unit="100 million yuan; %"
    )


@dataset
def exchange_rates() -> pd.DataFrame:
    """Yuan per US dollar as in the sources: the NBS 2020 annual average, FRED monthly averages, and the rate
    implied by the article (``kind == "implied by the article"``; not a market rate)."""
    df = read_frame("cny_per_usd")
    df = validate(df, "ExchangeRates", ["data/raw/cny_per_usd.csv"], key=["period", "measure"])
    return with_provenance(df, "cny_per_usd", title="Yuan per US dollar", unit="CNY per USD")


@dataset
def fai_crosschecks() -> pd.DataFrame:
    """Provincial FAI growth figures published independently of the NBS/Wind table (for cross-checking)."""
    df = read_frame("provincial_fai_crosschecks")
    df["province"] = to_province(df["province"], "provincial_fai_crosschecks.csv", "province")
    df = validate(df, "Crosschecks", ["data/raw/provincial_fai_crosschecks.csv"], key=["province", "year"])
    return with_provenance(df, "provincial_fai_crosschecks", title="Independent cross-checks of provincial FAI growth")


@dataset
def shanxi_devzones() -> pd.DataFrame:
    """Findings on Shanxi's development zones and the 2020 'three batches' project campaign, one per row;
    ``independent`` is False for the row that restates the article itself."""
    df = read_frame("shanxi_devzones")
    df["independent"] = df["source_url"] != ARTICLE_URL
    df = validate(df, "DevZones", ["data/raw/shanxi_devzones.csv"], key=["period"])
    return with_provenance(df, "shanxi_devzones", title="Shanxi development zones and project campaign")


@dataset
def article_claims() -> pd.DataFrame:
    """The checkable claims of 'Investment booms in Shanxi in 2020' (China Daily, 2021-03-26): ``claim_id``,
    ``quote``, ``article_value`` and ``unit``."""
    df = read_frame("article_claims")
    df = validate(df, "ArticleClaims", ["data/raw/article_claims.csv"], key=["claim_id"])
    return with_provenance(df, "article_claims", title="Claims of the China Daily article")


@dataset
def independent_figures() -> pd.DataFrame:
    """Figures from sources other than the article that bear on its article-only claims; ``comparable`` is True
    only for a figure that measures the same thing as the claim."""
    df = read_frame("independent_figures")
    df = validate(df, "IndependentFigures", ["data/raw/independent_figures.csv"], key=["claim_id"])
    return with_provenance(df, "independent_figures", title="Independent figures bearing on article-only claims")


@dataset
def events() -> pd.DataFrame:
    """Events that give context to a year of the series, each with its source: ``event_id``, ``year_start``,
    ``year_end`` (the years it applies to), ``provinces`` (``"all"`` or a tuple of canonical English names),
    ``title_en``, ``summary_en``, ``title_zh``, ``summary_zh`` (written by the project), ``publisher``, ``title``,
    ``url``, ``date_published`` (missing where the page shows no date) and ``verbatim`` (the sentence read from the
    page).  Which events apply to a province and year: :func:`shanxi_analysis.analysis.events_of`."""
    df = read_frame("events")
    names = pd.Series(sorted({n.strip() for v in df["provinces"] if v != "all" for n in str(v).split(";")}))
    canonical = dict(zip(names, to_province(names, "events.csv", "provinces"), strict=True))
    df["provinces"] = [
        "all" if v == "all" else tuple(canonical[n.strip()] for n in str(v).split(";")) for v in df["provinces"]
    ]
    df = validate(df, "Events", ["data/raw/events.csv"], key=["event_id"])
    return with_provenance(df, "events", title="Events bearing on provincial investment, with their sources")


def available() -> list[str]:
    """Names of every dataset function."""
    return sorted(LOADERS)


def year_range(dataset: str = "fai_growth") -> tuple[int, int]:
    """First and last year with at least one value in ``fai_growth`` (or ``gdp``)."""
    if dataset == "gdp":
        df = gdp()
        col = "gdp_100m_yuan"
    else:
        df = fai_growth()
        col = "fai_growth_pct"
    years = df.loc[df[col].notna(), "year"]
    return int(years.min()), int(years.max())
