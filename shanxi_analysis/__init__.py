"""shanxi-analysis: cleaned, validated, sourced data on China's provincial fixed-asset investment.

::

    import shanxi_analysis as sa
    sa.data.fai_growth()             # tidy DataFrame with sources in .attrs["sources"]
    sa.data.normalize("山西省")       # 'Shanxi'
    sa.analysis.province_year(sa.data.fai_growth(), "Shanxi", 2020)
    sa.claims.ledger()               # the article's claims with verdicts

    from shanxi_analysis import present, publish   # charts and sentences; building reports

The package's folders are its stages (see the README's layout table), each importing only earlier ones: ``data``
(raw files -> validated tables), ``analysis`` (pure functions on those tables), ``messages`` (the catalog of
every sentence's words, in each language), ``claims`` (the article's claims
checked against them), ``present`` (text, tables and charts) and ``publish`` (notebooks -> report sets); beside
them the neutral modules ``config`` (paths), ``errors``, ``numbers`` (number formatting) and ``templating``.

Importing the package imports the neutral modules and the pandas-level stages ``data``, ``analysis`` and
``claims``; ``present`` (matplotlib) and ``publish`` (papermill, nbconvert) are imported when asked for, and
pandera and pyarrow only when a table is first validated or cached.
"""

from . import analysis, claims, config, data, errors, numbers

__version__: str = config.VERSION

__all__ = ["__version__", "config", "errors", "numbers", "data", "analysis", "claims"]
