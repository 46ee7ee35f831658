"""The editing jobs through ``run_job`` on a tiny GPT-2 session: edit, cancel, ledger, batch, export."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
import torch
from model_builders import build_tiny_gpt2

from workbench.base.errors import JobCancelled
from workbench.base.jobs import CancelToken, JobContext, Progress, run_job
from workbench.core.editing.cases import REAL_WORLD_FACTS, EditCase, load_cases
from workbench.core.editing.jobs import case_for  # also registers the jobs run_job runs
from workbench.core.editing.params import (
    BatchEditParams,
    EditParams,
    EditRequest,
    LedgerParams,
    RomeSettings,
    SuggestLayerParams,
)
from workbench.core.model.session import ModelSession

REQUEST = EditRequest(
    prompt="{} is located in the city of",
    subject="The Eiffel Tower",
    target_new=" Rome",
)
FAST = RomeSettings(layer=1, prefix_count=2, prefix_length=3, v_steps=3, covariance="identity")


@pytest.fixture()
def ctx(tiny_tokenizer) -> JobContext:
    return JobContext(model=ModelSession.wrap(build_tiny_gpt2(len(tiny_tokenizer)), tiny_tokenizer))


def weights(ctx: JobContext) -> dict[str, torch.Tensor]:
    return {name: p.detach().clone() for name, p in ctx.model.model.state_dict().items()}


def test_edit_job_evaluates_before_and_after_and_joins_the_ledger(ctx) -> None:
    updates = []
    params = EditParams(request=REQUEST, rome=FAST, generation_tokens=4)
    result = run_job(
        params,
        ctx,
        Progress(lambda *u: updates.append(u), min_interval=0),
        CancelToken(),
    )
    assert result.layer == 1 and result.edit_id == 1 and result.layer_effects is None
    assert [e.summary for e in result.ledger.entries] == [ctx.model.edits.entries()[0].summary]
    assert result.ledger.model_modified and result.metrics.accuracy in (0.0, 1.0)
    assert [g.prompt for g in result.generations] == [
        REQUEST.rendered(),
        "The Eiffel Tower is a",
    ]
    assert result.metrics.seconds > 0 and result.details["v_steps_run"] >= 1
    fractions = [u[0] for u in updates]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0


def test_a_flat_trace_edits_where_the_fact_files_averaged_trace_peaks(ctx, monkeypatch, tmp_path) -> None:
    from workbench.core.editing import jobs

    fact_file = tmp_path / "facts.jsonl"
    record = {"subject": "Anoda", "prompt": "{} is located in", "target_true": " Ensia", "target_new": " Velya"}
    fact_file.write_text("\n".join(json.dumps({**record, "case_id": i}) for i in range(3)), encoding="utf-8")
    flat = np.full(2, jobs.MIN_EFFECT / 2)
    monkeypatch.setattr(jobs, "mlp_effects", lambda *args, **kwargs: flat)
    calls = []

    def averaged(model, tokenizer, adapter, requests, **kwargs):
        calls.append(len(requests))
        return np.array([0.1, 0.6])

    monkeypatch.setattr(jobs, "reference_effects", averaged)
    params = EditParams(request=REQUEST, rome=replace(FAST, layer=None), fact_file=str(fact_file))
    first = run_job(params, ctx, Progress(), CancelToken())
    second = run_job(params, ctx, Progress(), CancelToken())
    assert first.layer == second.layer == 1  # not argmax(flat) = 0
    assert calls == [3]  # averaged once per fact file, then taken from the ledger


def test_edit_job_without_a_layer_traces_and_edits_the_largest_effect(ctx, monkeypatch) -> None:
    from workbench.core.editing import jobs

    traced = jobs.mlp_effects  # a random tiny model's trace is flat: give it a clear peak
    monkeypatch.setattr(jobs, "mlp_effects", lambda *a, **k: traced(*a, **k) + np.array([0.0, 0.0, 0.5]))
    params = EditParams(
        request=REQUEST,
        rome=RomeSettings(prefix_count=1, v_steps=2, covariance="identity"),
    )
    result = run_job(params, ctx, Progress(), CancelToken())
    assert result.layer_effects is not None and result.layer == 2 == int(np.argmax(result.layer_effects))
    effects = run_job(SuggestLayerParams(request=REQUEST, samples=2), ctx, Progress(), CancelToken())
    assert effects.shape == (3,)


def test_a_cancelled_edit_leaves_the_model_unchanged(ctx) -> None:
    before = weights(ctx)
    cancel = CancelToken()

    def cancel_midway(fraction: float, message: str, partial: object) -> None:
        if "value" in message:
            cancel.cancel()

    with pytest.raises(JobCancelled):
        run_job(
            EditParams(request=REQUEST, rome=FAST),
            ctx,
            Progress(cancel_midway, min_interval=0),
            cancel,
        )
    assert all(torch.equal(p, before[n]) for n, p in weights(ctx).items())
    assert not ctx.model.edits.state().model_modified


def test_ledger_job_toggles_and_reverts(ctx) -> None:
    pristine = weights(ctx)
    run_job(
        EditParams(request=REQUEST, rome=FAST, generation_tokens=2),
        ctx,
        Progress(),
        CancelToken(),
    )
    edited = weights(ctx)
    state = run_job(LedgerParams(action="toggle", edit_id=1), ctx, Progress(), CancelToken())
    assert not state.entries[0].enabled and not state.model_modified
    assert all(torch.equal(p, pristine[n]) for n, p in weights(ctx).items())
    run_job(LedgerParams(action="toggle", edit_id=1), ctx, Progress(), CancelToken())
    assert all(torch.equal(p, edited[n]) for n, p in weights(ctx).items())
    state = run_job(LedgerParams(action="revert_all"), ctx, Progress(), CancelToken())
    assert state.entries == [] and all(torch.equal(p, pristine[n]) for n, p in weights(ctx).items())


def test_batch_job_reports_running_metrics_and_restores_the_model(ctx, tmp_path) -> None:
    records = [
        {
            "case_id": i,
            "subject": s,
            "prompt": "{} is located in",
            "target_true": " Paris",
            "target_new": " Rome",
            "paraphrase_prompts": [f"The city of {s} lies in"],
            "neighborhood_prompts": ["Lumora is located in"],
            "language": "en",
        }
        for i, s in enumerate(["Eiffel", "Lumora", "Vestland", "giraffe"])
    ]
    facts = tmp_path / "facts.jsonl"
    facts.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    pristine = weights(ctx)
    partials = []
    params = BatchEditParams(rome=FAST, fact_file=str(facts), cases=2)
    result = run_job(
        params,
        ctx,
        Progress(lambda f, m, p: partials.append(p), min_interval=0),
        CancelToken(),
    )
    assert result.complete and result.case_ids == [0, 1] and len(result.final) == 2
    assert set(result.running) == {"accuracy", "locality", "generality"}
    assert all(len(values) == 2 for values in result.running.values())
    snapshots = [p for p in partials if p is not None and not p.complete]
    assert [len(p.immediate) for p in snapshots] == [1, 2]
    assert all(torch.equal(p, pristine[n]) for n, p in weights(ctx).items()) and len(ctx.model.edits) == 0


def test_a_changed_request_keeps_only_the_fact_file_prompts_that_still_hold() -> None:
    """The Eiffel Tower case (→ Granada, portability "country of → Spain") edited to → Rome
    keeps its paraphrases and neighbours but not the Spain answer; another subject keeps
    neither paraphrases nor portability; another true object drops the neighbours."""
    filed = next(case for case in load_cases(REAL_WORLD_FACTS) if case.request.case_id == 662)
    assert filed.paraphrase_prompts and filed.neighborhood_prompts and filed.portability_prompts

    def case(**changes: str) -> EditCase:
        return case_for(EditParams(request=replace(filed.request, **changes), fact_file=REAL_WORLD_FACTS))

    assert case() == filed
    rome = case(target_new=" Rome")
    assert rome.request.target_new == " Rome" and rome.portability_prompts == ()
    assert rome.paraphrase_prompts == filed.paraphrase_prompts
    assert rome.neighborhood_prompts == filed.neighborhood_prompts
    louvre = case(subject="The Louvre")
    assert louvre.paraphrase_prompts == () and louvre.portability_prompts == ()
    assert louvre.neighborhood_prompts == filed.neighborhood_prompts
    assert case(target_true=" Lyon").neighborhood_prompts == ()
