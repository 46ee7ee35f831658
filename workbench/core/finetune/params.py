"""What the fine-tuning lab asks for and hands back: torch-free dataclasses.

The GUI thread builds these and renders the results without importing torch or peft; the
job functions (`@job` in ``workbench.core.finetune.jobs``) are imported in the worker.
Defaults follow the papers of book §4.5.1 (parameter-efficient fine-tuning): LoRA (Hu et
al., 2021), prompt tuning (Lester et al., 2021), prefix tuning (Li & Liang, 2021), IA3 (Liu
et al., 2022) and BitFit (Ben Zaken et al., 2022).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from workbench.base.jobs import JobParams
from workbench.store import Curve

Method = Literal["lora", "prompt", "prefix", "ia3", "bitfit"]
PEFT_METHODS: tuple[Method, ...] = ("lora", "prompt", "prefix", "ia3")
"""The methods saved in the standard PEFT adapter format (BitFit is not a PEFT type)."""
PROMPT_LEARNING_METHODS: tuple[Method, ...] = ("prompt", "prefix")
"""Methods that add virtual tokens instead of changing layers: they use up context length."""

DEFAULT_LEARNING_RATES: dict[Method, float] = {
    "lora": 1e-3,
    "prompt": 3e-2,
    "prefix": 1e-2,
    "ia3": 5e-3,
    "bitfit": 1e-3,
}
"""Per-method learning rates when none is given.  Soft prompts and IA3's few scale vectors
need much larger steps than LoRA (Lester et al. used 0.3 with Adafactor; T-Few used 3e-3 for
IA3); these values are tuned for the short runs of the demo model."""

CHECKPOINT_DIR = "checkpoint"
"""Sub-folder of a training's ``output_dir`` holding the checkpoint to resume from."""

DEMO_DATA = "demo"
"""``DataConfig.source`` value naming the demo world's fine-tuning set."""


@dataclass(frozen=True)
class MethodConfig:
    """Which PEFT method and its hyper-parameters (only the fields of ``method`` matter)."""

    method: Method = "lora"
    rank: int = field(default=8, metadata={"help": "LoRA rank", "min": 1})
    """LoRA rank r of the update ΔW = B·A (book §4.5.1)."""
    alpha: float = field(default=16.0, metadata={"help": "LoRA alpha"})
    """LoRA scale: ΔW is multiplied by alpha/r (alpha/√r with rsLoRA)."""
    dropout: float = 0.05
    """Dropout on the LoRA branch's input."""
    target_modules: tuple[str, ...] = ()
    """Block-relative module paths (``attn.c_attn``, ``self_attn.q_proj`` …) for LoRA and IA3;
    empty = the paper's choice for the family (LoRA: query and value; IA3: key, value, FFN)."""
    use_rslora: bool = False
    """Rank-stabilised LoRA (Kalajdzievski, 2023): scale by alpha/√r so high ranks still learn."""
    use_dora: bool = False
    """DoRA (Liu et al., 2024): learn a magnitude vector and a LoRA-updated direction."""
    num_virtual_tokens: int = field(default=20, metadata={"cli": "--virtual-tokens"})
    """Soft-prompt length for prompt tuning, prefix length for prefix tuning."""
    prompt_init: Literal["random", "text"] = "random"
    prompt_init_text: str = ""
    """With ``prompt_init="text"``: the soft prompt starts as this text's token embeddings
    (repeated or cut to ``num_virtual_tokens``), which Lester et al. found trains better."""


@dataclass(frozen=True)
class DataConfig:
    """Where the examples come from and how they are cut."""

    source: str = field(
        default=DEMO_DATA,
        metadata={
            "cli": "--data",
            "help": f"JSONL of prompt/completion or text records, a .txt file, or '{DEMO_DATA}'",
        },
    )
    """``"demo"``, or a ``.jsonl`` of ``{"prompt", "completion"}`` / ``{"text"}``, or a ``.txt``."""
    eval_source: str = field(
        default="", metadata={"cli": "--eval-data", "help": "separate evaluation file (default: split off --data)"}
    )
    """A separate evaluation file; empty = split ``eval_fraction`` off ``source`` (the demo
    set has its own evaluation file)."""
    eval_fraction: float = 0.1
    max_length: int = 256
    """Tokens per example; longer ones are cut, text files are split into chunks this long."""
    split_seed: int = 0


@dataclass(frozen=True)
class TrainConfig:
    """The optimisation: AdamW with linear warm-up and linear decay."""

    epochs: float = 8.0
    """Passes over the training set.  Eight, because on the demo model's 480 question/answer
    pairs LoRA at its default rate needs them: after 3 epochs the eval loss is 0.48 (base 7.38)
    yet English answers still come out garbled ("The ans ans."); after 8 it is 0.20 and 98 %
    of held-out answers follow the new format in both languages."""
    max_steps: int = field(default=0, metadata={"help": "stop after this many steps (0 = no limit)", "min": 0})
    """Stop after this many optimiser steps (0 = as many as ``epochs`` take)."""
    batch_size: int = field(default=8, metadata={"min": 1})
    learning_rate: float | None = field(
        default=None, metadata={"cli": "--lr", "help": "learning rate (default: the method's)"}
    )
    """None = ``DEFAULT_LEARNING_RATES[method]``."""
    weight_decay: float = 0.0
    warmup_fraction: float = 0.05
    max_grad_norm: float = 1.0
    eval_every: int = 0
    """Steps between evaluations (0 = ten evaluations over the run)."""
    patience: int = 3
    """Stop after this many evaluations without a lower eval loss and keep the best weights
    (0 = never stop early)."""
    checkpoint_every: int = 100
    """Steps between checkpoints (adapter, optimiser, scheduler, step); 0 = only on cancel."""
    seed: int = 0


@dataclass(frozen=True)
class FinetuneParams(JobParams, kind="finetune"):
    """Job: train an adapter on the session's model, save it as a PEFT folder, apply it."""

    method: MethodConfig = MethodConfig()
    data: DataConfig = DataConfig()
    train: TrainConfig = TrainConfig()
    output_dir: str = field(
        default="", metadata={"cli": "--out", "help": "folder for the adapter (created if missing)"}
    )
    """Folder for the adapter (``adapter_config.json`` + ``adapter_model.safetensors``) and
    its ``checkpoint/`` while training."""
    resume: bool = field(default=False, metadata={"help": "continue from the checkpoint in --out"})
    """Continue from ``output_dir/checkpoint`` instead of starting afresh."""


QUICK_DEMO = FinetuneParams(train=TrainConfig(max_steps=60, learning_rate=3e-3, eval_every=30, patience=0))
"""The lab's "Quick demo" preset: LoRA on the demo data for 60 steps at three times the default
rate, evaluated twice.  The defaults (8 epochs, ~480 steps) take about 104 s on two CPU cores,
too long to wait for in a lecture; after these 60 steps the demo model already answers the
held-out Chinese questions in the trained format ("答案是奶酪。" where the base model said
"奶酪") and the English ones start with "The ans…" — a visible change, not the polished one."""
QUICK_DEMO_SECONDS = 8
"""What the quick demo took on the demo model on two busy CPU cores (``tests/bench/bench_quick_presets.py``)."""


@dataclass(frozen=True)
class CountParametersParams(JobParams, kind="finetune_count"):
    """Job: trainable parameters of a method on the session's model, before training."""

    method: MethodConfig = MethodConfig()


@dataclass(frozen=True)
class PreviewDataParams(JobParams, kind="finetune_preview"):
    """Job: tokenise a data set with the session's tokenizer and show its loss mask."""

    data: DataConfig = DataConfig()
    num_examples: int = 5


AdapterAction = Literal["state", "load", "activate", "enable", "disable", "merge", "unmerge", "clear"]


@dataclass(frozen=True)
class AdapterOperationParams(JobParams, kind="adapters"):
    """Job: change which adapters are layered on the session's model.

    ``state`` changes nothing and reports what is applied; ``load`` reads ``folder`` (or the adapter stored with run ``run_id`` in the project)
    under ``names[0]`` (or the folder's name) and makes it the one active adapter; ``activate`` stacks ``names``; ``enable``/``disable`` toggle every
    adapter; ``merge``/``unmerge`` fold the active LoRA/IA3 adapters into the base weights
    and back; ``clear`` removes every adapter and gives back the base model.
    """

    action: AdapterAction = "load"
    folder: str = ""
    run_id: int | None = None
    names: tuple[str, ...] = ()


@dataclass(frozen=True)
class TrainingHistoryParams(JobParams, kind="finetune_history"):
    """Job: the curves of the project's earlier training runs, to overlay for comparison."""

    limit: int = 30
    """The newest runs only: an overlay of more would be unreadable anyway."""


@dataclass(frozen=True)
class CompareParams(JobParams, kind="finetune_compare"):
    """Job: the base model against the applied adapters on the same prompts and text."""

    prompts: tuple[str, ...] = ()
    eval_text: str = ""
    max_new_tokens: int = 20


# ---------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ParameterCount:
    """Trainable parameters of a method, shown before training."""

    method: Method
    trainable: int
    total: int
    """All parameters of the adapted model (base + adapter)."""
    target_modules: tuple[str, ...]
    """Module paths the method changes (empty for prompt/prefix tuning)."""

    @property
    def share(self) -> float:
        return self.trainable / self.total if self.total else 0.0


@dataclass(frozen=True)
class PreviewExample:
    """One tokenised example: ``loss_mask[i]`` is True where token ``i`` is a training target."""

    tokens: list[str]
    loss_mask: np.ndarray
    """bool, one per token"""


@dataclass(frozen=True)
class DataPreview:
    source: str
    num_train: int
    num_eval: int
    max_length: int
    examples: list[PreviewExample]
    notes: list[str] = field(default_factory=list)
    """Examples cut at ``max_length``, an evaluation split that holds out nothing."""


SERIES = ("train_loss", "eval_loss", "learning_rate", "tokens_per_s")
"""Curve series, by the names written to the project store."""


@dataclass(frozen=True)
class TrainingProgress:
    """The cumulative partial of a training job: everything the live plots need."""

    step: int
    total_steps: int
    epoch: float
    eta_s: float
    tokens_per_s: float
    curves: dict[str, Curve]
    """``SERIES`` name → curve so far (arrays never change after they are handed out)."""


@dataclass(frozen=True)
class FinetuneResult:
    method: Method
    adapter_name: str
    adapter_dir: str
    steps: int
    total_steps: int
    epochs: float
    stopped_early: bool
    best_step: int
    """Step whose weights were kept (the lowest eval loss); the last step without eval data."""
    train_loss: float
    """Mean training loss over the last epoch's worth of steps (a single batch is noisy)."""
    eval_loss: float | None
    """Eval loss of the kept weights; None without eval data."""
    base_eval_loss: float | None
    """Eval loss of the model before training; exp() of either is the perplexity."""
    trainable_parameters: int
    total_parameters: int
    tokens_per_s: float
    duration_s: float
    curves: dict[str, Curve] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    """What the data made of the run: examples cut at the maximum length, no evaluation split."""


@dataclass(frozen=True)
class AppliedAdapter:
    name: str
    method: Method
    source: str
    """The folder it was loaded from or saved to."""
    trainable_parameters: int
    active: bool


@dataclass(frozen=True)
class AdapterState:
    """What is layered on the session's model right now."""

    adapters: list[AppliedAdapter]
    enabled: bool
    merged: bool
    """The active LoRA/IA3 adapters are folded into the base weights (unmerge restores
    them up to float rounding)."""


@dataclass(frozen=True)
class TrainingRunCurves:
    """An earlier training run of the project, as the overlay list shows it."""

    run_id: int
    title: str
    status: str
    method: str
    curves: dict[str, Curve]


@dataclass(frozen=True)
class TokenProbabilities:
    """Probability of each actual next token of a text, under the base and the adapted model."""

    tokens: list[str]
    """Tokens 1..n of the text (token 0 has no prediction)."""
    base: np.ndarray
    adapted: np.ndarray

    @property
    def change(self) -> np.ndarray:
        return self.adapted - self.base


@dataclass(frozen=True)
class CompareResult:
    prompts: list[str]
    base_generations: list[str]
    adapted_generations: list[str]
    probabilities: TokenProbabilities | None
    base_perplexity: float | None
    adapted_perplexity: float | None
