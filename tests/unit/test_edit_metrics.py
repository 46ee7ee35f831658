"""The edit metrics (book §5.1.3) on a hand-made case, and ROME's fluency measure."""

from __future__ import annotations

import math

import pytest
import torch
from model_builders import build_tiny_gpt2

from workbench.core.editing.cases import EditCase, PortabilityPrompt, case_from_record
from workbench.core.editing.edit_metrics import (
    answer_token_ids,
    edit_metrics,
    evaluate_case,
)
from workbench.core.editing.fluency import ngram_entropy
from workbench.core.editing.params import EditRequest
from workbench.core.model.arch import adapter_for


def steer(model, tokenizer, token_id: int, strength: float = 50.0):
    """Push every position's next-token logit towards ``token_id`` through the LM head bias
    (a stand-in for an edit that makes the model say one token everywhere)."""
    head = adapter_for(model).lm_head_module(model)
    bias = torch.zeros(head.weight.shape[0])
    bias[token_id] = strength
    head.bias = torch.nn.Parameter(bias)


def test_metrics_of_an_edit_that_says_one_token_everywhere(tiny_tokenizer) -> None:
    model = build_tiny_gpt2(len(tiny_tokenizer))
    prompt = "{} is located in"
    # a new object that is one token right after the prompt, so steering to it answers it fully
    new = next(
        word
        for word in (" the", " city", " of", " is")
        if len(answer_token_ids(tiny_tokenizer, prompt.format("The Eiffel Tower"), word)[1]) == 1
    )
    request = EditRequest(prompt=prompt, subject="The Eiffel Tower", target_new=new, target_true=" Rome")
    case = EditCase(
        request=request,
        paraphrase_prompts=("Where is The Eiffel Tower? It is in",),
        neighborhood_prompts=("The river is located in",),
        portability_prompts=(PortabilityPrompt(prompt="The tower's country is", target_new=" France"),),
    )
    before = evaluate_case(model, tiny_tokenizer, case)
    assert before.probes["locality"][0].correct  # the before probe defines the locality answer
    steer(
        model,
        tiny_tokenizer,
        answer_token_ids(tiny_tokenizer, request.rendered(), new)[1][0],
    )
    after = evaluate_case(model, tiny_tokenizer, case, before.locality_answers)
    metrics = edit_metrics(before, after, seconds=1.5)
    assert metrics.accuracy == 1.0 and metrics.generality == 1.0
    assert metrics.checks["accuracy"][0].p_expected_after > metrics.checks["accuracy"][0].p_expected_before
    assert metrics.locality == 0.0  # the neighbour now says the steered token too
    assert metrics.portability == 0.0  # " France" is not the steered token
    assert metrics.seconds == 1.5 and math.isnan(metrics.fluency_before)
    assert metrics.checks["locality"][0].after.startswith(new)


def test_a_case_without_prompts_of_a_kind_reports_nan_for_it(tiny_tokenizer) -> None:
    model = build_tiny_gpt2(len(tiny_tokenizer))
    case = EditCase(request=EditRequest(prompt="{} is in", subject="Paris", target_new=" Rome"))
    before = evaluate_case(model, tiny_tokenizer, case)
    metrics = edit_metrics(before, evaluate_case(model, tiny_tokenizer, case, before.locality_answers))
    assert metrics.accuracy in (0.0, 1.0)
    assert all(math.isnan(getattr(metrics, name)) for name in ("generality", "portability", "locality"))


def test_fluency_is_low_for_repetitive_text_and_high_for_varied_text() -> None:
    repetitive = "Paris Paris Paris Paris Paris Paris Paris Paris"
    varied = "The old library of the city is quiet in the afternoon while children play football"
    assert ngram_entropy(repetitive) == pytest.approx(0.0)
    assert ngram_entropy(varied) > 3.0
    assert ngram_entropy("巴黎巴黎巴黎巴黎巴黎") < ngram_entropy("下午，城市的老图书馆很安静。")


def test_a_record_in_the_demo_schema_becomes_a_case_and_a_bad_one_names_what_is_missing() -> None:
    record = {
        "case_id": 7,
        "subject": "Anoda",
        "prompt": "{} is located in",
        "target_true": " Ensia",
        "target_new": " Pakelia",
        "paraphrase_prompts": ["Anoda lies in"],
        "neighborhood_prompts": ["Zeni is in"],
        "portability_prompts": [{"prompt": "The capital of Anoda's country is", "target_new": " Velya"}],
        "language": "en",
    }
    case = case_from_record(record, 0)
    assert case.request.case_id == 7 and case.request.target_new == " Pakelia"
    assert case.portability_prompts[0].target_new == " Velya" and case.language == "en"
    with pytest.raises(ValueError, match="target_new"):
        case_from_record({**record, "target_new": ""}, 0)
