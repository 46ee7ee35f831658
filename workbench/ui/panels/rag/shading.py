"""Colours and text positions shared by the RAG views (chunk browser, ranked hits, sources).

The core gives character offsets into the original text as Python counts them (code
points); a ``QTextDocument`` counts UTF-16 units, so a character outside the Basic
Multilingual Plane (an emoji, a rare CJK ideograph) is two positions there.  Every view
draws through ``qt_positions`` so boundaries stay on the right character after one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PySide6.QtGui import QColor, QPalette

from workbench.ui.widgets.probability_colours import is_dark, mix

_EVEN, _ODD, _OVERLAP, _MATCH, _SELECTED = "#3b82f6", "#14b8a6", "#f59e0b", "#facc15", "#8b5cf6"


def _tint(palette: QPalette, hue: str, light: float, dark: float) -> QColor:
    return mix(palette.color(QPalette.ColorRole.Base), QColor(hue), dark if is_dark(palette) else light)


def chunk_colour(palette: QPalette, ordinal: int) -> QColor:
    """Alternating backgrounds, so where one chunk ends and the next begins is visible."""
    return _tint(palette, _ODD if ordinal % 2 else _EVEN, 0.26, 0.34)


def overlap_colour(palette: QPalette) -> QColor:
    """Text that belongs to two chunks (the overlap of §6.3.1's sliding window)."""
    return _tint(palette, _OVERLAP, 0.42, 0.45)


def selected_colour(palette: QPalette) -> QColor:
    return _tint(palette, _SELECTED, 0.34, 0.48)


def match_colour(palette: QPalette) -> QColor:
    """A query term found in a retrieved passage."""
    return _tint(palette, _MATCH, 0.62, 0.55)


def card_colour(palette: QPalette) -> QColor:
    """Background of one retrieved passage, a step off the page so passages stand apart."""
    return mix(palette.color(QPalette.ColorRole.Base), palette.color(QPalette.ColorRole.Mid), 0.35)


def qt_positions(text: str, offsets: Sequence[int] | np.ndarray) -> np.ndarray:
    """Code-point offsets into ``text`` as ``QTextDocument`` positions (UTF-16 units)."""
    offsets = np.asarray(offsets, dtype=np.int64)
    if _narrow(text):
        return offsets
    wide = np.fromiter((ord(c) >= 0x10000 for c in text), dtype=np.int64, count=len(text))
    extra = np.concatenate([[0], np.cumsum(wide)])
    return offsets + extra[np.clip(offsets, 0, len(text))]


def text_offsets(text: str, positions: Sequence[int] | np.ndarray) -> np.ndarray:
    """The inverse of ``qt_positions``: document positions back to code-point offsets."""
    positions = np.asarray(positions, dtype=np.int64)
    if _narrow(text):
        return positions
    units = qt_positions(text, np.arange(len(text) + 1))
    return np.searchsorted(units, positions, side="left").astype(np.int64)


def _narrow(text: str) -> bool:
    """Every character is one UTF-16 unit, so offsets and positions coincide."""
    return text.isascii() or max(map(ord, text)) < 0x10000
