"""Greedy decoding and sampling, one recorded token at a time (book §1.4).

``SamplingSession`` is resumable: it keeps the KV cache and the random generator between
``step()`` calls, so the GUI's step mode asks for one token per click and a whole run is just
stepping to the end.  Each new token costs exactly one forward pass of one position.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import numpy as np
import torch

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken
from workbench.core.sampling.lm import LanguageModel
from workbench.core.sampling.params import SamplingParams
from workbench.core.sampling.pipeline import build_stages, run_stages
from workbench.core.sampling.recording import TokenText, gather_step_data, step_record
from workbench.core.sampling.records import SamplingResult, StepRecord

ProgressCallback = Callable[[float, str, Any], None]


def resolve_seed(seed: int | None) -> int:
    """The seed a run uses: the one asked for, or a fresh one that the result records."""
    return seed if seed is not None else secrets.randbits(31)


class SamplingSession:
    """A greedy or sampled generation that advances one token per ``step()``.

    A forced prefix (``params.forced_prefix_ids``) is run through the model together with the
    prompt; its tokens are recorded as steps with ``forced=True`` and the strategy takes over
    after them — this is how a branch regenerates from an alternative token.
    """

    def __init__(self, lm: LanguageModel, params: SamplingParams, token_text: TokenText | None = None) -> None:
        params.validate()
        if params.strategy == "beam":
            raise InvalidParameters("Beam search keeps several hypotheses; it cannot run one token at a time.")
        self.params = params
        self.lm = lm
        self._token_text = token_text or TokenText(lm.tokenizer)
        prompt_ids = lm.encode(params.prompt, chat=params.chat_template)
        lm.check_request(prompt_ids, params)
        self._prompt_len = len(prompt_ids)
        self._ids: list[int] = prompt_ids + list(params.forced_prefix_ids)
        self._fed = 0
        self._cache = None
        self._rows: torch.Tensor | None = None  # logits rows not yet consumed, one per position
        self._stages = build_stages(params)
        self._stage_names = params.active_stages()
        self._needs_context = bool(params.active_processors())
        self._no_context = torch.empty((1, 0), dtype=torch.long, device=lm.device)
        self._eos = lm.eos_ids() if params.stop_at_eos else frozenset()
        self.seed = resolve_seed(params.seed)
        self._generator = torch.Generator(device=lm.device).manual_seed(self.seed)
        self.steps: list[StepRecord] = []
        self.stop_reason = ""
        self._logprob = 0.0

    @property
    def finished(self) -> bool:
        return bool(self.stop_reason)

    def step(self) -> StepRecord:
        """Decide (or take, when forced) the next token and return its record."""
        if self.stop_reason:
            raise InvalidParameters(f"This generation has ended ({self.stop_reason}); start a new one.")
        position = self._prompt_len + len(self.steps)  # index in _ids of the token decided now
        forced = position < len(self._ids)
        with torch.inference_mode():
            raw = self._next_logits(position)
            context = self._context(position)
            staged = run_stages(self._stages, context, raw)
            scores = staged[-1] if staged else raw
            if forced:
                chosen = torch.tensor([self._ids[position]], device=raw.device)
            elif self.params.strategy == "sample":
                chosen = torch.multinomial(scores.softmax(dim=-1), 1, generator=self._generator)[0]
            else:
                chosen = scores.argmax(dim=-1)
            data = gather_step_data(raw, staged, chosen.view(1, 1), self.params.top_n)
        chosen_id = int(data.ids[0, -1])
        record = step_record(data, 0, chosen_id, self._stage_names, self._token_text, forced=forced)
        if not forced:
            self._ids.append(chosen_id)
        self.steps.append(record)
        self._logprob += record.chosen_logprob
        self._check_stop(position)
        return record

    def run(self, progress: ProgressCallback | None = None, cancel: CancelToken | None = None) -> SamplingResult:
        """Step to the end, reporting each token with the cumulative result as the partial."""
        total = self.params.max_new_tokens
        while not self.stop_reason:
            if cancel is not None:
                cancel.raise_if_cancelled()
            self.step()
            if progress is not None:
                done = len(self.steps)
                progress(done / total, f"token {done}/{total}", self.result())
        return self.result()

    def result(self) -> SamplingResult:
        """A snapshot of the generation so far (``stop_reason`` is empty until it ends)."""
        prompt_ids = self._ids[: self._prompt_len]
        generated = np.asarray(self._ids[self._prompt_len : self._prompt_len + len(self.steps)], dtype=np.int64)
        return SamplingResult(
            params=self.params,
            prompt_ids=np.asarray(prompt_ids, dtype=np.int64),
            prompt_tokens=self._token_text(prompt_ids),
            token_ids=generated,
            tokens=self._token_text(generated),
            text=self._token_text.text(generated),
            steps=tuple(self.steps),
            stop_reason=self.stop_reason,
            seed=self.seed,
            vocab_size=self.lm.vocab_size,
            logprob=self._logprob,
        )

    # -- internals ------------------------------------------------------------------
    def _next_logits(self, position: int) -> torch.Tensor:
        """Raw logits [1, V] predicting ``_ids[position]``; runs the model only for unseen tokens."""
        if self._rows is None or len(self._rows) == 0:
            keep = len(self._ids) - position + 1  # forced tokens still to record, plus the next one
            new_ids = torch.tensor([self._ids[self._fed :]], device=self.lm.device)
            logits, self._cache = self.lm.forward(new_ids, self._cache, keep)
            self._fed = len(self._ids)
            self._rows = logits[0]
        row, self._rows = self._rows[:1], self._rows[1:]
        return row

    def _context(self, position: int) -> torch.Tensor:
        """The ids before ``position`` [1, L], which the repetition processors look at
        (an empty [1, 0] when no processor is active: the warpers ignore the ids)."""
        if not self._needs_context:
            return self._no_context
        return torch.tensor([self._ids[:position]], device=self.lm.device)

    def _check_stop(self, position: int) -> None:
        if position + 1 < len(self._ids):
            return  # forced tokens remain
        generated = self._ids[self._prompt_len :]
        if generated[-1] in self._eos:
            self.stop_reason = "eos"
        elif self.params.stop_strings and _contains_any(self._token_text.text(generated), self.params.stop_strings):
            self.stop_reason = "stop_string"
        elif len(generated) >= self.params.max_new_tokens:
            self.stop_reason = "max_new_tokens"


def _contains_any(text: str, needles: tuple[str, ...]) -> bool:
    return any(needle in text for needle in needles)
