"""Tests for the claim definitions as data (``shanxi_analysis/claims/definitions.yml``, issue 12).

The ledger must be the same as before the definitions moved out of Python: it is compared, column by column, with
``tests/fixtures/ledger_before_issue12.json``, a snapshot of ``claims.ledger()`` taken at commit bc03eda before
the refactor (how it was generated is in the fixture's ``_note``).  A broken definitions file must stop with a
message naming the file, the claim id and the field.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest
import yaml

import shanxi_analysis as sa
from shanxi_analysis.claims import definitions
from shanxi_analysis.errors import DataError

ROOT = Path(__file__).resolve().parents[1]
SNAPSHOT = json.loads((ROOT / "tests" / "fixtures" / "ledger_before_issue12.json").read_text(encoding="utf-8"))
YML = ROOT / "shanxi_analysis" / "claims" / "definitions.yml"


# --------------------------------------------------------------------------------------------- same behaviour
#: Claims whose verdict or figure issue 20's rulebook changed on purpose (one error counted once, ties, the
#: publisher, advance notices, personal accounts alike, the full year decides).
CHANGED_BY_ISSUE_20 = {
    "statistics_bureau_attribution",
    "best_rank_two_decades",
    "dayun_nev_start",
    "approval_procedures",
    "despite_pandemic",
}
#: Columns whose wording issue 20 changed for every row (rules as sentences, no research notes).
REWORDED_BY_ISSUE_20 = {"tolerance", "evidence", "settle", "sources", "data_shown", "article_shown"}


#: Columns added after the snapshot: the rulebook's basis (issue 20), the quote's translation (issue 22, empty in
#: English).
ADDED_COLUMNS = {"basis", "quote_translation"}


def test_the_ledger_is_the_one_recorded_before_the_refactor():
    now = sa.claims.ledger()
    assert [c for c in now.columns if c not in ADDED_COLUMNS] == SNAPSHOT["columns"]
    assert (now["quote_translation"] == "").all()
    assert list(now["claim_id"]) == [r["claim_id"] for r in SNAPSHOT["rows"]]
    for got, want in zip(now.to_dict("records"), SNAPSHOT["rows"], strict=True):
        if want["claim_id"] in CHANGED_BY_ISSUE_20:
            continue
        for col in [c for c in SNAPSHOT["columns"] if c not in REWORDED_BY_ISSUE_20]:
            g, w = got[col], want[col]
            if w is None:
                assert isinstance(g, float) and math.isnan(g), (want["claim_id"], col, g)
            else:
                assert g == w, (want["claim_id"], col)


def test_checks_and_topics_are_the_ones_recorded_before_the_refactor():
    assert set(sa.claims.CHECKS) == set(SNAPSHOT["checks"])
    assert dict(sa.claims.TOPICS) == SNAPSHOT["topics"]


def test_the_definitions_follow_article_claims_order():
    ids = [e["id"] for e in yaml.safe_load(YML.read_text(encoding="utf-8"))["claims"]]
    assert ids == [r["claim_id"] for r in SNAPSHOT["rows"]]


# --------------------------------------------------------------------------------------------- broken definitions
def _write(tmp_path: Path, change) -> Path:
    doc = yaml.safe_load(YML.read_text(encoding="utf-8"))
    entries = {e["id"]: e for e in doc["claims"]}
    change(doc["claims"], entries)
    path = tmp_path / "definitions.yml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def _set(cid: str, field: str, value):
    def change(_, entries):
        target = entries[cid]
        if field.startswith("params."):
            target = target["params"]
            field_ = field.removeprefix("params.")
        else:
            field_ = field
        if value is _DROP:
            del target[field_]
        else:
            target[field_] = value

    return change


_DROP = object()


@pytest.mark.parametrize(
    "cid, field, value, message",
    [
        ("rank_2020", "check", "rank_2021", "claim 'rank_2020', field 'check': unknown check 'rank_2021'"),
        ("rank_2020", "topic", _DROP, "claim 'rank_2020', field 'topic' is missing"),
        ("rank_2020", "topic_zh", _DROP, "claim 'rank_2020', field 'topic_zh' is missing"),
        ("rank_2020", "quote_zh", _DROP, "claim 'rank_2020', field 'quote_zh' is missing"),
        ("rank_2020", "check", _DROP, "claim 'rank_2020', field 'check' is missing"),
        ("rank_2020", "topic", "", "claim 'rank_2020', field 'topic': expected non-empty text, got str ''"),
        ("rank_2020", "topic", 7, "claim 'rank_2020', field 'topic': expected non-empty text, got int 7"),
        (
            "rank_2020",
            "params",
            {"step": 1},
            "claim 'rank_2020', field 'params.step': check 'rank_2020' takes no parameter 'step'",
        ),
        ("rank_2020", "verdict", "confirmed", "claim 'rank_2020', field(s) 'verdict' unknown"),
        (
            "new_projects",
            "params.step",
            "100",
            "claim 'new_projects', field 'params.step': expected a number, got str '100'",
        ),
        ("new_projects", "params.step", True, "claim 'new_projects', field 'params.step': expected a number, got bool"),
        (
            "new_projects",
            "params.step",
            _DROP,
            "claim 'new_projects', field 'params.step': rule 'more than' needs a step",
        ),
        ("new_projects", "params.settle", _DROP, "claim 'new_projects', field 'params.settle' is missing"),
        (
            "new_projects",
            "params.settle",
            ["a"],
            "claim 'new_projects', field 'params.settle': expected text, got list",
        ),
        (
            "new_projects",
            "params.related",
            "zone_projects",
            "claim 'new_projects', field 'params.related': expected a list, got str",
        ),
        (
            "new_projects",
            "params.related",
            [3],
            "claim 'new_projects', field 'params.related': expected a list of claim ids",
        ),
        (
            "new_projects",
            "params.related",
            ["zone_project"],
            "claim 'new_projects', field 'params.related': 'zone_project' is not a claim defined in",
        ),
        ("new_projects", "params.rule", "roughly", "claim 'new_projects', field 'params.rule': unknown rule 'roughly'"),
        (
            "new_projects",
            "params.extra",
            "ceiling",
            "claim 'new_projects', field 'params.extra': unknown extra 'ceiling'; known: total_fai_ceiling",
        ),
        (
            "new_projects",
            "params.precision",
            100,
            "claim 'new_projects', field 'params.precision': check 'article_only' takes no parameter 'precision'",
        ),
        ("huashuo_lines", "params.step", 1, "claim 'huashuo_lines', field 'params.step': rule 'exact' takes no step"),
        ("new_projects", "id", "New Projects", "claim 'New Projects', field 'id': a claim id is lower-case"),
    ],
)
def test_a_broken_definition_names_the_file_claim_and_field(tmp_path, cid, field, value, message):
    path = _write(tmp_path, _set(cid, field, value))
    with pytest.raises(DataError) as info:
        definitions.load(path)
    msg = str(info.value)
    assert msg.startswith(f"{path}: "), msg
    assert message in msg


def test_a_claim_defined_twice_is_refused(tmp_path):
    path = _write(tmp_path, lambda lst, entries: lst.append(dict(entries["rank_2020"])))
    with pytest.raises(DataError, match="claim 'rank_2020' is defined twice"):
        definitions.load(path)


def test_an_entry_without_an_id_is_named_by_its_position(tmp_path):
    path = _write(tmp_path, lambda lst, _: lst[2].pop("id"))
    with pytest.raises(DataError, match=r"entry 3 of 'claims', field 'id' is missing"):
        definitions.load(path)


def test_a_definitions_file_that_is_not_yaml_or_has_no_claims_list_is_refused(tmp_path):
    bad = tmp_path / "definitions.yml"
    bad.write_text("claims: [unclosed\n", encoding="utf-8")
    with pytest.raises(DataError, match="is not valid YAML"):
        definitions.load(bad)
    bad.write_text("checks: []\n", encoding="utf-8")
    with pytest.raises(DataError, match="a list under 'claims'"):
        definitions.load(bad)
    with pytest.raises(DataError, match="are missing"):
        definitions.load(tmp_path / "absent.yml")


# --------------------------------------------------------------------------------------------- the recipe
@pytest.fixture
def restore_definitions():
    yield
    definitions.register()


def test_adding_a_claim_by_the_recipe(data_copy, tmp_path, restore_definitions):
    """Steps 1 and 2 of the recipe in shanxi_analysis/claims/__init__.py, in a copy: a row in article_claims.csv
    and an article-only definition give a ledger row with the new claim's topic and an unverifiable verdict."""
    quote = "Shanxi planted more than 1,000 new trees in its zones in 2020."

    def add_row(rows):
        rows.append({"claim_id": "zone_trees", "quote": quote, "article_value": "1000", "unit": "trees (more than)"})

    data_copy.edit_csv("article_claims.csv", add_row)
    with pytest.raises(DataError, match="claim.s. zone_trees have no check"):
        sa.claims.ledger()
    path = _write(
        tmp_path,
        lambda lst, _: lst.append(
            {
                "id": "zone_trees",
                "topic": "Trees planted in the zones",
                "topic_zh": "园区植树",
                "quote_zh": "2020年山西在园区新植树1000多棵。",
                "basis": "article only",
                "check": "article_only",
                "params": {
                    "rule": "more than",
                    "step": 100,
                    "settle": "A forestry bureau count of 2020 plantings.",
                    "settle_zh": "林业部门对2020年植树数量的统计。",
                },
            }
        ),
    )
    definitions.register(path)
    table = sa.claims.ledger().set_index("claim_id")
    row = table.loc["zone_trees"]
    assert (row["topic"], row["quote"], row["verdict"]) == ("Trees planted in the zones", quote, "unverifiable")
    assert row["settle"] == "A forestry bureau count of 2020 plantings."
    assert row["basis"] == "article only"
    assert "from 1,000 up to, not including, 1,100" in row["tolerance"]
    assert len(table) == len(SNAPSHOT["rows"]) + 1


def test_a_definition_without_a_claim_row_is_refused(tmp_path, restore_definitions):
    path = _write(
        tmp_path,
        lambda lst, _: lst.append(
            {
                "id": "ghost",
                "topic": "Ghost",
                "topic_zh": "幽灵",
                "quote_zh": "幽灵。",
                "basis": "official statistics",
                "check": "rank_2020",
            }
        ),
    )
    definitions.register(path)
    with pytest.raises(
        DataError, match="no row for claim.s. ghost, which shanxi_analysis/claims/definitions.yml defines"
    ):
        sa.claims.ledger()
