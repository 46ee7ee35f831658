"""Sampling settings and outcomes phrased for people (column headers, tree items, status lines).

Phrased in the interface language (context ``SamplingLabels``) at the moment they are asked for.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from workbench.core.sampling.params import SamplingParams
from workbench.ui.translatable import QT_TRANSLATE_NOOP

STAGE_LABELS = {
    "repetition_penalty": QT_TRANSLATE_NOOP("SamplingLabels", "repetition penalty"),
    "no_repeat_ngram": QT_TRANSLATE_NOOP("SamplingLabels", "no-repeat n-gram"),
    "temperature": QT_TRANSLATE_NOOP("SamplingLabels", "temperature"),
    "top_k": QT_TRANSLATE_NOOP("SamplingLabels", "top-k"),
    "top_p": QT_TRANSLATE_NOOP("SamplingLabels", "top-p"),
    "min_p": QT_TRANSLATE_NOOP("SamplingLabels", "min-p"),
    "typical": QT_TRANSLATE_NOOP("SamplingLabels", "typical-p"),
}

STOP_REASONS = {
    "": QT_TRANSLATE_NOOP("SamplingLabels", "not finished yet"),
    "max_new_tokens": QT_TRANSLATE_NOOP("SamplingLabels", "reached the token limit"),
    "eos": QT_TRANSLATE_NOOP("SamplingLabels", "the model ended the text"),
    "stop_string": QT_TRANSLATE_NOOP("SamplingLabels", "hit a stop string"),
}


def stage_label(name: str) -> str:
    """A pipeline stage (``top_k``) as the inspector names it."""
    return QCoreApplication.translate("SamplingLabels", STAGE_LABELS[name])


def stop_reason(reason: str) -> str:
    """Why a generation ended, in words."""
    return QCoreApplication.translate("SamplingLabels", STOP_REASONS[reason]) if reason in STOP_REASONS else reason


def describe_settings(params: SamplingParams) -> str:
    """``sample · T 0.9 · top-p 0.9 · seed 1``: what makes this generation what it is."""
    if params.strategy == "beam":
        parts = [QCoreApplication.translate("SamplingLabels", "beam × {count}").format(count=params.num_beams)]
        if params.length_penalty != 1.0:
            parts.append(
                QCoreApplication.translate("SamplingLabels", "length penalty {value}").format(
                    value=f"{params.length_penalty:g}"
                )
            )
    elif params.strategy == "greedy":
        parts = [QCoreApplication.translate("SamplingLabels", "greedy")]
    else:
        parts = [QCoreApplication.translate("SamplingLabels", "sample")]
        values = {
            "temperature": f"T {params.temperature:g}",
            "top_k": f"top-k {params.top_k}",
            "top_p": f"top-p {params.top_p:g}",
            "min_p": f"min-p {params.min_p:g}",
            "typical": f"typical-p {params.typical_p:g}",
        }
        parts += [values[name] for name in params.active_warpers()]
        parts.append(
            QCoreApplication.translate("SamplingLabels", "seed {seed}").format(seed=params.seed)
            if params.seed is not None
            else QCoreApplication.translate("SamplingLabels", "random seed")
        )
    if params.repetition_penalty != 1.0:
        parts.append(
            QCoreApplication.translate("SamplingLabels", "repetition penalty {value}").format(
                value=f"{params.repetition_penalty:g}"
            )
        )
    if params.no_repeat_ngram_size:
        parts.append(
            QCoreApplication.translate("SamplingLabels", "no repeated {n}-grams").format(n=params.no_repeat_ngram_size)
        )
    return " · ".join(parts)


def percent(probability: float) -> str:
    """12.3% · 0.42% · <0.01%: enough digits to tell small probabilities apart."""
    if probability >= 0.1:
        return f"{probability:.1%}"
    if probability >= 0.0001:
        return f"{probability:.2%}"
    return "<0.01%" if probability > 0 else "0%"


def bits(nats: float) -> float:
    return nats / math.log(2)
