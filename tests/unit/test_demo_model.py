"""The shipped demo model (workbench/resources/demo_model): loads with plain transformers, knows its world.

Inference only, on samples: the model card holds the accuracies over every prompt.
"""

from __future__ import annotations

import json

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, GPT2LMHeadModel

from tools.demo_world.evaluate import evaluate_demo_model
from tools.demo_world.params import TARGETS
from tools.demo_world.world import build_world
from workbench.base.paths import DEMO_MODEL_DIR, DEMO_WORLD_DIR


@pytest.fixture(scope="module")
def model():
    return AutoModelForCausalLM.from_pretrained(DEMO_MODEL_DIR).eval()


@pytest.fixture(scope="module")
def tokenizer():
    return AutoTokenizer.from_pretrained(DEMO_MODEL_DIR)


@pytest.fixture(scope="module")
def scores(model, tokenizer):
    metrics = json.loads((DEMO_MODEL_DIR / "metrics.json").read_text())
    return evaluate_demo_model(model, tokenizer, build_world(metrics["config"]["world_seed"]), sample=240, seed=1)


def _next_token(model, tokenizer, prompt: str) -> str:
    ids = tokenizer(prompt, return_tensors="pt")["input_ids"]
    with torch.inference_mode():
        return tokenizer.decode([int(model(input_ids=ids).logits[0, -1].argmax())])


def test_the_folder_is_a_small_safetensors_gpt2(model, tokenizer):
    assert isinstance(model, GPT2LMHeadModel)
    assert (DEMO_MODEL_DIR / "model.safetensors").exists()
    assert not list(DEMO_MODEL_DIR.glob("*.bin"))
    assert sum(p.stat().st_size for p in DEMO_MODEL_DIR.iterdir()) < 50 * 2**20
    assert len(tokenizer) == model.config.vocab_size and model.config.n_positions >= 128


def test_it_knows_the_training_facts_in_both_languages(scores):
    for language in ("en", "zh"):
        assert scores.facts[language] >= TARGETS["facts"] - 0.04, scores.facts


def test_it_generalises_to_held_out_paraphrases(scores):
    for language in ("en", "zh"):
        assert scores.paraphrase[language] >= TARGETS["paraphrase"] - 0.06, scores.paraphrase


def test_it_answers_from_the_context_what_it_cannot_know_alone(scores):
    for language in ("en", "zh"):
        assert scores.reading[language] >= TARGETS["reading"] - 0.05, scores.reading
        assert scores.closed_book[language] < scores.reading[language] - 0.5, scores.closed_book


def test_the_books_examples_work_as_prompts(model, tokenizer):
    assert _next_token(model, tokenizer, "斑马的颜色是") == "黑"
    assert _next_token(model, tokenizer, "The colour of the zebra is") == " black"


def test_a_prompt_and_its_object_tokenize_as_the_prompt_then_the_object(tokenizer):
    records = [json.loads(line) for line in (DEMO_WORLD_DIR / "facts.jsonl").read_text(encoding="utf-8").splitlines()]
    for record in records[::7]:
        prompt = record["prompt"].format(record["subject"])
        for target in (record["target_true"], record["target_new"]):
            joint = tokenizer(prompt + target)["input_ids"]
            assert joint == tokenizer(prompt)["input_ids"] + tokenizer(target)["input_ids"], (prompt, target)


def test_the_model_card_reports_targets_that_were_met():
    metrics = json.loads((DEMO_MODEL_DIR / "metrics.json").read_text())
    for name, target in TARGETS.items():
        assert min(metrics["final"][name]["en"], metrics["final"][name]["zh"]) >= target, (name, metrics["final"][name])
    assert "TODO" not in (DEMO_MODEL_DIR / "README.md").read_text(encoding="utf-8")
