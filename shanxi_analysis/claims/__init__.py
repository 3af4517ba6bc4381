"""What did the article claim, and does the data bear it out?  The claims ledger.

The China Daily article "Investment booms in Shanxi in 2020" (2021-03-26, :data:`ARTICLE_URL`) makes the claims
listed in ``data/raw/article_claims.csv`` (:func:`shanxi_analysis.datasets.article_claims`).  Each claim has one
check in :data:`CHECKS`, a small pure function of the datasets it needs; :func:`ledger` runs them all and lays the
findings out one row per claim, :func:`headline` counts them in one sentence, :func:`display_table` and
:func:`notes_markdown` present them as an editor would publish them.

The package is split by job:

- :mod:`.vocabulary`: what each verdict and evidence kind means, :func:`verdict_counts`, :func:`headline`;
- :mod:`.base`: the article's constants, :class:`Finding`, the registry of checks, shared helpers;
- :mod:`.growth`: claims on FAI growth, the national figure, the rank, the pandemic path, the bureau's words;
- :mod:`.projects`: claims on projects, zones, companies and procedures;
- :mod:`.ledger`: :func:`ledger`, :func:`check` and the display helpers.

Claims resting on the article alone are checked against ``data/raw/independent_figures.csv``: a row with
``comparable == True`` is compared with the article's figure by the rule stated in the row's evidence; rows that
are not comparable are named in the evidence, never used for the verdict.

>>> from shanxi_analysis import claims
>>> table = claims.ledger()                       # doctest: +SKIP
>>> claims.headline(table)                        # doctest: +SKIP
"""

from __future__ import annotations

from . import growth, projects  # noqa: F401  (importing them registers their checks)
from .base import (ARTICLE_SOURCE, ARTICLE_URL, CHECKS, MUCH_HIGHER_MIN_GAP_PP, MUCH_HIGHER_MIN_RATIO,
                   ONE_DECIMAL_PP, PROVINCE, PUBLISHED_MONTH, SOURCE_SEP, TOPICS, TWO_DECADES, YEAR, Finding)
from .ledger import (COLUMNS, DISPLAY_COLUMNS, check, display_table, ledger, notes_markdown, source_links,
                     vocabulary_markdown)
from .vocabulary import (ALLOWED_KINDS, EVIDENCE_KINDS, VERDICT_MEANING, VERDICT_PHRASES, VERDICTS, headline,
                         kind_counts, verdict_counts)

__all__ = ["ALLOWED_KINDS", "ARTICLE_SOURCE", "ARTICLE_URL", "CHECKS", "COLUMNS", "DISPLAY_COLUMNS", "EVIDENCE_KINDS",
           "Finding", "MUCH_HIGHER_MIN_GAP_PP", "MUCH_HIGHER_MIN_RATIO", "ONE_DECIMAL_PP", "PROVINCE",
           "PUBLISHED_MONTH", "SOURCE_SEP", "TOPICS", "TWO_DECADES", "VERDICTS", "VERDICT_MEANING", "VERDICT_PHRASES",
           "YEAR", "check", "display_table", "headline", "kind_counts", "ledger", "notes_markdown", "source_links",
           "verdict_counts", "vocabulary_markdown"]
