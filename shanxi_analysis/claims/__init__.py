"""What did the article claim, and does the data bear it out?  The claims ledger.

The China Daily article "Investment booms in Shanxi in 2020" (2021-03-26, :data:`ARTICLE_URL`) makes the claims
listed in ``data/raw/article_claims.csv`` (:func:`shanxi_analysis.datasets.article_claims`: the sentence, the
figure, the unit).  ``definitions.yml`` (package data) says which check applies to each claim, with its topic and
parameters; :data:`CHECKS` holds the resulting check of every claim, a small pure function of the datasets it
needs.  :func:`ledger` runs them all and lays the findings out one row per claim, :func:`headline` counts them in
one sentence, :func:`display_table` and :func:`notes_markdown` present them as an editor would publish them.

The package is split by job:

- :mod:`.vocabulary`: what each verdict and evidence kind means, :func:`verdict_counts`, :func:`headline`;
- :mod:`.base`: the article's constants, :class:`Finding`, the registry of checks by name, the article-only check,
  shared helpers;
- :mod:`.definitions`: ``definitions.yml`` read and validated into :data:`CHECKS` and :data:`TOPICS`;
- :mod:`.growth`: claims on FAI growth, the national figure and the comparison;
- :mod:`.pandemic`: the claim of growth despite the pandemic (the monthly path);
- :mod:`.bureau`: what the Shanxi Statistics Bureau actually said;
- :mod:`.ranks`: claims on Shanxi's rank among the provinces;
- :mod:`.projects`: claims on projects, zones, companies and procedures;
- :mod:`.ledger`: :func:`ledger`, :func:`check` and the display helpers.

Adding a claim
--------------
1. Add a row to ``data/raw/article_claims.csv``: ``claim_id`` (lower case, ``_``), the article's ``quote``, its
   ``article_value`` (empty for a claim in words) and ``unit``; then ``python scripts/update_manifest.py
   --accept-shape`` (the file gains a row).
2. Add an entry with the same ``id`` to ``shanxi_analysis/claims/definitions.yml``: its ``topic`` and ``check``.
   A figure only the article gives uses ``check: article_only`` with ``params`` ``rule`` (more than / nearly /
   about with a ``step``, exact, event) and ``settle``; independent figures for it go in
   ``data/raw/independent_figures.csv`` under the claim id (``comparable`` true or false).
3. Only when no existing check fits: write one in the module of its subject (e.g. :mod:`.growth`), a function
   ``(claim, <dataset names>...) -> Finding`` registered with ``@_rule("<claim_id>")``, and name it in the entry's
   ``check``.
4. Run ``pytest tests/test_claims.py``: the ledger refuses a claim without a definition (or the reverse), an
   unknown check, a missing field or a parameter of the wrong type, naming the claim id and the field.

Claims resting on the article alone are checked against ``data/raw/independent_figures.csv``: a row with
``comparable == True`` is compared with the article's figure by the rule stated in the row's evidence; rows that
are not comparable are named in the evidence, never used for the verdict.

>>> from shanxi_analysis import claims
>>> table = claims.ledger()                       # doctest: +SKIP
>>> claims.headline(table)                        # doctest: +SKIP
"""

from __future__ import annotations

from . import bureau, growth, pandemic, projects, ranks  # noqa: F401  (importing them registers their checks by name)
from .base import (
    ARTICLE_SOURCE,
    ARTICLE_URL,
    CHECKS,
    MUCH_HIGHER_MIN_GAP_PP,
    MUCH_HIGHER_MIN_RATIO,
    ONE_DECIMAL_PP,
    PROVINCE,
    PUBLISHED_MONTH,
    SOURCE_SEP,
    TOPICS,
    TWO_DECADES,
    YEAR,
    Finding,
)
from .definitions import register as _register_definitions
from .ledger import (
    COLUMNS,
    DISPLAY_COLUMNS,
    check,
    display_table,
    ledger,
    notes_markdown,
    source_links,
    vocabulary_markdown,
)
from .vocabulary import (
    ALLOWED_KINDS,
    EVIDENCE_KINDS,
    VERDICT_MEANING,
    VERDICT_PHRASES,
    VERDICTS,
    headline,
    kind_counts,
    verdict_counts,
)

_register_definitions()  # CHECKS and TOPICS from definitions.yml

__all__ = [
    "ALLOWED_KINDS",
    "ARTICLE_SOURCE",
    "ARTICLE_URL",
    "CHECKS",
    "COLUMNS",
    "DISPLAY_COLUMNS",
    "EVIDENCE_KINDS",
    "Finding",
    "MUCH_HIGHER_MIN_GAP_PP",
    "MUCH_HIGHER_MIN_RATIO",
    "ONE_DECIMAL_PP",
    "PROVINCE",
    "PUBLISHED_MONTH",
    "SOURCE_SEP",
    "TOPICS",
    "TWO_DECADES",
    "VERDICTS",
    "VERDICT_MEANING",
    "VERDICT_PHRASES",
    "YEAR",
    "check",
    "display_table",
    "headline",
    "kind_counts",
    "ledger",
    "notes_markdown",
    "source_links",
    "verdict_counts",
    "vocabulary_markdown",
]
