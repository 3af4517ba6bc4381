"""The local worker pool: report sets (each in its languages) built in parallel processes (spawned), each worker with
its own warm kernel;
SIGTERM in a worker is handled like Ctrl-C (staging removed, nothing published), and an interrupted pool removes
what its workers left behind.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import ShanxiAnalysisError
from . import incremental, kernels, staging
from .build import build_set
from .planning import STAGING_DIR, ReportJob, ReportResult

# Exit code of a pool worker whose initializer failed (it printed why on stderr).
WORKER_START_FAILED = 3


class WorkerStartError(ShanxiAnalysisError):
    """A pool worker process stopped before it could build anything (e.g. an import error when it started)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: staging removed, nothing published (raised by the command's and the pool
    workers' SIGTERM handlers; ``args[0]`` is the signal number, so the exit code can be 128 + it)."""


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated(signum)


def quiet_library_warnings() -> None:
    """Silence library chatter that is not about the reports (call from the command line, not from a library).

    nbconvert warns for every output it has no HTML form for (e.g. ``application/json`` next to a text form),
    and papermill logs what the builder already reports as a failure with notebook and cell.
    """
    import logging
    import warnings

    warnings.filterwarnings("ignore", message="Your element with mimetype", category=UserWarning)
    logging.getLogger("papermill").setLevel(logging.CRITICAL)


def _worker_init(parent: int | None = None) -> None:
    import signal

    if parent is not None:
        staging.watch_parent(parent)  # the worker dies with the command, and never publishes after it
    signal.signal(signal.SIGTERM, _raise_terminated)
    kernels.skip_iri_grammar()  # a spawned worker imports papermill afresh
    quiet_library_warnings()


def _worker_start(parent: int | None = None) -> None:
    """The pool's initializer: :func:`_worker_init`, and if that fails, one line on stderr and a distinct exit code
    (the pool would otherwise log a traceback and go on with the remaining workers)."""
    import os
    import sys

    try:
        _worker_init(parent)
    except BaseException as exc:  # noqa: BLE001 - whatever stops the worker from starting, said in one line
        print(
            f"shanxi-analysis: a report worker (pid {os.getpid()}) failed to start: {type(exc).__name__}: {exc}",
            file=sys.stderr,
            flush=True,
        )
        os._exit(WORKER_START_FAILED)  # nothing started yet: no kernel, no staging folder


def _check_workers(pool: Any) -> None:
    """Raise :class:`WorkerStartError` if a worker of ``pool`` has exited while reports are still being built."""
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        if proc.exitcode is not None:
            why = (
                "failed to start (its error is above)"
                if proc.exitcode == WORKER_START_FAILED
                else f"stopped unexpectedly (exit code {proc.exitcode})"
            )
            raise WorkerStartError(
                f"a report worker process (pid {proc.pid}) {why}; the other workers and their kernels were stopped "
                f"and unfinished reports discarded. Fix the cause, or run with --workers 1, then run again."
            )


def _worker_build(
    group: Sequence[tuple[ReportJob, incremental.Decision]],
    out_dir: Path,
    formats: Sequence[str],
    timeout: float | None,
    cwd: Path | None,
    command: Sequence[str] | None,
    warm_mb: float | None = None,
) -> list[ReportResult]:
    """In a pool worker: build one set in its languages (``group``: its jobs and their decisions); ``warm_mb`` set
    means this process's warm kernel, with that memory limit.

    A worker stopped by SIGTERM or SIGINT, or whose command is gone, exits once the build has cleaned up: the
    executor catches every exception of a job and would otherwise hand the worker the next queued set to build and
    publish after the pool was told to stop.
    """
    import os
    import signal

    warm = kernels.process_kernel(warm_mb) if warm_mb else None
    try:
        return build_set(
            [job for job, _ in group],
            out_dir,
            formats=formats,
            timeout=timeout,
            cwd=cwd,
            command=command,
            decisions=[decision for _, decision in group],
            warm=warm,
            index=False,  # the parent rewrites it (reports.build_reports)
        )
    except KeyboardInterrupt as exc:  # Ctrl-C, Terminated (SIGTERM) and staging.ParentGone alike
        if warm is not None:
            warm.close()  # os._exit skips the exit hooks that would shut the kernel down
        os._exit(128 + (int(exc.args[0]) if isinstance(exc, Terminated) and exc.args else signal.SIGINT))


def run_parallel(
    sets: Sequence[Sequence[tuple[ReportJob, incremental.Decision]]],
    out: Path,
    workers: int,
    formats: Sequence[str],
    timeout: float | None,
    cwd: Path | str | None,
    command: Sequence[str] | None,
    done: Callable[[ReportResult], None],
    warm_mb: float | None = None,
) -> None:
    """Build every set of ``sets`` (its (job, decision) in each language: :func:`~.build.same_set`) on ``workers``
    spawned processes, each with its own warm kernel (``warm_mb`` its memory limit; None: a kernel per notebook);
    ``done`` is called with each result here.

    Interrupted (Ctrl-C, SIGTERM, a worker that died), it stops the workers and their kernels, removes their
    staging folders and re-raises.
    """
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    ctx = mp.get_context("spawn")
    import os

    pool = ProcessPoolExecutor(
        max_workers=min(workers, len(sets)), mp_context=ctx, initializer=_worker_start, initargs=(os.getpid(),)
    )
    by_future = {}
    try:
        for group in sets:
            by_future[
                pool.submit(
                    _worker_build,
                    list(group),
                    out,
                    tuple(formats),
                    timeout,
                    Path(cwd) if cwd else None,
                    command,
                    warm_mb,
                )
            ] = [job for job, _ in group]
        waiting = set(by_future)
        while waiting:
            finished, waiting = wait(waiting, timeout=0.5, return_when=FIRST_COMPLETED)
            if not finished:
                _check_workers(pool)
            for fut in finished:
                try:
                    res = fut.result()
                except BrokenProcessPool as exc:
                    _check_workers(pool)
                    raise WorkerStartError(
                        "a report worker process stopped unexpectedly; the other workers and their kernels were "
                        "stopped and unfinished reports discarded. Run again, or with --workers 1."
                    ) from exc
                for r, job in zip(res, by_future[fut], strict=True):
                    done(_restore_job(r, job))
    except BaseException:
        for fut in by_future:
            fut.cancel()
        procs = list(getattr(pool, "_processes", {}).values())
        family = {pid: _started(pid) for proc in procs if proc.pid for pid in descendants(proc.pid)}  # kernels
        for proc in procs:
            if proc.is_alive():
                proc.terminate()  # SIGTERM: the worker removes its staging folder and shuts its kernel down
        pool.shutdown(wait=True, cancel_futures=True)
        for proc in procs:  # a worker stopped before it could (e.g. inside a kernel client's own signal handler)
            proc.join(timeout=10)
            if proc.is_alive():  # stuck in its clean-up: it must not outlive the command
                proc.kill()
                proc.join(timeout=5)
            for folder in (out / STAGING_DIR).glob(f"{proc.pid}-*"):
                shutil.rmtree(folder, ignore_errors=True)
        _kill_left(family)  # a kernel whose worker was stopped before it could shut it down
        raise
    pool.shutdown(wait=True)


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (Linux ``/proc``; an empty set where there is none).

    A walk of ``/proc`` rather than psutil, which the package does not depend on."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            children.setdefault(int(stat.read_text().rsplit(")", 1)[1].split()[1]), []).append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    out, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def _started(pid: int) -> str | None:
    """The start time of process ``pid`` (field 22 of ``/proc/PID/stat``), which tells a reused pid apart."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def _kill_left(pids: dict[int, str | None], wait: float = 5.0) -> None:
    """SIGKILL whichever of ``pids`` (pid -> start time) still runs, and wait up to ``wait`` seconds until none does."""
    import os
    import signal
    import time

    def running(pid: int) -> bool:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return False
        return len(fields) > 19 and fields[0] != "Z" and fields[19] == pids[pid]

    for pid in pids:
        if running(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    end = time.monotonic() + wait
    while any(running(pid) for pid in pids) and time.monotonic() < end:
        time.sleep(0.05)


def _restore_job(res: ReportResult, job: ReportJob) -> ReportResult:
    res.job = job  # keep identity with the caller's plan after pickling
    return res
