"""What a GGUF file says about itself, read without loading a weight, and whether it imports.

The import checks the file before minutes of work: that it *is* a GGUF, that transformers
knows its architecture, and that every tensor's quantisation can be unpacked (by trying the
first row of one tensor of each type), so an unsupported file fails with one sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.model.library import ModelImportError

GGUF_MAGIC = b"GGUF"


@dataclass(frozen=True)
class GgufSummary:
    """What the file's header says, read without loading any weights."""

    path: Path
    architecture: str
    name: str
    licence: str
    quantization: str
    """The file type (``Q4_1``) or, for files without one, the tensor types joined."""
    tensor_types: tuple[str, ...]
    num_tensors: int
    size: int


def require_gguf() -> Any:
    """The ``gguf`` package, or one sentence saying how to get it."""
    try:
        import gguf
    except ImportError:
        raise ModelImportError(
            "Importing GGUF files needs the 'gguf' package; install it with: pip install gguf"
        ) from None
    return gguf


def read_summary(path: Path) -> GgufSummary:
    """The header of ``path``, refusing files that are not GGUF or are damaged."""
    gguf = require_gguf()
    if not path.is_file():
        raise ModelImportError(f"The file {path} does not exist.")
    with path.open("rb") as handle:
        magic = handle.read(4)
    if magic != GGUF_MAGIC:
        raise ModelImportError(f"{path.name} is not a GGUF file (it does not start with 'GGUF').")
    try:
        reader = gguf.GGUFReader(str(path))
        fields = reader.fields
        architecture = str(fields["general.architecture"].contents())
        tensors = list(reader.tensors)
    except KeyError:
        raise ModelImportError(f"{path.name} is damaged: its header does not name an architecture.") from None
    except Exception as error:  # the reader raises struct, value and index errors alike
        raise ModelImportError(
            f"{path.name} is damaged or truncated and cannot be read as GGUF ({type(error).__name__}: {error})."
        ) from None
    tensor_types = tuple(sorted({tensor.tensor_type.name for tensor in tensors}))
    return GgufSummary(
        path=path,
        architecture=architecture,
        name=_text_field(fields, "general.name"),
        licence=_text_field(fields, "general.license"),
        quantization=_file_type(gguf, fields) or "+".join(tensor_types),
        tensor_types=tensor_types,
        num_tensors=len(tensors),
        size=path.stat().st_size,
    )


def check_supported(summary: GgufSummary) -> None:
    """Refuse an architecture transformers cannot build or a quantisation it cannot unpack."""
    supported = supported_architectures()
    if summary.architecture not in supported:
        raise ModelImportError(
            f"{summary.path.name} is a '{summary.architecture}' model, which transformers cannot "
            f"import from GGUF; supported architectures: {', '.join(sorted(supported))}."
        )
    gguf = require_gguf()
    reader = gguf.GGUFReader(str(summary.path))
    tried: set[str] = set()
    for tensor in reader.tensors:
        kind = tensor.tensor_type.name
        if kind in tried:
            continue
        tried.add(kind)
        try:
            gguf.dequantize(tensor.data[:1], tensor.tensor_type)
        except NotImplementedError:
            raise ModelImportError(
                f"{summary.path.name} stores tensors as {kind}, a quantisation the gguf package "
                "cannot unpack; convert the file to another type (Q8_0, Q4_K_M …) first."
            ) from None
        except Exception as error:
            raise ModelImportError(
                f"{summary.path.name} is damaged: tensor {tensor.name} ({kind}) cannot be read "
                f"({type(error).__name__}: {error})."
            ) from None


def supported_architectures() -> set[str]:
    """GGUF architecture names transformers can turn into a causal LM."""
    from transformers.modeling_gguf_pytorch_utils import GGUF_SUPPORTED_ARCHITECTURES

    names = set(GGUF_SUPPORTED_ARCHITECTURES)
    try:
        from transformers.integrations.gguf import GGUF_ARCHS

        names |= set(GGUF_ARCHS)
    except ImportError:
        pass
    return names - _NOT_CAUSAL


_NOT_CAUSAL = {"t5", "t5encoder", "umt5", "bert", "nomic-bert", "jina-bert-v2"}


def _text_field(fields: Any, key: str) -> str:
    field = fields.get(key)
    if field is None:
        return ""
    try:
        value = field.contents()
    except Exception:
        return ""
    return str(value) if isinstance(value, str) else ""


def _file_type(gguf: Any, fields: Any) -> str:
    field = fields.get("general.file_type")
    if field is None:
        return ""
    try:
        return gguf.LlamaFileType(int(field.contents())).name.removeprefix("MOSTLY_")
    except (ValueError, TypeError):
        return ""
