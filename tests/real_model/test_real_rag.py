"""RAG on SmolLM2-Instruct: questions about a document it cannot know, with and without retrieval."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.core.rag.document_qa import Document, DocumentQa, is_correct

DATA = Path(__file__).resolve().parents[2] / "tools" / "real_model" / "data"


def test_retrieval_answers_what_the_model_alone_cannot(smollm2) -> None:
    text = (DATA / "rag_documents" / "quillmere.txt").read_text(encoding="utf-8")
    title, _, body = text.partition("\n")
    qa = DocumentQa([Document(title, body)])
    questions = [json.loads(line) for line in (DATA / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    chosen = [q for q in questions if "Quillmere" in q["question"]][:5]
    answers = [qa.ask(smollm2.require_loaded(), smollm2.tokenizer, q["question"]) for q in chosen]
    with_retrieval = sum(is_correct(a.with_retrieval, q["answers"]) for a, q in zip(answers, chosen, strict=True))
    without = sum(is_correct(a.without_retrieval, q["answers"]) for a, q in zip(answers, chosen, strict=True))
    report = [(a.question, a.with_retrieval, a.without_retrieval) for a in answers]
    assert with_retrieval >= 4 and without == 0, report
