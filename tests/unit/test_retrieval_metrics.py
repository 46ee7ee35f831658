"""recall@k and MRR@10 by language group, from a labelled query file."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

from workbench.base.errors import InvalidParameters
from workbench.core.rag.bm25 import BM25Index
from workbench.core.rag.dense import DenseSearch
from workbench.core.rag.params import ChunkSettings
from workbench.core.rag.retrieval import CollectionIndex
from workbench.core.rag.retrieval_metrics import Config, evaluate, load_queries
from workbench.core.rag.sparse_tokens import terms
from workbench.store import ChunkRows, CollectionRow, DocumentRow

DOCUMENTS = {
    1: ("alpha.md", "en", "Alpha rivers flow north."),
    2: ("beta.md", "en", "Beta mountains are tall. Nothing about the other word."),
    3: ("zebra.md", "zh", "斑马是黑白相间的。"),
    4: ("delta.md", "en", "Delta is a city by the sea."),
}


def _index() -> CollectionIndex:
    documents = {
        i: DocumentRow(i, 1, f"/docs/{name}", name, "md", str(i), lang, "indexed", "", text, ())
        for i, (name, lang, text) in DOCUMENTS.items()
    }
    ids = np.arange(1, 5, dtype=np.int64)
    chunks = ChunkRows(
        ids, ids.copy(), np.zeros(4, np.int64), np.array([len(d[2]) for d in DOCUMENTS.values()]), -np.ones(4, np.int64)
    )
    bm25 = BM25Index.build([terms(d[2]) for d in DOCUMENTS.values()], "jieba")
    collection = CollectionRow(1, "test", "e5-small", asdict(ChunkSettings()), "jieba", 1)
    return CollectionIndex(collection, documents, chunks, bm25, _no_dense())


def _no_dense() -> DenseSearch:
    return DenseSearch("e5-small", np.eye(4, 8, dtype=np.float32), np.array(["en", "en", "zh", "en"]))


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def test_recall_and_mrr_are_computed_per_language_group(tmp_path: Path) -> None:
    queries = load_queries(
        _write(
            tmp_path / "q.jsonl",
            [
                {"question": "alpha rivers", "gold_document": "alpha.md", "language": "en"},
                {"question": "delta city", "gold_document": "docs/beta", "language": "en"},  # BM25 misses it
                {"question": "斑马 颜色", "document": "zebra", "language": "en"},  # an "English" question, zh doc
                {"question": "mountains", "evidence": "Beta ＭＯＵＮＴＡＩＮＳ"},  # evidence, NFKC-matched
                {"question": "sea", "gold_document": "not_in_collection.md"},
            ],
        )
    )
    rows, skipped = evaluate(_index(), queries, [Config("bm25", "-", "-")])
    by_group = {row.group: row for row in rows}
    assert set(by_group) == {"all", "en", "en→zh"}
    assert by_group["all"].questions == 4 and by_group["en"].questions == 3
    assert by_group["all"].recall_at_1 == pytest.approx(3 / 4)
    assert by_group["en"].recall_at_10 == pytest.approx(2 / 3)
    assert by_group["en"].mrr_at_10 == pytest.approx(2 / 3)
    assert by_group["en→zh"].recall_at_5 == 1.0
    assert len(skipped) == 1 and "not in the collection" in skipped[0]
    assert by_group["all"].latency_ms_p95 >= by_group["all"].latency_ms_mean * 0.5 > 0


def test_a_query_file_without_labels_is_refused_with_its_line(tmp_path: Path) -> None:
    with pytest.raises(InvalidParameters, match="line 2"):
        load_queries(_write(tmp_path / "bad.jsonl", [{"question": "a", "doc": "x"}, {"question": "b"}]))
    with pytest.raises(InvalidParameters, match="does not exist"):
        load_queries(tmp_path / "missing.jsonl")


def test_evidence_cut_by_a_chunk_boundary_counts_where_a_chunk_covers_half_of_it(tmp_path: Path) -> None:
    text = "Gamma owls hunt at night. Epsilon foxes sleep all day long."
    documents = {1: DocumentRow(1, 1, "/docs/g.md", "g.md", "md", "1", "en", "indexed", "", text, ())}
    cut = text.index("sleep") + 2  # the evidence "foxes sleep all day" straddles two chunks
    ids = np.array([1, 2], np.int64)
    chunks = ChunkRows(ids, np.ones(2, np.int64), np.array([0, cut]), np.array([cut, len(text)]), -np.ones(2, np.int64))
    bm25 = BM25Index.build([terms(text[:cut]), terms(text[cut:])], "jieba")
    collection = CollectionRow(1, "test", "e5-small", asdict(ChunkSettings()), "jieba", 1)
    dense = DenseSearch("e5-small", np.eye(2, 8, dtype=np.float32), np.array(["en", "en"]))
    index = CollectionIndex(collection, documents, chunks, bm25, dense)
    queries = load_queries(
        _write(tmp_path / "q.jsonl", [{"question": "foxes day", "evidence": "foxes sleep all day", "group": "en-para"}])
    )
    rows, skipped = evaluate(index, queries, [Config("bm25", "-", "-")])
    assert not skipped
    assert {row.group for row in rows} == {"all", "en-para"}  # the file's own group label
    assert all(row.recall_at_1 == 1.0 for row in rows)
