"""What a person asks of the Sampling lab: strategy, sampler pipeline, knobs, seed, stops.

Torch-free: the panel's form, the CLI flags and the stored run all use these dataclasses.
Defaults are those of ``transformers`` ``GenerationConfig`` (greedy; top-k 50 when sampling;
every other knob neutral), so a setting means the same here as in ``generate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Literal

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import JobParams

Strategy = Literal["greedy", "sample", "beam"]
STRATEGIES: tuple[str, ...] = ("greedy", "sample", "beam")

PROCESSORS: tuple[str, ...] = ("repetition_penalty", "no_repeat_ngram")
"""Stages that apply to every strategy and always come first, in this order (as in ``transformers``)."""

WARPERS: tuple[str, ...] = ("temperature", "top_k", "top_p", "min_p", "typical")
"""Stages that only shape the distribution a token is *sampled* from; their order is the user's."""

DEFAULT_PIPELINE: tuple[str, ...] = WARPERS
"""``transformers``' own order: temperature, then top-k, top-p, min-p, typical."""


@dataclass(frozen=True)
class SamplingParams(JobParams, kind="sample"):
    """Job: generate a continuation of ``prompt`` and record every step (book §1.4)."""

    prompt: str = ""
    chat_template: bool = True
    """Wrap the prompt as a user turn in the model's chat template (with the assistant's
    opening), the format an instruct model was trained on; a model without a template gets
    the prompt as it is."""
    strategy: Strategy = "greedy"
    max_new_tokens: int = 32
    # -- sampler pipeline (book §1.4.2; Holtzman et al. 2020; Meister et al. 2023; Nguyen et al. 2024)
    temperature: float = 1.0
    top_k: int = field(default=50, metadata={"help": "0 = off", "min": 0})
    """0 switches top-k off; 50 is ``transformers``' default when sampling."""
    top_p: float = 1.0
    min_p: float = 0.0
    typical_p: float = 1.0
    pipeline: tuple[str, ...] = field(
        default=DEFAULT_PIPELINE,
        metadata={"help": f"order of the warpers, comma-separated (default: {','.join(WARPERS)})"},
    )
    """Order in which the warpers run; a warper left out is not applied."""
    # -- processors (all strategies)
    repetition_penalty: float = 1.0
    """CTRL's penalty (Keskar et al. 2019): logits of tokens already present are divided by it."""
    no_repeat_ngram_size: int = 0
    # -- beam search (book §1.4.1)
    num_beams: int = 4
    """Beams when the strategy is ``beam`` (``transformers``' default of 1 would just be greedy)."""
    length_penalty: float = 1.0
    """Finished beams are ranked by sum of log-probs / length ** length_penalty."""
    early_stopping: bool | Literal["never"] = field(default=False, metadata={"choices": (False, True, "never")})
    num_return_sequences: int = 1
    # -- run control
    seed: int | None = 0
    """Seed of the sampler's random generator; ``None`` draws one (recorded in the result)."""
    stop_strings: tuple[str, ...] = field(
        default=(),
        metadata={"cli": "--stop", "repeatable": True, "metavar": "TEXT", "help": "stop string (repeatable)"},
    )
    stop_at_eos: bool = field(
        default=True,
        metadata={"cli_off": "--ignore-eos", "help": "stop at the end-of-sequence token (--ignore-eos: keep going)"},
    )
    top_n: int = field(default=20, metadata={"help": "candidates recorded per step"})
    """How many candidates each step record keeps (plus the chosen token when it is not among them)."""
    forced_prefix_ids: tuple[int, ...] = ()
    """Tokens taken as the first generated ones, e.g. to branch from an alternative at step i."""

    def validate(self) -> None:
        """Raise ``InvalidParameters`` with a sentence a person understands; checks that need no model."""
        problems = list(self._problems())
        if problems:
            raise InvalidParameters(problems[0])

    def _problems(self):
        if not self.prompt.strip():
            yield "The prompt is empty: type the text the model should continue."
        if self.strategy not in STRATEGIES:
            yield f"Unknown strategy '{self.strategy}'; choose one of {', '.join(STRATEGIES)}."
        if not 1 <= self.max_new_tokens <= 4096:
            yield f"Max new tokens must be between 1 and 4096, not {self.max_new_tokens}."
        if not self.temperature > 0:
            yield f"Temperature must be greater than 0, not {self.temperature} (use greedy for 'temperature 0')."
        if self.top_k < 0:
            yield f"Top-k must be 0 (off) or a positive number of tokens, not {self.top_k}."
        if not 0 < self.top_p <= 1:
            yield f"Top-p must be in (0, 1], not {self.top_p}."
        if not 0 <= self.min_p <= 1:
            yield f"Min-p must be in [0, 1], not {self.min_p}."
        if not 0 < self.typical_p <= 1:
            yield f"Typical-p must be in (0, 1], not {self.typical_p}."
        unknown = [name for name in self.pipeline if name not in WARPERS]
        if unknown or len(set(self.pipeline)) != len(self.pipeline):
            yield (f"The sampler pipeline {list(self.pipeline)} must list each of {', '.join(WARPERS)} at most once.")
        if not self.repetition_penalty > 0:
            yield f"Repetition penalty must be greater than 0 (1 = off), not {self.repetition_penalty}."
        if self.no_repeat_ngram_size < 0:
            yield f"No-repeat n-gram size must be 0 (off) or positive, not {self.no_repeat_ngram_size}."
        if self.strategy == "beam" and self.num_beams < 1:
            yield f"Beam search needs at least one beam, not {self.num_beams}."
        if self.early_stopping not in (True, False, "never"):
            yield f"Early stopping must be true, false or 'never', not {self.early_stopping!r}."
        if self.num_return_sequences < 1 or (
            self.num_return_sequences > (self.num_beams if self.strategy == "beam" else 1)
        ):
            yield (
                "Only beam search returns several sequences, at most one per beam "
                f"({self.num_return_sequences} asked); use side by side to compare samples."
            )
        if self.seed is not None and self.seed < 0:
            yield f"The seed must be a non-negative integer, not {self.seed}."
        if any(not text for text in self.stop_strings):
            yield "A stop string is empty; remove it or type the text that should end generation."
        if not 1 <= self.top_n <= 1000:
            yield f"Recorded candidates per step (top-N) must be between 1 and 1000, not {self.top_n}."
        if any(token_id < 0 for token_id in self.forced_prefix_ids):
            yield "Forced token ids must be non-negative."
        if len(self.forced_prefix_ids) > self.max_new_tokens:
            yield (
                f"The forced prefix has {len(self.forced_prefix_ids)} tokens but only "
                f"{self.max_new_tokens} new tokens are allowed."
            )

    def active_processors(self) -> tuple[str, ...]:
        """Processors that change anything with these settings, in application order."""
        active = {
            "repetition_penalty": self.repetition_penalty != 1.0,
            "no_repeat_ngram": self.no_repeat_ngram_size > 0,
        }
        return tuple(name for name in PROCESSORS if active[name])

    def active_warpers(self) -> tuple[str, ...]:
        """Warpers in pipeline order that change anything; none unless the strategy samples."""
        if self.strategy != "sample":
            return ()
        active = {
            "temperature": self.temperature != 1.0,
            "top_k": self.top_k > 0,
            "top_p": self.top_p < 1.0,
            "min_p": self.min_p > 0.0,
            "typical": self.typical_p < 1.0,
        }
        return tuple(name for name in self.pipeline if active[name])

    def active_stages(self) -> tuple[str, ...]:
        return self.active_processors() + self.active_warpers()


@dataclass(frozen=True)
class SideBySideParams(JobParams, kind="sample_side_by_side"):
    """Job: several configurations (or seeds) on one prompt, to see where their paths part."""

    prompt: str = ""
    configs: tuple[SamplingParams, ...] = ()
    """Each configuration's own prompt is replaced by ``prompt``."""

    def validate(self) -> None:
        if not self.configs:
            raise InvalidParameters("Side by side needs at least one configuration.")
        for config in self.resolved_configs():
            config.validate()

    def resolved_configs(self) -> tuple[SamplingParams, ...]:
        return tuple(replace(config, prompt=self.prompt) for config in self.configs)


@dataclass(frozen=True)
class SamplingStepParams(JobParams, kind="sample_step"):
    """Job: advance a step-mode session by ``steps`` tokens (one per click in a demo).

    The session (KV cache, random generator) stays alive in the worker between jobs under
    ``session_key``; ``restart`` throws the old one away and starts again from ``params``.
    Step jobs are not stored as runs; the panel stores the final snapshot.
    """

    params: SamplingParams = SamplingParams()
    session_key: str = "default"
    steps: int = 1
    restart: bool = False
