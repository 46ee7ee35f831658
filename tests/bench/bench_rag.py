"""RAG benchmarks: ingest vs raw encode, BM25 build on Chinese, query latency at 100 k chunks,
query latency with passive vs spinning OpenMP pools, and hybrid fusion vs its parts on the
demo world.

Baselines measured in the same run: ``embedder.encode`` of the very chunks the ingest
encodes; the same query loop in a process whose OpenMP pools spin (``OMP_WAIT_POLICY=ACTIVE``).
Run with ``./dev.sh bench -k rag`` (the 100 k test takes a few minutes on two cores).
The fusion table's baselines are BM25 and dense alone, and RRF, on the same questions.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
import time
import zlib
from pathlib import Path

import numpy as np
import pytest

from workbench.base.jobs import CancelToken, JobContext, Progress
from workbench.base.paths import DEMO_WORLD_DIR
from workbench.core.rag import threads, vector_index
from workbench.core.rag.bm25 import BM25Index
from workbench.core.rag.chunking import chunk_text
from workbench.core.rag.embedders import load_embedder
from workbench.core.rag.fusion import fuse
from workbench.core.rag.jobs import ingest_job, open_collection
from workbench.core.rag.params import FUSIONS, ChunkSettings, IngestParams, IngestResult
from workbench.core.rag.retrieval_metrics import Config, LabelledQuery, evaluate
from workbench.core.rag.sparse_tokens import terms

ZH_WORDS = (
    "长颈鹿 斑马 河流 城市 国家 公司 发明 首都 位于 出生 母语 创立 草原 动物 科学家 历史 经济 文化 "
    "人口 山脉 湖泊 港口 工厂 铁路 大学 医院 博物馆 音乐 绘画 语言 文字 天气 季节 农业 渔业 贸易"
).split()
EN_WORDS = (
    "giraffe zebra river city country company invention capital located born language founded "
    "savanna animal scientist history economy culture population mountain lake harbour factory "
    "railway university hospital museum music painting weather season farming fishing trade"
).split()


def _chinese_text(chars: int, rng: random.Random) -> str:
    sentences = []
    total = 0
    while total < chars:
        sentence = "".join(rng.choice(ZH_WORDS) for _ in range(rng.randint(4, 12))) + rng.choice("。！？")
        sentences.append(sentence)
        total += len(sentence)
    return "".join(sentences)


def _english_text(words: int, rng: random.Random) -> str:
    sentences = []
    while words > 0:
        n = rng.randint(6, 14)
        sentences.append(" ".join(rng.choice(EN_WORDS) for _ in range(n)).capitalize() + ".")
        words -= n
    return " ".join(sentences)


def _p(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


@pytest.mark.parametrize("embedder_name", ["e5-small", "minilm"])
def test_ingest_throughput_vs_raw_encode(tmp_path: Path, embedder_name: str, bench_record) -> None:
    from workbench.store.project import ProjectStore

    threads.configure()
    rng = random.Random(0)
    folder = tmp_path / "docs"
    folder.mkdir()
    for i in range(20):
        text = _chinese_text(900, rng) if i % 2 else _english_text(160, rng)
        (folder / f"doc{i:03d}.md").write_text(f"# Document {i}\n\n{text}\n", encoding="utf-8")
    settings = ChunkSettings()
    texts = []
    for path in sorted(folder.iterdir()):
        text = path.read_text(encoding="utf-8")
        texts += [text[s:e] for s, e in zip(*chunk_text(text, settings))]
    embedder = load_embedder(embedder_name)
    embedder.encode(texts[:8])  # warm

    def raw() -> float:
        started = time.perf_counter()
        embedder.encode(texts)
        return time.perf_counter() - started

    def ingest(round_: int) -> tuple[float, IngestResult]:
        store = ProjectStore.create(tmp_path / f"bench{round_}.wbproj")
        started = time.perf_counter()
        params = IngestParams("bench", (str(folder),), embedder_name, settings)
        result = ingest_job(JobContext(store=store), params, Progress(), CancelToken())
        seconds = time.perf_counter() - started
        store.close()
        return seconds, result

    # alternate the two and keep each one's best: the machine is shared, and the minimum is
    # the run least disturbed by other processes
    raws, ingests = [], []
    for round_ in range(2):
        raws.append(raw())
        seconds, result = ingest(round_)
        ingests.append(seconds)
    baseline, ingest_s = min(raws), min(ingests)
    assert result.chunks == len(texts)
    ratio = baseline / ingest_s
    print(
        f"\nBENCH rag_ingest[{embedder_name}]: {len(texts)} chunks, ingest {len(texts) / ingest_s:.1f} chunks/s "
        f"(runs {ingests[0]:.2f} s, {ingests[1]:.2f} s; encode part {result.encode_s:.2f} s), raw encode "
        f"{len(texts) / baseline:.1f} chunks/s (runs {raws[0]:.2f} s, {raws[1]:.2f} s) — ratio {ratio:.2f} vs raw "
        f"encode of the same chunks"
    )
    assert bench_record(f"rag ingest ({embedder_name}) vs raw encode", ratio, ">=", 0.8, "x")


def test_bm25_build_on_500k_chinese_characters(bench_record) -> None:
    rng = random.Random(1)
    text = _chinese_text(500_000, rng)
    starts, ends = chunk_text(text, ChunkSettings())
    chunks = [text[s:e] for s, e in zip(starts, ends)]
    started = time.perf_counter()
    chunk_terms = [terms(chunk) for chunk in chunks]
    tokenise_s = time.perf_counter() - started
    index = BM25Index.build(chunk_terms, "jieba")
    total_s = time.perf_counter() - started
    blob = index.to_bytes()
    started = time.perf_counter()
    BM25Index.from_bytes(blob, len(chunks), "jieba")
    reopen_s = time.perf_counter() - started
    started = time.perf_counter()
    bigram_index = BM25Index.build([terms(chunk, "bigram") for chunk in chunks], "bigram")
    bigram_s = time.perf_counter() - started
    print(
        f"\nBENCH rag_bm25_build: {len(text)} Chinese chars, {len(chunks)} chunks: jieba {total_s:.2f} s "
        f"(segmentation {tokenise_s:.2f} s), bigram {bigram_s:.2f} s, reopen from the project blob "
        f"{reopen_s * 1000:.0f} ms ({len(blob) / 2**20:.1f} MiB)"
    )
    assert bigram_index.size == len(chunks)
    assert bench_record("rag bm25 build, 500k Chinese chars", total_s, "<", 60, "s")


def _synthetic_terms(count: int, rng: np.random.Generator) -> list[list[str]]:
    vocabulary = [terms(w)[0] for w in ZH_WORDS + EN_WORDS] + [f"w{i}" for i in range(20000)]
    weights = 1.0 / np.arange(1, len(vocabulary) + 1)  # Zipf's law
    weights /= weights.sum()
    lengths = rng.integers(30, 80, count)
    draws = rng.choice(len(vocabulary), size=int(lengths.sum()), p=weights)
    out, cursor = [], 0
    for length in lengths:
        out.append([vocabulary[i] for i in draws[cursor : cursor + length]])
        cursor += length
    return out


def test_query_latency_at_100k_chunks(bench_record) -> None:
    threads.configure()
    count, rng = 100_000, np.random.default_rng(0)
    embedder = load_embedder("e5-small")
    started = time.perf_counter()
    bm25 = BM25Index.build(_synthetic_terms(count, rng), "jieba")
    bm25_build = time.perf_counter() - started
    centres = rng.normal(size=(200, embedder.dim)) * 2
    vectors = (rng.normal(size=(count, embedder.dim)) + centres[rng.integers(0, 200, count)]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    indexes = {}
    build_s = {}
    for kind in ("flat", "hnsw"):
        started = time.perf_counter()
        indexes[kind] = vector_index.build(kind, vectors)
        build_s[kind] = time.perf_counter() - started
    qrng = random.Random(2)
    queries = [
        "".join(qrng.choice(ZH_WORDS) for _ in range(3)) if i % 2 else " ".join(qrng.choice(EN_WORDS) for _ in range(4))
        for i in range(100)
    ]
    latencies: dict[str, list[float]] = {"bm25": [], "flat": [], "hnsw": [], "hybrid-flat": [], "hybrid-hnsw": []}
    for query in queries[:5]:  # warm
        bm25.search(query, 10)
        vector_index.search(indexes["hnsw"], embedder.encode([query], queries=True), 10)
    for query in queries:
        started = time.perf_counter()
        sparse, sparse_scores, _ = bm25.search(query, 50)
        latencies["bm25"].append(time.perf_counter() - started)
        for kind in ("flat", "hnsw"):
            started = time.perf_counter()
            dense, _ = vector_index.search(indexes[kind], embedder.encode([query], queries=True), 50)
            latencies[kind].append(time.perf_counter() - started)
            started = time.perf_counter()
            sparse, sparse_scores, _ = bm25.search(query, 50)
            dense, dense_scores = vector_index.search(indexes[kind], embedder.encode([query], queries=True), 50)
            fuse((dense[0], dense_scores[0]), (sparse, sparse_scores))
            latencies[f"hybrid-{kind}"].append(time.perf_counter() - started)
    summary = ", ".join(
        f"{name} p50 {_p(v, 50) * 1000:.1f} / p95 {_p(v, 95) * 1000:.1f} ms" for name, v in latencies.items()
    )
    print(
        f"\nBENCH rag_query_100k: {summary} (dense includes the e5-small query embedding; build: bm25 "
        f"{bm25_build:.1f} s, hnsw {build_s['hnsw']:.1f} s; {threads.configure().threads} threads, "
        f"OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY')})"
    )
    met = [
        bench_record(f"rag query p95 at 100k chunks ({name})", _p(values, 95) * 1000, "<", 100, "ms")
        for name, values in latencies.items()
    ]
    assert all(met)


_POLICY_PROBE = textwrap.dedent(
    """
    import json, sys, time
    import numpy as np
    from workbench.core.rag import threads, vector_index
    from workbench.core.rag.embedders import load_embedder
    threads.configure()
    embedder = load_embedder(sys.argv[1])
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(20000, embedder.dim)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    index = vector_index.build("flat", vectors)
    times = []
    for i in range(60):
        started = time.perf_counter()
        query = embedder.encode([f"where is the river number {i}"], queries=True)
        vector_index.search(index, query, 10)
        np.linalg.norm(vectors[:2000] @ query[0])  # BLAS, as BM25/fusion do with numpy
        times.append(time.perf_counter() - started)
    print(json.dumps(times[10:]))
    """
)


@pytest.mark.parametrize("embedder_name", ["minilm", "e5-small"])
def test_query_latency_passive_vs_spinning_openmp(embedder_name: str) -> None:
    import json

    results = {}
    for policy in ("PASSIVE", "ACTIVE"):
        env = {**os.environ, "OMP_WAIT_POLICY": policy, "KMP_BLOCKTIME": "0" if policy == "PASSIVE" else "200"}
        output = subprocess.run(
            [sys.executable, "-c", _POLICY_PROBE, embedder_name], env=env, capture_output=True, text=True, timeout=600
        )
        assert output.returncode == 0, output.stderr[-2000:]
        results[policy] = json.loads(output.stdout.strip().splitlines()[-1])
    passive, active = (np.percentile(results[p], [50, 95]) * 1000 for p in ("PASSIVE", "ACTIVE"))
    print(
        f"\nBENCH rag_thread_policy[{embedder_name}]: encode+search+BLAS per query, passive p50 {passive[0]:.1f} / "
        f"p95 {passive[1]:.1f} ms, spinning p50 {active[0]:.1f} / p95 {active[1]:.1f} ms — ratio "
        f"{active[1] / passive[1]:.2f}× p95 vs OMP_WAIT_POLICY=ACTIVE"
    )


@pytest.mark.skipif(not (DEMO_WORLD_DIR / "rag_questions.jsonl").exists(), reason="the demo world is not generated")
def test_hybrid_fusion_vs_its_parts_on_the_demo_world(tmp_path: Path) -> None:
    """R@5 and MRR@10 of BM25, dense and each fusion, on a dev and a held-out half of the
    demo world's entities (crc32 of the entity id: no entity's questions in both halves, and
    every relation in both — an even/odd question index would put whole relations in one half)."""
    from workbench.store.project import ProjectStore

    threads.configure()
    store = ProjectStore.create(tmp_path / "demo.wbproj")
    ctx = JobContext(store=store)
    encyclopedia = DEMO_WORLD_DIR / "encyclopedia"
    ingest_job(
        ctx, IngestParams("world", (str(encyclopedia / "en"), str(encyclopedia / "zh"))), Progress(), CancelToken()
    )
    index = open_collection(ctx, "world")
    records = [
        json.loads(line) for line in (DEMO_WORLD_DIR / "rag_questions.jsonl").read_text("utf-8").splitlines() if line
    ]
    halves: dict[str, list[LabelledQuery]] = {"dev": [], "held-out": []}
    for r in records:
        half = "dev" if zlib.crc32(str(r["entity_id"]).encode()) % 2 == 0 else "held-out"
        halves[half].append(LabelledQuery(str(r["question"]), (str(r["gold_document"]),), "", str(r["language"])))
    embedder = index.collection.embedder
    table: dict[tuple[str, str, str], tuple[int, float, float]] = {}
    for half, queries in halves.items():
        runs = [
            ("bm25", Config("bm25", "-", "-"), FUSIONS[0]),
            ("dense", Config("dense", embedder, "flat"), FUSIONS[0]),
        ]
        runs += [(f"hybrid-{f}", Config("hybrid", embedder, "flat"), f) for f in FUSIONS]
        for name, config, fusion in runs:
            rows, skipped = evaluate(index, queries, [config], fusion=fusion)
            assert not skipped
            for row in rows:
                table[half, name, row.group] = (row.questions, row.recall_at_5, row.mrr_at_10)
    store.close()
    names = ["bm25", "dense", *(f"hybrid-{f}" for f in FUSIONS)]
    groups = ["en", "zh", "en→zh", "all"]
    for name in names:  # both halves together: question-weighted means of the halves
        for group in groups:
            parts = [table[h, name, group] for h in halves]
            n = sum(p[0] for p in parts)
            table["all", name, group] = (n, *(sum(p[0] * p[i] for p in parts) / n for i in (1, 2)))
    lines = [f"{'':8} {'retriever':14} " + " ".join(f"{g + ' R@5/MRR':>17}" for g in groups)]
    for half in ("dev", "held-out", "all"):
        lines.append(f"{half:8} {'questions':14} " + " ".join(f"{table[half, 'bm25', g][0]:>17d}" for g in groups))
        for name in names:
            cells = " ".join(f"{table[half, name, g][1]:8.3f}/{table[half, name, g][2]:.3f}" for g in groups)
            lines.append(f"{half:8} {name:14} {cells}")
    print("\nBENCH rag_fusion (demo world, e5-small, flat; baselines BM25 and dense alone):\n" + "\n".join(lines))
    for half in ("held-out", "all"):
        for group in groups:
            best_part = max(table[half, "bm25", group][2], table[half, "dense", group][2])
            assert table[half, f"hybrid-{FUSIONS[0]}", group][2] >= best_part, (half, group)
