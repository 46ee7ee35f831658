"""The choices and checks of loading a causal LM: device, dtype, remote code, tokenizer, weights.

Each function is one stage of ``ModelSession.load`` so the session can report progress and
honour Cancel between them.  Everything a user can get wrong raises ``ModelLoadError`` with
a sentence saying what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import torch
from safetensors import SafetensorError
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer, PretrainedConfig
from transformers.utils import logging as hf_logging

from workbench.base.errors import ModelLoadError
from workbench.core.model.files import ModelFiles
from workbench.core.model.safetensors_header import check_weight_files
from workbench.core.model.spec import ModelSpec

log = logging.getLogger(__name__)

_DTYPES = {"float32": torch.float32, "float16": torch.float16, "bfloat16": torch.bfloat16}


def choose_device(name: str) -> torch.device:
    """``auto`` = the first CUDA GPU when there is one, else the CPU."""
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        device = torch.device(name)
    except RuntimeError:
        raise ModelLoadError(f"'{name}' is not a device; use auto, cpu, cuda or cuda:N.") from None
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise ModelLoadError(f"Device '{name}' was asked for, but no CUDA GPU is available.")
        if device.index is not None and device.index >= torch.cuda.device_count():
            raise ModelLoadError(
                f"Device '{name}' does not exist; this machine has {torch.cuda.device_count()} CUDA GPU(s)."
            )
    elif device.type != "cpu":
        raise ModelLoadError(f"Device '{name}' is not supported; use auto, cpu, cuda or cuda:N.")
    return device


def choose_dtype(name: str, device: torch.device) -> torch.dtype:
    """``auto`` = float32 on the CPU (half precision is slow and lossy there), bfloat16 on a
    GPU that supports it, else float16."""
    if name == "auto":
        if device.type != "cuda":
            return torch.float32
        return torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    try:
        return _DTYPES[name]
    except KeyError:
        raise ModelLoadError(f"'{name}' is not a supported dtype; use auto, {', '.join(_DTYPES)}.") from None


def load_config(files: ModelFiles, spec: ModelSpec) -> PretrainedConfig:
    """The transformers config, refusing remote code without the opt-in and non-causal models."""
    from transformers.models.auto.configuration_auto import CONFIG_MAPPING_NAMES

    model_type = files.model_type
    if not model_type:
        raise ModelLoadError(f"{files.folder / 'config.json'} does not say which model_type it is.")
    needs_code = model_type not in CONFIG_MAPPING_NAMES
    if needs_code and "auto_map" not in files.config:
        raise ModelLoadError(
            f"This version of transformers does not know '{model_type}' models; upgrade transformers to load it."
        )
    if needs_code and not spec.trust_remote_code:
        raise ModelLoadError(
            f"'{model_type}' models run their own Python code from the model folder. Tick "
            "'trust remote code' for this model only if you trust where it comes from."
        )
    try:
        config = AutoConfig.from_pretrained(files.folder, trust_remote_code=spec.trust_remote_code)
    except (ValueError, OSError, KeyError, TypeError) as error:
        raise ModelLoadError(f"The config in {files.folder} could not be read: {error}") from None
    problem = causal_lm_problem(config, files.config)
    if problem:
        raise ModelLoadError(problem)
    return config


def causal_lm_problem(config: PretrainedConfig, raw: dict[str, Any]) -> str | None:
    """Why ``config`` is not a next-token (causal) language model, or ``None`` if it is.

    The auto mapping alone is not enough: BERT-like encoders have a ``…LMHeadModel`` there
    that only works as a decoder, so an encoder family must also say ``is_decoder``.
    """
    from transformers.models.auto.modeling_auto import (
        MODEL_FOR_CAUSAL_LM_MAPPING_NAMES,
        MODEL_FOR_MASKED_LM_MAPPING_NAMES,
    )

    model_type = config.model_type
    not_causal = (
        f"'{model_type}' models are not causal language models (they do not predict the next "
        "token from the left context); load a decoder-only model such as GPT-2, Llama or Qwen2."
    )
    if getattr(config, "is_encoder_decoder", False):
        return not_causal
    if "auto_map" in raw and model_type not in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES:
        return None if "AutoModelForCausalLM" in raw["auto_map"] else not_causal
    if model_type not in MODEL_FOR_CAUSAL_LM_MAPPING_NAMES:
        return not_causal
    if model_type in MODEL_FOR_MASKED_LM_MAPPING_NAMES and not getattr(config, "is_decoder", False):
        return not_causal
    return None


def load_tokenizer(files: ModelFiles, spec: ModelSpec) -> Any:
    """The model's fast tokenizer, given a pad token (its EOS) when it has none, so batches pad."""
    try:
        tokenizer = AutoTokenizer.from_pretrained(files.folder, trust_remote_code=spec.trust_remote_code)
    except (ValueError, OSError, KeyError, TypeError) as error:
        raise ModelLoadError(f"The tokenizer in {files.folder} could not be loaded: {error}") from None
    if tokenizer.pad_token is None and tokenizer.eos_token is not None:
        tokenizer.pad_token = tokenizer.eos_token
    return tokenizer


def load_weights(
    files: ModelFiles,
    spec: ModelSpec,
    config: PretrainedConfig,
    device: torch.device,
    dtype: torch.dtype,
) -> torch.nn.Module:
    """The model in ``dtype``, in eval mode with gradients off (inference is the default use).

    On a GPU the weights are placed there while loading, so a model bigger than free RAM
    still loads; fine-tuning turns gradients back on for the parameters it trains.
    """
    if files.weight_format == "pickle":
        log.warning("Loading pickled weights from %s (allowed by the user).", files.folder)
    check_weight_files(files.weight_files)
    try:
        with _without_hf_progress_bars():
            model = AutoModelForCausalLM.from_pretrained(
                files.folder,
                config=config,
                dtype=dtype,
                use_safetensors=files.weight_format == "safetensors",
                trust_remote_code=spec.trust_remote_code,
                **_placement(spec, device),
            )
    except (torch.OutOfMemoryError, MemoryError):
        raise ModelLoadError(
            f"The model does not fit in the memory of {device}; try a smaller model, a half-precision dtype or the CPU."
        ) from None
    except (ValueError, OSError, KeyError, RuntimeError, SafetensorError) as error:
        raise ModelLoadError(f"The weights in {files.folder} could not be loaded: {error}") from None
    model.eval()
    model.requires_grad_(False)
    return model


def _placement(spec: ModelSpec, device: torch.device) -> dict[str, Any]:
    """``from_pretrained``'s placement: straight onto the GPU, or with ``spec.offload``
    accelerate's split over GPU, RAM and a disk folder in the app's data folder."""
    if spec.offload:
        from workbench.core.model.library import user_data_dir

        folder = user_data_dir() / "offload"
        folder.mkdir(parents=True, exist_ok=True)
        return {"device_map": "auto", "offload_folder": str(folder), "offload_state_dict": True}
    return {"device_map": {"": device} if device.type == "cuda" else None}


def move_to_device(model: torch.nn.Module, device: torch.device) -> torch.nn.Module:
    """Put every parameter and buffer on ``device`` (a no-op when loading already did, or
    when accelerate placed an offloaded model's layers itself)."""
    if getattr(model, "hf_device_map", None):
        return model
    try:
        return model.to(device)
    except torch.OutOfMemoryError:
        raise ModelLoadError(
            f"The model does not fit in the memory of {device}; try a smaller model, a half-precision dtype or the CPU."
        ) from None


@contextmanager
def _without_hf_progress_bars() -> Iterator[None]:
    """The session reports its own stages; transformers' tqdm bars would litter the CLI's
    stderr (and the ``--quiet`` promise) with a second, competing progress display."""
    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()
