"""Building one report set, in each of its languages: every notebook of its
:class:`~shanxi_analysis.publish.planning.ReportJob` (one per language) executed (:mod:`.execute`; the computations
once, the words and charts per language), exported (:mod:`.export`) and published atomically (:mod:`.staging`),
with its ``build.json`` and the index updated (:mod:`.index`), and how it was made (:func:`provenance`: versions,
data checksums, command).  The back-ends of :mod:`.reports` (this process, the local pool, a Dask worker) all build
a set with :func:`build_set`."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import hashlib
import json
import platform
import shutil
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import asdict
from importlib import metadata
from pathlib import Path
from typing import Any

from .. import config
from ..handoff import read_glued
from . import incremental, kernels
from .execute import is_disk_error, run_notebook
from .export import (
    DATAPACKAGE_FILE,
    colophon,
    datapackage,
    export_notebook,
    export_thread,
    nav_cell,
    page_name,
    settle_exports,
)
from .index import read_json, write_index
from .kernels import CONTINUED_KEY
from .planning import (
    BUILD_FILE,
    DEFAULT_FORMATS,
    DEFAULT_TIMEOUT,
    LIBRARIES,
    Failure,
    ReportJob,
    ReportResult,
    check_timeout,
)
from .staging import keep_failed, lock, new_staging, swap_in


def _version(dist: str) -> str:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "not installed"


def provenance(command: Sequence[str] | None = None) -> dict[str, Any]:
    """How a report set is made: package and library versions, data manifest checksums, command line."""
    from .. import data

    manifest = config.manifest_path()
    try:
        manifest_sha = hashlib.sha256(manifest.read_bytes()).hexdigest()
    except OSError:
        manifest_sha = "missing"
    return {
        "package": "shanxi-analysis",
        "version": config.VERSION,
        "python": platform.python_version(),
        "platform": platform.platform(terse=True),
        "libraries": {lib: _version(lib) for lib in LIBRARIES},
        "data_manifest": {
            "path": str(manifest),
            "sha256": manifest_sha,
            "resources": {name: r.sha256 for name, r in sorted(data.manifest().items())},
        },
        "command": list(command) if command is not None else None,
    }


def utc_now() -> dt.datetime:
    """The current time, in UTC (recorded in ``build.json``)."""
    return dt.datetime.now(dt.timezone.utc)


def iso(t: dt.datetime) -> str:
    """``t`` as ISO 8601 to the second, as ``build.json`` and the index show it."""
    return t.isoformat(timespec="seconds")


def _copy_reused(out: Path, job: ReportJob, decision: incremental.Decision, staging: Path) -> dict[str, dict]:
    """Copy the notebooks ``decision`` reuses from the published report into ``staging``; their records.

    Checked again under the lock (another run may have published since the plan was made): a notebook whose key
    or files no longer match is run instead.
    """
    folder = out / job.key
    with lock(out):
        published = read_json(folder / BUILD_FILE) or {}
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


class _Attempt:
    """One report set (one job, one language) while it is built: its staging folder, the records of its notebooks
    and the pages sent to the export thread; :meth:`finish` publishes it (or keeps it as failed)."""

    def __init__(
        self,
        job: ReportJob,
        out: Path,
        decision: incremental.Decision,
        staging: Path,
        pool: Any,
        started_at: dt.datetime,
        prov: dict[str, Any],
        formats: Sequence[str],
    ) -> None:
        self.job, self.out, self.decision, self.staging, self.pool = job, out, decision, staging, pool
        self.started_at, self.prov, self.formats = started_at, prov, formats
        self.footer = colophon(job, iso(started_at), prov)  # the same at the end of every page of the set
        self.pending: list[tuple[dict, Future]] = []
        self.exported: list[tuple[dict, Any]] = []  # (record, executed notebook) of every page sent for export
        self.unpublished: set[str] = set()  # pages a notebook marked with a glued page_publish=False
        self.records: list[dict] = []
        self.failures: list[Failure] = []
        self.seconds = 0.0  # spent on this set alone (its notebooks, its export and publishing)
        self.reused = _copy_reused(out, job, decision, staging) if decision.reuse else {}

    def submit(self, rec: dict, nb: Any) -> Future:
        """Send a page to the export thread, its navigation cell listing the pages published so far (an unpublished
        page marked later makes :meth:`ran` export the pages that link to it again)."""
        job = self.job
        stem = Path(rec["notebook"]).stem
        stems = [p.stem for p in job.notebooks if p.stem not in self.unpublished]
        page = copy.copy(nb)
        page.cells = [nav_cell(job, stem, stems=stems), *nb.cells]
        nb.metadata["shanxi_nav"] = stems
        pdf = rec["status"] == "ok" and "pdf" in self.formats
        title = f"{page_name(stem, job.lang)} — {job.title}"  # the reader's name of the page, in its language
        return self.pool.submit(export_notebook, page, self.staging, stem, title, pdf, job.lang, self.footer)

    def ran(self, nb_path: Path, nb: Any, failure: Failure | None, seconds: float, shared: dict | None) -> dict:
        """Record a notebook that ran and send its page for export; ``shared`` is the record of the same notebook in
        the language whose computations it continued from (None if it ran in full)."""
        self.seconds += seconds
        rec: dict[str, Any] = {
            "notebook": nb_path.name,
            "status": "ok" if failure is None else "failed",
            "seconds": round(seconds, 2),
            "files": {"ipynb": nb_path.name},
            "key": self.decision.keys.get(nb_path.name),
            "key_parts": self.decision.parts.get(nb_path.name),
            "reused": False,
        }
        if shared is not None:
            rec["computed_with"] = shared["language"]  # its language-free cells ran in that language's run
        if failure is not None:
            rec["error"] = asdict(failure)
            self.failures.append(failure)
        glued = read_glued(nb) if nb is not None else {}
        rec["glue"] = glued
        if nb is not None and failure is None:
            # what it read (incremental): with what its skipped cells read in the run it continued
            rec.update(incremental.merged_inputs(shared, nb.metadata))
        self.records.append(rec)
        staging, formats = self.staging, self.formats
        if failure is None and glued.get("page_publish") is False:
            # the notebook says its page has nothing new for these parameters: not published, reason recorded
            rec["published"] = False
            rec["reason"] = str(glued.get("page_reason") or "nothing new for these parameters")
            (staging / rec["files"].pop("ipynb")).unlink(missing_ok=True)
            self.unpublished.add(nb_path.stem)
            stale = [(r, n) for r, n in self.exported if nb_path.stem in n.metadata.get("shanxi_nav", [])]
            for r, n in stale:  # pages already exported link to this one: export them again without it
                self.pending.append((r, self.submit(r, n)))
        elif nb is not None and (failure is not None or "html" in formats or "pdf" in formats):
            self.exported.append((rec, nb))
            self.pending.append((rec, self.submit(rec, nb)))
        return rec

    def finish(self, timeout: float | None, index: bool = True) -> ReportResult:
        """Wait for the exports, write ``build.json`` and publish (or keep the failed attempt); with ``index``, the
        index is rewritten under the same lock."""
        t0 = time.perf_counter()
        job, staging, formats, records, failures = self.job, self.staging, self.formats, self.records, self.failures
        for rec, fut in self.pending:
            try:
                files = dict(fut.result())
                rec["figures"] = files.pop("figures", [])
                rec["files"].update(files)
            except Exception as exc:  # noqa: BLE001 - an export failure fails the report like a notebook
                if is_disk_error(exc):
                    raise
                if rec["status"] == "ok":
                    failure = Failure(
                        rec["notebook"], None, None, type(exc).__name__, f"export failed: {exc}", "export"
                    )
                    rec["status"], rec["error"] = "failed", asdict(failure)
                    failures.append(failure)
        status = "ok" if not failures else "failed"
        if status == "ok" and ("html" in formats or "pdf" in formats):
            (staging / DATAPACKAGE_FILE).write_text(
                json.dumps(datapackage(job, records), indent=2, ensure_ascii=False, allow_nan=False) + "\n",
                encoding="utf-8",
            )
        if status == "ok":
            for log in staging.glob("kernel-*.log"):
                log.unlink()
            if "ipynb" not in formats:
                for rec in records:
                    if not rec.get("reused") and "ipynb" in rec["files"]:
                        (staging / rec["files"].pop("ipynb")).unlink(missing_ok=True)
        finished_at = utc_now()
        seconds = round(self.seconds + time.perf_counter() - t0, 2)
        build = {
            "kind": job.kind,
            "parameters": job.parameters,
            "slug": job.slug,
            "status": status,
            "started": iso(self.started_at),
            "finished": iso(finished_at),
            "seconds": seconds,
            "formats": list(formats),
            "timeout_per_cell": timeout,
            "notebooks": records,
            "failures": [f.describe() for f in failures],
            "provenance": self.prov,
            "keys": dict(self.decision.keys),
            "reused": sorted(self.reused),
            "ran": [r["notebook"] for r in records if not r.get("reused")],
        }
        (staging / BUILD_FILE).write_text(
            json.dumps(build, indent=2, ensure_ascii=False, allow_nan=False) + "\n", encoding="utf-8"
        )
        with lock(self.out):
            if status == "ok":
                folder = self.out / job.key
                swap_in(staging, folder)
            else:
                folder = keep_failed(self.out, staging, job, self.started_at.strftime("%Y%m%dT%H%M%S"))
            if index:
                write_index(self.out, locked=True)
        return ReportResult(job, status, iso(self.started_at), iso(finished_at), seconds, folder, records, failures)

    def discard(self) -> None:
        """After an interrupt: cancel the exports (a running one may finish writing), remove the staging folder."""
        for _, fut in self.pending:
            fut.cancel()
        for _, fut in self.pending:
            if not fut.cancelled():
                # let a running export finish writing before the folder goes; the staging folder is discarded anyway
                with contextlib.suppress(FutureTimeout, Exception):
                    fut.result(timeout=10)
        shutil.rmtree(self.staging, ignore_errors=True)  # leftovers (pid gone) are removed by the next run


#: After an interrupt, how long the builder waits for its export thread to finish what it is doing
#: (:func:`~.export.settle_exports`) before it lets the interrupt end the process.
EXPORT_SETTLE_SECONDS = 5.0


def same_set(jobs: Sequence[ReportJob]) -> list[list[int]]:
    """Positions of ``jobs`` grouped by report set: the jobs of one kind, province, year and notebooks that differ
    only in language, in their order; each group is built together by :func:`build_set`."""
    groups: dict[tuple, list[int]] = {}
    for i, job in enumerate(jobs):
        groups.setdefault((job.kind, job.province, job.year, tuple(p.name for p in job.notebooks)), []).append(i)
    return list(groups.values())


def _reused(attempt: _Attempt, i: int) -> bool:
    """Whether the ``i``-th notebook of ``attempt``'s set is reused from its last good build (not run)."""
    return attempt.job.notebooks[i].name in attempt.reused


def build_set(
    jobs: Sequence[ReportJob],
    out_dir: Path | str,
    *,
    formats: Sequence[str] = DEFAULT_FORMATS,
    timeout: float | None = DEFAULT_TIMEOUT,
    cwd: Path | str | None = None,
    command: Sequence[str] | None = None,
    on_notebook: Callable[[str, bool], None] | None = None,
    decisions: Sequence[incremental.Decision] | None = None,
    warm: kernels.WarmKernel | None = None,
    index: bool = True,
) -> list[ReportResult]:
    """Run every notebook of one report set in each of its languages and publish each language atomically; record a
    failure otherwise.

    ``jobs`` are the set's jobs, one per language (one job: one language), with the same notebooks
    (:func:`same_set`).  Notebook by notebook, the first language runs it in full and each other language then runs
    it in the same warm kernel with its variables kept and its cells tagged
    :data:`~shanxi_analysis.publish.planning.LANGUAGE_FREE_TAG` skipped: one execution of the computations, words
    and charts per language.  A language whose notebook is reused from its last good build, or that follows a
    failed run, runs it in full; so does every language without a warm kernel.

    Parameters
    ----------
    jobs
        The parameter sets (validate them first with :func:`~.planning.validate_params`).
    out_dir
        The reports folder (checked with :func:`~.planning.check_output_dir`).
    formats
        Any of ``html``, ``ipynb``, ``pdf``; a failed attempt always keeps its executed notebooks.
    timeout
        Seconds a single cell may run (None: no limit).
    cwd
        Working directory of the kernels (default: the notebooks' folder).
    command
        The command line, recorded in ``build.json``.
    on_notebook
        Called with a notebook's file name and False when it starts, True when it has run (progress bars), once
        per language.
    decisions
        From :func:`shanxi_analysis.publish.incremental.decide`, one per job: every notebook's key, and those the
        last good build of the same parameters provides unchanged (copied, not run, after checking again under the
        lock).  None: run every notebook (keys are still recorded).
    warm
        Run the notebooks one after another in this kept kernel (:mod:`shanxi_analysis.publish.kernels`), each
        from a fresh namespace; None: a new kernel per notebook (and per language).
    index
        Rewrite the index as each language is published (the default); False leaves it to the caller
        (:func:`~shanxi_analysis.publish.reports.build_reports` rewrites it with an
        :class:`~shanxi_analysis.publish.index.IndexWriter`).

    Returns
    -------
    list of ReportResult
        One per job, in order: ``status`` "ok" with ``folder`` the published report, or "failed" with ``folder``
        the kept attempt and ``failures`` naming notebook, cell and error. With ``index``, the index is updated
        either way.

    Raises
    ------
    ValueError
        When ``jobs`` are not one set (:func:`same_set`) or ``decisions`` does not give one per job.
    """
    if not jobs or len(same_set(jobs)) != 1:
        raise ValueError(
            f"build_set builds one report set in its languages; got {len(jobs)} job(s) of "
            f"{len(same_set(jobs))} sets: group them with same_set() first"
        )
    out = Path(out_dir).absolute()
    cwd = Path(cwd) if cwd else jobs[0].notebooks[0].parent
    timeout = check_timeout(timeout)  # never NaN or a fraction in the kernel client or in build.json
    if decisions is None:
        decisions = incremental.decide(jobs, out, formats, force=True)
    if len(decisions) != len(jobs):
        raise ValueError(f"build_set: {len(decisions)} decision(s) for {len(jobs)} job(s); give one per job")
    started_at = utc_now()
    prov = provenance(command)
    pool = export_thread()
    attempts: list[_Attempt] = []
    try:
        for job, decision in zip(jobs, decisions, strict=True):
            staging = new_staging(out)
            try:
                attempts.append(_Attempt(job, out, decision, staging, pool, started_at, prov, formats))
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
        for i in range(len(jobs[0].notebooks)):
            shared: dict | None = None  # the record of this notebook in the language that just ran it in `warm`
            for k, attempt in enumerate(attempts):
                nb_path = attempt.job.notebooks[i]
                if _reused(attempt, i):
                    attempt.records.append(attempt.reused[nb_path.name])
                    if on_notebook:
                        on_notebook(nb_path.name, True)
                    shared = None
                    continue
                if on_notebook:
                    on_notebook(nb_path.name, False)
                t = time.perf_counter()
                nb, failure = run_notebook(
                    attempt.job, nb_path, attempt.staging, cwd, timeout, warm, continued=shared is not None
                )
                seconds = time.perf_counter() - t
                # the next language continues from this run's variables; another notebook of the set starts afresh,
                # so the kernel resets while this notebook is saved and the next one read (not after the set's last
                # run: the next set may run in another folder, and this one may be gone by then)
                continues = failure is None and k + 1 < len(attempts) and not _reused(attempts[k + 1], i)
                last = i == len(jobs[0].notebooks) - 1 and k == len(attempts) - 1
                if warm is not None and not continues and not last:
                    warm.reset_ahead(cwd)
                continued = nb is not None and bool(nb.metadata.get(CONTINUED_KEY))
                rec = attempt.ran(nb_path, nb, failure, seconds, shared if continued else None)
                shared = {**rec, "language": attempt.job.lang} if warm is not None and failure is None else None
                if on_notebook:
                    on_notebook(nb_path.name, True)
        return [attempt.finish(timeout, index) for attempt in attempts]
    except BaseException:
        for attempt in attempts:
            attempt.discard()
        settle_exports(EXPORT_SETTLE_SECONDS)  # (within the CLI's 20 s watchdog)
        raise
