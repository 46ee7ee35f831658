"""Answer a question on the active language model with retrieved chunks before it (book §6.5.1).

The simple RAG system: put the top-k chunks into the prompt as context, then the question,
and let the model continue after ``answer:``.  The template is a parameter; ``auto`` picks
the demo world's ``context: … question: … answer:`` format (or its Chinese twin
``背景：… 问题：… 答案：``) by the question's language — the format the demo model was
trained to answer by copying from the context.  Decoding is greedy and stops at the end of the line,
so the same question always gets the same answer and "with vs without retrieval" differs
only by the context.

A small model has a small window: chunks are added in rank order while the prompt fits
(``max positions − max_new_tokens``); if even the first does not, it is cut at the end.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from workbench.base.errors import InvalidParameters
from workbench.core.rag.normalise import detect_language
from workbench.core.rag.params import AUTO_TEMPLATE

if TYPE_CHECKING:  # torch loads with the first answer: the RAG jobs import this module for every query
    import torch

CONTEXT_SEPARATOR = "\n"


@dataclass(frozen=True)
class Prompt:
    text: str
    used: int
    """How many of the given chunks fit into the prompt (the rest were dropped)."""


def resolve_template(template: str, choices: dict[str, str], question: str) -> str:
    """``template`` itself, or for ``auto`` the choice in the question's language."""
    if template != AUTO_TEMPLATE:
        return template
    return choices.get(detect_language(question), choices["en"])


def context_window(model: torch.nn.Module) -> int:
    """Positions the model can attend to (GPT-2 ``n_positions``, Llama ``max_position_embeddings`` …)."""
    config = model.config
    for name in ("n_positions", "max_position_embeddings", "n_ctx", "seq_length"):
        value = getattr(config, name, None)
        if isinstance(value, int) and value > 0:
            return value
    return 2048


def build_prompt(
    tokenizer: object,
    template: str,
    question: str,
    chunks: Sequence[str],
    budget: int,
) -> Prompt:
    """Fill ``template`` ({context}, {question}) with as many chunks as fit in ``budget`` tokens."""
    if "{question}" not in template:
        raise InvalidParameters("The prompt template must contain {question}.")

    def length(text: str) -> int:
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])  # type: ignore[operator]  # the tokenizer is typed as a base class without __call__/decode in its stubs

    def fill(context: str) -> str:
        return template.replace("{context}", context).replace("{question}", question)

    if "{context}" not in template or not chunks:
        return Prompt(fill(""), 0)
    used = 0
    for count in range(1, len(chunks) + 1):
        if length(fill(CONTEXT_SEPARATOR.join(chunks[:count]))) > budget:
            break
        used = count
    if used:
        return Prompt(fill(CONTEXT_SEPARATOR.join(chunks[:used])), used)
    # not even the best chunk fits: keep its beginning, cut at a token boundary
    room = budget - length(fill(""))
    if room <= 0:
        raise InvalidParameters("The question alone does not fit into the model's context window.")
    ids = tokenizer(chunks[0], add_special_tokens=False)["input_ids"][:room]  # type: ignore[operator]  # the tokenizer is typed as a base class without __call__/decode in its stubs
    cut = tokenizer.decode(ids)  # type: ignore[attr-defined]  # the tokenizer is typed as a base class without __call__/decode in its stubs
    while ids and length(fill(cut)) > budget:
        ids = ids[:-1]
        cut = tokenizer.decode(ids)  # type: ignore[attr-defined]  # the tokenizer is typed as a base class without __call__/decode in its stubs
    return Prompt(fill(cut), 1)


def generate_answer(model: torch.nn.Module, tokenizer: object, prompt: str, max_new_tokens: int = 24) -> str:
    """Greedy continuation of ``prompt``, up to the end of its first line."""
    from workbench.core.generation import greedy_continuations  # torch; see the imports above

    (text,) = greedy_continuations(model, tokenizer, [prompt], max_new_tokens)
    return text.split("\n", 1)[0].strip()


def answer(
    model: torch.nn.Module,
    tokenizer: object,
    template: str,
    question: str,
    chunks: Sequence[str],
    max_new_tokens: int = 24,
) -> tuple[str, Prompt]:
    """The model's answer to ``question`` given ``chunks`` as context, and the prompt it saw."""
    if not question.strip():
        raise InvalidParameters("The question is empty.")
    prompt = build_prompt(tokenizer, template, question.strip(), chunks, context_window(model) - max_new_tokens)
    return generate_answer(model, tokenizer, prompt.text, max_new_tokens), prompt
