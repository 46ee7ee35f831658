"""Questions over a handful of texts, in memory: BM25 over sentence chunks, then ``answering``.

The RAG lab's collections live in a project store; measuring answers with and without
retrieval over a few documents (the real-model tests, ``tools/real_model/rag.py``) needs
none of that.  The same chunker, BM25 index, chat-format templates and greedy answering are
used as in the lab's Ask, so the numbers describe what a user sees there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from torch import nn

from workbench.core.rag import answering
from workbench.core.rag.bm25 import BM25Index, field_terms
from workbench.core.rag.chat_format import INSTRUCT_NO_CONTEXT_TEMPLATES, INSTRUCT_TEMPLATES, resolve_for_model
from workbench.core.rag.chunking import chunk_text
from workbench.core.rag.params import AUTO_TEMPLATE, NO_CONTEXT_TEMPLATES, TEMPLATES, ChunkSettings

SPARSE_MODE = "jieba"


@dataclass(frozen=True)
class Document:
    title: str
    text: str


@dataclass(frozen=True)
class QaAnswer:
    question: str
    with_retrieval: str
    without_retrieval: str
    chunks: tuple[str, ...]


class DocumentQa:
    """BM25 over the chunks of ``documents`` and the model's answers to questions about them."""

    def __init__(self, documents: Sequence[Document], chunking: ChunkSettings | None = None) -> None:
        self.chunks: list[str] = []
        titles: list[str] = []
        for document in documents:
            starts, ends = chunk_text(document.text, chunking or ChunkSettings())
            for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
                self.chunks.append(document.text[start:end])
                titles.append(document.title)
        self.index = BM25Index.build(
            [field_terms(chunk, title, SPARSE_MODE) for chunk, title in zip(self.chunks, titles, strict=True)],
            SPARSE_MODE,
        )

    def retrieve(self, question: str, k: int) -> list[str]:
        positions, _, _ = self.index.search(question, k)
        return [self.chunks[position] for position in positions.tolist()]

    def ask(self, model: nn.Module, tokenizer: Any, question: str, k: int = 1, max_new_tokens: int = 32) -> QaAnswer:
        """Both answers to ``question``.  One passage and 32 tokens by default: SmolLM2-135M
        answered 30 questions on unseen documents 0.83 right with one passage, 0.77 with two and
        0.53 with three (it loses the fact among more text), and in 16 tokens it often had only
        repeated the question ("The museum about the Dornish Canal is located in the village of")."""
        chunks = self.retrieve(question, k)
        template = resolve_for_model(tokenizer, AUTO_TEMPLATE, question, TEMPLATES, INSTRUCT_TEMPLATES)
        plain = resolve_for_model(
            tokenizer, AUTO_TEMPLATE, question, NO_CONTEXT_TEMPLATES, INSTRUCT_NO_CONTEXT_TEMPLATES
        )
        with_context, _ = answering.answer(model, tokenizer, template, question, chunks, max_new_tokens)
        without, _ = answering.answer(model, tokenizer, plain, question, [], max_new_tokens)
        return QaAnswer(question, with_context, without, tuple(chunks))


def is_correct(answer: str, accepted: Sequence[str]) -> bool:
    """An answer is correct when it contains one of the accepted strings (case-insensitive)."""
    folded = answer.casefold()
    return any(option.casefold() in folded for option in accepted)
