"""The clean run and the corrupted run that every restored run is compared with.

The clean run records the states a cell restores; the corrupted run (one row per noise
sample) records what the fast method reuses: every residual-stream state, the attention
keys and values of every layer, and, for severing, the module outputs to freeze.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import torch
from torch import nn
from transformers import DynamicCache
from transformers.cache_utils import DynamicLayer, DynamicSlidingWindowLayer

from workbench.base.errors import InvalidParameters, UnsupportedArchitecture
from workbench.core.model.arch import ArchAdapter
from workbench.core.model.hf_config import model_config
from workbench.core.model.kv_cache import with_cache
from workbench.core.tracing.hooks import HookSet
from workbench.core.tracing.noise import SubjectNoise, embedding_std, make_noise
from workbench.core.tracing.params import CorruptionParams
from workbench.core.tracing.prompt import TracePrompt, choose_target, prepare_prompt

ScoresReport = Callable[[float, dict[str, np.ndarray], int], None]
"""How a scoring method reports: ``(fraction done, per-sample scores so far, passes so far)``."""


def next_token_probs(logits: torch.Tensor) -> torch.Tensor:
    """(rows, positions, vocab) logits → (rows, vocab) float32 probabilities at the last position."""
    return torch.softmax(logits[:, -1].float(), dim=-1)


@dataclass
class CleanRun:
    states: list[torch.Tensor]
    """``L + 1`` residual-stream states, each (tokens, hidden)."""
    modules: dict[str, list[torch.Tensor]]
    """``attn``/``mlp`` → ``L`` module outputs, each (tokens, hidden)."""
    probs: torch.Tensor
    """(vocab,) next-token probabilities."""


@dataclass
class CorruptedRun:
    states: list[torch.Tensor]
    """``L + 1`` states, each (samples, tokens, hidden)."""
    keys: list[torch.Tensor]
    values: list[torch.Tensor]
    """Per layer, the attention cache of all positions, (samples, kv heads, tokens, head dim)."""
    modules: dict[str, list[torch.Tensor]]
    """Module outputs kept for severing: kind → ``L`` tensors (samples, tokens, hidden)."""
    probs: torch.Tensor
    """(samples, vocab) next-token probabilities."""


def _recorder(store: list[torch.Tensor | None], index: int, squeeze: bool):
    def record(tensor: torch.Tensor) -> None:
        store[index] = tensor[0] if squeeze else tensor

    return record


@torch.inference_mode()
def clean_run(model: nn.Module, adapter: ArchAdapter, input_ids: torch.Tensor) -> CleanRun:
    num_layers = adapter.num_layers(model)
    states: list[Any] = [None] * (num_layers + 1)
    modules: dict[str, list[Any]] = {kind: [None] * num_layers for kind in ("attn", "mlp")}
    with HookSet(model, adapter, positions=input_ids.shape[1]) as hooks:
        for k in range(num_layers + 1):
            hooks.on_state(k, _recorder(states, k, squeeze=True))
        for kind, outputs in modules.items():
            for layer in range(num_layers):
                hooks.on_module(kind, layer, _recorder(outputs, layer, squeeze=True))
        hooks.contiguous_head()
        logits = model(input_ids, use_cache=False, logits_to_keep=1).logits
    return CleanRun(states=states, modules=modules, probs=next_token_probs(logits)[0])


@torch.inference_mode()
def corrupted_run(
    model: nn.Module,
    adapter: ArchAdapter,
    input_ids: torch.Tensor,
    noise: SubjectNoise,
    keep_modules: Sequence[str] = (),
) -> CorruptedRun:
    """One batched pass, a row per noise sample, keeping states, keys/values and modules."""
    num_layers = adapter.num_layers(model)
    states: list[Any] = [None] * (num_layers + 1)
    modules: dict[str, list[Any]] = {kind: [None] * num_layers for kind in keep_modules}
    cache = DynamicCache(config=model_config(model))
    for cache_layer in cache.layers:
        if isinstance(cache_layer, DynamicSlidingWindowLayer):
            cache_layer.activate_past_recording()  # keep every position, not just the window
    with HookSet(model, adapter, positions=input_ids.shape[1]) as hooks:
        hooks.on_embedding(noise.apply)
        for k in range(num_layers + 1):
            hooks.on_state(k, _recorder(states, k, squeeze=False))
        for kind, outputs in modules.items():
            for layer in range(num_layers):
                hooks.on_module(kind, layer, _recorder(outputs, layer, squeeze=False))
        hooks.contiguous_head()
        batch = input_ids.expand(noise.samples, -1)
        logits = model(batch, use_cache=True, logits_to_keep=1, **with_cache(model, cache)).logits
    keys: list[torch.Tensor] = []
    values: list[torch.Tensor] = []
    for cache_layer in cache.layers[:num_layers]:
        if not isinstance(cache_layer, DynamicLayer) or cache_layer.keys is None or cache_layer.values is None:
            raise UnsupportedArchitecture(
                "Causal tracing needs every layer's keys and values, and this model's cache does not keep them."
            )
        keys.append(cache_layer.keys)
        values.append(cache_layer.values)
    return CorruptedRun(states=states, keys=keys, values=values, modules=modules, probs=next_token_probs(logits))


@dataclass
class TraceSetup:
    """A prompt ready to trace: clean run, target, noise and corrupted run."""

    prompt: TracePrompt
    clean: CleanRun
    target_id: int
    sigma: float
    noise: SubjectNoise
    corrupted: CorruptedRun
    num_layers: int
    warnings: list[str] = field(default_factory=list)

    @property
    def high_score(self) -> float:
        return float(self.clean.probs[self.target_id])

    @property
    def low_probs(self) -> torch.Tensor:
        """(samples,) p(target) in each corrupted run."""
        return self.corrupted.probs[:, self.target_id]


def set_up_trace(
    model: nn.Module,
    tokenizer: Any,
    adapter: ArchAdapter,
    params: CorruptionParams,
    *,
    keep_modules: Sequence[str] = (),
    sigma: float | None = None,
) -> TraceSetup:
    """Tokenize, find the subject, run clean, choose the target, draw the noise, run corrupted.

    ``sigma`` may be given (an averaged trace measures it once over all its facts); else it
    is measured over ``params.reference_texts`` or the prompt itself.
    """
    device = next(model.parameters()).device
    prompt = prepare_prompt(tokenizer, params.prompt, params.subject, params.subject_span, device)
    clean = clean_run(model, adapter, prompt.input_ids)
    target_id, warnings = choose_target(tokenizer, params.prompt, clean.probs, params.target, params.target_id)
    if sigma is None:
        sigma = embedding_std(model, adapter, tokenizer, params.reference_texts or (params.prompt,))
    if params.noise_kind != "replace" and params.noise * sigma == 0:
        raise InvalidParameters("The noise is zero, so the corrupted run equals the clean one; raise the noise.")
    noise = make_noise(
        model,
        adapter,
        prompt,
        kind=params.noise_kind,
        multiplier=params.noise,
        sigma=sigma,
        samples=params.samples,
        seed=params.seed,
    )
    corrupted = corrupted_run(model, adapter, prompt.input_ids, noise, keep_modules)
    return TraceSetup(
        prompt=prompt,
        clean=clean,
        target_id=target_id,
        sigma=sigma,
        noise=noise,
        corrupted=corrupted,
        num_layers=adapter.num_layers(model),
        warnings=warnings,
    )
