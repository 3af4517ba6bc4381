"""Benchmarks for shanxi-analysis: report regeneration and data loading, printed as ratios.

Run with ``make bench`` (or ``.venv/bin/python bench/run.py [--quick] [--skip-batch]``).  Everything is measured
in one run on the same machine, so the ratios hold on a noisy machine; absolute seconds are printed for context.
Nothing here is a test: it prints figures and never fails on time.

Measures (targets from the benchmark issue):
1. builder overhead  = `report` command (default parameters) / papermill API alone on the same notebooks  (<= 1.15)
2. naive pipeline    = papermill CLI + `jupyter nbconvert --to html --no-input` per notebook / `report`     (>= 2)
3. parallel batch    = 31 provinces, --workers 1 / --workers 2                                               (>= 1.8)
4. data loading      = each dataset cold (first call in a fresh process) <= 300 ms, warm <= 5 ms;
                       `import shanxi_analysis` <= 0.5 s with no plotting library imported
5. floor             = start a python3 kernel and import pandas and seaborn, times the number of notebooks;
                       the builder's time as a multiple of it
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
PY = sys.executable
BIN = Path(PY).parent
ENV = {**os.environ, "MPLBACKEND": "Agg", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


def _run(cmd: list[str], **kw) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    return time.perf_counter() - t


def _notebooks() -> list[Path]:
    return sorted(p for p in NOTEBOOKS.glob("[0-9][0-9]-*.ipynb"))


def bench_report(out: Path, *args: str) -> float:
    return _run([PY, "-m", "shanxi_analysis", "report", "--out", str(out), *args])


def bench_papermill_api(out: Path, province: str, year: int) -> float:
    code = (
        "import sys, papermill as pm\n"
        "from pathlib import Path\n"
        "out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)\n"
        "for nb in sys.argv[4:]:\n"
        "    pm.execute_notebook(nb, str(out / Path(nb).name), parameters={'province': sys.argv[2], 'year': int(sys.argv[3])},\n"
        "                        kernel_name='python3', cwd=str(Path(nb).parent), progress_bar=False)\n"
    )
    return _run([PY, "-c", code, str(out), province, str(year), *map(str, _notebooks())])


def bench_naive(out: Path, province: str, year: int) -> float:
    out.mkdir(parents=True, exist_ok=True)
    t = time.perf_counter()
    for nb in _notebooks():
        executed = out / nb.name
        subprocess.run([str(BIN / "papermill"), str(nb), str(executed), "-p", "province", province, "-p", "year",
                        str(year), "-k", "python3", "--cwd", str(NOTEBOOKS)], check=True, env=ENV,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        subprocess.run([str(BIN / "jupyter"), "nbconvert", "--to", "html", "--no-input", str(executed)], check=True,
                       env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t


def bench_floor() -> float:
    code = (
        "import time\n"
        "from jupyter_client.manager import start_new_kernel\n"
        "t = time.perf_counter()\n"
        "km, kc = start_new_kernel(kernel_name='python3')\n"
        "kc.execute_interactive('import pandas, seaborn', timeout=120)\n"
        "km.shutdown_kernel(now=True)\n"
        "print(time.perf_counter() - t)\n"
    )
    res = subprocess.run([PY, "-c", code], check=True, env=ENV, capture_output=True, text=True)
    return float(res.stdout.strip().splitlines()[-1])


def bench_loading() -> dict:
    code = (
        "import json, sys, time\n"
        "t = time.perf_counter(); import shanxi_analysis as sa; t_imp = time.perf_counter() - t\n"
        "plot_libs = sorted(m for m in ('matplotlib', 'seaborn') if m in sys.modules)\n"
        "from shanxi_analysis import datasets\n"
        "import pandas\n"
        "name = sys.argv[1]; f = getattr(datasets, name)\n"
        "t = time.perf_counter(); f(); cold = time.perf_counter() - t\n"
        "warm = []\n"
        "for _ in range(20):\n"
        "    t = time.perf_counter(); f(); warm.append(time.perf_counter() - t)\n"
        "warm.sort()\n"
        "print(json.dumps({'import': t_imp, 'plot_libs': plot_libs, 'cold': cold, 'warm': warm[len(warm) // 2]}))\n"
    )
    names = json.loads(subprocess.run([PY, "-c", "import json; from shanxi_analysis import datasets; "
                                       "print(json.dumps(datasets.available()))"], check=True, env=ENV,
                                      capture_output=True, text=True).stdout)
    out = {}
    for name in names:
        subprocess.run([PY, "-c", code, name], check=True, env=ENV, capture_output=True)  # fill the disk cache
        runs = [json.loads(subprocess.run([PY, "-c", code, name], check=True, env=ENV, capture_output=True,
                                          text=True).stdout) for _ in range(3)]
        out[name] = {k: (statistics.median(r[k] for r in runs) if k != "plot_libs" else runs[0][k])
                     for k in runs[0]}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="batch of 6 provinces instead of 31")
    ap.add_argument("--skip-batch", action="store_true", help="skip the parallel batch (the longest part)")
    args = ap.parse_args()
    nbs = _notebooks()
    rows: list[tuple[str, str, str, str]] = []
    results: dict = {"notebooks": len(nbs)}
    tmp = Path(tempfile.mkdtemp(prefix="shanxi-bench-"))
    try:
        print(f"benchmarking {len(nbs)} notebooks in {tmp} ...", file=sys.stderr)
        # warm-up: first kernel start and imports compile bytecode; not measured
        bench_papermill_api(tmp / "warmup", "Shanxi", 2020)
        floor1 = statistics.median(bench_floor() for _ in range(3))
        api = statistics.median(bench_papermill_api(tmp / f"api{i}", "Shanxi", 2020) for i in range(2))
        report = statistics.median(bench_report(tmp / f"rep{i}") for i in range(2))
        naive = bench_naive(tmp / "naive", "Shanxi", 2020)
        results.update(floor_per_notebook=floor1, papermill_api=api, report=report, naive=naive)
        rows.append(("builder overhead: report / papermill API", f"{report / api:.2f}x", "<= 1.15x",
                     "met" if report / api <= 1.15 else "MISSED"))
        rows.append(("naive CLI pipeline / report", f"{naive / report:.2f}x", ">= 2x",
                     "met" if naive / report >= 2 else "MISSED"))
        floor = floor1 * len(nbs)
        rows.append(("report / floor (kernel + pandas + seaborn per notebook)", f"{report / floor:.2f}x",
                     "(report)", f"floor {floor:.1f}s"))
        if not args.skip_batch:
            provs = ["--all-provinces"] if not args.quick else sum(
                (["--province", p] for p in ("Shanxi", "Hubei", "Guangdong", "Tibet", "Beijing", "Xinjiang")), [])
            w1 = bench_report(tmp / "w1", *provs, "--year", "2020", "--workers", "1")
            w2 = bench_report(tmp / "w2", *provs, "--year", "2020", "--workers", "2")
            results.update(batch_workers1=w1, batch_workers2=w2)
            label = "all 31" if not args.quick else "6 provinces"
            rows.append((f"parallel batch ({label}): workers 1 / workers 2", f"{w1 / w2:.2f}x", ">= 1.8x",
                         "met" if w1 / w2 >= 1.8 else "MISSED"))
        loading = bench_loading()
        results["loading"] = loading
        imp = statistics.median(v["import"] for v in loading.values())
        libs = sorted({lib for v in loading.values() for lib in v["plot_libs"]})
        rows.append(("import shanxi_analysis", f"{imp * 1000:.0f} ms", "<= 500 ms",
                     ("met" if imp <= 0.5 else "MISSED") + (f"; imports {libs}" if libs else "; no plot libs")))
        for name, v in loading.items():
            ok = v["cold"] <= 0.3 and v["warm"] <= 0.005
            rows.append((f"load {name}: cold / warm", f"{v['cold'] * 1000:.0f} / {v['warm'] * 1000:.2f} ms",
                         "<= 300 / 5 ms", "met" if ok else "MISSED"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    w = max(len(r[0]) for r in rows)
    print(f"\n{'measure':<{w}}  {'value':>16}  {'target':>14}  result")
    for r in rows:
        print(f"{r[0]:<{w}}  {r[1]:>16}  {r[2]:>14}  {r[3]}")
    print(f"\nseconds: papermill API {results['papermill_api']:.1f}, report {results['report']:.1f}, naive "
          f"{results['naive']:.1f}, floor {results['floor_per_notebook']:.2f} per notebook"
          + (f", batch w1 {results['batch_workers1']:.1f} / w2 {results['batch_workers2']:.1f}"
             if "batch_workers1" in results else ""))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / time.strftime("%Y%m%dT%H%M%S.json")).write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
