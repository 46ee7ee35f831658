"""Fact sets for averaged traces: CounterFact-style JSON lines, read without torch.

A record names a subject, a prompt with ``{}`` where the subject goes, and the true object:
``{"subject": "Lumora", "prompt": "{} is a city in", "target_true": "Vestland"}``.  CounterFact's
own layout (``requested_rewrite`` with ``target_true: {"str": ...}``) is read as well.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.base.errors import InvalidParameters


@dataclass(frozen=True)
class Fact:
    subject: str
    prompt: str
    """The prompt with ``{}`` in place of the subject."""
    target: str

    @property
    def text(self) -> str:
        return self.prompt.replace("{}", self.subject, 1)


def fact_from_record(record: dict[str, Any]) -> Fact:
    """One JSON record → ``Fact``; ``ValueError`` naming what is missing."""
    if "requested_rewrite" in record and isinstance(record["requested_rewrite"], dict):
        record = record["requested_rewrite"]
    target = record.get("target_true", record.get("attribute", record.get("target")))
    if isinstance(target, dict):
        target = target.get("str")
    subject, prompt = record.get("subject"), record.get("prompt")
    if not isinstance(subject, str) or not isinstance(prompt, str) or not isinstance(target, str):
        raise ValueError("a record needs the strings subject, prompt and target_true")
    if "{}" not in prompt:
        if subject not in prompt:
            raise ValueError("the prompt has neither {} nor the subject")
        prompt = prompt.replace(subject, "{}", 1)
    return Fact(subject=subject, prompt=prompt, target=target)


def load_facts(path: str | Path, limit: int | None = None) -> list[Fact]:
    """Read a JSON-lines fact file (blank lines skipped); a bad line names its number."""
    path = Path(path).expanduser()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InvalidParameters(f"Cannot read the facts file {path}: {error.strerror or error}.") from None
    facts: list[Fact] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            facts.append(fact_from_record(json.loads(line)))
        except (ValueError, TypeError, AttributeError) as error:
            raise InvalidParameters(f"Line {number} of {path.name} is not a usable fact: {error}.") from None
        if limit is not None and len(facts) >= limit:
            break
    if not facts:
        raise InvalidParameters(f"The facts file {path.name} holds no facts.")
    return facts
