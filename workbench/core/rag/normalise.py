"""Unicode NFKC for matching, with a map from every normalised character back to the original.

Matching wants one spelling per character: full-width ``ＡＢＣ１２３，`` and ligatures such as
``ﬁ`` fold to ``ABC123,`` and ``fi``, so a query typed either way finds the same BM25 terms
and evidence.  Offsets shown to a person, stored with chunks and returned by the CLI must
point into the original text, so normalisation keeps, for each output character, the
index of the original character it came from.

Text is normalised per *cluster*: a starter (canonical combining class 0) with the
combining marks that follow it.  Composition never crosses a starter in practice, so each
cluster maps to its own output and the offset map is exact at cluster granularity.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from workbench.core.han import is_han


@dataclass(frozen=True)
class NormalisedText:
    text: str
    """NFKC-normalised, lower-cased (``casefold`` would map ß→ss and grow the map for nothing)."""
    origin: np.ndarray
    """int64, ``len(text) + 1``: ``origin[i]`` is the original index of ``text[i]``;
    the last entry is the original length, so a span ``[a, b)`` maps to ``[origin[a], origin[b])``."""

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The original-text span covering normalised ``[start, end)``."""
        if end <= start:
            position = int(self.origin[start])
            return position, position
        # the span ends where the original cluster of its last character ends, which is the
        # next larger origin (``origin`` is non-decreasing and ends with the original length)
        last = self.origin[end - 1]
        after = self.origin[np.searchsorted(self.origin, last, side="right")]
        return int(self.origin[start]), int(after)


@lru_cache(maxsize=65536)
def _fold(cluster: str) -> str:
    return unicodedata.normalize("NFKC", cluster).lower()


def normalise(text: str) -> NormalisedText:
    """NFKC + lower-case ``text``, remembering where each output character came from."""
    pieces: list[str] = []
    origins: list[int] = []
    length = len(text)
    index = 0
    combining = unicodedata.combining
    while index < length:
        end = index + 1
        while end < length and combining(text[end]):
            end += 1
        folded = _fold(text[index:end])
        pieces.append(folded)
        origins.extend([index] * len(folded))
        index = end
    origins.append(length)
    return NormalisedText("".join(pieces), np.asarray(origins, dtype=np.int64))


def normalise_plain(text: str) -> str:
    """Just the normalised string (queries, evidence), without the offset map."""
    return unicodedata.normalize("NFKC", text).lower()


def detect_language(text: str) -> str:
    """``zh`` when Han characters make up at least a fifth of the letters, else ``en``.

    Enough for the split the evaluation needs (Chinese vs English documents and questions);
    a fifth rather than a half because Chinese notes carry Latin terms and numbers.
    """
    han = letters = 0
    for char in text[:20000]:
        if is_han(char):
            han += 1
            letters += 1
        elif char.isalpha():
            letters += 1
    if letters == 0:
        return "en"
    return "zh" if han * 5 >= letters else "en"
