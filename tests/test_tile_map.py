"""The province story's tile grid (present.maps, present.tile_map): one square per provincial-level division,
placed roughly by geography, coloured by the scale the data gives, hatched where a figure is missing, labelled in
the page's language.  Expected values are computed here from the datasets, never copied from the chart."""

from __future__ import annotations

import itertools
import math

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest

import shanxi_analysis as sa
from shanxi_analysis import analysis, present
from shanxi_analysis import numbers as fmt

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def fai():
    present.set_theme()
    return sa.data.fai_growth()


def _draw(table, province, lang="en", year=None):
    fig, ax = present.figure(size=(8, 6.9))  # the notebook's size: the site's figure width
    present.tile_map(ax, table, province, title="Map", year=year, lang=lang)
    present.add_source(fig, sa.data.fai_growth(), lang=lang)
    fig.canvas.draw()
    return fig, ax


def _cell_of(vertices) -> tuple[int, int]:
    """The grid cell (column, row) whose centre a drawn square surrounds."""
    x, y = np.asarray(vertices)[:4].mean(axis=0)
    return math.floor(x), math.floor(y)


def _squares(ax, gid) -> dict[tuple[int, int], int]:
    """Cell -> index of its square in the collection ``gid``."""
    coll = next(c for c in ax.collections if c.get_gid() == gid)
    return {_cell_of(p.vertices): i for i, p in enumerate(coll.get_paths())}


def _texts(ax, gid) -> dict[tuple[int, int], str]:
    return {
        (math.floor(t.get_position()[0]), math.floor(t.get_position()[1])): t.get_text()
        for t in ax.texts
        if t.get_gid() == gid and t.get_visible()
    }


# --------------------------------------------------------------------------------------------- the layout table
def test_every_province_has_exactly_one_square_and_no_two_squares_share_a_cell():
    names = list(sa.data.provinces()["name_en"])
    assert len(names) == 31
    assert sorted(present.TILES) == sorted(names)  # each of the 31, nothing else
    cells = [*present.TILES.values(), *present.NOT_COVERED.values()]
    assert len(cells) == len(set(cells)) == 34, "two squares share a cell"
    assert all(isinstance(c, int) and isinstance(r, int) and c >= 0 and r >= 0 for c, r in cells)
    assert not set(present.NOT_COVERED) & set(names)  # Hong Kong, Macao, Taiwan are not in provinces()
    codes = present.TILE_CODES
    assert set(codes) == set(names) | set(present.NOT_COVERED)
    assert len(set(codes.values())) == len(codes) and all(c.isalpha() and c.isupper() for c in codes.values())


def _touch(a: str, b: str) -> bool:
    """Side by side or corner to corner."""
    cells = present.TILES | present.NOT_COVERED
    (c1, r1), (c2, r2) = cells[a], cells[b]
    return max(abs(c1 - c2), abs(r1 - r2)) == 1


@pytest.mark.parametrize(
    "a,b",
    [
        ("Shanxi", "Hebei"), ("Shanxi", "Henan"), ("Shanxi", "Shaanxi"), ("Shanxi", "Inner Mongolia"),
        ("Beijing", "Tianjin"), ("Beijing", "Hebei"), ("Shanghai", "Jiangsu"), ("Shanghai", "Zhejiang"),
        ("Sichuan", "Chongqing"), ("Heilongjiang", "Jilin"), ("Xinjiang", "Gansu"), ("Yunnan", "Guangxi"),
        ("Guangdong", "Hong Kong"), ("Guangdong", "Macao"), ("Fujian", "Taiwan"),
    ],
)  # fmt: skip
def test_known_neighbours_stay_neighbours(a, b):
    assert _touch(a, b), f"{a} {present.TILES.get(a) or present.NOT_COVERED.get(a)} and {b} are not neighbours"


def test_only_the_documented_borders_are_lost():
    """Every pair sharing a border in the shipped boundaries touches on the grid, except those the table's comment
    names (one square cannot reach all of Inner Mongolia's neighbours)."""
    shapes = sa.data.province_shapes()
    lost = {frozenset((p, q)) for p in shapes["province"] for q in analysis.neighbours(shapes, p) if not _touch(p, q)}
    documented = {frozenset(("Inner Mongolia", p)) for p in ("Gansu", "Shaanxi", "Liaoning", "Jilin", "Heilongjiang")}
    assert lost == documented | {frozenset(("Xinjiang", "Tibet"))}


def test_north_stays_north_and_west_stays_west():
    cells = present.TILES | present.NOT_COVERED
    for north, south in [("Heilongjiang", "Hainan"), ("Inner Mongolia", "Shanxi"), ("Beijing", "Hebei"),
                         ("Hebei", "Henan"), ("Hubei", "Hunan"), ("Guangdong", "Hainan")]:  # fmt: skip
        assert cells[north][1] < cells[south][1], (north, south)
    for west, east in [("Xinjiang", "Gansu"), ("Shaanxi", "Shanxi"), ("Shanxi", "Hebei"), ("Jiangsu", "Shanghai"),
                       ("Sichuan", "Chongqing"), ("Guangxi", "Guangdong"), ("Fujian", "Taiwan")]:  # fmt: skip
        assert cells[west][0] < cells[east][0], (west, east)


# --------------------------------------------------------------------------------------------- the chart
def test_each_square_has_the_colour_the_scale_gives_its_growth(fai):
    table = analysis.year_table(fai, 2020)
    fig, ax = _draw(table, "Shanxi", year=2020)
    fill = next(c for c in ax.collections if c.get_gid() == "tile-fill")
    growth = dict(zip(table["province"], table["fai_growth_pct"], strict=True))
    assert len(growth) == 31 and all(np.isfinite(list(growth.values())))
    # 2020 has growth of both signs: a diverging scale, symmetric about zero, reaching the largest absolute value
    m = max(-min(growth.values()), max(growth.values()))
    scale = matplotlib.colors.Normalize(-m, m)
    cmap = matplotlib.colormaps["BrBG"]
    at = _squares(ax, "tile-fill")
    faces = fill.get_facecolors()
    assert len(faces) == len(at) == 31
    for name, cell in present.TILES.items():
        want = cmap(scale(growth[name]))
        assert np.allclose(faces[at[cell]], want, atol=1e-6), f"{name}: {faces[at[cell]]} != {want}"
    # the colour bar is the scale of the squares, so its legend reads what they show
    assert fill.colorbar is not None and fill.colorbar.ax in ax.child_axes  # drawn in the grid's empty corner
    # every square is labelled with its published value
    values = _texts(ax, "tile-value")
    for name, cell in present.TILES.items():
        assert values[cell] == fmt.number(growth[name], 1).replace("-", "\u2212"), name  # the unit is on the bar


def test_a_province_without_a_figure_is_hatched_named_and_shown_without_a_value(fai):
    missing = set(analysis.missing_provinces(fai, 1992))
    assert missing, "1992 no longer has a province without a figure: pick a year that has one"
    table = analysis.year_table(fai, 1992)
    assert missing == set(present.TILES) - set(table["province"])
    fig, ax = _draw(table, "Shanxi", year=1992)
    hatch = next(c for c in ax.collections if c.get_gid() == "tile-missing")
    assert hatch.get_hatch() == present.MISSING_HATCH
    assert set(_squares(ax, "tile-missing")) == {present.TILES[p] for p in missing}
    values = _texts(ax, "tile-value")
    assert not {present.TILES[p] for p in missing} & set(values)  # a gap stays a gap
    assert len(values) == 31 - len(missing)
    caption = present.theme.figure_record(fig)["note"]
    provinces = sa.data.provinces()
    later = {p for p in missing if analysis.not_yet(provinces, p, 1992) is not None}  # Chongqing, then in Sichuan
    for p in missing - later:
        assert p in caption.split("Hatched (no figure):")[1].split(".")[0], caption
    for p in later:
        parent = analysis.not_yet(provinces, p, 1992).parent
        assert (
            f"{p}, part of {parent} until" in caption
            and p not in caption.split("Hatched (no figure):")[1].split(".")[0]
        )
    # the year's divisions: one fewer for each set up later (30 in 1992), of which those with a figure
    divisions = 31 - len(later)
    assert f"for {divisions - len(missing - later)} of the {divisions} provincial-level divisions" in caption
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["no figure", "not covered by the statistics"]


def test_hong_kong_macao_and_taiwan_are_grey_without_a_value(fai):
    table = analysis.year_table(fai, 2020)
    for lang in ("en", "zh"):
        fig, ax = _draw(table, "Shanxi", lang=lang, year=2020)
        grey = next(c for c in ax.collections if c.get_gid() == "tile-not-covered")
        assert set(_squares(ax, "tile-not-covered")) == set(present.NOT_COVERED.values())
        assert all(np.allclose(f, matplotlib.colors.to_rgba(present.NOT_COVERED_COLOR)) for f in grey.get_facecolors())
        assert not set(present.NOT_COVERED.values()) & set(_texts(ax, "tile-value"))
        rec = present.theme.figure_record(fig)
        if lang == "zh":
            # why three squares are grey
            assert "灰色方块：香港、澳门和台湾，国家统计局分省数据不含这些地区" in rec["note"]
            assert "香港、澳门和台湾" in rec["alt"]
            assert "非标准地图" not in rec["note"] and "未绘出" not in rec["note"]
        else:
            assert "Hong Kong, Macao and Taiwan" in rec["note"] and "Hong Kong, Macao and Taiwan" in rec["alt"]
        # the data file lists the 31 provinces with the code an English square shows, the same in both languages
        data = rec["data"]
        assert data["columns"] == ["adcode", "province", "code", "fai_growth_pct"] and len(data["rows"]) == 31
        english = {present.place(n, lang): n for n in sa.data.provinces()["name_en"]}  # the file's names -> English
        assert [r[2] for r in data["rows"]] == [present.TILE_CODES[english[r[1]]] for r in data["rows"]]
        plt.close(fig)


def test_the_story_province_is_outlined(fai):
    table = analysis.year_table(fai, 2020)
    fig, ax = _draw(table, "Henan", year=2020)
    (outline,) = [p for p in ax.patches if p.get_gid() == "tile-highlight"]
    x, y = outline.get_xy()
    assert (math.floor(x + outline.get_width() / 2), math.floor(y + outline.get_height() / 2)) == present.TILES["Henan"]
    assert matplotlib.colors.same_color(outline.get_edgecolor(), present.HIGHLIGHT)
    assert (
        "Henan, outlined: " + fmt.pct(table.set_index("province").loc["Henan", "fai_growth_pct"])
        in (present.theme.figure_record(fig)["alt"])
    )


def test_the_alt_text_gives_the_range_of_the_usable_figures(fai):
    """Heilongjiang 2016's tile grid alt text said growth ranged "from −63.5%", Liaoning's flagged figure, while the
    page's text gave −5.1% as the lowest (a Chinese editor). The range is now that of the unflagged figures, read
    here from data/raw (the flagged ones from fai_growth_annotations.csv)."""
    import csv
    from pathlib import Path

    raw = Path(__file__).resolve().parents[1] / "data" / "raw"
    with open(raw / "fai_growth_annotations.csv", encoding="utf-8") as fh:
        flagged = {r["province"] for r in csv.DictReader(fh) if r["year"] == "2016"}
    table = analysis.year_table(fai, 2016)
    usable = table[~table["province"].isin(flagged)]["fai_growth_pct"]
    assert "Liaoning" in flagged and table["fai_growth_pct"].min() < usable.min()  # the case this test is about
    fig, ax = _draw(table, "Heilongjiang", year=2016)
    alt = present.theme.figure_record(fig)["alt"]
    assert f"from {fmt.pct(usable.min())} to {fmt.pct(usable.max())}" in alt, alt


def test_english_squares_carry_the_codes_and_chinese_squares_the_names_from_provinces(fai):
    table = analysis.year_table(fai, 2020)
    fig, ax = _draw(table, "Shanxi", lang="en", year=2020)
    names = _texts(ax, "tile-name")
    for name, cell in (present.TILES | present.NOT_COVERED).items():
        assert names[cell] == present.TILE_CODES[name]
    if present.cjk_font() is None:
        pytest.skip("no CJK font installed; install with: make browser-deps (fonts-noto-cjk)")
    fig, ax = _draw(table, "Shanxi", lang="zh", year=2020)
    names = _texts(ax, "tile-name")
    provinces = sa.data.provinces()
    for name_en, name_zh in zip(provinces["name_en"], provinces["name_zh"], strict=True):
        assert names[present.TILES[name_en]] == name_zh
    for name, cell in present.NOT_COVERED.items():
        assert names[cell] == present.term(name, "zh")  # from the catalog's terms: not in provinces()
    assert {names[c] for c in present.NOT_COVERED.values()} == {"香港", "澳门", "台湾"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("year", [1992, 2020])
def test_at_the_site_width_no_text_collides_and_every_label_fits_its_square(fai, lang, year, tmp_path):
    fig, ax = _draw(analysis.year_table(fai, year), "Inner Mongolia", lang=lang, year=year)
    assert fig.get_figwidth() == present.theme.MAX_WIDTH
    renderer = fig.canvas.get_renderer()
    axes = [*fig.axes, *ax.child_axes]  # the colour bar is an inset of the grid's axes
    texts = [t for a in axes for t in [*a.texts, *a.get_xticklabels(), a.xaxis.label, a.title]]
    texts += [*ax.get_legend().get_texts(), *fig.texts]
    boxes = [(t.get_text(), t.get_window_extent(renderer)) for t in texts if t.get_visible() and t.get_text()]
    for (a, p), (b, q) in itertools.combinations(boxes, 2):
        w, h = min(p.x1, q.x1) - max(p.x0, q.x0), min(p.y1, q.y1) - max(p.y0, q.y0)
        assert not (w > 0.5 and h > 0.5), f"{a!r} overlaps {b!r}"
    # every name and every value lies inside its own square, at a readable size
    square = next(c for c in ax.collections if c.get_gid() == "tile-fill").get_paths()[0].vertices
    side = np.ptp(ax.transData.transform(square)[:, 0])
    assert side >= 50, f"a square is {side:.0f} px wide"
    for t in ax.texts:
        if t.get_gid() in ("tile-name", "tile-value") and t.get_visible():
            box = t.get_window_extent(renderer)
            assert box.width < side and box.height < side / 2, t.get_text()
            assert t.get_fontsize() >= present.theme.LABEL_FONT
    n_values = sum(1 for t in ax.texts if t.get_gid() == "tile-value")
    assert n_values == sum(1 for t in ax.texts if t.get_gid() == "tile-value" and t.get_visible())  # none hidden
    present.save(fig, tmp_path / "map.png")  # the theme's save path
    assert (tmp_path / "map.png").stat().st_size > 10_000
