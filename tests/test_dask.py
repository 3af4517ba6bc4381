"""The Dask back-end on a real cluster: one ``dask scheduler`` and two ``dask worker`` processes on 127.0.0.1
(ephemeral ports, always torn down).  One worker is killed while the batch runs; every set must still be
published exactly once and complete, by the client, from the bytes the workers return.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import GUARD, popen_cli, write_notebook

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("dask")]
DASK = str(Path(sys.executable).with_name("dask"))
PROVINCES = ("Hubei", "Hunan", "Hebei", "Henan")


def _wait(predicate, what: str, limit: float = 60) -> None:
    end = time.monotonic() + limit  # a harness guard against a hang, never an assertion on time
    while not predicate():
        if time.monotonic() > end:
            pytest.fail(f"gave up waiting for {what}")
        time.sleep(0.2)


@pytest.fixture
def cluster(tmp_path):
    env = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    info = tmp_path / "scheduler.json"
    procs = []

    def start(*args: str, log: str) -> subprocess.Popen:
        with open(tmp_path / log, "wb") as out:  # the process keeps its own copy of the descriptor
            p = subprocess.Popen(
                [DASK, *args], stdout=out, stderr=subprocess.STDOUT, env=env, cwd=tmp_path, start_new_session=True
            )
        procs.append(p)
        return p

    try:
        scheduler = start(
            "scheduler",
            "--host",
            "127.0.0.1",
            "--port",
            "0",
            "--no-dashboard",
            "--scheduler-file",
            str(info),
            log="scheduler.log",
        )
        _wait(lambda: info.is_file() and info.stat().st_size > 0, "the scheduler")
        address = json.loads(info.read_text())["address"]
        assert address.startswith("tcp://127.0.0.1:")
        workers = [
            start(
                "worker",
                address,
                "--nthreads",
                "1",
                "--no-nanny",
                "--no-dashboard",
                "--host",
                "127.0.0.1",
                log=f"worker{i}.log",
            )
            for i in (1, 2)
        ]
        _wait(lambda: all("Registered to" in (tmp_path / f"worker{i}.log").read_text() for i in (1, 2)), "two workers")
        yield address, workers, scheduler
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                os.killpg(p.pid, signal.SIGKILL)  # each was started in its own session: worker and its kernel
            p.wait(timeout=30)


def test_sets_run_on_a_cluster_survive_a_lost_worker_and_are_published_once(tmp_path, cluster):
    address, workers, _ = cluster
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-alpha.ipynb", ["print('ALPHA', province, year)", "import time\ntime.sleep(1.5)"])
    write_notebook(nbs, "02-beta.ipynb", ["print('BETA', year + 1)"])
    out = tmp_path / "out"
    args = [a for p in PROVINCES for a in ("--province", p)]
    proc = popen_cli(
        *args,
        "--year",
        "2019",
        "--no-article-check",
        "--notebooks",
        str(nbs),
        "--out",
        str(out),
        "--scheduler",
        address,
    )
    try:
        _wait(lambda: any(out.glob("2019/*/build.json")) or proc.poll() is not None, "the first set", GUARD)
        assert proc.poll() is None, "the batch ended before a worker could be lost"
        os.killpg(workers[0].pid, signal.SIGKILL)  # a worker (and its kernel) lost mid-batch
        _, err = proc.communicate(timeout=GUARD)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    for p in PROVINCES:
        folder = out / "2019" / p.lower()
        rec = json.loads((folder / "build.json").read_text())
        assert rec["status"] == "ok" and rec["parameters"] == {"province": p, "year": 2019}
        assert sorted(x.name for x in folder.iterdir()) == [
            "01-alpha.html",
            "01-alpha.ipynb",
            "02-beta.html",
            "02-beta.ipynb",
            "build.json",
            "datapackage.json",
        ]
        assert f"ALPHA {p} 2019" in (folder / "01-alpha.ipynb").read_text()
        assert sum(line.startswith("ok ") and f" {p} 2019 " in line for line in err.splitlines()) == 1
    assert not any((out / ".staging").iterdir()) and not (out / "_failed").exists()
    assert "Built 4 report set(s), 0 failed." in err


def test_a_scheduler_lost_mid_batch_ends_in_one_line_and_exit_5(tmp_path, cluster):
    address, _, scheduler = cluster
    nbs = tmp_path / "nbs"
    write_notebook(nbs, "01-alpha.ipynb", ["print('ALPHA', province, year)", "import time\ntime.sleep(2)"])
    out = tmp_path / "out"
    args = [a for p in PROVINCES for a in ("--province", p)]
    proc = popen_cli(
        *args,
        "--year",
        "2019",
        "--no-article-check",
        "--notebooks",
        str(nbs),
        "--out",
        str(out),
        "--scheduler",
        address,
    )
    try:
        _wait(lambda: any(out.glob("2019/*/build.json")) or proc.poll() is not None, "the first set", GUARD)
        assert proc.poll() is None, "the batch ended before the scheduler could be lost"
        os.killpg(scheduler.pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=GUARD)
    finally:
        proc.kill()
    lines = [x for x in err.splitlines() if x.strip()]
    assert proc.returncode == 5, err
    assert lines[-1].startswith(f"shanxi-analysis: error: the Dask cluster at {address} failed mid-batch"), err
    assert "Traceback" not in err and "This is a bug" not in err
    assert all(x.startswith(("Building ", "ok ", "shanxi-analysis: error:")) for x in lines), err  # no library log
    published = sorted(p.name for p in (out / "2019").iterdir())
    assert published and all((out / "2019" / p / "build.json").is_file() for p in published)  # complete sets only
    assert not any((out / ".staging").iterdir())
