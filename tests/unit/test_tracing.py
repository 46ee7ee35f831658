"""Causal tracing on tiny random models of every supported family.

The models are initialised with large weights so their predictions are peaked and the noise
visibly moves p(target): a heatmap with contrast makes "fast == straightforward" a claim
that can fail.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
import transformers as tf

import workbench.core.tracing.jobs  # noqa: F401  (registers the jobs run_job runs)
from workbench.base.errors import InvalidParameters, JobCancelled
from workbench.base.jobs import CancelToken, JobContext, Progress, run_job
from workbench.core.model.arch import adapter_for
from workbench.core.tracing.noise import embedding_std, make_noise
from workbench.core.tracing.params import TraceParams
from workbench.core.tracing.prompt import choose_target, prepare_prompt, target_token_id
from workbench.core.tracing.results import TraceResult
from workbench.core.tracing.trace import trace

PROMPT = "The Eiffel Tower is in the city of"
SUBJECT = "Eiffel Tower"
SIZE = dict(num_hidden_layers=2, hidden_size=32, num_attention_heads=4, max_position_embeddings=64)
LLAMA_LIKE = dict(SIZE, intermediate_size=64, num_key_value_heads=2)

FAMILIES = {
    "gpt2": lambda: tf.GPT2Config(n_layer=2, n_embd=32, n_head=4, n_positions=64, initializer_range=0.5),
    "gptj": lambda: tf.GPTJConfig(n_layer=2, n_embd=32, n_head=4, rotary_dim=4, n_positions=64, initializer_range=0.5),
    "gpt_neox": lambda: tf.GPTNeoXConfig(**SIZE, intermediate_size=64, initializer_range=0.5),
    "llama": lambda: tf.LlamaConfig(**LLAMA_LIKE, initializer_range=0.5),
    # a sliding window shorter than the prompt, so cached keys/values must respect it
    "mistral": lambda: tf.MistralConfig(**LLAMA_LIKE, sliding_window=6, initializer_range=0.5),
    "qwen2": lambda: tf.Qwen2Config(**LLAMA_LIKE, initializer_range=0.5),
    "gemma": lambda: tf.GemmaConfig(**dict(LLAMA_LIKE, num_key_value_heads=1), head_dim=8, initializer_range=0.5),
    "gemma2": lambda: tf.Gemma2Config(
        **dict(LLAMA_LIKE, num_key_value_heads=1), head_dim=8, sliding_window=6, initializer_range=0.2
    ),
    # scaled embedding inside embed_tokens; a sliding layer with a window shorter than the prompt
    "gemma3_text": lambda: tf.Gemma3TextConfig(
        **dict(LLAMA_LIKE, num_key_value_heads=1),
        head_dim=8,
        sliding_window=6,
        layer_types=["sliding_attention", "full_attention"],
        initializer_range=0.2,
    ),
    "opt": lambda: tf.OPTConfig(**SIZE, ffn_dim=64, word_embed_proj_dim=32, init_std=0.5),
}


def build_model(family: str, vocab_size: int) -> torch.nn.Module:
    config = FAMILIES[family]()
    config.vocab_size = vocab_size
    config.bos_token_id = config.eos_token_id = config.pad_token_id = 0
    torch.manual_seed(0)
    return tf.AutoModelForCausalLM.from_config(config).eval()


def run_trace(model, tokenizer, **changes) -> TraceResult:
    params = TraceParams(**{"prompt": PROMPT, "subject": SUBJECT, "samples": 3, **changes})
    return trace(model, tokenizer, adapter_for(model), params)


@pytest.fixture(scope="module")
def gpt2(tiny_tokenizer):
    return build_model("gpt2", len(tiny_tokenizer))


@pytest.fixture(scope="module")
def gpt2_trace(gpt2, tiny_tokenizer) -> TraceResult:
    return run_trace(gpt2, tiny_tokenizer)


@pytest.fixture(scope="module", params=sorted(FAMILIES))
def family_traces(request, tiny_tokenizer):
    """Fast and straightforward traces of the same prompt, noise and seed, per family."""
    model = build_model(request.param, len(tiny_tokenizer))
    fast = run_trace(model, tiny_tokenizer, samples=2)
    straight = run_trace(model, tiny_tokenizer, samples=2, method="straightforward")
    return request.param, fast, straight


def test_trace_runs_on_every_family_with_a_heatmap_per_kind(family_traces, tiny_tokenizer) -> None:
    _, fast, _ = family_traces
    num_tokens = len(tiny_tokenizer(PROMPT)["input_ids"])
    assert len(fast.tokens) == num_tokens and fast.num_layers == 2
    assert set(fast.scores) == {"hidden", "mlp", "attn"}
    for kind in fast.scores:
        assert fast.scores[kind].shape == fast.spread[kind].shape == (num_tokens, 2)
        assert np.isfinite(fast.scores[kind]).all() and ((fast.scores[kind] >= 0) & (fast.scores[kind] <= 1)).all()
    assert "".join(fast.tokens[slice(*fast.subject_range)]).strip() == SUBJECT
    assert fast.complete and fast.forward_passes > 2


def test_restoring_last_layer_at_last_token_gives_clean_probability(family_traces) -> None:
    _, fast, straight = family_traces
    for result in (fast, straight):
        assert result.scores["hidden"][-1, -1] == pytest.approx(result.high_score, abs=1e-6)
        assert result.spread["hidden"][-1, -1] == pytest.approx(0.0, abs=1e-6)


def test_fast_method_equals_straightforward_method_on_every_family(family_traces) -> None:
    family, fast, straight = family_traces
    contrast = max(float(np.ptp(fast.scores[kind])) for kind in fast.scores)
    assert contrast > 0.005, f"{family}: the heatmap is flat, the comparison would prove nothing"
    assert fast.low_score == pytest.approx(straight.low_score, abs=1e-6)
    for kind in fast.scores:
        np.testing.assert_allclose(fast.scores[kind], straight.scores[kind], atol=1e-5, err_msg=f"{family} {kind}")
        np.testing.assert_allclose(fast.spread[kind], straight.spread[kind], atol=1e-5, err_msg=f"{family} {kind}")
    assert fast.forward_passes < straight.forward_passes / 3


def test_fast_method_is_exact_for_every_noise_kind_and_window(gpt2, tiny_tokenizer) -> None:
    variants = ({"noise_kind": "uniform", "window": 2}, {"noise_kind": "replace", "window": 1, "kinds": ("mlp",)})
    for changes in variants:
        fast = run_trace(gpt2, tiny_tokenizer, **changes)
        straight = run_trace(gpt2, tiny_tokenizer, method="straightforward", **changes)
        for kind in fast.scores:
            np.testing.assert_allclose(fast.scores[kind], straight.scores[kind], atol=1e-5)


def test_fast_method_is_exact_with_wide_windows_in_a_deeper_model(tiny_tokenizer) -> None:
    config = FAMILIES["gpt2"]()
    config.n_layer = 5
    config.vocab_size = len(tiny_tokenizer)
    torch.manual_seed(1)
    model = tf.GPT2LMHeadModel(config).eval()
    changes = dict(samples=2, kinds=("mlp",), window=3)
    fast = run_trace(model, tiny_tokenizer, **changes)
    straight = run_trace(model, tiny_tokenizer, method="straightforward", **changes)
    for kind in fast.scores:
        np.testing.assert_allclose(fast.scores[kind], straight.scores[kind], atol=1e-5)


def test_fast_method_is_exact_when_a_pass_holds_a_single_row(gpt2, tiny_tokenizer) -> None:
    params = TraceParams(prompt=PROMPT, subject=SUBJECT, samples=2)
    tiny_batches = trace(gpt2, tiny_tokenizer, adapter_for(gpt2), params, batch_tokens=1)
    one_pass_per_token = trace(gpt2, tiny_tokenizer, adapter_for(gpt2), params, batch_tokens=10**6)
    assert tiny_batches.forward_passes > one_pass_per_token.forward_passes
    for kind in params.kinds:
        np.testing.assert_allclose(tiny_batches.scores[kind], one_pass_per_token.scores[kind], atol=1e-6)


def test_corrupted_run_lowers_the_target_and_restoring_brings_it_back(gpt2_trace) -> None:
    assert gpt2_trace.high_score - gpt2_trace.low_score > 0.05
    start, _ = gpt2_trace.subject_range
    before_subject = gpt2_trace.scores["hidden"][:start]
    np.testing.assert_allclose(before_subject, gpt2_trace.low_score, atol=1e-6)


def test_subject_given_as_token_span_traces_the_same_tokens(gpt2, tiny_tokenizer, gpt2_trace) -> None:
    by_span = run_trace(gpt2, tiny_tokenizer, subject="", subject_span=gpt2_trace.subject_range)
    assert by_span.subject_range == gpt2_trace.subject_range
    np.testing.assert_allclose(by_span.scores["mlp"], gpt2_trace.scores["mlp"], atol=1e-7)


class _SlowTokenizer:
    """The fast tokenizer seen through the interface of a slow one (no character offsets)."""

    is_fast = False

    def __init__(self, fast) -> None:
        self._fast = fast
        self.all_special_ids = fast.all_special_ids

    def __call__(self, text: str, **kwargs):
        return {"input_ids": self._fast(text, **kwargs)["input_ids"]}

    def decode(self, ids, **kwargs) -> str:
        return self._fast.decode(ids, **kwargs)

    def convert_ids_to_tokens(self, token_id):
        return self._fast.convert_ids_to_tokens(token_id)


def test_subject_is_found_with_tokenizers_that_give_no_offsets(tiny_tokenizer) -> None:
    for prompt, subject in ((PROMPT, SUBJECT), (PROMPT, "city"), ("长颈鹿住在河边", "河边")):
        fast = prepare_prompt(tiny_tokenizer, prompt, subject, None, torch.device("cpu"))
        slow = prepare_prompt(_SlowTokenizer(tiny_tokenizer), prompt, subject, None, torch.device("cpu"))
        assert slow.subject_range == fast.subject_range
        if prompt.isascii():
            assert "".join(slow.tokens[slice(*slow.subject_range)]).strip() == subject


def test_subject_absent_from_prompt_raises_a_clear_error(gpt2, tiny_tokenizer) -> None:
    with pytest.raises(InvalidParameters, match="'Louvre' does not appear in the prompt"):
        run_trace(gpt2, tiny_tokenizer, subject="Louvre")
    with pytest.raises(InvalidParameters, match="not inside the prompt"):
        run_trace(gpt2, tiny_tokenizer, subject="", subject_span=(3, 99))


def test_target_defaults_to_the_models_top_prediction(gpt2, tiny_tokenizer, gpt2_trace) -> None:
    with torch.inference_mode():
        logits = gpt2(torch.tensor([tiny_tokenizer(PROMPT)["input_ids"]])).logits[0, -1]
    assert gpt2_trace.target_id == int(logits.argmax())
    assert gpt2_trace.high_score == pytest.approx(float(torch.softmax(logits, -1).max()), abs=1e-6)
    assert gpt2_trace.warnings == []
    assert gpt2_trace.top_predictions[0].token_id == gpt2_trace.target_id


def test_expected_object_the_model_does_not_predict_gives_a_warning(gpt2, tiny_tokenizer, gpt2_trace) -> None:
    expected = target_token_id(tiny_tokenizer, PROMPT, "Paris")
    assert expected != gpt2_trace.target_id  # a random model does not know where the tower is
    result = run_trace(gpt2, tiny_tokenizer, target="Paris", kinds=("hidden",))
    assert result.target_id == expected
    assert len(result.warnings) == 1 and "predicts" in result.warnings[0]
    assert result.scores["hidden"][-1, -1] == pytest.approx(result.high_score, abs=1e-6)
    # the same expectation passes silently when it is the prediction
    probs = torch.zeros(len(tiny_tokenizer))
    probs[expected] = 1.0
    assert choose_target(tiny_tokenizer, PROMPT, probs, "Paris", None) == (expected, [])


def test_same_seed_gives_identical_noise_and_another_seed_differs(gpt2, tiny_tokenizer) -> None:
    adapter = adapter_for(gpt2)
    prompt = prepare_prompt(tiny_tokenizer, PROMPT, SUBJECT, None, torch.device("cpu"))

    def draw(seed: int, kind: str = "gaussian") -> torch.Tensor:
        return make_noise(gpt2, adapter, prompt, kind=kind, multiplier=3, sigma=0.5, samples=4, seed=seed).values

    assert torch.equal(draw(7), draw(7)) and not torch.equal(draw(7), draw(8))
    assert torch.equal(draw(7, "replace"), draw(7, "replace"))


def test_gaussian_and_uniform_noise_have_the_requested_std(gpt2, tiny_tokenizer) -> None:
    adapter = adapter_for(gpt2)
    prompt = prepare_prompt(tiny_tokenizer, PROMPT, SUBJECT, None, torch.device("cpu"))
    for kind in ("gaussian", "uniform"):
        noise = make_noise(gpt2, adapter, prompt, kind=kind, multiplier=3, sigma=0.25, samples=300, seed=0)
        assert noise.values.shape == (300, 6, 32) and not noise.replace
        assert float(noise.values.std()) == pytest.approx(0.75, rel=0.02)
    uniform = make_noise(gpt2, adapter, prompt, kind="uniform", multiplier=3, sigma=0.25, samples=10, seed=0)
    assert float(uniform.values.abs().max()) <= 0.75 * 3**0.5


def test_replacement_noise_puts_other_tokens_embeddings_on_the_subject(gpt2, tiny_tokenizer) -> None:
    adapter = adapter_for(gpt2)
    prompt = prepare_prompt(tiny_tokenizer, PROMPT, SUBJECT, None, torch.device("cpu"))
    noise = make_noise(gpt2, adapter, prompt, kind="replace", multiplier=3, sigma=1.0, samples=50, seed=0)
    table = gpt2.transformer.wte.weight.detach()
    start, end = prompt.subject_range
    matches = (noise.values.reshape(-1, 1, 32) == table[None]).all(dim=-1)
    assert (matches.sum(dim=1) == 1).all()  # each value is exactly one row of the table
    chosen = matches.int().argmax(dim=1).reshape(50, end - start)
    assert (chosen != prompt.input_ids[:, start:end]).all()
    assert len(chosen.unique()) > 50
    assert noise.replace and noise.std == 0.0


def test_sigma_is_the_std_of_the_embedding_output_over_the_reference_texts(gpt2, tiny_tokenizer) -> None:
    texts = ["The Eiffel Tower", "长颈鹿住在河边"]
    ids = [tiny_tokenizer(text, add_special_tokens=False)["input_ids"] for text in texts]
    expected = float(torch.cat([gpt2.transformer.wte.weight.detach()[i].flatten() for i in ids]).std())
    assert embedding_std(gpt2, adapter_for(gpt2), tiny_tokenizer, texts) == pytest.approx(expected, rel=1e-5)
    result = run_trace(gpt2, tiny_tokenizer, reference_texts=tuple(texts), kinds=("hidden",), noise=2.0)
    assert result.sigma == pytest.approx(expected, rel=1e-5)
    assert result.noise_std == pytest.approx(2 * expected, rel=1e-5)


def test_progress_partials_fill_the_heatmaps_and_cancel_stops_the_trace(gpt2, tiny_tokenizer) -> None:
    partials: list[TraceResult] = []
    progress = Progress(lambda fraction, message, partial: partials.append(partial), min_interval=0)
    params = TraceParams(prompt=PROMPT, subject=SUBJECT, samples=2)
    result = trace(gpt2, tiny_tokenizer, adapter_for(gpt2), params, progress, batch_tokens=16)
    snapshots = [p for p in partials if isinstance(p, TraceResult) and not p.complete]
    missing = [sum(int(np.isnan(p.scores[k]).sum()) for k in p.scores) for p in snapshots]
    assert len(snapshots) >= 5 and missing == sorted(missing, reverse=True) and missing[0] > missing[-1]
    assert missing[-1] == 0 and partials[-1] is result and result.complete

    cancel = CancelToken()
    progress = Progress(lambda fraction, message, partial: fraction > 0.2 and cancel.cancel(), min_interval=0)
    with pytest.raises(JobCancelled):
        trace(gpt2, tiny_tokenizer, adapter_for(gpt2), params, progress, cancel, batch_tokens=16)


def test_trace_job_takes_the_model_from_the_session(gpt2, tiny_tokenizer, gpt2_trace) -> None:
    from workbench.core.model.session import ModelSession

    ctx = JobContext(model=ModelSession.wrap(gpt2, tiny_tokenizer))
    result = run_job(TraceParams(prompt=PROMPT, subject=SUBJECT, samples=3), ctx, Progress(), CancelToken())
    np.testing.assert_allclose(result.scores["attn"], gpt2_trace.scores["attn"], atol=1e-7)
