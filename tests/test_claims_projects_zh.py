"""The article check in Chinese, for the claims of shanxi_analysis/claims/projects.py and article_only.py: their
texts come from the message catalog only, read as Chinese in the Chinese ledger, state the same numbers as the
English ones, and leave the English ledger as it was (tests/fixtures/ledger_projects_en.json, dumped before the
texts moved to the catalog)."""

from __future__ import annotations

import inspect
import json
import re
from pathlib import Path

import pandas as pd
import pytest

import shanxi_analysis as sa
from shanxi_analysis import messages
from shanxi_analysis.claims import definitions
from shanxi_analysis.claims.runner import CHECKS
from shanxi_analysis.messages import Message

FIXTURE = Path(__file__).parent / "fixtures" / "ledger_projects_en.json"
TEXTS = ("tolerance", "evidence", "settle")
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")


def _mine() -> list[str]:
    """The claims whose check is article_only or one of the checks of claims/projects.py."""
    import shanxi_analysis.claims.projects as projects

    own = {f.__name__ for f in vars(projects).values() if getattr(f, "__module__", "") == projects.__name__}
    return [cid for cid, func in CHECKS.items() if func.__name__ in own or func.__module__.endswith("article_only")]


MINE = _mine()


@pytest.fixture(scope="module")
def ledgers() -> dict[str, pd.DataFrame]:
    return {lang: sa.claims.ledger(lang).set_index("claim_id") for lang in ("en", "zh")}


def test_the_claims_are_found():
    assert {"new_projects", "combined_investment_usd", "projects_drove_growth", "zones_high_tech_mainly"} <= set(MINE)
    assert len(MINE) >= 20


def test_english_is_unchanged(ledgers):
    before = json.loads(FIXTURE.read_text(encoding="utf-8"))
    before.pop("_note")
    for cid, row in before.items():
        for col in TEXTS:
            assert ledgers["en"].loc[cid, col] == row[col], f"{cid} {col}"
    assert set(before) == set(MINE)


def _words(text: str) -> str:
    """The text without quotes (they stay in their language), URLs and the names of sources."""
    text = re.sub(r"“[^”]*”|'[^']*'", "", text)
    text = re.sub(r"https?://\S+", "", text)
    return re.sub(r"\bFRED\b|\bEXCHUS\b|\bNBS\b|GWh", "", text)


@pytest.mark.parametrize("cid", MINE)
def test_chinese_texts_are_chinese(ledgers, cid):
    row = ledgers["zh"].loc[cid]
    for col in TEXTS:
        text = _words(row[col])
        cjk, latin = len(CJK.findall(text)), len(LATIN.findall(text))
        assert cjk >= 3 * latin, f"{cid} {col}: {row[col]!r}"


_NUMBER = re.compile(r"(?<![0-9A-Za-z.])\d[\d,]*(?:\.\d+)?(?P<wan>万(?!亿))?")


def _numbers(text: str) -> list[tuple[float, int]]:
    """Each number of a text with its decimals (thousands separators dropped); a Chinese count in 万 as its value
    (12万 -> 120000; 万亿 is an amount of money, compared by its scale)."""
    out = []
    for m in _NUMBER.finditer(text):
        s = m.group().removesuffix("万").rstrip(",").replace(",", "")
        out.append((float(s) * (10000 if m["wan"] else 1), len(s.split(".")[1]) if "." in s else 0))
    return out


@pytest.mark.parametrize("cid", MINE)
def test_chinese_states_the_english_numbers(ledgers, cid):
    """Every number of the English texts is in the Chinese ones, the same figure or, for an amount the English gives
    in trillion (billion, million) yuan or dollars, the same in 亿 (the Chinese may give more decimals)."""
    for col in TEXTS:
        en, zh = ledgers["en"].loc[cid, col], ledgers["zh"].loc[cid, col]
        zh_numbers = [v for v, _ in _numbers(zh)]
        scales = (
            [1.0]
            + ([0.0001] if "trillion" in en else [])
            + ([0.1] if "billion" in en else [])
            + ([100.0] if "million" in en else [])
        )
        for value, digits in _numbers(en):
            found = any(round(x * k, digits) == round(value, digits) for x in zh_numbers for k in scales)
            assert found, f"{cid} {col}: {value} of {en!r} is not in {zh!r}"


@pytest.mark.parametrize("cid", MINE)
def test_every_text_is_a_catalog_message(cid):
    """No plain English string is left in a Finding of these checks."""
    loaders = {}

    def load(name: str) -> pd.DataFrame:
        if name not in loaders:
            loaders[name] = getattr(sa.data, name)()
        return loaders[name]

    claims = sa.data.article_claims()
    func = CHECKS[cid]
    params = [p for p in inspect.signature(func).parameters if p != "claim"]
    finding = func(claims[claims["claim_id"] == cid].iloc[0], **{p: load(p) for p in params})
    for col in TEXTS:
        text = getattr(finding, col)
        parts = (text,) if isinstance(text, Message) else tuple(text)
        assert all(isinstance(p, Message) for p in parts), f"{cid} {col}: {text!r}"


def test_every_figure_named_in_the_evidence_has_its_chinese_terms():
    """The rows of independent_figures() these checks name (source, unit, what) are written in Chinese by the
    `term` filter: each has an entry in messages/terms/zh.yml."""
    figures = sa.data.independent_figures()
    rows = figures[figures["claim_id"].isin(MINE)]  # the related claims of a definition are among them
    texts = set(rows["source_desc"]) | set(rows["unit"]) | {str(w).strip().rstrip(".") for w in rows["what"]}
    texts -= {"trillion yuan", "billion yuan", "million yuan"}  # written in 亿元 / 万亿元 by the amount filter
    missing = sorted(t for t in texts if t not in messages.terms("zh"))
    assert not missing, f"add to shanxi_analysis/messages/terms/zh.yml: {missing}"
    for t in texts:
        assert CJK.search(messages.term(t)) or messages.term(t) == "%", t


def test_an_article_only_definition_needs_settle_zh():
    assert definitions.RULES["article_only"].params["settle_zh"] == ((str,), True)
