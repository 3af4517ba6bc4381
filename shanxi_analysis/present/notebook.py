"""A notebook's set-up in one call: :func:`setup` checks and normalises the parameters, sets the chart theme and hands
out the datasets the notebooks read, so the first cell after the parameters is ``nb = present.setup(province,
year)``.

>>> nb = setup("山西", 2020)          # doctest: +SKIP
>>> nb.province, nb.year              # doctest: +SKIP
('Shanxi', 2020)
>>> nb.fai_growth.query("year == 2020")  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pandas as pd

from .. import analysis, data
from .theme import set_theme


@dataclass(frozen=True)
class Setup:
    """The checked parameters of a notebook and its datasets.

    Each dataset attribute is named as its function in :mod:`shanxi_analysis.data` and loaded on first use, once
    per set-up (``nb.fai_growth`` is ``sa.data.fai_growth()``), so a notebook reads only what it uses.
    """

    province: str
    """Canonical English name (``sa.data.normalize``)."""
    year: int
    """A year of the FAI series (``sa.analysis.check_year``)."""
    lang: str = "en"
    """The language of the page: a catalog of :mod:`.messages` (``en``, ``zh``)."""

    @cached_property
    def fai_growth(self) -> pd.DataFrame:
        """FAI growth by province and year, with ranks and flags."""
        return data.fai_growth()

    @cached_property
    def national_fai_growth(self) -> pd.DataFrame:
        """China's FAI growth by year and scope."""
        return data.national_fai_growth()

    @cached_property
    def fai_monthly_2020(self) -> pd.DataFrame:
        """2020 cumulative year-to-date FAI growth, national and provincial."""
        return data.fai_monthly_2020()

    @cached_property
    def gdp(self) -> pd.DataFrame:
        """Gross regional product by province."""
        return data.gdp()

    @cached_property
    def population(self) -> pd.DataFrame:
        """Resident population at the 2020 census."""
        return data.population()

    @cached_property
    def population_yearend(self) -> pd.DataFrame:
        """Year-end resident population by province."""
        return data.population_yearend()

    @cached_property
    def shanxi_investment_2020(self) -> pd.DataFrame:
        """Shanxi's 2020 investment by sector and city."""
        return data.shanxi_investment_2020()

    @cached_property
    def province_shapes(self) -> pd.DataFrame:
        """Simplified province boundaries keyed by ``adcode``."""
        return data.province_shapes()

    @cached_property
    def provinces(self) -> pd.DataFrame:
        """The 31 provincial-level divisions: codes, names, region."""
        return data.provinces()

    @cached_property
    def fai_level(self) -> pd.DataFrame:
        """FAI level by province, 2005-2017, with its breaks."""
        return data.fai_level()

    @cached_property
    def fai_price_index(self) -> pd.DataFrame:
        """FAI price index by province."""
        return data.fai_price_index()

    @cached_property
    def gfcf(self) -> pd.DataFrame:
        """Gross fixed capital formation by province."""
        return data.gfcf()

    @cached_property
    def grp_real_growth(self) -> pd.DataFrame:
        """Real GRP growth by province."""
        return data.grp_real_growth()

    @cached_property
    def fai_growth_by_field(self) -> pd.DataFrame:
        """2023-2024 FAI growth by field (infrastructure, manufacturing, real estate)."""
        return data.fai_growth_by_field()

    @cached_property
    def events(self) -> pd.DataFrame:
        """Events that give context to a year, each with its source."""
        return data.events()

    @cached_property
    def article_claims(self) -> pd.DataFrame:
        """The article's checkable claims."""
        return data.article_claims()

    @cached_property
    def independent_figures(self) -> pd.DataFrame:
        """Figures from other sources bearing on the claims."""
        return data.independent_figures()

    @cached_property
    def shanxi_devzones(self) -> pd.DataFrame:
        """Findings on Shanxi's development zones and the 2020 project campaign."""
        return data.shanxi_devzones()


def _inline_png() -> None:
    """Charts inline as PNG when running in IPython (a kernel, papermill); nothing elsewhere."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.run_line_magic("matplotlib", "inline")
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats("png")


def setup(province: Any, year: Any, lang: str = "en") -> Setup:
    """Check a notebook's parameters, set the chart theme, and return the parameters with the datasets.

    Parameters
    ----------
    province : str or int
        Any of the 31 provinces, in English, Chinese or as adcode (``sa.data.normalize``).
    year : int
        A year of the FAI series (``sa.analysis.check_year``).
    lang : str, default "en"
        The language of the page's words and charts: one with a message catalog (``present.languages()``).

    Returns
    -------
    Setup
        ``province`` (canonical English name), ``year`` and the datasets, loaded on first use.

    Raises
    ------
    shanxi_analysis.errors.DataError or ValueError
        An unknown province, a year outside the series or a language without a catalog, with the package's
        message: the notebook stops in its first cell.
    """
    from ..errors import ParameterError
    from ..messages import languages

    province = data.normalize(province)
    year = analysis.check_year(year)
    if lang not in languages():
        raise ParameterError(
            f"lang must be one of {', '.join(languages())}, not {lang!r} "
            "(a language is shanxi_analysis/messages/<lang>.yml)."
        )
    _inline_png()
    set_theme()
    return Setup(province, year, lang)
