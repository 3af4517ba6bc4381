"""shanxi-analysis: cleaned, validated, sourced data on China's provincial fixed-asset investment.

Submodules are imported on first use, so ``import shanxi_analysis`` stays cheap and plotting libraries load
only when a plot helper is used::

    import shanxi_analysis as sa
    sa.datasets.fai_growth()          # tidy DataFrame with sources in .attrs["sources"]
    sa.provinces.normalize("山西省")   # 'Shanxi'
    sa.claims.ledger()                # the article's claims with verdicts

The package's folders are its stages (see the README's layout table): ``data`` (raw files -> validated tables),
``analysis`` (pure functions on those tables), ``claims`` (the article's claims checked against them),
``present`` (numbers, text, tables and charts) and ``publish`` (notebooks -> report sets).

The module names of the flat layout stay available as lazy aliases, so existing notebooks and scripts keep
working (``sa.fmt.pct``, ``from shanxi_analysis import plots``, ``import shanxi_analysis.datasets``). An alias
reached as an attribute (``sa.datasets``) with one target *is* that module; otherwise (several targets, or
``import shanxi_analysis.<old name>``) it is a module that looks each name up in its targets in order, and setting
an attribute on it sets it on the target that has it. :data:`ALIASES` lists them:

=================  =======================================================================================
old name           new module(s)
=================  =======================================================================================
``sources``        ``data.sources``
``schemas``        ``data.schemas``
``cache``          ``data.cache``
``provinces``      ``data.names``
``datasets``       ``data.datasets``
``story``          ``analysis.province``, ``analysis.economy`` (computations), ``present.story``,
                   ``present.economy``, ``present.gaps`` (sentences)
``fmt``            ``numbers``, ``analysis.periods``, ``present.glue``, ``present.citations``, ``present.tables``
``plots``          ``present.theme``, ``present.charts``, ``present.time_charts``, ``present.story_charts``,
                   ``present.labels``
``geo``            ``present.maps``
``safe``           ``present.safe``
``reports``        ``publish.reports``, ``publish.plan``, ``publish.params``, ``publish.options``,
                   ``publish.execute``, ``publish.export``, ``publish.staging``, ``publish.index``,
                   ``publish.provenance``, ``publish.pool``
``grid``           ``publish.grid``
``kernels``        ``publish.kernels``
``incremental``    ``publish.incremental``
``dask_backend``   ``publish.dask_backend``
=================  =======================================================================================
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import sys
import types
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _installed_version
from typing import Any

try:  # the version lives in pyproject.toml only and reaches here through the installed package's metadata
    __version__: str = _installed_version("shanxi-analysis")
except PackageNotFoundError:  # an uninstalled checkout: no metadata, and nothing else is read
    __version__ = "0+unknown"

#: The stage packages and top-level modules.
_SUBMODULES = ("analysis", "claims", "config", "data", "errors", "present", "publish", "templating")

#: Old flat-layout module name -> the module(s) that now hold its names (looked up in this order).
ALIASES: dict[str, tuple[str, ...]] = {
    "sources": ("data.sources",),
    "schemas": ("data.schemas",),
    "cache": ("data.cache",),
    "provinces": ("data.names",),
    "datasets": ("data.datasets",),
    "story": ("analysis.province", "analysis.economy", "present.story", "present.economy", "present.gaps"),
    "fmt": ("numbers", "analysis.periods", "present.glue", "present.citations", "present.tables"),
    "plots": ("present.theme", "present.charts", "present.time_charts", "present.story_charts", "present.labels"),
    "geo": ("present.maps",),
    "safe": ("present.safe",),
    "reports": (
        "publish.reports",
        "publish.plan",
        "publish.params",
        "publish.options",
        "publish.execute",
        "publish.export",
        "publish.staging",
        "publish.index",
        "publish.provenance",
        "publish.pool",
    ),
    "grid": ("publish.grid",),
    "kernels": ("publish.kernels",),
    "incremental": ("publish.incremental",),
    "dask_backend": ("publish.dask_backend",),
}

__all__ = ["__version__", "ALIASES", *_SUBMODULES, *ALIASES]


def _targets(name: str) -> list[types.ModuleType]:
    modules = []
    for target in ALIASES[name]:
        try:
            modules.append(importlib.import_module(f".{target}", __name__))
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{target}":
                raise
    return modules


_NOTHING = object()


class _Alias(types.ModuleType):
    """An old module name whose names now live in several modules: reads and writes go to the targets."""

    def __init__(self, name: str) -> None:
        super().__init__(f"{__name__}.{name}", f"Alias of {', '.join(ALIASES[name])} (old flat-layout name).")
        object.__setattr__(self, "_modules", _targets(name))
        object.__setattr__(self, "_saved", {})

    def __getattr__(self, attr: str) -> Any:
        if attr.startswith("__"):  # __file__, __path__, ...: the alias has none of its own, and no one target's
            raise AttributeError(f"module {self.__name__!r} (an alias) has no attribute {attr!r}")
        for module in object.__getattribute__(self, "_modules"):
            if hasattr(module, attr):
                return getattr(module, attr)
        raise AttributeError(f"module {self.__name__!r} has no attribute {attr!r}")

    def __setattr__(self, attr: str, value: Any) -> None:
        if attr.startswith("__"):  # the import system's own attributes (__spec__, __loader__, ...) stay here
            object.__setattr__(self, attr, value)
            return
        modules = object.__getattribute__(self, "_modules")
        target = next((m for m in modules if hasattr(m, attr)), modules[0])
        saved = object.__getattribute__(self, "_saved")
        if attr not in saved:
            saved[attr] = (target, getattr(target, attr, _NOTHING))
        setattr(target, attr, value)

    def __delattr__(self, attr: str) -> None:
        # Deleting what was set through the alias restores the target's own value (pytest's monkeypatch undoes a
        # setattr on a module whose __dict__ lacked the name with delattr).
        saved = object.__getattribute__(self, "_saved")
        if attr in saved:
            target, original = saved.pop(attr)
            if original is _NOTHING:
                delattr(target, attr)
            else:
                setattr(target, attr, original)
            return
        for module in object.__getattribute__(self, "_modules"):
            if hasattr(module, attr):
                delattr(module, attr)
                return
        raise AttributeError(attr)

    def __dir__(self) -> list[str]:
        names: set[str] = set()
        for module in object.__getattribute__(self, "_modules"):
            names.update(dir(module))
        return sorted(names)


def _alias(name: str) -> types.ModuleType:
    if len(ALIASES[name]) == 1:
        return importlib.import_module(f".{ALIASES[name][0]}", __name__)
    return importlib.import_module(f".{name}", __name__)  # through _AliasFinder: one _Alias per name


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """``import shanxi_analysis.<old name>`` finds the alias (``from shanxi_analysis.fmt import pct`` works)."""

    def find_spec(self, fullname: str, path: Any = None, target: Any = None) -> importlib.machinery.ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != __name__ or name not in ALIASES:
            return None
        return importlib.machinery.ModuleSpec(fullname, self)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return _Alias(spec.name.rpartition(".")[2])

    def exec_module(self, module: types.ModuleType) -> None:
        return None


if not any(isinstance(f, _AliasFinder) for f in sys.meta_path):
    sys.meta_path.append(_AliasFinder())


def __getattr__(name: str) -> Any:
    if name in _SUBMODULES:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    if name in ALIASES:
        module = _alias(name)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'shanxi_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
