"""Edit cases: CounterFact-style records with everything an edit is evaluated on (torch-free).

A record of ``facts.jsonl`` (the demo world's, or a user's file of the same schema) holds the
edit itself (subject, prompt, old and new object) plus the prompts of the book's properties
(§5.1.3): paraphrases (generality), neighbourhood prompts (locality) and related questions
with their own new answers (portability).  The subject/prompt/target fields are read by the
tracing lab's ``fact_from_record``, so both labs accept the same files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.base.errors import InvalidParameters
from workbench.base.paths import DEMO_WORLD_DIR, REAL_WORLD_DIR
from workbench.core.editing.params import DEMO_FACTS, EditRequest
from workbench.core.tracing.facts import fact_from_record


@dataclass(frozen=True)
class PortabilityPrompt:
    prompt: str
    target_new: str
    """What a model that really learned the edit answers (it follows from the new fact)."""
    target_true: str = ""


@dataclass(frozen=True)
class EditCase:
    request: EditRequest
    paraphrase_prompts: tuple[str, ...] = ()
    neighborhood_prompts: tuple[str, ...] = ()
    portability_prompts: tuple[PortabilityPrompt, ...] = ()
    language: str = ""


REAL_WORLD_FACTS = "real_world"
"""The bundled real-world fact set (``resources/real_world/facts.jsonl``)."""


def fact_file_path(fact_file: str) -> Path:
    """``"demo"`` → the demo world's ``facts.jsonl``, ``"real_world"`` → the real-world
    set's; anything else is a path."""
    if fact_file == DEMO_FACTS:
        return DEMO_WORLD_DIR / "facts.jsonl"
    if fact_file == REAL_WORLD_FACTS:
        return REAL_WORLD_DIR / "facts.jsonl"
    return Path(fact_file).expanduser()


def case_from_record(record: dict[str, Any], case_id: int) -> EditCase:
    """One JSON record → ``EditCase``; ``ValueError`` naming what is missing or malformed."""
    fact = fact_from_record(record)
    nested = record.get("requested_rewrite")
    rewrite = nested if isinstance(nested, dict) else record
    target_new = rewrite.get("target_new")
    if isinstance(target_new, dict):
        target_new = target_new.get("str")
    if not isinstance(target_new, str) or not target_new.strip():
        raise ValueError("an edit record needs a target_new")
    portability = tuple(
        PortabilityPrompt(
            prompt=str(item["prompt"]),
            target_new=str(item["target_new"]),
            target_true=str(item.get("target_true", "")),
        )
        for item in record.get("portability_prompts", [])
    )
    return EditCase(
        request=EditRequest(
            prompt=fact.prompt,
            subject=fact.subject,
            target_new=target_new,
            target_true=fact.target,
            case_id=int(record.get("case_id", case_id)),
        ),
        paraphrase_prompts=tuple(str(p) for p in record.get("paraphrase_prompts", [])),
        neighborhood_prompts=tuple(str(p) for p in record.get("neighborhood_prompts", [])),
        portability_prompts=portability,
        language=str(record.get("language", "")),
    )


def load_cases(fact_file: str = DEMO_FACTS) -> list[EditCase]:
    """Every case of a fact file, in file order (a record without ``case_id`` gets its index)."""
    path = fact_file_path(fact_file)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as error:
        raise InvalidParameters(f"Cannot read the fact file {path}: {error.strerror or error}.") from None
    cases: list[EditCase] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            cases.append(case_from_record(json.loads(line), len(cases)))
        except (ValueError, TypeError, KeyError, AttributeError) as error:
            raise InvalidParameters(f"Line {number} of {path.name} is not a usable edit case: {error}.") from None
    if not cases:
        raise InvalidParameters(f"The fact file {path.name} holds no edit cases.")
    return cases


def find_case(cases: list[EditCase], case_id: int) -> EditCase:
    for case in cases:
        if case.request.case_id == case_id:
            return case
    raise InvalidParameters(f"There is no case {case_id} in the fact file.")


def select_cases(
    cases: list[EditCase],
    count: int,
    language: str = "all",
    case_ids: tuple[int, ...] = (),
) -> list[EditCase]:
    """Explicit ``case_ids`` in the given order, else the first ``count`` cases in ``language``."""
    if case_ids:
        return [find_case(cases, case_id) for case_id in case_ids]
    if count < 1:
        raise InvalidParameters("Edit at least one case.")
    chosen = [case for case in cases if language == "all" or case.language == language]
    if not chosen:
        raise InvalidParameters(f"The fact file has no cases in language '{language}'.")
    return chosen[:count]
