"""Results handed from a notebook to tests and the report builder: :func:`glue` records a notebook's key results
as a machine-readable output (``application/json``) and :func:`read_glued` reads them back from an executed
notebook."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from .numbers import is_missing

#: The mime type of :func:`glue` outputs.
GLUE_MIME = "application/json"

#: The key under which :func:`glue` nests its values, so other JSON outputs are not mistaken for it.
GLUE_KEY = "shanxi_analysis.results"


def _jsonable(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [_jsonable(v) for v in value]
    if is_missing(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def glue_payload(**values: Any) -> dict[str, Any]:
    """The JSON document :func:`glue` displays: ``{GLUE_KEY: {name: value}}``, with numpy scalars as plain
    Python values and missing values as ``None``.

    Parameters
    ----------
    **values
        Named results (numbers, strings, lists, dicts).

    Returns
    -------
    dict
    """
    return {GLUE_KEY: _jsonable(values)}


def glue(**values: Any) -> None:
    """Record named results as an ``application/json`` output of the current notebook cell.

    The output is invisible in HTML reports exported with nbconvert (no renderer for JSON); read it back from
    the executed notebook with :func:`read_glued`.

    Parameters
    ----------
    **values
        Named results, e.g. ``glue(province="Shanxi", year=2020, rank=2)``.
    """
    from IPython.display import display

    display({GLUE_MIME: glue_payload(**values)}, raw=True)


def read_glued(notebook: Any) -> dict[str, Any]:
    """Every value a notebook recorded with :func:`glue`, merged in cell order.

    Parameters
    ----------
    notebook : nbformat.NotebookNode or dict
        An executed notebook.

    Returns
    -------
    dict
        ``name -> value``; later cells overwrite earlier ones.
    """
    out: dict[str, Any] = {}
    for cell in notebook["cells"]:
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get(GLUE_MIME)
            if isinstance(data, dict) and GLUE_KEY in data:
                out.update(data[GLUE_KEY])
    return out
