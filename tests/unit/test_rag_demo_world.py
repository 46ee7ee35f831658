"""The RAG targets on the bundled demo world (skipped where the demo world is not generated).

Ingests the whole encyclopedia (every article is a distractor for the others) with the
default settings, then checks a sample of the labelled questions in each group.  The full
measurement (all 1,504 questions, every embedder and index) is the ``rag eval`` command in
the RAG note.
"""

from __future__ import annotations

import json
import random

import pytest

from workbench.base.jobs import CancelToken, JobContext, Progress
from workbench.base.paths import DEMO_MODEL_DIR, DEMO_WORLD_DIR
from workbench.core.rag import jobs
from workbench.core.rag.params import AskParams, IngestParams
from workbench.core.rag.retrieval_metrics import Config, LabelledQuery, evaluate
from workbench.store.project import ProjectStore

QUESTIONS = DEMO_WORLD_DIR / "rag_questions.jsonl"
ENCYCLOPEDIA = DEMO_WORLD_DIR / "encyclopedia"
PER_GROUP = 25

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not QUESTIONS.exists(), reason="the demo world has not been generated"),
]


@pytest.fixture(scope="module")
def demo_ctx(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    store = ProjectStore.create(tmp_path_factory.mktemp("demo") / "demo.wbproj")
    ctx = JobContext(store=store)
    paths = (str(ENCYCLOPEDIA / "en"), str(ENCYCLOPEDIA / "zh"))
    jobs.ingest_job(ctx, IngestParams("world", paths), Progress(), CancelToken())
    yield ctx
    store.close()


def _records() -> list[dict[str, object]]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _sample() -> list[LabelledQuery]:
    groups: dict[tuple[str, str], list[dict[str, object]]] = {}
    for record in _records():
        groups.setdefault((str(record["language"]), str(record["document_language"])), []).append(record)
    rng = random.Random(0)
    chosen = [r for members in groups.values() for r in rng.sample(members, min(PER_GROUP, len(members)))]
    return [LabelledQuery(str(r["question"]), (str(r["gold_document"]),), "", str(r["language"])) for r in chosen]


def test_recall_at_5_reaches_90_percent_in_each_language_and_across_languages(demo_ctx: JobContext) -> None:
    index = jobs.open_collection(demo_ctx, "world")
    rows, skipped = evaluate(index, _sample(), [Config("hybrid", index.collection.embedder, "flat")])
    assert not skipped
    by_group = {row.group: row for row in rows}
    assert set(by_group) == {"all", "en", "zh", "en→zh"}
    for group, row in by_group.items():
        assert row.recall_at_5 >= 0.9, (group, row)


@pytest.mark.skipif(not (DEMO_MODEL_DIR / "config.json").exists(), reason="the demo model is not bundled yet")
def test_the_demo_model_answers_with_retrieval_what_it_cannot_answer_alone(demo_ctx: JobContext) -> None:
    from workbench.core.model.session import ModelSession
    from workbench.core.model.spec import ModelSpec

    demo_ctx.model = ModelSession.load(ModelSpec())
    readable = [r for r in _records() if not r["answerable_closed_book"] and r["language"] == r["document_language"]]
    sample = random.Random(1).sample(readable, 20)
    with_retrieval = without = 0
    for record in sample:
        result = jobs.ask_job(demo_ctx, AskParams("world", str(record["question"])), Progress(), CancelToken())
        with_retrieval += result.answer == record["answer"]
        without += result.answer_without_retrieval == record["answer"]
    assert with_retrieval >= without + 5, (with_retrieval, without)
