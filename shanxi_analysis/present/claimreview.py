"""The claims ledger as schema.org ``ClaimReview`` records (JSON-LD), so search engines and fact-check tools can
read the verdicts.

One ``ClaimReview`` per claim: ``claimReviewed`` (the article's sentence), ``itemReviewed`` (a ``Claim`` whose
``appearance`` is the article), ``reviewBody`` (the first sentence of the evidence: the whole is on the page the
``url`` points to), ``reviewRating`` (a ``Rating`` whose ``alternateName`` is the verdict, with a
number on a 1-5 scale from contradicted to confirmed), ``author`` (this project), ``datePublished`` and ``url``
(the claim's anchor on the ledger page).  Everything is plain data: the page template serialises it with
:func:`json_ld`, which makes it safe inside a ``<script type="application/ld+json">`` element.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

#: The article reviewed: China Daily, 26 March 2021.
ARTICLE = {
    "@type": "NewsArticle",
    "headline": "Investment booms in Shanxi in 2020",
    "url": "https://shanxi.chinadaily.com.cn/2021-03/26/c_606595.htm",
    "datePublished": "2021-03-26",
    "author": {"@type": "Person", "name": "Yuan Shenggao"},
    "publisher": {"@type": "Organization", "name": "China Daily"},
}

#: The reviewer.
AUTHOR = {"@type": "Organization", "name": "shanxi-analysis", "url": "https://github.com/shanxi-analysis"}

#: A verdict's place on the rating scale (1 = worst, 5 = best).
RATING = {"contradicted": 1, "misleading": 2, "unverifiable": 3, "consistent": 4, "confirmed": 5}


def claim_reviews(
    ledger: pd.DataFrame,
    *,
    page_url: str,
    date_published: str,
    anchor: Any = None,
    article: Mapping[str, Any] = ARTICLE,
    author: Mapping[str, Any] = AUTHOR,
    lang: str = "en",
) -> list[dict[str, Any]]:
    """One ``ClaimReview`` dict per ledger row with a verdict.

    ``ledger``: rows with ``claim_id``, ``quote``, ``verdict`` (and ``evidence`` for the review body);
    ``page_url``: the ledger page's URL (relative URLs are kept as given); ``anchor(claim_id)`` gives the claim's
    fragment on that page (default ``claim-<id>``); ``date_published``: ISO date of the review; ``lang``: the page's
    language, the review's ``inLanguage`` (the claim reviewed, the article's sentence, stays as the article wrote
    it, in English; the review body is the evidence in the page's language)."""
    from ..messages import HTML_LANG, say

    anchor = anchor or (lambda claim_id: f"claim-{claim_id}")
    out = []
    for row in ledger.itertuples(index=False):
        verdict = getattr(row, "verdict", None)
        if not isinstance(verdict, str) or verdict not in RATING:
            continue
        review: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "ClaimReview",
            "url": f"{page_url}#{anchor(row.claim_id)}",
            "claimReviewed": str(row.quote),
            "itemReviewed": {
                "@type": "Claim",
                "appearance": dict(article),
                "author": dict(article["publisher"]),
                "datePublished": article["datePublished"],
            },
            "reviewRating": {
                "@type": "Rating",
                "ratingValue": RATING[verdict],
                "bestRating": max(RATING.values()),
                "worstRating": min(RATING.values()),
                "alternateName": say("article.verdict_word", lang, verdict=verdict),
            },
            "author": dict(author),
            "datePublished": date_published,
            "inLanguage": HTML_LANG.get(lang, lang),
        }
        evidence = getattr(row, "evidence", None)
        if isinstance(evidence, str) and evidence:
            review["reviewBody"] = first_sentence(evidence, lang)
        out.append(review)
    return out


#: Where an English sentence ends: after . ! ? or a closing quotation mark, before a capital or an opening quote.
SENTENCE_END = re.compile(r"(?<=[.!?\u201d])\s+(?=[A-Z\u201c])")


def first_sentence(text: str, lang: str = "en") -> str:
    """The first sentence of an evidence text: in English up to :data:`SENTENCE_END`, in Chinese up to its first 。
    (a closing quotation mark kept); the whole text if it has one sentence."""
    text = str(text).strip()
    if lang == "en":
        return SENTENCE_END.split(text, maxsplit=1)[0]
    m = re.match(r"(.+?。[\u201d\u300d]?)", text, re.S)
    return m.group(1) if m else text


def json_ld(records: list[dict[str, Any]]) -> str:
    """The records as JSON for a ``<script type="application/ld+json">`` element: ``<``, ``>`` and ``&`` are
    written as ``\\u003c`` and so on, so no text in a claim can close the element.  Compact (no indentation): it is
    read by machines, and indentation was a quarter of the ledger page's weight."""
    text = json.dumps(records, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
