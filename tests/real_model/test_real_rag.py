"""RAG on SmolLM2-Instruct: questions about documents it cannot know, with and without retrieval."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.core.rag.document_qa import Document, DocumentQa, is_correct

DATA = Path(__file__).resolve().parents[2] / "tools" / "real_model" / "data"


def test_retrieval_answers_what_the_model_alone_cannot(smollm2) -> None:
    """Every third of the 30 questions over the three documents (tools/real_model/rag.py asks
    all 30: 0.83 right with retrieval, 0 without); the issue's bar is ≥ 0.8 vs ≤ 0.2."""
    documents = []
    for path in sorted((DATA / "rag_documents").glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        documents.append(Document(title.strip(), body.strip()))
    qa = DocumentQa(documents)
    questions = [json.loads(line) for line in (DATA / "questions.jsonl").read_text(encoding="utf-8").splitlines()]
    chosen = questions[::3]
    answers = [qa.ask(smollm2.require_loaded(), smollm2.tokenizer, q["question"]) for q in chosen]
    with_retrieval = sum(is_correct(a.with_retrieval, q["answers"]) for a, q in zip(answers, chosen, strict=True))
    without = sum(is_correct(a.without_retrieval, q["answers"]) for a, q in zip(answers, chosen, strict=True))
    report = [(a.question, a.with_retrieval, a.without_retrieval) for a in answers]
    assert len(chosen) == 10 and with_retrieval >= 8 and without <= 2, report
