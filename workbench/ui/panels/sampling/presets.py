"""Ready-made prompts and settings for a lecture: the book's examples, one click each.

A preset sets the prompt and every knob (the rest back to their defaults), so the same
preset gives the same demonstration on every machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from workbench.core.sampling.params import SamplingParams
from workbench.ui.translatable import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class Preset:
    name: str
    """English, marked for the context ``SamplingPresets`` (as is ``note``)."""
    prompt: str
    settings: dict[str, Any] = field(default_factory=dict)
    """``SamplingParams`` fields other than the prompt; the others keep their defaults."""
    note: str = ""
    """What the preset demonstrates (shown as the combo box's tooltip)."""

    def params(self) -> SamplingParams:
        return replace(SamplingParams(), prompt=self.prompt, **self.settings)


PRESETS: tuple[Preset, ...] = (
    Preset(
        QT_TRANSLATE_NOOP("SamplingPresets", "Story opening · nucleus sampling"),
        "Once upon a time, a giraffe",
        {"strategy": "sample", "temperature": 0.9, "top_k": 0, "top_p": 0.9, "max_new_tokens": 40, "seed": 1},
        QT_TRANSLATE_NOOP(
            "SamplingPresets",
            "Top-p = 0.9 (Holtzman et al. 2020): sample from the smallest set of tokens holding 90% of the mass.",
        ),
    ),
    Preset(
        QT_TRANSLATE_NOOP("SamplingPresets", "长颈鹿的故事 · 采样 (book §1.4)"),
        "从前，有一只长颈鹿",
        {"strategy": "sample", "temperature": 0.8, "top_k": 50, "top_p": 1.0, "max_new_tokens": 40, "seed": 1},
        QT_TRANSLATE_NOOP(
            "SamplingPresets", "The book's story opening, continued by top-k sampling at temperature 0.8."
        ),
    ),
    Preset(
        QT_TRANSLATE_NOOP("SamplingPresets", "长颈鹿的故事 · greedy"),
        "从前，有一只长颈鹿",
        {"strategy": "greedy", "max_new_tokens": 40},
        QT_TRANSLATE_NOOP(
            "SamplingPresets", "Greedy decoding always takes the most likely token: watch it repeat itself."
        ),
    ),
    Preset(
        QT_TRANSLATE_NOOP("SamplingPresets", "A fact · greedy"),
        "The colour of the zebra is",
        {"strategy": "greedy", "max_new_tokens": 8},
        QT_TRANSLATE_NOOP(
            "SamplingPresets", "A factual prompt: a well-trained model is confident (green tokens) on the answer."
        ),
    ),
    Preset(
        QT_TRANSLATE_NOOP("SamplingPresets", "A fact · beam search"),
        "斑马的颜色是",
        {"strategy": "beam", "num_beams": 4, "num_return_sequences": 2, "max_new_tokens": 8},
        QT_TRANSLATE_NOOP(
            "SamplingPresets", "Beam search (book §1.4.1) keeps the 4 best partial sequences at every step."
        ),
    ),
    Preset(
        QT_TRANSLATE_NOOP("SamplingPresets", "Hot sampling · temperature 1.8"),
        "Once upon a time, a giraffe",
        {"strategy": "sample", "temperature": 1.8, "top_k": 0, "top_p": 1.0, "max_new_tokens": 40, "seed": 1},
        QT_TRANSLATE_NOOP(
            "SamplingPresets",
            "A high temperature flattens the distribution: unlikely tokens get drawn and the text drifts.",
        ),
    ),
)
