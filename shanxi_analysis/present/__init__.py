"""Stage 4, presentation: numbers, text, tables and charts for the notebooks.

``numbers`` (number formatting), ``glue`` (values handed from a notebook to tests and the report builder),
``references`` (source citations and claim links), ``tables`` (HTML tables from a Jinja2 template with
autoescaping), ``safe`` (data text made inert in Markdown and HTML), ``story`` (the sentences of the province
story), ``economy`` (its sentences on investment against the economy), ``gaps`` (what the data cannot say),
``theme`` (colours, fonts, figure helpers, source lines), ``charts``, ``time_charts`` (charts over time) and
``story_charts`` (the charts),
``labels`` (label placement), ``maps`` (choropleths of the parsed province shapes) and ``templates/``.

May import: ``data``, ``analysis``, ``claims`` and the top-level modules. Nothing from ``publish``
(``tests/test_layout.py`` checks this). Matplotlib loads only when a chart module is imported.
"""

from ..lazy import submodules

__getattr__ = submodules(__name__)  # sa.present.<module> imports the module on first use

# claims display (present/ledger.py): DISPLAY_COLUMNS, display_table, notes_markdown, source_links and
# vocabulary_markdown belong in __all__ too
from .ledger import DISPLAY_COLUMNS, display_table, notes_markdown, source_links, vocabulary_markdown  # noqa: E402, F401
