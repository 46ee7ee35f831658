"""Sampling on SmolLM2 against ``transformers`` ``generate``, and its chat template."""

from __future__ import annotations

import pytest
import torch

from workbench.core.sampling.jobs import generate
from workbench.core.sampling.lm import LanguageModel
from workbench.core.sampling.params import SamplingParams

PROMPT = "The Eiffel Tower is located in the city of"
QUESTION = "What is the capital of France?"


@pytest.fixture(scope="module")
def lm(smollm2) -> LanguageModel:
    return LanguageModel(smollm2.require_loaded(), smollm2.tokenizer, smollm2.device)


def _theirs(lm: LanguageModel, prompt_ids: list[int], **settings) -> list[int]:
    inputs = torch.tensor([prompt_ids])
    with torch.inference_mode():
        output = lm.model.generate(
            input_ids=inputs, attention_mask=torch.ones_like(inputs), max_new_tokens=12, **settings
        )
    return output[0, len(prompt_ids) :].tolist()


@pytest.mark.parametrize(
    "ours, theirs",
    [
        ({"strategy": "greedy"}, {"do_sample": False}),
        ({"strategy": "beam", "num_beams": 3}, {"do_sample": False, "num_beams": 3}),
    ],
    ids=["greedy", "beam"],
)
def test_decoding_gives_the_ids_of_generate_token_for_token(lm, ours, theirs) -> None:
    params = SamplingParams(prompt=PROMPT, chat_template=False, max_new_tokens=12, stop_at_eos=False, **ours)
    result = generate(lm, params)
    expected = _theirs(lm, lm.encode(PROMPT), eos_token_id=None, **theirs)
    assert result.token_ids.tolist() == expected
    assert " Paris" in result.text


def test_the_instruct_model_answers_through_its_chat_template(lm) -> None:
    assert lm.has_chat_template
    prompt_ids = lm.encode(QUESTION, chat=True)
    rendered = lm.tokenizer.decode(prompt_ids)
    assert rendered.startswith("<|im_start|>system") and rendered.endswith("<|im_start|>assistant\n")
    params = SamplingParams(prompt=QUESTION, max_new_tokens=12)
    assert params.chat_template  # the default: an instruct model gets its format
    result = generate(lm, params)
    assert result.prompt_ids.tolist() == prompt_ids
    assert result.token_ids.tolist() == _theirs(lm, prompt_ids, do_sample=False)[: len(result.token_ids)]
    assert "Paris" in result.text
