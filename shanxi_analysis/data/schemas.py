"""What columns does each dataset have?  One pandera model per cleaned dataset, checked on every load.

Models are ``strict`` (no unexpected columns) and ``coerce`` (dtypes enforced); :func:`validate` runs them with
``lazy=True`` so every problem is reported at once, and turns pandera's report into a
:class:`~shanxi_analysis.errors.DataError` naming the raw file(s), the columns and the offending rows.
pandera is imported only when a dataset is first validated.
"""


from functools import lru_cache
from typing import Any

import pandas as pd

from ..errors import DataError

REGIONS = ["East", "Central", "West", "Northeast"]
NATIONAL_SCOPES = ["whole society", "urban", "excluding rural households"]
NAME_EN = r"^[A-Z][A-Za-z' -]*$"
NAME_ZH = r"^[\u4e00-\u9fff]+$"
CLAIM_ID = r"^[a-z0-9_]+$"  # used in links and HTML ids


@lru_cache(maxsize=1)
def _models() -> dict[str, Any]:
    import pandera.pandas as pa
    from pandera.typing import Series

    class Provinces(pa.DataFrameModel):
        adcode: Series[int] = pa.Field(ge=110000, le=659999, unique=True)
        # canonical names appear in every report: letters only, so no markup can ride on them
        name_en: Series[str] = pa.Field(unique=True, str_matches=NAME_EN)
        name_zh: Series[str] = pa.Field(unique=True, str_matches=NAME_ZH)
        name_zh_full: Series[str] = pa.Field(unique=True, str_matches=NAME_ZH)
        region: Series[str] = pa.Field(isin=REGIONS)

        class Config:
            strict = True
            coerce = True

        @pa.dataframe_check
        def thirty_one(cls, df: pd.DataFrame) -> bool:
            return len(df) == 31

    class FaiGrowth(pa.DataFrameModel):
        province: Series[str]
        adcode: Series[int]
        year: Series[int] = pa.Field(ge=1992, le=2100)
        fai_growth_pct: Series[float] = pa.Field(nullable=True, ge=-100, le=1000)
        rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, le=31)
        revision_artefact: Series[bool]
        flag_note: Series[str] = pa.Field(nullable=True)
        scope_note: Series[str]
        source: Series[str]

        class Config:
            strict = True
            coerce = True
            unique = ["province", "year"]

    class NationalFaiGrowth(pa.DataFrameModel):
        year: Series[int] = pa.Field(ge=1992, le=2100)
        scope: Series[str] = pa.Field(isin=NATIONAL_SCOPES)
        scope_zh: Series[str]
        scope_detail: Series[str]
        growth_pct: Series[float] = pa.Field(ge=-100, le=1000)
        derived: Series[bool]
        level_100m_yuan: Series[float] = pa.Field(nullable=True, gt=0)
        level_as_published: Series[str] = pa.Field(nullable=True)
        basis: Series[str]
        source_url: Series[str]
        source_desc: Series[str]
        note: Series[str] = pa.Field(nullable=True)

        class Config:
            strict = True
            coerce = True
            unique = ["year", "scope"]

    class Gdp(pa.DataFrameModel):
        province: Series[str]
        adcode: Series[int]
        year: Series[int] = pa.Field(ge=2004, le=2100)
        gdp_100m_yuan: Series[float] = pa.Field(nullable=True, gt=0)
        vintage: Series[str] = pa.Field(isin=["revised", "first release"])
        source: Series[str]

        class Config:
            strict = True
            coerce = True
            unique = ["province", "year", "vintage"]

    class Population(pa.DataFrameModel):
        province: Series[str] = pa.Field(unique=True)
        adcode: Series[int] = pa.Field(unique=True)
        population: Series[int] = pa.Field(gt=0)
        share_pct_2020: Series[float] = pa.Field(ge=0, le=100)
        share_pct_2010: Series[float] = pa.Field(ge=0, le=100)
        census_date: Series[str]
        source: Series[str]

        class Config:
            strict = True
            coerce = True

        @pa.dataframe_check
        def thirty_one(cls, df: pd.DataFrame) -> bool:  # rows selected by 'kind': none may silently drop out
            return len(df) == 31

    class FaiMonthly(pa.DataFrameModel):
        region: Series[str] = pa.Field(isin=["China", "Shanxi"])
        year: Series[int]
        end_month: Series[int] = pa.Field(ge=2, le=12)
        period: Series[str]
        period_zh: Series[str]
        cum_growth_pct: Series[float] = pa.Field(nullable=True, ge=-100, le=1000)
        status: Series[str] = pa.Field(isin=["published", "derived", "not found"])
        derived: Series[bool]
        level_100m_yuan: Series[float] = pa.Field(nullable=True, gt=0)
        level_as_published: Series[str] = pa.Field(nullable=True)
        source_url: Series[str] = pa.Field(nullable=True)
        source_desc: Series[str] = pa.Field(nullable=True)
        note: Series[str] = pa.Field(nullable=True)

        class Config:
            strict = True
            coerce = True
            unique = ["region", "year", "end_month"]

        @pa.dataframe_check
        def gaps_are_marked(cls, df: pd.DataFrame) -> pd.Series:
            return df["cum_growth_pct"].isna() == (df["status"] == "not found")

    class ShanxiInvestment(pa.DataFrameModel):
        breakdown: Series[str] = pa.Field(isin=["province", "sector", "city", "city total FAI", "structure",
                                                "province total FAI"])
        name_zh: Series[str]
        name_en: Series[str]
        indicator: Series[str]
        amount_100m_yuan: Series[float] = pa.Field(nullable=True, gt=0)
        growth_pct: Series[float] = pa.Field(nullable=True, ge=-100)
        share_pct: Series[float] = pa.Field(nullable=True, ge=0, le=100)
        share_of: Series[str] = pa.Field(nullable=True)
        derived: Series[bool]
        source_url: Series[str] = pa.Field(nullable=True)
        source_desc: Series[str]
        note: Series[str] = pa.Field(nullable=True)

        class Config:
            strict = True
            coerce = True
            unique = ["breakdown", "name_en"]

    class ExchangeRates(pa.DataFrameModel):
        period: Series[str]
        measure: Series[str]
        cny_per_usd: Series[float] = pa.Field(gt=1, lt=20)
        kind: Series[str] = pa.Field(isin=["published", "implied by the article"])
        source_url: Series[str]
        source_desc: Series[str]
        note: Series[str] = pa.Field(nullable=True)

        class Config:
            strict = True
            coerce = True
            unique = ["period", "measure"]

    class Crosschecks(pa.DataFrameModel):
        province: Series[str]
        year: Series[int]
        fai_growth_pct: Series[float] = pa.Field(ge=-100, le=1000)
        source_url: Series[str]
        source_desc: Series[str]

        class Config:
            strict = True
            coerce = True
            unique = ["province", "year"]

    class DevZones(pa.DataFrameModel):
        region: Series[str]
        period: Series[str]
        finding: Series[str]
        derived: Series[bool]
        independent: Series[bool]
        source_url: Series[str]
        source_desc: Series[str]

        class Config:
            strict = True
            coerce = True

    class ArticleClaims(pa.DataFrameModel):
        claim_id: Series[str] = pa.Field(unique=True, str_matches=CLAIM_ID)
        quote: Series[str]
        article_value: Series[float] = pa.Field(nullable=True)
        unit: Series[str]

        class Config:
            strict = True
            coerce = True

    class IndependentFigures(pa.DataFrameModel):
        claim_id: Series[str] = pa.Field(str_matches=CLAIM_ID)
        value: Series[float]
        unit: Series[str]
        comparable: Series[bool]
        derived: Series[bool]
        period: Series[str]
        what: Series[str]
        source_url: Series[str]
        source_desc: Series[str]
        verbatim: Series[str]

        class Config:
            strict = True
            coerce = True

    class Shapes(pa.DataFrameModel):
        adcode: Series[int] = pa.Field(unique=True)
        province: Series[str] = pa.Field(unique=True)
        rings: Series[object]

        class Config:
            strict = True
            coerce = True

    return {m.__name__: m for m in (Provinces, FaiGrowth, NationalFaiGrowth, Gdp, Population, FaiMonthly,
                                    ShanxiInvestment, ExchangeRates, Crosschecks, DevZones, ArticleClaims,
                                    IndependentFigures, Shapes)}


def check_names(rows: list[dict], file: str) -> list[dict]:
    """The rows of the province table after checking its names are plain letters (they are used as canonical
    names in every report, so a name carrying markup must stop the build); raises a :class:`DataError`
    naming the file, the line and the column."""
    import re

    bad = [f"line {i}, column {col}: {r.get(col)!r}" for i, r in enumerate(rows, start=2)
           for col, pattern in (("name_en", NAME_EN), ("name_zh", NAME_ZH), ("name_zh_full", NAME_ZH))
           if not isinstance(r.get(col), str) or not re.match(pattern, r[col])]
    if bad:
        raise DataError(f"{file}: province name(s) that are not plain names: {'; '.join(bad[:10])}. English "
                        "names use letters, spaces, '-' and apostrophes; Chinese names only Han characters. "
                        "Correct the file.")
    return rows


def model(name: str) -> Any:
    """The pandera ``DataFrameModel`` class named ``name`` (e.g. ``"FaiGrowth"``)."""
    return _models()[name]


def _plain(value: Any) -> Any:
    """numpy scalars as plain Python values, so messages read ``year=2020`` not ``np.int64(2020)``."""
    return value.item() if hasattr(value, "item") else value


def validate(df: pd.DataFrame, model_name: str, files: list[str], key: list[str] | None = None) -> pd.DataFrame:
    """Validate ``df`` against a model, reporting every failure at once as a :class:`DataError`.

    ``files`` names the raw files the dataset was built from; ``key`` names the columns that identify a row in
    the message (for example province and year).
    """
    import pandera.errors as pae

    try:
        return model(model_name).validate(df, lazy=True)
    except pae.SchemaErrors as exc:
        cases = exc.failure_cases
        lines = []
        for _, case in cases.head(20).iterrows():
            col = case.get("column")
            idx = case.get("index")
            where = ""
            if key and idx is not None and not pd.isna(idx) and idx in df.index:
                where = " at " + ", ".join(f"{k}={_plain(df.at[idx, k])!r}" for k in key if k in df.columns)
            lines.append(f"  - column {col!s}: check {case.get('check')!s} failed{where} "
                         f"(value {case.get('failure_case')!r})")
        more = f"\n  ... and {len(cases) - 20} more" if len(cases) > 20 else ""
        raise DataError(
            f"{model_name} built from {', '.join(files)} failed validation ({len(cases)} problem(s)):\n"
            + "\n".join(lines) + more + "\nCorrect the raw file(s) named above; each value must be as published."
        ) from None


# --------------------------------------------------------------------------------------------- provincial panels
FIELDS = ["all", "infrastructure", "manufacturing", "real estate development"]


@lru_cache(maxsize=1)
def _panel_models() -> dict[str, Any]:
    """Models of the provincial panels and the yearbook table (issue 13), kept apart from the models above."""
    import pandera.pandas as pa
    from pandera.typing import Series

    class _ProvinceYear(pa.DataFrameModel):
        province: Series[str]
        adcode: Series[int] = pa.Field(ge=110000, le=659999)
        source: Series[str]

        class Config:
            strict = True
            coerce = True
            unique = ["province", "year"]

    class FaiGrowthByField(pa.DataFrameModel):
        province: Series[str]
        adcode: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=110000, le=659999)
        year: Series[int] = pa.Field(ge=2023, le=2100)
        field: Series[str] = pa.Field(isin=FIELDS)
        growth_pct: Series[float] = pa.Field(nullable=True, ge=-100, le=1000)
        note: Series[str] = pa.Field(nullable=True)
        source: Series[str]

        class Config:
            strict = True
            coerce = True
            unique = ["province", "year", "field"]

        @pa.dataframe_check
        def gaps_have_a_note(cls, df: pd.DataFrame) -> pd.Series:
            return df["growth_pct"].notna() | df["note"].notna()

        @pa.dataframe_check
        def national_row_has_no_adcode(cls, df: pd.DataFrame) -> pd.Series:
            return (df["province"] == "China") == df["adcode"].isna()

    class FaiLevel(_ProvinceYear):
        year: Series[int] = pa.Field(ge=2005, le=2017)
        fai_100m_yuan: Series[float] = pa.Field(gt=0)
        comparable_with_previous: Series[bool]
        break_note: Series[str] = pa.Field(nullable=True)

        @pa.dataframe_check
        def breaks_have_a_note(cls, df: pd.DataFrame) -> pd.Series:
            return df["comparable_with_previous"] == df["break_note"].isna()

    class FaiPriceIndex(_ProvinceYear):
        year: Series[int] = pa.Field(ge=1991, le=2019)
        index_prev_year_100: Series[float] = pa.Field(gt=50, lt=200)

    class Gfcf(_ProvinceYear):
        year: Series[int] = pa.Field(ge=1993, le=2018)
        gfcf_100m_yuan: Series[float] = pa.Field(gt=0)

    class GrpRealGrowth(_ProvinceYear):
        year: Series[int] = pa.Field(ge=2016, le=2100)
        index_prev_year_100: Series[float] = pa.Field(gt=50, lt=200)

    class PopulationYearend(_ProvinceYear):
        year: Series[int] = pa.Field(ge=2015, le=2100)
        population_10k: Series[float] = pa.Field(gt=0, lt=20000)

    return {m.__name__: m for m in (FaiGrowthByField, FaiLevel, FaiPriceIndex, Gfcf, GrpRealGrowth,
                                    PopulationYearend)}


_base_models = _models


@lru_cache(maxsize=1)
def _models() -> dict[str, Any]:  # noqa: F811  (extends the models above with the panel models)
    return {**_base_models(), **_panel_models()}
