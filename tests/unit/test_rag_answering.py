"""Prompts that fit the model's window, greedy answers, and LM reranking scores (tiny GPT-2)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from workbench.base.errors import InvalidParameters
from workbench.core.rag.answering import answer, build_prompt, context_window, resolve_template
from workbench.core.rag.params import AUTO_TEMPLATE, TEMPLATES
from workbench.core.rag.rerank import question_likelihood

CHUNKS = ["Lumora is a city in Vestland.", "长颈鹿住在河边。", "The Eiffel Tower is located in the city of Paris."]


def _tokens(tokenizer, text: str) -> int:  # type: ignore[no-untyped-def]
    return len(tokenizer(text, add_special_tokens=False)["input_ids"])


def test_auto_template_follows_the_question_language() -> None:
    assert resolve_template(AUTO_TEMPLATE, TEMPLATES, "Where is Lumora?").startswith("context: ")
    assert resolve_template(AUTO_TEMPLATE, TEMPLATES, "长颈鹿住在哪里？").startswith("背景：")
    assert resolve_template("Q: {question} A:", TEMPLATES, "x") == "Q: {question} A:"


def test_chunks_go_before_the_question_in_rank_order_while_they_fit(tiny_tokenizer) -> None:  # type: ignore[no-untyped-def]
    template = TEMPLATES["en"]
    everything = build_prompt(tiny_tokenizer, template, "Where is Lumora?", CHUNKS, budget=10_000)
    assert everything.used == 3
    assert everything.text == f"context: {CHUNKS[0]}\n{CHUNKS[1]}\n{CHUNKS[2]}\nquestion: Where is Lumora?\nanswer:"
    two = _tokens(tiny_tokenizer, template.format(context="\n".join(CHUNKS[:2]), question="Where is Lumora?"))
    fitted = build_prompt(tiny_tokenizer, template, "Where is Lumora?", CHUNKS, budget=two)
    assert fitted.used == 2 and CHUNKS[2] not in fitted.text


def test_a_first_chunk_too_long_for_the_window_is_cut_to_fit(tiny_tokenizer) -> None:  # type: ignore[no-untyped-def]
    long_chunk = "Lumora is a city in Vestland. " * 40
    prompt = build_prompt(tiny_tokenizer, TEMPLATES["en"], "Where is Lumora?", [long_chunk], budget=60)
    assert prompt.used == 1
    assert _tokens(tiny_tokenizer, prompt.text) <= 60
    assert prompt.text.startswith("context: Lumora is a city") and prompt.text.endswith("answer:")


def test_the_answer_is_the_greedy_continuation_up_to_the_line_end(tiny_gpt2, tiny_tokenizer) -> None:  # type: ignore[no-untyped-def]
    text, prompt = answer(tiny_gpt2, tiny_tokenizer, TEMPLATES["en"], "Where is Lumora?", CHUNKS, max_new_tokens=8)
    assert "\n" not in text
    assert _tokens(tiny_tokenizer, prompt.text) <= context_window(tiny_gpt2) - 8
    ids = tiny_tokenizer(prompt.text, return_tensors="pt")["input_ids"]
    with torch.inference_mode():
        expected = tiny_gpt2.generate(ids, max_new_tokens=8, do_sample=False, pad_token_id=0)
    continuation = tiny_tokenizer.decode(expected[0, ids.shape[1] :], skip_special_tokens=True)
    assert text == continuation.split("\n", 1)[0].strip()
    with pytest.raises(InvalidParameters):
        answer(tiny_gpt2, tiny_tokenizer, TEMPLATES["en"], "  ", CHUNKS)


def test_rerank_scores_are_the_mean_question_log_probability_of_each_passage(tiny_gpt2, tiny_tokenizer) -> None:  # type: ignore[no-untyped-def]
    question = "Where is Lumora?"
    batched = question_likelihood(tiny_gpt2, tiny_tokenizer, question, CHUNKS, batch_size=2)
    for passage, score in zip(CHUNKS, batched):
        prefix = tiny_tokenizer(f"context: {passage}\nquestion:")["input_ids"]
        asked = tiny_tokenizer(" " + question)["input_ids"]
        ids = torch.tensor([prefix + asked])
        with torch.inference_mode():
            log_probs = torch.log_softmax(tiny_gpt2(ids).logits[0].float(), dim=-1)
        expected = np.mean([log_probs[len(prefix) - 1 + i, token].item() for i, token in enumerate(asked)])
        assert score == pytest.approx(expected, abs=1e-4)
