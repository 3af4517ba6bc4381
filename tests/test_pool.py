"""The local worker pool when a worker fails to start: the pool, its workers and their kernels are shut down,
and the command line says what went wrong instead of printing a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import typing
from pathlib import Path

import pytest
from conftest import alive, descendants, write_notebook

from shanxi_analysis.publish import execute

ROOT = Path(__file__).resolve().parents[1]
GUARD = 240  # seconds: a harness guard against a hung test, never an assertion

# Imported by every Python process started with this folder on PYTHONPATH. In a spawned pool worker it makes the
# worker initializer fail, as an import error in it would: the first worker starts normally (and starts its kernel),
# every later one waits until that kernel runs, then raises.
SITECUSTOMIZE = """
import os, sys, time
if "--multiprocessing-fork" in sys.argv:
    marker = os.environ["L2_FIRST_WORKER"]
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_EXCL))
        first = True
    except FileExistsError:
        first = False
    if not first:
        from shanxi_analysis.publish import pool

        def _broken_init(parent=None):
            end = time.monotonic() + 120
            while not os.path.exists(os.environ["L2_KERNEL_STARTED"]) and time.monotonic() < end:
                time.sleep(0.1)
            raise ImportError("No module named 'l2_missing' (made up by the test)")

        pool._worker_init = _broken_init
"""


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")[:200]
    except OSError:
        return "?"


def test_annotations_of_the_notebook_runner_resolve():
    hints = typing.get_type_hints(execute.run_notebook)  # NameError before: `kernels` was not imported
    assert "WarmKernel" in str(hints["warm"])


@pytest.mark.e2e
def test_a_worker_that_fails_to_start_stops_the_pool_its_workers_and_their_kernels(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    started = tmp_path / "kernel-started"
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-slow.ipynb", [f"open({str(started)!r}, 'w').close()", "import time\ntime.sleep(120)"])
    out = tmp_path / "out"
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
        "L2_FIRST_WORKER": str(tmp_path / "first-worker"),
        "L2_KERNEL_STARTED": str(started),
    }
    args = ["--province", "Hubei", "--province", "Hunan", "--year", "2019", "--workers", "2"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "shanxi_analysis", "report", "--no-progress", *args, "--notebooks", str(nbs)]
        + ["--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    family: set[int] = set()
    try:
        end = time.monotonic() + GUARD
        while proc.poll() is None and time.monotonic() < end:
            family |= descendants(proc.pid)  # workers and kernels, seen while they have a parent
            time.sleep(0.1)
        _, err = proc.communicate(timeout=GUARD)
    finally:
        proc.kill()
    assert started.exists(), err  # the first worker's kernel did run a notebook
    assert len(family) >= 3, family  # the two workers and at least one kernel
    assert proc.returncode == 1, err
    assert "Traceback" not in err, err
    assert "a report worker" in err and "failed to start: ImportError: No module named 'l2_missing'" in err, err
    assert "--workers 1" in err, err
    end = time.monotonic() + 10  # as for SIGKILL (issue 23): nothing the command started is alive 10 s later
    while any(alive(p) for p in family) and time.monotonic() < end:
        time.sleep(0.2)
    survivors = {p: cmdline(p) for p in family if alive(p)}
    assert not survivors, f"workers or kernels left running 10 s after the command ended: {survivors}\n{err}"
    assert not any((out / ".staging").iterdir())
    assert not (out / "2019").exists()
