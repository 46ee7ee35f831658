"""Ready-made facts to trace in front of a class: the demo world's facts, English and Chinese.

One fact per (relation, language) from ``workbench/resources/demo_world/facts.jsonl`` (the demo model
knows them), and the ROME paper's own example for real models such as GPT-2.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from workbench.base.errors import InvalidParameters
from workbench.base.paths import DEMO_WORLD_DIR
from workbench.core.tracing.facts import load_facts
from workbench.ui.translatable import QT_TRANSLATE_NOOP

DEMO_FACTS_PATH = DEMO_WORLD_DIR / "facts.jsonl"
MAX_DEMO_PRESETS = 10


@dataclass(frozen=True)
class TracePreset:
    name: str
    """English, marked for the context ``TracePresets``; ``{fact}`` stands for ``fact``."""
    prompt: str
    subject: str
    target: str
    fact: str = ""

    def label(self) -> str:
        """The name as the preset menu shows it, in the interface language."""
        return QCoreApplication.translate("TracePresets", self.name).format(fact=self.fact)


PAPER_EXAMPLE = TracePreset(
    QT_TRANSLATE_NOOP("TracePresets", "ROME paper · Space Needle (real models)"),
    "The Space Needle is located in the city of",
    "The Space Needle",
    " Seattle",
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
        shown = f"{fact.text} →{'' if fact.target.startswith(' ') else ' '}{fact.target}"
        presets.append(
            TracePreset(QT_TRANSLATE_NOOP("TracePresets", "Demo · {fact}"), fact.text, fact.subject, fact.target, shown)
        )
        if len(presets) >= MAX_DEMO_PRESETS:
            break
    return [*presets, PAPER_EXAMPLE]
