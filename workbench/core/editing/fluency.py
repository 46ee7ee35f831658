"""Fluency of free generations: ROME's weighted bi-/tri-gram entropy (Meng et al., 2022, §4.2).

An edit that breaks the model shows as repetitive text ("Paris Paris Paris …"), whose n-gram
distribution has low entropy.  ROME reports ``mean(2/3·H₂, 4/3·H₃)`` in bits over the words of
each generation; Chinese text has no spaces, so each Han character counts as a word.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from workbench.core.text_metrics import ngram_counts, text_units

NGRAM_WEIGHTS: dict[int, float] = {2: 2 / 3, 3: 4 / 3}


def ngram_entropy(text: str) -> float:
    """ROME's weighted n-gram entropy of one text (bits); 0 for a text too short to have n-grams.

    Words are the units BLEU and ROUGE count (``text_units``), so Chinese counts by character.
    """
    units = text_units(text)
    weighted = []
    for n, weight in NGRAM_WEIGHTS.items():
        counts = ngram_counts(units, n)
        total = sum(counts.values())
        entropy = -sum(c / total * math.log2(c / total) for c in counts.values()) if total else 0.0
        weighted.append(weight * entropy)
    return sum(weighted) / len(weighted)


def fluency(texts: Sequence[str]) -> float:
    """Mean n-gram entropy over generations (``nan`` without any)."""
    return sum(ngram_entropy(t) for t in texts) / len(texts) if texts else math.nan
