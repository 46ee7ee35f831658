"""Han characters: the one definition of "Chinese text" the labs share.

Editing picks its Chinese prompt templates, RAG its segmenter and the demo world its prompt
fields by the same test, so a document one lab calls Chinese is Chinese to the others.
Blocks: CJK Unified Ideographs, extension A, compatibility ideographs and extension B.
"""

from __future__ import annotations

import re

HAN_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002a6df"
"""The blocks as a regular-expression character-class body (for ``[…]``)."""

_HAN = re.compile(f"[{HAN_CLASS}]")


def is_han(char: str) -> bool:
    """Whether one character is a Han ideograph."""
    return _HAN.fullmatch(char) is not None


def has_han(text: str) -> bool:
    """Whether ``text`` contains any Han ideograph (Chinese prompts, questions, facts)."""
    return _HAN.search(text) is not None
