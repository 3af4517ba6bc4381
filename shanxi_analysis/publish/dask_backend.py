"""The Dask back-end: report sets run on an existing Dask cluster, published here (no shared filesystem).

The client (the ``report`` command) plans and decides what runs exactly as with the local pool
(:func:`shanxi_analysis.publish.incremental.decide`); this module only runs the decided sets elsewhere:

* each set, in all its languages, is one Dask task, :func:`run_set`, given the notebooks' bytes and the files of
  its last good builds that may be reused (bytes too).  A worker needs only the installed package and its data.
* the worker builds the set with :func:`shanxi_analysis.publish.build.build_set` in a private temporary folder (in
  its warm kernel unless ``--fresh-kernels``: the computations once, words and charts per language) and returns each
  language's report folder's files as bytes with its result;
* the client writes them into its own staging folder and publishes atomically under the lock, as the local pool
  does.  A worker lost mid-task means Dask runs the task again elsewhere; nothing is published until a complete
  result arrives, and each set's result is published once.

Start workers with one thread each (``dask worker tcp://HOST:8786 --nthreads 1``): a worker runs one notebook at a
time in its kernel.
"""

from __future__ import annotations

import contextlib
import dataclasses
import shutil
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import ShanxiAnalysisError
from .build import build_set
from .index import read_json
from .planning import BUILD_FILE
from .staging import keep_failed, lock, new_staging, swap_in

CONNECT_TIMEOUT = "30s"


class ClusterError(ShanxiAnalysisError):
    """The Dask cluster could not be used or was lost mid-batch (exit code 5 from the command): sets published
    before stay published, the rest were not built."""


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _write(folder: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def run_set(
    jobs: Sequence[Any],
    notebooks: dict[str, bytes],
    previous: Sequence[dict[str, bytes]],
    decisions: Sequence[Any],
    formats: Sequence[str],
    timeout: float | None,
    command: Sequence[str] | None,
    warm_mb: float | None,
) -> list[tuple[Any, dict[str, bytes]]]:
    """On a worker: build one set in its languages (``jobs``, ``previous`` and ``decisions``: one per language) in a
    temporary folder; for each language, the result and the report folder's files (bytes)."""
    from . import kernels, pool

    pool.quiet_library_warnings()
    with tempfile.TemporaryDirectory(prefix="shanxi-dask-") as tmp:
        root = Path(tmp)
        nb_dir = root / "notebooks"
        _write(nb_dir, notebooks)
        local = [dataclasses.replace(job, notebooks=tuple(nb_dir / p.name for p in job.notebooks)) for job in jobs]
        out = root / "out"
        for job, files in zip(jobs, previous, strict=True):
            _write(out / job.key, files)
        warm = kernels.process_kernel(warm_mb) if warm_mb else None
        results = build_set(
            local, out, formats=formats, timeout=timeout, command=command, decisions=decisions, warm=warm
        )
        answer = [(res, _files(res.folder) if res.folder is not None else {}) for res in results]
    for job, (res, _) in zip(jobs, answer, strict=True):
        res.job, res.folder = job, None
    return answer


def _previous(out: Path, job: Any, decision: Any) -> dict[str, bytes]:
    """The files of the last good build that ``decision`` reuses, and its build.json (bytes)."""
    if not decision.reuse:
        return {}
    folder = out / job.key
    rec = read_json(folder / BUILD_FILE) or {}
    names = [
        f
        for nb in rec.get("notebooks", [])
        if nb.get("notebook") in decision.reuse
        for f in (nb.get("files") or {}).values()
    ]
    try:
        return {
            BUILD_FILE: (folder / BUILD_FILE).read_bytes(),
            **{n: (folder / n).read_bytes() for n in names},
        }
    except OSError:
        return {}  # changed since the plan: the worker runs everything


def publish_result(out: Path, res: Any, files: dict[str, bytes]) -> Any:
    """Write a worker's report folder into a staging folder here and publish it (or keep it as failed); the caller
    rewrites the index (:class:`~shanxi_analysis.publish.index.IndexWriter`)."""
    staging = new_staging(out)
    try:
        _write(staging, files)
        with lock(out):
            if res.status == "ok":
                folder = out / res.job.key
                swap_in(staging, folder)
            else:
                stamp = res.started.replace("-", "").replace(":", "")[:15]
                folder = keep_failed(out, staging, res.job, stamp, mend_links=False)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    res.folder = folder
    return res


def run(
    sets: Sequence[Sequence[tuple[Any, Any]]],
    out: Path,
    scheduler: str,
    formats: Sequence[str],
    timeout: float | None,
    command: Sequence[str] | None,
    done: Callable[[Any], None],
    warm_mb: float | None,
) -> None:
    """Send every set (its (job, decision) in each language: :func:`~.build.same_set`) to the cluster at
    ``scheduler``; publish each result here as it arrives.

    Raises
    ------
    ClusterError
        When the scheduler cannot be reached, is lost mid-batch or a set's task fails on the cluster (one line;
        ``distributed``'s own log is silenced meanwhile, so no traceback reaches the terminal).
    """
    import logging

    from distributed import Client, as_completed

    names = [n for n in logging.root.manager.loggerDict if n.split(".")[0] in ("distributed", "tornado", "asyncio")]
    loggers = [logging.getLogger(n) for n in {"distributed", "tornado", "asyncio", *names}]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL + 1)
    published = 0

    def lost(exc: BaseException) -> ClusterError:
        line = next((x for x in str(exc).splitlines() if x.strip()), "")[:200]
        return ClusterError(
            f"the Dask cluster at {scheduler} failed mid-batch ({type(exc).__name__}{': ' + line if line else ''}); "
            f"{published} set(s) were published, the others not built. Check the scheduler and its workers, then run "
            f"again (sets already built are up to date)."
        )

    try:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(
                f"cannot connect to the Dask scheduler at {scheduler} ({type(exc).__name__}); start it or fix the "
                f"address given to --scheduler."
            ) from None
        try:
            futures = {}
            for group in sets:
                jobs = [job for job, _ in group]
                notebooks = {p.name: p.read_bytes() for p in jobs[0].notebooks}
                fut = client.submit(
                    run_set,
                    jobs,
                    notebooks,
                    [_previous(out, job, decision) for job, decision in group],
                    [decision for _, decision in group],
                    tuple(formats),
                    timeout,
                    list(command) if command else None,
                    warm_mb,
                    pure=False,
                    key=f"report-{jobs[0].key.replace('/', '-')}-{id(jobs[0]):x}",
                )
                futures[fut] = jobs
            try:
                for fut in as_completed(futures):
                    try:
                        answer = fut.result()
                    except (KeyboardInterrupt, ShanxiAnalysisError):
                        raise
                    except BaseException as exc:  # noqa: BLE001 - lost scheduler, cancelled or failed task
                        raise lost(exc) from exc
                    for job, (res, files) in zip(futures[fut], answer, strict=True):
                        res.job = job
                        done(publish_result(out, res, files))
                        published += 1
            except BaseException:
                with contextlib.suppress(Exception):
                    client.cancel(list(futures))
                raise
        finally:
            with contextlib.suppress(Exception):
                client.close(timeout=10)
    finally:
        for lg, level in zip(loggers, levels, strict=True):
            lg.setLevel(level)
