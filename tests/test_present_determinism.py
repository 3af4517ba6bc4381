"""The charts come out the same whatever the machine is doing: label placement does not depend on the wall clock,
and :func:`shanxi_analysis.present.save` writes the same bytes for equal figures in every format."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import adjustText  # noqa: E402
import matplotlib.figure  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import shanxi_analysis as sa  # noqa: E402
from shanxi_analysis import (
    analysis,  # noqa: E402
    present,  # noqa: E402
)


@pytest.fixture(autouse=True)
def _close():
    yield
    plt.close("all")


def _label_positions(year: int, x: str) -> list[tuple[str, float, float]]:
    present.set_theme()
    scale = analysis.scale_table(sa.data.gdp(), sa.data.population(), sa.data.fai_growth(), year)
    fig, ax = present.figure(size=(8, 6))
    present.scale_scatter(ax, scale, "Shanxi", x, xlabel="GDP", title="t")
    labels = [t for t in ax.texts if t.get_gid() == "point-label"]
    assert labels
    return [(t.get_text(), *map(float, t.get_position())) for t in labels]


@pytest.mark.slow
@pytest.mark.parametrize("year,x", [(2019, "gdp_100m_yuan"), (2020, "gdp_per_capita_yuan")])
def test_label_positions_do_not_depend_on_the_clock(monkeypatch, year, x):
    """adjustText stops after one second of wall-clock time by default, so on a loaded machine labels landed
    elsewhere. A clock that jumps ten seconds at every reading (a very slow machine) must change nothing."""
    normal = _label_positions(year, x)
    ticks = itertools.count()
    monkeypatch.setattr(adjustText, "timer", lambda: 10.0 * next(ticks))
    slow = _label_positions(year, x)
    assert slow == normal


def _chart() -> matplotlib.figure.Figure:
    present.set_theme()
    fig, ax = present.figure(size=(4, 3))
    ax.plot([2018, 2019, 2020], [6.7, 9.3, 10.6], marker="o", label="Shanxi")  # markers get hashed ids in SVG
    ax.set_title("Shanxi")
    ax.legend()
    return fig


@pytest.mark.parametrize("suffix,magic", [("png", b"\x89PNG"), ("svg", b"<?xml"), ("pdf", b"%PDF")])
def test_save_writes_each_format_with_the_same_bytes_at_any_time(tmp_path, monkeypatch, suffix, magic):
    """``save`` worked for PNG only (its 'Software' key is PNG metadata: ValueError for SVG, ignored by PDF). Two
    equal charts saved at two different (reproducible-build) times give the same bytes: no creation date, no
    random SVG ids, no software version stamp. (Each figure is saved once, as a notebook does.)"""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    present.save(_chart(), tmp_path / f"a.{suffix}")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    present.save(_chart(), str(tmp_path / f"b.{suffix}"))
    a, b = (tmp_path / f"a.{suffix}").read_bytes(), (tmp_path / f"b.{suffix}").read_bytes()
    assert a.startswith(magic) and len(a) > 1000
    assert a == b
    assert b"Matplotlib v" not in a  # no version stamp (PNG's Software, SVG's and PDF's Creator/Producer)


def test_save_names_the_formats_it_writes(tmp_path):
    with pytest.raises(ValueError, match=r"x\.jpg.*png, svg or pdf"):
        present.save(_chart(), tmp_path / "x.jpg")


def test_save_to_a_file_object_writes_png_unless_told(tmp_path):
    import io

    png, svg = io.BytesIO(), io.BytesIO()
    present.save(_chart(), png)
    present.save(_chart(), svg, format="svg")
    assert png.getvalue().startswith(b"\x89PNG") and svg.getvalue().startswith(b"<?xml")
