"""Known facts (ROME's known-facts set): a fact is known when the greedy answer is the true object."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch

from workbench.base.errors import JobCancelled
from workbench.base.jobs import CancelToken, JobContext, Progress, run_job
from workbench.cli import main
from workbench.core.editing.cases import load_cases
from workbench.core.editing.edit_metrics import answer_token_ids
from workbench.core.editing.known_facts import (
    KNOWN_FACTS_FILE,
    check_facts,
    model_folder,
    read_known_facts,
)
from workbench.core.model.library import ModelImportError
from workbench.core.model.library_params import KnownFactsParams
from workbench.core.model.session import ModelSession
from workbench.core.model.spec import ModelSpec

FORCED = ("The Eiffel Tower is located in the city of", " Paris")
UNKNOWN = ("Danielle Darrieux's mother tongue is", " French")


def _record(case_id: int, prompt: str, subject: str, target: str, language: str = "en") -> dict:
    return {
        "case_id": case_id,
        "fact_id": case_id,
        "entity_id": f"e{case_id}",
        "subject": subject,
        "relation_id": "r",
        "prompt": prompt.replace(subject, "{}"),
        "target_true": target,
        "target_new": " Rome",
        "paraphrase_prompts": [],
        "neighborhood_prompts": [],
        "portability_prompts": [],
        "language": language,
    }


@pytest.fixture()
def fact_file(tmp_path: Path) -> Path:
    path = tmp_path / "facts.jsonl"
    records = [
        _record(0, *FORCED[:1], "The Eiffel Tower", FORCED[1]),
        _record(1, *UNKNOWN[:1], "Danielle Darrieux", UNKNOWN[1]),
        _record(2, "北京是中国的首都", "北京", "汉语", "zh"),
    ]
    records[2]["prompt"] = "{}是中国的"
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def force_answer(model: torch.nn.Module, tokenizer, prompt: str, answer: str):
    """Make ``answer`` the model's greedy continuation of ``prompt`` (and change nothing else)."""
    prompt_ids, answer_ids = answer_token_ids(tokenizer, prompt, answer)
    start = torch.tensor(prompt_ids)

    def hook(_module, args, kwargs, output):
        ids = args[0] if args else kwargs["input_ids"]
        if ids.shape[1] >= len(prompt_ids) and torch.equal(ids[0, : len(prompt_ids)].cpu(), start):
            first_kept = ids.shape[1] - output.logits.shape[1]  # logits_to_keep drops the first rows
            for k, token in enumerate(answer_ids):
                row = len(prompt_ids) - 1 + k - first_kept
                if 0 <= row < output.logits.shape[1]:
                    output.logits[:, row, token] = output.logits[:, row].max() + 30.0
        return output

    return model.register_forward_hook(hook, with_kwargs=True)


def test_only_the_forced_fact_is_known(tiny_gpt2, tiny_tokenizer, fact_file) -> None:
    cases = load_cases(str(fact_file))
    before = check_facts(tiny_gpt2, tiny_tokenizer, cases)
    assert not any(check.known for check in before[:2])
    handle = force_answer(tiny_gpt2, tiny_tokenizer, *FORCED)
    try:
        checks = check_facts(tiny_gpt2, tiny_tokenizer, cases)
    finally:
        handle.remove()
    assert [check.known for check in checks[:2]] == [True, False]
    assert checks[0].p_true > 0.99 > checks[1].p_true
    assert checks[0].prompt == FORCED[0] and checks[2].language == "zh"


@pytest.fixture()
def model_dir(tiny_model_dir: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "tiny-model"
    shutil.copytree(tiny_model_dir, folder)
    return folder


def test_the_job_stores_the_known_facts_with_the_loaded_model(tiny_gpt2, tiny_tokenizer, fact_file, model_dir) -> None:
    session = ModelSession(
        tiny_gpt2, tiny_tokenizer, ModelSpec(source="folder", name=str(model_dir)), path=str(model_dir)
    )
    updates: list[tuple[float, str]] = []
    handle = force_answer(tiny_gpt2, tiny_tokenizer, *FORCED)
    try:
        result = run_job(
            KnownFactsParams(name=str(model_dir), fact_file=str(fact_file)),
            JobContext(model=session),
            Progress(lambda f, m, _p: updates.append((f, m)), min_interval=0),
            CancelToken(),
        )
    finally:
        handle.remove()
    assert result.checked == {"en": 2, "zh": 1} and result.known == {"en": 1, "zh": 0}
    assert result.known_case_ids == [0]
    assert updates[-1][0] == 1.0 and "knows 1/2 en" in updates[-1][1]
    stored = read_known_facts(model_dir)
    assert stored is not None and Path(result.path) == model_dir / KNOWN_FACTS_FILE
    assert [fact["case_id"] for fact in stored["facts"]] == [0]
    assert stored["known"] == {"en": 1, "zh": 0} and len(stored["fact_file_sha256"]) == 64
    assert session.model is tiny_gpt2  # the loaded model is used, not unloaded


def test_the_job_loads_the_model_itself_and_honours_cancel(fact_file, model_dir) -> None:
    params = KnownFactsParams(name=str(model_dir), fact_file=str(fact_file), language="en", store=False)
    result = run_job(params, JobContext(), Progress(), CancelToken())
    assert result.checked == {"en": 2} and result.path == ""
    assert not (model_dir / KNOWN_FACTS_FILE).exists()

    cancel = CancelToken()
    progress = Progress(lambda f, _m, _p: cancel.cancel() if f > 0.1 else None, min_interval=0)
    with pytest.raises(JobCancelled):
        run_job(params, JobContext(), progress, cancel)


def test_an_unknown_model_is_one_sentence(tmp_path: Path) -> None:
    with pytest.raises(ModelImportError, match="no model 'nothing-here'"):
        model_folder("nothing-here", tmp_path)


def test_cli_known_facts_as_json(fact_file, model_dir, capsys) -> None:
    assert main(["models", "known-facts", str(model_dir), "--facts", str(fact_file), "--json", "--quiet"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["checked"] == {"en": 2, "zh": 1}
    assert printed["path"] == str(model_dir.resolve() / KNOWN_FACTS_FILE)
    assert main(["models", "known-facts", "no-such-model", "--quiet"]) == 2
