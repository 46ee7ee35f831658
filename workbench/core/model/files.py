"""What a model folder holds on disk: its config, its weight files and their fingerprint.

Torch-free: reading a folder needs only the file system, so the checks that refuse a folder
(no config, a PEFT adapter instead of a model, pickle-only weights without the opt-in) run
before anything heavy is imported or loaded.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from workbench.base.errors import ModelLoadError

WeightFormat = Literal["safetensors", "pickle"]

_SAFETENSORS = ("model.safetensors", "model.safetensors.index.json")
_PICKLE = ("pytorch_model.bin", "pytorch_model.bin.index.json")
_OTHER_FRAMEWORKS = ("tf_model.h5", "flax_model.msgpack", "model.ckpt.index")

FINGERPRINT_SAMPLE_BYTES = 1 << 20
"""Bytes hashed at each end of a weight file: enough to notice changed weights, cheap for 10 GB."""


@dataclass(frozen=True)
class ModelFiles:
    """The files ``from_pretrained`` will read from one folder."""

    folder: Path
    config: dict[str, Any]
    """``config.json`` as written (before transformers fills in defaults)."""
    weight_files: tuple[Path, ...]
    weight_format: WeightFormat

    @property
    def model_type(self) -> str:
        return str(self.config.get("model_type", ""))


def inspect_folder(folder: Path, *, allow_pickle: bool) -> ModelFiles:
    """Read ``folder``'s config and find its weights, refusing what the user did not opt into.

    Safetensors are preferred; pickled ``pytorch_model.bin`` files can run arbitrary code
    when unpickled, so a folder that has only those needs ``allow_pickle``.
    """
    if not folder.is_dir():
        raise ModelLoadError(f"The model folder {folder} does not exist.")
    config_path = folder / "config.json"
    if not config_path.is_file():
        if (folder / "adapter_config.json").is_file():
            raise ModelLoadError(
                f"{folder} holds a PEFT adapter, not a model. Load its base model first, "
                "then apply the adapter from the Fine-tuning panel."
            )
        raise ModelLoadError(f"{folder} has no config.json, so it is not a Hugging Face model folder.")
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ModelLoadError(f"{config_path} could not be read as JSON ({error}).") from None
    if not isinstance(config, dict):
        raise ModelLoadError(f"{config_path} does not hold a JSON object.")

    safetensors = _weight_files(folder, *_SAFETENSORS)
    if safetensors:
        return ModelFiles(folder, config, safetensors, "safetensors")
    pickled = _weight_files(folder, *_PICKLE)
    if pickled:
        if not allow_pickle:
            raise ModelLoadError(
                f"{folder} has only pickled weights ({pickled[0].name}), which can run code when "
                "loaded. Tick 'allow pickle' if you trust where this model comes from."
            )
        return ModelFiles(folder, config, pickled, "pickle")
    other = [name for name in _OTHER_FRAMEWORKS if (folder / name).exists()]
    if other:
        raise ModelLoadError(
            f"{folder} has only {other[0]} weights; the workbench needs PyTorch weights (model.safetensors)."
        )
    raise ModelLoadError(f"{folder} has a config.json but no weights (model.safetensors).")


def _weight_files(folder: Path, single: str, index: str) -> tuple[Path, ...]:
    """The single weight file, or every shard named by the index, if they all exist."""
    index_path = folder / index
    if index_path.is_file():
        try:
            weight_map = json.loads(index_path.read_text(encoding="utf-8"))["weight_map"]
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError) as error:
            raise ModelLoadError(f"The weight index {index_path} is damaged ({error}).") from None
        shards = tuple(folder / name for name in sorted(set(weight_map.values())))
        missing = [shard.name for shard in shards if not shard.is_file()]
        if missing:
            raise ModelLoadError(f"{folder} is incomplete: weight shard(s) {', '.join(missing)} are missing.")
        return shards
    single_path = folder / single
    return (single_path,) if single_path.is_file() else ()


def fingerprint(files: ModelFiles) -> str:
    """A sha256 that identifies these weights well enough to tell runs of different models apart.

    Hashes ``config.json`` and, for each weight file, its name, size and the first and last
    MiB — a few milliseconds even for a 10 GB model.  Files up to 2 MiB are hashed whole;
    in a larger file a change that keeps the size and touches only the middle goes unseen,
    the price of not reading gigabytes on every load.
    """
    digest = hashlib.sha256()
    digest.update((files.folder / "config.json").read_bytes())
    for path in files.weight_files:
        size = path.stat().st_size
        digest.update(f"\0{path.name}\0{size}\0".encode())
        with path.open("rb") as handle:
            digest.update(handle.read(FINGERPRINT_SAMPLE_BYTES))
            if size > FINGERPRINT_SAMPLE_BYTES:
                handle.seek(max(size - FINGERPRINT_SAMPLE_BYTES, FINGERPRINT_SAMPLE_BYTES))
                digest.update(handle.read())
    return digest.hexdigest()
