"""The pandera models of the cleaned datasets: one ``DataFrameModel`` per dataset, all sharing :class:`Model`'s
``Config`` (``strict``: no unexpected columns; ``coerce``: dtypes enforced).  A new model subclasses :class:`Model`
(or :class:`ProvinceYearModel` for a province-year panel) and is registered in :data:`MODELS` under its class name.

This module imports pandera at its top; :mod:`.schemas` imports it only when a dataset is first validated, so
``import shanxi_analysis`` stays cheap.
"""

from typing import Any

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series

from .reconcile import CHECKS, VERDICTS
from .schemas import CLAIM_ID, FIELDS, NAME_EN, NAME_ZH, NATIONAL_SCOPES, REGIONS

#: Every model by name (the name :func:`shanxi_analysis.data.schemas.validate` takes), filled as each public
#: subclass of :class:`Model` is defined (bases declared with ``base=True`` are not): a new model needs no other edit.
MODELS: dict[str, type[pa.DataFrameModel]] = {}


class Model(pa.DataFrameModel):
    """The one configuration every model shares; defining a subclass registers it in :data:`MODELS`, unless it is
    declared a base for other models (``class Panel(Model, base=True)``)."""

    class Config:
        strict = True
        coerce = True

    def __init_subclass__(cls, base: bool = False, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not base:
            MODELS[cls.__name__] = cls


class Provinces(Model):
    adcode: Series[int] = pa.Field(ge=110000, le=659999, unique=True)
    # canonical names appear in every report: letters only, so no markup can ride on them
    name_en: Series[str] = pa.Field(unique=True, str_matches=NAME_EN)
    name_zh: Series[str] = pa.Field(unique=True, str_matches=NAME_ZH)
    name_zh_full: Series[str] = pa.Field(unique=True, str_matches=NAME_ZH)
    region: Series[str] = pa.Field(isin=REGIONS)
    # set up within the data's years (Chongqing, 1997): the year, and the division it was part of before
    established: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1990, le=2100)
    formerly_part_of: Series[str] = pa.Field(nullable=True, str_matches=NAME_EN)

    @pa.dataframe_check
    @classmethod
    def thirty_one(cls, df: pd.DataFrame) -> bool:
        return len(df) == 31

    @pa.dataframe_check
    @classmethod
    def formerly_part_of_a_division_named_here(cls, df: pd.DataFrame) -> pd.Series:
        """A division set up within the data's years names the one it was part of, itself in the table."""
        part = df["formerly_part_of"]
        return (part.isna() | part.isin(df["name_en"])) & (part.isna() == df["established"].isna())


class FaiGrowth(Model):
    province: Series[str]
    adcode: Series[int]
    year: Series[int] = pa.Field(ge=1992, le=2100)
    fai_growth_pct: Series[float] = pa.Field(nullable=True, ge=-100, le=1000)
    rank: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1, le=31)
    flagged: Series[bool]
    flag: Series[str] = pa.Field(nullable=True)
    revision_artefact: Series[bool]
    flag_note: Series[str] = pa.Field(nullable=True)
    scope_note: Series[str]
    source: Series[str]

    class Config:
        unique = ["province", "year"]

    @pa.dataframe_check
    @classmethod
    def flagged_values_have_a_kind_a_note_and_no_rank(cls, df: pd.DataFrame) -> pd.Series:
        return (
            (df["flagged"] == df["flag"].notna())
            & (df["flagged"] == df["flag_note"].notna())
            & (~df["flagged"] | df["rank"].isna())
        )


class GrowthAsPublished(Model):
    """The provincial growth series as published, before any flag: checked before the reconciliation reads it,
    so a duplicated province-year is reported as such rather than failing inside a check."""

    province: Series[str]
    year: Series[int] = pa.Field(ge=1992, le=2100)
    fai_growth_pct: Series[float] = pa.Field(nullable=True)
    source: Series[str]

    class Config:
        unique = ["province", "year"]


class Reconciliation(Model):
    check: Series[str] = pa.Field(isin=[c.name for c in CHECKS])
    series: Series[str]
    province: Series[str]
    year: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=1990, le=2100)
    observed: Series[float] = pa.Field(nullable=True)
    expected: Series[float] = pa.Field(nullable=True)
    tolerance: Series[str]
    verdict: Series[str] = pa.Field(isin=VERDICTS)
    source: Series[str] = pa.Field(str_length={"min_value": 1})
    note: Series[str] = pa.Field(str_length={"min_value": 1})


class NationalFaiGrowth(Model):
    year: Series[int] = pa.Field(ge=1992, le=2100)
    scope: Series[str] = pa.Field(isin=NATIONAL_SCOPES)
    scope_zh: Series[str]
    scope_detail: Series[str]
    growth_pct: Series[float] = pa.Field(ge=-100, le=1000)
    growth_decimals: Series[int] = pa.Field(ge=0, le=3)
    derived: Series[bool]
    level_100m_yuan: Series[float] = pa.Field(nullable=True, gt=0)
    level_as_published: Series[str] = pa.Field(nullable=True)
    basis: Series[str]
    source_url: Series[str]
    source_desc: Series[str]
    note: Series[str] = pa.Field(nullable=True)

    class Config:
        unique = ["year", "scope"]


class Gdp(Model):
    province: Series[str]
    adcode: Series[int]
    year: Series[int] = pa.Field(ge=2004, le=2100)
    gdp_100m_yuan: Series[float] = pa.Field(nullable=True, gt=0)
    vintage: Series[str] = pa.Field(isin=["revised", "first release"])
    source: Series[str]

    class Config:
        unique = ["province", "year", "vintage"]


class Population(Model):
    province: Series[str] = pa.Field(unique=True)
    adcode: Series[int] = pa.Field(unique=True)
    population: Series[int] = pa.Field(gt=0)
    share_pct_2020: Series[float] = pa.Field(ge=0, le=100)
    share_pct_2010: Series[float] = pa.Field(ge=0, le=100)
    census_date: Series[str]
    source: Series[str]

    @pa.dataframe_check
    @classmethod
    def thirty_one(cls, df: pd.DataFrame) -> bool:  # rows selected by 'kind': none may silently drop out
        return len(df) == 31


class FaiMonthly(Model):
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
        unique = ["region", "year", "end_month"]

    @pa.dataframe_check
    @classmethod
    def gaps_are_marked(cls, df: pd.DataFrame) -> pd.Series:
        return df["cum_growth_pct"].isna() == (df["status"] == "not found")


class ShanxiInvestment(Model):
    breakdown: Series[str] = pa.Field(
        isin=["province", "sector", "city", "city total FAI", "structure", "province total FAI"]
    )
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
        unique = ["breakdown", "name_en"]


class ExchangeRates(Model):
    period: Series[str]
    measure: Series[str]
    cny_per_usd: Series[float] = pa.Field(gt=1, lt=20)
    kind: Series[str] = pa.Field(isin=["published", "implied by the article"])
    source_url: Series[str]
    source_desc: Series[str]
    note: Series[str] = pa.Field(nullable=True)

    class Config:
        unique = ["period", "measure"]


class Crosschecks(Model):
    province: Series[str]
    year: Series[int]
    fai_growth_pct: Series[float] = pa.Field(ge=-100, le=1000)
    source_url: Series[str]
    source_desc: Series[str]

    class Config:
        unique = ["province", "year"]


class DevZones(Model):
    region: Series[str]
    period: Series[str]
    finding: Series[str]
    derived: Series[bool]
    independent: Series[bool]
    source_url: Series[str]
    source_desc: Series[str]


class ArticleClaims(Model):
    claim_id: Series[str] = pa.Field(unique=True, str_matches=CLAIM_ID)
    quote: Series[str]
    article_value: Series[float] = pa.Field(nullable=True)
    unit: Series[str]


class IndependentFigures(Model):
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


class Events(Model):
    event_id: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$")
    year_start: Series[int] = pa.Field(ge=1949, le=2100)
    year_end: Series[int] = pa.Field(ge=1949, le=2100)
    provinces: Series[object]  # "all" or a tuple of canonical English names
    title_en: Series[str]
    summary_en: Series[str]
    title_zh: Series[str]
    summary_zh: Series[str]
    publisher: Series[str]
    title: Series[str]
    url: Series[str] = pa.Field(str_matches=r"^https?://[^\s\"'<>]+$")
    date_published: Series[str] = pa.Field(nullable=True)
    verbatim: Series[str]

    @pa.dataframe_check
    @classmethod
    def years_in_order(cls, df: pd.DataFrame) -> bool:
        return bool((df["year_start"] <= df["year_end"]).all())


class Shapes(Model):
    adcode: Series[int] = pa.Field(unique=True)
    province: Series[str] = pa.Field(unique=True)
    rings: Series[object]


# ------------------------------------------------------------------------------ provincial panels (yearbook, Wind)
class ProvinceYearModel(Model, base=True):
    """The columns every province-year panel shares (``province``, ``adcode``, ``source``; one row per province
    and year); a panel's model subclasses it and adds ``year`` and its value column."""

    province: Series[str]
    adcode: Series[int] = pa.Field(ge=110000, le=659999)
    source: Series[str]

    class Config:
        unique = ["province", "year"]


class FaiGrowthByField(Model):
    province: Series[str]
    adcode: Series[pd.Int64Dtype] = pa.Field(nullable=True, ge=110000, le=659999)
    year: Series[int] = pa.Field(ge=2023, le=2100)
    field: Series[str] = pa.Field(isin=FIELDS)
    growth_pct: Series[float] = pa.Field(nullable=True, ge=-100, le=1000)
    note: Series[str] = pa.Field(nullable=True)
    source: Series[str]

    class Config:
        unique = ["province", "year", "field"]

    @pa.dataframe_check
    @classmethod
    def gaps_have_a_note(cls, df: pd.DataFrame) -> pd.Series:
        return df["growth_pct"].notna() | df["note"].notna()

    @pa.dataframe_check
    @classmethod
    def national_row_has_no_adcode(cls, df: pd.DataFrame) -> pd.Series:
        return (df["province"] == "China") == df["adcode"].isna()


class FaiLevel(ProvinceYearModel):
    year: Series[int] = pa.Field(ge=2005, le=2017)
    fai_100m_yuan: Series[float] = pa.Field(gt=0)
    comparable_with_previous: Series[bool]
    break_note: Series[str] = pa.Field(nullable=True)

    @pa.dataframe_check
    @classmethod
    def breaks_have_a_note(cls, df: pd.DataFrame) -> pd.Series:
        return df["comparable_with_previous"] == df["break_note"].isna()


class FaiPriceIndex(ProvinceYearModel):
    year: Series[int] = pa.Field(ge=1991, le=2019)
    index_prev_year_100: Series[float] = pa.Field(gt=50, lt=200)


class Gfcf(ProvinceYearModel):
    year: Series[int] = pa.Field(ge=1993, le=2018)
    gfcf_100m_yuan: Series[float] = pa.Field(gt=0)


class GrpRealGrowth(ProvinceYearModel):
    year: Series[int] = pa.Field(ge=2016, le=2100)
    index_prev_year_100: Series[float] = pa.Field(gt=50, lt=200)


class PopulationYearend(ProvinceYearModel):
    year: Series[int] = pa.Field(ge=2015, le=2100)
    population_10k: Series[float] = pa.Field(gt=0, lt=20000)
