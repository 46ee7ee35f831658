"""How good is a text, or a generation? Perplexity, surprisal, BLEU and ROUGE (book §1.5).

Perplexity and surprisal ask the model; BLEU and ROUGE compare a generation with a reference.
Torch is imported inside ``perplexity`` only, so the GUI can import the parameter and result
classes and score BLEU/ROUGE without it.

Text is split into *units* before n-grams are counted: CJK characters one by one (Chinese
has no spaces, and character n-grams are the usual choice for it), other scripts into words,
and each punctuation mark on its own.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import JobParams, job

if TYPE_CHECKING:
    from workbench.base.jobs import CancelToken, Progress
    from workbench.core.context import CoreContext

# -- perplexity and surprisal --------------------------------------------------------


@dataclass(frozen=True)
class PerplexityParams(JobParams, kind="perplexity"):
    """Job: perplexity of ``text`` under the loaded model, with each token's surprisal."""

    text: str = ""
    window: int = field(default=0, metadata={"help": "tokens per window (0 = the model's context)"})
    """Tokens the model sees at once; 0 = its whole context."""
    stride: int = field(default=0, metadata={"help": "window step (0 = half a window)"})
    """How far the window moves; 0 = half a window. Smaller is slower and gives each token more context."""

    def validate(self) -> None:
        if not self.text.strip():
            raise InvalidParameters("The text is empty: paste the text whose perplexity you want.")
        if self.window < 0 or self.stride < 0:
            raise InvalidParameters("Window and stride must be positive (or 0 for the defaults).")
        if self.window and self.stride >= self.window:
            raise InvalidParameters(
                f"The stride ({self.stride}) must be shorter than the window ({self.window}), "
                "so that every window starts with some context."
            )


@dataclass(frozen=True, eq=False)
class PerplexityResult:
    token_ids: np.ndarray
    tokens: tuple[str, ...]
    nll: np.ndarray
    """float64 [T]: each token's surprisal ``-ln p(token | preceding tokens)`` in nats; NaN for the
    first token, which has no context to be predicted from."""
    perplexity: float
    """``exp(mean nll)`` over the scored tokens (book §1.5)."""
    window: int
    stride: int

    @property
    def mean_nll(self) -> float:
        return float(np.nanmean(self.nll))

    @property
    def surprisal_bits(self) -> np.ndarray:
        return self.nll / math.log(2)


def perplexity(
    model: Any,
    tokenizer: Any,
    text: str,
    *,
    window: int = 0,
    stride: int = 0,
    progress: Callable[[float, str, Any], None] | None = None,
    cancel: CancelToken | None = None,
) -> PerplexityResult:
    """Perplexity ``exp(-1/T Σ ln p(x_t | x_<t))`` of ``text`` (book §1.5), sliding a window over long texts.

    A text longer than the window is read in windows that start ``stride`` tokens apart;
    each token is scored once, in the first window that contains it as a new token, so it
    is predicted from at least ``window - stride`` preceding tokens (all of them near the
    start).  This is the usual strided evaluation of fixed-context models.
    """
    import torch

    PerplexityParams(text=text, window=window, stride=stride).validate()
    ids = list(tokenizer(text)["input_ids"])
    if len(ids) < 2:
        raise InvalidParameters("The text is a single token; perplexity needs at least two.")
    context = getattr(model.config, "max_position_embeddings", None) or getattr(model.config, "n_positions", None)
    window = window or context or len(ids)
    if context is not None and window > context:
        raise InvalidParameters(f"The window ({window}) is longer than the model's context ({context}).")
    if window < 2:
        raise InvalidParameters("The window must hold at least two tokens.")
    stride = stride or max(1, window // 2)
    PerplexityParams(text=text, window=window, stride=stride).validate()
    device = next(model.parameters()).device
    nll = np.full(len(ids), np.nan)
    scored_to = 1  # tokens before this index are scored (token 0 never is)
    starts = list(range(0, max(1, len(ids) - window + stride), stride))
    with torch.inference_mode():
        for number, start in enumerate(starts):
            if cancel is not None:
                cancel.raise_if_cancelled()
            end = min(start + window, len(ids))
            chunk = torch.tensor([ids[start:end]], device=device)
            log_probs = model(input_ids=chunk).logits[0].float().log_softmax(dim=-1)
            first = max(scored_to, start + 1)
            targets = chunk[0, first - start :]
            picked = log_probs[first - start - 1 : end - start - 1].gather(-1, targets[:, None])[:, 0]
            nll[first:end] = -picked.double().cpu().numpy()
            scored_to = end
            if progress is not None:
                progress((number + 1) / len(starts), f"window {number + 1}/{len(starts)}", None)
            if end == len(ids):
                break
    tokens = tuple(tokenizer.batch_decode([[i] for i in ids], clean_up_tokenization_spaces=False))
    return PerplexityResult(
        token_ids=np.asarray(ids, dtype=np.int64),
        tokens=tokens,
        nll=nll,
        perplexity=float(np.exp(np.nanmean(nll))),
        window=window,
        stride=stride,
    )


@job(PerplexityParams)
def run_perplexity_job(
    ctx: CoreContext, params: PerplexityParams, progress: Progress, cancel: CancelToken
) -> PerplexityResult:
    session = ctx.require_model()
    return perplexity(
        session.require_loaded(),
        session.tokenizer,
        params.text,
        window=params.window,
        stride=params.stride,
        progress=progress,
        cancel=cancel,
    )


# -- text units ----------------------------------------------------------------------

_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ffff"
_UNIT = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+|[^\w\s]")


def text_units(text: str, *, lowercase: bool = True) -> list[str]:
    """Words, single CJK characters and single punctuation marks, in order."""
    return _UNIT.findall(text.lower() if lowercase else text)


def ngram_counts(units: Sequence[str], n: int) -> Counter[tuple[str, ...]]:
    return Counter(tuple(units[i : i + n]) for i in range(len(units) - n + 1))


# -- BLEU ------------------------------------------------------------------------------

Smoothing = Literal["exp", "add1", "none"]


@dataclass(frozen=True)
class BleuScore:
    score: float
    """0..1."""
    precisions: tuple[float, ...]
    """Modified (clipped) n-gram precisions, after smoothing; orders the candidate is too short for are left out."""
    brevity_penalty: float
    candidate_length: int
    reference_length: int


def bleu(
    candidate: str,
    references: str | Sequence[str],
    *,
    max_n: int = 4,
    smoothing: Smoothing = "exp",
    lowercase: bool = True,
) -> BleuScore:
    """Sentence BLEU (Papineni et al. 2002; book §1.5): BP · exp(mean ln p_n), n = 1..max_n.

    p_n is the modified precision: candidate n-grams matched in a reference, each counted at
    most as often as it occurs in the one reference that has it most.  BP = exp(1 - r/c)
    when the candidate (length c) is shorter than the reference closest in length (r).
    One sentence often has no 4-gram match, which would make BLEU 0, so precisions are
    smoothed: ``exp`` (Chen & Cherry 2014, method 3; sacreBLEU's default) gives the k-th
    zero-match order 1 / (2^k · its n-gram count), ``add1`` adds one to the matches and the
    count of every order above 1 (Lin & Och 2004), ``none`` keeps the zeros.
    """
    refs = [references] if isinstance(references, str) else list(references)
    if not refs:
        raise InvalidParameters("BLEU needs at least one reference.")
    cand = text_units(candidate, lowercase=lowercase)
    ref_units = [text_units(ref, lowercase=lowercase) for ref in refs]
    c = len(cand)
    r = min((len(units) for units in ref_units), key=lambda length: (abs(length - c), length))
    precisions = []
    zero_orders = 0
    for n in range(1, max_n + 1):
        counts = ngram_counts(cand, n)
        total = sum(counts.values())
        if total == 0:
            break  # the candidate is shorter than n: this order says nothing
        most: Counter[tuple[str, ...]] = Counter()
        for units in ref_units:
            most |= ngram_counts(units, n)
        matches = sum(min(count, most[gram]) for gram, count in counts.items())
        if smoothing == "add1" and n > 1:
            precisions.append((matches + 1) / (total + 1))
        elif matches == 0 and smoothing == "exp":
            zero_orders += 1
            precisions.append(1 / (2**zero_orders * total))
        else:
            precisions.append(matches / total)
    brevity = 1.0 if c > r else (math.exp(1 - r / c) if c else 0.0)
    if not precisions or min(precisions) == 0:
        score = 0.0
    else:
        score = brevity * math.exp(sum(math.log(p) for p in precisions) / len(precisions))
    return BleuScore(score, tuple(precisions), brevity, c, r)


# -- ROUGE -----------------------------------------------------------------------------


@dataclass(frozen=True)
class RougeScore:
    precision: float
    recall: float
    f1: float


def _scores(overlap: float, candidate_total: int, reference_total: int) -> RougeScore:
    precision = overlap / candidate_total if candidate_total else 0.0
    recall = overlap / reference_total if reference_total else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return RougeScore(precision, recall, f1)


def rouge_n(candidate: str, reference: str, n: int = 1, *, lowercase: bool = True) -> RougeScore:
    """ROUGE-N (Lin 2004): overlap of n-grams, as recall against the reference, precision and F1."""
    cand = ngram_counts(text_units(candidate, lowercase=lowercase), n)
    ref = ngram_counts(text_units(reference, lowercase=lowercase), n)
    overlap = sum((cand & ref).values())
    return _scores(overlap, sum(cand.values()), sum(ref.values()))


def rouge_l(candidate: str, reference: str, *, lowercase: bool = True) -> RougeScore:
    """ROUGE-L (Lin 2004): the longest common subsequence as recall, precision and F1."""
    cand = text_units(candidate, lowercase=lowercase)
    ref = text_units(reference, lowercase=lowercase)
    return _scores(longest_common_subsequence(cand, ref), len(cand), len(ref))


def longest_common_subsequence(a: Sequence[str], b: Sequence[str]) -> int:
    """Length of the LCS by dynamic programming over one row (O(len(a)·len(b)) time)."""
    row = [0] * (len(b) + 1)
    for item in a:
        diagonal = 0
        for j, other in enumerate(b, start=1):
            above = row[j]
            row[j] = diagonal + 1 if item == other else max(above, row[j - 1])
            diagonal = above
    return row[-1]
