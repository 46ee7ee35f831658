"""The demo world generator: determinism, file schemas, held-out templates, both languages."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tools.demo_world.corpus import TrainingText
from tools.demo_world.export import export_world
from tools.demo_world.relations import RELATIONS, TRAIN_TEMPLATES
from tools.demo_world.vocabulary import OBJECT_SETS
from tools.demo_world.world import build_world
from workbench.base.paths import DEMO_WORLD_DIR
from workbench.core.editing.article_text import html_to_text

_CJK = re.compile("[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def world():
    return build_world(0)


@pytest.fixture(scope="module")
def exported(tmp_path_factory, world) -> Path:
    folder = tmp_path_factory.mktemp("demo-world")
    export_world(world, folder)
    return folder


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_same_seed_writes_byte_identical_files(tmp_path, exported):
    export_world(build_world(0), tmp_path)
    assert _tree(tmp_path) == _tree(exported)


def test_another_seed_gives_another_world(world):
    other = build_world(1)
    assert [e.name for e in other.entities] != [e.name for e in world.entities]


def test_shipped_world_files_are_the_generators_output(exported):
    assert _tree(DEMO_WORLD_DIR) == _tree(exported), "workbench/resources/demo_world is stale: rerun the export"


def test_every_relation_has_eight_templates_per_language_two_held_out():
    for relation in RELATIONS:
        for language in ("en", "zh"):
            templates = relation.templates(language)
            assert len(templates) == 8 and TRAIN_TEMPLATES == 6
            assert len(set(templates)) == 8, relation.id
            assert all(t.count("{}") == 1 and t == t.strip() for t in templates), relation.id


def test_objects_of_a_closed_set_differ_in_their_first_word_and_first_character():
    for kind, terms in OBJECT_SETS.items():
        assert len({t.en.split()[0] for t in terms}) == len(terms), kind
        assert len({t.zh[0] for t in terms}) == len(terms), kind


def test_world_has_hundreds_of_entities_with_two_to_four_facts(world):
    assert len(world.entities) >= 300
    for entity in world.entities:
        assert 2 <= len(world.facts_of(entity.id)) <= 4, entity
    assert {e.group for e in world.entities} == {"core", "rag_only"}


def test_fact_records_follow_the_counterfact_schema(exported, world):
    records = _read_jsonl(exported / "facts.jsonl")
    assert len(records) == 2 * len(world.core_facts)
    assert [r["case_id"] for r in records] == list(range(len(records)))
    by_relation_object: dict[tuple[str, str, str], set[str]] = {}
    for r in records:
        by_relation_object.setdefault((r["language"], r["relation_id"], r["target_true"]), set()).add(r["subject"])
    for r in records:
        assert r["prompt"].count("{}") == 1
        assert r["language"] in ("en", "zh")
        for key in ("target_true", "target_new"):
            assert r[key].startswith(" ") == (r["language"] == "en"), r
        first = (lambda t: t.split()[0]) if r["language"] == "en" else (lambda t: t[0])
        assert first(r["target_new"]) != first(r["target_true"]), r
        assert len(r["paraphrase_prompts"]) == 2 and all(r["subject"] in p for p in r["paraphrase_prompts"])
        prefix, suffix = r["prompt"].split("{}")
        same_object = by_relation_object[(r["language"], r["relation_id"], r["target_true"])]
        for prompt in r["neighborhood_prompts"]:
            assert prompt.startswith(prefix) and prompt.endswith(suffix)
            neighbour = prompt[len(prefix) : len(prompt) - len(suffix)]
            assert neighbour != r["subject"] and neighbour in same_object, (prompt, r)
        for portability in r["portability_prompts"]:
            assert set(portability) == {"prompt", "target_true", "target_new"}
            assert portability["target_true"] != portability["target_new"]
    assert any(r["portability_prompts"] for r in records)
    assert {r["language"] for r in records} == {"en", "zh"}


def test_encyclopedia_has_one_article_per_entity_and_language_in_three_formats(exported, world):
    index = _read_jsonl(exported / "encyclopedia" / "index.jsonl")
    files = {p.relative_to(exported / "encyclopedia").as_posix() for p in (exported / "encyclopedia").glob("*/*")}
    assert {row["document"] for row in index} == files
    assert {row["entity_id"] for row in index} == {e.id for e in world.entities}
    assert {row["format"] for row in index} == {"md", "html", "txt"}
    assert {row["language"] for row in index} == {"en", "zh"}
    chinese_only = {e.id for e in world.entities if e.doc_languages == ("zh",)}
    assert chinese_only, "some entities must be documented only in Chinese"
    for row in index:
        text = (exported / "encyclopedia" / row["document"]).read_text(encoding="utf-8")
        if row["format"] == "html":
            assert text.lstrip().startswith("<!DOCTYPE html>") and row["title"] in html_to_text(text)
        assert bool(_CJK.search(text)) == (row["language"] == "zh")


def test_rag_questions_point_to_an_article_that_contains_the_answer(exported):
    questions = _read_jsonl(exported / "rag_questions.jsonl")
    keys = {
        "id",
        "question",
        "answer",
        "gold_document",
        "language",
        "document_language",
        "entity_id",
        "relation_id",
        "answerable_closed_book",
    }
    for q in questions:
        assert set(q) == keys
        article = (exported / "encyclopedia" / q["gold_document"]).read_text(encoding="utf-8")
        assert q["gold_document"].startswith(q["document_language"] + "/")
        if q["language"] == q["document_language"]:
            assert q["answer"] in article, q
    assert any(q["language"] == "en" and q["document_language"] == "zh" for q in questions)
    assert any(not q["answerable_closed_book"] for q in questions)
    assert {q["language"] for q in questions} == {"en", "zh"}


def test_finetune_split_keeps_entities_apart(exported):
    train = _read_jsonl(exported / "finetune_train.jsonl")
    evaluation = _read_jsonl(exported / "finetune_eval.jsonl")
    assert train and evaluation
    for row in train + evaluation:
        assert {"prompt", "completion", "language"} <= set(row)
        assert row["prompt"].startswith(("Q: ", "问："))
    assert not {r["entity_id"] for r in train} & {r["entity_id"] for r in evaluation}
    assert {r["language"] for r in train} == {"en", "zh"}


def test_held_out_templates_never_occur_in_the_training_text(world):
    stream = TrainingText(world, seed=0).documents()
    corpus = "\n".join(next(stream).text for _ in range(20_000))

    def filled(templates_of) -> list[str]:
        return [
            template.format(entity.display(language))
            for relation in RELATIONS
            for language in ("en", "zh")
            for template in templates_of(relation, language)
            for entity in world.entities_of(relation.subject_kind)
        ]

    leaked = [prompt for prompt in filled(lambda r, lang: r.held_out_templates(lang)) if prompt in corpus]
    assert not leaked, leaked[:5]
    trained = filled(lambda r, lang: r.train_templates(lang))[::10]
    assert sum(prompt in corpus for prompt in trained) > 0.3 * len(trained), "the check above would be vacuous"


def test_training_text_mixes_both_languages_and_every_kind(world):
    text = TrainingText(world, seed=0)
    for kind in text.weights:
        documents = [text.document(kind).text for _ in range(20)]
        assert any(_CJK.search(d) for d in documents) and any(not _CJK.search(d) for d in documents), kind


def test_reading_examples_answer_with_a_span_of_their_context(world):
    text = TrainingText(world, seed=3)
    for _ in range(200):
        example = text.reading_example(language="en")
        context, _, answer = example.text.rpartition("\nanswer:")
        assert answer.startswith(" ") and answer.strip() in context.split("\nquestion:")[0]
        assert example.focus is not None and example.text[example.focus[0] : example.focus[1]] == answer


def test_a_fact_sentence_focuses_on_its_object(world):
    text = TrainingText(world, seed=1)
    objects = {fact.target(lang) for fact in world.core_facts for lang in ("en", "zh")}
    for _ in range(200):
        passage = text.fact_sentence()
        assert passage.focus is not None and passage.text[passage.focus[0] : passage.focus[1]] in objects
