"""What a causal trace asks for: the job-parameter dataclasses and the window rule.

Torch-free, so the tracing panel can build parameters (and the store can keep them) without
importing torch.  Defaults follow the book (§5.4.1) and ROME (Meng et al. 2022): noise of
3σ on the subject's embeddings, 10 noise samples, a window of 10 layers in deep models.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import JobParams
from workbench.core.tracing.facts import Fact

if TYPE_CHECKING:
    from workbench.core.tracing.results import TraceResult

TRACE_KINDS: tuple[str, ...] = ("hidden", "mlp", "attn")
"""What a cell restores: the block's output (hidden state), or the MLP / attention outputs
over a window of layers centred on the cell's layer."""

NOISE_KINDS: tuple[str, ...] = ("gaussian", "uniform", "replace")
"""Gaussian and uniform noise of the same standard deviation added to the subject's
embeddings, or the subject tokens' embeddings replaced by those of random other tokens."""

METHODS: tuple[str, ...] = ("fast", "straightforward")

DEEP_MODEL_LAYERS = 24
"""From this depth on the window is ROME's 10 layers (GPT-J has 28, GPT-2 XL 48)."""


def default_window(num_layers: int) -> int:
    """The number of layers an MLP/attention cell restores when the user does not say.

    ROME restores 10 layers around the cell in GPT-2 XL (48 layers) and GPT-J (28 layers).
    In a shallow model 10 layers would be the whole network and every cell would look the
    same, so below ``DEEP_MODEL_LAYERS`` the window is about a fifth of the depth (2 for the
    6-layer demo model, 3 for a 12-layer GPT-2 small, at least 1).
    """
    if num_layers >= DEEP_MODEL_LAYERS:
        return 10
    return max(1, math.ceil(num_layers / 5))


def window_layers(layer: int, window: int, num_layers: int) -> range:
    """The layers restored for the cell at ``layer``: ``window`` layers centred on it,
    clipped at both ends of the network (ROME's ``layer - window // 2`` to
    ``layer + ceil(window / 2)``)."""
    return range(max(0, layer - window // 2), min(num_layers, layer + (window + 1) // 2))


@dataclass(frozen=True)
class NoiseParams:
    """How the subject is corrupted and how many noise samples each cell averages over."""

    samples: int = field(default=10, metadata={"help": "noise samples per cell"})
    noise: float = field(default=3.0, metadata={"help": "noise level in multiples of σ"})
    """Noise standard deviation as a multiple of σ, the std of the embedding output."""
    noise_kind: str = field(default="gaussian", metadata={"help": f"one of {', '.join(NOISE_KINDS)}"})
    seed: int = 0
    """Seeds the noise: the same seed gives the same samples, whatever method computes them."""

    def check_noise(self) -> None:
        if self.samples < 1:
            raise InvalidParameters("The number of noise samples must be at least 1.")
        if not self.noise >= 0:
            raise InvalidParameters("The noise level must be a number ≥ 0 (a multiple of σ).")
        if self.noise_kind not in NOISE_KINDS:
            raise InvalidParameters(f"Unknown noise kind '{self.noise_kind}'; choose one of {', '.join(NOISE_KINDS)}.")


@dataclass(frozen=True)
class CorruptionParams(NoiseParams):
    """A prompt, its subject and the target token: everything a single-prompt trace shares."""

    prompt: str = ""
    subject: str = field(default="", metadata={"help": "the subject as it appears in the prompt"})
    """The subject as text (found in the prompt); ignored when ``subject_span`` is given."""
    subject_span: tuple[int, int] | None = field(
        default=None, metadata={"metavar": ("START", "END"), "help": "the subject as token positions [START, END)"}
    )
    """The subject as token positions ``[start, end)``."""
    target: str | None = field(default=None, metadata={"help": "expected object (default: the model's top prediction)"})
    """The expected object (its first token is traced); a warning when the model predicts
    something else.  ``None`` with no ``target_id``: the model's top prediction."""
    target_id: int | None = None
    """The target as a token id (the panel picks it from the top predictions)."""
    reference_texts: tuple[str, ...] = ()
    """Texts over which σ is measured; empty = the prompt itself."""

    def check_prompt(self) -> None:
        self.check_noise()
        if not self.prompt.strip():
            raise InvalidParameters("The prompt is empty.")
        if self.subject_span is None and not self.subject.strip():
            raise InvalidParameters("Name the subject: give its text or select its tokens.")


@dataclass(frozen=True)
class PredictParams(JobParams, kind="trace_predict"):
    """Job: tokenize a prompt and list the model's top next tokens, before a trace (not stored)."""

    prompt: str = ""
    k: int = 10


@dataclass(frozen=True)
class TraceParams(CorruptionParams, JobParams, kind="trace"):
    """Job: the (token × layer) heatmaps of restored p(target) for each kind."""

    kinds: tuple[str, ...] = field(default=TRACE_KINDS, metadata={"help": "comma-separated: hidden,mlp,attn"})
    window: int | None = field(default=None, metadata={"help": "layers restored per MLP/attention cell"})
    """Layers restored by an MLP/attention cell; ``None`` = ``default_window(num_layers)``."""
    method: str = field(default="fast", metadata={"help": f"one of {', '.join(METHODS)}"})
    """``fast`` (exact, reuses the corrupted run) or ``straightforward`` (one pass per cell)."""

    def check(self) -> None:
        self.check_prompt()
        check_kinds(self.kinds)
        if self.window is not None and self.window < 1:
            raise InvalidParameters("The window must be at least 1 layer.")
        if self.method not in METHODS:
            raise InvalidParameters(f"Unknown method '{self.method}'; choose fast or straightforward.")


@dataclass(frozen=True)
class RestoredTopKParams(TraceParams, kind="trace_cell"):
    """Job: what the model predicts when one cell is restored (the panel's clicked cell)."""

    token: int = -1
    """Token position of the cell (negative counts from the end)."""
    layer: int = 0
    kind: str = "hidden"
    k: int = 10

    @classmethod
    def for_cell(cls, trace: TraceParams, result: TraceResult, kind: str, token: int, layer: int) -> RestoredTopKParams:
        """One cell of a finished trace: its setup with the subject and target the trace
        found, restoring only ``kind``, so the cell's p(target) is the heatmap's."""
        fields = _pinned_to(result, _fields_of(trace, TraceParams))
        return cls(**{**fields, "kinds": (kind,)}, token=token, layer=layer, kind=kind)


@dataclass(frozen=True)
class SeveringParams(CorruptionParams, JobParams, kind="trace_severing"):
    """Job: 阻断 — the hidden-state effect at one token with later MLP or attention outputs
    frozen at their corrupted values (book §5.4.1; ROME Fig. 3)."""

    token: int | None = None
    """Token whose hidden states are restored; ``None`` = the last subject token."""

    @classmethod
    def for_trace(cls, trace: CorruptionParams, result: TraceResult, token: int | None = None) -> SeveringParams:
        """Severing at ``token`` of a finished trace's prompt, corrupted as that trace was
        and with the subject and target it found, so its curves match the heatmaps."""
        return cls(**_pinned_to(result, _fields_of(trace, CorruptionParams)), token=token)

    def check(self) -> None:
        self.check_prompt()


@dataclass(frozen=True)
class AveragingParams(NoiseParams, JobParams, kind="trace_average"):
    """Job: the average indirect effect by layer and token group over a fact set."""

    facts_path: str = ""
    """A ``facts.jsonl`` file (CounterFact-style records); ignored when ``facts`` is given."""
    facts: tuple[Fact, ...] = ()
    """``Fact`` records given directly (tests, a selection in the panel)."""
    limit: int | None = None
    """Trace at most this many facts (in file order)."""
    only_known: bool = True
    """Skip (and count) facts whose object the clean model does not predict, as ROME averages
    over known facts only."""
    kinds: tuple[str, ...] = TRACE_KINDS
    window: int | None = None

    @classmethod
    def like_trace(
        cls, trace: TraceParams, facts_path: str, limit: int | None, only_known: bool = True
    ) -> AveragingParams:
        """An average over a facts file with a single trace's noise, kinds and window, so
        the averaged heatmaps compare with the one-prompt trace set up beside them."""
        knobs = {**_fields_of(trace, NoiseParams), "kinds": trace.kinds, "window": trace.window}
        return cls(**knobs, facts_path=facts_path, limit=limit, only_known=only_known)

    def check(self) -> None:
        self.check_noise()
        check_kinds(self.kinds)
        if not self.facts and not self.facts_path:
            raise InvalidParameters("Choose a facts file (JSON lines with subject, prompt and target_true).")
        if self.limit is not None and self.limit < 1:
            raise InvalidParameters("The fact limit must be at least 1.")
        if self.window is not None and self.window < 1:
            raise InvalidParameters("The window must be at least 1 layer.")


DEMO_AVERAGE_FACTS = 40
"""Facts the averaged trace takes by default: enough for smooth heatmaps (about 24 s on two CPU cores)."""
QUICK_DEMO_AVERAGE_FACTS = 12
"""The "Quick demo" preset's facts: already shows the averaged pattern (the MLP peak at the last
subject token in the early-middle layers) in a few seconds rather than the default's half minute."""
QUICK_DEMO_AVERAGE_SECONDS = 4
"""What the quick average took on the demo model on two busy CPU cores (``tests/bench/bench_quick_presets.py``)."""


def check_kinds(kinds: tuple[str, ...]) -> None:
    unknown = [kind for kind in kinds if kind not in TRACE_KINDS]
    if unknown or not kinds:
        raise InvalidParameters(
            f"Unknown trace kind(s) {', '.join(unknown) or '(none given)'}; choose among {', '.join(TRACE_KINDS)}."
        )


def _fields_of(params: Any, base: type) -> dict[str, Any]:
    """``params``' values of the fields declared by ``base`` (one of its classes)."""
    return {field.name: getattr(params, field.name) for field in dataclasses.fields(base)}


def _pinned_to(result: TraceResult, fields: dict[str, Any]) -> dict[str, Any]:
    """``fields`` with the subject and target a finished trace resolved, so a follow-up
    job corrupts the same tokens and scores the same token even if the text is ambiguous."""
    return {**fields, "subject_span": tuple(result.subject_range), "target": None, "target_id": result.target_id}
