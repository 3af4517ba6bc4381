"""The charts come out the same whatever the machine is doing: label placement does not depend on the wall clock,
and :func:`shanxi_analysis.present.theme.save` writes the same bytes for equal figures in every format."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import adjustText  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import shanxi_analysis as sa  # noqa: E402
from shanxi_analysis import analysis  # noqa: E402
from shanxi_analysis.present import charts, theme  # noqa: E402


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _label_positions(year: int, x: str) -> list[tuple[str, float, float]]:
    theme.set_theme()
    scale = analysis.scale_table(sa.datasets.gdp(), sa.datasets.population(), sa.datasets.fai_growth(), year)
    fig, ax = theme.figure(size=(8, 6))
    charts.scale_scatter(ax, scale, "Shanxi", x, xlabel="GDP", title="t")
    labels = [t for t in ax.texts if t.get_gid() == "point-label"]
    assert labels
    return [(t.get_text(), *map(float, t.get_position())) for t in labels]


@pytest.mark.parametrize("year,x", [(2019, "gdp_100m_yuan"), (2020, "gdp_per_capita_yuan")])
def test_label_positions_do_not_depend_on_the_clock(monkeypatch, year, x):
    """adjustText stops after one second of wall-clock time by default, so on a loaded machine labels landed
    elsewhere. A clock that jumps ten seconds at every reading (a very slow machine) must change nothing."""
    normal = _label_positions(year, x)
    ticks = itertools.count()
    monkeypatch.setattr(adjustText, "timer", lambda: 10.0 * next(ticks))
    slow = _label_positions(year, x)
    assert slow == normal
