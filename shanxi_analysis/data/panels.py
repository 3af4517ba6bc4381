"""Provincial panels transcribed from NBS yearbooks and Wind: growth by field, FAI level, price index, gross fixed
capital formation, real GRP growth and year-end population, each a validated, sourced, tidy frame.
"""

from __future__ import annotations

import pandas as pd

from ..errors import DataError
from . import province_names
from .loaders import adcodes, dataset, read_frame, to_province, with_provenance
from .schemas import validate


# --------------------------------------------------------------------------------------------- provincial panels
def yearbook_source(year: int) -> str:
    """The source line of a value read from NBS yearbook table 10-5 for ``year``."""
    return (
        f"NBS, China Statistical Yearbook {year + 1}, table 10-5 (growth by region and field, {year}), "
        "transcribed by the project from the image"
    )


def years_covered(years: pd.Series) -> str:
    """``"2023-2024"`` (or ``"2023"``): the years a table covers, for titles that follow the data."""
    lo, hi = int(years.min()), int(years.max())
    return f"{lo}-{hi}" if hi > lo else str(lo)


def _province_year(raw: pd.DataFrame, names: pd.Series, file: str, column: str) -> pd.DataFrame:
    """``raw`` with canonical ``province`` and ``adcode`` in front, sorted by province and year."""
    df = raw.copy()
    df.insert(0, "province", to_province(names, file, column))
    df.insert(1, "adcode", df["province"].map(adcodes()))
    return df.sort_values(["province", "year"], ignore_index=True)


def yearbook_table() -> pd.DataFrame:
    """The raw yearbook table 10-5 (``nbs_yearbook_fai_growth_by_field``), after
    checking every value against the transcription record."""
    raw = read_frame("nbs_yearbook_fai_growth_by_field")
    record = read_frame("yearbook_table10_5_transcription")
    # every value must be the one the transcription record says was read from the image
    ours = record.set_index(["region_zh", "year", "field"])["our_value"]
    bad = []
    if ours.index.duplicated().any() or len(ours) != len(raw):
        bad.append(
            f"{len(raw)} table rows against {len(ours)} record cells ({int(ours.index.duplicated().sum())} duplicated)"
        )
    else:
        key = pd.MultiIndex.from_frame(raw[["region_zh", "year", "field"]])
        recorded = pd.Series(ours.reindex(key).to_numpy(), index=raw.index, dtype=float)
        values = raw["growth_pct"].astype(float)
        off = ~((recorded == values) | (recorded.isna() & values.isna()))
        bad += [
            f"{r.region_zh} {r.year} {r.field}: table {r.growth_pct}, record {recorded[i]}"
            for i, r in raw[off].head(10).iterrows()
        ]
    if bad:
        raise DataError(
            "data/raw/nbs_yearbook_fai_growth_by_field.csv does not match the transcription record "
            "data/raw/yearbook_table10_5_transcription.csv:\n  - "
            + "\n  - ".join(bad)
            + "\nRecompile both with scripts/compile_raw_data.py, or restore them from git."
        )
    return raw


@dataset
def fai_growth_by_field() -> pd.DataFrame:
    """FAI growth in 2023 and 2024 by field, from NBS yearbook table 10-5 (national and 31 provinces).

    Columns: ``province`` (English name, or ``"China"`` for the national row), ``adcode`` (Int64, <NA> for China),
    ``year``, ``field`` (``all``, ``infrastructure``, ``manufacturing``, ``real estate development``),
    ``growth_pct`` (% over the previous year, comparable basis; NaN where the yearbook has no figure, with
    ``note``), ``note`` and ``source``.  Infrastructure is a part of all investment and overlaps the other
    fields.  The values were transcribed from the yearbook images by the project; the cell-by-cell record is
    ``data/raw/yearbook_table10_5_transcription.csv``.
    """
    raw = yearbook_table()
    national = raw["region_zh"] == "全国"
    province = pd.Series("China", index=raw.index, dtype=object)
    if (~national).any():
        province[~national] = to_province(
            raw.loc[~national, "region_zh"], "nbs_yearbook_fai_growth_by_field.csv", "region_zh"
        )
    df = pd.DataFrame(
        {
            "province": province,
            "adcode": province.map(adcodes()).astype("Int64"),
            "year": raw["year"],
            "field": raw["field"],
            "growth_pct": raw["growth_pct"].astype(float),
            "note": raw["note"],
            "source": raw["year"].map(yearbook_source),
        }
    )
    df = df.sort_values(["year", "province", "field"], ignore_index=True)
    # Validate
    df = validate(
        df,
        "FaiGrowthByField",
        ["data/raw/nbs_yearbook_fai_growth_by_field.csv", "data/raw/yearbook_table10_5_transcription.csv"],
        key=["province", "year", "field"],
    )
    return with_provenance(
        df,
        "nbs_yearbook_fai_growth_by_field",
        "yearbook_table10_5_transcription",
        title=f"Fixed-asset investment growth by field, {years_covered(df['year'])}",
        unit="% over the previous year",
        processing="Transcribed from the images of NBS yearbook table 10-5 cell by cell and reconciled "
        "with a first transcription (record: yearbook_table10_5_transcription.csv).",
    )


@dataset
def fai_level() -> pd.DataFrame:
    """Total fixed-asset investment by province, 2005-2017, in 100 million yuan: for SCALE ONLY.

    Columns: ``province``, ``adcode``, ``year``, ``fai_100m_yuan``, ``comparable_with_previous`` (False for 2011,
    when the project threshold rose from 500k to 5m yuan, and 2017, after NBS's 2016->2017 revisions) with
    ``break_note`` saying why, and ``source``.  Use these levels for scale (investment against GRP, per head),
    never to compute growth, least of all across a break: growth comes from :func:`fai_growth`.
    """
    raw = read_frame("fai_level_by_province")
    breaks = read_frame("fai_level_breaks").set_index("year")["break_note"]
    if breaks.isna().any() or breaks.index.duplicated().any():
        raise DataError(
            "data/raw/fai_level_breaks.csv: every break year needs exactly one row with a break_note "
            f"saying why (years {sorted(breaks.index[breaks.isna() | breaks.index.duplicated()])})."
        )
    df = _province_year(raw, raw["region_zh"], "fai_level_by_province.csv", "region_zh").drop(columns="region_zh")
    df["break_note"] = df["year"].map(breaks)
    df["comparable_with_previous"] = df["break_note"].isna()
    df["source"] = "NBS, via the panel of RenJiyi163/panel_data_analysis_for_thesis (固定资产投资总额_亿元)"
    df = df[["province", "adcode", "year", "fai_100m_yuan", "comparable_with_previous", "break_note", "source"]]
    df = validate(
        df,
        "FaiLevel",
        ["data/raw/fai_level_by_province.csv", "data/raw/fai_level_breaks.csv"],
        key=["province", "year"],
    )
    return with_provenance(
        df,
        "fai_level_by_province",
        "fai_level_breaks",
        title="Fixed-asset investment (level)",
        unit="100 million yuan (current prices)",
        processing="For scale only: levels are not comparable across 2010->2011 and 2016->2017 "
        "(comparable_with_previous, break_note); never compute growth from them.",
    )


def _wind_frame(name: str, value: str) -> pd.DataFrame:
    """A Wind series compiled one row per indicator-year: rows with a value, by canonical province."""
    raw = read_frame(name)
    raw = raw[raw[value].notna()]
    names = raw["indicator_name"].str.split(":", n=1).str[0]
    df = _province_year(raw, names, f"{name}.csv", "indicator_name")
    src = "NBS via Wind, " + df["indicator_name"]
    if "indicator_id" in df.columns:
        src = src + " (" + df["indicator_id"] + ")"
    return df.assign(source=src)[["province", "adcode", "year", value, "source"]]


@dataset
def fai_price_index() -> pd.DataFrame:
    """FAI price index by province, previous year = 100, 1991-2019 (NBS discontinued it after 2019).

    Columns: ``province``, ``adcode``, ``year``, ``index_prev_year_100``, ``source``; rows only where published.
    Tibet has no rows: NBS never published an FAI price index for Tibet.  Guangdong starts in 2001, Zhejiang and
    Hainan in 1993, Chongqing in 1994, every other province in 1991.
    """
    df = _wind_frame("fai_price_index_by_province", "index_prev_year_100")
    df = validate(df, "FaiPriceIndex", ["data/raw/fai_price_index_by_province.csv"], key=["province", "year"])
    df = with_provenance(
        df,
        "fai_price_index_by_province",
        title="Fixed-asset investment price index",
        unit="previous year = 100",
        processing="Wide Wind export reshaped to one row per province-year; cells not published are not rows.",
    )
    missing = [p for p in province_names.names() if p not in set(df["province"])]
    df.attrs["no_data"] = {p: "NBS never published an FAI price index for this province" for p in missing}
    return df


@dataset
def gfcf() -> pd.DataFrame:
    """Gross fixed capital formation by province, 100 million yuan, 1993-2017 (Chongqing from 1996; 2018 for
    Beijing, Jiangxi and Hunan only).  Columns: ``province``, ``adcode``, ``year``, ``gfcf_100m_yuan``,
    ``source``; rows only where published.  Wind carries later revised figures, which differ from those NBS first
    published (China Statistical Yearbook, table 3-14: Guangdong 1998 2,473.82 here, 2,651.24 in the 1999 edition;
    Fujian 1998 and 1999, Guangdong 1999 and Hainan 1999 too; the manifest's caveats list each with its source)."""
    df = _wind_frame("gfcf_by_province", "gfcf_100m_yuan")
    # The export shows 0.0 for Chongqing 1993-1995, before it became a province-level municipality (1997): a
    # placeholder, not a figure.  Such cells are not rows either; attrs["not_published"] lists them.
    zero = df["gfcf_100m_yuan"] == 0
    not_published = {
        f"{p} {y}": "the Wind export shows 0.0, a placeholder rather than a published figure"
        for p, y in zip(df.loc[zero, "province"], df.loc[zero, "year"], strict=True)
    }
    df = df[~zero].reset_index(drop=True)
    df = validate(df, "Gfcf", ["data/raw/gfcf_by_province.csv"], key=["province", "year"])
    df = with_provenance(
        df,
        "gfcf_by_province",
        title="Gross fixed capital formation",
        unit="100 million yuan (current prices)",
        processing="Wind export reshaped to one row per province-year; cells not published (empty, or "
        "0.0 placeholders) are not rows.",
    )
    df.attrs["not_published"] = not_published
    return df


@dataset
def grp_real_growth() -> pd.DataFrame:
    """Real growth of gross regional product by province, previous year = 100, 2016-2024.

    Columns: ``province``, ``adcode``, ``year``, ``index_prev_year_100``, ``source``.  This is the revised vintage
    published after the fifth national economic census, so recent years can differ from first releases
    (Shanxi 2023: 105.1 here, 5.0% first published).
    """
    raw = read_frame("grp_index_by_province")
    df = _province_year(raw, raw["region_zh"], "grp_index_by_province.csv", "region_zh").drop(columns="region_zh")
    df["source"] = "NBS, 地区生产总值指数 (data.stats.gov.cn export, revised after the fifth economic census)"
    df = validate(df, "GrpRealGrowth", ["data/raw/grp_index_by_province.csv"], key=["province", "year"])
    df = with_provenance(
        df,
        "grp_index_by_province",
        title="Real growth of gross regional product",
        unit="previous year = 100",
        processing="Wide NBS export reshaped to one row per province-year.",
    )
    df.attrs["vintage"] = (
        "revised after the fifth national economic census (NBS revised regional GDP for "
        "1992-2023); differs from first releases"
    )
    return df


@dataset
def population_yearend() -> pd.DataFrame:
    """Year-end resident population by province, 2015-2024, in 10,000 persons (``population_10k``).
    Columns: ``province``, ``adcode``, ``year``, ``population_10k``, ``source``."""
    raw = read_frame("population_yearend_by_province")
    df = _province_year(raw, raw["region_zh"], "population_yearend_by_province.csv", "region_zh").drop(
        columns="region_zh"
    )
    df["source"] = "NBS, 年末常住人口 (data.stats.gov.cn export)"
    df = validate(df, "PopulationYearend", ["data/raw/population_yearend_by_province.csv"], key=["province", "year"])
    return with_provenance(
        df,
        "population_yearend_by_province",
        title="Year-end resident population",
        unit="10,000 persons",
        processing="Wide NBS export reshaped to one row per province-year.",
    )
