"""shanxi-analysis: cleaned, validated, sourced data on China's provincial fixed-asset investment.

::

    import shanxi_analysis as sa
    sa.data.fai_growth()             # tidy DataFrame with sources in .attrs["sources"]
    sa.data.normalize("山西省")       # 'Shanxi'
    sa.analysis.province_year(sa.data.fai_growth(), "Shanxi", 2020)
    sa.claims.ledger()               # the article's claims with verdicts

    from shanxi_analysis import present, publish   # charts and sentences; building reports

The package's folders are its stages (see the README's layout table), each importing only earlier ones: ``data``
(raw files -> validated tables), ``analysis`` (pure functions on those tables), ``claims`` (the article's claims
checked against them), ``present`` (text, tables and charts) and ``publish`` (notebooks -> report sets); beside
them the neutral modules ``config`` (paths), ``errors``, ``numbers`` (number formatting) and ``templating``.

Importing the package imports the neutral modules and the pandas-level stages ``data``, ``analysis`` and
``claims``; ``present`` (matplotlib) and ``publish`` (papermill, nbconvert) are imported when asked for, and
pandera and pyarrow only when a table is first validated or cached.
"""

from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _installed_version

try:  # the version lives in pyproject.toml only and reaches here through the installed package's metadata
    __version__: str = _installed_version("shanxi-analysis")
except PackageNotFoundError:  # an uninstalled checkout: no metadata, and nothing else is read
    __version__ = "0+unknown"

# after __version__, which the data stage's cache reads
from . import analysis, claims, config, data, errors, numbers  # noqa: E402

__all__ = ["__version__", "config", "errors", "numbers", "data", "analysis", "claims"]
