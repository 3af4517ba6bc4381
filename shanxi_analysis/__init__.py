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
from typing import Any

__version__ = "0.1.0"

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
