"""Parameter checks, before any kernel starts: the years within the data, and every injected parameter declared
by each notebook's ``parameters`` cell with a type the value has."""

from __future__ import annotations

import ast
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import ParameterError
from .options import check_notebooks
from .plan import ReportJob

_TYPES: dict[str, tuple[type, ...]] = {"str": (str,), "int": (int,), "float": (int, float), "bool": (bool,)}


def declared_parameters(notebook: Path | str) -> dict[str, str]:
    """The parameters a notebook declares in its cell tagged ``parameters``: name -> type name.

    The type is the annotation (``year: int = 2020``) or, without one, the type of the default literal;
    ``""`` when neither says.
    """
    import papermill as pm

    out = {}
    for name, info in pm.inspect_notebook(str(notebook)).items():
        kind = info.get("inferred_type_name") or ""
        if kind in ("None", "NoneType"):
            kind = ""
        if not kind:
            try:
                kind = type(ast.literal_eval(info.get("default") or "")).__name__
            except (ValueError, SyntaxError):
                kind = ""
        out[name] = kind
    return out


def _type_ok(value: Any, kind: str) -> bool | None:
    kind = kind.replace(" ", "")
    for none in ("Optional[", "|None", "None|"):
        if none in kind:
            kind = kind.replace(none, "").rstrip("]")
    types = _TYPES.get(kind)
    if types is None:
        return None
    if isinstance(value, bool) and bool not in types:
        return False
    return isinstance(value, types)


def validate_params(jobs: Sequence[ReportJob], year_range: tuple[int, int] | None = None) -> None:
    """Check every job before any kernel starts.

    Each year must lie within the data (``datasets.year_range()`` unless ``year_range`` is given), and every
    notebook must declare each injected parameter with a type the value has.

    Raises
    ------
    ParameterError
        Naming the year and the range, or the notebook, the parameter and what to change.
    """
    if not jobs:
        raise ParameterError("Nothing to build: the plan is empty.")
    check_notebooks(nb for job in jobs for nb in job.notebooks)
    if year_range is None:
        from ..data import datasets

        year_range = datasets.year_range()
    lo, hi = year_range
    bad_years = sorted(
        {j.year for j in jobs if isinstance(j.year, bool) or not isinstance(j.year, int) or not lo <= j.year <= hi},
        key=str,
    )
    if bad_years:
        raise ParameterError(
            f"Year {', '.join(map(str, bad_years))} is outside the data: FAI growth by province "
            f"covers {lo}-{hi}. Choose --year between {lo} and {hi}."
        )
    checked: set[tuple[Path, str, str]] = set()
    for job in jobs:
        for nb in job.notebooks:
            declared = None
            for name, value in job.parameters.items():
                if (nb, name, type(value).__name__) in checked:
                    continue
                if declared is None:
                    declared = declared_parameters(nb)
                if not declared:
                    raise ParameterError(
                        f"{nb.name} has no cell tagged 'parameters' (looked in {nb}). Tag its first "
                        f"code cell 'parameters' and declare: province: str = \"Shanxi\" and "
                        f"year: int = 2020."
                    )
                if name not in declared:
                    raise ParameterError(
                        f"{nb.name} does not declare the parameter {name!r}: its parameters cell declares only "
                        f"{', '.join(declared)} ({nb}). Add `{name}: {type(value).__name__} = ...` to the cell "
                        f"tagged 'parameters'."
                    )
                ok = _type_ok(value, declared[name])
                if not ok:
                    said = (
                        f"declares {name!r} as {declared[name]}"
                        if declared[name]
                        else f"declares {name!r} without a type or literal default"
                    )
                    raise ParameterError(
                        f"{nb.name} {said}, but the report passes {type(value).__name__} {value!r} ({nb}). "
                        f"Declare it as `{name}: {type(value).__name__} = ...` in the cell tagged 'parameters'."
                    )
                checked.add((nb, name, type(value).__name__))
