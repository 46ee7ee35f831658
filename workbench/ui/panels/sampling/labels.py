"""Sampling settings and outcomes phrased for people (column headers, tree items, status lines)."""

from __future__ import annotations

import math

from workbench.core.sampling.params import SamplingParams

STAGE_LABELS = {
    "repetition_penalty": "repetition penalty",
    "no_repeat_ngram": "no-repeat n-gram",
    "temperature": "temperature",
    "top_k": "top-k",
    "top_p": "top-p",
    "min_p": "min-p",
    "typical": "typical-p",
}

STOP_REASONS = {
    "": "not finished yet",
    "max_new_tokens": "reached the token limit",
    "eos": "the model ended the text",
    "stop_string": "hit a stop string",
}


def describe_settings(params: SamplingParams) -> str:
    """``sample · T 0.9 · top-p 0.9 · seed 1``: what makes this generation what it is."""
    if params.strategy == "beam":
        parts = [f"beam × {params.num_beams}"]
        if params.length_penalty != 1.0:
            parts.append(f"length penalty {params.length_penalty:g}")
    elif params.strategy == "greedy":
        parts = ["greedy"]
    else:
        parts = ["sample"]
        values = {
            "temperature": f"T {params.temperature:g}",
            "top_k": f"top-k {params.top_k}",
            "top_p": f"top-p {params.top_p:g}",
            "min_p": f"min-p {params.min_p:g}",
            "typical": f"typical-p {params.typical_p:g}",
        }
        parts += [values[name] for name in params.active_warpers()]
        parts.append(f"seed {params.seed}" if params.seed is not None else "random seed")
    if params.repetition_penalty != 1.0:
        parts.append(f"repetition penalty {params.repetition_penalty:g}")
    if params.no_repeat_ngram_size:
        parts.append(f"no repeated {params.no_repeat_ngram_size}-grams")
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
