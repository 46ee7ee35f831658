"""Ready-made facts to trace in front of a class: the demo world's facts, English and Chinese.

One fact per (relation, language) from ``workbench/resources/demo_world/facts.jsonl`` (the demo model
knows them), and the ROME paper's own example for real models such as GPT-2.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.base.errors import InvalidParameters
from workbench.core.paths import DEMO_WORLD_DIR
from workbench.core.tracing.facts import load_facts

DEMO_FACTS_PATH = DEMO_WORLD_DIR / "facts.jsonl"
MAX_DEMO_PRESETS = 10


@dataclass(frozen=True)
class TracePreset:
    name: str
    prompt: str
    subject: str
    target: str


PAPER_EXAMPLE = TracePreset(
    "ROME paper · Space Needle (real models)", "The Space Needle is located in the city of", "The Space Needle", " Seattle"
)


def trace_presets() -> list[TracePreset]:
    """Demo facts first (varied relations, both languages), then the paper's example."""
    try:
        facts = load_facts(DEMO_FACTS_PATH, limit=400)
    except InvalidParameters:
        return [PAPER_EXAMPLE]
    presets: list[TracePreset] = []
    seen: set[tuple[str, bool]] = set()
    for fact in facts:
        key = (fact.prompt, fact.subject.isascii())
        if key in seen:
            continue
        seen.add(key)
        label = f"Demo · {fact.text} →{'' if fact.target.startswith(' ') else ' '}{fact.target}"
        presets.append(TracePreset(label, fact.text, fact.subject, fact.target))
        if len(presets) >= MAX_DEMO_PRESETS:
            break
    return [*presets, PAPER_EXAMPLE]
