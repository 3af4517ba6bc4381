"""Warm kernels: one kernel per worker, libraries imported once, every notebook from a fresh namespace.

A :class:`WarmKernel` starts a ``python3`` kernel, imports pandas, numpy, matplotlib (inline) and the
package in it (:func:`prepare`, run inside the kernel), and then runs notebooks one after another through papermill
with that kernel (the ``shanxi-analysis`` engine of :mod:`~shanxi_analysis.publish.engine`).  Before each notebook
:func:`reset` (also run inside the kernel) closes every figure, restores
matplotlib's rcParams, pandas' options and the warning filters to what they were after the imports, changes to the
notebook's folder and clears the user namespace (``In``/``Out`` too), with the execution counter back at 1; so each
notebook starts as in a fresh kernel, minus the imports.

The libraries are imported only for notebooks that import something beyond the standard library
(:func:`needs_libraries`; the project's notebooks all do): a kernel started for a notebook that does not is
prepared without them (about 2 s less per kernel), and is replaced instead of reset if a notebook loaded matplotlib
in it after all (its settings have no baseline to restore; pandas, which the package itself imports, is reset as
always), or when a notebook that needs the libraries comes next.

The kernel is replaced before the next notebook when it died, when a notebook failed in it (its state is no longer
trusted), or when its resident memory passed ``memory_limit_mb``.  ``fresh=True`` in the builder
(``--fresh-kernels``) keeps one kernel per notebook instead.

On Linux and macOS every kernel the builder starts talks over Unix sockets in a private folder
(``$TMPDIR/shanxi-kernel-<pid>-*``, mode 0700, removed when the kernel is shut down, or by the next run when its
process was killed), not TCP ports: a kernel binds ports its manager chose free a moment before, so two kernels
started at once (concurrent runs, pool workers) could pick the same one and one of them died before answering.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

DEFAULT_MEMORY_LIMIT_MB = 2048
"""A warm kernel whose resident memory passes this after a notebook is replaced before the next one."""

START_TIMEOUT = 300
"""Seconds a new kernel may take to answer its first request (nbclient's ``startup_timeout``, papermill's
``start_timeout``; their default of 60 s was passed on a loaded 2-core CI machine, failing a notebook that never
started).  A kernel that is truly stuck still fails its notebook, after this long, with the reason recorded."""

#: The tag of the cell the engine adds at the end of a run to ask the kernel which raw files the notebook read
#: (:mod:`~shanxi_analysis.publish.engine`; removed before the notebook is saved).
INPUTS_TAG = "shanxi-analysis-inputs"
#: Set (True) in the metadata of an executed notebook that continued from the same notebook's run in another
#: language (:meth:`WarmKernel.resume`): its language-free cells did not run in it.
CONTINUED_KEY = "shanxi_analysis_continued"

# ------------------------------------------------------------------------------------------- inside the kernel
_STATE: dict[str, Any] = {}


class KernelNotClean(RuntimeError):
    """Raised by :func:`reset` in a kernel prepared without the libraries once a notebook has loaded matplotlib
    (whose settings then have no baseline to restore); the builder replaces the kernel (:meth:`WarmKernel.ready`)."""


def needs_libraries(nb: Any) -> bool:
    """Whether the notebook ``nb`` (an nbformat notebook) should run in a kernel with the libraries imported: True
    when a code cell imports anything outside the standard library (or a relative module), or is not plain Python
    (a magic, a shell escape), so its imports cannot be read.  The builder's own last cell (:data:`INPUTS_TAG`),
    which imports only what the notebook did, does not count."""
    import ast
    import sys

    for cell in nb.cells:
        if cell.get("cell_type") != "code" or INPUTS_TAG in cell.get("metadata", {}).get("tags", []):
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            return True
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    return True
                names = [node.module or ""]
            else:
                continue
            if any(name.split(".")[0] not in sys.stdlib_module_names for name in names):
                return True
    return False


def prepare(libraries: bool = True) -> None:
    """In the kernel, once: import the libraries the notebooks use (unless ``libraries`` is False) and remember the
    settings to restore."""
    import warnings

    _STATE["warnings"] = list(warnings.filters)
    _STATE["libraries"] = libraries
    _quicker_cells()
    if not libraries:
        _freeze()
        return
    import matplotlib
    import matplotlib.pyplot  # noqa: F401 - activates the inline backend, whose rc settings are kept
    import numpy  # noqa: F401
    import pandas  # noqa: F401

    import shanxi_analysis  # noqa: F401 - config, numbers and the data, analysis and claims stages
    from shanxi_analysis import present  # noqa: F401 - charts, tables, prose helpers

    _STATE["rc"] = {k: v for k, v in matplotlib.rcParams.items()}
    _STATE["warnings"] = list(warnings.filters)
    _freeze()


def _quicker_cells() -> None:
    """In the kernel, once: take off two costs every cell pays in a report kernel and nothing reads.

    * **Streams flushed with nothing in them.**  ipykernel flushes stdout and stderr before every display, every
      result and every reply, and each flush waits for the kernel's output thread to answer, even with nothing to
      send: about 2 ms a cell, in every language.  Here a flush with nothing written since the last one returns at
      once; one with output flushes and waits as before, so a cell's printed text still comes before its reply.
    * **Each cell's source parsed again.**  IPython tokenizes a cell to find its magics twice per cell; a notebook
      that continues in another language runs the same sources again.  Here the transformed source of a cell is
      kept (for at most :data:`TRANSFORMS_KEPT` sources); the transformation depends on the source alone.

    Where ipykernel's or IPython's objects are not what this expects (another version), nothing is changed."""
    import functools
    import sys

    from IPython import get_ipython

    for stream in (sys.stdout, sys.stderr):
        if all(hasattr(stream, a) for a in ("_buffer_lock", "_buffers", "echo")):
            stream.flush = _flush_when_written(stream)  # type: ignore[method-assign]
    ip = get_ipython()
    if ip is not None and hasattr(ip, "transform_cell"):
        ip.transform_cell = functools.lru_cache(maxsize=TRANSFORMS_KEPT)(ip.transform_cell)


#: How many cells' transformed sources a report kernel keeps (:func:`_quicker_cells`): more than a report set has.
TRANSFORMS_KEPT = 1024


def _flush_when_written(stream: Any) -> Any:
    """``stream``'s flush (an ipykernel ``OutStream``), skipped when nothing was written to it since the last."""
    full = type(stream).flush

    def flush() -> None:
        with stream._buffer_lock:
            written = any(buffer.tell() for buffer in stream._buffers.values())
        if written or stream.echo is not None:
            full(stream)

    return flush


def _freeze() -> None:
    """Collect garbage, then move every surviving object (the imported libraries, module-level caches) out of
    the collector's sight (:func:`gc.freeze`): they live as long as the kernel, and a full collection no longer
    walks their ~150,000 objects, which made each reset's collection cost ~55 ms of CPU and every automatic one
    during a notebook as much.  Only objects alive at this point are frozen; a notebook's are collected as ever."""
    import gc

    gc.collect()
    gc.freeze()


def reset(cwd: str, keep_namespace: bool = False) -> None:
    """In the kernel, before each notebook: figures closed, rcParams, pandas options and warning filters restored,
    working folder ``cwd``, user namespace cleared, execution counter back to 1, garbage collected.

    ``keep_namespace``: everything but the namespace, which keeps the variables of the notebook that just ran (the
    same notebook in the next language continues from its computations: :meth:`WarmKernel.resume`).

    Raises
    ------
    KernelNotClean
        When it was prepared without the libraries and a notebook has loaded matplotlib since.
    """
    import sys
    import warnings

    if _STATE["libraries"]:
        import matplotlib
        import matplotlib.pyplot as plt

        plt.close("all")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            matplotlib.rcParams.update(_STATE["rc"])
    elif "matplotlib" in sys.modules:
        raise KernelNotClean("a notebook loaded matplotlib, whose settings have no baseline in this kernel")
    if "pandas" in sys.modules:  # the package imports pandas: loaded in every kernel
        import pandas as pd

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if _STATE["libraries"]:
                pd.reset_option("all")
            else:  # resetting plotting.backend would import matplotlib: every other option
                if pd.get_option("plotting.backend") != "matplotlib":
                    raise KernelNotClean("a notebook changed pandas' plotting back-end")
                pd.reset_option(r"^(?!plotting\.)")
    warnings.filters[:] = _STATE["warnings"]  # type: ignore[index]  # typeshed: a Sequence; a list at run time
    os.chdir(cwd)
    from IPython import get_ipython  # in the kernel: its shell

    wording = sys.modules.get("shanxi_analysis.present.wording")
    if wording is not None:  # the charts of a notebook drawn once for all its languages
        wording.replay_charts() if keep_namespace else wording.keep_charts()
    ip = get_ipython()
    if keep_namespace:
        ip.history_manager.reset(new_session=True)  # only the history: line numbers can start again
    else:
        ip.reset(new_session=True)  # a new history session too, so line numbers can start again
    ip.execution_count = 1  # the next cell is In [1], as in a fresh kernel
    _freeze()  # the previous notebook's garbage is collected; what survives it (data caches) is frozen too


# ------------------------------------------------------------------------------------------- in the builder


#: The kernels' socket folders in the temporary folder: ``shanxi-kernel-<pid of the process that started it>-<random>``.
SOCKET_DIR_PREFIX = "shanxi-kernel-"


def remove_stale_socket_dirs() -> list[Path]:
    """Remove the kernel socket folders of processes that are gone (a run killed with SIGKILL, a pool worker stopped
    before it could shut its kernel down) and return them; a folder of a running process is left alone."""
    from .staging import pid_alive  # in the builder only: the kernel imports this module too

    removed = []
    for folder in Path(tempfile.gettempdir()).glob(f"{SOCKET_DIR_PREFIX}[0-9]*-*"):
        try:
            pid = int(folder.name[len(SOCKET_DIR_PREFIX) :].split("-", 1)[0])
            mine = folder.stat().st_uid == os.getuid()
        except (ValueError, OSError):  # not named by a pid, or gone meanwhile
            continue
        if mine and not pid_alive(pid):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


#: The report kernels' options (IPython's traitlets on the kernel's command line): no input history kept, and no
#: half-millisecond sleep after each cell (ipykernel's ``_execute_sleep``, a guard for clients that stop listening
#: for output once they have the reply; papermill's client waits for the kernel's idle status, which comes after
#: every output).
KERNEL_ARGUMENTS = ("--HistoryManager.enabled=False", "--Kernel._execute_sleep=0")


def _reset_code(cwd: Path, keep_namespace: bool) -> str:
    """The code that runs :func:`reset` in the kernel and leaves no trace in a namespace it keeps."""
    return (
        f"import shanxi_analysis.publish.kernels as _k; _k.reset({str(cwd)!r}, {keep_namespace}); "
        "globals().pop('_k', None)"
    )


#: How often a kernel being shut down is checked for having exited (jupyter_client's own interval is 0.1 s).
EXIT_POLL_SECONDS = 0.005


def kernel_manager_class(log_path: Path, track_clients: bool = False):
    """An AsyncKernelManager that starts kernels with the inline matplotlib backend and stderr in ``log_path``.

    ``track_clients``: remember every client it hands out, so that a kept (warm) kernel's clients can be stopped
    after each notebook (``stop_clients()``) instead of piling up.  Used for warm kernels (:class:`WarmKernel`) and
    for a kernel per notebook (the ``shanxi-analysis`` papermill engine).
    """
    from jupyter_client import AsyncKernelManager

    class ReportKernelManager(AsyncKernelManager):
        _clients: list = []
        _socket_dir: str | None = None

        def __init__(self, **kw: Any) -> None:
            if os.name == "posix" and "transport" not in kw:
                # Unix sockets in a folder of its own, not TCP ports: a port is chosen free and bound later by
                # the kernel, so two kernels started at once (concurrent runs, pool workers) can pick the same
                # one and one of them dies before it answers ("Address already in use", papermill#511)
                remove_stale_socket_dirs()
                self._socket_dir = tempfile.mkdtemp(prefix=f"{SOCKET_DIR_PREFIX}{os.getpid()}-")
                kw.update(transport="ipc", ip=os.path.join(self._socket_dir, "k"))
            super().__init__(**kw)

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            # jupyter_client waits for a kernel it stopped by polling every 0.1 s; a stopped kernel is gone within
            # milliseconds, so every shut-down (the end of each report command, each --fresh-kernels notebook)
            # waited most of an interval for nothing
            await super()._async_wait(pollinterval=min(pollinterval, EXIT_POLL_SECONDS))

        async def _async_cleanup_resources(self, restart: bool = False) -> None:
            await super()._async_cleanup_resources(restart=restart)
            if not restart and self._socket_dir is not None:
                shutil.rmtree(self._socket_dir, ignore_errors=True)

        cleanup_resources = _async_cleanup_resources

        def client(self, **kw: Any) -> Any:
            kc = super().client(**kw)
            if track_clients:
                self._clients = [*self._clients, kc]
            return kc

        def forget_client(self, kc: Any) -> None:
            """Stop tracking ``kc`` (a client its owner keeps and stops itself)."""
            self._clients = [c for c in self._clients if c is not kc]

        def stop_clients(self) -> None:
            clients, self._clients = self._clients, []
            for kc in clients:
                with contextlib.suppress(Exception):  # a client of a dead kernel
                    kc.stop_channels()

        async def start_kernel(self, **kw: Any) -> None:  # type: ignore[override]
            env = dict(kw.pop("env", None) or os.environ)
            env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
            env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
            # no input history: IPython would write every cell of every report into the user's own history
            # database (~/.ipython/profile_default/history.sqlite), and each reset would open a session in it
            kw["extra_arguments"] = [*kw.get("extra_arguments", []), *KERNEL_ARGUMENTS]
            with open(log_path, "ab") as log:  # the kernel keeps its own copy of the descriptor
                kw.update(env=env, stdout=log, stderr=log)
                await super().start_kernel(**kw)

    return ReportKernelManager


def skip_iri_grammar() -> None:
    """In the builder, before nbformat (papermill) is imported: do not build the IRI grammar nobody here uses.

    nbformat validates notebooks with jsonschema, and jsonschema, when the optional ``rfc3987_syntax`` is
    installed, compiles a Lark grammar for the ``iri`` string format at import time: about 1 s of CPU (2-4 s on
    a loaded 2-core machine) in every builder process.  nbformat passes no format checker and its schemas use no
    ``format`` at all, so the grammar is never consulted; marking the module absent makes jsonschema skip that
    one checker (its ``except ImportError`` path) and changes no validation nbformat does.  Does nothing when
    jsonschema or rfc3987_syntax is already imported (someone else in this process may want it).
    """
    import sys

    if "jsonschema" not in sys.modules and "rfc3987_syntax" not in sys.modules:
        sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # the import system's "absent" marker


def _rss_mb(pid: int | None) -> float | None:
    """Resident memory of process ``pid`` in MiB (Linux /proc), or None where unknown."""
    if not pid:
        return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


async def _handshake(kc: Any, km: Any, timeout: float) -> None:
    """Make the notebooks' client ``kc`` (of kernel manager ``km``) ready: jupyter's ``wait_for_ready`` without
    its last step.  A kernel_info request is answered on the shell channel, and the kernel's status for that
    request seen on IOPub proves the subscription is live (asked again until it is: a subscriber joining late
    misses the first messages).  jupyter's version then waits for 0.2 s of silence on IOPub to drop stale
    messages, which nbclient ignores anyway (it reads only what answers its own requests).  RuntimeError when
    the kernel dies or does not answer within ``timeout`` seconds."""
    import queue
    import time

    end = time.monotonic() + timeout
    asked: set[str] = set()
    while time.monotonic() < end:
        asked.add(kc.kernel_info())
        with contextlib.suppress(queue.Empty):
            reply = await kc.shell_channel.get_msg(timeout=1)
            if reply.get("parent_header", {}).get("msg_id") in asked:
                while True:  # the replies came; now the kernel's status for one of them, on IOPub
                    msg = await kc.iopub_channel.get_msg(timeout=0.5)
                    if msg.get("parent_header", {}).get("msg_id") in asked:
                        return
        if not await km.is_alive():
            raise RuntimeError("the kernel died before it answered (kernel log kept with the failed report)")
    raise RuntimeError(f"the kernel did not answer within {timeout:.0f} s (kernel log kept with the failed report)")


class WarmKernel:
    """A kernel kept across notebooks (see the module docstring). Not thread-safe: one per worker."""

    def __init__(self, kernel_name: str = "python3", memory_limit_mb: float = DEFAULT_MEMORY_LIMIT_MB) -> None:
        self.kernel_name = kernel_name
        self.memory_limit_mb = memory_limit_mb
        self.km: Any = None
        self._kc: Any = None  # a client of km kept for the resets (shell channel only)
        self._nkc: Any = None  # a client of km kept for running the notebooks (all channels, ready)
        self.log_path = Path(tempfile.mkstemp(prefix="shanxi-warm-kernel-", suffix=".log")[1])
        self.started = 0  # kernels started (1 + replacements)
        self.peak_mb = 0.0
        self.libraries = False  # whether the running kernel was prepared with the libraries
        self._preparing: str | None = None  # the request of a launched kernel's preparation, not yet answered
        self._ahead: tuple[str, Path] | None = None  # a reset sent ahead (:meth:`reset_ahead`): request, folder

    # -- lifecycle
    def launch(self, cwd: Path | str, libraries: bool = True) -> None:
        """Start the kernel in ``cwd`` and ask it to prepare (:func:`prepare`; with the libraries unless
        ``libraries`` is False), without waiting: the kernel boots and imports in its own process while the caller
        goes on (the ``report`` command launches it before it checks the data and plans the sets), and the first
        :meth:`ready` waits only for what is left.  Does nothing when a kernel is running or launched.  A launched
        kernel that is never used is shut down by :meth:`close`."""
        if self.km is not None:
            return
        from jupyter_core.utils import run_sync

        self.log_path.write_bytes(b"")
        km = kernel_manager_class(self.log_path, track_clients=True)(kernel_name=self.kernel_name)
        run_sync(km.start_kernel)(cwd=str(Path(cwd).absolute()))
        self.km = km
        self.started += 1
        self.libraries = libraries
        self._preparing = self._send(f"import shanxi_analysis.publish.kernels as _k; _k.prepare({libraries}); del _k")

    def _start(self, cwd: Path, libraries: bool) -> None:
        """Start a kernel in ``cwd`` and prepare it (:meth:`launch`), then wait until it is ready
        (:meth:`_prepared`)."""
        self.launch(cwd, libraries)
        self._prepared()

    def _prepared(self) -> None:
        """Wait for a launched kernel: the notebooks' client (:meth:`client`) shakes hands while the kernel
        prepares, and is answered right after.  :func:`prepare` went on the kept shell client as soon as the kernel
        process existed (zmq holds the request until the kernel listens), so the kernel ran it the moment it was up.
        Nothing waits for a quiet channel: a client of its own for the preparation, with jupyter's ready handshake,
        cost about 0.4 s more a kernel."""
        asked, self._preparing = self._preparing, None
        if asked is None:
            return
        self.client()
        content = self._reply(asked, START_TIMEOUT, "prepared (its libraries imported)")
        if content.get("status") != "ok":
            raise RuntimeError(
                f"the new kernel could not import the notebooks' libraries ({content.get('ename')}: "
                f"{content.get('evalue')}); the kernel's Python needs them (`make venv` installs them into .venv). "
                "Kernel log kept with the failed report"
            )

    def close(self) -> None:
        """Shut the kernel down (also when it is already dead)."""
        km, self.km, self._preparing, self._ahead = self.km, None, None, None
        kcs, self._kc, self._nkc = (self._kc, self._nkc), None, None
        for kc in kcs:
            if kc is not None:
                with contextlib.suppress(Exception):  # a client of a dead kernel
                    kc.stop_channels()
        if km is None:
            return
        from jupyter_core.utils import run_sync

        km.stop_clients()
        with contextlib.suppress(Exception):  # a dead kernel has nothing left to stop
            run_sync(km.shutdown_kernel)(now=True)

    def __del__(self) -> None:  # best effort; the kernel also exits when its parent process does
        try:
            self.close()
            self.log_path.unlink(missing_ok=True)
        except Exception:  # noqa: BLE001
            pass

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        try:
            return self.km is not None and bool(run_sync(self.km.is_alive)())
        except Exception:  # noqa: BLE001
            return False

    def pid(self) -> int | None:
        proc = getattr(getattr(self.km, "provisioner", None), "process", None)
        return getattr(proc, "pid", None)

    def memory_mb(self) -> float | None:
        return _rss_mb(self.pid())

    # -- use
    def client(self) -> Any:
        """The kernel client to run the next notebook with (nbclient's ``kc``): one per kernel, kept across its
        notebooks with its channels open.  A new client per notebook (what nbclient makes when given none) waits
        about 0.2 s in jupyter's ready handshake: a second per report set.  nbclient reads only the replies and
        outputs of the messages it sent, so what a previous notebook or a reset left on the channels is skipped,
        and this client's handshake (:func:`_handshake`) does not wait for the channels to fall quiet."""
        if self._nkc is None:
            from jupyter_core.utils import run_sync

            kc = self.km.client()
            self.km.forget_client(kc)  # not one of a notebook's clients, stopped after it
            kc.start_channels()
            try:
                run_sync(_handshake)(kc, self.km, START_TIMEOUT)
            except BaseException:
                with contextlib.suppress(Exception):
                    kc.stop_channels()
                raise
            self._nkc = kc
        return self._nkc

    def ready(self, cwd: Path, libraries: bool = True) -> Any:
        """The kernel manager to run the next notebook with, reset to a fresh namespace in ``cwd``; prepared with the
        libraries when ``libraries`` (:func:`needs_libraries` of the notebook) or when it already was."""
        cwd = Path(cwd).absolute()  # a relative folder would be taken from the kernel's current one
        if self.km is not None and (not self.alive() or (libraries and not self.libraries)):
            self.close()
        if self.km is None:
            self.launch(cwd, libraries)
        self._prepared()  # a kernel launched before (this call, or the report command's) is waited for here
        try:
            self._reset(cwd)
        except KernelNotClean:  # a notebook loaded a library the kernel was not prepared with: start afresh
            self.close()
            self._start(cwd, libraries)
            self._reset(cwd)
        return self.km

    def resume(self, cwd: Path) -> bool:
        """Prepare the kernel to run the notebook that just ran in it again, in another language, keeping its
        variables (:func:`reset` with ``keep_namespace``): True if done, False when there is no such kernel any more
        (it failed, died or was replaced after the notebook) or it cannot be reset; then use :meth:`ready`."""
        if self.km is None or self._ahead is not None or not self.alive():
            return False  # (a reset sent ahead has cleared the namespace: the notebook runs in full after it)
        try:
            self._reset(Path(cwd).absolute(), keep_namespace=True)
        except (KernelNotClean, RuntimeError):
            self.close()
            return False
        return True

    def reset_ahead(self, cwd: Path | str) -> None:
        """Ask the kernel now for the fresh namespace the next notebook starts from, without waiting: the kernel
        resets while this process saves and exports the notebook that just ran and reads the next one, and the
        next :meth:`ready` only collects the answer.  The builder calls it when the next notebook will not continue
        from this one's variables (:meth:`resume`, which declines after it).  Does nothing without a prepared
        kernel or when a reset is already on its way."""
        if self.km is None or self._preparing is not None or self._ahead is not None:
            return
        cwd = Path(cwd).absolute()
        # not stop_on_error: a reset ahead that fails (its folder gone) must not make the kernel abort the requests
        # that follow it, the next notebook's own reset among them
        self._ahead = (self._send(_reset_code(cwd, False), stop_on_error=False), cwd)

    def _reset(self, cwd: Path, timeout: float = 120, keep_namespace: bool = False) -> None:
        """Run :func:`reset` in the kernel through the kept shell client (:meth:`_send`): a reset costs what the
        reset itself costs, with no handshake of a new client.  A fresh reset already sent ahead for ``cwd``
        (:meth:`reset_ahead`) is only waited for."""
        ahead, self._ahead = self._ahead, None
        if ahead is not None:
            content = self._reply(ahead[0], timeout, "reset")
            if ahead[1] == cwd and not keep_namespace:
                self._check_reset(content)
                return
            # for another folder: that one's answer does not matter (the folder of a set run on a Dask worker is
            # removed once the set is done, perhaps before the kernel got to it); the reset below decides
        self._check_reset(self._reply(self._send(_reset_code(cwd, keep_namespace)), timeout, "reset"))

    @staticmethod
    def _check_reset(content: dict[str, Any]) -> None:
        """Raise when a reset's reply says it failed (:class:`KernelNotClean`, or RuntimeError)."""
        if content.get("ename") == KernelNotClean.__name__:
            raise KernelNotClean(content.get("evalue"))
        if content.get("status") != "ok":
            raise RuntimeError(
                f"resetting the warm kernel failed ({content.get('ename')}: {content.get('evalue')}); "
                "it is replaced before the next notebook"
            )

    def run(self, code: str, timeout: float = 120) -> None:
        """Run ``code`` in the kernel outside any notebook (its output is not kept), for tools such as
        ``bench/profile_warm.py``; RuntimeError naming the error when it raises."""
        content = self._reply(self._send(code), timeout, "done running the code")
        if content.get("status") != "ok":
            raise RuntimeError(f"the code failed in the warm kernel ({content.get('ename')}: {content.get('evalue')})")

    def _send(self, code: str, stop_on_error: bool = True) -> str:
        """Ask the kernel to run ``code`` through a shell-only client kept for this kernel (made on first use);
        the request's id.  It is not one of the tracked clients, so stopping a notebook's clients leaves it open.
        ``stop_on_error``: an error makes the kernel abort the requests queued behind this one (ipykernel's rule)."""
        from jupyter_client import BlockingKernelClient

        if self._kc is None:  # blocking (plain zmq sockets): no event loop of its own to go stale between notebooks
            kc = BlockingKernelClient()
            kc.load_connection_info(self.km.get_connection_info())
            kc.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
            self._kc = kc
        return str(self._kc.execute(code, store_history=True, allow_stdin=False, stop_on_error=stop_on_error))

    def _reply(self, msg_id: str, timeout: float, what: str) -> dict[str, Any]:
        """The content of the kernel's reply to request ``msg_id`` (:meth:`_send`), waited for at most ``timeout``
        seconds; RuntimeError, saying the kernel was not ``what``, when it does not come or the kernel died."""
        import queue
        import time

        end = time.monotonic() + timeout
        while True:
            left = end - time.monotonic()
            if left <= 0:
                raise RuntimeError(
                    f"the warm kernel was not {what} within {timeout:.0f} s; it is replaced before the next "
                    "notebook (kernel log kept with the failed report)"
                )
            try:
                reply = self._kc.get_shell_msg(timeout=min(left, 2))
            except queue.Empty:
                if not self.alive():
                    raise RuntimeError(
                        f"the warm kernel died before it was {what}; it is replaced before the next notebook "
                        "(kernel log kept with the failed report)"
                    ) from None
                continue
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return dict(reply.get("content", {}))

    def after(self, failed: bool) -> None:
        """After a notebook: stop its clients; replace the kernel (next time) if it failed, died or grew too big."""
        if self.km is None:
            return
        self.km.stop_clients()
        mb = self.memory_mb()
        if mb:
            self.peak_mb = max(self.peak_mb, mb)
        if failed or not self.alive() or (mb is not None and mb > self.memory_limit_mb):
            self.close()

    def log_text(self) -> bytes:
        try:
            return self.log_path.read_bytes()
        except OSError:
            return b""


_PROCESS_KERNEL: WarmKernel | None = None


def process_kernel(memory_limit_mb: float = DEFAULT_MEMORY_LIMIT_MB) -> WarmKernel:
    """This process's warm kernel (a pool worker keeps one for all its report sets)."""
    global _PROCESS_KERNEL
    if _PROCESS_KERNEL is None:
        import atexit

        _PROCESS_KERNEL = WarmKernel(memory_limit_mb=memory_limit_mb)
        from multiprocessing import util

        atexit.register(_PROCESS_KERNEL.close)
        # A pool worker ends with os._exit, which skips atexit: multiprocessing's own exit hooks still run.
        util.Finalize(None, _PROCESS_KERNEL.close, exitpriority=10)
    _PROCESS_KERNEL.memory_limit_mb = memory_limit_mb
    return _PROCESS_KERNEL
