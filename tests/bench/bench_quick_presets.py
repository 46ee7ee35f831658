"""The labs' "Quick demo" presets finish in a lecture's breath: ≤ 15 s each on two CPU cores.

Each preset runs as its lab starts it, on the demo model (loaded once, outside the timing), in a
fresh project: a LoRA of ``finetune.params.QUICK_DEMO``, the ten articles of
``rag.params.QUICK_DEMO_DOCUMENTS`` (the embedder's first load included, as in a fresh app) and
an averaged trace over ``tracing.params.QUICK_DEMO_AVERAGE_FACTS`` facts with the Trace tab's
default noise.  The time printed is what the preset's label promises (``QUICK_DEMO_*SECONDS``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from workbench.base.jobs import CancelToken, JobContext, JobParams, Progress, run_job
from workbench.base.paths import DEMO_MODEL_DIR, DEMO_WORLD_DIR

TARGET_S = 15.0


@pytest.fixture(scope="module")
def demo_session() -> Any:
    if not (DEMO_MODEL_DIR / "config.json").exists():
        pytest.skip(f"no demo model at {DEMO_MODEL_DIR}")
    import workbench.job_index  # noqa: F401  (registers the jobs)
    from workbench.core.model.session import ModelSession
    from workbench.core.model.spec import ModelSpec

    return ModelSession.load(ModelSpec(source="demo", device="cpu"))


def _timed(ctx: JobContext, params: JobParams) -> tuple[float, Any]:
    started = time.perf_counter()
    result = run_job(params, ctx, Progress(), CancelToken())
    return time.perf_counter() - started, result


def _report(record: Callable[..., bool], name: str, seconds: float, promised: float, detail: str) -> None:
    print(f"\nBENCH {name}: {seconds:.1f} s (label says ≈ {promised} s; target ≤ {TARGET_S:.0f} s) · {detail}")
    assert record(f"{name} (s)", seconds, "<=", TARGET_S, "s")


def test_the_quick_lora_trains_in_seconds(demo_session, tmp_path: Path, bench_record) -> None:
    from workbench.core.finetune.params import QUICK_DEMO, QUICK_DEMO_SECONDS

    ctx = JobContext(model=demo_session)
    seconds, result = _timed(ctx, replace(QUICK_DEMO, output_dir=str(tmp_path / "adapter")))
    _report(bench_record, "quick-demo LoRA", seconds, QUICK_DEMO_SECONDS, f"{result.steps} steps")
    from workbench.core.finetune.jobs import adapter_stack

    adapter_stack(demo_session).clear()


def test_the_quick_ingest_reads_a_handful_of_articles_in_seconds(demo_session, tmp_path: Path, bench_record) -> None:
    from workbench.core.rag.params import QUICK_DEMO_INGEST_SECONDS, quick_demo_ingest
    from workbench.store import ProjectStore

    with ProjectStore.create(tmp_path / "quick.wbproj") as store:
        ctx = JobContext(model=demo_session, store=store)
        seconds, result = _timed(ctx, quick_demo_ingest(DEMO_WORLD_DIR / "encyclopedia"))
    detail = f"{result.documents} documents, {result.chunks} chunks"
    _report(bench_record, "quick-demo ingest", seconds, QUICK_DEMO_INGEST_SECONDS, detail)


def test_the_quick_average_traces_a_few_facts_in_seconds(demo_session, bench_record) -> None:
    from workbench.core.tracing.params import (
        QUICK_DEMO_AVERAGE_FACTS,
        QUICK_DEMO_AVERAGE_SECONDS,
        AveragingParams,
        TraceParams,
    )

    params = AveragingParams.like_trace(TraceParams(), str(DEMO_WORLD_DIR / "facts.jsonl"), QUICK_DEMO_AVERAGE_FACTS)
    seconds, result = _timed(JobContext(model=demo_session), params)
    detail = f"{result.facts_traced} facts traced, {result.facts_skipped} skipped"
    _report(bench_record, "quick-demo average", seconds, QUICK_DEMO_AVERAGE_SECONDS, detail)
