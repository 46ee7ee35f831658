"""A soft prompt or prefix from the fine-tuning lab steers the Sampling lab's exact decoder
exactly as the soft prompt's own definition says.

Two references, neither of them our decoder: PEFT's forward pass recomputed from scratch at
every step (what the soft prompt *means*, no cache involved), and transformers' ``generate``
handed the soft prompt the way PEFT builds it (virtual-token embeddings before the prompt's,
or the learned key/value prefix as the initial cache).  PEFT's own ``generate`` used to be the
reference; on transformers 5.25 it drops the prompt (it passes ``past_key_values`` beside the
``cache`` that ``generate`` now passes, and the old name loses), so it no longer is.
"""

from __future__ import annotations

import pytest
import torch
from model_builders import build_tiny_gpt2
from peft import PrefixTuningConfig, PromptTuningConfig, TaskType, get_peft_model

from workbench.base.errors import InvalidParameters
from workbench.core.model.kv_cache import with_cache
from workbench.core.sampling.beam import run_beam_search
from workbench.core.sampling.jobs import generate
from workbench.core.sampling.lm import LanguageModel
from workbench.core.sampling.params import SamplingParams

PROMPT = "Once upon a time a giraffe"
VIRTUAL = 4


def _peaked_base(tiny_tokenizer):
    base = build_tiny_gpt2(len(tiny_tokenizer))
    for parameter in base.parameters():  # peaked distributions, so the soft prompt visibly matters
        parameter.data.mul_(4.0)
    return base


def _soft_prompted(tiny_tokenizer, config):
    base = _peaked_base(tiny_tokenizer)
    peft_model = get_peft_model(base, config).eval()
    torch.manual_seed(1)
    for parameter in peft_model.prompt_encoder.parameters():
        parameter.data.normal_(0.0, 2.0)
    return base, peft_model


CONFIGS = {
    "prompt": PromptTuningConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=VIRTUAL),
    "prefix": PrefixTuningConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=VIRTUAL),
}


@pytest.fixture(params=sorted(CONFIGS))
def soft(request, tiny_tokenizer):
    base, peft_model = _soft_prompted(tiny_tokenizer, CONFIGS[request.param])
    return LanguageModel(base, tiny_tokenizer, soft_prompt=peft_model), peft_model


def _generate_with_soft_prompt(peft_model, tokenizer, num_beams: int = 1) -> list[int]:
    """Transformers' ``generate`` on the base model, with the soft prompt as embeddings or as the
    initial cache (one copy per beam, as ``generate`` expands the inputs but not a given cache)."""
    base = peft_model.get_base_model()
    ids = tokenizer(PROMPT, return_tensors="pt")["input_ids"]
    settings = {
        "eos_token_id": None,
        "pad_token_id": 0,
        "max_new_tokens": 16,
        "do_sample": False,
        "num_beams": num_beams,
    }
    with torch.no_grad():
        learned = peft_model.get_prompt(batch_size=num_beams)
        if isinstance(learned, torch.Tensor):  # prompt tuning: virtual token embeddings
            embeds = torch.cat([learned[:1], base.get_input_embeddings()(ids)], dim=1)
            mask = torch.ones(embeds.shape[:2], dtype=torch.long)
            return base.generate(inputs_embeds=embeds, attention_mask=mask, **settings)[0].tolist()
        mask = torch.ones(1, VIRTUAL + ids.shape[1], dtype=torch.long)  # prefix tuning: the cache
        output = base.generate(input_ids=ids, attention_mask=mask, **with_cache(base, learned), **settings)
    return output[0, ids.shape[1] :].tolist()


def _recomputed_greedy(peft_model, tokenizer, count: int = 16) -> list[int]:
    """Greedy decoding by PEFT's forward on the whole text at every step: no cache at all."""
    ids = tokenizer(PROMPT, return_tensors="pt")["input_ids"]
    chosen: list[int] = []
    with torch.no_grad():
        for _ in range(count):
            logits = peft_model(input_ids=ids, attention_mask=torch.ones_like(ids)).logits
            chosen.append(int(logits[0, -1].argmax()))
            ids = torch.cat([ids, torch.tensor([[chosen[-1]]])], dim=1)
    return chosen


def _params(**changes) -> SamplingParams:
    return SamplingParams(**{"prompt": PROMPT, "max_new_tokens": 16, "stop_at_eos": False, **changes})


def test_greedy_with_a_soft_prompt_gives_the_ids_of_the_soft_prompts_forward_and_of_generate(
    soft, tiny_tokenizer
) -> None:
    lm, peft_model = soft
    ours = generate(lm, _params(strategy="greedy")).token_ids.tolist()
    assert ours == _recomputed_greedy(peft_model, tiny_tokenizer)
    assert ours == _generate_with_soft_prompt(peft_model, tiny_tokenizer)
    bare = generate(LanguageModel(lm.model, tiny_tokenizer), _params(strategy="greedy")).token_ids.tolist()
    assert ours != bare  # the soft prompt changed the continuation


def test_beam_search_with_a_soft_prompt_gives_the_best_sequence_of_generate(soft, tiny_tokenizer) -> None:
    lm, peft_model = soft
    ours = run_beam_search(lm, _params(strategy="beam", num_beams=3))
    theirs = _generate_with_soft_prompt(peft_model, tiny_tokenizer, num_beams=3)
    assert ours.sequences[0].token_ids.tolist() == theirs


def test_the_virtual_tokens_count_against_the_context(soft) -> None:
    lm, _ = soft
    prompt_ids = lm.encode(PROMPT)
    fits = lm.max_positions - len(prompt_ids) - VIRTUAL
    lm.check_request(prompt_ids, _params(max_new_tokens=fits))
    with pytest.raises(InvalidParameters, match="virtual tokens"):
        lm.check_request(prompt_ids, _params(max_new_tokens=fits + 1))


def test_the_sampling_job_uses_the_fine_tuning_labs_active_soft_prompt(tiny_tokenizer) -> None:
    from workbench.base.jobs import CancelToken, JobContext, Progress, run_job
    from workbench.core.finetune.adapters import AdapterStack
    from workbench.core.finetune.params import MethodConfig
    from workbench.core.model.session import ModelSession

    base = _peaked_base(tiny_tokenizer)
    session = ModelSession.wrap(base, tiny_tokenizer)
    session.adapters = AdapterStack(base)
    soft = session.adapters.attach_for_training(
        "soft", MethodConfig("prompt", num_virtual_tokens=VIRTUAL), tiny_tokenizer, None, ""
    )
    for parameter in soft.prompt_encoder.parameters():
        parameter.data.normal_(0.0, 2.0)
    ctx, params = JobContext(model=session), _params(strategy="greedy")
    with_prompt = run_job(params, ctx, Progress(), CancelToken()).token_ids.tolist()
    assert with_prompt == generate(LanguageModel(base, tiny_tokenizer, soft_prompt=soft), params).token_ids.tolist()
    session.adapters.set_enabled(False)
    without = run_job(params, ctx, Progress(), CancelToken()).token_ids.tolist()
    assert without == generate(LanguageModel(base, tiny_tokenizer), params).token_ids.tolist() != with_prompt
