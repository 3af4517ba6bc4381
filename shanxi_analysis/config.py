"""Every path the project uses, in one place (cookiecutter-data-science style), and the installed version.

Nobody else builds a path from strings: import these.  ``SHANXI_ANALYSIS_DATA_DIR`` points the package at
another data folder (a copy with the same layout); the tests use it to load tampered copies of the data.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as _installed_version
from pathlib import Path

try:  # the version lives in pyproject.toml only and reaches here through the installed package's metadata
    VERSION: str = _installed_version("shanxi-analysis")
except PackageNotFoundError:  # an uninstalled checkout: no metadata, and nothing else is read
    VERSION = "0+unknown"

PROJ_ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = PROJ_ROOT / "notebooks"
REPORTS_DIR = PROJ_ROOT / "reports"


def data_dir() -> Path:
    """The data folder in use: ``$SHANXI_ANALYSIS_DATA_DIR`` if set, else the project's ``data/``."""
    env = os.environ.get("SHANXI_ANALYSIS_DATA_DIR")
    return Path(env).resolve() if env else PROJ_ROOT / "data"


def raw_dir() -> Path:
    """Read-only inputs: the compiled source tables described in the manifest."""
    return data_dir() / "raw"


def manifest_path() -> Path:
    """The frictionless-style data package that describes every raw file."""
    return data_dir() / "datapackage.json"
