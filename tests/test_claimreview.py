"""The ClaimReview JSON-LD of the claims ledger validates against schema.org's own vocabulary (types, the
properties each type may carry, the types each property may hold), read from a committed extract of schema.org
release 30.0 (tests/fixtures/schemaorg_claimreview_vocabulary.json, with its source)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from shanxi_analysis.present import claimreview

VOCAB = json.loads((Path(__file__).parent / "fixtures" / "schemaorg_claimreview_vocabulary.json").read_text())
LITERALS = {"Text", "URL", "Date", "DateTime", "Number", "Integer", "Boolean"}


def schema_errors(obj, path="$"):
    """Every property of every typed object that schema.org does not define for that type (or its supertypes),
    and every nested object whose type the property's range does not admit."""
    errors = []
    kind = obj.get("@type")
    if kind not in VOCAB["types"]:
        return [f"{path}: type {kind!r} is not in the vocabulary extract"]
    ancestors = set(VOCAB["types"][kind])
    for name, value in obj.items():
        if name.startswith("@"):
            continue
        prop = VOCAB["properties"].get(name)
        if prop is None or not ancestors & set(prop["domains"]) or prop["superseded"]:
            errors.append(f"{path}.{name}: not a property of {kind}")
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict):
                inner = item.get("@type")
                if not set(VOCAB["types"].get(inner, [inner])) & set(prop["ranges"]):
                    errors.append(f"{path}.{name}: a {inner} where schema.org expects {prop['ranges']}")
                errors += schema_errors(item, f"{path}.{name}")
            elif not set(prop["ranges"]) & LITERALS:
                errors.append(f"{path}.{name}: a literal where schema.org expects {prop['ranges']}")
    return errors


LEDGER = pd.DataFrame(
    {
        "claim_id": ["fai_growth_2020", "national_average_2020", "new_projects"],
        "quote": ["FAI grew 10.6%", "much higher than the national average of 7.7 percent", "7,200 new projects"],
        "verdict": ["confirmed", "contradicted", "unverifiable"],
        "evidence": ["NBS: 10.6%.", "China grew 2.9%; 7.7 was the gap </script><b>", ""],
    }
)


def test_every_claim_review_validates_against_schema_org():
    records = claimreview.claim_reviews(LEDGER, page_url="05-claims.html", date_published="2026-12-01")
    assert len(records) == 3
    for r in records:
        assert schema_errors(r) == []
        assert r["reviewRating"]["alternateName"] in claimreview.RATING
        assert r["url"].startswith("05-claims.html#claim-")


def test_the_validator_catches_what_schema_org_does_not_define():
    record = claimreview.claim_reviews(LEDGER.head(1), page_url="p.html", date_published="2026-12-01")[0]
    record["verdict"] = "confirmed"  # not a schema.org property
    record["itemReviewed"]["appearance"] = {"@type": "Rating", "ratingValue": 1}  # wrong range type
    errors = schema_errors(record)
    assert any(".verdict" in e for e in errors)
    assert any("appearance" in e for e in errors)


def test_verdicts_map_onto_one_scale_from_contradicted_to_confirmed():
    assert claimreview.RATING["contradicted"] == min(claimreview.RATING.values())
    assert claimreview.RATING["confirmed"] == max(claimreview.RATING.values())


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "a & b <!--"])
def test_json_ld_cannot_close_its_script_element(text):
    ledger = LEDGER.head(1).assign(quote=text)
    out = claimreview.json_ld(claimreview.claim_reviews(ledger, page_url="p.html", date_published="2026-12-01"))
    assert "<" not in out and ">" not in out
    assert json.loads(out)[0]["claimReviewed"] == text
