"""Retrieval evaluation over labelled questions: recall@1/5/10 and MRR@10 (book §6.3.3).

A question is labelled with its gold document (file name, with or without folder or
extension) and/or evidence text.  A retrieved chunk is relevant when it belongs to a gold
document, contains the evidence (compared after NFKC normalisation), or covers at least
half of the evidence where it stands verbatim in a document — so a gold passage cut by a
chunk boundary still counts, and a question file does not depend on the chunking.  recall@k is the
share of questions with a relevant chunk in the top k; MRR@10 the mean of 1/rank of the
first relevant chunk (0 when none is in the top 10) (Voorhees, 1999).

Scores are split by group: questions in the language of their document (``en``, ``zh``), and
cross-lingual ones (``en→zh``: an English question about a Chinese document), plus ``all``;
a question's own ``group`` field (e.g. ``en-para`` for paraphrases) replaces the computed one.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken
from workbench.core.rag.normalise import detect_language, normalise_plain
from workbench.core.rag.params import DEFAULT_FUSION, EvalRow
from workbench.core.rag.retrieval import CollectionIndex

KS = (1, 5, 10)
_GOLD_KEYS = ("gold_document", "gold_doc", "document", "doc", "source")
_EVIDENCE_KEYS = ("evidence", "evidence_text", "gold_text")


@dataclass(frozen=True)
class LabelledQuery:
    question: str
    gold_documents: tuple[str, ...]
    evidence: str
    language: str
    group: str | None = None
    """The question's own group label (the file's ``group``), else language and document decide."""


@dataclass(frozen=True)
class Config:
    retriever: str
    embedder: str
    index: str


def load_queries(path: str | Path) -> list[LabelledQuery]:
    """Read a JSON-lines file of labelled questions (``question`` plus gold document or evidence)."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise InvalidParameters(f"The query file {path} does not exist.")
    queries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record: dict[str, Any] = json.loads(line)
        except json.JSONDecodeError as error:
            raise InvalidParameters(f"{path.name} line {number} is not JSON ({error.msg}).") from error
        question = str(record.get("question", "")).strip()
        gold = next((record[k] for k in _GOLD_KEYS if record.get(k)), ())
        golds = tuple(str(g) for g in (gold if isinstance(gold, list) else [gold]) if g)
        evidence = str(next((record[k] for k in _EVIDENCE_KEYS if record.get(k)), ""))
        if not question or not (golds or evidence):
            raise InvalidParameters(f"{path.name} line {number} needs a question and a gold document or evidence.")
        language = str(record.get("language") or record.get("lang") or detect_language(question))
        group = str(record.get("group") or "") or None
        queries.append(LabelledQuery(question, golds, evidence, language, group))
    if not queries:
        raise InvalidParameters(f"{path.name} contains no questions.")
    return queries


def relevant_positions(index: CollectionIndex, query: LabelledQuery) -> tuple[set[int], str | None]:
    """Positions of chunks that answer ``query``, and the language of its gold document."""
    documents = [
        d for d in index.documents.values() if any(_same_document(g, d.name, d.source) for g in query.gold_documents)
    ]
    gold_ids = {d.id for d in documents}
    positions = set(np.flatnonzero(np.isin(index.chunks.document_ids, list(gold_ids))).tolist()) if gold_ids else set()
    if query.evidence:
        needle = normalise_plain(query.evidence)
        positions |= {p for p, text in enumerate(index.texts) if needle in normalise_plain(text)}
        positions |= _covering(index, query.evidence)
    language = documents[0].language if documents else None
    if language is None and positions:
        language = index.documents[int(index.chunks.document_ids[min(positions)])].language
    return positions, language


def evaluate(
    index: CollectionIndex,
    queries: Sequence[LabelledQuery],
    configs: Sequence[Config],
    *,
    rrf_k: int = 60,
    fusion: str = DEFAULT_FUSION,
    report: Callable[[float, str], None] | None = None,
    cancel: CancelToken | None = None,
) -> tuple[list[EvalRow], list[str]]:
    """Score every configuration on every answerable question; returns (rows, skipped)."""
    skipped: list[str] = []
    labelled: list[tuple[LabelledQuery, set[int], str]] = []
    for query in queries:
        positions, document_language = relevant_positions(index, query)
        if not positions:
            skipped.append(f"{query.question!r}: its gold document or evidence is not in the collection")
            continue
        group = (
            query.language if document_language in (None, query.language) else f"{query.language}→{document_language}"
        )
        group = query.group or group
        labelled.append((query, positions, group))
    if not labelled:
        raise InvalidParameters("None of the labelled questions has its gold document in this collection.")
    rows: list[EvalRow] = []
    total = len(configs) * len(labelled)
    for c, config in enumerate(configs):
        first_ranks = np.zeros(len(labelled), dtype=np.int64)  # 0 = not in the top 10
        latencies = np.zeros(len(labelled), dtype=np.float64)
        try:
            for q, (query, positions, _) in enumerate(labelled):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                ranking = index.rank(
                    query.question, config.retriever, max(KS), index=config.index, embedder=config.embedder,
                    rrf_k=rrf_k, fusion=fusion,
                )  # fmt: skip
                latencies[q] = ranking.latency_ms
                hits = [rank for rank, p in enumerate(ranking.positions.tolist(), start=1) if p in positions]
                first_ranks[q] = hits[0] if hits else 0
                if report is not None:
                    done = c * len(labelled) + q + 1
                    report(
                        done / total, f"{config.retriever}/{config.embedder}/{config.index}: {q + 1}/{len(labelled)}"
                    )
        except InvalidParameters as error:  # e.g. IVF on a small collection
            skipped.append(f"{config.retriever}/{config.embedder}/{config.index}: {error}")
            continue
        groups = ["all", *sorted({group for _, _, group in labelled})]
        for group in groups:
            member = np.asarray([group in ("all", g) for _, _, g in labelled])
            rows.append(_row(config, group, first_ranks[member], latencies[member]))
    return rows, skipped


def _covering(index: CollectionIndex, evidence: str) -> set[int]:
    """Chunks covering at least half of each verbatim occurrence of ``evidence`` in a document."""
    found: set[int] = set()
    need = max(1, (len(evidence) + 1) // 2)
    for document in index.documents.values():
        start = document.text.find(evidence)
        while start >= 0:
            end = start + len(evidence)
            mine = index.chunks.document_ids == document.id
            overlap = np.minimum(index.chunks.ends, end) - np.maximum(index.chunks.starts, start)
            found |= set(np.flatnonzero(mine & (overlap >= need)).tolist())
            start = document.text.find(evidence, start + 1)
    return found


def _row(config: Config, group: str, first_ranks: np.ndarray, latencies: np.ndarray) -> EvalRow:
    found = first_ranks > 0

    def recall(k: int) -> float:
        return float(np.mean(found & (first_ranks <= k)))

    reciprocal = np.where(found, 1.0 / np.maximum(first_ranks, 1), 0.0)
    return EvalRow(
        retriever=config.retriever,
        embedder=config.embedder,
        index=config.index,
        group=group,
        questions=len(first_ranks),
        recall_at_1=recall(1),
        recall_at_5=recall(5),
        recall_at_10=recall(10),
        mrr_at_10=float(np.mean(reciprocal)),
        latency_ms_mean=float(np.mean(latencies)),
        latency_ms_p95=float(np.percentile(latencies, 95)),
    )


def _same_document(gold: str, name: str, source: str) -> bool:
    """A gold path with folders must match the end of the source path, extension optional
    (``en/city-001.md`` is not ``zh/city-001.md``); a bare name matches the file name."""
    gold_path = PurePosixPath(gold.replace("\\", "/"))
    if len(gold_path.parts) > 1:
        source_path = PurePosixPath(source.replace("\\", "/"))
        return any(str(path).endswith("/" + str(gold_path)) for path in (source_path, source_path.with_suffix("")))
    return gold_path.name in (name, PurePosixPath(name).stem)
