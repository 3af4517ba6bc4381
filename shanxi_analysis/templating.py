"""Jinja2 environments for the project's templates: autoescaping always on, undefined names an error.

Every piece of markup the package produces comes from a template under ``publish/templates/`` or
``present/templates/``; values from data are escaped by Jinja2 (``markupsafe``), and only values marked safe by the
code that renders them (HTML the project's own templates made) pass through unchanged.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any


@cache
def environment(folder: str, trim: bool = True) -> Any:
    """The Jinja2 environment for templates in ``folder`` (``trim``: drop the newline after a block tag and the
    indentation before it, for templates laid out over several lines)."""
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=trim,
        lstrip_blocks=trim,
    )


def render(folder: Path | str, name: str, *, trim: bool = True, **values: Any) -> str:
    """Render template ``name`` from ``folder`` with ``values``."""
    return environment(str(folder), trim).get_template(name).render(**values)
