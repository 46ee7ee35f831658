"""The real-world fact set (``resources/real_world/facts.jsonl``): schema, counts, uniqueness."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from workbench.base.paths import REAL_WORLD_DIR
from workbench.core.editing.cases import load_cases

FACTS = REAL_WORLD_DIR / "facts.jsonl"
FIELDS = {
    "case_id",
    "fact_id",
    "entity_id",
    "subject",
    "relation_id",
    "prompt",
    "target_true",
    "target_new",
    "paraphrase_prompts",
    "neighborhood_prompts",
    "portability_prompts",
    "language",
}
_CJK = re.compile("[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return [json.loads(line) for line in FACTS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_every_record_has_the_demo_schema(records) -> None:
    for record in records:
        assert set(record) == FIELDS, record["case_id"]
        assert record["prompt"].count("{}") == 1
        assert record["language"] in ("en", "zh")
        for key in ("subject", "target_true", "target_new", "entity_id", "relation_id"):
            assert isinstance(record[key], str) and record[key].strip(), (record["case_id"], key)
        assert record["target_new"] != record["target_true"]
        assert len(record["paraphrase_prompts"]) >= 2
        for item in record["portability_prompts"]:
            assert set(item) == {"prompt", "target_true", "target_new"}
            assert item["target_true"].strip() and item["target_new"].strip()
            assert item["target_true"] != item["target_new"]


def test_targets_are_written_as_they_follow_the_prompt(records) -> None:
    """English objects keep their leading space, Chinese ones are joined to the prompt."""
    for record in records:
        targets = [record["target_true"], record["target_new"]] + [
            t for p in record["portability_prompts"] for t in (p["target_true"], p["target_new"])
        ]
        for target in targets:
            if record["language"] == "en":
                ok = target.startswith(" ") and target.strip() == target[1:] and not _CJK.search(target)
                assert ok, (record["case_id"], target)
            else:
                assert not target.startswith(" ") and target.strip() == target, (record["case_id"], target)
        if record["language"] == "zh":
            assert _CJK.search(record["prompt"])


def test_at_least_300_english_and_150_chinese_facts(records) -> None:
    counts = Counter(record["language"] for record in records)
    assert counts["en"] >= 300 and counts["zh"] >= 150
    assert len({record["relation_id"] for record in records}) >= 8


def test_ids_are_unique_and_languages_pair_by_fact_id(records) -> None:
    assert len({record["case_id"] for record in records}) == len(records)
    pairs = Counter((record["fact_id"], record["language"]) for record in records)
    assert max(pairs.values()) == 1
    by_fact: dict[int, set[str]] = {}
    for record in records:
        by_fact.setdefault(record["fact_id"], set()).add(record["entity_id"] + "/" + record["relation_id"])
    assert all(len(keys) == 1 for keys in by_fact.values())


def test_no_prompt_is_asked_twice(records) -> None:
    rendered = [record["prompt"].format(record["subject"]) for record in records]
    assert len(set(rendered)) == len(rendered)
    for record in records:
        own = [record["prompt"].format(record["subject"]), *record["paraphrase_prompts"]]
        assert len(set(own)) == len(own), record["case_id"]
        assert len(set(record["neighborhood_prompts"])) == len(record["neighborhood_prompts"])
        assert not set(record["neighborhood_prompts"]) & set(own)


def test_neighbours_share_the_true_object(records) -> None:
    """CounterFact's rule: a neighbourhood prompt is another subject's edit prompt with the same answer."""
    answer = {(r["language"], r["prompt"].format(r["subject"])): r["target_true"] for r in records}
    for record in records:
        for prompt in record["neighborhood_prompts"]:
            assert answer[(record["language"], prompt)] == record["target_true"], (record["case_id"], prompt)


def test_the_editing_lab_reads_every_case() -> None:
    cases = load_cases("real_world")
    assert len(cases) == len(load_cases(str(FACTS))) >= 450
    assert {case.language for case in cases} == {"en", "zh"}
