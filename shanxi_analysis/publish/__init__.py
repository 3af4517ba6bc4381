"""Stage 5, publishing: notebooks -> executed, exported, published report sets.

``plan`` (report jobs, notebook discovery), ``params`` (parameter checks), ``options`` (option checks), ``grid``
(parameter grids and plan files), ``provenance`` (how a set was made), ``execute`` (papermill, failures),
``kernels`` (kept kernels), ``export`` (nbconvert, the navigation cell, PDF), ``publish`` (staging, atomic swap,
locking), ``index`` (the index page), ``incremental`` (what to rebuild), ``reports`` (one set, many sets), ``pool``
(the local worker pool), ``dask_backend`` (the optional cluster backend) and ``templates/`` (nbconvert page
template, index, navigation; all Jinja2 with autoescaping).

May import every other stage; no other stage imports it (``tests/test_layout.py`` checks this).
"""
