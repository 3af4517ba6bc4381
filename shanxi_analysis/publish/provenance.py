"""How a report set was made: package and library versions, data manifest checksum, command line, times."""

from __future__ import annotations

import datetime as dt
import hashlib
import platform
from collections.abc import Sequence
from importlib import metadata
from typing import Any

from .. import __version__, config
from .plan import LIBRARIES


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def provenance(command: Sequence[str] | None = None) -> dict[str, Any]:
    """How a report set is made: package and library versions, data manifest checksums, command line."""
    from ..data import raw as sources

    manifest = config.manifest_path()
    try:
        manifest_sha = hashlib.sha256(manifest.read_bytes()).hexdigest()
    except OSError:
        manifest_sha = "missing"
    return {
        "package": "shanxi-analysis",
        "version": __version__,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "libraries": {lib: _version(lib) for lib in LIBRARIES},
        "data_manifest": {
            "path": str(manifest),
            "sha256": manifest_sha,
            "resources": {name: r.sha256 for name, r in sorted(sources.manifest().items())},
        },
        "command": list(command) if command is not None else None,
    }


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def _iso(t: dt.datetime) -> str:
    return t.isoformat(timespec="seconds")
