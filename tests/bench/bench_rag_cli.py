"""``workbench-cli rag query``, one process per query: wall time from start to exit on the demo
world's collection (490 articles, English and Chinese; default settings: e5-small, jieba).

A query process is almost all start-up, so this measures what it imports and opens.  Target:
under 1 s for BM25 and hybrid, an English and a Chinese question (the Chinese one reads only
its characters' part of jieba's dictionary, see ``core/rag/jieba_dictionary.py``).  Measured
in the same run, in turn with the queries, for context: ``python -c pass`` (the interpreter
alone) and ``python -c "import torch"`` (which a query no longer imports;
``tests/unit/test_rag_cli.py`` guards that without timing).  Run with ``./dev.sh bench -k
rag_cli`` (the ingest takes a minute or two).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

import workbench
from workbench.base.jobs import CancelToken, JobContext, Progress
from workbench.base.paths import DEMO_WORLD_DIR
from workbench.core.rag.jobs import ingest_job
from workbench.core.rag.params import IngestParams

RUNS = 5
QUESTIONS = {"en": "Where does the giraffe live?", "zh": "长颈鹿生活在哪里？"}


@pytest.fixture(scope="module")
def demo_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from workbench.store.project import ProjectStore

    path = tmp_path_factory.mktemp("rag_cli") / "demo.wbproj"
    store = ProjectStore.create(path)
    encyclopedia = DEMO_WORLD_DIR / "encyclopedia"
    params = IngestParams("world", (str(encyclopedia / "en"), str(encyclopedia / "zh")))
    ingest_job(JobContext(store=store), params, Progress(), CancelToken())
    store.close()
    return path


def _wall_s(argv: list[str]) -> float:
    """One process's wall time; run from this checkout so it imports this checkout's code."""
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True, timeout=120, cwd=Path(workbench.__file__).parents[1])
    return time.perf_counter() - started


def test_rag_query_process_wall_time(demo_project: Path, bench_record) -> None:
    def query(retriever: str, language: str) -> list[str]:
        return [sys.executable, "-m", "workbench.cli", "rag", "query", "--project", str(demo_project),
                "--collection", "world", "--retriever", retriever, "--quiet", "--json", QUESTIONS[language]]  # fmt: skip

    commands = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "python -c 'import torch'": [sys.executable, "-c", "import torch"],
        **{f"{r} {lang}": query(r, lang) for r in ("bm25", "dense", "hybrid") for lang in QUESTIONS},
    }
    for argv in commands.values():
        _wall_s(argv)  # warm-up: the page cache, the sharded jieba dictionary (the first Chinese query writes it)
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(RUNS):  # in turn, so a drift in the machine's speed touches every command alike
        for name, argv in commands.items():
            times[name].append(_wall_s(argv))
    median = {name: statistics.median(values) for name, values in times.items()}
    torch_s, python_s = median["python -c 'import torch'"], median["python -c pass"]
    lines = [
        f"  {name:26} median {value:.3f} s (min {min(times[name]):.3f}) — {value / torch_s:.2f}x import torch, "
        f"{value / python_s:.1f}x python -c pass"
        for name, value in median.items()
    ]
    print(f"\nBENCH rag_cli (one process per query, {RUNS} runs each, in turn):\n" + "\n".join(lines))
    for retriever in ("bm25", "hybrid"):
        for language in QUESTIONS:
            value = median[f"{retriever} {language}"]
            bench_record(f"rag query {retriever} process ({language})", value, "<", 1.0, "s")
