"""Turning one step's full-vocabulary tensors into compact ``StepRecord``s.

Everything a record needs is gathered on the model's device and crosses to the host in one
transfer per step, so recording costs a few small kernels rather than a copy of the vocabulary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from workbench.core.sampling.records import StepRecord

TokenIds = Sequence[int] | np.ndarray
"""Token ids as a list or as the int64 array a result stores."""


class TokenText:
    """Display strings of token ids, decoded once per id (a run shows the same tokens often).

    A token that is only part of a character (byte-level BPE splits a Chinese character into
    two or three byte tokens) decodes to U+FFFD on its own; it is shown by its bytes instead,
    ``<0xE9><0x95>``, so the candidates of a step stay distinguishable.

    Each id is decoded after an anchor token and the anchor's own text is cut off again:
    SentencePiece decoders (Llama, Mistral, Gemma) strip the word-start space of a sequence's
    first token, so ``decode([id])`` of "▁Paris" reads "Paris" and the coloured tokens of a
    generation would run together.  Behind an anchor the token keeps its space, exactly as it
    reads inside the generated text.
    """

    def __init__(self, tokenizer) -> None:
        self._tokenizer = tokenizer
        self._cache: dict[int, str] = {}
        anchor = tokenizer("a", add_special_tokens=False)["input_ids"]
        self._anchor: list[int] = anchor[-1:]
        self._anchor_text = self._decode(self._anchor)

    def __call__(self, ids: TokenIds) -> tuple[str, ...]:
        missing = sorted({int(i) for i in ids} - self._cache.keys())
        if missing:
            texts = self._tokenizer.batch_decode(
                [[*self._anchor, i] for i in missing], clean_up_tokenization_spaces=False
            )
            for token_id, text in zip(missing, texts):
                if text.startswith(self._anchor_text):
                    text = text[len(self._anchor_text) :]
                else:  # the anchor merged with the token in decoding: fall back to the token alone
                    text = self._decode([token_id])
                self._cache[token_id] = self._bytes_shown(token_id) if "\ufffd" in text else text
        return tuple(self._cache[int(i)] for i in ids)

    def _decode(self, ids: list[int]) -> str:
        return self._tokenizer.decode(ids, clean_up_tokenization_spaces=False)

    def _bytes_shown(self, token_id: int) -> str:
        raw = self._tokenizer.convert_ids_to_tokens(token_id)
        if raw and all(char in _BYTE_OF_CHAR for char in raw):
            return "".join(f"<0x{_BYTE_OF_CHAR[char]:02X}>" for char in raw)
        return raw  # SentencePiece byte fallback already reads "<0xE9>"

    def text(self, ids: TokenIds) -> str:
        """The text of a whole sequence (special tokens left out, as a reader sees it)."""
        return self._tokenizer.decode(list(ids), skip_special_tokens=True)


def _byte_level_alphabet() -> dict[str, int]:
    """Byte-level BPE's byte ↔ printable character table (Radford et al. 2019, GPT-2).

    Printable Latin-1 bytes stand for themselves; the other 68 bytes are shifted to code
    points 256 and up, in byte order, so that no token contains whitespace or control codes.
    """
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    table = {chr(byte): byte for byte in printable}
    shifted = (byte for byte in range(256) if byte not in table.values())
    table.update({chr(256 + n): byte for n, byte in enumerate(shifted)})
    return table


_BYTE_OF_CHAR = _byte_level_alphabet()


@dataclass(frozen=True, eq=False)
class StepData:
    """Host copies of one step's statistics for ``B`` rows (one per beam, or one)."""

    ids: np.ndarray  # int64 [B, C]: top-N by raw logit, then the extra ids
    raw_logits: np.ndarray  # float32 [B, C]
    logsumexp: np.ndarray  # float32 [B]
    entropy: np.ndarray  # float32 [B]
    stage_probs: np.ndarray  # float32 [B, S, C]
    removed: np.ndarray  # bool [B, S, C]: removed by exactly this stage
    top_n: int


def gather_step_data(
    raw_logits: torch.Tensor,
    staged_scores: Sequence[torch.Tensor],
    extra_ids: torch.Tensor,
    top_n: int,
) -> StepData:
    """Statistics of ``raw_logits`` [B, V] and each stage's output at the top-N and ``extra_ids`` [B, E].

    ``extra_ids`` are tokens that must be in the record even outside the top-N: the chosen
    token when sampling, every beam candidate in beam search.
    """
    rows, vocab = raw_logits.shape
    top = torch.topk(raw_logits, min(top_n, vocab), dim=-1).indices
    ids = torch.cat([top, extra_ids], dim=-1)
    logsumexp = torch.logsumexp(raw_logits, dim=-1)
    entropy = torch.special.entr(torch.softmax(raw_logits, dim=-1)).sum(dim=-1)
    pieces = [raw_logits.gather(-1, ids), logsumexp[:, None], entropy[:, None]]
    if staged_scores:
        staged_at_ids = torch.stack([scores.gather(-1, ids) for scores in staged_scores], dim=1)
        probs = torch.stack([torch.softmax(scores, dim=-1).gather(-1, ids) for scores in staged_scores], dim=1)
        gone = torch.isneginf(staged_at_ids)
        gone_before = torch.cat([torch.isneginf(raw_logits.gather(-1, ids))[:, None], gone[:, :-1]], dim=1)
        pieces += [probs.flatten(1), (gone & ~gone_before).flatten(1).to(raw_logits.dtype)]
    packed = torch.cat([piece.to(torch.float32) for piece in pieces], dim=-1).cpu().numpy()
    host_ids = ids.cpu().numpy()
    width = ids.shape[-1]
    stages = len(staged_scores)
    stage_block = packed[:, width + 2 :]
    return StepData(
        ids=host_ids,
        raw_logits=packed[:, :width],
        logsumexp=packed[:, width],
        entropy=packed[:, width + 1],
        stage_probs=stage_block[:, : stages * width].reshape(rows, stages, width),
        removed=stage_block[:, stages * width :].reshape(rows, stages, width).astype(bool),
        top_n=top.shape[-1],
    )


def step_record(
    data: StepData,
    row: int,
    chosen_id: int,
    stage_names: tuple[str, ...],
    token_text: TokenText,
    *,
    forced: bool = False,
) -> StepRecord:
    """The record of ``row``: its top-N candidates, plus ``chosen_id`` when it is not among them."""
    ids = data.ids[row]
    top_n = data.top_n
    in_top = np.flatnonzero(ids[:top_n] == chosen_id)
    if in_top.size:
        columns = np.arange(top_n)
        chosen_index = int(in_top[0])
    else:
        extra = top_n + int(np.flatnonzero(ids[top_n:] == chosen_id)[0])
        columns = np.append(np.arange(top_n), extra)
        chosen_index = top_n
    raw_logits = data.raw_logits[row, columns]
    logsumexp = float(data.logsumexp[row])
    candidate_ids = ids[columns].astype(np.int64)
    return StepRecord(
        candidate_ids=candidate_ids,
        candidate_tokens=token_text(candidate_ids),
        raw_logits=raw_logits,
        logsumexp=logsumexp,
        raw_probs=np.exp(raw_logits - logsumexp).astype(np.float32),
        stage_names=stage_names,
        stage_probs=data.stage_probs[row][:, columns],
        removed=data.removed[row][:, columns],
        chosen_index=chosen_index,
        chosen_id=int(chosen_id),
        chosen_logprob=float(raw_logits[chosen_index] - logsumexp),
        entropy=float(data.entropy[row]),
        forced=forced,
    )
