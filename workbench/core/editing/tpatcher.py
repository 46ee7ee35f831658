"""T-Patcher: one extra FFN neuron per mistake (Huang et al., 2023, "Transformer-Patcher: One
Mistake worth One Neuron"; book §5.3).

A patch is a key k, a bias b and a value v added to the FFN of one layer (the last by
default): at every position it adds ``act(x·k + b)·v`` to the FFN output, where x is the FFN
input and ``act`` the FFN's own activation — exactly what one more column of the up- and
down-projection would do, so a patched model can be exported as a wider one
(``tpatcher_export``).  Gated FFNs (Llama, Mistral, Qwen, Gemma) get ``act(x·k + b)·v`` with
the family's gate activation: a neuron without the up-projection's factor, which works as an
edit but is not a column of their FFN, so it cannot be exported.

Training uses the paper's losses, L = L_e + a·L_a + m·L_m: the edit loss (NLL of the new
target after the edit prompt), the activation loss (the pre-activation at the prompt's last
token above a margin) and the memory loss (pre-activations on unrelated text below a margin,
a hinge); only k, b and v are trained.  Three additions make the patch specific on a small
model whose last layer sees "Zeni is located in" much like "Anoda is located in" (both
about to say " Ensia"): a second memory hinge over hard negatives (the same question about
other subjects, the subject's other questions, text leading up to the old answer), the
edit prompt also trained behind a few unrelated sentences, and the edit loss computed with
the value scaled down, so the patch still writes the fact where a paraphrase fires it less.
On the demo model (50 cases, each edited alone) they lift locality from 78 % to 95 % at
100 % accuracy and 90 → 93 % generality.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

import torch
from torch import nn
from transformers.activations import ACT2FN

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken, Progress
from workbench.core.editing.cases import fact_file_path
from workbench.core.editing.params import (
    DEMO_FACTS,
    EditMethod,
    EditRequest,
    TPatcherSettings,
)
from workbench.core.editing.tpatcher_memory import (
    compute_memory_inputs,
    context_prefixes,
    edit_rows,
    ffn_input_module,
    ffn_inputs,
    hard_negative_prompts,
    memory_inputs,
    neighbourhood_prompts,
)
from workbench.core.model.arch import ArchAdapter
from workbench.core.model.hf_config import text_config
from workbench.core.model.logits_keep import keep_positions


def activation_name(model: nn.Module) -> str:
    """The FFN activation named by the config (``gelu_new`` for GPT-2, ``silu`` for Llama …)."""
    config = text_config(model)
    for attribute in ("hidden_activation", "hidden_act", "activation_function"):
        name = getattr(config, attribute, None)
        if isinstance(name, str) and name in ACT2FN:
            return name
    raise InvalidParameters("The model's config names no FFN activation the patch neuron could use.")


def is_gated(adapter: ArchAdapter) -> bool:
    """Gated FFNs have two input projections (gate and up)."""
    return len(adapter.mlp_up) > 1


@dataclass(eq=False)
class PatchEdit:
    """One trained patch neuron; an ``AppliedEdit`` (compared by identity)."""

    request: EditRequest
    layer: int
    key: torch.Tensor
    """(d_model,) float32."""
    bias: torch.Tensor
    """() float32."""
    value: torch.Tensor
    """(d_model,) float32."""
    activation: str
    details: dict[str, float] = field(default_factory=dict)
    """Diagnostics: pre-activation on the edit prompt, largest memory pre-activation, the
    fraction of memory tokens where the patch is silent, losses, steps."""
    method: EditMethod = "tpatcher"

    def install(self, model: nn.Module, adapter: ArchAdapter) -> None:
        _layer_hook(model, adapter, self.layer).add(self)

    def uninstall(self, model: nn.Module, adapter: ArchAdapter) -> None:
        hook = _REGISTRY.get(model, {}).get(self.layer)
        if hook is not None:
            hook.remove(self)
            _drop_if_idle(model, self.layer)

    def summary(self) -> str:
        return f"T-Patcher L{self.layer}: {self.request.rendered()} → {self.request.target_new.strip()}"


class LayerPatchHook:
    """All patches of one layer, applied by two hooks: a pre-hook on the FFN's input
    projection remembers x, a hook on the down-projection adds ``act(x·K + b)·V`` for the
    stacked patches (plus the one being trained, if any)."""

    def __init__(self, model: nn.Module, adapter: ArchAdapter, layer: int) -> None:
        self.patches: list[PatchEdit] = []
        self.training: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None
        self._act: Callable[[torch.Tensor], torch.Tensor] = ACT2FN[activation_name(model)]
        self._stacked: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None
        self._x: torch.Tensor | None = None
        self._handles = (
            ffn_input_module(model, adapter, layer).register_forward_pre_hook(self.capture),
            adapter.module(model, "mlp_down", layer).register_forward_hook(self.add_patches),
        )

    def add(self, patch: PatchEdit) -> None:
        if not any(p is patch for p in self.patches):
            self.patches.append(patch)
            self._stacked = None

    def remove(self, patch: PatchEdit) -> None:
        self.patches = [p for p in self.patches if p is not patch]
        self._stacked = None

    @property
    def idle(self) -> bool:
        return not self.patches and self.training is None

    def detach(self) -> None:
        for handle in self._handles:
            handle.remove()

    def capture(self, _module: nn.Module, args: tuple) -> None:
        self._x = args[0]

    def add_patches(self, _module: nn.Module, _args: tuple, output: torch.Tensor) -> torch.Tensor:
        x, self._x = self._x, None
        keys, biases, values = self._weights()
        if x is None or keys.shape[0] == 0:
            return output
        pre = x @ keys.to(x.dtype).T + biases.to(x.dtype)
        return output + (self._act(pre) @ values.to(x.dtype)).to(output.dtype)

    def _weights(self) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        if self._stacked is None:
            if self.patches:
                self._stacked = (
                    torch.stack([p.key for p in self.patches]),
                    torch.stack([p.bias for p in self.patches]),
                    torch.stack([p.value for p in self.patches]),
                )
            else:
                self._stacked = (torch.empty(0, 0), torch.empty(0), torch.empty(0, 0))
        if self.training is None:
            return self._stacked
        key, bias, value = self.training
        if not self.patches:
            return key[None], bias[None], value[None]
        keys, biases, values = self._stacked
        return (
            torch.cat([keys, key[None]]),
            torch.cat([biases, bias[None]]),
            torch.cat([values, value[None]]),
        )


_REGISTRY: weakref.WeakKeyDictionary[nn.Module, dict[int, LayerPatchHook]] = weakref.WeakKeyDictionary()


def _layer_hook(model: nn.Module, adapter: ArchAdapter, layer: int) -> LayerPatchHook:
    """The patch hook of ``layer``, installed on first use."""
    per_layer = _REGISTRY.setdefault(model, {})
    if layer not in per_layer:
        per_layer[layer] = LayerPatchHook(model, adapter, layer)
    return per_layer[layer]


def _drop_if_idle(model: nn.Module, layer: int) -> None:
    per_layer = _REGISTRY.get(model, {})
    hook = per_layer.get(layer)
    if hook is not None and hook.idle:
        hook.detach()
        del per_layer[layer]


def installed_patches(model: nn.Module) -> dict[int, list[PatchEdit]]:
    """The patches currently installed on ``model``, by layer."""
    return {layer: list(hook.patches) for layer, hook in _REGISTRY.get(model, {}).items() if hook.patches}


def _model_state(model: nn.Module, adapter: ArchAdapter, layer: int) -> tuple:
    """What the FFN inputs of ``layer`` depend on: the in-place version counters of the
    weights (ROME edits bump them) and the patches installed below the layer."""
    versions = tuple(p._version for p in model.parameters())
    below = tuple(
        (lay, tuple(id(p) for p in patches)) for lay, patches in installed_patches(model).items() if lay < layer
    )
    return versions, below


def compute_patch(
    model: nn.Module,
    tokenizer,
    adapter: ArchAdapter,
    request: EditRequest,
    settings: TPatcherSettings,
    progress: Progress | Callable[..., None],
    cancel: CancelToken,
    fact_file: str = DEMO_FACTS,
) -> PatchEdit:
    """Train one patch neuron so the model continues ``request``'s prompt with its new target.

    The memory set mixes demo-encyclopedia sentences with the statements of ``fact_file``
    (``"demo"`` or a path), leaving out sentences about the subject and, when the request
    comes from a record of that file, the record's neighbourhood prompts (they are also kept
    out of the hard negatives, see ``hard_negative_prompts``).  The patch is not
    installed; the model (weights, ``requires_grad``, hooks) is as before,
    also when the user cancels.
    """
    request.check()
    layers = adapter.num_layers(model)
    layer = layers - 1 if settings.layer is None else settings.layer
    if not 0 <= layer < layers:
        raise InvalidParameters(f"Layer {layer} does not exist; the model has layers 0 to {layers - 1}.")
    if settings.steps < 1 or settings.lr <= 0:
        raise InvalidParameters("T-Patcher needs at least one step and a positive learning rate.")
    device = next(model.parameters()).device

    rows = edit_rows(
        tokenizer,
        request,
        context_prefixes(request, settings.prefix_count, settings.seed),
        device,
    )
    progress(0.0, "Collecting the memory set's FFN inputs")
    x_edit = ffn_inputs(model, adapter, layer, rows.ids, rows.mask)[
        torch.arange(len(rows.ids), device=device), rows.last_prompt_token
    ].float()
    facts = str(fact_file_path(fact_file))
    held_out = neighbourhood_prompts(facts, request.case_id)
    memory = memory_inputs(
        model,
        tokenizer,
        adapter,
        layer,
        settings.memory_size,
        settings.seed,
        facts,
        _model_state(model, adapter, layer),
        cancel,
    ).excluding(request.subject, held_out)
    negatives = hard_negative_prompts(facts, request, held_out)
    hard = (
        compute_memory_inputs(model, tokenizer, adapter, layer, list(negatives), cancel).last_tokens()
        if negatives and settings.hard_negative_weight > 0
        else memory[:0]
    )

    key, bias, value = _initial_patch(x_edit[0], hard if len(hard) else memory, settings)
    optimizer = torch.optim.Adam([key, bias, value], lr=settings.lr)
    hook = _layer_hook(model, adapter, layer)
    keep, kept_at = keep_positions(model, rows.answer_positions.tolist())
    answer_at = torch.tensor(kept_at, device=rows.answer_positions.device)
    frozen = [(p, p.requires_grad) for p in model.parameters()]
    losses: dict[str, float] = {}
    try:
        for p, _ in frozen:
            p.requires_grad_(False)
        with torch.inference_mode(False), torch.enable_grad():
            for step in range(settings.steps):
                cancel.raise_if_cancelled()
                optimizer.zero_grad()
                hook.training = (key, bias, value * settings.training_value_scale)
                logits = model(input_ids=rows.ids, attention_mask=rows.mask, use_cache=False, **keep).logits[
                    rows.answer_rows, answer_at
                ]
                edit_loss = nn.functional.cross_entropy(logits.float(), rows.labels)
                activation_loss = torch.relu(settings.activation_margin - (x_edit @ key + bias)).mean()
                memory_loss = (
                    torch.relu(memory @ key + bias - settings.memory_margin).mean() if len(memory) else edit_loss * 0
                )
                hard_loss = (
                    torch.relu(hard @ key + bias - settings.memory_margin).mean() if len(hard) else edit_loss * 0
                )
                loss = (
                    edit_loss
                    + settings.activation_weight * activation_loss
                    + settings.memory_weight * memory_loss
                    + settings.hard_negative_weight * hard_loss
                )
                loss.backward()
                optimizer.step()
                losses = {
                    "edit_loss": edit_loss.item(),
                    "activation_loss": activation_loss.item(),
                    "memory_loss": memory_loss.item(),
                    "hard_negative_loss": hard_loss.item(),
                }
                if step == 0:
                    losses_start = loss.item()
                progress(
                    (step + 1) / settings.steps,
                    f"T-Patcher step {step + 1}/{settings.steps}: loss {loss.item():.3f}",
                )
    finally:
        hook.training = None
        _drop_if_idle(model, layer)
        for p, requires_grad in frozen:
            p.requires_grad_(requires_grad)

    key, bias, value = key.detach(), bias.detach(), value.detach()
    with torch.no_grad():
        memory_pre = memory @ key + bias
    details = {
        "activation_edit": float(x_edit[0] @ key + bias),
        "activation_memory_max": float(memory_pre.max()) if len(memory) else float("nan"),
        "memory_silent_fraction": float((memory_pre < settings.memory_margin).float().mean())
        if len(memory)
        else float("nan"),
        "memory_tokens": float(len(memory)),
        "hard_negatives": float(len(hard)),
        "hard_negatives_silent_fraction": float(((hard @ key + bias) < settings.memory_margin).float().mean())
        if len(hard)
        else float("nan"),
        "loss_start": losses_start,
        **losses,
        "steps": float(settings.steps),
    }
    return PatchEdit(
        request=request,
        layer=layer,
        key=key,
        bias=bias,
        value=value,
        activation=activation_name(model),
        details=details,
    )


def _initial_patch(
    x_edit: torch.Tensor, memory: torch.Tensor, settings: TPatcherSettings
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Key along the edit input's direction away from the mean of ``memory`` (the hard
    negatives when there are any: the inputs nearest the edit's), scaled so the
    pre-activation is ``activation_margin`` on the edit input and as far below it on an
    average memory token as the two margins are apart (twice); value zero, so the model is
    unchanged before the first step."""
    centre = memory.mean(0) if len(memory) else torch.zeros_like(x_edit)
    direction = x_edit - centre
    distance = direction.norm().clamp_min(1e-6)
    gap = 2 * max(settings.activation_margin - settings.memory_margin, 1.0)
    key = direction / distance * (gap / distance)
    bias = settings.activation_margin - x_edit @ key
    return (
        key.clone().requires_grad_(True),
        bias.detach().clone().requires_grad_(True),
        torch.zeros_like(x_edit, requires_grad=True),
    )
