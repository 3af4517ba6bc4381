"""Lazy submodules for the stage packages: ``sa.present.story`` imports ``shanxi_analysis.present.story`` on first
use, so a stage package costs nothing until one of its modules is asked for."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def submodules(package: str, fallback: Callable[[str], Any] | None = None) -> Callable[[str], Any]:
    """A module ``__getattr__`` for ``package``: ``package.<name>`` is its submodule ``name``, imported on first use;
    else ``fallback(name)`` when given; else AttributeError naming the package and the attribute."""

    def __getattr__(name: str) -> Any:
        if not name.startswith("__"):
            try:
                return importlib.import_module(f"{package}.{name}")
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":  # the submodule exists but something it imports does not
                    raise
        if fallback is not None:
            return fallback(name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
