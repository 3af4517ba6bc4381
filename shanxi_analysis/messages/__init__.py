"""Stage 3, wording: the message catalog, every sentence a reader sees in one Jinja2 template per sentence and
language (``messages/<lang>.yml``, the data's English terms in ``messages/terms/<lang>.yml``), rendered by
:func:`say` with the facts the later stages pass in.

The claims (stage 4) decide which sentence states each finding and with which facts; the presentation (stage 5)
decides where it appears; the words are here, for an editor or translator to review without reading code.  The
module :mod:`.rendering` holds the filters that write numbers, names and dates in each language.

May import: ``data`` (province names come from :func:`shanxi_analysis.data.provinces`) and the neutral top-level
modules. Importing it loads no chart library.
"""

from .rendering import (
    CATALOG_DIR,
    DEFAULT_LANG,
    FILTERS,
    HTML_LANG,
    JOIN_LINES,
    LABEL_CHARS,
    PHRASE_CHARS,
    TERMS_DIR,
    ZH_BREAK_AFTER,
    ZH_BREAK_BEFORE,
    ZH_HEADS,
    Message,
    Words,
    catalog,
    every_language,
    in_lang,
    label_phrases,
    languages,
    per_language,
    place,
    province_order,
    publisher,
    read_catalog_file,
    say,
    term,
    terms,
    zh_break,
)

__all__ = [
    "CATALOG_DIR",
    "DEFAULT_LANG",
    "FILTERS",
    "HTML_LANG",
    "JOIN_LINES",
    "LABEL_CHARS",
    "PHRASE_CHARS",
    "TERMS_DIR",
    "ZH_BREAK_AFTER",
    "ZH_BREAK_BEFORE",
    "ZH_HEADS",
    "Message",
    "Words",
    "catalog",
    "every_language",
    "in_lang",
    "label_phrases",
    "languages",
    "per_language",
    "place",
    "province_order",
    "publisher",
    "read_catalog_file",
    "say",
    "term",
    "terms",
    "zh_break",
]
