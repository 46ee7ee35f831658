"""Known facts: the facts of a fact file that a model already gives (ROME's known-facts set).

ROME traces and edits only facts the model knows — its greedy prediction after the prompt is
the true object — since a fact the model does not hold has no site to find or to rewrite.
A fact is *known* here when every token of ``target_true`` is the model's top-1 prediction
under teacher forcing, which is the greedy continuation (the editing lab's efficacy rule).

The result is stored with the model as ``known_facts.json`` in its library folder, so the
tracing and editing labs (and the real-model tests) can take "100 known facts" of a pack.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from torch import nn

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken, Progress, job
from workbench.core.context import CoreContext
from workbench.core.editing.cases import EditCase, fact_file_path, load_cases
from workbench.core.editing.edit_metrics import answer_token_ids, teacher_forced
from workbench.core.model.findings import KNOWN_FACTS_FILE, file_sha256
from workbench.core.model.library import ModelImportError, list_library
from workbench.core.model.library_params import KnownFactsParams

RULE = "every token of target_true is the model's top-1 after the prompt (greedy continuation)"


@dataclass(frozen=True)
class FactCheck:
    """One fact measured on the model."""

    case_id: int
    language: str
    subject: str
    prompt: str
    """The edit prompt with the subject filled in."""
    target_true: str
    known: bool
    p_true: float
    """p(target_true | prompt), the product of its token probabilities."""


@dataclass
class KnownFactsResult:
    name: str
    folder: str
    fact_file: str
    checked: dict[str, int] = field(default_factory=dict)
    """language → facts checked"""
    known: dict[str, int] = field(default_factory=dict)
    """language → facts known"""
    facts: list[FactCheck] = field(default_factory=list)
    """The known facts, in file order."""
    path: str = ""
    """Where ``known_facts.json`` was written (empty when not stored)."""
    seconds: float = 0.0

    @property
    def known_case_ids(self) -> list[int]:
        return [fact.case_id for fact in self.facts]


def check_fact(model: nn.Module, tokenizer: Any, case: EditCase) -> FactCheck:
    request = case.request
    prompt = request.rendered()
    prompt_ids, answer_ids = answer_token_ids(tokenizer, prompt, request.target_true)
    known, p_true = teacher_forced(model, prompt_ids, answer_ids)
    assert request.case_id is not None, "case_from_record gives every case of a fact file an id"
    return FactCheck(
        case_id=request.case_id,
        language=case.language,
        subject=request.subject,
        prompt=prompt,
        target_true=request.target_true,
        known=bool(known),
        p_true=float(p_true),
    )


def check_facts(
    model: nn.Module,
    tokenizer: Any,
    cases: Sequence[EditCase],
    report: Callable[[float, str], Any] | None = None,
    cancel: CancelToken | None = None,
) -> list[FactCheck]:
    """Every case checked, in order; ``cancel`` is honoured between facts."""
    checks: list[FactCheck] = []
    known = 0
    for index, case in enumerate(cases):
        if cancel is not None:
            cancel.raise_if_cancelled()
        check = check_fact(model, tokenizer, case)
        checks.append(check)
        known += check.known
        if report is not None:
            report((index + 1) / len(cases), f"Checked {index + 1} of {len(cases)} facts, {known} known")
    return checks


def summarise(
    checks: Sequence[FactCheck], *, name: str = "", folder: str = "", fact_file: str = ""
) -> KnownFactsResult:
    result = KnownFactsResult(name=name, folder=folder, fact_file=fact_file)
    for check in checks:
        result.checked[check.language] = result.checked.get(check.language, 0) + 1
        result.known.setdefault(check.language, 0)
        if check.known:
            result.known[check.language] += 1
            result.facts.append(check)
    return result


def select(cases: list[EditCase], language: str = "all", limit: int = 0) -> list[EditCase]:
    chosen = [case for case in cases if language in ("all", "") or case.language == language]
    if not chosen:
        raise InvalidParameters(f"The fact file has no facts in language '{language}'.")
    return chosen[:limit] if limit > 0 else chosen


def model_folder(name: str, library: Path | None = None) -> tuple[str, Path]:
    """(display name, folder) of a pack or library model called ``name``, or of a folder."""
    from workbench.core.model.packs import CATALOGUE, installed_folder

    if not name.strip():
        raise InvalidParameters("Name the model whose known facts to find (a pack, a library model or a folder).")
    folder = Path(name).expanduser()
    if folder.is_dir() and (folder / "config.json").is_file():
        return folder.name, folder.resolve()
    for pack in CATALOGUE.values():
        if pack.name.lower() == name.strip().lower():
            model = installed_folder(pack, library)
            if model is None:
                raise ModelImportError(
                    f"The model pack {pack.name} is not installed; "
                    f"install it first: workbench-cli models install {pack.name}."
                )
            return pack.name, model.folder
    for model in list_library(library):
        if model.name.lower() == name.strip().lower() or model.folder.name == name.strip():
            return model.name, model.folder
    raise ModelImportError(f"There is no model '{name}' in the model library (see: workbench-cli models list).")


def write_known_facts(folder: Path, result: KnownFactsResult, fact_path: Path) -> Path:
    """``known_facts.json`` in ``folder``, written whole (a temporary file renamed over it)."""
    data = {
        "model": result.name,
        "fact_file": result.fact_file,
        "fact_file_sha256": file_sha256(fact_path),
        "rule": RULE,
        "checked": result.checked,
        "known": result.known,
        "facts": [asdict(fact) for fact in result.facts],
    }
    path = folder / KNOWN_FACTS_FILE
    partial = folder / f".{KNOWN_FACTS_FILE}.partial"
    partial.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.replace(partial, path)
    return path


def read_known_facts(folder: Path | str) -> dict[str, Any] | None:
    """The stored known facts of a model folder, or None when it has none (or unreadable)."""
    try:
        data = json.loads((Path(folder) / KNOWN_FACTS_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    return data if isinstance(data, dict) else None


@job(KnownFactsParams, saves_run=False)
def known_facts_job(
    ctx: CoreContext, params: KnownFactsParams, progress: Progress, cancel: CancelToken
) -> KnownFactsResult:
    """Check every fact of ``params.fact_file`` on the model and store the known ones with it.

    The loaded model is used when it is the same folder; otherwise the job loads the model
    itself (and lets it go at the end).
    """
    from workbench.core.model.session import ModelSession
    from workbench.core.model.spec import ModelSpec

    started = time.monotonic()
    name, folder = model_folder(params.name, Path(params.library).expanduser() if params.library else None)
    fact_path = fact_file_path(params.fact_file)
    cases = select(load_cases(params.fact_file), params.language, params.limit)
    session = ctx.model
    same = (
        session is not None and session.model is not None and session.path and (Path(session.path).resolve() == folder)
    )
    if not same:
        session = ModelSession.load(ModelSpec(source="folder", name=str(folder)), progress.scaled(0.0, 0.1), cancel)
    assert session is not None
    model = session.require_loaded()
    start = 0.0 if same else 0.1
    report = progress.scaled(start, 0.99)
    checks = check_facts(model, session.tokenizer, cases, lambda f, m: report(f, m), cancel)
    result = summarise(checks, name=name, folder=str(folder), fact_file=params.fact_file)
    if params.store:
        result.path = str(write_known_facts(folder, result, fact_path))
    result.seconds = time.monotonic() - started
    known = ", ".join(f"{result.known[lang]}/{result.checked[lang]} {lang}" for lang in sorted(result.checked))
    progress(1.0, f"{name} knows {known}")
    if not same:
        session.unload()
    return result
