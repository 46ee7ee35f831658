"""Where each model family keeps the modules that tracing, editing and fine-tuning need.

This is the only file that knows ``transformer.h`` from ``model.layers``; every algorithm
asks an ``ArchAdapter``.  Adapters are chosen by ``config.model_type`` and an unknown family
fails loudly with the supported list, never by a guess that would trace the wrong module.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.base.errors import UnsupportedArchitecture
from workbench.core.model.hf_config import text_config

if TYPE_CHECKING:
    import torch
    from torch import nn


@dataclass(frozen=True)
class ArchAdapter:
    """Dotted module paths for one family (block-relative paths start below ``blocks[i]``)."""

    family: str
    embedding: str
    """Token embedding; causal tracing adds its noise to this module's output."""
    blocks: str
    """The ``ModuleList`` of transformer blocks."""
    attn: str
    """Attention sub-module of a block; its output is the attention's residual contribution."""
    mlp: str
    """MLP sub-module of a block; its output is the MLP's residual contribution."""
    mlp_down: str
    """The MLP down-projection (the matrix ROME edits); its input is ROME's key."""
    final_norm: str
    lm_head: str
    down_is_conv1d: bool = False
    """GPT-2's ``Conv1D`` stores its weight as (in, out), transposed relative to ``nn.Linear``."""
    mlp_tokens_flattened: bool = False
    """The MLP's modules see (batch·seq, d) instead of (batch, seq, d) (OPT flattens the tokens
    before fc1/fc2): hooks on ``mlp`` / ``mlp_down`` must reshape to pick a token position."""
    mlp_up: tuple[str, ...] = ()
    """Block-relative paths of the MLP's input projections (LoRA / IA3 targets)."""
    attn_projections: tuple[str, ...] = ()
    """Block-relative paths of the attention projections (LoRA targets)."""

    # -- module access --------------------------------------------------------------
    def num_layers(self, model: nn.Module) -> int:
        return len(self.block_modules(model))

    def block_modules(self, model: nn.Module) -> nn.ModuleList:
        return model.get_submodule(self.blocks)  # type: ignore[return-value]  # the blocks path names the model's ModuleList of layers

    def embedding_module(self, model: nn.Module) -> nn.Module:
        return model.get_submodule(self.embedding)

    def final_norm_module(self, model: nn.Module) -> nn.Module:
        return model.get_submodule(self.final_norm)

    def lm_head_module(self, model: nn.Module) -> nn.Module:
        return model.get_submodule(self.lm_head)

    def block_path(self, layer: int) -> str:
        return f"{self.blocks}.{layer}"

    def module_path(self, kind: str, layer: int) -> str:
        """Full dotted path of ``kind`` (``block``, ``attn``, ``mlp``, ``mlp_down``) in ``layer``."""
        if kind == "block":
            return self.block_path(layer)
        relative = {"attn": self.attn, "mlp": self.mlp, "mlp_down": self.mlp_down}.get(kind)
        if relative is None:
            raise ValueError(f"unknown module kind {kind!r}")
        return f"{self.block_path(layer)}.{relative}"

    def module(self, model: nn.Module, kind: str, layer: int) -> nn.Module:
        return model.get_submodule(self.module_path(kind, layer))

    def down_proj_weight(self, model: nn.Module, layer: int) -> torch.Tensor:
        """The down-projection as a (d_model, d_ff) view: ``W @ key = value``.

        A view, so an in-place update (ROME's rank-one edit) changes the model's weights
        whatever the storage layout.
        """
        weight = self.module(model, "mlp_down", layer).get_parameter("weight")
        return weight.T if self.down_is_conv1d else weight

    def unembed(self, model: nn.Module, hidden: torch.Tensor) -> torch.Tensor:
        """Logits from a residual-stream state: final norm, LM head, and the logit soft-cap
        ``c·tanh(z/c)`` of families that have one (Gemma 2) — the logit lens of any layer."""
        logits = self.lm_head_module(model)(self.final_norm_module(model)(hidden))
        cap = getattr(text_config(model), "final_logit_softcapping", None)
        return logits if cap is None else cap * (logits / cap).tanh()

    def lora_target_modules(self) -> dict[str, tuple[str, ...]]:
        """Block-relative paths offered to PEFT, grouped for the fine-tuning form.

        Paths, not leaf names: GPT-2 has a ``c_proj`` in both attention and MLP, and PEFT
        matches by suffix, so a bare name would adapt both groups.
        """
        return {"attention": self.attn_projections, "mlp": (*self.mlp_up, self.mlp_down)}


_GPT2 = ArchAdapter(
    family="GPT-2",
    embedding="transformer.wte",
    blocks="transformer.h",
    attn="attn",
    mlp="mlp",
    mlp_down="mlp.c_proj",
    final_norm="transformer.ln_f",
    lm_head="lm_head",
    down_is_conv1d=True,
    mlp_up=("mlp.c_fc",),
    attn_projections=("attn.c_attn", "attn.c_proj"),
)
_GPTJ = ArchAdapter(
    family="GPT-J",
    embedding="transformer.wte",
    blocks="transformer.h",
    attn="attn",
    mlp="mlp",
    mlp_down="mlp.fc_out",
    final_norm="transformer.ln_f",
    lm_head="lm_head",
    mlp_up=("mlp.fc_in",),
    attn_projections=("attn.q_proj", "attn.k_proj", "attn.v_proj", "attn.out_proj"),
)
_NEOX = ArchAdapter(
    family="GPT-NeoX/Pythia",
    embedding="gpt_neox.embed_in",
    blocks="gpt_neox.layers",
    attn="attention",
    mlp="mlp",
    mlp_down="mlp.dense_4h_to_h",
    final_norm="gpt_neox.final_layer_norm",
    lm_head="lm_head",  # ``embed_out`` before transformers 5
    mlp_up=("mlp.dense_h_to_4h",),
    attn_projections=("attention.query_key_value", "attention.dense"),
)
_LLAMA_LIKE = dict(
    embedding="model.embed_tokens",
    blocks="model.layers",
    attn="self_attn",
    mlp="mlp",
    mlp_down="mlp.down_proj",
    final_norm="model.norm",
    lm_head="lm_head",
    mlp_up=("mlp.gate_proj", "mlp.up_proj"),
    attn_projections=("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.o_proj"),
)
_LLAMA = ArchAdapter(family="Llama/Mistral/Qwen2", **_LLAMA_LIKE)  # type: ignore[arg-type]  # the shared fields dict is dict[str, str]; mypy cannot match ** to the typed fields
_GEMMA = ArchAdapter(family="Gemma", **_LLAMA_LIKE)  # type: ignore[arg-type]  # the shared fields dict is dict[str, str]; mypy cannot match ** to the typed fields
# Gemma 2 normalises each sub-layer's output before adding it to the residual stream, so the
# residual contributions are the outputs of those norms, not of ``self_attn`` / ``mlp``.
_GEMMA2 = ArchAdapter(
    family="Gemma 2",
    **{**_LLAMA_LIKE, "attn": "post_attention_layernorm", "mlp": "post_feedforward_layernorm"},  # type: ignore[arg-type]  # the shared fields dict is dict[str, str]; mypy cannot match ** to the typed fields
)
# Gemma 3 (text-only ``Gemma3ForCausalLM``, e.g. Gemma-3-270M) has Gemma 2's sandwich norms.
# Its ``embed_tokens`` is a ``Gemma3TextScaledWordEmbedding`` that multiplies by √d itself
# (Gemma 1 and 2 scale after the module), so σ and the noise live on the scaled embedding.
_GEMMA3 = ArchAdapter(
    family="Gemma 3",
    **{**_LLAMA_LIKE, "attn": "post_attention_layernorm", "mlp": "post_feedforward_layernorm"},  # type: ignore[arg-type]  # the shared fields dict is dict[str, str]; mypy cannot match ** to the typed fields
)
_OPT = ArchAdapter(
    family="OPT",
    embedding="model.decoder.embed_tokens",
    blocks="model.decoder.layers",
    attn="self_attn",
    # OPT has no MLP module: fc1 → activation → fc2 sit directly in the block, so fc2's
    # output is the MLP's residual contribution and fc2 is also the down-projection.
    mlp="fc2",
    mlp_down="fc2",
    final_norm="model.decoder.final_layer_norm",
    lm_head="lm_head",
    mlp_tokens_flattened=True,
    mlp_up=("fc1",),
    attn_projections=("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj", "self_attn.out_proj"),
)

ADAPTERS: dict[str, ArchAdapter] = {
    "gpt2": _GPT2,
    "gptj": _GPTJ,
    "gpt_neox": _NEOX,
    "llama": _LLAMA,
    "mistral": _LLAMA,
    "qwen2": _LLAMA,
    "qwen3": _LLAMA,
    "gemma": _GEMMA,
    "gemma2": _GEMMA2,
    "gemma3_text": _GEMMA3,
    "opt": _OPT,
}


def adapter_for_model_type(model_type: str) -> ArchAdapter:
    try:
        return ADAPTERS[model_type]
    except KeyError:
        supported = ", ".join(sorted(ADAPTERS))
        raise UnsupportedArchitecture(
            f"The workbench does not know where the layers of a '{model_type}' model are. "
            f"Supported model types: {supported}."
        ) from None


def adapter_for(model: nn.Module) -> ArchAdapter:
    """The adapter of a loaded model, checked against its real module tree."""
    config = getattr(model, "config", None)
    model_type = getattr(config, "model_type", None)
    if not model_type:
        raise UnsupportedArchitecture("The model has no config.model_type, so its family is unknown.")
    adapter = adapter_for_model_type(model_type)
    try:
        adapter.embedding_module(model)
        adapter.final_norm_module(model)
        adapter.lm_head_module(model)
        if adapter.num_layers(model) > 0:
            for kind in ("attn", "mlp", "mlp_down"):
                adapter.module(model, kind, 0)
    except AttributeError as error:
        raise UnsupportedArchitecture(
            f"This '{model_type}' model does not have the module layout the {adapter.family} adapter expects ({error})."
        ) from None
    return adapter
