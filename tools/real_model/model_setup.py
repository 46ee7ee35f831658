"""What every real-model measurement script shares: its options, the model, the known facts.

A script runs from a plain checkout (``python tools/real_model/X.py --model-dir PATH``) on a
safetensors folder such as the SmolLM2 pack's, on any device, and prints one JSON line.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # the checkout's workbench package

from workbench.core.editing.cases import REAL_WORLD_FACTS, EditCase, load_cases
from workbench.core.editing.known_facts import check_facts, read_known_facts
from workbench.core.model.session import ModelSession
from workbench.core.model.spec import ModelSpec


def parser(description: str, default_limit: int) -> argparse.ArgumentParser:
    arguments = argparse.ArgumentParser(description=description)
    arguments.add_argument("--model-dir", required=True, help="a safetensors model folder (e.g. the SmolLM2 pack's)")
    arguments.add_argument("--device", default="cpu", help="cpu, cuda, cuda:1 … (default: cpu)")
    arguments.add_argument("--dtype", default="float32", help="float32 or bfloat16 (default: float32)")
    arguments.add_argument(
        "--limit", type=int, default=default_limit, help=f"items measured (default: {default_limit})"
    )
    arguments.add_argument("--language", choices=["en", "zh"], default="en", help="which facts (default: en)")
    return arguments


def load_session(args: argparse.Namespace) -> ModelSession:
    folder = Path(args.model_dir).expanduser()
    if not folder.is_dir():
        raise SystemExit(f"{folder} is not a folder; give the model's safetensors folder with --model-dir.")
    return ModelSession.load(
        ModelSpec(source="folder", name=str(folder.resolve()), device=args.device, dtype=args.dtype)
    )


def known_cases(session: ModelSession, limit: int, language: str = "en") -> list[EditCase]:
    """Up to ``limit`` real-world facts in ``language`` that the model knows (its greedy answer
    is the true object): from the pack's ``known_facts.json`` when it has one, else checked
    here.  Taken in turn from each relation, so that a sample of 10 is not ten capitals (the
    file lists the relations one after another, and capitals have one-token subjects and no
    neighbourhood prompts)."""
    cases = [case for case in load_cases(REAL_WORLD_FACTS) if case.language == language]
    stored: dict[str, Any] | None = read_known_facts(session.path)
    if stored is not None and stored.get("fact_file") == REAL_WORLD_FACTS:
        known_ids = {fact["case_id"] for fact in stored["facts"]}
        known = [case for case in cases if case.request.case_id in known_ids]
    else:
        checks = check_facts(session.require_loaded(), session.tokenizer, cases)
        known = [case for case, check in zip(cases, checks, strict=True) if check.known]
    return interleave_relations(known)[:limit]


def interleave_relations(cases: list[EditCase]) -> list[EditCase]:
    """The cases reordered round-robin over their relations (one prompt template per relation),
    each relation's in file order."""
    by_relation: dict[str, list[EditCase]] = {}
    for case in cases:
        by_relation.setdefault(case.request.prompt, []).append(case)
    queues = list(by_relation.values())
    longest = max((len(queue) for queue in queues), default=0)
    return [queue[i] for i in range(longest) for queue in queues if i < len(queue)]
