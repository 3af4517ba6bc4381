"""One chart for every language: a chart is built and laid out once, from words that can be written in each
language (:class:`~shanxi_analysis.messages.Words`), and drawn once per language.

Why: a report set in English and Chinese drew every chart twice, once per language, and the chart's construction
and layout were two thirds of what the second language cost (`bench/README.md`, issue 24's fifteenth step).  A
chart's words are the only thing a language changes in it; its data, scales and marks are the same.

How, in three parts:

* **Text that keeps its languages.**  matplotlib turns whatever it is given into a plain ``str``
  (``Text.set_text``, ``Artist.set_label``); :func:`install` makes both keep :class:`Words` as they are, so a
  title, a tick label, a legend entry or an annotation knows its words in every language.
* **Room for every language.**  A text with words in several languages is measured as the union of its extents
  in each (:func:`shanxi_analysis.present.measure.layout_in_every_language`), so constrained layout, the legends,
  the label placement and the tight box leave room for the longer words, and the layout is the same whichever
  language the chart is drawn in.  The English and the Chinese page of a chart therefore have the same geometry,
  whether they were built together or apart.
* **Drawn in a language.**  :func:`drawn_in` writes every text of a figure in one language for the duration of a
  draw (tick labels are written again at every draw, so the language is kept active).

The report builder uses this to draw a notebook's charts once for all its languages: while a notebook runs in its
first language the kernel keeps its figures (:func:`keep_charts`, called by the builder's reset of the kernel), and
when the same notebook continues in the next language (:func:`replay_charts`) ``present.figure`` hands back the
figure kept at the same place and the chart functions, marked :func:`drawn_once`, do not draw it again: they check
that they were given the same data and the same words (in the new language) and leave it; ``present.show`` then
draws it in the new language.  Outside the builder (JupyterLab, someone else's notebook) nothing is kept and every
call draws.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import re
from collections.abc import Callable, Iterator
from typing import Any, NamedTuple, TypeVar

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.container import Container
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.text import Annotation, Text

from ..messages import Words

F = TypeVar("F", bound=Callable[..., Any])

_active: list[str] = []  # the language being drawn (the innermost drawn_in), none outside a draw
_original: dict[str, Callable[..., Any]] = {}


def _set_text(self: Text, s: Any) -> None:
    if isinstance(s, Words):
        self._text = s.to(_active[-1]) if _active else s  # type: ignore[attr-defined]
        self.stale = True
        return
    _original["set_text"](self, s)


def _set_label(self: Artist, s: Any) -> None:
    if isinstance(s, Words):
        if s is not self._label:  # type: ignore[attr-defined]
            self._label = s  # type: ignore[attr-defined]
            self.pchanged()
            self.stale = True
        return
    _original["set_label"](self, s)


def _container_init(self: Container, kl: Any, label: Any = None) -> None:
    _original["container"](self, kl, label=label)
    if isinstance(label, Words):  # (a container writes its label with str(), not set_label: bars' legend entries)
        self._label = label  # type: ignore[attr-defined]


def install() -> None:
    """Make matplotlib keep :class:`Words` given as a text or a label (see the module's docstring); calling it
    again changes nothing.  :func:`~shanxi_analysis.present.theme.set_theme` calls it."""
    if not _original:
        _original["set_text"] = Text.set_text
        _original["set_label"] = Artist.set_label
        _original["container"] = Container.__init__
        Text.set_text = _set_text  # type: ignore[method-assign]
        Artist.set_label = _set_label  # type: ignore[method-assign]
        Container.set_label = _set_label  # type: ignore[method-assign,assignment]
        Container.__init__ = _container_init  # type: ignore[method-assign]
        for cls in _WORDED:
            _original[f"{cls.__name__}.draw"] = cls.draw
            cls.draw = _worded_draw(cls.draw)  # type: ignore[method-assign]
        _original["Figure.draw"] = Figure.draw
        Figure.draw = _figure_draw  # type: ignore[method-assign, assignment]


def uninstall() -> None:
    """matplotlib's own ``set_text`` and ``set_label`` again."""
    if _original:
        Text.set_text = _original.pop("set_text")  # type: ignore[method-assign]
        Artist.set_label = Container.set_label = _original.pop("set_label")  # type: ignore[method-assign]
        Container.__init__ = _original.pop("container")  # type: ignore[method-assign]
        for cls in (*_WORDED, Figure):
            setattr(cls, "draw", _original.pop(f"{cls.__name__}.draw"))  # noqa: B010 - Artist and Figure alike


@contextlib.contextmanager
def drawn_in(fig: Figure, lang: str) -> Iterator[Figure]:
    """``fig`` with every text written in ``lang`` (its titles, labels, legends, annotations, and the tick labels
    matplotlib writes again while drawing) until the block ends; texts that are not :class:`Words` stay as they
    are."""
    _active.append(lang)
    try:
        for text in fig.findobj(Text):
            s = text._text  # type: ignore[attr-defined]
            if isinstance(s, Words) and s.lang != lang:
                text._text = s.to(lang)  # type: ignore[attr-defined]
                text.stale = True
        yield fig
    finally:
        _active.pop()


# --------------------------------------------------------------------------------------------- kept charts
_kept: list[Figure] = []  # the figures of the notebook running, in the order they were made
_replay: list[Figure] = []  # the figures of the same notebook in its previous language, to hand back in order
_keeping = False


def keep_charts() -> None:
    """From now on, keep the figures made (:func:`kept`), for the same notebook in its next language; figures kept
    before are let go.  The report builder calls it before each notebook (``publish.kernels.reset``)."""
    global _keeping
    _kept.clear()
    _replay.clear()
    _keeping = True


def replay_charts() -> None:
    """The notebook that just ran runs again in another language: hand its figures back in the same order
    (:func:`replayed`) and keep none of this run's."""
    global _keeping
    _replay[:] = _kept
    _kept.clear()
    _keeping = False


def forget_charts() -> None:
    """Keep and hand back nothing (as outside the report builder)."""
    global _keeping
    _kept.clear()
    _replay.clear()
    _keeping = False


def replayed(args: tuple) -> Figure | None:
    """The figure to hand back for the next ``present.figure(*args)`` of a notebook that continues in another
    language: the figure made at the same place in its previous language, if it was made with the same ``args``
    and drawn by chart functions that can be drawn once (:func:`drawn_once`); None otherwise (a new figure is
    made and drawn).  A figure that does not match ends the handing back: later ones are not trusted either."""
    if not _replay:
        return None
    fig = _replay.pop(0)
    if getattr(fig, "_sa_args", None) != args:
        _replay.clear()
        return None
    if not getattr(fig, "_sa_once", False):
        return None
    fig._sa_replayed = True  # type: ignore[attr-defined]
    fig._sa_calls_left = list(fig._sa_calls)  # type: ignore[attr-defined]
    return fig


def kept(fig: Figure, args: tuple) -> Figure:
    """Remember ``fig``, made by ``present.figure(*args)``, while figures are kept (:func:`keep_charts`)."""
    fig._sa_args = args  # type: ignore[attr-defined]
    fig._sa_calls = []  # type: ignore[attr-defined]
    if _keeping:
        _kept.append(fig)
    return fig


_WORDLIKE = re.compile(r"[A-Za-z\u4e00-\u9fff]")


def words_lost(fig: Figure) -> list[str]:
    """The visible texts of ``fig`` that read as words (Latin letters or Chinese characters) but were given as
    plain text, written in one language only: a figure with any is not drawn once for every language
    (``present.show`` draws it again in the next one), so that no page shows another language's words."""
    return [
        t.get_text()
        for t in fig.findobj(Text)
        if t.get_visible() and not isinstance(t._text, Words) and _WORDLIKE.search(t.get_text())  # type: ignore[attr-defined]
    ]


def draw_again(fig: Figure) -> None:
    """Let the next language draw ``fig`` afresh instead of having it handed back (:func:`replayed`)."""
    fig._sa_once = False  # type: ignore[attr-defined]


def is_replayed(fig: Figure) -> bool:
    """Whether ``fig`` was drawn in a previous language and is only to be drawn again in this one."""
    return bool(getattr(fig, "_sa_replayed", False))


def _same(kept: Any, value: Any, lang: str) -> bool:
    """Whether ``value``, given to a chart function in ``lang``, is ``kept``, given to it in the first language:
    the same object, or data equal in content (frames, arrays), words that read the same in ``lang`` (``kept``
    :class:`Words`, ``value`` its writing in ``lang``), the same values in the same containers.  Axes and figures
    are the chart's own and always the same."""
    if kept is value or isinstance(kept, (Artist, Figure)) and isinstance(value, (Artist, Figure)):
        return True
    if isinstance(kept, Words):
        return isinstance(value, str) and str(kept.to(lang)) == str(value)
    if isinstance(value, Words):
        return False
    if isinstance(kept, (pd.DataFrame, pd.Series)):
        if type(kept) is not type(value) or kept.shape != value.shape:
            return False
        # (cells holding arrays, a province's outline, are compared as written)
        return kept.equals(value) or kept.astype(str).equals(value.astype(str))  # type: ignore[arg-type]
    if isinstance(kept, np.ndarray):
        return isinstance(value, np.ndarray) and np.array_equal(kept, value, equal_nan=kept.dtype.kind == "f")
    if isinstance(kept, (list, tuple)):
        return (
            isinstance(value, (list, tuple))
            and len(kept) == len(value)
            and all(_same(a, b, lang) for a, b in zip(kept, value, strict=True))
        )
    if isinstance(kept, dict):
        return (
            isinstance(value, dict)
            and kept.keys() == value.keys()
            and all(_same(kept[k], value[k], lang) for k in kept)
        )
    if isinstance(kept, float) and isinstance(value, float) and np.isnan(kept) and np.isnan(value):
        return True
    return bool(kept == value)


class DrawnElsewhere(RuntimeError):
    """A chart function was called on a figure drawn in another language with other data or words."""


def drawn_once(fn: F | None = None, *, marks: bool = True) -> Any:
    """Mark a chart function (its first argument an Axes, a sequence of them or a Figure; its language the keyword
    ``lang``) as drawing a figure that serves every language: its words are :class:`Words`, and on a figure drawn in
    a previous language (:func:`replayed`) it draws nothing, after checking that it was given the same data and the
    same words, in this language.

    Raises
    ------
    DrawnElsewhere
        The call differs from the one that drew the figure: the chart was given text that is not :class:`Words`
        (and so cannot be written in another language), or other data.

    ``marks=False``: a helper that adds to a chart drawn by a chart function (the source line), which alone does
    not make a figure one that is drawn once (a chart function not yet marked draws it in every language)."""
    if fn is None:
        return functools.partial(drawn_once, marks=marks)

    @functools.wraps(fn)
    def drawn(target: Any, *args: Any, **kw: Any) -> Any:
        fig = _figure(target)
        if fig is None or not (_keeping or is_replayed(fig)):  # outside the report builder: only draw
            return fn(target, *args, **kw)
        lang = kw.get("lang")
        # what the call was given (kept as it is: the first language's are compared with the next one's)
        facts = {f"argument {i + 2}": v for i, v in enumerate(args)} | {k: v for k, v in kw.items() if k != "lang"}
        if is_replayed(fig):
            calls = fig._sa_calls_left  # type: ignore[attr-defined]
            name, kept_facts = calls.pop(0) if calls else (None, {})
            differ = [
                k for k in facts.keys() | kept_facts.keys() if not _same(kept_facts.get(k), facts.get(k), str(lang))
            ]
            if name != fn.__qualname__ or differ:
                what = f"its {', '.join(sorted(differ))} differ" if differ else "the calls differ"
                raise DrawnElsewhere(
                    f"present.{fn.__name__} was called in {lang!r} on a chart it drew in the notebook's first "
                    f"language, and {what}: a chart is drawn once for every language, so its data must be the same "
                    "and every text it is given present.say/place/term output (Words), not text written for one "
                    "language"
                )
            fig._shanxi_lang = lang  # type: ignore[attr-defined]
            return None
        out = fn(target, *args, **kw)
        if hasattr(fig, "_sa_calls"):
            fig._sa_calls.append((fn.__qualname__, facts))
            if marks:
                fig._sa_once = True  # type: ignore[attr-defined]
        return out

    return drawn


def _figure(target: Any) -> Figure | None:
    if isinstance(target, Figure):
        return target
    if hasattr(target, "get_figure"):
        return target.get_figure(root=True)
    if isinstance(target, (list, tuple, np.ndarray)) and len(target):
        return _figure(np.ravel(target)[0])
    return None


# ------------------------------------------------------------------------------ the SVG written once more
#: The artists whose draws are the parts of a chart's SVG a language changes: texts, annotations (with their
#: arrows), and legends, whose entries are placed by the size of their words when they are drawn.
_WORDED: tuple[type[Artist], ...] = (Text, Annotation, Legend)
_drawing: list[_Drawing] = []  # the SVG draw being kept (innermost), while a kept figure is drawn


class DrawnDifferently(RuntimeError):
    """A chart's SVG written again in another language (:func:`svg_written_again`) could not follow its first
    draw: the caller draws it in full instead."""


def _writer(svg: RendererSVG) -> tuple[Any, ...]:
    """Where the SVG writer of ``svg`` stands: a start tag left open, the elements open, text not yet written."""
    w = svg.writer
    return (w._XMLWriter__open, tuple(w._XMLWriter__tags), tuple(w._XMLWriter__data))  # type: ignore[attr-defined]


def _set_writer(svg: RendererSVG, state: tuple[Any, ...]) -> None:
    w = svg.writer
    w._XMLWriter__open, tags, data = state  # type: ignore[attr-defined]
    w._XMLWriter__tags, w._XMLWriter__data = list(tags), list(data)  # type: ignore[attr-defined]


#: What an SVG renderer remembers while it draws: numbered groups and clip paths (the ids of what a text writes
#: depend on them), and what it has defined (clip paths, hatches, markers, glyphs: written once, where first used
#: or at the end); and its counts.
_REMEMBERED = ("_groupd", "_clip_path_ids", "_clipd", "_markers", "_hatchd", "_glyph_map")
_COUNTS = ("_path_collection_id", "_has_gouraud", "_n_gradients")


class _Point(NamedTuple):
    """A point of an SVG draw: how many pieces the writer had written, where the writer stood (:func:`_writer`) and
    what the renderer remembered (:data:`_REMEMBERED`)."""

    at: int
    writer: tuple[Any, ...]
    remembered: dict[str, dict]


class _Drawing:
    """One SVG draw of a figure as it was written: the pieces of text its writer wrote and, for each worded artist
    drawn (:data:`_WORDED`), its words and the points of the draw before and after it."""

    def __init__(self, svg: RendererSVG) -> None:
        self.svg: RendererSVG | None = svg
        self.size = (svg.width, svg.height)
        self.pieces: list[str] = []
        self.texts: list[tuple[Artist, tuple[str, ...], _Point, _Point]] = []
        self.depth = 0
        self.start = _writer(svg)
        self.end: tuple[_Point, dict[str, Any], Any] | None = None

    def point(self) -> _Point:
        assert self.svg is not None
        return _Point(len(self.pieces), _writer(self.svg), {k: dict(getattr(self.svg, k)) for k in _REMEMBERED})

    def finish(self) -> None:
        svg = self.svg
        assert svg is not None
        self.end = (self.point(), {k: getattr(svg, k) for k in _COUNTS}, copy.copy(svg._image_counter))
        self.svg = None  # (the renderer and the file it wrote are let go)


def _restore(svg: RendererSVG, point: _Point) -> None:
    """``svg`` where the first draw stood at ``point``, keeping what this draw added that it had not."""
    _set_writer(svg, point.writer)
    for k, v in point.remembered.items():
        merged = dict(v)
        merged.update((key, value) for key, value in getattr(svg, k).items() if key not in merged)
        setattr(svg, k, merged)


def _svg_renderer(renderer: Any) -> RendererSVG | None:
    """The SVG renderer drawn into (matplotlib wraps it in a mixed-mode renderer), or None: another format, a part
    being rasterized, or a draw for the layout only (drawing switched off)."""
    svg = getattr(renderer, "_renderer", renderer)
    return svg if isinstance(svg, RendererSVG) and "open_group" not in vars(svg) else None


def _words(artist: Artist) -> tuple[str, ...]:
    """The words ``artist`` (one of :data:`_WORDED`) draws, as they are written now."""
    texts = [artist] if isinstance(artist, Text) else artist.findobj(Text)
    return tuple(str(t._text) for t in texts)  # type: ignore[attr-defined]


def _worded_draw(draw: Callable[..., Any]) -> Callable[..., Any]:
    """``draw`` of an artist with words (:data:`_WORDED`), noting what it writes into a kept SVG draw
    (:class:`_Drawing`)."""

    @functools.wraps(draw)
    def drawn(self: Artist, renderer: Any) -> Any:
        kept = _drawing[-1] if _drawing else None
        if kept is None or kept.depth or getattr(renderer, "_renderer", renderer) is not kept.svg:
            return draw(self, renderer)
        before = kept.point()
        kept.depth += 1
        try:
            out = draw(self, renderer)
        finally:
            kept.depth -= 1
        kept.texts.append((self, _words(self), before, kept.point()))
        return out

    return drawn


def _figure_draw(self: Figure, renderer: Any) -> None:
    """``Figure.draw``: as ever, but for a kept figure drawn into an SVG, whose draw is noted (:class:`_Drawing`),
    and a figure drawn again in another language (:func:`svg_written_again`), whose SVG is written from that
    note."""
    svg = _svg_renderer(renderer)
    if svg is not None and getattr(self, "_sa_writing_again", False):
        return _write_again(self, renderer, svg)
    if svg is None or not _keeping or not any(f is self for f in _kept):
        return _original["Figure.draw"](self, renderer)
    kept = _Drawing(svg)
    w = svg.writer
    write = w._XMLWriter__write  # type: ignore[attr-defined]

    def noted(piece: str) -> Any:
        kept.pieces.append(piece)
        return write(piece)

    w._XMLWriter__write = noted  # type: ignore[attr-defined]
    _drawing.append(kept)
    try:
        _original["Figure.draw"](self, renderer)
        kept.finish()
    finally:
        _drawing.pop()
        w._XMLWriter__write = write  # type: ignore[attr-defined]
    self._sa_drawing = kept  # type: ignore[attr-defined]
    return None


def _write_again(fig: Figure, renderer: Any, svg: RendererSVG) -> None:
    """Write the SVG of ``fig`` as its kept draw wrote it, but for the texts and legends whose words differ in this
    language, which are drawn again, each where it was drawn and with the ids it had."""
    kept: _Drawing = fig._sa_drawing  # type: ignore[attr-defined]
    if kept.end is None or (svg.width, svg.height) != kept.size or _writer(svg) != kept.start:
        raise DrawnDifferently("the figure's size or its SVG's start differ from its first draw")
    write = svg.writer._XMLWriter__write  # type: ignore[attr-defined]
    pieces = kept.pieces
    at = 0
    for artist, words, before, after in kept.texts:
        write("".join(pieces[at : before.at]))
        _set_writer(svg, before.writer)
        if _words(artist) == words:  # the same in this language: as written
            write("".join(pieces[before.at : after.at]))
        else:  # drawn again where the first draw stood, so with the ids it had
            for k, v in before.remembered.items():
                setattr(svg, k, dict(v))
            artist.draw(renderer)
            if _writer(svg) != after.writer or svg._groupd != after.remembered["_groupd"]:
                raise DrawnDifferently(f"{artist} drew other elements than in its first draw")
        _restore(svg, after)
        at = after.at
    end, counts, images = kept.end
    write("".join(pieces[at : end.at]))
    _restore(svg, end)  # what the first draw defined, then what this one's texts added
    for k, v in counts.items():
        setattr(svg, k, v)
    svg._image_counter = copy.copy(images)


def svg_written_again(fig: Figure, print_svg: Callable[[], str]) -> str:
    """The SVG of ``fig``, a chart drawn in a previous language (:func:`is_replayed`), in the language it is now
    written in (:func:`drawn_in`): ``print_svg()`` (the figure printed as SVG in the box of its first draw), with the
    figure's draw replaced by its first draw's SVG in which only the texts whose words differ are drawn again.
    The marks, axes and every text that reads the same are written as they were, at a fraction of a draw's cost.
    Where there is no first draw to follow, or it cannot be followed (a text draws other elements in this
    language: :class:`DrawnDifferently`), the figure is drawn in full."""
    if getattr(fig, "_sa_drawing", None) is None:
        return print_svg()
    try:
        fig._sa_writing_again = True  # type: ignore[attr-defined]
        try:
            return print_svg()
        finally:
            fig._sa_writing_again = False  # type: ignore[attr-defined]
    except DrawnDifferently:
        return print_svg()
