"""How a person names a model: the bundled demo, a hub id, or a folder.

Torch-free so the GUI thread can build specs and job parameters without importing torch.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from workbench.base.jobs import JobParams

ModelSource = Literal["demo", "hub", "folder"]
DTypeName = Literal["auto", "float32", "float16", "bfloat16"]


@dataclass(frozen=True)
class ModelSpec:
    """Everything needed to load the same model again (stored with every run)."""

    source: ModelSource = "demo"
    name: str = ""
    """Hub id (``gpt2``, ``EleutherAI/pythia-70m``) or folder path; empty for the demo model."""
    revision: str | None = None
    dtype: DTypeName = "auto"
    """``auto`` = float32 on CPU, bfloat16 (or float16) on a GPU."""
    device: str = "auto"
    """``auto`` = CUDA when present, else CPU; or ``cpu``, ``cuda``, ``cuda:1``."""
    trust_remote_code: bool = False
    """Run the model's own Python code; only with the user's explicit per-model opt-in."""
    allow_pickle: bool = False
    """Load ``pytorch_model.bin`` (pickle, can execute code) when no safetensors exist."""
    allow_download: bool = False
    """Fetch from the hub when not in the local cache; offline otherwise."""
    offload: bool = False
    """Load a model larger than free memory: accelerate's ``device_map="auto"`` fills the GPU,
    then RAM, then a folder on disk, and moves each layer in when it runs (slow, but it runs)."""

    @classmethod
    def parse(cls, text: str, **options: object) -> ModelSpec:
        """``demo``, an existing folder, or else a hub id — what the CLI's ``--model`` takes."""
        text = text.strip()
        if text in ("", "demo"):
            return cls(source="demo", **options)  # type: ignore[arg-type]  # options holds the spec's own typed fields; mypy cannot match ** to them
        if Path(text).expanduser().is_dir():
            return cls(source="folder", name=str(Path(text).expanduser().resolve()), **options)  # type: ignore[arg-type]  # options holds the spec's own typed fields; mypy cannot match ** to them
        return cls(source="hub", name=text, **options)  # type: ignore[arg-type]  # options holds the spec's own typed fields; mypy cannot match ** to them

    @property
    def label(self) -> str:
        if self.source == "demo":
            return "demo"
        if self.source == "folder":
            return Path(self.name).name or self.name
        return self.name if not self.revision else f"{self.name}@{self.revision}"


@dataclass(frozen=True)
class LoadModelParams(JobParams, kind="load_model"):
    """Job: load ``spec`` in the worker and make it the active model."""

    spec: ModelSpec = ModelSpec()


@dataclass(frozen=True)
class UnloadModelParams(JobParams, kind="unload_model"):
    """Job: free the active model (memory, CUDA cache) and leave the session empty."""


@dataclass(frozen=True)
class ModelInfo:
    """What the status bar, ``workbench-cli info`` and the project store show of a model."""

    label: str
    family: str
    model_type: str
    num_layers: int
    hidden_size: int
    vocab_size: int
    max_positions: int
    num_parameters: int
    device: str
    dtype: str
    memory_bytes: int
    fingerprint: str
    path: str
