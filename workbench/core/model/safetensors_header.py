"""Is a ``.safetensors`` file whole?  Its header says so, before any weight is read.

Torch-free.  A safetensors file is an 8-byte little-endian header length N, N bytes of JSON
naming each tensor's dtype, shape and ``[begin, end)`` byte offsets in the data that
follows.  A truncated download (a common way to get a broken model folder) fails one of
three checks: N larger than the file, a header that is not JSON, or tensor data that runs
past the end of the file.  Checking this up front names the damaged file in a sentence,
where the loader's own error ("invalid header length") names neither file nor remedy.
"""

from __future__ import annotations

import json
import struct
from pathlib import Path
from typing import Any

from workbench.base.errors import ModelLoadError

_LENGTH_BYTES = 8
_MAX_HEADER_BYTES = 100 * 1024 * 1024
"""The format's own limit on the header (safetensors refuses larger ones)."""


def read_header(path: Path) -> dict[str, Any]:
    """The JSON header of ``path``, or ``ModelLoadError`` naming the file when it is damaged."""
    damaged = f"The weight file {path} is damaged"
    remedy = "download or copy the model again."
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            prefix = handle.read(_LENGTH_BYTES)
            if len(prefix) < _LENGTH_BYTES:
                raise ModelLoadError(f"{damaged}: it is only {size} bytes long; {remedy}")
            (length,) = struct.unpack("<Q", prefix)
            if length > min(size - _LENGTH_BYTES, _MAX_HEADER_BYTES):
                raise ModelLoadError(
                    f"{damaged} (truncated or not a safetensors file): its header claims {length:,} bytes "
                    f"but the file has {size:,}; {remedy}"
                )
            raw = handle.read(length)
    except OSError as error:
        raise ModelLoadError(f"The weight file {path} could not be read ({error.strerror or error}).") from None
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ModelLoadError(f"{damaged}: its header is not valid safetensors JSON; {remedy}") from None
    if not isinstance(header, dict):
        raise ModelLoadError(f"{damaged}: its header is not valid safetensors JSON; {remedy}")
    data_bytes = size - _LENGTH_BYTES - length
    try:
        needed = max(
            (int(entry["data_offsets"][1]) for name, entry in header.items() if name != "__metadata__"),
            default=0,
        )
    except (KeyError, IndexError, TypeError, ValueError):
        raise ModelLoadError(f"{damaged}: its header lists a tensor without valid offsets; {remedy}") from None
    if needed > data_bytes:
        raise ModelLoadError(
            f"{damaged} (truncated): its tensors need {needed:,} bytes of data but only {data_bytes:,} "
            f"are there; {remedy}"
        )
    return header


def check_weight_files(paths: tuple[Path, ...]) -> None:
    """``ModelLoadError`` naming the first damaged ``.safetensors`` file among ``paths``."""
    for path in paths:
        if path.suffix == ".safetensors":
            read_header(path)
