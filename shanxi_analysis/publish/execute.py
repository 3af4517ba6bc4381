"""Execution of one notebook with papermill (through the engine of :mod:`~shanxi_analysis.publish.engine`) and the
:class:`~shanxi_analysis.publish.planning.Failure` that says which cell failed and why."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Any

from . import kernels
from .planning import KERNEL_NAME, Failure, ReportJob


def _source_cell(nb: Any, index: int | None) -> int | None:
    """1-based position in the source notebook of executed cell ``index`` (skipping papermill's own cells)."""
    if index is None:
        return None
    skip = 0
    for cell in nb.cells[:index]:
        tags = cell.get("metadata", {}).get("tags", [])
        if "injected-parameters" in tags or "papermill-error-cell-tag" in tags:
            skip += 1
    return index - skip + 1


def _last_started_cell(path: Path) -> tuple[Any, int | None]:
    import nbformat

    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:  # noqa: BLE001 - no executed notebook written at all
        return None, None
    started = [
        i
        for i, c in enumerate(nb.cells)
        if c.get("metadata", {}).get("papermill", {}).get("start_time")
        and "papermill-error-cell-tag" not in c.get("metadata", {}).get("tags", [])
    ]
    return nb, (started[-1] if started else None)


def _failure(exc: BaseException, name: str, executed: Path, timeout: float | None) -> Failure:
    """Turn an execution exception into a :class:`Failure` naming the cell."""
    import nbformat
    from nbclient.exceptions import CellTimeoutError
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        try:
            nb = nbformat.read(str(executed), as_version=4)
            nb.cells = [c for c in nb.cells if "papermill-error-cell-tag" not in c.metadata.get("tags", [])]
            cell = _source_cell(nb, exc.cell_index)
        except Exception:  # noqa: BLE001
            cell = exc.cell_index + 1
        return Failure(name, cell, exc.exec_count, exc.ename, exc.evalue, "error")
    nb, index = _last_started_cell(executed)
    cell = _source_cell(nb, index) if nb is not None else None
    count = nb.cells[index].get("execution_count") if nb is not None and index is not None else None
    if isinstance(exc, CellTimeoutError):
        return Failure(
            name,
            cell,
            count,
            "CellTimeoutError",
            f"the cell ran longer than --timeout {timeout:g} s and was interrupted",
            "timeout",
        )
    return Failure(name, cell, count, type(exc).__name__, str(exc) or repr(exc), "kernel")


_DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EFBIG})


def is_disk_error(exc: BaseException | None) -> bool:
    """True for a full or read-only disk (also when wrapped by a library as the cause of another error): such an
    error stops the whole build instead of failing one notebook."""
    for _ in range(10):
        if exc is None:
            break
        if isinstance(exc, OSError) and exc.errno in _DISK_ERRNOS:
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def run_notebook(
    job: ReportJob,
    nb_path: Path,
    staging: Path,
    cwd: Path,
    timeout: float | None,
    warm: kernels.WarmKernel | None = None,
    continued: bool = False,
) -> tuple[Any, Failure | None]:
    """Execute one notebook into ``staging`` with papermill's ``shanxi-analysis`` engine: in ``warm`` reset to a
    fresh namespace, or in a kernel of its own; the executed notebook (None if none was written) and the failure.
    ``continued``: the same notebook has just run in ``warm`` in another language; it continues from its variables
    (:mod:`~shanxi_analysis.publish.engine`).

    Raises
    ------
    OSError
        For a full or read-only disk (:func:`is_disk_error`); every other failure is returned.
    """
    import papermill as pm

    from . import engine  # registers the engine with papermill

    executed = staging / nb_path.name
    log = staging / f"kernel-{nb_path.stem}.log"
    try:
        nb = pm.execute_notebook(
            str(nb_path),
            str(executed),
            parameters=job.notebook_parameters(nb_path),
            engine_name=engine.ENGINE_NAME,
            kernel_name=KERNEL_NAME,
            cwd=str(cwd),
            progress_bar=False,
            execution_timeout=timeout,
            start_timeout=kernels.START_TIMEOUT,
            report_mode=False,
            warm_kernel=warm,
            kernel_log=log,
            continued=continued,
        )
        return nb, None
    except Exception as exc:  # noqa: BLE001 - every failure is recorded, the run goes on
        if is_disk_error(exc):
            raise  # a full or read-only disk fails every notebook: stop and say so once
        failure = _failure(exc, nb_path.name, executed, timeout)
        try:
            import nbformat

            nb = nbformat.read(str(executed), as_version=4)
        except Exception:  # noqa: BLE001
            nb = None
        return nb, failure
