"""Where the subject sits among the prompt's tokens, from character offsets (torch-free).

The trace and the panel must agree on which tokens a typed subject covers, so both use
this one rule: the tokens overlapping the subject's first occurrence in the prompt.
"""

from __future__ import annotations

from collections.abc import Sequence

from workbench.base.errors import InvalidParameters


def subject_tokens(prompt: str, subject: str, offsets: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """Token span ``[start, end)`` overlapping the subject's first occurrence (exact, else
    ignoring case); ``InvalidParameters`` when the subject is not in the prompt."""
    subject = subject.strip()
    char_start = prompt.find(subject) if subject else -1
    if char_start < 0 and subject:
        char_start = prompt.casefold().find(subject.casefold())
    if char_start < 0:
        raise InvalidParameters(f"The subject '{subject}' does not appear in the prompt '{prompt}'.")
    char_end = char_start + len(subject)
    inside = [i for i, (start, end) in enumerate(offsets) if start < char_end and end > char_start]
    if not inside:
        raise InvalidParameters(f"The subject '{subject}' does not cover any token of the prompt.")
    return inside[0], inside[-1] + 1


def subject_text(prompt: str, span: tuple[int, int], offsets: Sequence[tuple[int, int]]) -> str:
    """The prompt's text under the tokens ``[start, end)``, without its edge spaces."""
    start, end = span
    return prompt[offsets[start][0] : offsets[end - 1][1]].strip()
