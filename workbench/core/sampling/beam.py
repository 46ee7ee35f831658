"""Beam search with its whole tree recorded (book §1.4.1).

The search follows ``transformers``' beam search so the same settings return the same
sequences: at each step the ``2 × num_beams`` best continuations of all beams are weighed;
those that end (EOS, a stop string, the length limit) and rank among the first
``num_beams`` enter the finished list with score ``logprob / length ** length_penalty``,
and the best ``num_beams`` that did not end keep running.  The search stops at the length
limit, when ``early_stopping=True`` and ``num_beams`` hypotheses have finished, or when no
running beam can still beat the worst finished one (the heuristic ``early_stopping=False``
uses, or the exact bound ``"never"`` uses).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken
from workbench.core.sampling.decode import ProgressCallback
from workbench.core.sampling.lm import LanguageModel
from workbench.core.sampling.params import SamplingParams
from workbench.core.sampling.pipeline import build_stages, run_stages
from workbench.core.sampling.recording import StepData, TokenText, gather_step_data, step_record
from workbench.core.sampling.records import BeamSequence, BeamStep, BeamTree, SamplingResult

_DEAD = -1.0e9
"""Score given to a beam that cannot continue, as ``transformers`` does (not -inf: sums stay finite)."""


@dataclass
class _Finished:
    """A hypothesis that ended; ``path`` is its candidate index at each step of the tree."""

    score: float
    logprob: float
    token_ids: list[int]
    path: list[int]
    reason: str


def run_beam_search(
    lm: LanguageModel,
    params: SamplingParams,
    progress: ProgressCallback | None = None,
    cancel: CancelToken | None = None,
    token_text: TokenText | None = None,
) -> SamplingResult:
    """Beam search over ``params.prompt``; the result follows the best sequence."""
    params.validate()
    if params.strategy != "beam":
        raise InvalidParameters("run_beam_search needs strategy 'beam'.")
    if params.forced_prefix_ids:
        raise InvalidParameters("A forced prefix (branching) is available for greedy and sampling, not beam search.")
    token_text = token_text or TokenText(lm.tokenizer)
    prompt_ids = lm.encode(params.prompt, chat=params.chat_template)
    lm.check_request(prompt_ids, params)
    search = _BeamSearch(lm, params, prompt_ids, token_text)
    with torch.inference_mode():
        while not search.done:
            if cancel is not None:
                cancel.raise_if_cancelled()
            search.advance()
            if progress is not None:
                done = len(search.tree)
                progress(done / params.max_new_tokens, f"beam step {done}/{params.max_new_tokens}", search.result())
    return search.result()


class _BeamSearch:
    def __init__(self, lm: LanguageModel, params: SamplingParams, prompt_ids: list[int], token_text: TokenText):
        self.lm = lm
        self.params = params
        self.prompt_ids = prompt_ids
        self.token_text = token_text
        self.beams = params.num_beams
        eos = lm.eos_ids() if params.stop_at_eos else frozenset()
        self.eos = torch.tensor(sorted(eos), dtype=torch.long, device=lm.device)
        self.width = max(2, 1 + len(eos)) * self.beams  # continuations weighed per step
        self.stages = build_stages(params)
        self.stage_names = params.active_stages()
        prompt = torch.tensor([prompt_ids], device=lm.device)
        logits, self.cache = lm.forward(prompt, None)
        self.cache.batch_repeat_interleave(self.beams)
        self.logits = logits[:, -1].expand(self.beams, -1)  # every beam starts from the prompt
        self.context = prompt.expand(self.beams, -1)  # [beams, prompt + generated]
        # Only the first beam is live at the start, so the first step does not pick one token k times.
        self.running_scores = torch.full((self.beams,), _DEAD, device=lm.device)
        self.running_scores[0] = 0.0
        self.running_nodes = [-1] * self.beams  # candidate index (in the last tree step) of each beam
        self.finished: list[_Finished] = []
        self.can_improve = True
        self.tree: list[BeamStep] = []
        self.step_data: list[StepData] = []
        self.step_rows: list[list[int]] = []  # per step: the tree node each beam row continues
        self.done = False

    def advance(self) -> None:
        step = len(self.tree)
        length = step + 1  # generated tokens once this step is taken
        log_probs = self.logits.log_softmax(dim=-1)
        staged = run_stages(self.stages, self.context, log_probs)
        scores = staged[-1] if staged else log_probs
        vocab = scores.shape[-1]
        totals = (scores + self.running_scores[:, None]).view(-1)
        top_scores, top_index = torch.topk(totals, self.width)
        parents = top_index // vocab
        tokens = top_index % vocab
        self.step_data.append(gather_step_data(self.logits, staged, tokens.expand(self.beams, -1), self.params.top_n))
        self.step_rows.append(list(self.running_nodes))
        ends, reasons = self._ends(parents, tokens, length)
        # The best non-ending continuations run on (those that end rank last).
        keep = torch.topk(top_scores + ends.float() * _DEAD, self.beams).indices

        host_scores = top_scores.tolist()
        host_parents = parents.tolist()
        host_tokens = tokens.tolist()
        host_ends = ends.tolist()
        host_keep = keep.tolist()
        status = ["pruned"] * self.width
        for rank in range(self.beams):
            if host_ends[rank]:
                status[rank] = "finished"
                self._add_finished(step, rank, host_parents[rank], host_tokens[rank], host_scores[rank], reasons[rank])
        for rank in host_keep:
            if not host_ends[rank]:
                status[rank] = "live"
        self.tree.append(
            BeamStep(
                parent=np.asarray([self.running_nodes[p] for p in host_parents], dtype=np.int32),
                token_ids=np.asarray(host_tokens, dtype=np.int64),
                tokens=self.token_text(host_tokens),
                scores=top_scores.cpu().numpy().astype(np.float32),
                status=tuple(status),
            )
        )

        # Prepare the next step: the kept continuations become the running beams.
        self.running_scores = top_scores[keep]
        self.running_nodes = host_keep
        beam_parents = parents[keep]
        self.context = torch.cat([self.context[beam_parents], tokens[keep][:, None]], dim=-1)
        self._update_can_improve(length)
        self.done = (
            length >= self.params.max_new_tokens
            or all(host_ends)
            or not self.can_improve
            or (self.params.early_stopping is True and len(self.finished) == self.beams)
        )
        if not self.done:
            self.cache.reorder_cache(beam_parents)
            logits, self.cache = self.lm.forward(tokens[keep][:, None], self.cache)
            self.logits = logits[:, -1]

    def _ends(self, parents: torch.Tensor, tokens: torch.Tensor, length: int) -> tuple[torch.Tensor, list[str]]:
        """Which continuations end the hypothesis here, and why."""
        if length >= self.params.max_new_tokens:
            return torch.ones_like(tokens, dtype=torch.bool), ["max_new_tokens"] * self.width
        ends = torch.isin(tokens, self.eos)
        reasons = ["eos" if end else "" for end in ends.tolist()]
        if self.params.stop_strings:
            generated = torch.cat([self.context[parents, len(self.prompt_ids) :], tokens[:, None]], dim=-1)
            for rank, ids in enumerate(generated.tolist()):
                text = self.token_text.text(ids)
                if not reasons[rank] and any(stop in text for stop in self.params.stop_strings):
                    reasons[rank] = "stop_string"
            ends = torch.tensor([bool(reason) for reason in reasons], device=tokens.device)
        return ends, reasons

    def _add_finished(self, step: int, rank: int, parent: int, token: int, logprob: float, reason: str) -> None:
        """Enter a finished hypothesis; the list keeps the ``num_beams`` best by penalised score."""
        length = step + 1
        # Divided in float32, as generate does, so that scores compare (and tie) the same way.
        score = float(torch.tensor(logprob, dtype=torch.float32) / (length**self.params.length_penalty))
        prefix = self.context[parent, len(self.prompt_ids) :].tolist()
        path = [*self._path(parent), rank]
        self.finished.append(_Finished(score, logprob, [*prefix, token], path, reason))
        self.finished.sort(key=lambda hypothesis: hypothesis.score, reverse=True)
        del self.finished[self.beams :]

    def _path(self, beam: int) -> list[int]:
        """Candidate indices, step by step, of the running ``beam``'s history."""
        path: list[int] = []
        node = self.running_nodes[beam]
        for tree_step in reversed(self.tree):
            if node < 0:
                break
            path.append(node)
            node = int(tree_step.parent[node])
        return path[::-1]

    def _update_can_improve(self, length: int) -> None:
        """Could a running beam still beat the worst finished hypothesis? (only once the list is full)."""
        if len(self.finished) < self.beams:
            return
        if self.params.early_stopping == "never" and self.params.length_penalty > 0:
            best_length = self.params.max_new_tokens
        else:
            best_length = length
        best_possible = float(self.running_scores[0]) / best_length**self.params.length_penalty
        self.can_improve = self.can_improve and best_possible > self.finished[-1].score

    def result(self) -> SamplingResult:
        returned = self.finished[: self.params.num_return_sequences] if self.done else []
        sequences = tuple(
            BeamSequence(
                token_ids=np.asarray(hypothesis.token_ids, dtype=np.int64),
                text=self.token_text.text(hypothesis.token_ids),
                score=hypothesis.score,
                logprob=hypothesis.logprob,
                path=np.asarray(hypothesis.path, dtype=np.int32),
            )
            for hypothesis in returned
        )
        best = returned[0] if returned else None
        steps = self._best_steps(best) if best else ()
        token_ids = np.asarray(best.token_ids if best else [], dtype=np.int64)
        return SamplingResult(
            params=self.params,
            prompt_ids=np.asarray(self.prompt_ids, dtype=np.int64),
            prompt_tokens=self.token_text(self.prompt_ids),
            token_ids=token_ids,
            tokens=self.token_text(token_ids),
            text=self.token_text.text(token_ids),
            steps=steps,
            stop_reason=best.reason if best else "",
            seed=self.params.seed or 0,
            vocab_size=self.lm.vocab_size,
            logprob=float(sum(record.chosen_logprob for record in steps)),
            beam=BeamTree(num_beams=self.beams, steps=tuple(self.tree)),
            sequences=sequences,
        )

    def _best_steps(self, best: _Finished):
        """Step records along ``best``: at each step, the distribution of the beam it grew from."""
        records = []
        for step, node in enumerate(best.path):
            row = self.step_rows[step].index(int(self.tree[step].parent[node]))
            records.append(
                step_record(self.step_data[step], row, best.token_ids[step], self.stage_names, self.token_text)
            )
        return tuple(records)
