"""Checks of the command's options and inputs, before any kernel starts: cell timeout, notebooks readable, output
folder writable, output formats (and Chromium for PDF)."""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..errors import ParameterError
from .plan import FORMATS, PDF_INSTALL_HINT


def check_timeout(value: Any) -> int | None:
    """The per-cell timeout as whole seconds (None: no limit, from ``None`` or 0).

    Only whole seconds are accepted (``600``, ``"600"``, ``600.0``): the kernel client counts in integer
    seconds, so ``2.5`` is refused rather than silently rounded.  ``nan``, ``inf``, negative values, booleans
    and text that is not a number are refused too, before any kernel starts.

    Raises
    ------
    ParameterError
        Saying what was given and what is accepted.
    """
    import math

    if value is None:
        return None
    bad = ParameterError(
        f"--timeout must be a whole number of seconds per cell (e.g. 600), or 0 for no limit; not {value!r}."
    )
    if isinstance(value, bool):
        raise bad
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            raise bad from None
    if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0 or value != int(value):
        raise bad
    return int(value) or None


def check_notebooks(paths: Iterable[Path]) -> None:
    """Read every notebook before any kernel starts; a file that is not a valid notebook stops the run.

    Raises
    ------
    ParameterError
        Naming the notebook and the reason (not JSON, not a notebook, unreadable, not UTF-8).
    """
    import nbformat

    for path in dict.fromkeys(paths):
        try:
            nb = nbformat.read(str(path), as_version=4)
            nbformat.validate(nb)
        except (OSError, UnicodeDecodeError) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise ParameterError(
                f"Notebook {path} cannot be read ({reason}). Restore it with "
                f"`git checkout -- {path}` or remove it from the notebooks folder."
            ) from None
        except Exception as exc:  # noqa: BLE001 - NotJSONError, ValidationError, ValueError ... all mean corrupt
            first = next((x for x in str(exc).splitlines() if x.strip()), "")[:200]
            raise ParameterError(
                f"Notebook {path} is not a valid notebook ({type(exc).__name__}: {first}). "
                f"Restore it with `git checkout -- {path}` (or fix the file) and run "
                f"again."
            ) from None


def check_output_dir(out_dir: Path | str) -> Path:
    """Create ``out_dir`` if needed and prove it is writable with a probe file; returns the absolute path.

    Raises
    ------
    ParameterError
        With the path and the operating system's reason, before any work starts.
    """
    out = Path(out_dir).absolute()
    probe = out / f".write-probe-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        reason = exc.strerror or str(exc)
        where = f" ({exc.filename})" if exc.filename and str(exc.filename) != str(out) else ""
        raise ParameterError(
            f"Cannot write reports to {out}: {reason}{where}. Choose a writable folder with --out DIR."
        ) from exc
    return out


def chromium_path() -> str | None:
    """The Chromium executable (``chromium`` or ``chromium-browser``), or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """Validate output formats; PDF needs Chromium.

    Raises
    ------
    ParameterError
        For an unknown format, or ``pdf`` without Chromium (with the install command).
    """
    fmts = tuple(dict.fromkeys(f.strip().lower() for f in formats if f.strip()))
    unknown = [f for f in fmts if f not in FORMATS]
    if unknown or not fmts:
        raise ParameterError(
            f"Unknown output format {', '.join(unknown) or '(none)'}: use a comma-separated list "
            f"of {', '.join(FORMATS)} (e.g. --format html,pdf)."
        )
    if "pdf" in fmts and not chromium_path():
        raise ParameterError(PDF_INSTALL_HINT)
    return fmts
