"""Benchmarks for shanxi-analysis: report regeneration and data loading, printed as ratios.

Run with ``make bench`` (or ``.venv/bin/python bench/run.py [--quick] [--skip-batch]``).  Everything is measured
in one run on the same machine, so the ratios hold on a noisy machine; absolute seconds are printed for context.
Nothing here is a test: it prints figures and never fails on time.

Measures (targets from the benchmark issue):
1. builder overhead  = `report` command (default parameters) / papermill API alone on the same notebooks  (<= 1.15)
2. naive pipeline    = papermill CLI + `jupyter nbconvert --to html --no-input` per notebook / `report`     (>= 2)
3. parallel batch    = the 31 story sets of measure 7, --workers 1 / --workers 2                              (>= 1.8)
4. data loading      = each dataset cold (first call in a fresh process) <= 300 ms, warm <= 5 ms;
                       `import shanxi_analysis` <= 0.5 s with no plotting library imported
5. floor             = start a python3 kernel and import pandas and matplotlib, times the number of notebooks;
                       the builder's time as a multiple of it

Scale (issue 10; ``--scale-only`` runs just these; ``--quick`` uses 4 sets instead of 31):
6. one set, warm kernels (`report --force`) / papermill API with a fresh kernel per notebook         (<= 0.6)
7. N sets with `--workers 2` (warm) / the same N sets run by the papermill API one after another       (<= 0.35)
   N sets on one warm worker / the same papermill runs (issue 24)                                     (<= 0.2)
   N sets on one warm worker in both languages (`--lang en,zh`) / in English (issue 24): two runs of each,
   in turns, their sums compared                                                                      (<= 1.4)
8. N sets rebuilt with nothing changed / the full build                                              (<= 0.02)
   N sets rebuilt after one notebook was edited / the full build                                     (<= 0.25)
   N sets rebuilt after one value of one raw file was corrected (the copy's manifest refreshed) / the full
   build, for a file some pages read and for a panel every story reads (:data:`CORRECTIONS`)          (<= 0.1)
9. N sets on a local Dask cluster (scheduler + 2 workers, --nthreads 1) / the local pool of 2        (<= 1.15)
10. peak resident memory per worker (worker process + its kernel), and the whole grid (31 provinces x the
    data's years) projected for 2, 16 and 64 cores from the measured cost per set (core-seconds per set).

Charts (issue 24; ``--charts-only`` runs just this):
11. chart drawing of one set: the CPU seconds of the chart calls of the five story notebooks (figure, chart
    function, ``show``: the page's SVG) per set, Shanxi 2020 in English and Chinese, run in one process by
    ``bench/profile_charts.py``, against all their cells' CPU seconds; with ``--charts-baseline DIR`` (a checkout
    of older code) also after / before, the two measured in turns.

The whole grid (``--grid``, ``make bench-grid``; issue 24): every province and year of the data in both languages,
with the article check, on the local pool of 2 workers into an empty folder, measured end to end (not projected):
sets per minute and the total time (target <= 30 minutes on the 2-core machine); then the same grid rebuilt after
one value of the FAI panel was corrected (Hubei's 2020 growth, :data:`CORRECTIONS`) / the full build (<= 0.1), with
the number of sets that ran. ``--grid-years 2019-2020`` builds part of it (the projection to the whole grid is
printed beside, marked as such).

Every run works on a copy of ``data/`` (``SHANXI_ANALYSIS_DATA_DIR``), so the correction measure never edits the
project's data.

Shared runs (the full run measures nothing twice, and says so under the table): measure 1's `report` is
measure 6's warm report (the same command: `report --force`, Shanxi 2020 with the article check, warm kernels);
measure 3's `--workers 2` run is measure 7's batch (the same 31 sets, options and output folder), and the
incremental rebuilds of measure 8 start from it; papermill's API (measure 1) is measure 6's baseline.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PY = sys.executable
BIN = Path(PY).parent
ENV = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def at_most(label: str, ratio: float, limit: float, digits: int = 2) -> tuple[str, str, str, str]:
    """A row of the table: a measured ratio against the most it may be."""
    return (label, f"{ratio:.{digits}f}", f"<= {limit:g}", "met" if ratio <= limit else "MISSED")


def _run(cmd: list[str], log: Path | None = None, **kw) -> float:
    """Seconds ``cmd`` took; its output is dropped, or its stderr (the builder's line per set) written to ``log``."""
    t = time.perf_counter()
    with open(log, "w", encoding="utf-8") if log else contextlib.nullcontext() as err:
        subprocess.run(cmd, check=True, env=ENV, stdout=subprocess.DEVNULL, stderr=err or subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def ask(expression: str) -> Any:
    """The value of a JSON-able ``expression`` of ``sa`` (``import shanxi_analysis as sa``), computed in a fresh
    process as a user's would be, with the run's environment (its data copy)."""
    code = f"import json; import shanxi_analysis as sa; print(json.dumps({expression}))"
    return json.loads(subprocess.run([PY, "-c", code], check=True, env=ENV, capture_output=True, text=True).stdout)


def _notebooks() -> list[Path]:
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def bench_report(out: Path, *args: str, log: Path | None = None) -> float:
    return _run([PY, "-m", "shanxi_analysis", "report", "--out", str(out), *args], log=log)


def bench_papermill_api(out: Path, province: str, year: int) -> float:
    code = (
        "import sys, papermill as pm\n"
        "from pathlib import Path\n"
        "out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)\n"
        "for nb in sys.argv[4:]:\n"
        "    params = {'province': sys.argv[2], 'year': int(sys.argv[3])}\n"
        "    pm.execute_notebook(nb, str(out / Path(nb).name), parameters=params,\n"
        "                        kernel_name='python3', cwd=str(Path(nb).parent), progress_bar=False)\n"
    )
    return _run([PY, "-c", code, str(out), province, str(year), *map(str, _notebooks())])


def bench_naive(out: Path, province: str, year: int) -> float:
    out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    for nb in _notebooks():
        executed = out / nb.name
        subprocess.run(
            [
                str(BIN / "papermill"),
                str(nb),
                str(executed),
                "-p",
                "province",
                province,
                "-p",
                "year",
                str(year),
                "-k",
                "python3",
                "--cwd",
                str(NOTEBOOKS),
            ],
            check=True,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        subprocess.run(
            [str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    return time.perf_counter() - t


def bench_floor() -> float:
    code = (
        "import time\n"
        "from jupyter_client.manager import start_new_kernel\n"
        "t = time.perf_counter()\n"
        "km, kc = start_new_kernel(kernel_name='python3')\n"
        "kc.execute_interactive('import pandas, matplotlib.pyplot', timeout=120)\n"
        "km.shutdown_kernel(now=True)\n"
        "print(time.perf_counter() - t)\n"
    )
    res = subprocess.run([PY, "-c", code], check=True, env=ENV, capture_output=True, text=True)
    return float(res.stdout.strip().splitlines()[-1])


def bench_loading() -> dict:
    code = (
        "import json, sys, time\n"
        "t = time.perf_counter(); import shanxi_analysis as sa; t_imp = time.perf_counter() - t\n"
        "plot_libs = sorted(m for m in ('matplotlib',) if m in sys.modules)\n"
        "import pandas\n"
        "name = sys.argv[1]; f = getattr(sa.data, name)\n"
        "t = time.perf_counter(); f(); cold = time.perf_counter() - t\n"
        "warm = []\n"
        "for _ in range(20):\n"
        "    t = time.perf_counter(); f(); warm.append(time.perf_counter() - t)\n"
        "warm.sort()\n"
        "print(json.dumps({'import': t_imp, 'plot_libs': plot_libs, 'cold': cold, 'warm': warm[len(warm) // 2]}))\n"
    )
    names = ask("sa.data.available()")
    out = {}
    for name in names:
        subprocess.run([PY, "-c", code, name], check=True, env=ENV, capture_output=True)  # fill the disk cache
        runs = [
            json.loads(
                subprocess.run([PY, "-c", code, name], check=True, env=ENV, capture_output=True, text=True).stdout
            )
            for _ in range(3)
        ]
        out[name] = {k: (statistics.median(r[k] for r in runs) if k != "plot_libs" else runs[0][k]) for k in runs[0]}
    return out


def _tree_rss(root: int) -> dict[int, float]:
    """Resident MiB of every direct child of ``root`` plus its own descendants (a worker and its kernel)."""
    parents: dict[int, int] = {}
    rss: dict[int, float] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            status = (stat.parent / "status").read_text()
        except (OSError, IndexError):
            continue
        pid = int(stat.parent.name)
        parents[pid] = int(fields[1])
        rss[pid] = next((int(x.split()[1]) / 1024 for x in status.splitlines() if x.startswith("VmRSS:")), 0.0)
    top: dict[int, float] = {}
    for pid in rss:
        p, chain = pid, []
        while p in parents and p != root and p > 1:
            chain.append(p)
            p = parents[p]
        if p == root and chain:
            top[chain[-1]] = top.get(chain[-1], 0.0) + rss[pid]
    return top


def run_sampled(cmd: list[str]) -> tuple[float, float]:
    """Run ``cmd``; its seconds and the peak resident MiB of one worker (a child process with its kernels)."""
    import threading

    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            peak[0] = max([peak[0], *_tree_rss(proc.pid).values()])

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    proc.wait()
    stop.set()
    th.join()
    if proc.returncode:
        raise subprocess.CalledProcessError(proc.returncode, cmd)
    return time.perf_counter() - t, peak[0]


def start_cluster(tmp: Path) -> tuple[str, list[subprocess.Popen]]:
    info = tmp / "scheduler.json"
    procs = [
        subprocess.Popen(
            [
                str(BIN / "dask"),
                "scheduler",
                "--host",
                "127.0.0.1",
                "--port",
                "0",
                "--no-dashboard",
                "--scheduler-file",
                str(info),
            ],
            env=ENV,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    end = time.monotonic() + 60
    while not (info.is_file() and info.stat().st_size) and time.monotonic() < end:
        time.sleep(0.2)
    address = json.loads(info.read_text())["address"]
    logs = [tmp / f"worker{i}.log" for i in (1, 2)]
    for log in logs:
        with open(log, "wb") as out:  # the worker keeps its own copy of the descriptor
            procs.append(
                subprocess.Popen(
                    [
                        str(BIN / "dask"),
                        "worker",
                        address,
                        "--nthreads",
                        "1",
                        "--no-nanny",
                        "--no-dashboard",
                        "--host",
                        "127.0.0.1",
                    ],
                    env=ENV,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            )
    while not all("Registered to" in log.read_text() for log in logs) and time.monotonic() < end:
        time.sleep(0.2)
    return address, procs


#: The raw files the data-correction measure changes, one value each (the row, the column): a file only some pages
#: read (Shanxi's 2020 investment by city and sector) and a panel every story reads (FAI growth by province).
#: Runs of each language setting in the both-languages measure (7), made in turns.
LANGUAGE_PAIRS = 2

CORRECTIONS = {
    "shanxi_investment_2020": ({}, None),
    "nbs_fai_growth_by_province": ({"indicator_name": "湖北:固定资产投资完成额:同比", "year": "2020"}, None),
}


def data_copy(tmp: Path) -> Path:
    """A copy of ``data/`` for the whole run (``SHANXI_ANALYSIS_DATA_DIR`` in :data:`ENV`): the correction measure
    edits a raw file in it, never the project's own data."""
    root = tmp / "data"
    if not root.is_dir():
        shutil.copytree(ROOT / "data", root)
        ENV["SHANXI_ANALYSIS_DATA_DIR"] = str(root)
    return root


def correct_one_value(name: str, match: dict[str, str], column: str | None) -> None:
    """Change one numeric value of the raw file ``name`` in the run's data copy (the first row matching ``match``,
    ``column`` or its first numeric column: + 0.1) and record the new checksum in the copy's manifest, as a
    maintainer correcting a transcription would."""
    code = (
        "import csv, io, sys\n"
        "from pathlib import Path\n"
        "import shanxi_analysis as sa\n"
        "root, name, match, column = Path(sys.argv[1]), sys.argv[2], dict(a.split('=') for a in sys.argv[4:]), "
        "sys.argv[3] or None\n"
        "path = root / 'raw' / f'{name}.csv'\n"
        "rows = list(csv.DictReader(io.StringIO(path.read_text(encoding='utf-8'))))\n"
        "row = next(r for r in rows if all(r.get(k) == v for k, v in match.items()))\n"
        "def num(v):\n"
        "    try:\n        float(v); return True\n    except ValueError:\n        return False\n"
        "col = column or next(k for k, v in row.items() if k not in ('year',) and v and num(v))\n"
        "row[col] = str(round(float(row[col]) + 0.1, 6))\n"
        "out = io.StringIO(); w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator='\\n')\n"
        "w.writeheader(); w.writerows(rows); path.write_text(out.getvalue(), encoding='utf-8')\n"
        "list(sa.data.refresh_manifest(root, check_headers=False, skip_missing=True, accept_shape=True))\n"
        "print(f'corrected {name}: {col} of {match or \"the first row\"}', file=sys.stderr)\n"
    )
    subprocess.run(
        [
            PY,
            "-c",
            code,
            str(Path(ENV["SHANXI_ANALYSIS_DATA_DIR"])),
            name,
            column or "",
            *(f"{k}={v}" for k, v in match.items()),
        ],
        check=True,
        env=ENV,
    )


def notebooks_copy(tmp: Path) -> Path:
    """The notebooks copied once per run (the scale measures edit one of them); every builder run uses it."""
    nbs = tmp / "notebooks"
    if not nbs.is_dir():
        shutil.copytree(NOTEBOOKS, nbs, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return nbs


def scale_provinces(quick: bool) -> list[str] | None:
    return ["Shanxi", "Hubei", "Guangdong", "Tibet"] if quick else None  # None: all 31


def bench_one_set(tmp: Path) -> float:
    """`report --force` of the default set (Shanxi 2020 and the article check: all notebooks), warm kernels;
    median of two.  Measure 1's `report` and measure 6's `warm report` are this same run."""
    common = ["--notebooks", str(notebooks_copy(tmp)), "--no-progress"]
    return statistics.median(bench_report(tmp / f"warm{i}", *common, "--force") for i in range(2))


def bench_pool(tmp: Path, quick: bool, workers: int, lang: str = "en", run: int = 0) -> tuple[float, float]:
    """The batch of the scale measures (31 or 4 story sets for 2020, no article check) with ``workers`` warm
    workers into a fresh folder, in the languages ``lang`` (``--lang``); seconds and the peak resident MiB of one
    worker.  With 2 workers in English this is the run measure 3 (workers 2) and measure 7 (2 warm workers) share;
    the incremental rebuilds start from its output (``tmp/grid``).  ``run``: the how-manyth run of the same
    batch (each into its own folder: into the same one, a run would only find every set up to date)."""
    provinces = scale_provinces(quick)
    sel = sum((["--province", p] for p in provinces), []) if provinces else ["--all-provinces"]
    name = "grid" if (workers, lang) == (2, "en") else f"grid-w{workers}-{lang.replace(',', '-')}"
    out = tmp / (f"{name}-{run}" if run else name)
    if out.exists():
        raise RuntimeError(f"{out} exists: a benchmark run needs a fresh folder")
    return run_sampled(
        [
            PY,
            "-m",
            "shanxi_analysis",
            "report",
            "--out",
            str(out),
            *sel,
            "--year",
            "2020",
            "--workers",
            str(workers),
            "--no-article-check",
            "--lang",
            lang,
            "--notebooks",
            str(notebooks_copy(tmp)),
            "--no-progress",
        ]
    )


def bench_scale(tmp: Path, quick: bool, rows: list, results: dict) -> None:
    """Measures 6-10 (see the module docstring)."""
    provinces = scale_provinces(quick)
    sel = sum((["--province", p] for p in provinces), []) if provinces else ["--all-provinces"]
    n = len(provinces) if provinces else 31
    nbs = notebooks_copy(tmp)
    common = ["--notebooks", str(nbs), "--no-progress"]
    story = ["--no-article-check", *common]
    # 6. one set: warm kernels against papermill's API with a fresh kernel per notebook (all notebooks, Shanxi 2020)
    api = results.get("papermill_api") or statistics.median(
        bench_papermill_api(tmp / f"api{i}", "Shanxi", 2020) for i in range(2)
    )
    warm = results.get("one_set_warm") or bench_one_set(tmp)
    results.update(papermill_api=api, one_set_warm=warm)
    rows.append(at_most("one set: warm report / papermill API (fresh kernels)", warm / api, 0.6, 2))
    # 7. N sets: 2 warm workers against the papermill API one set after another
    seq = 0.0
    for p in provinces or ask("sa.data.names()"):
        code = (
            "import sys, papermill as pm\nfrom pathlib import Path\n"
            "out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)\n"
            "for nb in sys.argv[3:]:\n"
            "    pm.execute_notebook(nb, str(out / Path(nb).name), parameters={'province': sys.argv[2], "
            "'year': 2020}, kernel_name='python3', cwd=str(Path(nb).parent), progress_bar=False)\n"
        )
        story_nbs = [
            str(x)
            for x in sorted(nbs.glob("[0-9][0-9]-*.ipynb"))
            if '"report": "article"' not in x.read_text(encoding="utf-8")
        ]
        seq += _run([PY, "-c", code, str(tmp / "seq" / p), p, *story_nbs])
    out = tmp / "grid"
    if "pool2" not in results:
        results.update(zip(("pool2", "peak_worker_mib"), bench_pool(tmp, quick, 2), strict=True))
    batch, peak = results["pool2"], results["peak_worker_mib"]
    results.update(n_sets=n, papermill_sequential=seq)
    rows.append(at_most(f"{n} sets: 2 warm workers / papermill one after another", batch / seq, 0.35, 2))
    # 7b. (issue 24) the same N sets on ONE warm worker against papermill; then in both languages against one
    # both languages against one: LANGUAGE_PAIRS runs of each, in turns. This machine's speed drifts by 5-15% over
    # minutes, as much as the second language costs, so a pair of single runs (or an English run made minutes
    # earlier) measures the drift as much as the languages.
    en_runs, both_runs = [], []
    for i in range(LANGUAGE_PAIRS):
        en_runs.append(bench_pool(tmp, quick, 1, run=i + 1)[0])
        both_runs.append(bench_pool(tmp, quick, 1, "en,zh", run=i + 1)[0])
    w1 = results.get("batch_workers1") or en_runs[0]
    results.update(
        batch_workers1=w1,
        batch_workers1_en_runs=en_runs,
        batch_workers1_en_zh_runs=both_runs,
        batch_workers1_en_sum=sum(en_runs),
        batch_workers1_en_zh_sum=sum(both_runs),
    )
    rows.append(at_most(f"{n} sets: 1 warm worker / papermill one after another", w1 / seq, 0.2, 2))
    rows.append(
        at_most(
            f"{n} sets, 1 worker: both languages (en,zh) / one language (en), {LANGUAGE_PAIRS} runs each",
            sum(both_runs) / sum(en_runs),
            1.4,
            2,
        )
    )
    # 8. incremental: nothing changed, then one notebook edited (a copy of it: its last cell gains a line)
    same = bench_report(out, *sel, "--year", "2020", "--workers", "2", *story)
    edited = nbs / "07-investment-and-economy.ipynb"
    nb = json.loads(edited.read_text(encoding="utf-8"))
    cell = nb["cells"][-1]  # its last cell gains a line (a comment in a code cell, a word in a markdown one)
    extra = "\n# (benchmark edit)" if cell["cell_type"] == "code" else "\n\n(edit)"
    cell["source"] = ["".join(cell["source"]) + extra]
    edited.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    one = bench_report(out, *sel, "--year", "2020", "--workers", "2", *story)
    results.update(rebuild_unchanged=same, rebuild_one_edited=one)
    # 8b. incremental: one raw file corrected (a value of one province-year), the manifest's checksum refreshed
    for name, (row_filter, column) in CORRECTIONS.items():
        correct_one_value(name, row_filter, column)
        fixed = bench_report(out, *sel, "--year", "2020", "--workers", "2", *story, "--explain")
        results[f"rebuild_corrected_{name}"] = fixed
        rows.append(at_most(f"{n} sets rebuilt, one value of {name} corrected / full build", fixed / batch, 0.1, 2))
    rows.append(at_most(f"{n} sets rebuilt, nothing changed / full build", same / batch, 0.02, 3))
    rows.append(at_most(f"{n} sets rebuilt, one notebook edited / full build", one / batch, 0.25, 2))
    # 9. the same N sets on a local Dask cluster with two workers
    address, procs = start_cluster(tmp)
    try:
        dask_s = bench_report(tmp / "dask", *sel, "--year", "2020", "--scheduler", address, *story)
    finally:
        for p in reversed(procs):
            p.terminate()
            p.wait(timeout=60)
    results.update(dask2=dask_s)
    rows.append(at_most("Dask, 2 local workers / local pool of 2", dask_s / batch, 1.15, 2))
    # 10. memory and the projection of the whole grid
    rows.append(("peak resident memory per worker (worker + kernel)", f"{peak:.0f} MiB", "(report)", ""))
    per_set = batch * 2 / n  # core-seconds per set with two busy cores
    lo, hi = year_range()
    grid = 31 * (hi - lo + 1)
    results.update(per_set_core_seconds=per_set, grid_sets=grid)
    for cores in (2, 16, 64):
        rows.append(
            (
                f"whole grid ({grid} sets) projected on {cores} cores",
                f"{grid * per_set / cores / 3600:.2f} h",
                "(report)",
                f"{per_set:.1f} core-s per set",
            )
        )


#: The sets of the chart measure: one province story in both languages.
CHART_SETS = "Shanxi:2020:en,Shanxi:2020:zh"


def chart_seconds(package: Path = ROOT) -> dict[str, float]:
    """CPU seconds per set of the chart calls of the story notebooks (``present.figure``, the chart functions,
    ``present.show``: the page's SVG) and of all their cells, run in one process with the inline SVG backend by
    ``bench/profile_charts.py`` (:data:`CHART_SETS`, after a warm-up set), the package imported from
    ``package``.  CPU seconds, not wall: the measure holds on a machine others are using."""
    out = Path(tempfile.mkdtemp(prefix="shanxi-charts-")) / "charts.json"
    cmd = [PY, str(ROOT / "bench" / "profile_charts.py"), "--sets", CHART_SETS, "--json", str(out)]
    subprocess.run([*cmd, "--package", str(package)], check=True, env=ENV, stdout=subprocess.DEVNULL)
    sets = json.loads(out.read_text()).values()
    return {
        "charts": statistics.mean(v["chart_seconds"] for v in sets),
        "cells": statistics.mean(v["cells"] for v in sets),
        "n_charts": statistics.mean(v["charts"] for v in sets),
    }


def bench_charts(baseline: Path | None, rows: list, results: dict) -> None:
    """Chart drawing of one set (measure 11); with ``baseline`` (another checkout), the same measured on it in
    turns (baseline, this code, baseline, this code: the medians) and printed as after / before."""
    runs: dict[str, list[dict[str, float]]] = {"after": [], "before": []}
    for _ in range(2 if baseline else 1):
        if baseline:
            runs["before"].append(chart_seconds(baseline))
        runs["after"].append(chart_seconds())

    def medians(measured: list[dict[str, float]]) -> dict[str, float]:
        return {k: statistics.median(r[k] for r in measured) for k in measured[0]}

    after = medians(runs["after"])
    results.update(chart_seconds_per_set=after["charts"], chart_cells_seconds_per_set=after["cells"])
    rows.append(
        (
            f"chart drawing of one set ({after['n_charts']:.0f} charts; CPU s of chart calls / of all cells)",
            f"{after['charts']:.2f} / {after['cells']:.2f} s",
            "(report)",
            f"{after['charts'] / after['cells']:.0%} of the cells",
        )
    )
    if baseline:
        before = medians(runs["before"])
        results.update(chart_seconds_before=before["charts"], chart_cells_seconds_before=before["cells"])
        rows.append(
            (
                f"chart drawing of one set, after / before ({baseline.name})",
                f"{after['charts'] / before['charts']:.2f}",
                "(report)",
                f"cells {after['cells'] / before['cells']:.2f}",
            )
        )


def year_range() -> tuple[int, int]:
    """The first and last year of the data (a fresh process, as a user's)."""
    lo, hi = ask("sa.data.year_range()")
    return int(lo), int(hi)


def bench_grid(tmp: Path, years: str | None, rows: list, results: dict) -> None:
    """The whole grid (or ``years`` of it) in both languages with the article check, 2 warm workers, measured."""
    lo, hi = year_range()
    span = years or f"{lo}-{hi}"
    first, _, last = span.partition("-")
    n_years = int(last or first) - int(first) + 1
    sets = 31 * n_years * 2 + 2  # stories in two languages, and the article check in each
    log = tmp / "whole-grid.log"
    print(f"building {sets} report sets; the builder's line per set: tail -f {log}", flush=True)
    grid = ["--all-provinces", "--year", span, "--lang", "en,zh", "--workers", "2"]
    grid += ["--notebooks", str(notebooks_copy(tmp)), "--no-progress"]
    seconds = bench_report(tmp / "whole-grid", *grid, log=log)
    whole = 31 * (hi - lo + 1) * 2 + 2
    results.update(grid_seconds=seconds, grid_sets=float(sets), grid_years=float(n_years))
    rows.append((f"grid {span}, en+zh: report sets per minute", f"{sets / seconds * 60:.1f}", "(report)", ""))
    label = "whole grid" if sets == whole else f"whole grid ({whole} sets) projected from {span}"
    total = seconds * whole / sets
    rows.append(
        (
            f"{label}, en+zh, 2 workers: total",
            f"{total / 60:.1f} min",
            "<= 30 min",
            ("met" if total <= 1800 else "MISSED") + ("" if sets == whole else " (projected, not measured)"),
        )
    )
    # the same grid rebuilt after one value of the FAI panel was corrected (Hubei's 2020 growth): what a maintainer
    # correcting a transcription waits for; --explain says why each set ran, in the log
    name = "nbs_fai_growth_by_province"
    correct_one_value(name, *CORRECTIONS[name])
    fixed_log = tmp / "whole-grid-corrected.log"
    print(f"rebuilding after one value of {name} was corrected: tail -f {fixed_log}", flush=True)
    fixed = bench_report(tmp / "whole-grid", *grid, "--explain", log=fixed_log)
    reran = sum(1 for line in fixed_log.read_text(encoding="utf-8").splitlines() if line.startswith("build  "))
    results.update(grid_rebuild_corrected_seconds=fixed, grid_rebuild_corrected_sets=float(reran))
    rows.append(
        (
            f"grid {span} rebuilt, one value of {name} corrected / full build",
            f"{fixed / seconds:.3f}",
            "<= 0.1",
            ("met" if fixed / seconds <= 0.1 else "MISSED") + f" ({reran} of {sets} sets ran)",
        )
    )


def bench_all(tmp: Path, args: argparse.Namespace, rows: list, results: dict, shared: list[str]) -> None:
    """Every measure but the grid (or only the scale measures, with ``--scale-only``), into ``rows``."""
    # warm-up: first kernel start and imports compile bytecode; not measured
    bench_papermill_api(tmp / "warmup", "Shanxi", 2020)
    if args.scale_only:
        bench_scale(tmp, args.quick, rows, results)
        return
    floor1 = statistics.median(bench_floor() for _ in range(3))
    api = statistics.median(bench_papermill_api(tmp / f"api{i}", "Shanxi", 2020) for i in range(2))
    report = bench_one_set(tmp)  # the same run as measure 6's warm report
    naive = bench_naive(tmp / "naive", "Shanxi", 2020)
    results.update(floor_per_notebook=floor1, papermill_api=api, report=report, one_set_warm=report, naive=naive)
    shared.append(
        "`report` (measures 1, 2, 5) and `one set: warm report` (6) are one pair of runs: "
        "report --force, Shanxi 2020 + the article check, warm kernels"
    )
    rows.append(
        (
            "builder overhead: report / papermill API",
            f"{report / api:.2f}x",
            "<= 1.15x",
            "met" if report / api <= 1.15 else "MISSED",
        )
    )
    rows.append(
        (
            "naive CLI pipeline / report",
            f"{naive / report:.2f}x",
            ">= 2x",
            "met" if naive / report >= 2 else "MISSED",
        )
    )
    floor = floor1 * len(_notebooks())
    rows.append(
        (
            "report / floor (kernel + pandas + matplotlib per notebook)",
            f"{report / floor:.2f}x",
            "(report)",
            f"floor {floor:.1f}s",
        )
    )
    if not args.skip_batch:
        # the same sets and options as the scale batch (measure 7), whose 2-worker run this one is
        w1 = bench_pool(tmp, args.quick, 1)[0]
        w2, peak = bench_pool(tmp, args.quick, 2)
        results.update(batch_workers1=w1, batch_workers2=w2, pool2=w2, peak_worker_mib=peak)
        n = 4 if args.quick else 31
        shared.append(
            f"`parallel batch` workers 2 (3) and `{n} sets: 2 warm workers` (7) are one run: "
            f"{n} story sets for 2020, no article check, warm kernels; the incremental rebuilds "
            "(8) start from its output"
        )
        rows.append(
            (
                f"parallel batch ({n} sets, no article check): workers 1 / workers 2",
                f"{w1 / w2:.2f}x",
                ">= 1.8x",
                "met" if w1 / w2 >= 1.8 else "MISSED",
            )
        )
    loading = bench_loading()
    results["loading"] = loading
    imp = statistics.median(v["import"] for v in loading.values())
    libs = sorted({lib for v in loading.values() for lib in v["plot_libs"]})
    rows.append(
        (
            "import shanxi_analysis",
            f"{imp * 1000:.0f} ms",
            "<= 500 ms",
            ("met" if imp <= 0.5 else "MISSED") + (f"; imports {libs}" if libs else "; no plot libs"),
        )
    )
    for name, v in loading.items():
        ok = v["cold"] <= 0.3 and v["warm"] <= 0.005
        rows.append(
            (
                f"load {name}: cold / warm",
                f"{v['cold'] * 1000:.0f} / {v['warm'] * 1000:.2f} ms",
                "<= 300 / 5 ms",
                "met" if ok else "MISSED",
            )
        )
    bench_scale(tmp, args.quick, rows, results)
    bench_charts(args.charts_baseline, rows, results)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="batch of 6 provinces instead of 31")
    ap.add_argument("--skip-batch", action="store_true", help="skip the parallel batch (the longest part)")
    ap.add_argument("--scale-only", action="store_true", help="only the scale measures (6-10)")
    ap.add_argument("--grid", action="store_true", help="only the whole grid in both languages (make bench-grid)")
    ap.add_argument("--grid-years", metavar="A-B", help="with --grid: these years only (the total is projected)")
    ap.add_argument("--charts-only", action="store_true", help="only the chart drawing of one set (measure 11)")
    ap.add_argument(
        "--charts-baseline",
        type=Path,
        metavar="DIR",
        help="a checkout of older code (its shanxi_analysis/ imported from DIR): measure 11 also as after / before",
    )
    args = ap.parse_args()
    nbs = _notebooks()
    rows: list[tuple[str, str, str, str]] = []
    results: dict = {"notebooks": len(nbs)}
    shared: list[str] = []  # measures that share runs, said in the output
    tmp = Path(tempfile.mkdtemp(prefix="shanxi-bench-"))
    data_copy(tmp)
    try:
        print(f"benchmarking {len(nbs)} notebooks in {tmp} ...", file=sys.stderr)
        if args.grid:
            bench_grid(tmp, args.grid_years, rows, results)
        elif args.charts_only:
            bench_charts(args.charts_baseline, rows, results)
        else:
            bench_all(tmp, args, rows, results, shared)
    except subprocess.CalledProcessError as e:
        # a build that failed keeps its folder: the builder's log, the failed attempts (_failed/) and the reports
        failed = [
            line
            for log in sorted(tmp.glob("*.log"))
            for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
            if line.strip() and not line.startswith("ok ")
        ]
        print("\n".join(failed[-40:]), file=sys.stderr)
        command = shlex.join(map(str, e.cmd))
        sys.exit(f"bench: {command} exited {e.returncode}; its logs and failed attempts are kept in {tmp}")
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    shutil.rmtree(tmp, ignore_errors=True)
    _finish(rows, results, shared)


def _finish(rows: list, results: dict, shared: list[str]) -> None:
    w = max(len(r[0]) for r in rows)
    print(f"\n{'measure':<{w}}  {'value':>16}  {'target':>14}  result")
    for r in rows:
        print(f"{r[0]:<{w}}  {r[1]:>16}  {r[2]:>14}  {r[3]}")
    print("\nseconds: " + ", ".join(f"{k} {v:.1f}" for k, v in results.items() if isinstance(v, float)))
    for line in shared:
        print(f"shared runs: {line}")
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / time.strftime("%Y%m%dT%H%M%S.json")).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
