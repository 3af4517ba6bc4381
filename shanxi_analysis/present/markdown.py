"""Text from data rendered safely, once, where it is rendered: only the project's own templates produce markup.

A notebook writes computed prose with :func:`md`: the template is the project's own Markdown, every value put
into it is data text (a province name, a note from a raw file, a sentence of :mod:`.story`) and is escaped on
insertion by :func:`escape`, so a ``<script>``, an ``onerror=`` attribute, a ``[link](javascript:...)`` or a stray
``*`` in a CSV cell shows as the characters it is, never runs, links or emphasises.  Helpers elsewhere return plain
text; nothing is escaped before it reaches :func:`md` or a Jinja2 template (autoescaped, :mod:`..templating`).
A value that is already safe markup (a :class:`markupsafe.Markup`, e.g. from :func:`link`) is inserted as it is.

Links from data go through one validator, :func:`safe_url` (absolute ``http``/``https`` only), used by the
tables, the citations and the notebooks.

>>> str(escape("<b onclick='x'>[a](javascript:b)</b> in 2020: 10.6%"))
"&lt;b onclick='x'&gt;&#91;a&#93;(javascript:b)&lt;/b&gt; in 2020: 10.6%"

>>> safe_url("javascript:alert(1)") is None, safe_url("https://www.stats.gov.cn/x?a=1&b=2")
(True, 'https://www.stats.gov.cn/x?a=1&b=2')
>>> md("**{province}** grew {growth}", province="Shan*xi", growth="10.6%").data
'**Shan&#42;xi** grew 10.6%'
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from markupsafe import Markup

from ..numbers import is_missing

if TYPE_CHECKING:
    from IPython.display import Markdown

# What a value must not bring into Markdown: characters that open a construct anywhere in a line (emphasis, code,
# links and images, strikethrough, table cells, Jupyter's $math$, backslash escapes) become numeric character
# references, and '&', '<', '>', '"' their HTML escapes, in one pass so no escape is escaped again.  Characters that
# open a construct only at the start of a line (headings, lists, quotes, setext underlines) are escaped there, and
# what would start an autolink ("://", "www.", "@") is broken up.  Everything else (".", "'", "-", "(", ...) stays
# as it is, so the Markdown reads "Shanxi's 10.6%", not entity soup.
_ESCAPES = {ord(c): f"&#{ord(c)};" for c in "\\`*_[]|~$"}
_ESCAPES.update({ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"})
_LINE_START = re.compile(r"^(?:#{1,6}|[-+]|\d{1,9}[.)])(?=[ \t]|$)|^[-=](?=[-= \t]*$)")
_AUTOLINK = re.compile(r"://|(?i:\bwww)\.|@")
_AUTOLINK_BREAK = {"://": "&#58;//", "@": "&#64;"}
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u2028\u2029]")
#: The template of :func:`link` (Jinja2, autoescaped).
LINK_TEMPLATE = "link.html.j2"
#: This stage's Jinja2 templates (tables, links).
TEMPLATES = Path(__file__).with_name("templates")


def escape(value: Any) -> Markup:
    """``value`` as Markdown that renders as exactly its characters, inert in Markdown and HTML.

    HTML special characters are escaped, Markdown punctuation that could open a construct becomes character
    references (so no link, image, autolink, emphasis, code span, table cell, heading, list or math can start),
    line breaks become spaces (data text stays inside the sentence or list item it was put in), blanks around the
    text and control characters are dropped.  Missing values give
    ``""``; a :class:`markupsafe.Markup` is returned unchanged (it is already safe).
    """
    if isinstance(value, Markup):
        return value
    if is_missing(value):
        return Markup("")
    s = _CONTROL_RE.sub("", str(value).replace("\r\n", " ").replace("\n", " ").replace("\r", " ")).strip()
    s = s.translate(_ESCAPES)
    s = _AUTOLINK.sub(lambda m: _AUTOLINK_BREAK.get(m.group(0), m.group(0)[:-1] + "&#46;"), s)
    s = _LINE_START.sub(lambda m: m.group(0)[:-1] + f"&#{ord(m.group(0)[-1])};", s)
    return Markup(s)


def _markdown_value(value: Any) -> Markup:
    """One value for :func:`md`: a list or tuple becomes a Markdown bullet list of escaped items."""
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        return Markup("\n".join(f"- {escape(v)}" for v in value))
    return escape(value)


def paragraphs(*texts: Any) -> Markup:
    """Data texts as Markdown paragraphs, each escaped by :func:`escape`, empty or missing ones left out: a value
    for :func:`md` (``md("## {title}\\n\\n{body}", title=..., body=paragraphs(a, b, c))``)."""
    return Markup("\n\n".join(str(escape(t)) for t in texts if not is_missing(t) and str(t).strip()))


def md_text(template: str, /, **values: Any) -> str:
    """The Markdown text :func:`md` displays: ``template`` with each ``{name}`` replaced by ``values[name]``
    escaped by :func:`escape` (a list or tuple: one escaped bullet per item); ``{{`` and ``}}`` are literal braces.

    Raises
    ------
    KeyError
        A field of the template has no value (the message names it).
    """
    if not values:
        return template  # nothing to insert: the template as it is (its braces are literal)
    fields = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    missing = sorted(fields - set(values))
    if missing:
        raise KeyError(f"md(): no value for {', '.join(map(repr, missing))} in the template {template[:60]!r}")
    return template.format_map({k: _markdown_value(v) for k, v in values.items()})


def md(template: str, /, **values: Any) -> Markdown:
    """Computed prose for a notebook: our own Markdown ``template`` with data ``values`` escaped on insertion.

    Parameters
    ----------
    template : str
        Trusted Markdown (headings, emphasis, links written by the project) with ``{name}`` fields
        (``str.format`` syntax; ``{{``/``}}`` for braces).  Never build it from data.
    **values
        Data text, numbers already written by :mod:`shanxi_analysis.numbers`, sentences of :mod:`.story`: each is
        escaped for HTML and Markdown (:func:`escape`) unless it is a :class:`markupsafe.Markup`; a list or
        tuple becomes a bullet list of escaped items; several paragraphs: :func:`paragraphs`.  Without values the
        template is shown as it is (Markdown the project's code wrote, e.g. the claims ledger's notes).

    Returns
    -------
    IPython.display.Markdown
        ``display(present.md(...))`` in a cell, or the cell's last expression.

    >>> md("## {province} in {year}", province="Shanxi", year=2020).data
    '## Shanxi in 2020'
    """
    from IPython.display import Markdown

    return Markdown(md_text(template, **values))


def safe_url(value: Any) -> str | None:
    """The URL if it is an absolute ``http``/``https`` URL with a host and no spaces, quotes, angle brackets,
    backticks, backslashes or control characters (surrounding blanks are stripped); otherwise None
    (``javascript:``, ``data:``, relative paths, garbage).  The one link validator of the package."""
    if is_missing(value) or not isinstance(value, str):
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


def safe_href(value: Any) -> Markup | None:
    """A link target for :func:`md`: an http(s) URL (:func:`safe_url`) or a relative path between our own pages
    (letters, digits, ``. _ ~ / # % -``, no scheme, not ``//host``), as :class:`markupsafe.Markup`; otherwise
    None.  For addresses the project's code passes (a papermill parameter from the report builder)."""
    url = safe_url(value)
    if url is not None:
        return Markup(url)
    if isinstance(value, str) and re.fullmatch(r"(?!//)[A-Za-z0-9._~/#%-]+", value.strip()):
        return Markup(value.strip())
    return None


def link(address: Any, label: Any = None) -> Markup:
    """An HTML link (valid inside Markdown, safe to pass to :func:`md`) to ``address`` when :func:`safe_url`
    accepts it, labelled with ``label`` (default: the address itself); otherwise just the label or address as
    escaped text."""
    target = safe_url(address)
    shown = escape(address if label is None else label)
    if target is None:
        return shown
    from ..templating import render

    return Markup(render(TEMPLATES, LINK_TEMPLATE, trim=False, target=target, shown=shown))
