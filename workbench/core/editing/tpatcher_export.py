"""T-Patcher patches as ordinary weights: every FFN widened by P neurons (book §5.3).

A patch adds ``act(x·k + b)·v`` to an ungated FFN whose activation is ``act`` — exactly what
one more row of the up-projection (k, bias b) and one more column of the down-projection (v)
compute.  So the patched model is saved as a model whose FFNs are P = (most patches in one
layer) neurons wider; layers with fewer patches get zero keys, biases and values, which add
``act(0)·0 = 0``.  Plain ``transformers`` loads the result with the larger intermediate size.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence

import torch
from torch import nn
from transformers.pytorch_utils import Conv1D

from workbench.base.errors import UnsupportedArchitecture
from workbench.core.editing.edit import AppliedEdit
from workbench.core.editing.tpatcher import (
    LayerPatchHook,
    PatchEdit,
    activation_name,
    is_gated,
)
from workbench.core.model.arch import ArchAdapter
from workbench.core.model.hf_config import text_config

_INTERMEDIATE_SIZE = {
    "gpt2": "n_inner",
    "gptj": "n_inner",
    "gpt_neox": "intermediate_size",
    "opt": "ffn_dim",
}
"""The config field holding the FFN width, per ``model_type`` of the ungated families."""


def materialise_patches(
    model: nn.Module,
    adapter: ArchAdapter,
    patches_by_layer: Mapping[int, Sequence[AppliedEdit]],
) -> nn.Module:
    """A copy of ``model`` with ``patches_by_layer`` turned into FFN neurons (and no patch
    hooks, whatever was installed on ``model``); ``model`` itself is left as it is.

    Takes any ``AppliedEdit`` because the ledger hands over every edit that is not a weight
    delta; each must be a ``PatchEdit`` of its layer."""
    config = text_config(model)
    field = _INTERMEDIATE_SIZE.get(config.model_type)
    if is_gated(adapter) or field is None:
        raise UnsupportedArchitecture(
            f"T-Patcher patches of a {adapter.family} model cannot be saved as weights: its FFN "
            "is gated or of an unknown layout, so a patch neuron is not one more column of it. "
            "Revert the T-Patcher edits (or use ROME) before exporting."
        )
    checked: dict[int, list[PatchEdit]] = {}
    for layer, patches in patches_by_layer.items():
        for patch in patches:
            if not isinstance(patch, PatchEdit) or patch.layer != layer or patch.activation != activation_name(model):
                raise ValueError(f"patch {patch.summary()!r} does not belong to layer {layer} of this model")
            checked.setdefault(layer, []).append(patch)
    width = max((len(p) for p in checked.values()), default=0)
    widened = copy.deepcopy(model)
    _remove_patch_hooks(widened)
    if width == 0:
        return widened
    d_ff = 0
    for layer in range(adapter.num_layers(widened)):
        d_ff = _widen_layer(widened, adapter, layer, checked.get(layer, []), width)
    setattr(text_config(widened), field, d_ff)
    return widened


def _remove_patch_hooks(model: nn.Module) -> None:
    """Drop the (deep-copied) patch hooks, so the copy computes its patches only once, as weights."""
    for module in model.modules():
        for hooks in (module._forward_pre_hooks, module._forward_hooks):
            for handle_id, hook in list(hooks.items()):
                if isinstance(getattr(hook, "__self__", None), LayerPatchHook):
                    del hooks[handle_id]


@torch.no_grad()
def _widen_layer(
    model: nn.Module,
    adapter: ArchAdapter,
    layer: int,
    patches: list[PatchEdit],
    width: int,
) -> int:
    """Append ``width`` neurons (the patches, then zeros) to one FFN; returns its new width."""
    up = model.get_submodule(f"{adapter.block_path(layer)}.{adapter.mlp_up[0]}")
    down = adapter.module(model, "mlp_down", layer)
    if not isinstance(up, (Conv1D, nn.Linear)) or not isinstance(down, (Conv1D, nn.Linear)):
        raise UnsupportedArchitecture(
            f"The FFN of this {adapter.family} model is not made of Linear or Conv1D layers, so a patch neuron has no column to go in."
        )
    if up.bias is None:
        raise UnsupportedArchitecture(
            f"The FFN input projection of this {adapter.family} model has no bias, so a patch's bias has no place."
        )
    weight = up.weight
    d_model = weight.shape[0] if isinstance(up, Conv1D) else weight.shape[1]
    keys = weight.new_zeros(width, d_model)
    biases = weight.new_zeros(width)
    values = weight.new_zeros(width, d_model)
    for row, patch in enumerate(patches):
        keys[row], biases[row], values[row] = patch.key, patch.bias, patch.value
    if isinstance(up, Conv1D):  # weight (in, out)
        up.weight = nn.Parameter(torch.cat([up.weight, keys.T], dim=1))
        up.nf += width
    else:  # nn.Linear, weight (out, in)
        up.weight = nn.Parameter(torch.cat([up.weight, keys]))
        up.out_features += width
    up.bias = nn.Parameter(torch.cat([up.bias, biases]))
    if isinstance(down, Conv1D):
        down.weight = nn.Parameter(torch.cat([down.weight, values]))
        down.nx += width
    else:
        down.weight = nn.Parameter(torch.cat([down.weight, values.T], dim=1))
        down.in_features += width
    return int(up.bias.shape[0])
