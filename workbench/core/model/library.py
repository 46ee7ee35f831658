"""The user's model library: imported GGUF files and installed model packs, one folder each.

The library lives in the app's data folder (the one holding the demo project), so the GUI
and the CLI see the same models.  Each model is an ordinary Hugging Face folder (config,
safetensors, tokenizer) plus a ``README.md`` model card for people and a
``workbench_model.json`` card for the workbench: where the weights came from, their
checksum, licence, quantisation and architecture.

Torch-free and Qt-free: listing the library only reads small JSON files.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from workbench.base.errors import WorkbenchError
from workbench.core.model.spec import ModelSpec

APP_FOLDER = Path("LLM Workbench") / "LLM Workbench"
"""Organisation / application name, as ``app.py`` sets them for Qt."""

DATA_DIR_ENV = "WORKBENCH_DATA_DIR"
"""Overrides the data folder (tests, portable installs)."""

CARD_FILE = "workbench_model.json"
CARD_VERSION = 1


class ModelImportError(WorkbenchError):
    """A GGUF file or model pack could not be imported (damaged, unsupported, offline …)."""


def user_data_dir() -> Path:
    """The app's data folder: the same as Qt's ``AppDataLocation`` for the running app.

    Computed without Qt (the core never imports it): ``~/.local/share/LLM Workbench/LLM
    Workbench`` on Linux (``$XDG_DATA_HOME`` honoured), ``~/Library/Application Support/…``
    on macOS, ``%APPDATA%\\…`` on Windows; ``WORKBENCH_DATA_DIR`` overrides all three.
    """
    override = os.environ.get(DATA_DIR_ENV)
    if override:
        return Path(override).expanduser()
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        xdg = os.environ.get("XDG_DATA_HOME", "")
        base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "share"
    return base / APP_FOLDER


def library_dir() -> Path:
    """Where imported models live (``<data folder>/models``); not created by asking."""
    return user_data_dir() / "models"


def download_cache_dir() -> Path:
    """Where the wheels of model packs are kept, so a pack installs again offline."""
    return user_data_dir() / "downloads"


@dataclass(frozen=True)
class ModelCard:
    """What the workbench records about a model it imported (``workbench_model.json``)."""

    name: str
    architecture: str
    """GGUF ``general.architecture`` (``llama``, ``gemma3`` …)."""
    model_type: str
    """The transformers ``model_type`` of the saved folder."""
    dtype: str
    """``float32`` or ``bfloat16``: what the safetensors hold."""
    source_file: str
    """File name of the GGUF it was imported from."""
    source_sha256: str
    source_size: int
    quantization: str
    """The GGUF's file type (``Q4_1``, ``Q8_0`` …) or, lacking it, its tensor types."""
    licence: str = ""
    licence_url: str = ""
    pack: str = ""
    """The catalogue pack it was installed from; empty for a user's own GGUF."""
    terms_accepted: str = ""
    """ISO date the user accepted the pack's terms, for packs that require it."""
    num_parameters: int = 0
    size_on_disk: int = 0
    imported_at: str = ""
    card_version: int = CARD_VERSION

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelCard:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


@dataclass(frozen=True)
class LibraryModel:
    """One model folder of the library, as the load dialog and ``models list`` show it."""

    folder: Path
    card: ModelCard

    @property
    def name(self) -> str:
        return self.card.name

    def spec(self, **options: Any) -> ModelSpec:
        return ModelSpec(source="folder", name=str(self.folder), **options)


def read_card(folder: Path) -> ModelCard | None:
    """The folder's workbench card, or None when it has none or it is unreadable."""
    try:
        data = json.loads((folder / CARD_FILE).read_text(encoding="utf-8"))
        return ModelCard.from_dict(data) if isinstance(data, dict) else None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError, TypeError):
        return None


def list_library(library: Path | None = None) -> list[LibraryModel]:
    """Every complete model in the library (with a card and a config), by name.

    Folders still being written (``.partial-…``) and folders without a card are skipped.
    """
    root = library if library is not None else library_dir()
    if not root.is_dir():
        return []
    models = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.name.startswith("."):
            continue
        card = read_card(folder)
        if card is None or not (folder / "config.json").is_file():
            continue
        models.append(LibraryModel(folder=folder, card=card))
    return sorted(models, key=lambda model: model.name.lower())


def find_in_library(*, sha256: str, dtype: str | None = None, library: Path | None = None) -> LibraryModel | None:
    """The library's import of the GGUF with this checksum (in ``dtype``, if given)."""
    for model in list_library(library):
        if model.card.source_sha256 == sha256 and (dtype is None or model.card.dtype == dtype):
            return model
    return None


def folder_name_for(name: str, library: Path) -> str:
    """A file-system-safe, unused folder name for a model called ``name``."""
    base = re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-._") or "model"
    candidate, number = base, 2
    while (library / candidate).exists():
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def folder_size(folder: Path) -> int:
    return sum(path.stat().st_size for path in folder.rglob("*") if path.is_file())
