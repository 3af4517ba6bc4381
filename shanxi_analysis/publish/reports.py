"""How reports get built, many report sets at once: every notebook, for each (province, year), executed and
published as HTML with an index, in this process, on a local worker pool or on a Dask cluster.

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

The steps live in sibling modules: :mod:`.planning` (what to build, checked), :mod:`.incremental` (what needs to run),
:mod:`.build` (one set in its languages: :func:`~.build.build_set`), :mod:`.execute` and :mod:`.engine` (papermill),
:mod:`.kernels` (warm kernels), :mod:`.export` (nbconvert, navigation, PDF), :mod:`.staging` (staging, atomic swap,
locking), :mod:`.index` (the index page) and :mod:`.provenance`; this module decides what runs and hands it to a
back-end: this process, :mod:`.pool` or :mod:`.dask_backend` (:func:`build_reports`).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import incremental, kernels
from .build import build_set, iso, same_set, utc_now
from .index import IndexWriter
from .planning import DEFAULT_FORMATS, DEFAULT_TIMEOUT, INDEX_FILE, UP_TO_DATE, ReportJob, ReportResult, check_timeout
from .pool import run_parallel
from .staging import clean_stale_staging


def _up_to_date(job: ReportJob, out: Path) -> ReportResult:
    now = iso(utc_now())
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
    explain: bool = False,
    inputs: incremental.Inputs | None = None,
    fresh_kernels: bool = False,
    kernel_memory_mb: float = kernels.DEFAULT_MEMORY_LIMIT_MB,
    scheduler: str | None = None,
    warm: kernels.WarmKernel | None = None,
) -> list[ReportResult]:
    """Build every job, ``workers`` parameter sets at a time in separate processes, with progress bars.

    Incremental: :func:`shanxi_analysis.publish.incremental.decide` keys every notebook first; a set whose keys all
    match its last good build is reported :data:`UP_TO_DATE` and not run, and in the others only the notebooks whose key
    changed, or whose recorded raw files changed, run (the rest are copied from the last good build).  ``force``
    runs everything; ``explain`` says for each set, before anything runs, why it is skipped or which notebooks run
    and why (:func:`~shanxi_analysis.publish.incremental.explanation`); ``inputs`` overrides the digests of code,
    requirements and template (tests).

    Warm kernels (default): each worker keeps one kernel and runs its notebooks one after another in it, each from
    a fresh namespace (:mod:`shanxi_analysis.publish.kernels`); ``fresh_kernels`` starts a kernel per notebook instead.
    ``warm``: a warm kernel already launched (:meth:`~.kernels.WarmKernel.launch`: the ``report`` command starts it
    before it checks its options and the data), used for the sets built in this process; shut down at
    the end, or as soon as the sets go to the pool or a cluster instead.

    Two back-ends run what was decided: the local pool (``workers`` processes, the default), or with ``scheduler``
    (``tcp://HOST:PORT``) an existing Dask cluster (:mod:`shanxi_analysis.publish.dask_backend`): workers return the
    executed notebooks and pages as bytes and this process publishes them.

    Validate first (:func:`~.planning.request`, or :func:`~.planning.validate_params`,
    :func:`~.planning.check_output_dir` and :func:`~.planning.check_formats`). Stale staging folders of dead runs
    are removed first. The index is rewritten after the first set published, then at most every 30 s (or ten times
    what a rewrite took, on a large folder) and once more at the end, also after Ctrl-C or a failure
    (:class:`~shanxi_analysis.publish.index.IndexWriter`). A failing parameter set does not stop the others.
    ``KeyboardInterrupt`` (Ctrl-C, or SIGTERM in workers) removes unfinished staging folders and propagates.
    """
    from tqdm.auto import tqdm

    out = Path(out_dir).absolute()
    timeout = check_timeout(timeout)  # called from Python too: never NaN or a fraction in a kernel client
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
    index = IndexWriter(out)

    def done(res: ReportResult) -> None:
        results.append(res)
        if res.status != UP_TO_DATE:
            index.published()
        counts["skipped" if res.status == UP_TO_DATE else "done" if res.ok else "failed"] += 1
        overall.set_postfix(counts, refresh=False)
        overall.update(1)
        mark = "ok    " if res.status == "ok" else "up to date" if res.status == UP_TO_DATE else "FAILED"
        say(f"{mark} {res.job.label:<22} {res.seconds:6.1f} s  {res.folder}")

    decisions = incremental.decide(jobs, out, formats, force=force, inputs=inputs)
    if explain:
        for job, decision in zip(jobs, decisions, strict=True):
            say(incremental.explanation(job.label, decision))
    todo = []
    for job, decision in zip(jobs, decisions, strict=True):
        if decision.up_to_date:
            done(_up_to_date(job, out))
        else:
            todo.append((job, decision))
    # a set in several languages is built as one unit: its computations run once (build_set)
    sets = [[todo[i] for i in group] for group in same_set([job for job, _ in todo])]
    warm_mb = None if fresh_kernels else kernel_memory_mb
    warm_here = not (fresh_kernels or scheduler) and (workers <= 1 or len(sets) <= 1)  # a warm kernel in this process
    if warm is not None and not warm_here:
        warm.close()  # launched for nothing: the sets go to the pool, a cluster or a kernel per notebook
    warm = (warm or kernels.WarmKernel(memory_limit_mb=kernel_memory_mb)) if warm_here else None
    try:
        if scheduler and sets:
            from . import dask_backend

            dask_backend.run(sets, out, scheduler, formats, timeout, command, done, warm_mb)
        elif workers <= 1 or len(sets) <= 1:
            for group in sets:
                bar = tqdm(
                    total=sum(len(job.notebooks) for job, _ in group),
                    desc=group[0][0].set_label,
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
                    res = build_set(
                        [job for job, _ in group],
                        out,
                        formats=formats,
                        timeout=timeout,
                        cwd=cwd,
                        command=command,
                        on_notebook=on_notebook,
                        decisions=[decision for _, decision in group],
                        warm=warm,
                        index=False,
                    )
                finally:
                    bar.close()
                for r in res:
                    done(r)
        else:
            run_parallel(sets, out, workers, formats, timeout, cwd, command, done, warm_mb)
    finally:
        overall.close()
        if warm is not None:
            warm.close()
        index.flush()  # every set published so far, also after Ctrl-C or a failure
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
