"""Where a warm kernel's time goes: every notebook of some report sets run one after another in one warm kernel,
with the kernel process's CPU seconds (user + system, from /proc, robust to other load on the machine) and the
wall seconds per notebook.  ``--prof DIR`` also writes a cProfile of each notebook's run inside the kernel.

    .venv/bin/python bench/profile_warm.py [--sets Shanxi:2020,Hubei:2020] [--prof /tmp/prof]

Not a benchmark with a target: a tool to find what to make cheaper.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MPLBACKEND", "Agg")

from shanxi_analysis import publish  # noqa: E402


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default="Shanxi:2020,Hubei:2020")
    ap.add_argument("--prof", type=Path, default=None, help="folder for one .prof file per notebook")
    args = ap.parse_args()
    import papermill as pm

    nbs = publish.find_notebooks(ROOT / "notebooks")
    tmp = Path(tempfile.mkdtemp(prefix="shanxi-prof-"))
    warm = publish.WarmKernel()
    t = time.perf_counter()
    warm.ready(ROOT / "notebooks")
    pid = warm.pid()
    print(f"start + prepare: wall {time.perf_counter() - t:.2f} s, kernel cpu {cpu_seconds(pid):.2f} s")
    for spec in args.sets.split(","):
        prov, year = spec.split(":")
        cpu_set = wall_set = builder_set = 0.0
        for nb in nbs:
            if publish.notebook_kind(nb) != "province":
                continue
            c0, t0, b0 = cpu_seconds(warm.pid()), time.perf_counter(), time.process_time()
            km = warm.ready(nb.parent)
            c_reset = cpu_seconds(warm.pid()) - c0
            if args.prof:
                warm.run(
                    "import cProfile, shanxi_analysis.publish.kernels as _k; "
                    "_k._STATE['prof'] = cProfile.Profile(); _k._STATE['prof'].enable()"
                )
            pm.execute_notebook(
                str(nb),
                str(tmp / nb.name),
                parameters={"province": prov, "year": int(year)},
                kernel_name="python3",
                cwd=str(nb.parent),
                progress_bar=False,
                km=km,
            )
            if args.prof:
                args.prof.mkdir(parents=True, exist_ok=True)
                out = args.prof / f"{prov}-{year}-{nb.stem}.prof"
                warm.run(
                    f"import shanxi_analysis.publish.kernels as _k; _k._STATE['prof'].disable(); "
                    f"_k._STATE['prof'].dump_stats({str(out)!r})"
                )
            warm.after(failed=False)
            c, w, b = cpu_seconds(warm.pid()) - c0, time.perf_counter() - t0, time.process_time() - b0
            cpu_set += c
            wall_set += w
            builder_set += b
            print(
                f"{prov:<10} {year} {nb.stem:<30} kernel cpu {c:5.2f} s (reset {c_reset:4.2f})  "
                f"builder cpu {b:5.2f} s  wall {w:5.2f} s"
            )
        print(
            f"{prov:<10} {year} {'(set)':<30} kernel cpu {cpu_set:5.2f} s  builder cpu {builder_set:5.2f} s  "
            f"wall {wall_set:5.2f} s"
        )
    warm.close()


if __name__ == "__main__":
    main()
