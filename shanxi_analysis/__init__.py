"""shanxi-analysis: cleaned, validated, sourced data on China's provincial fixed-asset investment.

Submodules are imported on first use, so ``import shanxi_analysis`` stays cheap and plotting libraries load
only when a plot helper is used::

    import shanxi_analysis as sa
    sa.datasets.fai_growth()          # tidy DataFrame with sources in .attrs["sources"]
    sa.provinces.normalize("山西省")   # 'Shanxi'
    sa.claims.ledger()                # the article's claims with verdicts
"""

from __future__ import annotations

import importlib
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _installed_version
from typing import Any

try:  # the version lives in pyproject.toml only and reaches here through the installed package's metadata
    __version__: str = _installed_version("shanxi-analysis")
except PackageNotFoundError:  # an uninstalled checkout: no metadata, and nothing else is read
    __version__ = "0+unknown"

_SUBMODULES = ("analysis", "cache", "claims", "config", "datasets", "errors", "fmt", "geo", "plots", "provinces",
               "reports", "safe", "schemas", "sources")

__all__ = ["__version__", *_SUBMODULES]


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'shanxi_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
