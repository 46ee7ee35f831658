"""ROME and T-Patcher on SmolLM2: facts it knows, rewritten, by ROME's own success rules."""

from __future__ import annotations

import pytest

from workbench.base.jobs import CancelToken, JobContext, Progress, run_job
from workbench.core.editing.cases import REAL_WORLD_FACTS, EditCase, load_cases
from workbench.core.editing.counterfact_scores import rome_scores
from workbench.core.editing.covariance import RUN_KIND as COVARIANCE_RUN
from workbench.core.editing.jobs import ledger_of
from workbench.core.editing.known_facts import check_fact
from workbench.core.editing.params import EditParams, RomeSettings, TPatcherSettings
from workbench.store import ProjectStore

ROME_LAYER = 0
"""The layer ROME's own rule (the quick MLP trace at the last subject token) picks for 36 of
37 known facts on SmolLM2 (H200 run: efficacy and paraphrase 100 % there): restoring layer 0's
MLP output alone brings back p(true) (0.76 of 0.77 on "The capital of France is"), every other
single MLP less than 0.03.  Fixed so the test spends no time on the trace."""
COVARIANCE_TOKENS = 4000
"""Layer 0's keys need one layer of each corpus pass: a few seconds on two cores."""


@pytest.fixture(scope="module")
def known_cases(smollm2) -> list[EditCase]:
    """Three English facts the model knows, from different relations."""
    chosen: list[EditCase] = []
    relations: set[str] = set()
    for case in load_cases(REAL_WORLD_FACTS):
        if case.language != "en" or not case.neighborhood_prompts or case.request.prompt in relations:
            continue
        if check_fact(smollm2.require_loaded(), smollm2.tokenizer, case).known:
            chosen.append(case)
            relations.add(case.request.prompt)
        if len(chosen) == 3:
            return chosen
    pytest.fail("SmolLM2 knows fewer than three facts of the real-world set")


def _edit(ctx: JobContext, case: EditCase, **settings) -> dict[str, float]:
    params = EditParams(request=case.request, fact_file=REAL_WORLD_FACTS, generation_tokens=4, **settings)
    run_job(params, ctx, Progress(lambda *_: None), CancelToken())
    session = ctx.require_model()
    return rome_scores(session.require_loaded(), session.tokenizer, case)


def test_rome_rewrites_known_facts_and_keeps_their_neighbours(fresh_smollm2, known_cases, tmp_path) -> None:
    store = ProjectStore.create(tmp_path / "project.wbproj")
    ctx = JobContext(model=fresh_smollm2, store=store)
    cases = known_cases[:2]
    before = [rome_scores(fresh_smollm2.require_loaded(), fresh_smollm2.tokenizer, case) for case in cases]
    assert all(scores["efficacy"] == 0 for scores in before)  # the model prefers the true object
    after = []
    for case in cases:
        rome = RomeSettings(layer=ROME_LAYER, covariance_tokens=COVARIANCE_TOKENS)
        after.append(_edit(ctx, case, method="rome", rome=rome))
        ledger_of(fresh_smollm2).revert_all()
    for case, scores in zip(cases, after, strict=True):
        assert scores["efficacy"] == 1.0, (case.request, scores)
        assert scores["neighbourhood"] >= 0.5, (case.request, scores)
    paraphrase = [scores["paraphrase"] for scores in after]
    assert sum(paraphrase) / len(paraphrase) >= 0.5, paraphrase
    # the second edit of the same layer reads C from the cache; the project keeps it for later sessions
    assert ledger_of(fresh_smollm2).covariances.computed == 1
    assert [run.kind for run in store.list_runs() if run.kind == COVARIANCE_RUN] == [COVARIANCE_RUN]
    store.close()


def test_tpatcher_rewrites_a_known_fact(fresh_smollm2, known_cases) -> None:
    ctx = JobContext(model=fresh_smollm2)
    case = known_cases[2]
    scores = _edit(ctx, case, method="tpatcher", tpatcher=TPatcherSettings(memory_size=200))
    assert scores["efficacy"] == 1.0, (case.request, scores)
    assert scores["neighbourhood"] >= 0.5, (case.request, scores)
