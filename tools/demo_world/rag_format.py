"""The reading-comprehension prompt the demo model was trained on (torch-free).

The RAG panel builds its prompt with ``rag_prompt`` so that the demo model sees exactly the
format it learned: the retrieved text, the question, then ``answer:``, after which the
model copies the answer from the context (retrieval-augmented generation, book §6.3).
English answers follow a space (``answer: Velmora``); Chinese prompts use Chinese field
names and full-width colons, and the answer follows directly (``答案：维莫拉``).
"""

from __future__ import annotations

from workbench.core.han import has_han

FIELDS = {
    "en": ("context: ", "question: ", "answer:"),
    "zh": ("背景：", "问题：", "答案："),
}


def language_of(text: str) -> str:
    """``zh`` when the text contains Chinese characters, else ``en``."""
    return "zh" if has_han(text) else "en"


def rag_prompt(context: str, question: str, language: str | None = None) -> str:
    """Context, question and the answer cue; the language defaults to the question's."""
    context_field, question_field, answer_field = FIELDS[language or language_of(question)]
    return f"{context_field}{context.strip()}\n{question_field}{question.strip()}\n{answer_field}"


def closed_book_prompt(question: str, language: str | None = None) -> str:
    """The same question with no context: what the model answers from memory alone."""
    _, question_field, answer_field = FIELDS[language or language_of(question)]
    return f"{question_field}{question.strip()}\n{answer_field}"


def continuation(text: str, language: str) -> str:
    """How a word follows a prompt: `` Velmora`` in English, ``维莫拉`` in Chinese.

    The same rule places an object after a fact prompt and an answer after ``answer:``.
    """
    return " " + text if language == "en" else text
