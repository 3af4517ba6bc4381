"""Stage 4, presentation: numbers, text, tables and charts for the notebooks.

``numbers`` (number formatting), ``glue`` (values handed from a notebook to the report builder),
``references`` (source citations and claim links), ``tables`` (HTML tables from a Jinja2 template with
autoescaping), ``theme`` (colours, fonts, figure helpers), ``charts`` (the charts), ``labels`` (label placement),
``maps`` (choropleths from the parsed province shapes) and ``story`` (the sentences the notebooks print).

May import: ``data``, ``analysis``, ``claims`` and the top-level modules. Nothing from ``publish``
(``tests/test_layout.py`` checks this). Matplotlib loads only when a chart module is imported.
"""
