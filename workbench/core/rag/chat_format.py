"""RAG prompts for instruct models: the question and its context as one user turn.

The ``auto`` templates (``context: … question: … answer:``) are the format the demo model
was trained on; an instruct model such as SmolLM2-Instruct answers far better when the same
request arrives in its own chat format, with an instruction to answer from the context.
The placeholders survive the chat template's rendering, so the result is again a template
that ``answering.build_prompt`` fills chunk by chunk within the window.
"""

from __future__ import annotations

from typing import Any

from workbench.core.rag.answering import resolve_template
from workbench.core.rag.params import AUTO_TEMPLATE

INSTRUCT_TEMPLATES = {
    "en": "Answer the question using the context.\n\nContext:\n{context}\n\nQuestion: {question}\n"
    "Answer in a few words.",
    "zh": "请根据背景回答问题。\n\n背景：\n{context}\n\n问题：{question}\n请简短回答。",
}
INSTRUCT_NO_CONTEXT_TEMPLATES = {
    "en": "Question: {question}\nAnswer in a few words.",
    "zh": "问题：{question}\n请简短回答。",
}


def has_chat_template(tokenizer: Any) -> bool:
    return bool(getattr(tokenizer, "chat_template", None))


def as_chat_turn(tokenizer: Any, template: str) -> str:
    """``template`` as the user's message followed by the assistant's opening."""
    return str(
        tokenizer.apply_chat_template(
            [{"role": "user", "content": template}], add_generation_prompt=True, tokenize=False
        )
    )


def resolve_for_model(
    tokenizer: Any, template: str, question: str, plain: dict[str, str], instruct: dict[str, str]
) -> str:
    """The template ``answering`` fills: a user's own template as it is; ``auto`` in the
    question's language, from ``instruct`` in the chat format for a model that has one,
    otherwise from ``plain`` (the demo model's format)."""
    if template != AUTO_TEMPLATE or not has_chat_template(tokenizer):
        return resolve_template(template, plain, question)
    return as_chat_turn(tokenizer, resolve_template(template, instruct, question))
