"""Text from data, made safe to render: only the project's own templates and code produce markup.

Every string that comes from a raw file (quotes, notes, source descriptions, units, names) goes through
:func:`text` before it is put into Markdown or HTML, and every link from data through :func:`url` or
:func:`link`, so a ``<script>``, an ``onerror=`` attribute or a ``[link](javascript:...)`` in a CSV cell is shown
as the characters it is, never run or followed.

>>> text("<b onclick='x'>[a](javascript:b)</b>")
'&lt;b onclick&#61;&#x27;x&#x27;&gt;&#91;a&#93;&#40;javascript&#58;b&#41;&lt;/b&gt;'
>>> url("javascript:alert(1)") is None, url("https://www.stats.gov.cn/x?a=1&b=2")
(True, 'https://www.stats.gov.cn/x?a=1&b=2')
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

# Characters with a meaning in Markdown (CommonMark and GFM: emphasis, links, images, code, tables, headings,
# lists, quotes, autolinks, escapes, strikethrough, HTML) written as numeric character references: they render as
# themselves and can open no construct; '&', '<', '>', '"' and "'" get their HTML escapes.
# One table, applied in one pass, so no escape is escaped again.
_ESCAPES = {ord(c): f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|~:$=@"}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;", ord("'"): "&#x27;"})
#: The template of :func:`link` (Jinja2, autoescaped: the address is escaped there, the label by :func:`text`).
LINK_TEMPLATE = "link.html.j2"
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")


def _missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN, NaT
    except (TypeError, ValueError):  # pd.NA
        return True


def text(value: Any) -> str:
    """``value`` as text that is inert inside Markdown and HTML (element content or a quoted attribute).

    HTML special characters are escaped, Markdown punctuation becomes character references (so no link, image,
    emphasis, code span, table cell or heading can start), line breaks become spaces (data text stays inside
    the sentence or list item it was put in) and control characters are dropped.  Missing values give ``""``.
    """
    if _missing(value):
        return ""
    s = _CONTROL_RE.sub("", str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " "))
    return s.translate(_ESCAPES)


def url(value: Any) -> str | None:
    """The URL if it is an absolute ``http``/``https`` URL with a host and no spaces, quotes, angle brackets or
    control characters; otherwise None (``javascript:``, ``data:``, relative paths, garbage)."""
    if _missing(value) or not isinstance(value, str):
        return None
    s = value.strip()
    if not s or re.search(r"[\s\"'<>`\\\x00-\x1f\x7f]", s):
        return None
    try:
        parts = urlsplit(s)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return s


def link(address: Any, label: Any = None) -> str:
    """An HTML link (valid inside Markdown) to ``address`` when it is an http(s) URL, labelled with ``label``
    (default: the address itself), both escaped; otherwise just the escaped label or address as plain text."""
    target = url(address)
    shown = text(address if label is None else label)
    if target is None:
        return shown
    from markupsafe import Markup

    from ..templating import render

    return render(Path(__file__).with_name("templates"), LINK_TEMPLATE, trim=False, target=target, shown=Markup(shown))
