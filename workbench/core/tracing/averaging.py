"""The averaged causal trace over a fact set (book §5.4.1; ROME Fig. 2).

One prompt's heatmap is noisy; averaged over many facts, the indirect effect (restored
p(target) minus corrupted p(target)) shows the pattern ROME reports: an early site at the
last subject token in the middle layers (MLP) and a late site at the last token
(attention).  Tokens are grouped by their role — first / middle / last subject token, first
subsequent token, further tokens, last token — so prompts of different lengths average.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import numpy as np
from torch import nn

from workbench.base.jobs import CancelToken
from workbench.core.model.arch import ArchAdapter
from workbench.core.tracing.facts import Fact, load_facts
from workbench.core.tracing.fast import RestoredRunner, fast_scores
from workbench.core.tracing.noise import embedding_std
from workbench.core.tracing.params import AveragingParams, TraceParams, default_window
from workbench.core.tracing.results import TOKEN_GROUPS, AveragingResult
from workbench.core.tracing.runs import set_up_trace


def token_groups(subject_range: tuple[int, int], num_tokens: int) -> list[list[int]]:
    """For each of ``TOKEN_GROUPS``, the token positions averaged into it (maybe none).

    The last token belongs to "last token" alone; when the subject ends the prompt, it is
    also the last subject token, as in ROME's grouping.
    """
    start, end = subject_range
    last = num_tokens - 1
    return [
        [start],
        list(range(start + 1, end - 1)),
        [end - 1],
        [end] if end < last else [],
        list(range(end + 1, last)),
        [last],
    ]


def average_effects(
    model: nn.Module,
    tokenizer: Any,
    adapter: ArchAdapter,
    params: AveragingParams,
    progress: Callable[..., Any] | None = None,
    cancel: CancelToken | None = None,
    *,
    batch_tokens: int | None = None,
) -> AveragingResult:
    """Trace every fact (fast method) and average the indirect effects by token group.

    σ is measured once over all the facts' texts so every fact gets the same noise level;
    ``progress`` receives an ``AveragingResult`` snapshot after each fact.
    """
    params.check()
    started = time.perf_counter()
    report = progress if progress is not None else (lambda *args, **kwargs: None)
    facts: list[Fact] = list(params.facts) if params.facts else load_facts(params.facts_path, params.limit)
    facts = facts[: params.limit] if params.limit is not None else facts
    num_layers = adapter.num_layers(model)
    window = params.window or default_window(num_layers)
    kinds = tuple(params.kinds)
    sigma = embedding_std(model, adapter, tokenizer, [fact.text for fact in facts])
    sums = {kind: np.zeros((len(TOKEN_GROUPS), num_layers)) for kind in kinds}
    counts = np.zeros(len(TOKEN_GROUPS), dtype=np.int64)
    highs: list[float] = []
    lows: list[float] = []
    skipped: list[str] = []

    def snapshot(complete: bool) -> AveragingResult:
        with np.errstate(invalid="ignore", divide="ignore"):
            effects = {kind: sums[kind] / counts[:, None] for kind in kinds}
        return AveragingResult(
            kinds=kinds,
            num_layers=num_layers,
            groups=TOKEN_GROUPS,
            effects=effects,
            group_counts=counts.copy(),
            facts_total=len(facts),
            facts_traced=len(highs),
            facts_skipped=len(skipped),
            mean_high=float(np.mean(highs)) if highs else float("nan"),
            mean_low=float(np.mean(lows)) if lows else float("nan"),
            skipped_subjects=list(skipped),
            seconds=time.perf_counter() - started,
            complete=complete,
        )

    latest = snapshot(False)
    for index, fact in enumerate(facts):
        if cancel is not None:
            cancel.raise_if_cancelled()
        fact_params = TraceParams(
            prompt=fact.text,
            subject=fact.subject,
            target=fact.target,
            samples=params.samples,
            noise=params.noise,
            noise_kind=params.noise_kind,
            seed=params.seed + index,
            kinds=kinds,
            window=window,
        )
        setup = set_up_trace(model, tokenizer, adapter, fact_params, sigma=sigma)
        if params.only_known and int(setup.clean.probs.argmax()) != setup.target_id:
            skipped.append(fact.subject)
            latest = snapshot(False)
            report((index + 1) / len(facts), f"Fact {index + 1}/{len(facts)}: not known, skipped", latest)
            continue
        runner = RestoredRunner.for_setup(model, adapter, setup, batch_tokens=batch_tokens, cancel=cancel)

        def inner(
            fraction: float,
            _scores: object,
            _passes: int,
            index: int = index,
            message: str = f"Fact {index + 1}/{len(facts)}: {fact.subject}",
            latest: AveragingResult = latest,
        ) -> None:
            # the last snapshot rides along: a throttled report replaces the pending one
            report((index + fraction) / len(facts), message, latest)

        scores = fast_scores(runner, setup.prompt.subject_range[0], setup.target_id, kinds, window, inner)
        low = float(setup.low_probs.mean())
        groups = token_groups(setup.prompt.subject_range, setup.prompt.length)
        for kind in kinds:
            effect = scores[kind].mean(axis=-1) - low
            for g, positions in enumerate(groups):
                if positions:
                    sums[kind][g] += effect[positions].mean(axis=0)
        counts += np.array([bool(positions) for positions in groups])
        highs.append(setup.high_score)
        lows.append(low)
        latest = snapshot(False)
        report((index + 1) / len(facts), f"Fact {index + 1}/{len(facts)} traced", latest)
    result = snapshot(True)
    report(1.0, f"Averaged {result.facts_traced} facts ({result.facts_skipped} skipped)", result)
    return result
