"""Where a report set's chart seconds go: the code cells of the province story's notebooks run one after another in
one process, in an IPython shell with the inline backend showing SVG as in the kernel (``present.setup``), for some
(province, year, language) sets.  Prints the CPU seconds of every chart call a notebook makes (``present.figure``,
the chart function, ``present.show``: the page's SVG) and, with ``--prof``, the same run under cProfile split into
the passes that cost (layout, legend placement, the SVG's two draws).

    .venv/bin/python bench/profile_charts.py [--sets Shanxi:2020:en,Shanxi:2020:zh] [--prof] [--svg DIR]

``--svg DIR`` writes every chart's SVG as displayed (``<set>-<notebook>-<n>.svg``), to compare two versions of the
code byte for byte; ``--package DIR`` imports ``shanxi_analysis`` from another checkout (the notebooks stay this
one's), so two versions can be measured in turns.  ``bench/run.py`` runs it with ``--json`` for its measure 11,
"chart drawing of one set".  Not a test: it prints figures.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import cProfile
import io
import json
import os
import pstats
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
os.environ.setdefault("MPLBACKEND", "Agg")

#: The modules whose functions draw charts; a call a notebook makes to one of them counts as chart time.
CHART_MODULES = (
    "shanxi_analysis.present.theme",
    "shanxi_analysis.present.charts",
    "shanxi_analysis.present.maps",
    "shanxi_analysis.present.labels",
)
DEFAULT_SETS = "Shanxi:2020:en,Shanxi:2020:zh,Gansu:2016:en,Gansu:2016:zh,Guangdong:2021:en,Guangdong:2021:zh"


def story_notebooks() -> list[Path]:
    """The province story's notebooks, in order (the builder's own list)."""
    from shanxi_analysis import publish

    return [nb for nb in publish.find_notebooks(ROOT / "notebooks") if publish.notebook_kind(nb) == "province"]


def code_cells(nb: Path) -> list[str]:
    import nbformat

    return [c.source for c in nbformat.read(nb, as_version=4).cells if c.cell_type == "code"]


class Shell:
    """An IPython shell as a kernel runs one: the inline backend, display data captured instead of printed (one
    per process: IPython's shell is a singleton)."""

    _made: Shell | None = None

    def __new__(cls) -> Shell:
        if cls._made is None:
            cls._made = super().__new__(cls)
            cls._made._start()
        return cls._made

    def _start(self) -> None:
        from IPython.core.displaypub import DisplayPublisher
        from IPython.core.interactiveshell import InteractiveShell

        outputs: list[tuple[dict, dict]] = []

        class Capture(DisplayPublisher):
            def publish(self, data, metadata=None, *args: Any, **kw: Any) -> None:
                outputs.append((data, metadata or {}))

        class Quiet(InteractiveShell):
            def enable_gui(self, gui: Any = None) -> None:  # the inline backend needs no event loop
                pass

        self.outputs = outputs
        self.shell = Quiet.instance()
        self.shell.display_pub = Capture(shell=self.shell)
        self.shell.run_line_magic("matplotlib", "inline")

    def run(self, code: str, where: str) -> None:
        with contextlib.redirect_stdout(io.StringIO()):  # the display hook prints cells' results (as Out[n])
            result = self.shell.run_cell(code, store_history=False, silent=False)
        if not result.success:
            raise RuntimeError(f"{where}: the cell failed: {result.error_in_exec or result.error_before_exec!r}")


class ChartClock:
    """CPU seconds of the chart calls made through ``shanxi_analysis.present`` (the notebooks' one surface),
    keyed by function name; a chart module's function calling another is counted once, in its caller."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = collections.defaultdict(float)
        self.calls: dict[str, int] = collections.defaultdict(int)
        self._depth = 0

    def wrap(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kw: Any) -> Any:
            if self._depth:
                return fn(*args, **kw)
            self._depth += 1
            t = time.process_time()
            try:
                return fn(*args, **kw)
            finally:
                self.seconds[fn.__name__] += time.process_time() - t
                self.calls[fn.__name__] += 1
                self._depth -= 1

        timed.__wrapped__ = fn  # type: ignore[attr-defined]
        return timed

    def install(self) -> Iterator[None]:
        from shanxi_analysis import present

        saved = {}
        for name in dir(present):
            obj = getattr(present, name)
            if callable(obj) and getattr(obj, "__module__", "") in CHART_MODULES and not isinstance(obj, type):
                saved[name] = obj
                setattr(present, name, self.wrap(obj))
        try:
            yield
        finally:
            for name, obj in saved.items():
                setattr(present, name, obj)


def run_sets(sets: list[tuple[str, int, str]], svg_dir: Path | None = None, quiet: bool = False) -> dict[str, Any]:
    """Run the story notebooks' cells for each set; per set: the cells' CPU seconds, the chart calls' CPU seconds
    by function, the number of charts."""
    shell = Shell()
    nbs = story_notebooks()
    out: dict[str, Any] = {}
    for province, year, lang in sets:
        key = f"{province}-{year}-{lang}"
        clock = ChartClock()
        cells = 0.0
        charts = 0
        for nb in nbs:
            start = len(shell.outputs)
            with contextlib.contextmanager(clock.install)():
                for i, code in enumerate(code_cells(nb)):
                    if i == 1:  # papermill injects the parameters after the parameters cell
                        shell.run(f"province = {province!r}\nyear = {year}\nlang = {lang!r}", f"{nb.name} parameters")
                    t = time.process_time()
                    shell.run(code, f"{key} {nb.name} cell {i}")
                    cells += time.process_time() - t
            svgs = [d["image/svg+xml"] for d, _ in shell.outputs[start:] if "image/svg+xml" in d]
            charts += len(svgs)
            if svg_dir is not None:
                svg_dir.mkdir(parents=True, exist_ok=True)
                for n, svg in enumerate(svgs):
                    (svg_dir / f"{key}-{nb.stem}-{n}.svg").write_text(svg)
        del shell.outputs[:]
        out[key] = {
            "cells": cells,
            "charts": charts,
            "chart_seconds": sum(clock.seconds.values()),
            "by_function": dict(clock.seconds),
            "calls": dict(clock.calls),
        }
        if not quiet:
            by = ", ".join(f"{k} {v:.2f}" for k, v in sorted(clock.seconds.items(), key=lambda kv: -kv[1]))
            print(
                f"{key:<20} cells {cells:5.2f} s  charts {charts}  chart calls {out[key]['chart_seconds']:5.2f} s "
                f"({by})",
                flush=True,
            )
    return out


def parse_sets(spec: str) -> list[tuple[str, int, str]]:
    out = []
    for item in spec.split(","):
        province, year, *lang = item.split(":")
        out.append((province, int(year), lang[0] if lang else "en"))
    return out


#: The passes of a chart's drawing, as (label, function as pstats names it: file suffix, name).
PASSES = (
    ("figure creation (plt.subplots)", "pyplot.py", "subplots"),
    ("constrained layout (all passes)", "_constrained_layout.py", "do_constrained_layout"),
    ("legend placement (set_legend)", "theme.py", "set_legend"),
    ("tile labels fit (fit_tile_labels)", "maps.py", "fit_tile_labels"),
    ("scatter labels (place_labels)", "labels.py", "place_labels"),
    ("show(): display, the SVG for the page", "theme.py", "show"),
    ("  print_figure (inline backend)", "backend_bases.py", "print_figure"),
    ("  print_svg (the final SVG render)", "backend_svg.py", "print_svg"),
    ("Figure.draw (every pass)", "figure.py", "draw"),
    ("Figure.draw_without_rendering", "figure.py", "draw_without_rendering"),
    ("Figure.get_tightbbox", "figure.py", "get_tightbbox"),
    ("text layout (Text._get_layout)", "text.py", "_get_layout"),
)


def profile(sets: list[tuple[str, int, str]], dump: Path | None) -> None:
    run_sets(sets[:1], quiet=True)  # warm-up: imports, font cache, data cache
    prof = cProfile.Profile()
    prof.enable()
    result = run_sets(sets, quiet=True)
    prof.disable()
    if dump:
        prof.dump_stats(str(dump))
    stats = pstats.Stats(prof, stream=io.StringIO())
    total = sum(v["cells"] for v in result.values())
    charts = sum(v["charts"] for v in result.values())
    print(f"\nunder cProfile: {len(sets)} sets, {charts} charts, cells {total:.2f} CPU s")
    table = stats.stats  # type: ignore[attr-defined]
    for label, suffix, name in PASSES:
        hits = [(k, v) for k, v in table.items() if k[0].endswith(suffix) and k[2] == name]
        cum = sum(v[3] for _, v in hits)
        ncalls = sum(v[1] for _, v in hits)
        print(f"  {label:<42} {cum:7.2f} s  {ncalls:6d} calls  {cum / len(sets):6.2f} s per set")
    # Figure.draw by caller: which code draws a figure, and how often
    print("  Figure.draw by caller:")
    for k, v in table.items():
        if k[0].endswith("figure.py") and k[2] == "draw":
            for caller, cv in sorted(v[4].items(), key=lambda kv: -kv[1][3]):
                print(f"    {caller[0].rsplit('/', 1)[-1]}:{caller[2]:<36} {cv[3]:7.2f} s  {cv[1]:5d} calls")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sets", default=DEFAULT_SETS, help="province:year:lang, comma-separated")
    ap.add_argument("--prof", action="store_true", help="also run under cProfile and split the drawing by pass")
    ap.add_argument("--dump", type=Path, default=None, help="with --prof: write the cProfile stats here")
    ap.add_argument("--svg", type=Path, default=None, help="write every chart's SVG into this folder")
    ap.add_argument("--json", type=Path, default=None, help="write the per-set seconds as JSON here")
    ap.add_argument(
        "--package",
        type=Path,
        default=ROOT,
        help="the folder to import shanxi_analysis from (another checkout: compare two versions in turns on the "
        "same notebooks)",
    )
    args = ap.parse_args()
    sys.path.insert(0, str(args.package))
    sets = parse_sets(args.sets)
    run_sets(sets[:1], quiet=True)  # warm-up, not counted
    result = run_sets(sets, svg_dir=args.svg)
    n = len(result)
    print(
        f"mean per set: cells {sum(v['cells'] for v in result.values()) / n:.2f} CPU s, chart calls "
        f"{sum(v['chart_seconds'] for v in result.values()) / n:.2f} CPU s, "
        f"{sum(v['charts'] for v in result.values()) / n:.1f} charts"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    if args.prof:
        profile(sets, args.dump)


if __name__ == "__main__":
    main()
