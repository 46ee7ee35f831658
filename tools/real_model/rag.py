"""RAG with the instruct model over English documents it cannot know (``data/``): answers
with and without retrieval, correct when they contain an accepted answer.  One JSON line.

    python tools/real_model/rag.py --model-dir PATH --device cuda --limit 100
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from model_setup import load_session, parser

from workbench.core.rag.document_qa import Document, DocumentQa, is_correct

DATA = Path(__file__).resolve().parent / "data"


def documents() -> list[Document]:
    """Each ``data/rag_documents/*.txt``: its first line is the title."""
    found = []
    for path in sorted((DATA / "rag_documents").glob("*.txt")):
        title, _, body = path.read_text(encoding="utf-8").partition("\n")
        found.append(Document(title.strip(), body.strip()))
    return found


def main() -> None:
    arguments = parser(__doc__.splitlines()[0], default_limit=30)
    arguments.add_argument("--k", type=int, default=1, help="chunks retrieved per question (default 1)")
    arguments.add_argument("--max-new-tokens", type=int, default=32, help="tokens per answer (default 32)")
    arguments.add_argument("--show", action="store_true", help="also list every question's two answers")
    args = arguments.parse_args()
    started = time.perf_counter()
    session = load_session(args)
    qa = DocumentQa(documents())
    lines = (DATA / "questions.jsonl").read_text(encoding="utf-8").splitlines()
    questions = [json.loads(line) for line in lines if line.strip()][: args.limit]
    rows = []
    for question in questions:
        answer = qa.ask(
            session.require_loaded(),
            session.tokenizer,
            question["question"],
            k=args.k,
            max_new_tokens=args.max_new_tokens,
        )
        rows.append({
            "question": question["question"], "with": answer.with_retrieval, "without": answer.without_retrieval,
            "with_correct": is_correct(answer.with_retrieval, question["answers"]),
            "without_correct": is_correct(answer.without_retrieval, question["answers"]),
        })  # fmt: skip
    count = len(rows) or 1
    output = {
        "script": "rag", "model": Path(session.path).name, "device": str(session.device), "questions": len(rows),
        "correct_with_retrieval": round(sum(r["with_correct"] for r in rows) / count, 4),
        "correct_without_retrieval": round(sum(r["without_correct"] for r in rows) / count, 4),
        "seconds": round(time.perf_counter() - started, 1),
    }  # fmt: skip
    if args.show:
        output["answers"] = rows
    print(json.dumps(output))


if __name__ == "__main__":
    main()
