"""The article check in Chinese (issue 22): the claims ledger in Chinese, for the checks of growth, the pandemic,
the bureau and the ranks (``shanxi_analysis/claims/growth.py``, ``pandemic.py``, ``bureau.py``, ``ranks.py``).

Every text of their findings is a catalog message (never a plain English string); rendered in Chinese, every text
column of their rows is mostly Chinese and names every number its English counterpart names; every claim's topic and
quote translation is Chinese; and the English ledger is the one recorded before the sentences moved into the catalog
(``tests/fixtures/ledger_before_issue22.json``).  The checks are also run on frames with figures removed, so the
branches of the unverifiable claims are rendered too.
"""

from __future__ import annotations

import inspect
import json
import math
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

import shanxi_analysis as sa
from shanxi_analysis import claims
from shanxi_analysis.claims.evidence import Finding, written
from shanxi_analysis.messages import Message

ROOT = Path(__file__).resolve().parents[1]
BEFORE = json.loads((ROOT / "tests" / "fixtures" / "ledger_before_issue22.json").read_text(encoding="utf-8"))

#: The check modules whose sentences are in the catalog (issue 22, this part).
MODULES = {f"shanxi_analysis.claims.{m}" for m in ("growth", "pandemic", "bureau", "ranks")}
#: Claims checked by those modules, found from the checks themselves.
OURS = sorted(cid for cid, func in claims.CHECKS.items() if func.__module__ in MODULES)
#: The ledger's texts that are written in the ledger's language.
TEXT_COLUMNS = ["topic", "tolerance", "evidence", "settle", "article_shown", "data_shown", "quote_translation"]

CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")


# --------------------------------------------------------------------------------------------- helpers
@pytest.fixture(scope="module")
def ledgers() -> dict[str, pd.DataFrame]:
    sa.data.clear_cache()
    return {lang: claims.ledger(lang) for lang in ("en", "zh")}


def _load(name: str) -> pd.DataFrame:
    return sa.data.LOADERS[name]()


def _run(claim_id: str, change: Callable[[str, pd.DataFrame], pd.DataFrame] | None = None) -> tuple[pd.Series, Finding]:
    """A claim's row and its check's finding, on the datasets (each changed by ``change(name, frame)`` if given)."""
    func = claims.CHECKS[claim_id]
    frames = {}
    for name in [p for p in inspect.signature(func).parameters if p != "claim"]:
        frame = _load(name).copy()
        frames[name] = change(name, frame) if change else frame
    rows = _load("article_claims")
    claim = rows[rows["claim_id"] == claim_id].iloc[0]
    return claim, func(claim, **frames)


def _without_shanxi_2020(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    if name == "fai_growth":
        return frame[~((frame["province"] == claims.PROVINCE) & (frame["year"] == claims.YEAR))]
    return frame


def _without_national_2020(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    if name == "national_fai_growth":
        return frame[frame["year"] != claims.YEAR]
    if name == "fai_monthly_2020":
        return frame[frame["region"] != claims.PROVINCE]
    return frame


CHANGES = {"real data": None, "no Shanxi 2020": _without_shanxi_2020, "no national 2020": _without_national_2020}


def _texts(finding: Finding) -> dict[str, object]:
    return {
        "tolerance": finding.tolerance,
        "evidence": finding.evidence,
        "settle": finding.settle,
        "article_shown": finding.shown[0],
        "data_shown": finding.shown[1],
    }


def _strip(text: str, sources: str = "") -> str:
    """The text without what stays in its own language: quotations in English, URLs, the names of the sources."""
    text = re.sub(r"“[^”]*”", lambda m: "" if LATIN.search(m.group(0)) else m.group(0), text)
    text = re.sub(r"https?://\S+", "", text)
    for source in filter(None, (s.split(" <")[0].strip() for s in sources.split(claims.SOURCE_SEP))):
        text = text.replace(source, "")
    return text


def _mostly_chinese(text: str, sources: str = "") -> bool:
    rest = _strip(text, sources)
    cjk, latin = len(CJK.findall(rest)), len(LATIN.findall(rest))
    return cjk >= 3 * latin and (cjk > 0 or not latin)  # a figure alone (10.6%) has no words to be in a language


def _numbers(text: str) -> set[float]:
    """The numbers a text names, unsigned and without thousands separators (7,200 and 7200 are one number)."""
    return {abs(float(n.replace(",", ""))) for n in NUMBER.findall(text)}


# --------------------------------------------------------------------------------------------- the findings
def test_the_modules_check_claims():
    assert {"fai_growth_2020", "rank_2020", "despite_pandemic", "statistics_bureau_attribution"} <= set(OURS)


@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("claim_id", OURS)
def test_every_text_of_the_findings_is_a_catalog_message(claim_id, change):
    """No plain string: each text is a Message, a tuple of Messages or () (no text)."""
    _, finding = _run(claim_id, CHANGES[change])
    for field, text in _texts(finding).items():
        parts = text if isinstance(text, tuple) else (text,)
        assert all(isinstance(p, Message) for p in parts), (claim_id, field, text)
        assert all(p.message_id.startswith("claims.") for p in parts), (claim_id, field, text)


@pytest.mark.parametrize("change", list(CHANGES))
@pytest.mark.parametrize("claim_id", OURS)
def test_the_findings_read_in_chinese_with_the_english_numbers(claim_id, change):
    """Rendered in Chinese, each text is mostly Chinese and names every number the English names."""
    claim, finding = _run(claim_id, CHANGES[change])
    sources = claims.SOURCE_SEP.join(finding.sources)
    for field, text in _texts(finding).items():
        if text in ((), ""):
            continue
        en, zh = written(text, "en"), written(text, "zh")  # type: ignore[arg-type]
        assert _mostly_chinese(zh, sources), (claim_id, change, field, zh)
        missing = _numbers(en) - _numbers(zh)
        assert not missing, f"{claim_id} ({change}), {field}: {sorted(missing)} not in {zh!r} (English: {en!r})"
    assert finding.verdict in claims.VERDICTS and claim["claim_id"] == claim_id


# --------------------------------------------------------------------------------------------- the ledger
@pytest.mark.parametrize("claim_id", OURS)
def test_the_chinese_ledger_rows_are_chinese(ledgers, claim_id):
    row = ledgers["zh"].set_index("claim_id").loc[claim_id]
    for column in TEXT_COLUMNS:
        if row[column]:
            assert _mostly_chinese(row[column], row["sources"]), (claim_id, column, row[column])
    assert row["evidence"] and row["tolerance"] and row["article_shown"] and row["data_shown"]


@pytest.mark.parametrize("claim_id", OURS)
def test_the_chinese_evidence_names_every_number_of_the_english(ledgers, claim_id):
    en = ledgers["en"].set_index("claim_id").loc[claim_id]
    zh = ledgers["zh"].set_index("claim_id").loc[claim_id]
    for column in ("tolerance", "evidence", "settle"):
        missing = _numbers(en[column]) - _numbers(zh[column])
        assert not missing, f"{claim_id}, {column}: {sorted(missing)} missing from {zh[column]!r}"


def test_every_claim_has_a_chinese_topic_and_quote(ledgers):
    zh = ledgers["zh"]
    for _, row in zh.iterrows():
        assert row["quote_translation"].strip(), row["claim_id"]
        assert _mostly_chinese(row["topic"]) and _mostly_chinese(row["quote_translation"]), row["claim_id"]
        # the translation keeps the article's figures: as digits or words, an amount in 亿 ("$190 billion" is
        # 1900亿美元, "500 million yuan" 5亿元)
        zh_numbers = _numbers(row["quote_translation"]) | {
            v for w, v in {"六": 6.0, "二": 2.0, "两": 2.0}.items() if w in row["quote_translation"]
        }
        words = {"six": 6.0, "second": 2.0, "two": 2.0}
        quote = row["quote"].replace("COVID-19", "")  # a name (新冠肺炎), not a figure
        figures = [(float(m[1].replace(",", "")), m[2]) for m in re.finditer(r"(\d[\d,]*(?:\.\d+)?)\s*(\w*)", quote)]
        figures += [(v, "") for w, v in words.items() if re.search(rf"\b{w}\b", quote)]
        for value, scale in figures:
            in_100m = value * {"million": 0.01, "billion": 10.0}.get(scale, 1.0)
            assert value in zh_numbers or round(in_100m, 6) in zh_numbers, (row["claim_id"], value, scale)
    assert (zh["quote"] == ledgers["en"]["quote"]).all()  # the quote stays the article's English, verbatim


def test_the_two_ledgers_differ_only_in_their_words(ledgers):
    en, zh = ledgers["en"], ledgers["zh"]
    assert list(en.columns) == list(zh.columns) == claims.COLUMNS
    same = [c for c in claims.COLUMNS if c not in TEXT_COLUMNS]
    pd.testing.assert_frame_equal(en[same], zh[same])
    assert (en["quote_translation"] == "").all()


def test_the_english_ledger_is_the_one_before_the_catalog(ledgers):
    now = ledgers["en"].drop(columns=["quote_translation"])
    assert list(now.columns) == BEFORE["columns"]
    for got, want in zip(now.to_dict("records"), BEFORE["rows"], strict=True):
        for column, value in want.items():
            if value is None:
                assert isinstance(got[column], float) and math.isnan(got[column]), (want["claim_id"], column)
            else:
                assert got[column] == value, (want["claim_id"], column, got[column], value)


def test_a_language_without_topics_is_refused():
    with pytest.raises(sa.errors.ParameterError, match="topic_xx"):
        claims.check("rank_2020", "xx")


def test_no_chinese_sentence_of_the_ledger_has_two_colons(ledgers):
    """A colon introduces what follows once: a second colon in one sentence (判定规则：精确比较：位次……) reads as
    a translated outline. Quotes and brackets are left out (a quoted English title keeps its own punctuation)."""
    zh = ledgers["zh"]
    for cid, row in zh.iterrows():
        for col in TEXT_COLUMNS:
            text = re.sub(r"“[^”]*”|（[^（）]*）|\([^()]*\)", "", str(row[col] or ""))
            for sentence in re.split(r"[。；]", text):
                assert sentence.count("：") <= 1, f"{cid} {col}: {sentence!r}"
