"""What did the article claim, and does the data bear it out?  The claims ledger.

The China Daily article "Investment booms in Shanxi in 2020" (2021-03-26, :data:`ARTICLE_URL`) makes the claims
listed in ``data/raw/article_claims.csv`` (:func:`shanxi_analysis.data.article_claims`: the sentence, the
figure, the unit).  ``definitions.yml`` (package data) says which check applies to each claim, with its topic and
parameters; :data:`CHECKS` holds the resulting check of every claim, a small pure function of the datasets it
needs.  :func:`ledger` runs them all and lays the findings out one row per claim, :func:`headline` counts them in
one sentence.  Presenting them as an editor would publish them is the presentation stage's job
(:mod:`shanxi_analysis.present.ledger`: ``present.display_table``, ``present.notes_markdown``).

The package is split by job:

- :mod:`.vocabulary`: what each verdict and evidence kind means, the rulebook (:data:`RULEBOOK`: how a verdict is
  reached on each basis of evidence), :func:`verdict_counts`, :func:`headline`;
- :mod:`.article`: the article's constants (its URL, province, year) and the fixed readings of its words;
- :mod:`.evidence`: :class:`Finding` and what every check builds it from (figures written as given, sources cited,
  comparisons within a tolerance);
- :mod:`.definitions`: the registry of checks by name (:func:`register_check`, :func:`register_check_builder`) and
  ``definitions.yml`` read and validated into :data:`CHECKS` and :data:`TOPICS`;
- :mod:`.article_only`: the check of figures only the article gives, against ``independent_figures.csv``;
- :mod:`.growth`: claims on FAI growth, the national figure and the comparison;
- :mod:`.pandemic`: the claim of growth despite the pandemic (the monthly path);
- :mod:`.bureau`: what the Shanxi Statistics Bureau actually said;
- :mod:`.ranks`: claims on Shanxi's rank among the provinces;
- :mod:`.projects`: claims on projects, zones, companies and procedures;
- :mod:`.runner`: :func:`ledger` and :func:`check`, which run the checks on the current data.

Importing the package imports every check module, which registers its checks by name, then fills :data:`CHECKS`
from ``definitions.yml``.

Adding a claim
--------------
1. Add a row to ``data/raw/article_claims.csv``: ``claim_id`` (lower case, ``_``), the article's ``quote``, its
   ``article_value`` (empty for a claim in words) and ``unit``; then ``python scripts/update_manifest.py
   --accept-shape`` (the file gains a row).
2. Add an entry with the same ``id`` to ``shanxi_analysis/claims/definitions.yml``: its ``topic`` (and
   ``topic_zh``, with ``quote_zh`` the project's Chinese translation of the quote), ``basis``
   (required: the rulebook's kind of evidence the verdict rests on, one of :data:`BASES`, e.g. ``article only``
   for a figure no other source bears on yet; ``RULEBOOK[basis].verdicts`` are the verdicts it allows) and
   ``check``.
   A figure only the article gives uses ``check: article_only`` with ``params`` ``rule`` (more than / nearly /
   about with a ``step``, exact, event), ``settle`` and ``settle_zh`` (the same in Chinese); independent figures
   for it go in ``data/raw/independent_figures.csv`` under the claim id (``comparable`` true or false).
3. Only when no existing check fits: write one in the module of its subject (e.g. :mod:`.growth`), a function
   ``(claim, <dataset names>...) -> Finding`` registered with ``@register_check("<claim_id>")`` (from
   :mod:`.definitions`), built from the helpers of :mod:`.evidence` (``unverifiable``, ``within``, ``given``,
   ``pct_shown``, ``cite``, ``dataset_sources`` ...), and name it in the entry's ``check``.  Its texts are
   catalog messages, ``Message("claims.<module>.<what>", **facts)`` (a tuple of them for sentences read one after
   another), with a template in ``messages/en.yml`` and ``messages/zh.yml`` each; figures go in raw, with the
   decimals they were given with (``given(growth=10.6)`` adds ``growth_digits``).  A sentence added
   to an article-only claim's evidence is a function registered with ``@register_extra("<name>")`` (from
   :mod:`.article_only`), named in the entry's ``params.extra``.
4. Run ``pytest tests/test_claims.py tests/test_claim_definitions.py``: the ledger refuses a claim without a
   definition (or the reverse), an unknown check, a missing field or a parameter of the wrong type, naming the
   claim id and the field.

Claims resting on the article alone are checked against ``data/raw/independent_figures.csv``: a row with
``comparable == True`` is compared with the article's figure by the rule stated in the row's evidence; rows that
are not comparable are named in the evidence, never used for the verdict.

>>> from shanxi_analysis import claims
>>> table = claims.ledger()                       # doctest: +SKIP
>>> claims.headline(table)                        # doctest: +SKIP
"""

from __future__ import annotations

# the check modules: importing them registers their checks by name (before definitions.yml is read below)
from . import article_only, bureau, growth, pandemic, projects, ranks  # noqa: F401
from .article import (
    ARTICLE_SOURCE,
    ARTICLE_URL,
    MUCH_HIGHER_MIN_GAP_PP,
    MUCH_HIGHER_MIN_RATIO,
    ONE_DECIMAL_PP,
    PROVINCE,
    PUBLISHED_MONTH,
    SOURCE_SEP,
    TWO_DECADES,
    YEAR,
)
from .article_only import register_extra
from .definitions import (
    BASIS,
    CHECKS,
    QUOTE_TRANSLATIONS,
    TOPICS,
    TOPICS_BY_LANG,
    DefinitionError,
    register_check,
    register_check_builder,
)
from .definitions import register as register_definitions
from .evidence import Finding
from .runner import COLUMNS, check, ledger
from .vocabulary import (
    ALLOWED_KINDS,
    BASES,
    EVIDENCE_KINDS,
    KIND_PHRASES,
    ONE_ERROR_ONCE,
    RULEBOOK,
    VERDICT_MEANING,
    VERDICT_PHRASES,
    VERDICTS,
    Rule,
    basis_name,
    headline,
    kind_counts,
    rule_text,
    verdict_counts,
    verdict_meaning,
    verdict_word,
)

register_definitions()  # CHECKS and TOPICS from definitions.yml

__all__ = [
    "ALLOWED_KINDS",
    "BASES",
    "BASIS",
    "ONE_ERROR_ONCE",
    "RULEBOOK",
    "Rule",
    "ARTICLE_SOURCE",
    "ARTICLE_URL",
    "CHECKS",
    "COLUMNS",
    "EVIDENCE_KINDS",
    "KIND_PHRASES",
    "MUCH_HIGHER_MIN_GAP_PP",
    "MUCH_HIGHER_MIN_RATIO",
    "ONE_DECIMAL_PP",
    "PROVINCE",
    "PUBLISHED_MONTH",
    "SOURCE_SEP",
    "TOPICS",
    "TOPICS_BY_LANG",
    "QUOTE_TRANSLATIONS",
    "TWO_DECADES",
    "VERDICTS",
    "VERDICT_MEANING",
    "VERDICT_PHRASES",
    "YEAR",
    "DefinitionError",
    "Finding",
    "check",
    "headline",
    "kind_counts",
    "ledger",
    "register_check",
    "register_check_builder",
    "register_definitions",
    "register_extra",
    "verdict_counts",
    "basis_name",
    "rule_text",
    "verdict_meaning",
    "verdict_word",
]
