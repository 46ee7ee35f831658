"""How long an ingest will take, said before it starts (issue 19, item 9).

Encoding the chunks is nearly all of an ingest's time (≈ 13 chunks/s, ≈ 1,400 characters/s,
for e5-small on 2 CPU cores), so the estimate is three numbers: the characters of the
selected files, the chunks the configured chunker cuts them into, and the embedder's
throughput on this machine.

* characters: plain text and markdown are decoded (cheap even for 50 MB); HTML, PDF and
  Word are guessed from their size (markup and layout bytes are not text).  Files the
  collection already holds with the same bytes are skipped, as the ingest skips them;
  a changed embedder or chunking re-encodes the collection's documents, so they count.
* chunks: the chunker runs on a sample of each decoded text and the count is scaled to the
  whole text; guessed formats use the windows' step (``size - overlap``).
* seconds: chunks ÷ chunks per second, measured by encoding a probe batch of 16 chunks with
  the configured embedder (a second or two, and the embedder stays loaded for the ingest),
  or the constant above when the input is too small for the probe to matter.
* a companion embedder encodes the new files' chunks too, and every stored chunk when it is
  new to the collection or the chunks are cut again; its own probe gives its rate (USE is
  about ten times faster than e5-small, so it adds ≈ 8 % to a fresh ingest — left out, the
  estimate was that much low, and adding a companion to a collection read "≈ 0 chunks").
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Iterable
from pathlib import Path

from workbench.base.jobs import CancelToken
from workbench.core.rag.chunking import chunk_text, validate
from workbench.core.rag.loaders import UnreadableFile, collect_files, kind_of, load_document
from workbench.core.rag.params import (
    ASSUMED_CHARS_PER_S,
    ASSUMED_CHUNKS_PER_S,
    LONG_INGEST_S,
    ChunkSettings,
    IngestEstimate,
    encoding_seconds,
)

PROBE_CHUNKS = 16
PROBE_ABOVE_S = 30.0
"""Below this (at the assumed rate) the estimate does not load an embedder to measure."""
SAMPLE_CHARS = 200_000
"""Characters of each text chunked to find its chunks per character."""
CHARS_PER_BYTE_GUESS = {"html": 1 / 3, "pdf": 1 / 25, "docx": 1 / 4}
"""Text per file byte for formats not parsed by the estimate (rough, on the safe side for PDF)."""
CHARS_PER_TOKEN_GUESS = 3.0
"""For token chunking of guessed formats: ≈ 4 for English, 1 for Chinese."""


def total_bytes(paths: Iterable[str]) -> int:
    """The selected files' sizes (folders expanded): a stat per file, cheap enough for the GUI thread."""
    files, _ = collect_files(paths)
    return sum(_size(path) for path in files)


def may_be_long(paths: Iterable[str]) -> bool:
    """Whether ``paths`` could take longer than ``LONG_INGEST_S`` even at twice the assumed
    time per character: a byte is at most one character of text, so below this bound no
    estimate is needed (the demo encyclopedia's 0.2 MB starts at once)."""
    return total_bytes(paths) / ASSUMED_CHARS_PER_S * 2 > LONG_INGEST_S


def estimate_ingest(
    paths: Iterable[str],
    chunking: ChunkSettings,
    embedder: str,
    *,
    chunks_per_s: float | None = None,
    known_hashes: frozenset[str] = frozenset(),
    extra_characters: int = 0,
    companion: str | None = None,
    companion_extra_chunks: int = 0,
    companion_chunks_per_s: float | None = None,
    cancel: CancelToken | None = None,
) -> IngestEstimate:
    """The ingest of ``paths`` before it starts.

    ``chunks_per_s`` given: that throughput (basis ``given``); else measured with
    ``embedder`` on a probe batch when it matters, else the assumed constant.
    ``known_hashes``: content hashes already indexed (skipped); ``extra_characters``: stored
    text that must be re-encoded (a changed embedder or chunking).  ``companion``: the second
    embedder the collection will keep, which encodes the new files' chunks and
    ``companion_extra_chunks`` stored ones (at ``companion_chunks_per_s`` or measured).
    """
    validate(chunking)
    files, _ = collect_files(paths)
    characters = chunks = skipped = 0
    guessed = False
    samples: list[str] = []
    for path in files:
        if cancel is not None:
            cancel.raise_if_cancelled()
        kind = kind_of(path)
        if kind in ("txt", "md"):
            try:
                loaded = load_document(path)
            except UnreadableFile:
                continue  # the ingest reports it; it costs no encoding
            if loaded.content_hash in known_hashes:
                skipped += 1
                continue
            characters += len(loaded.text)
            chunks += _chunks_of_text(loaded.text, chunking, samples)
        else:
            size = _size(path)
            if size and _hash(path) in known_hashes:
                skipped += 1
                continue
            guess = int(size * CHARS_PER_BYTE_GUESS.get(kind or "", 1.0))
            guessed = guessed or guess > 0
            characters += guess
            chunks += chunks_of_length(guess, chunking)
    file_chunks = chunks
    if extra_characters:
        characters += extra_characters
        chunks += chunks_of_length(extra_characters, chunking)
    basis, rate = _throughput(chunks, embedder, samples, chunks_per_s)
    companion_chunks, companion_rate = 0, 0.0
    if companion is not None:
        companion_chunks = file_chunks + companion_extra_chunks
        companion_rate = _throughput(companion_chunks, companion, samples, companion_chunks_per_s)[1]
    return IngestEstimate(
        characters=characters,
        chunks=chunks,
        seconds=encoding_seconds(chunks, rate) + encoding_seconds(companion_chunks, companion_rate),
        basis=basis,
        chunks_per_s=rate,
        embedder=embedder,
        files=len(files),
        unchanged=skipped,
        guessed=guessed,
        companion=companion or "",
        companion_chunks=companion_chunks,
        companion_chunks_per_s=companion_rate,
    )


def measure_chunks_per_s(embedder: str, samples: list[str]) -> float:
    """Chunks per second of ``embedder`` on this machine: one warm-up text, then a timed
    batch of ``PROBE_CHUNKS`` chunks (the ingest's own batches are 32, sorted by length)."""
    from workbench.core.rag.embedders import load_embedder

    model = load_embedder(embedder)
    probe = (samples * PROBE_CHUNKS)[:PROBE_CHUNKS] or ["A probe passage of ordinary length. " * 8] * PROBE_CHUNKS
    model.encode(probe[:1])
    started = time.perf_counter()
    model.encode(probe)
    return PROBE_CHUNKS / max(time.perf_counter() - started, 1e-6)


def _throughput(chunks: int, embedder: str, samples: list[str], given: float | None) -> tuple[str, float]:
    if given is not None:
        return "given", given
    if chunks / ASSUMED_CHUNKS_PER_S <= PROBE_ABOVE_S:
        return "assumed", ASSUMED_CHUNKS_PER_S
    return "measured", measure_chunks_per_s(embedder, samples)


def _chunks_of_text(text: str, chunking: ChunkSettings, samples: list[str]) -> int:
    """Chunks of ``text``: exact when it is short, else scaled from a sample's chunks."""
    sample = text[:SAMPLE_CHARS]
    starts, ends = chunk_text(sample, chunking)
    if len(samples) < PROBE_CHUNKS:
        samples.extend(sample[int(s) : int(e)] for s, e in zip(starts[:PROBE_CHUNKS], ends[:PROBE_CHUNKS]))
    if len(text) <= SAMPLE_CHARS:
        return len(starts)
    covered = int(ends[-1]) if len(ends) else len(sample)
    return max(1, round(len(starts) * len(text) / max(covered, 1)))


def chunks_of_length(characters: int, chunking: ChunkSettings) -> int:
    """Windows of ``size`` stepping ``size - overlap`` over ``characters`` (tokens guessed)."""
    if characters <= 0:
        return 0
    per_unit = CHARS_PER_TOKEN_GUESS if chunking.method == "tokens" else 1.0
    units = characters / per_unit
    if units <= chunking.size:
        return 1
    return 1 + math.ceil((units - chunking.size) / (chunking.size - chunking.overlap))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _hash(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return ""
    return digest.hexdigest()
