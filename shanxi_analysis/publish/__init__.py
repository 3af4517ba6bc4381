"""Stage 5, publishing: notebooks -> executed, exported, published report sets.

``grid`` (jobs and parameter checks), ``reports`` (the build: plan, run, export, publish), ``kernels`` (kept
kernels), ``incremental`` (what to rebuild), ``dask_backend`` (the optional cluster backend) and
``templates/`` (nbconvert page template, index, navigation, report header; all Jinja2 with autoescaping).

May import every other stage; no other stage imports it (``tests/test_layout.py`` checks this).
"""
