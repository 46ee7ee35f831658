"""The labs' "Quick demo" presets (issue 18: the defaults take about 104 s, 64 s and 24 s on two
CPU cores) are valid parameters and strictly smaller jobs than the defaults.  How long they take
is measured in ``tests/bench/bench_quick_presets.py``, never here."""

from __future__ import annotations

from workbench.base.paths import DEMO_WORLD_DIR
from workbench.core.finetune.params import QUICK_DEMO, QUICK_DEMO_SECONDS, FinetuneParams
from workbench.core.finetune.training import plan_steps
from workbench.core.rag.params import (
    QUICK_DEMO_DOCUMENTS,
    QUICK_DEMO_INGEST_SECONDS,
    IngestParams,
    quick_demo_ingest,
)
from workbench.core.tracing.facts import load_facts
from workbench.core.tracing.params import (
    DEMO_AVERAGE_FACTS,
    QUICK_DEMO_AVERAGE_FACTS,
    QUICK_DEMO_AVERAGE_SECONDS,
    AveragingParams,
    TraceParams,
)
from workbench.store.codec import params_from_json, params_to_json

ENCYCLOPEDIA = DEMO_WORLD_DIR / "encyclopedia"
LECTURE_S = 15


def test_the_quick_lora_is_the_default_lora_on_the_demo_data_with_far_fewer_steps() -> None:
    defaults = FinetuneParams()
    assert QUICK_DEMO.method == defaults.method and QUICK_DEMO.data == defaults.data
    examples = sum(1 for line in (DEMO_WORLD_DIR / "finetune_train.jsonl").open(encoding="utf-8") if line.strip())
    _per_epoch, quick_steps = plan_steps(examples, QUICK_DEMO.train)
    _per_epoch, default_steps = plan_steps(examples, defaults.train)
    assert 0 < quick_steps <= default_steps // 4
    assert QUICK_DEMO.train.learning_rate is not None and 0 < QUICK_DEMO.train.learning_rate <= 1e-2
    assert 0 < QUICK_DEMO.train.eval_every <= quick_steps  # it still shows an eval curve
    assert params_from_json(FinetuneParams, params_to_json(QUICK_DEMO)) == QUICK_DEMO
    assert 0 < QUICK_DEMO_SECONDS <= LECTURE_S


def test_the_quick_ingest_names_a_handful_of_existing_articles_in_both_languages() -> None:
    params = quick_demo_ingest(ENCYCLOPEDIA)
    assert isinstance(params, IngestParams) and params.collection.strip()
    assert params.embedder is None and params.chunking is None  # the defaults, as the full demo
    paths = [ENCYCLOPEDIA / name for name in QUICK_DEMO_DOCUMENTS]
    assert all(path.is_file() for path in paths) and len(set(paths)) == len(paths)
    every_article = [path for path in ENCYCLOPEDIA.rglob("*") if path.is_file() and path.suffix != ".jsonl"]
    assert 5 <= len(paths) <= len(every_article) // 20
    assert {name.split("/")[0] for name in QUICK_DEMO_DOCUMENTS} == {"en", "zh"}
    assert params.paths == tuple(str(path) for path in paths)
    assert 0 < QUICK_DEMO_INGEST_SECONDS <= LECTURE_S


def test_the_quick_average_traces_fewer_of_the_demo_facts_than_the_default() -> None:
    facts = str(DEMO_WORLD_DIR / "facts.jsonl")
    params = AveragingParams.like_trace(TraceParams(), facts, QUICK_DEMO_AVERAGE_FACTS)
    params.check()
    assert 1 < QUICK_DEMO_AVERAGE_FACTS < DEMO_AVERAGE_FACTS
    assert len(load_facts(facts, limit=QUICK_DEMO_AVERAGE_FACTS)) == QUICK_DEMO_AVERAGE_FACTS
    assert 0 < QUICK_DEMO_AVERAGE_SECONDS <= LECTURE_S
