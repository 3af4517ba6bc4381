"""How a report notebook runs: the papermill engine ``shanxi-analysis``.

papermill runs a notebook through a named engine (``papermill.execute_notebook(..., engine_name=...)``) and lets
a project plug its own in with ``papermill_engines.register`` (as cal-itp's portfolio does).  This engine is
papermill's own nbclient engine with the project's kernels:

* with ``warm_kernel`` (a :class:`~shanxi_analysis.publish.kernels.WarmKernel`), the notebook runs in that kept
  kernel, reset to a fresh namespace in the working folder papermill changed to; afterwards the kernel is replaced
  (before the next notebook) if the notebook failed, the kernel died or it grew past its memory limit, and on
  failure its log is copied to ``kernel_log``;
* without, in a kernel of its own started with the inline matplotlib backend and its output in ``kernel_log``
  (:func:`~shanxi_analysis.publish.kernels.kernel_manager_class`);
* with ``continued`` (and a warm kernel), the notebook that just ran in that kernel runs again, in another
  language (:meth:`~shanxi_analysis.publish.kernels.WarmKernel.resume`): its variables are kept and its cells tagged
  :data:`~shanxi_analysis.publish.planning.LANGUAGE_FREE_TAG` are skipped (nbclient's ``skip_cells_with_tag``), so
  its computations are not run twice; the executed notebook is marked (:data:`CONTINUED_KEY`).  If the kernel is no
  longer there (the first run failed, or it was replaced), or the notebook has no such cell, it runs in full from a
  fresh namespace as usual;
* either way the executed notebook is written once, not before and after every cell as papermill's own manager
  does (two of the sixteen seconds of a report set): by papermill when the engine returns, and by
  :class:`SaveAtEnd` when the run stops short (a dead kernel, a timeout, an interruption);
* a last cell, added for the run and removed before the notebook is written, asks the kernel which raw data files
  the notebook read, with their manifest keys, and the keys of the parts of datasets its metadata declares it
  reads (:func:`~shanxi_analysis.publish.incremental.session_inputs`), and clears that record; the answer is kept
  in the notebook's metadata (:data:`~shanxi_analysis.publish.incremental.INPUTS_KEY`,
  :data:`~shanxi_analysis.publish.incremental.VIEWS_KEY`), for the next build's decision
  (:mod:`~shanxi_analysis.publish.incremental`). A notebook that never imported ``shanxi_analysis.data`` read none.

Importing this module imports papermill and registers the engine; :func:`~shanxi_analysis.publish.execute.run_notebook`
imports it when the first notebook runs.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
from papermill.log import logger as papermill_logger
from papermill.utils import merge_kwargs, remove_args

from .incremental import INPUTS_KEY, VIEWS_KEY
from .kernels import CONTINUED_KEY, INPUTS_TAG, WarmKernel, kernel_manager_class, needs_libraries
from .planning import LANGUAGE_FREE_TAG

ENGINE_NAME = "shanxi-analysis"
#: The MIME type of the last cell's answer.
INPUTS_MIME = "application/x.shanxi-analysis.inputs+json"


def _inputs_cell(nb: Any) -> Any:
    """The last cell for ``nb``: asks :func:`~shanxi_analysis.publish.incremental.session_inputs` with the parts of
    datasets its metadata declares it reads and its parameters; imports nothing the notebook did not (a kernel
    without pandas stays without it)."""
    from nbformat.v4 import new_code_cell

    reads = dict((nb.metadata.get("shanxi_analysis") or {}).get("reads") or {})
    reads = {str(k): [str(p) for p in v] for k, v in reads.items()}
    params = dict((nb.metadata.get("papermill") or {}).get("parameters") or {})
    args = f"{reads!r}, {params.get('province')!r}, {params.get('year')!r}"
    code = f"""import sys as _sa_sys
_sa_raw = _sa_sys.modules.get("shanxi_analysis.data.raw")
if _sa_raw is not None:
    from IPython.display import display as _sa_display
    from shanxi_analysis.publish.incremental import session_inputs as _sa_inputs
    _sa_display({{{INPUTS_MIME!r}: _sa_inputs({args})}}, raw=True)
    _sa_raw.forget_session_reads()
    del _sa_display, _sa_inputs
del _sa_sys, _sa_raw"""
    return new_code_cell(code, metadata={"tags": [INPUTS_TAG]})


def _take_inputs(nb: Any) -> dict[str, Any] | None:
    """Remove the last cell added by :func:`_inputs_cell` and return its answer, ``{INPUTS_KEY: raw files,
    VIEWS_KEY: parts and watched files}`` (None if it did not run)."""
    if not nb.cells or INPUTS_TAG not in nb.cells[-1].get("metadata", {}).get("tags", []):
        return None
    cell = nb.cells.pop()
    for out in cell.get("outputs", []):
        answer = dict(out.get("data", {}).get(INPUTS_MIME) or {})
        if answer:
            files = {str(k): str(v) for k, v in dict(answer.get("files") or {}).items()}
            views = {
                "views": {str(k): str(v) for k, v in dict(answer.get("views") or {}).items()},
                "watched": [str(n) for n in answer.get("watched") or []],
            }
            return {INPUTS_KEY: files, VIEWS_KEY: views}
    return {INPUTS_KEY: {}, VIEWS_KEY: {"views": {}, "watched": []}} if cell.get("execution_count") else None


def _merge_adjacent_streams(nb: Any) -> None:
    """Join each run of consecutive stream outputs of one name (stdout, stderr) into one output, in place.

    The kernel sends what a cell prints in chunks, flushed on a timer: on a loaded machine one ``print`` can arrive
    as two messages, which nbconvert would render as two blocks, the second starting a new line. JupyterLab joins
    them when it shows a notebook; so does the builder, before the notebook is saved and exported. Streams with an
    output between them (a chart, a table) stay apart and in order."""
    for cell in nb.cells:
        merged: list[Any] = []
        for out in cell.get("outputs", []):
            last = merged[-1] if merged else None
            if (
                last is not None
                and out.get("output_type") == "stream"
                and last.get("output_type") == "stream"
                and last.get("name") == out.get("name")
            ):
                last["text"] = "".join(last["text"]) + "".join(out["text"])
            else:
                merged.append(out)
        if "outputs" in cell:
            cell["outputs"] = merged


def _computes_once(nb: Any) -> bool:
    """Whether ``nb`` has a cell tagged language-free (without one, a notebook gains nothing by continuing from the
    variables of its run in another language, and runs from a fresh namespace as any other)."""
    return any(LANGUAGE_FREE_TAG in c.get("metadata", {}).get("tags", []) for c in nb.cells)


@contextlib.contextmanager
def builder_signal_handlers() -> Iterator[None]:
    """Keep the builder's own SIGINT and SIGTERM handlers while nbclient runs a notebook.

    nbclient installs event-loop handlers for both signals that only shut its kernel down (the build would go on
    and report a failed notebook), and removing them afterwards resets SIGTERM to the default action (the next
    SIGTERM kills the process without clean-up).  Here the loop refuses those two signals (nbclient expects and
    ignores that ``RuntimeError``), so a signal raises the builder's exception in the main thread as everywhere
    else, and the handlers in place before are restored afterwards whatever happened.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    ours = (signal.SIGINT, signal.SIGTERM)
    saved = {s: signal.getsignal(s) for s in ours}
    loop_class = asyncio.SelectorEventLoop
    original = loop_class.add_signal_handler

    def refuse(self: Any, sig: int, callback: Any, *args: Any) -> None:
        if sig in ours:
            raise RuntimeError("the report builder handles SIGINT and SIGTERM itself")
        return original(self, sig, callback, *args)

    loop_class.add_signal_handler = refuse  # type: ignore[method-assign, assignment]
    try:
        yield
    finally:
        loop_class.add_signal_handler = original  # type: ignore[method-assign]
        for sig, handler in saved.items():
            if handler is not None:
                signal.signal(sig, handler)


ORPHAN_GRACE_SECONDS = 5.0  # for nbclient's own clean-up after an interrupt (within the CLI's 20 s watchdog)


@contextlib.contextmanager
def no_orphaned_tasks() -> Iterator[None]:
    """Leave no nbclient task pending on this thread's event loop when an interrupt stops a notebook.

    nbclient runs its coroutine with jupyter_core's ``run_sync`` on one event loop kept per thread.  A SIGINT or
    SIGTERM raises the builder's exception in the loop itself, not in the task, so the task stays pending; the
    next ``run_sync`` on that loop (shutting the kernel down) resumes it, it meets the dead kernel and its
    ``DeadKernelError`` is never retrieved: asyncio prints "Task exception was never retrieved" and a traceback.
    Here, on any exception, pending tasks are cancelled and given :data:`ORPHAN_GRACE_SECONDS` to finish (their
    clean-up stops the kernel clients), their outcome collected, before the exception propagates.
    """
    try:
        yield
    except BaseException:
        _cancel_pending_tasks()
        raise


def _cancel_pending_tasks() -> None:
    from jupyter_core.utils import ensure_event_loop

    loop = ensure_event_loop()
    if loop.is_running() or loop.is_closed():
        return
    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    if not tasks:
        return
    for task in tasks:
        task.cancel()
    with contextlib.suppress(Exception):
        loop.run_until_complete(asyncio.wait(tasks, timeout=ORPHAN_GRACE_SECONDS))
    for task in tasks:
        if task.done() and not task.cancelled():
            task.exception()  # retrieved: the interrupt is what the user sees, not the task's fate
        elif not task.done():
            task._log_destroy_pending = False  # type: ignore[attr-defined]  # stuck past the grace: dropped quietly


class SaveAtEnd(NotebookExecutionManager):
    """papermill's execution manager, writing the output notebook only when the notebook completes or fails.

    The report builder executes into a staging folder nobody reads until the notebook is done, so the writes
    papermill makes before and after each cell (for a reader watching a long run) are pure cost."""

    complete = False
    #: The notebook ran to its end: papermill writes it itself once the engine returns (and on a cell's error,
    #: with its error markers), so writing it here too would write it twice.
    written_by_papermill = False

    def save(self, **kwargs: Any) -> None:
        if self.complete and not self.written_by_papermill:
            super().save(**kwargs)

    def notebook_complete(self, **kwargs: Any) -> None:
        self.complete = True
        super().notebook_complete(**kwargs)


class ReportEngine(NBClientEngine):
    """papermill's nbclient engine, run in a warm kernel or in a fresh one with the project's kernel manager."""

    @classmethod
    def execute_notebook(
        cls,
        nb: Any,
        kernel_name: str,
        output_path: str | None = None,
        progress_bar: bool = True,
        log_output: bool = False,
        autosave_cell_every: int = 30,
        **kwargs: Any,
    ) -> Any:
        """papermill's :meth:`~papermill.engines.Engine.execute_notebook` with :class:`SaveAtEnd` as manager."""
        nb_man = SaveAtEnd(
            nb,
            output_path=output_path,
            progress_bar=progress_bar,
            log_output=log_output,
            autosave_cell_every=autosave_cell_every,
        )
        nb_man.nb.cells.append(_inputs_cell(nb_man.nb))
        nb_man.notebook_start()
        try:
            cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            nb_man.written_by_papermill = True  # (an exception instead: the notebook as far as it ran, written below)
        finally:
            inputs = _take_inputs(nb_man.nb)
            if inputs is not None:
                nb_man.nb.metadata.update(inputs)
            _merge_adjacent_streams(nb_man.nb)
            nb_man.cleanup_pbar()
            nb_man.notebook_complete()
        return nb_man.nb

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man: Any,
        kernel_name: str,
        *,
        warm_kernel: WarmKernel | None = None,
        kernel_log: Path | str | None = None,
        continued: bool = False,
        **kwargs: Any,
    ) -> Any:
        """Run the notebook of ``nb_man`` (papermill has changed to the notebook's working folder already), with
        the builder's signal handlers kept (:func:`builder_signal_handlers`)."""
        with builder_signal_handlers():
            return cls._execute(
                nb_man, kernel_name, warm_kernel=warm_kernel, kernel_log=kernel_log, continued=continued, **kwargs
            )

    @classmethod
    def _execute(
        cls,
        nb_man: Any,
        kernel_name: str,
        *,
        warm_kernel: WarmKernel | None = None,
        kernel_log: Path | str | None = None,
        continued: bool = False,
        **kwargs: Any,
    ) -> Any:
        if warm_kernel is None:
            if kernel_log is not None:
                kwargs["kernel_manager_class"] = kernel_manager_class(Path(kernel_log))
            with no_orphaned_tasks():
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
        try:
            with no_orphaned_tasks():  # before the kernel is shut down below; starting it runs code on the loop too
                if continued and _computes_once(nb_man.nb) and warm_kernel.resume(Path.cwd()):
                    km = warm_kernel.km
                    kwargs["skip_cells_with_tag"] = LANGUAGE_FREE_TAG
                    nb_man.nb.metadata[CONTINUED_KEY] = True
                else:
                    km = warm_kernel.ready(Path.cwd(), libraries=needs_libraries(nb_man.nb))
                out = _execute_in(warm_kernel, nb_man, kernel_name, km=km, **kwargs)
            failed = bool(nb_man.nb.metadata.get("papermill", {}).get("exception"))  # a cell raised
        except BaseException:
            failed = True
            raise
        finally:
            if failed and kernel_log is not None:
                Path(kernel_log).write_bytes(warm_kernel.log_text())
            warm_kernel.after(failed=failed)  # its state is no longer trusted after a failure: replaced
        return out


class KeptClientNotebookClient(PapermillNotebookClient):
    """papermill's notebook client given a kernel client already connected and ready (``kc``), which nbclient's
    own constructor does not take (it sets ``kc`` to None and makes a new client in ``setup_kernel``)."""

    def __init__(self, nb_man: Any, kc: Any = None, **kw: Any) -> None:
        super().__init__(nb_man, **kw)
        self.kc = kc


def _execute_in(
    warm_kernel: WarmKernel,
    nb_man: Any,
    kernel_name: str,
    log_output: bool = False,
    stdout_file: Any = None,
    stderr_file: Any = None,
    start_timeout: float = 60,
    execution_timeout: float | None = None,
    **kwargs: Any,
) -> Any:
    """papermill's :meth:`~papermill.engines.NBClientEngine.execute_managed_notebook` (the same options, passed on
    the same way) with the warm kernel's kept client (:meth:`WarmKernel.client`) instead of a new one per
    notebook."""
    kwargs = remove_args(["input_path"], **kwargs)
    safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
    final_kwargs = merge_kwargs(
        safe_kwargs,
        timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
        startup_timeout=start_timeout,
        kernel_name=kernel_name,
        log=papermill_logger,
        log_output=log_output,
        stdout_file=stdout_file,
        stderr_file=stderr_file,
    )
    return KeptClientNotebookClient(nb_man, kc=warm_kernel.client(), **final_kwargs).execute()


papermill_engines.register(ENGINE_NAME, ReportEngine)
