"""The book's properties of an edit (§5.1.3), measured before and after it.

Each prompt is checked under teacher forcing: it is *correct* when every token of the
expected answer is the model's top-1 prediction given the prompt and the answer's earlier
tokens (exact match, as EasyEdit and the ROME/MEMIT papers' "efficacy" do).  The expected
answer is the new object for accuracy (edit prompt), generality (paraphrases) and
portability (related questions with their own new answers); for locality it is what the
model answered on the neighbourhood prompt *before* the edit — the edit must leave it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import torch
from torch import nn

from workbench.core.editing.cases import EditCase
from workbench.core.editing.params import EditMetrics, PromptCheck
from workbench.core.model.kv_cache import returned_cache, with_cache
from workbench.core.model.logits_keep import keep_last
from workbench.core.tracing.prompt import needs_space

METRICS: tuple[str, ...] = ("accuracy", "generality", "portability", "locality")


@dataclass
class Probe:
    """One prompt measured on one state of the model."""

    prompt: str
    expected: str
    answer: str
    """Greedy continuation, as many tokens as ``expected``."""
    correct: bool
    p_expected: float


@dataclass
class CaseProbe:
    """A case measured on one state of the model: metric name → probes."""

    probes: dict[str, list[Probe]] = field(default_factory=dict)

    @property
    def locality_answers(self) -> list[str]:
        """The neighbourhood prompts' answers: what locality expects after the edit."""
        return [probe.answer for probe in self.probes.get("locality", [])]


def answer_token_ids(tokenizer: Any, prompt: str, answer: str) -> tuple[list[int], list[int]]:
    """Prompt ids and the answer's ids as the model reads them right after the prompt.

    Targets keep their leading space (" Paris"); a bare word after an ASCII prompt gets one,
    while "北京是" + "中国" stays joined, as in the tracing lab.
    """
    text = (" " if needs_space(prompt, answer) else "") + answer
    prompt_ids = list(tokenizer(prompt)["input_ids"])
    full_ids = list(tokenizer(prompt + text)["input_ids"])
    if full_ids[: len(prompt_ids)] == prompt_ids and len(full_ids) > len(prompt_ids):
        return prompt_ids, full_ids[len(prompt_ids) :]
    return prompt_ids, list(tokenizer(text, add_special_tokens=False)["input_ids"])


@torch.inference_mode()
def teacher_forced(model: nn.Module, prompt_ids: list[int], answer_ids: list[int]) -> tuple[bool, float]:
    """(every answer token top-1, p(answer) = product of its token probabilities)."""
    device = next(model.parameters()).device
    ids = torch.tensor([prompt_ids + answer_ids[:-1]], device=device)
    logits = model(ids, use_cache=False, **keep_last(model, len(answer_ids))).logits[0, -len(answer_ids) :].float()
    log_probs = torch.log_softmax(logits, dim=-1)
    wanted = torch.tensor(answer_ids, device=device)
    top = log_probs.argmax(dim=-1)
    log_p = float(log_probs.gather(1, wanted[:, None]).sum())
    return bool((top == wanted).all()), math.exp(log_p)


@torch.inference_mode()
def greedy_ids(model: nn.Module, prompt_ids: list[int], count: int) -> list[int]:
    """The next ``count`` tokens by greedy decoding (with the KV cache)."""
    device = next(model.parameters()).device
    step_ids = torch.tensor([prompt_ids], device=device)
    past = None
    chosen: list[int] = []
    for _ in range(count):
        out = model(step_ids, use_cache=True, **with_cache(model, past), **keep_last(model))
        past = returned_cache(out)
        chosen.append(int(out.logits[0, -1].argmax()))
        step_ids = torch.tensor([[chosen[-1]]], device=device)
    return chosen


def probe(model: nn.Module, tokenizer: Any, prompt: str, expected: str) -> Probe:
    prompt_ids, answer_ids = answer_token_ids(tokenizer, prompt, expected)
    correct, p = teacher_forced(model, prompt_ids, answer_ids)
    continuation = answer_ids if correct else greedy_ids(model, prompt_ids, len(answer_ids))
    return Probe(prompt, expected, tokenizer.decode(continuation), correct, p)


def own_answer(model: nn.Module, tokenizer: Any, prompt: str, length_like: str) -> Probe:
    """The model's greedy answer to ``prompt``, as many tokens as ``length_like`` takes there."""
    prompt_ids, like_ids = answer_token_ids(tokenizer, prompt, length_like)
    answer_ids = greedy_ids(model, prompt_ids, max(1, len(like_ids)))
    _, p = teacher_forced(model, prompt_ids, answer_ids)
    answer = tokenizer.decode(answer_ids)
    return Probe(prompt, answer, answer, True, p)


def evaluate_case(
    model: nn.Module,
    tokenizer: Any,
    case: EditCase,
    before_answers: list[str] | None = None,
) -> CaseProbe:
    """Measure ``case`` on the model as it is now.

    ``before_answers`` are the neighbourhood answers measured before the edit (the
    ``locality_answers`` of the earlier probe); ``None`` means this *is* the before probe,
    and the neighbourhood answers are taken from the model (as long as the case's true
    object, in tokens).
    """
    request = case.request
    probes: dict[str, list[Probe]] = {
        "accuracy": [probe(model, tokenizer, request.rendered(), request.target_new)],
        "generality": [probe(model, tokenizer, p, request.target_new) for p in case.paraphrase_prompts],
        "portability": [probe(model, tokenizer, p.prompt, p.target_new) for p in case.portability_prompts],
    }
    if before_answers is None:
        length_like = request.target_true or request.target_new
        probes["locality"] = [own_answer(model, tokenizer, p, length_like) for p in case.neighborhood_prompts]
    else:
        probes["locality"] = [
            probe(model, tokenizer, p, answer) for p, answer in zip(case.neighborhood_prompts, before_answers)
        ]
    return CaseProbe(probes)


def compare(before: CaseProbe, after: CaseProbe) -> dict[str, list[PromptCheck]]:
    """Before and after side by side, per metric.  For locality the expected answer is the
    before answer, so ``correct_before`` is true by construction."""
    checks: dict[str, list[PromptCheck]] = {}
    for name in METRICS:
        checks[name] = [
            PromptCheck(
                prompt=b.prompt,
                expected=a.expected,
                before=b.answer,
                after=a.answer,
                correct_before=b.correct,
                correct_after=a.correct,
                p_expected_before=b.p_expected,
                p_expected_after=a.p_expected,
            )
            for b, a in zip(before.probes.get(name, []), after.probes.get(name, []))
        ]
    return checks


def fraction_correct(checks: list[PromptCheck]) -> float:
    return sum(check.correct_after for check in checks) / len(checks) if checks else math.nan


def edit_metrics(
    before: CaseProbe,
    after: CaseProbe,
    *,
    fluency_before: float = math.nan,
    fluency_after: float = math.nan,
    seconds: float = math.nan,
    peak_memory_mb: float = math.nan,
) -> EditMetrics:
    checks = compare(before, after)
    return EditMetrics(
        accuracy=fraction_correct(checks["accuracy"]),
        generality=fraction_correct(checks["generality"]),
        portability=fraction_correct(checks["portability"]),
        locality=fraction_correct(checks["locality"]),
        fluency_before=fluency_before,
        fluency_after=fluency_after,
        seconds=seconds,
        peak_memory_mb=peak_memory_mb,
        checks=checks,
    )


def mean_metrics(metrics: list[EditMetrics]) -> dict[str, float]:
    """Each property averaged over cases, ignoring cases without prompts of that kind."""
    names = (*METRICS, "fluency_before", "fluency_after", "seconds", "peak_memory_mb")
    means: dict[str, float] = {}
    for name in names:
        values = [getattr(m, name) for m in metrics if not math.isnan(getattr(m, name))]
        means[name] = sum(values) / len(values) if values else math.nan
    return means
