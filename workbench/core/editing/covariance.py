"""ROME's key covariance C = E[k kᵀ] of one layer's down-projection inputs (book §5.4.3).

The rank-one update changes W along C⁻¹k*, the direction that disturbs the keys the layer
usually sees least (Meng et al., 2022, eq. 2).  C is estimated over a text corpus — the
demo world's encyclopedia articles in both languages, or a UTF-8 file the user names —
once per (model fingerprint, layer, corpus, token count): kept in memory on the session's
ledger and stored in the project as a run of kind ``edit_covariance`` with the matrix as an
artifact, so a later session (or the same edit tomorrow) does not recompute it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch import nn

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken
from workbench.base.paths import DEMO_WORLD_DIR
from workbench.core.editing.article_text import readable_text
from workbench.core.editing.params import DEMO_CORPUS
from workbench.core.model.arch import ArchAdapter
from workbench.core.model.hf_config import text_config
from workbench.store import array_from_blob, array_to_blob

if TYPE_CHECKING:
    from workbench.store import ProjectStore

ProgressFn = Callable[..., Any]

RUN_KIND = "edit_covariance"
ARTIFACT_NAME = "covariance"
ARTIFACT_KIND = "key_covariance"
WINDOW_TOKENS = 128
"""Tokens per row of the estimation passes (each article is split into such windows)."""
BATCH_ROWS = 16


def corpus_texts(corpus: str) -> list[str]:
    """The texts of ``corpus``: ``"demo"`` = the demo world's encyclopedia articles (a seeded
    shuffle, so English and Chinese and all kinds of entity mix in any prefix), else a file."""
    if corpus == DEMO_CORPUS:
        folder = DEMO_WORLD_DIR / "encyclopedia"
        entries = [
            json.loads(line) for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines() if line
        ]
        texts = [readable_text((folder / e["document"]).read_text(encoding="utf-8"), e["format"]) for e in entries]
        random.Random(0).shuffle(texts)
        return texts
    path = Path(corpus).expanduser()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise InvalidParameters(f"Cannot read the covariance corpus {path}: {error}.") from None
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    if not paragraphs:
        raise InvalidParameters(f"The covariance corpus {path.name} is empty.")
    return paragraphs


def corpus_key(corpus: str) -> str:
    """What identifies a corpus in the cache: ``demo``, or a file by its content hash."""
    if corpus == DEMO_CORPUS:
        return DEMO_CORPUS
    path = Path(corpus).expanduser()
    try:
        return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError as error:
        raise InvalidParameters(f"Cannot read the covariance corpus {path}: {error.strerror or error}.") from None


def rows_key(tokenizer: Any) -> str:
    """What a tokenizer adds to every corpus row (``token_windows``), as part of the cache key:
    ``""`` when it adds nothing (GPT-2, SmolLM2, the demo model), else e.g. ``"+special:2"``
    (Gemma's ``<bos>``).  Covariances stored before rows carried these tokens were estimated
    without them; the new key leaves them unused instead of reusing them."""
    added = list(tokenizer("")["input_ids"])
    return "+special:" + ",".join(str(token) for token in added) if added else ""


_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*|\n+")


def token_windows(tokenizer: Any, texts: list[str], tokens: int, window: int) -> list[list[int]]:
    """Rows of at most ``window`` tokens, ``tokens`` in all (or all there are): one per
    sentence of the texts.

    Sentence rows, not long windows: an edit prompt starts a text, so its subject's key is
    read near position 0, where keys carry a large position component.  Rows that start at
    each sentence put such keys (many of them subjects) into C, and C⁻¹k* then separates
    "Anoda at the start" from "Zeni at the start" instead of treating their shared
    start-of-text component as rare.

    Each row is encoded as an edit prompt is, with the tokenizer's own special tokens:
    Gemma's starts every text with <bos>, and without it a row's first word becomes the
    attention sink, whose key is unlike any key an edit prompt's subject ever has.
    """
    rows: list[list[int]] = []
    left = tokens
    for text in texts:
        for sentence in _SENTENCE_END.split(text):
            if not sentence.strip():
                continue
            row = list(tokenizer(sentence)["input_ids"])[:window][:left]
            if row:
                rows.append(row)
                left -= len(row)
            if left <= 0:
                return rows
    return rows


class _Captured(Exception):
    """Stops a pass once the edited layer's keys are read: the layers above are not needed."""


@torch.inference_mode()
def key_covariance(
    model: nn.Module,
    tokenizer: Any,
    adapter: ArchAdapter,
    layer: int,
    texts: list[str],
    tokens: int,
    progress: ProgressFn | None = None,
    cancel: CancelToken | None = None,
) -> np.ndarray:
    """Uncentred second moment E[k kᵀ] of the keys of ``layer`` over ``tokens`` corpus tokens,
    as ROME's ``layer_stats`` (mom2) computes it; (d_ff, d_ff) float32."""
    report = progress if progress is not None else (lambda *args, **kwargs: None)
    max_positions = getattr(text_config(model), "max_position_embeddings", None) or WINDOW_TOKENS
    rows = token_windows(tokenizer, texts, tokens, min(WINDOW_TOKENS, int(max_positions)))
    total = sum(len(row) for row in rows)
    if total == 0:
        raise InvalidParameters("The covariance corpus has no tokens.")
    device = next(model.parameters()).device
    rows.sort(key=len)  # equal lengths share a batch, so there is little padding
    module = adapter.module(model, "mlp_down", layer)
    sums: torch.Tensor | None = None
    mask: torch.Tensor | None = None

    def capture(_module: nn.Module, args: tuple) -> None:
        nonlocal sums
        assert mask is not None, "each batch sets its mask before its forward pass"
        keys = args[0].reshape(-1, args[0].shape[-1])[mask.reshape(-1)].float()
        update = (keys.T @ keys).double()
        sums = update if sums is None else sums + update
        raise _Captured

    handle = module.register_forward_pre_hook(capture)
    done = 0
    try:
        for begin in range(0, len(rows), BATCH_ROWS):
            if cancel is not None:
                cancel.raise_if_cancelled()
            batch = rows[begin : begin + BATCH_ROWS]
            width = max(len(row) for row in batch)
            ids = torch.zeros(len(batch), width, dtype=torch.long, device=device)
            mask = torch.zeros(len(batch), width, dtype=torch.bool, device=device)
            for i, row in enumerate(batch):
                ids[i, : len(row)] = torch.tensor(row, device=device)
                mask[i, : len(row)] = True
            with contextlib.suppress(_Captured):
                model(ids, attention_mask=mask.long(), use_cache=False)
            done += int(mask.sum())
            report(
                done / total,
                f"Key covariance of layer {layer}: {done:,} of {total:,} tokens",
            )
    finally:
        handle.remove()
    assert sums is not None
    return (sums / total).float().cpu().numpy()


class CovarianceCache:
    """Covariances by (fingerprint, layer, corpus, tokens): in memory, then in the project."""

    def __init__(self) -> None:
        self._memory: dict[tuple[str, int, str, int], np.ndarray] = {}
        self.computed = 0
        """How many covariances this cache had to compute (not found in memory or the store)."""

    def get(
        self,
        model: nn.Module,
        tokenizer: Any,
        adapter: ArchAdapter,
        layer: int,
        *,
        fingerprint: str,
        corpus: str,
        tokens: int,
        store: ProjectStore | None = None,
        progress: ProgressFn | None = None,
        cancel: CancelToken | None = None,
    ) -> np.ndarray:
        key = (fingerprint, int(layer), corpus_key(corpus) + rows_key(tokenizer), int(tokens))
        if key in self._memory:
            return self._memory[key]
        matrix = stored_covariance(store, key) if store is not None else None
        if matrix is None:
            matrix = key_covariance(
                model,
                tokenizer,
                adapter,
                layer,
                corpus_texts(corpus),
                tokens,
                progress,
                cancel,
            )
            self.computed += 1
            if store is not None:
                store_covariance(store, key, matrix)
        self._memory[key] = matrix
        return matrix


def _run_params(key: tuple[str, int, str, int]) -> dict[str, Any]:
    fingerprint, layer, corpus, tokens = key
    return {
        "fingerprint": fingerprint,
        "layer": layer,
        "corpus": corpus,
        "tokens": tokens,
    }


def artifact_key(key: tuple[str, int, str, int]) -> str:
    """The stored artifact's key: its run's parameters as sorted, compact JSON (store migration 4
    gave covariances stored before it the same key)."""
    return json.dumps(_run_params(key), sort_keys=True, separators=(",", ":"))


def stored_covariance(store: ProjectStore, key: tuple[str, int, str, int]) -> np.ndarray | None:
    data = store.find_artifact(ARTIFACT_KIND, artifact_key(key))
    return None if data is None else array_from_blob(data)


def store_covariance(store: ProjectStore, key: tuple[str, int, str, int], matrix: np.ndarray) -> None:
    params = _run_params(key)
    store.record_keyed_artifact(
        RUN_KIND,
        title=f"Key covariance, layer {params['layer']} ({params['tokens']:,} tokens)",
        params=params,
        metrics={"tokens": params["tokens"], "size": matrix.shape[0]},
        name=ARTIFACT_NAME,
        kind=ARTIFACT_KIND,
        key=artifact_key(key),
        data=array_to_blob(matrix),
    )
