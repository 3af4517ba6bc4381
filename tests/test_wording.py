"""A chart drawn once for every language (``shanxi_analysis.present.wording``, issue 24): words that can be written
in every language (``messages.Words``), texts measured in each, and the figure of a notebook's first language handed
back, not drawn again, when the notebook continues in the next one."""

from __future__ import annotations

import pickle

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import shanxi_analysis as sa  # noqa: E402
from shanxi_analysis import present  # noqa: E402
from shanxi_analysis.messages import Words, every_language, in_lang, place, say  # noqa: E402
from shanxi_analysis.present import wording  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Glyph")


@pytest.fixture(autouse=True)
def _theme():
    present.set_theme()
    wording.forget_charts()
    yield
    wording.forget_charts()
    plt.close("all")


def test_said_words_are_the_sentence_and_write_themselves_in_every_language():
    en = say("label.fai_growth_axis", "en")
    assert isinstance(en, Words) and en.lang == "en" and en != say("label.fai_growth_axis", "zh")
    assert en.to("zh") == say("label.fai_growth_axis", "zh") and en.to("zh").lang == "zh"
    assert en.to("zh").to("en") == en
    assert every_language(en) == [str(en), str(say("label.fai_growth_axis", "zh"))]
    assert every_language("plain") == ["plain"]


def test_facts_written_in_a_language_are_written_again_in_the_other():
    """A fact that is itself words (a flag's wording, a list of them, a named tuple holding them) is written in the
    language the sentence is written in, never left in the first one."""
    why = say("flag.short", "en", flag="revision artefact", many=False)
    title = say("label.source", "en", names=[place("Shanxi", "en")])
    assert in_lang({"a": [why, (title, 1)]}, "zh") == {"a": [str(why.to("zh")), (str(title.to("zh")), 1)]}
    joined = place("Shanxi", "en") + " *"
    assert isinstance(joined, Words) and joined.to("zh") == "山西 *"
    assert ("(" + place("Hubei", "en")).to("zh") == "(湖北"
    assert (
        place("Hubei", "en").map(str.upper).to("zh") == "湖北".upper()
        and place("Hubei", "en").map(str.upper) == "HUBEI"
    )


def test_words_pickle_as_plain_text():
    w = place("Shanxi", "en")
    back = pickle.loads(pickle.dumps(w))
    assert back == "Shanxi" and type(back) is str


def test_a_text_in_several_languages_is_measured_as_the_longer_of_them():
    fig, ax = present.figure(size=(4, 3))
    en, zh = say("label.fai_growth_axis", "en"), say("label.fai_growth_axis", "zh")
    both = ax.text(0, 0, en)
    alone_en = ax.text(0, 0, str(en))
    alone_zh = ax.text(0, 0, str(zh))
    renderer = present.theme.renderer_of(fig)
    box = both.get_window_extent(renderer)
    a, b = alone_en.get_window_extent(renderer), alone_zh.get_window_extent(renderer)
    assert box.width == pytest.approx(max(a.width, b.width)) and box.height == pytest.approx(max(a.height, b.height))
    with wording.drawn_in(fig, "zh"):
        assert both.get_text() == str(zh)
        assert both.get_window_extent(renderer).width == pytest.approx(box.width)  # the same room in each


def _bars(lang: str, title: str | None = None):
    """A chart as a notebook draws one: figure, chart function, source line."""
    fai = sa.data.fai_growth()
    table = sa.analysis.year_table(fai, 2020)
    fig, ax = present.figure(size=(8, 8))
    present.growth_bars(
        ax, table, "Shanxi", None, title=title if title is not None else say("label.fai_growth_axis", lang), lang=lang
    )
    present.add_source(ax, fai, lang=lang)
    return fig, ax


def test_a_figure_kept_in_the_first_language_is_handed_back_and_not_drawn_again():
    wording.keep_charts()
    fig, ax = _bars("en")
    artists = len(ax.get_children())
    assert [t.get_text() for t in ax.get_yticklabels()][:1] != []
    wording.replay_charts()
    again, ax2 = _bars("zh")
    assert again is fig and ax2 is ax
    assert len(ax.get_children()) == artists  # nothing drawn twice
    with wording.drawn_in(fig, "zh"):
        names = [t.get_text() for t in ax.get_yticklabels()]
    assert "山西" in names and "Shanxi" not in names
    assert wording.words_lost(fig) == []


def test_a_chart_given_text_of_one_language_is_refused_when_handed_back():
    """A title written for one language only (an f-string, a plain str) cannot be written in the next: the chart
    function says so instead of publishing the first language's words on the second language's page."""
    wording.keep_charts()
    _bars("en", title="Growth in 2020")
    wording.replay_charts()
    with pytest.raises(wording.DrawnElsewhere, match="title"):
        _bars("zh", title="2020年增长")


def test_a_chart_given_other_data_is_refused_when_handed_back():
    wording.keep_charts()
    fig, ax = present.figure()
    present.verdict_chart(ax, {"confirmed": 2}, title=say("chart.map_codes", "en", codes=[]), lang="en")
    wording.replay_charts()
    fig, ax = present.figure()
    with pytest.raises(wording.DrawnElsewhere, match="argument 2"):
        present.verdict_chart(ax, {"confirmed": 3}, title=say("chart.map_codes", "zh", codes=[]), lang="zh")


def test_a_figure_with_words_of_one_language_is_drawn_again_in_the_next():
    """A text the chart got as plain words (not Words) would show the first language on the second page: such a
    figure is not handed back, the next language draws its own."""
    wording.keep_charts()
    fig, ax = _bars("en")
    ax.set_xlabel("plain English")
    assert wording.words_lost(fig) == ["plain English"]
    present.show(fig)
    wording.replay_charts()
    again, _ = _bars("zh")
    assert again is not fig


def test_outside_the_report_builder_every_call_draws():
    fig, _ = _bars("en")
    again, _ = _bars("zh")
    assert again is not fig
    assert wording.replayed((1, 1, (8.0, 8.0), ())) is None


def test_a_figure_made_with_other_arguments_is_not_handed_back():
    wording.keep_charts()
    fig, _ = _bars("en")
    wording.replay_charts()
    other, _ = present.figure(size=(8, 4))
    assert other is not fig


def test_the_data_file_of_a_chart_drawn_in_english_is_written_in_chinese_when_shown_in_chinese():
    fig, ax = _bars("en")
    record = present.theme.figure_record(fig)
    assert "Shanxi" in [row[0] for row in record["data"]["rows"]]
    fig._shanxi_lang = "zh"
    with wording.drawn_in(fig, "zh"):
        record = present.theme.figure_record(fig)
    rows = [row[0] for row in record["data"]["rows"]]
    assert "山西" in rows and "Shanxi" not in rows
    assert record["data"]["units"]["fai_growth_pct"] == str(say("unit.pct_yoy", "zh"))
    assert record["alt"] and "Shanxi" not in record["alt"]


def _shown(monkeypatch) -> list[str]:
    """The SVGs ``present.show`` displays, as the report kernel's inline back end writes a figure (its tight box)."""
    import IPython.display
    from IPython.core.pylabtools import print_figure
    from matplotlib.figure import Figure

    shown: list[str] = []

    def display(obj, *args, raw=False, metadata=None, **kw):
        if isinstance(obj, Figure):
            obj = {
                "image/svg+xml": print_figure(obj, "svg", bbox_inches="tight", metadata=present.SAVE_METADATA["svg"])
            }
        shown.append(obj["image/svg+xml"])

    monkeypatch.setattr(IPython.display, "display", display)
    return shown


def _drawn_in_full(fig, lang: str) -> str:
    """``fig``'s SVG drawn in full in ``lang``, in the box of its first draw (as before its SVG was written again)."""
    from IPython.core.pylabtools import print_figure

    del fig._sa_drawing
    with wording.drawn_in(fig, lang):
        return print_figure(fig, "svg", bbox_inches=fig._sa_box, metadata=present.SAVE_METADATA["svg"])


def _with_words(fig, ax, lang: str, extra: Words | None = None) -> None:
    """A legend whose first entry wraps in English and not in Chinese, an annotation and an axis label."""
    ax.plot([0, 1], [0, 1], marker="o", label=present.theme.wrap_text(say("label.fai_growth_axis", lang), 30))
    ax.plot([0, 1], [1, 0], marker="s", label=place("Hubei", lang))
    ax.plot([0, 1], [0.5, 0.5], label=place("Shanxi", lang))
    ax.legend(loc="lower right")
    ax.annotate(place("Hubei", lang), (0.5, 0.5), xytext=(0.2, 0.8), arrowprops={"arrowstyle": "->"})
    ax.set_xlabel(extra if extra is not None else say("label.fai_growth_axis", lang))


def test_a_chart_drawn_in_a_previous_language_is_written_as_a_full_draw_would_write_it(monkeypatch):
    """In the next language a chart's SVG is its first draw's, with only the texts and legends whose words differ
    drawn again: the result is the SVG a full draw in that language writes, byte for byte (the legend's entries
    placed by the new words), and it is in that language."""
    shown = _shown(monkeypatch)
    wording.keep_charts()
    fig, ax = _bars("en")
    _with_words(fig, ax, "en")
    present.show(fig)
    assert fig._sa_drawing.texts  # its first draw was kept, text by text
    wording.replay_charts()
    again, _ = _bars("zh")
    assert again is fig
    present.show(again)
    assert "山西" in shown[-1] and "Shanxi" not in shown[-1] and "湖北" in shown[-1]
    assert shown[-1] == _drawn_in_full(again, "zh")
    assert shown[-1] != shown[0]


def test_a_chart_whose_text_draws_otherwise_in_the_next_language_is_drawn_in_full(monkeypatch):
    """A text with no words in the first language (so nothing drawn) and words in the next cannot be written into
    the first draw's SVG: that chart is drawn in full instead, correctly."""
    shown = _shown(monkeypatch)
    only_zh = Words.written(lambda lang: "中文标签" if lang == "zh" else "", "en")
    wording.keep_charts()
    fig, ax = _bars("en")
    _with_words(fig, ax, "en", extra=only_zh)
    present.show(fig)
    wording.replay_charts()
    again, _ = _bars("zh")
    present.show(again)
    assert "中文标签" in shown[-1] and "中文标签" not in shown[0]
    assert shown[-1] == _drawn_in_full(again, "zh")


def test_outside_the_report_builder_no_draw_is_kept(monkeypatch):
    _shown(monkeypatch)
    fig, ax = _bars("en")
    _with_words(fig, ax, "en")
    present.show(fig)
    assert getattr(fig, "_sa_drawing", None) is None
