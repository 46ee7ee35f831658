"""The PEFT methods of book §4.5.1 as ``peft`` configurations, plus BitFit and parameter counts.

LoRA, prompt tuning, prefix tuning and IA3 come from ``peft``; BitFit (Ben Zaken et al.,
2022: train only the bias terms) needs no adapter layers and is a choice of trainable
parameters.  Target modules are block-relative paths from the architecture adapter
(``attn.c_attn``), which ``peft`` matches as suffixes of full module names, so GPT-2's
attention ``c_proj`` and MLP ``c_proj`` stay distinguishable.
"""

from __future__ import annotations

import copy
from typing import Any

import torch
from peft import IA3Config, LoraConfig, PeftConfig, PrefixTuningConfig, PromptTuningConfig, TaskType, get_peft_model
from peft.utils import (
    TRANSFORMERS_MODELS_TO_IA3_FEEDFORWARD_MODULES_MAPPING,
    TRANSFORMERS_MODELS_TO_IA3_TARGET_MODULES_MAPPING,
    TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING,
)
from torch import nn
from transformers.pytorch_utils import Conv1D

from workbench.base.errors import InvalidParameters
from workbench.core.finetune.params import PROMPT_LEARNING_METHODS, MethodConfig, ParameterCount
from workbench.core.model.arch import ArchAdapter
from workbench.core.model.hf_config import model_config, text_config


def target_module_choices(adapter: ArchAdapter | None) -> dict[str, tuple[str, ...]]:
    """Block-relative module paths offered for LoRA/IA3, grouped for the form.

    Empty for a family without an adapter: ``peft``'s own default for the model type is used.
    """
    if adapter is None:
        return {}
    return adapter.lora_target_modules()


def context_limit(model: nn.Module) -> int | None:
    """The model's maximum positions, which examples plus virtual tokens must fit in."""
    config = text_config(model)
    limit = getattr(config, "max_position_embeddings", None) or getattr(config, "n_positions", None)
    return int(limit) if limit else None


def reserved_positions(config: MethodConfig) -> int:
    """Positions a method's virtual tokens take from every example."""
    return config.num_virtual_tokens if config.method in PROMPT_LEARNING_METHODS else 0


def resolve_targets(config: MethodConfig, model: nn.Module, adapter: ArchAdapter | None) -> tuple[str, ...]:
    """The modules LoRA/IA3 will wrap: the chosen ones, or the paper's default for the family."""
    if config.method not in ("lora", "ia3"):
        return ()
    targets = config.target_modules
    if not targets:
        mapping = (
            TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING
            if config.method == "lora"
            else TRANSFORMERS_MODELS_TO_IA3_TARGET_MODULES_MAPPING
        )
        targets = tuple(mapping.get(model_config(model).model_type, ()))
        if not targets:
            raise InvalidParameters(
                f"There is no default {config.method.upper()} target for '{model_config(model).model_type}' "
                "models; choose the modules to adapt."
            )
    names = [name for name, _ in model.named_modules()]
    for target in targets:
        if not _matches(names, target):
            offered = sorted({p for group in target_module_choices(adapter).values() for p in group})
            hint = f" Choose from: {', '.join(offered)}." if offered else ""
            raise InvalidParameters(f"The model has no module '{target}' to adapt.{hint}")
    return tuple(targets)


def _matches(names: list[str], target: str) -> list[str]:
    return [n for n in names if n == target or n.endswith(f".{target}")]


def validate(config: MethodConfig) -> None:
    """``InvalidParameters`` for settings no method can train with."""
    if config.method == "lora":
        if config.rank < 1:
            raise InvalidParameters("The LoRA rank must be at least 1.")
        if config.alpha <= 0:
            raise InvalidParameters("The LoRA alpha must be positive.")
        if not 0.0 <= config.dropout < 1.0:
            raise InvalidParameters("The LoRA dropout must be at least 0 and below 1.")
    if config.method in PROMPT_LEARNING_METHODS and config.num_virtual_tokens < 1:
        raise InvalidParameters("Prompt and prefix tuning need at least one virtual token.")
    if config.method == "prompt" and config.prompt_init == "text" and not config.prompt_init_text.strip():
        raise InvalidParameters("Initialising the soft prompt from text needs a text.")


def build_peft_config(config: MethodConfig, model: nn.Module, adapter: ArchAdapter | None) -> PeftConfig:
    """The ``peft`` configuration of a method (not BitFit, which is no PEFT type)."""
    validate(config)
    targets = resolve_targets(config, model, adapter)
    conv1d = any(
        isinstance(module, Conv1D)
        for name, module in model.named_modules()
        if any(name == t or name.endswith(f".{t}") for t in targets)
    )
    if config.method == "lora":
        return LoraConfig(
            task_type=TaskType.CAUSAL_LM,
            r=config.rank,
            lora_alpha=config.alpha,  # type: ignore[arg-type]  # PEFT annotates int, but only divides by it
            lora_dropout=config.dropout,
            target_modules=list(targets),
            use_rslora=config.use_rslora,
            use_dora=config.use_dora,
            fan_in_fan_out=conv1d,
        )
    if config.method == "ia3":
        if config.target_modules:
            down = adapter.mlp_down if adapter is not None else None
            feedforward = [t for t in targets if t == down]
        else:
            feedforward = list(
                TRANSFORMERS_MODELS_TO_IA3_FEEDFORWARD_MODULES_MAPPING.get(model_config(model).model_type, ())
            )
        return IA3Config(
            task_type=TaskType.CAUSAL_LM,
            target_modules=list(targets),
            feedforward_modules=feedforward,
            fan_in_fan_out=conv1d,
        )
    if config.method == "prompt":
        return PromptTuningConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=config.num_virtual_tokens)
    if config.method == "prefix":
        return PrefixTuningConfig(task_type=TaskType.CAUSAL_LM, num_virtual_tokens=config.num_virtual_tokens)
    raise ValueError(f"{config.method!r} is not a PEFT method")


def init_soft_prompt_from_text(peft_model: Any, name: str, tokenizer: Any, text: str) -> None:
    """Start a soft prompt as the embeddings of ``text``'s tokens, repeated or cut to length.

    Lester et al. (2021) found this trains faster and better than a random start; ``peft``
    would reload the tokenizer by name for it, which a folder-less session cannot offer.
    """
    embedding = peft_model.prompt_encoder[name].embedding
    length = embedding.num_embeddings
    ids = list(tokenizer(text, add_special_tokens=False)["input_ids"])
    ids = (ids * (length // len(ids) + 1))[:length]
    words = peft_model.get_input_embeddings()
    with torch.no_grad():
        embedding.weight.copy_(words(torch.tensor(ids, device=words.weight.device)).to(embedding.weight.dtype))


def bitfit_parameters(model: nn.Module) -> dict[str, nn.Parameter]:
    """Every bias term of the model, layer norms included: what BitFit trains."""
    biases = {name: p for name, p in model.named_parameters() if name.rsplit(".", 1)[-1] == "bias"}
    if not biases:
        raise InvalidParameters("This model has no bias terms, so BitFit has nothing to train.")
    return biases


def train_only(model: nn.Module, parameters: dict[str, nn.Parameter]) -> None:
    """Freeze every parameter of ``model`` except ``parameters``."""
    keep = {id(p) for p in parameters.values()}
    for parameter in model.parameters():
        parameter.requires_grad_(id(parameter) in keep)


def count_parameters(config: MethodConfig, model: nn.Module, adapter: ArchAdapter | None) -> ParameterCount:
    """Trainable and total parameters of ``config`` applied to ``model``, without touching it.

    The method is applied to a weightless copy on the ``meta`` device, so the count is
    exactly what ``peft`` will create, at no memory cost even for a large model.
    """
    validate(config)
    with torch.device("meta"):
        skeleton = type(model)(copy.deepcopy(model.config))
    targets = resolve_targets(config, skeleton, adapter)
    if config.method == "bitfit":
        biases = bitfit_parameters(skeleton)
        trainable = sum(p.numel() for p in biases.values())
        total = sum(p.numel() for p in skeleton.parameters())
    else:
        adapted = get_peft_model(skeleton, build_peft_config(config, skeleton, adapter))
        trainable, total = (int(n) for n in adapted.get_nb_trainable_parameters())
    return ParameterCount(method=config.method, trainable=int(trainable), total=int(total), target_modules=targets)
