"""The modules split out of present/story.py, present/charts.py and analysis/story.py import on their own (first,
in a fresh interpreter: no import cycle), and the old module paths still reach what moved."""

from __future__ import annotations

import subprocess
import sys

import pytest

MOVED = {
    "shanxi_analysis.present.economy": ("shanxi_analysis.present.story", ["economy_text", "economy_history_text"]),
    "shanxi_analysis.present.gaps": ("shanxi_analysis.present.story", ["data_gaps", "gaps_text"]),
    "shanxi_analysis.present.time_charts": ("shanxi_analysis.present.charts", ["monthly_chart", "rank_history_chart"]),
    "shanxi_analysis.analysis.economy": (
        "shanxi_analysis.analysis.story",
        ["Economy", "economy", "economy_gaps", "economy_history", "real_growth"],
    ),
}


@pytest.mark.parametrize("module", sorted(MOVED))
def test_a_split_module_imports_first_and_its_old_path_reaches_it(module):
    old, names = MOVED[module]
    code = (
        "import matplotlib; matplotlib.use('Agg')\n"
        f"import importlib; new = importlib.import_module({module!r}); old = importlib.import_module({old!r})\n"
        f"assert all(getattr(old, n) is getattr(new, n) for n in {names!r})\n"
    )
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
