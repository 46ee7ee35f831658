"""Import a GGUF file (LM Studio, Ollama, GPT4All, llama.cpp) into the model library.

transformers reads GGUF files (through the ``gguf`` package) and dequantises every tensor
into an ordinary PyTorch model; saved as safetensors, that model loads in a fraction of the
time and works with every lab.  The file is checked first (``gguf_header``), so an
unsupported one fails with one sentence before minutes of work.

Progress comes from transformers' own tensor loop (its ``tqdm``), which also lets Cancel
stop the import between two tensors; a cancelled or failed import leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.base.jobs import CancelToken, Progress, job, scaled_progress
from workbench.core.context import CoreContext
from workbench.core.model.findings import apply_findings
from workbench.core.model.gguf_header import GgufSummary, check_supported, read_summary
from workbench.core.model.library import (
    CARD_FILE,
    ModelCard,
    ModelImportError,
    find_in_library,
    folder_name_for,
    folder_size,
    library_dir,
    read_card,
)
from workbench.core.model.library_params import DTYPE_ALIASES, ImportGgufParams

if TYPE_CHECKING:
    import torch

Report = Callable[..., Any]

_HASH_BLOCK = 1 << 22


@dataclass(frozen=True)
class ImportedModel:
    """The job's result: the library folder and its card."""

    name: str
    folder: str
    card: ModelCard
    already_in_library: bool = False
    seconds: float = 0.0


@dataclass(frozen=True)
class PackInfo:
    """What a model pack adds to the card and the folder (licence, terms, notice files)."""

    pack: str
    licence: str
    licence_url: str = ""
    terms_accepted: str = ""
    extra_files: tuple[tuple[str, bytes], ...] = ()
    """``(file name, content)`` copied into the model folder (LICENSE, NOTICE, terms)."""


def sha256_of(path: Path, report: Report, cancel: CancelToken) -> str:
    """SHA-256 of the file, reporting progress and honouring Cancel between 4 MiB blocks."""
    digest = hashlib.sha256()
    size = max(path.stat().st_size, 1)
    done = 0
    with path.open("rb") as handle:
        while block := handle.read(_HASH_BLOCK):
            cancel.raise_if_cancelled()
            digest.update(block)
            done += len(block)
            report(done / size, f"Checksumming {path.name}")
    return digest.hexdigest()


def import_gguf(
    path: Path | str,
    *,
    dtype: str = "float32",
    name: str = "",
    library: Path | str | None = None,
    progress: Report | None = None,
    cancel: CancelToken | None = None,
    pack: PackInfo | None = None,
    sha256: str | None = None,
) -> ImportedModel:
    """Dequantise ``path`` into a new safetensors folder of the library (see the module doc).

    A file already imported in the same dtype (same SHA-256) is not imported twice: its
    folder is returned with ``already_in_library``.  ``sha256``, when the caller has just
    verified it, skips hashing the file again.
    """
    started = time.perf_counter()
    report: Report = progress if progress is not None else (lambda *args, **kwargs: None)
    cancel = cancel if cancel is not None else CancelToken()
    path = Path(path).expanduser()
    dtype_name = DTYPE_ALIASES.get(dtype)
    if dtype_name is None:
        raise ModelImportError(f"'{dtype}' is not an import precision; use float32 (fp32) or bfloat16 (bf16).")
    root = Path(library) if library else library_dir()

    report(0.0, f"Reading {path.name}")
    summary = read_summary(path)
    check_supported(summary)
    cancel.raise_if_cancelled()
    if sha256 is None:
        sha256 = sha256_of(path, scaled_progress(report, 0.01, 0.12), cancel)
    existing = find_in_library(sha256=sha256, dtype=dtype_name, library=root)
    if existing is not None:
        report(1.0, f"{existing.name} is already in the library")
        return ImportedModel(existing.name, str(existing.folder), existing.card, True, time.perf_counter() - started)

    model_name = name.strip() or path.name.removesuffix(".gguf")
    root.mkdir(parents=True, exist_ok=True)
    final = root / folder_name_for(model_name, root)
    partial = root / f".partial-{final.name}-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        card = _convert(summary, sha256, dtype_name, model_name, partial, pack, report, cancel)
        cancel.raise_if_cancelled()
        os.replace(partial, final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    report(1.0, f"Imported {model_name} into the library")
    return ImportedModel(model_name, str(final), read_card(final) or card, False, time.perf_counter() - started)


def _convert(
    summary: GgufSummary,
    sha256: str,
    dtype_name: str,
    model_name: str,
    out: Path,
    pack: PackInfo | None,
    report: Report,
    cancel: CancelToken,
) -> ModelCard:
    """Load through transformers, save tokenizer, weights and both cards into ``out``."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer
    from transformers.utils.quantization_config import GgufConfig

    from workbench.core.model.loading import causal_lm_problem

    folder, file_name = str(summary.path.parent), summary.path.name
    report(0.12, "Reading the config and tokenizer")
    with _quiet_transformers():
        try:
            config = AutoConfig.from_pretrained(folder, gguf_file=file_name)
            problem = causal_lm_problem(config, {})
            if problem:
                raise ModelImportError(f"{summary.path.name}: {problem}")
            tokenizer = AutoTokenizer.from_pretrained(folder, gguf_file=file_name)
        except ModelImportError:
            raise
        except (ValueError, KeyError, OSError, TypeError, IndexError) as error:
            raise ModelImportError(
                f"transformers could not read the config or tokenizer of {summary.path.name}: {error}"
            ) from None
        cancel.raise_if_cancelled()
        report(0.15, f"Dequantising {summary.num_tensors} tensors ({summary.quantization})")
        torch_dtype = torch.float32 if dtype_name == "float32" else torch.bfloat16
        with _tensor_progress(scaled_progress(report, 0.15, 0.8), cancel, summary.num_tensors):
            try:
                model = AutoModelForCausalLM.from_pretrained(
                    folder,
                    gguf_file=file_name,
                    dtype=torch_dtype,
                    quantization_config=GgufConfig(dequantize=True),
                )
            except (ValueError, KeyError, OSError, RuntimeError, NotImplementedError) as error:
                raise ModelImportError(f"transformers could not dequantise {summary.path.name}: {error}") from None
        cancel.raise_if_cancelled()
        report(0.8, f"Saving {dtype_name} safetensors")
        _make_serialisable(model, torch_dtype)
        model.save_pretrained(out)
        tokenizer.save_pretrained(out)
    num_parameters = sum(p.numel() for p in {id(p): p for p in model.parameters()}.values())
    model_type = str(model.config.model_type)
    del model
    for file_name_extra, content in pack.extra_files if pack else ():
        (out / file_name_extra).write_bytes(content)
    card = ModelCard(
        name=model_name,
        architecture=summary.architecture,
        model_type=model_type,
        dtype=dtype_name,
        source_file=summary.path.name,
        source_sha256=sha256,
        source_size=summary.size,
        quantization=summary.quantization,
        licence=(pack.licence if pack else "") or summary.licence,
        licence_url=pack.licence_url if pack else "",
        pack=pack.pack if pack else "",
        terms_accepted=pack.terms_accepted if pack else "",
        num_parameters=int(num_parameters),
        imported_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
    )
    (out / "README.md").write_text(model_card_markdown(card, summary), encoding="utf-8")
    apply_findings(out, sha256)
    card = ModelCard.from_dict({**card.__dict__, "size_on_disk": folder_size(out)})
    (out / CARD_FILE).write_text(card.to_json(), encoding="utf-8")
    return card


def _make_serialisable(model: torch.nn.Module, dtype: torch.dtype) -> None:
    """A model loaded from GGUF refuses ``save_pretrained`` ("quantized with gguf and is not
    serializable") although its weights are plain tensors after dequantising: drop the
    quantiser and its config entry, and make sure every weight has the asked-for dtype."""
    # nn.Module.__setattr__ is annotated for tensors and modules only; this is transformers' plain attribute
    model.hf_quantizer = None  # type: ignore[assignment]  # transformers types it as a quantizer; None detaches it once the weights are dequantised
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    model.to(dtype)


def model_card_markdown(card: ModelCard, summary: GgufSummary) -> str:
    """The README.md of the imported folder: provenance first, in Hugging Face card style."""
    licence_id = card.licence.lower() if card.licence else "unknown"
    lines = [
        "---",
        f"license: {licence_id}",
        "library_name: transformers",
        "pipeline_tag: text-generation",
        "tags: [gguf-import, llm-workbench]",
        "---",
        "",
        f"# {card.name}",
        "",
        f"Imported by LLM Workbench on {date.today().isoformat()} from a GGUF file, dequantised "
        f"through transformers and saved as {card.dtype} safetensors.",
        "",
        "| | |",
        "|---|---|",
        f"| Source file | `{card.source_file}` ({card.source_size / 2**20:.1f} MiB) |",
        f"| SHA-256 | `{card.source_sha256}` |",
        f"| Architecture | {card.architecture} (transformers `{card.model_type}`) |",
        f"| Name in the file | {summary.name or '—'} |",
        f"| Quantisation | {card.quantization} (tensor types: {', '.join(summary.tensor_types)}) |",
        f"| Saved as | {card.dtype}, {card.num_parameters / 1e6:.1f} M parameters |",
        f"| Licence | {card.licence or 'not stated in the file'}"
        + (f" ({card.licence_url})" if card.licence_url else "")
        + " |",
    ]
    if card.pack:
        lines.append(f"| Model pack | {card.pack} |")
    if card.terms_accepted:
        lines.append(f"| Terms accepted | {card.terms_accepted} |")
    lines += [
        "",
        "The weights are the quantised values of the GGUF, unpacked: they carry its quantisation "
        "error, so they differ slightly from the original full-precision model.",
        "",
    ]
    return "\n".join(lines)


@job(ImportGgufParams, saves_run=False)
def import_gguf_job(
    ctx: CoreContext, params: ImportGgufParams, progress: Progress, cancel: CancelToken
) -> ImportedModel:
    """Job: ``import_gguf`` with the parameters of the menu action or the CLI."""
    if not params.path:
        raise ModelImportError("No GGUF file was given.")
    return import_gguf(
        params.path,
        dtype=params.dtype,
        name=params.name,
        library=params.library or None,
        progress=progress,
        cancel=cancel,
    )


# -- helpers ---------------------------------------------------------------------------
@contextmanager
def _tensor_progress(report: Report, cancel: CancelToken, total: int) -> Iterator[None]:
    """Route transformers' per-tensor ``tqdm`` loop to ``report`` and check Cancel in it.

    transformers dequantises GGUF tensors in one loop wrapped in ``tqdm``; replacing that
    name for the duration of the import is the only hook into it.  Without the hook (a
    transformers that moved the loop) the import still works, with coarser progress.
    """
    try:
        from transformers import modeling_gguf_pytorch_utils as gguf_utils
    except ImportError:
        yield
        return
    original = getattr(gguf_utils, "tqdm", None)

    def reporting(iterable: Iterable[Any], *args: Any, **kwargs: Any) -> Iterator[Any]:
        items = list(iterable)
        count = max(len(items), 1)
        for index, item in enumerate(items):
            cancel.raise_if_cancelled()
            report(index / count, f"Dequantising tensor {index + 1} of {count}")
            yield item

    gguf_utils.tqdm = reporting
    try:
        yield
    finally:
        if original is not None:
            gguf_utils.tqdm = original


@contextmanager
def _quiet_transformers() -> Iterator[None]:
    """No competing tqdm bars or per-file info lines on the CLI's stderr during the import."""
    from transformers.utils import logging as hf_logging

    bars = hf_logging.is_progress_bar_enabled()
    verbosity = hf_logging.get_verbosity()
    hf_logging.disable_progress_bar()
    hf_logging.set_verbosity_error()
    try:
        yield
    finally:
        hf_logging.set_verbosity(verbosity)
        if bars:
            hf_logging.enable_progress_bar()
