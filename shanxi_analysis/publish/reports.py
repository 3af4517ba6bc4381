"""How reports get built (one report set, many report sets): every notebook, for each (province, year), executed
and published as HTML with an index.

The builder reads like a declarative plan (cal-itp portfolio style)::

    jobs = plan(["Hubei"], [2019], config.NOTEBOOKS_DIR)      # pure: one ReportJob per parameter set
    validate_params(jobs)                                     # before any kernel starts
    results = build_reports(jobs, config.REPORTS_DIR)         # execute, export, publish, index

Output layout under the reports folder ``DIR``::

    DIR/index.html                       every report set: parameters, status, build time, links, how it was made
    DIR/<year>/<province-slug>/          the last good report of those parameters:
        NN-name.ipynb, NN-name.html      executed notebook and self-contained HTML (code hidden, figures embedded)
        NN-name.pdf                      with ``formats`` containing "pdf" (headless Chromium)
        build.json                       parameters, times, status, package/library versions, data checksums
    DIR/_failed/<year>/<slug>/<stamp>/   a failed attempt, kept for debugging (executed notebooks + build.json)
    DIR/.staging/<pid>-<id>/             work in progress: never a report; removed when its owner is gone
    DIR/.lock                            serialises publishing and index writes between concurrent runs

Guarantees:

* A report folder appears only when every notebook of its parameter set succeeded: it is built in a private
  staging folder and swapped in with one atomic ``renameat2(RENAME_EXCHANGE)`` (or two renames where the kernel
  lacks it), under ``fcntl.flock`` on ``DIR/.lock``.  A failed, interrupted or killed run never replaces or damages
  the last good report, and two runs into one folder do not corrupt each other.
* ``timeout`` is **per cell** (papermill's ``execution_timeout``): a cell that runs longer is interrupted and the
  notebook is reported as failed like any other error.  There is no limit on a whole notebook.
* Kernels run in the notebooks folder (so relative paths work) with matplotlib's inline backend, so figures are
  embedded even when the caller exported ``MPLBACKEND=Agg``.  Kernel stderr goes to ``kernel-<notebook>.log``,
  kept only with failed attempts.

The steps live in sibling modules: :mod:`.plan` (jobs, parameter checks), :mod:`.execute` (papermill),
:mod:`.export` (nbconvert, navigation, PDF), :mod:`.publish` (staging, atomic swap, locking), :mod:`.index`
(the index page) and :mod:`.provenance`; this module runs them for one set (:func:`build_report`) and for many
(:func:`build_reports`, with a worker pool).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import incremental, kernels
from .execute import _disk_error, _run_notebook
from .export import _export, _export_pool, _nav_cell
from .index import _read_json, write_index
from .options import check_timeout
from .plan import (
    BUILD_FILE,
    DEFAULT_FORMATS,
    DEFAULT_TIMEOUT,
    INDEX_FILE,
    UP_TO_DATE,
    Failure,
    ReportJob,
    ReportResult,
)
from .pool import _run_parallel, quiet_library_warnings  # noqa: F401  (quiet_library_warnings: reports.<name> as before)
from .provenance import _iso, _now, provenance
from .staging import _keep_failed, _locked, _new_staging, _publish, clean_stale_staging


def _copy_reused(out: Path, job: ReportJob, decision: incremental.Decision, staging: Path) -> dict[str, dict]:
    """Copy the notebooks ``decision`` reuses from the published report into ``staging``; their records.

    Checked again under the lock (another run may have published since the plan was made): a notebook whose key
    or files no longer match is run instead.
    """
    folder = out / job.key
    with _locked(out):
        published = _read_json(folder / BUILD_FILE) or {}
        ok = incremental.reusable(published, folder, decision.keys) & decision.reuse
        records = {}
        for rec in published.get("notebooks", []):
            if rec.get("notebook") in ok:
                for name in rec["files"].values():
                    shutil.copy2(folder / name, staging / name)  # a copy: a kept failed attempt is edited later
                records[rec["notebook"]] = {
                    **rec,
                    "reused": True,
                    "built": rec.get("built") or published.get("finished"),
                }
    return records


def build_report(
    job: ReportJob,
    out_dir: Path | str,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    timeout: float | None = DEFAULT_TIMEOUT,
    cwd: Path | str | None = None,
    command: Sequence[str] | None = None,
    on_notebook: Callable[[str, bool], None] | None = None,
    decision: incremental.Decision | None = None,
    warm: kernels.WarmKernel | None = None,
) -> ReportResult:
    """Run every notebook of ``job`` and publish the report atomically; record a failure otherwise.

    Parameters
    ----------
    job
        The parameter set (validate it first with :func:`validate_params`).
    out_dir
        The reports folder (checked with :func:`check_output_dir`).
    formats
        Any of ``html``, ``ipynb``, ``pdf``; a failed attempt always keeps its executed notebooks.
    timeout
        Seconds a single cell may run (None: no limit).
    cwd
        Working directory of the kernels (default: the notebooks' folder).
    command
        The command line, recorded in ``build.json``.
    on_notebook
        Called with a notebook's file name and False when it starts, True when it has run (progress bars).
    decision
        From :func:`shanxi_analysis.publish.incremental.decide`: every notebook's key, and those the last good build of
        the same parameters provides unchanged (copied, not run, after checking again under the lock).  None: run
        every notebook (keys are still recorded).
    warm
        Run the notebooks one after another in this kept kernel (:mod:`shanxi_analysis.publish.kernels`), each
        from a fresh namespace; None: a new kernel per notebook.

    Returns
    -------
    ReportResult
        ``status`` "ok" with ``folder`` the published report, or "failed" with ``folder`` the kept attempt
        and ``failures`` naming notebook, cell and error. The index is updated either way.
    """
    out = Path(out_dir).absolute()
    cwd = Path(cwd) if cwd else job.notebooks[0].parent
    timeout = check_timeout(timeout)  # never NaN or a fraction in the kernel client or in build.json
    started_at = _now()
    t0 = time.perf_counter()
    prov = provenance(command)
    staging = _new_staging(out)
    pool = _export_pool()
    pending: list[tuple[dict, Future]] = []
    records: list[dict] = []
    failures: list[Failure] = []
    if decision is None:
        decision = incremental.decide([job], out, formats, force=True)[0]
    try:
        reused = _copy_reused(out, job, decision, staging) if decision.reuse else {}
        for nb_path in job.notebooks:
            if nb_path.name in reused:
                records.append(reused[nb_path.name])
                if on_notebook:
                    on_notebook(nb_path.name, True)
                continue
            if on_notebook:
                on_notebook(nb_path.name, False)
            t = time.perf_counter()
            nb, failure = _run_notebook(job, nb_path, staging, cwd, timeout, warm)
            rec: dict[str, Any] = {
                "notebook": nb_path.name,
                "status": "ok" if failure is None else "failed",
                "seconds": round(time.perf_counter() - t, 2),
                "files": {"ipynb": nb_path.name},
                "key": decision.keys.get(nb_path.name),
                "reused": False,
            }
            if failure is not None:
                rec["error"] = asdict(failure)
                failures.append(failure)
            records.append(rec)
            if nb is not None and (failure is not None or "html" in formats or "pdf" in formats):
                nb.cells.insert(0, _nav_cell(job, nb_path.stem, _iso(started_at), prov))
                title = f"{nb_path.stem} — {job.title}"
                pdf = failure is None and "pdf" in formats
                pending.append((rec, pool.submit(_export, nb, staging, nb_path.stem, title, pdf)))
            if on_notebook:
                on_notebook(nb_path.name, True)
        for rec, fut in pending:
            try:
                rec["files"].update(fut.result())
            except Exception as exc:  # noqa: BLE001 - an export failure fails the report like a notebook
                if _disk_error(exc):
                    raise
                if rec["status"] == "ok":
                    failure = Failure(
                        rec["notebook"], None, None, type(exc).__name__, f"export failed: {exc}", "export"
                    )
                    rec["status"], rec["error"] = "failed", asdict(failure)
                    failures.append(failure)
        status = "ok" if not failures else "failed"
        if status == "ok":
            for log in staging.glob("kernel-*.log"):
                log.unlink()
            if "ipynb" not in formats:
                for rec in records:
                    if not rec.get("reused"):
                        (staging / rec["files"].pop("ipynb")).unlink(missing_ok=True)
        finished_at = _now()
        seconds = round(time.perf_counter() - t0, 2)
        build = {
            "kind": job.kind,
            "parameters": job.parameters,
            "slug": job.slug,
            "status": status,
            "started": _iso(started_at),
            "finished": _iso(finished_at),
            "seconds": seconds,
            "formats": list(formats),
            "timeout_per_cell": timeout,
            "notebooks": records,
            "failures": [f.describe() for f in failures],
            "provenance": prov,
            "keys": dict(decision.keys),
            "reused": sorted(reused),
            "ran": [r["notebook"] for r in records if not r.get("reused")],
        }
        (staging / BUILD_FILE).write_text(
            json.dumps(build, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8"
        )
        with _locked(out):
            if status == "ok":
                folder = out / job.key
                _publish(staging, folder)
            else:
                folder = _keep_failed(out, staging, job, started_at.strftime("%Y%m%dT%H%M%S"))
            write_index(out, locked=True)
        return ReportResult(job, status, _iso(started_at), _iso(finished_at), seconds, folder, records, failures)
    except BaseException:
        for _, fut in pending:
            fut.cancel()
        for _, fut in pending:
            if not fut.cancelled():
                # let a running export finish writing before the folder goes; the staging folder is discarded anyway
                with contextlib.suppress(FutureTimeout, Exception):
                    fut.result(timeout=10)
        shutil.rmtree(staging, ignore_errors=True)  # leftovers (pid gone) are removed by the next run
        raise


def _up_to_date(job: ReportJob, out: Path) -> ReportResult:
    now = _iso(_now())
    return ReportResult(job, UP_TO_DATE, now, now, 0.0, out / job.key)


def build_reports(
    jobs: Sequence[ReportJob],
    out_dir: Path | str,
    *,
    workers: int = 1,
    formats: Sequence[str] = DEFAULT_FORMATS,
    timeout: float | None = DEFAULT_TIMEOUT,
    cwd: Path | str | None = None,
    command: Sequence[str] | None = None,
    progress: bool = True,
    echo: Callable[[str], None] | None = None,
    force: bool = False,
    inputs: incremental.Inputs | None = None,
    fresh_kernels: bool = False,
    kernel_memory_mb: float = kernels.DEFAULT_MEMORY_LIMIT_MB,
    scheduler: str | None = None,
) -> list[ReportResult]:
    """Build every job, ``workers`` parameter sets at a time in separate processes, with progress bars.

    Incremental: :func:`shanxi_analysis.publish.incremental.decide` keys every notebook first; a set whose keys all
    match its last good build is reported :data:`UP_TO_DATE` and not run, and in the others only the notebooks whose key
    changed run (the rest are copied from the last good build).  ``force`` runs everything; ``inputs`` overrides
    the digests of data, code, requirements and template (tests).

    Warm kernels (default): each worker keeps one kernel and runs its notebooks one after another in it, each from
    a fresh namespace (:mod:`shanxi_analysis.publish.kernels`); ``fresh_kernels`` starts a kernel per notebook instead.

    Two back-ends run what was decided: the local pool (``workers`` processes, the default), or with ``scheduler``
    (``tcp://HOST:PORT``) an existing Dask cluster (:mod:`shanxi_analysis.publish.dask_backend`): workers return the
    executed notebooks and pages as bytes and this process publishes them.

    Validate first (:func:`validate_params`, :func:`check_output_dir`, :func:`check_formats`). Stale staging
    folders of dead runs are removed first; the index is rewritten after every report. A failing parameter set
    does not stop the others. ``KeyboardInterrupt`` (Ctrl-C, or SIGTERM in workers) removes unfinished staging
    folders and propagates.
    """
    from tqdm.auto import tqdm

    out = Path(out_dir).absolute()
    say = echo or (lambda s: tqdm.write(s, file=sys.stderr))
    for stale in clean_stale_staging(out):
        say(f"removed stale staging folder {stale} (left by an interrupted run)")
    results: list[ReportResult] = []
    overall = tqdm(
        total=len(jobs),
        desc="reports",
        unit="set",
        file=sys.stderr,
        disable=not progress,
        position=0,
        dynamic_ncols=True,
    )
    counts = {"done": 0, "skipped": 0, "failed": 0}
    overall.set_postfix(counts, refresh=False)

    def done(res: ReportResult) -> None:
        results.append(res)
        counts["skipped" if res.status == UP_TO_DATE else "done" if res.ok else "failed"] += 1
        overall.set_postfix(counts, refresh=False)
        overall.update(1)
        mark = "ok    " if res.status == "ok" else "up to date" if res.status == UP_TO_DATE else "FAILED"
        say(f"{mark} {res.job.label:<22} {res.seconds:6.1f} s  {res.folder}")

    decisions = incremental.decide(jobs, out, formats, force=force, inputs=inputs)
    todo = []
    for job, decision in zip(jobs, decisions, strict=True):
        if decision.up_to_date:
            done(_up_to_date(job, out))
        else:
            todo.append((job, decision))
    warm_mb = None if fresh_kernels else kernel_memory_mb
    warm = None if fresh_kernels or scheduler else kernels.WarmKernel(memory_limit_mb=kernel_memory_mb)
    try:
        if scheduler and todo:
            from . import dask_backend

            dask_backend.run(todo, out, scheduler, formats, check_timeout(timeout), command, done, warm_mb)
        elif workers <= 1 or len(todo) <= 1:
            for job, decision in todo:
                bar = tqdm(
                    total=len(job.notebooks),
                    desc=job.label,
                    unit="notebook",
                    file=sys.stderr,
                    disable=not progress,
                    position=1,
                    leave=False,
                    dynamic_ncols=True,
                )

                def on_notebook(name: str, ran: bool, bar: Any = bar) -> None:
                    if ran:
                        bar.update(1)
                    else:
                        bar.set_postfix_str(name)

                try:
                    res = build_report(
                        job,
                        out,
                        formats=formats,
                        timeout=timeout,
                        cwd=cwd,
                        command=command,
                        on_notebook=on_notebook,
                        decision=decision,
                        warm=warm,
                    )
                finally:
                    bar.close()
                done(res)
        else:
            _run_parallel(todo, out, workers, formats, timeout, cwd, command, done, warm_mb)
    finally:
        overall.close()
        if warm is not None:
            warm.close()
    order = {id(j): i for i, j in enumerate(jobs)}
    results.sort(key=lambda r: order.get(id(r.job), 0))
    return results


def summary(results: Sequence[ReportResult], out_dir: Path | str) -> str:
    """The end-of-run text: built N, failed M with notebook, cell and error, and where the index is."""
    ok = [r for r in results if r.status == "ok"]
    fresh = [r for r in results if r.status == UP_TO_DATE]
    bad = [r for r in results if not r.ok]
    lines = [
        f"Built {len(ok)} report set(s), {len(bad)} failed."
        + (f" {len(fresh)} up to date (not run; --force rebuilds them)." if fresh else "")
    ]
    for r in bad:
        lines.append(f"FAILED {r.job.label}:")
        lines += [f"  {f.describe()}" for f in r.failures]
        lines.append(f"  executed notebooks kept in {r.folder}; the last good report (if any) is untouched.")
    lines.append(f"Index: {Path(out_dir).absolute() / INDEX_FILE}")
    return "\n".join(lines)
