"""Each sentence of an answer cites the span of a passage given to the model that supports it."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from workbench.core.rag.citations import MIN_SUPPORT, cite, seen_length
from workbench.core.rag.params import AnswerResult, Citation, Hit

ANODA = (
    "Anoda\nAnoda is famous for its glass. The country where Anoda is located is Ensia.\n"
    "Facts\nType: city\nCountry: Ensia\nKnown for: glass"
)
ENSIA_ZH = "恩索亚（Ensia）\n\n恩索亚的首都是阿诺达。恩索亚大多数人说俄语。\n\n类别：国家\n首都：阿诺达"
LUMORA = "Lumora is a city in Vestland. It lies on the river Sede, which freezes in winter."


def _hit(rank: int, chunk_id: int, text: str) -> Hit:
    return Hit(rank, 1.0, chunk_id, 100 + chunk_id, f"doc-{chunk_id}", 0, len(text), None, text)


def _prompt(*texts: str) -> str:
    return "context: " + "\n".join(texts) + "\nquestion: ?\nanswer:"


def _cited(answer: str, citations: list[Citation], sources: list[Hit]) -> list[tuple[str, int | None, str | None]]:
    """(sentence, cited rank, cited text) for each citation: what a reader checks."""
    texts = {hit.rank: hit.text for hit in sources}
    return [
        (
            answer[c.start : c.end],
            None if c.support is None else c.support.rank,
            None if c.support is None else texts[c.support.rank][c.support.start : c.support.end],
        )
        for c in citations
    ]


def test_english_sentences_cite_the_sentence_that_says_them_and_an_invented_one_cites_nothing() -> None:
    sources = [_hit(1, 7, ANODA), _hit(2, 9, LUMORA)]
    answer = "Anoda is in Ensia. Lumora is a city in Vestland! Its mayor is Bob Smith."
    citations = cite(answer, sources, _prompt(ANODA, LUMORA), "In which country is Anoda?")
    assert _cited(answer, citations, sources) == [
        ("Anoda is in Ensia.", 1, "The country where Anoda is located is Ensia."),
        ("Lumora is a city in Vestland!", 2, "Lumora is a city in Vestland."),
        ("Its mayor is Bob Smith.", None, None),
    ]
    assert citations[0].support is not None and citations[0].support.chunk_id == 7
    assert all(0.0 <= c.support.score <= 1.0 for c in citations if c.support is not None)
    assert citations[0].support.score == 1.0


def test_a_one_word_answer_is_one_sentence_cited_where_it_answers_the_question() -> None:
    sources = [_hit(1, 7, ANODA)]
    (citation,) = cite("Ensia", sources, _prompt(ANODA), "In which country is Anoda?")
    assert (citation.start, citation.end) == (0, 5)
    # "Country: Ensia" says it too; the sentence sharing the question's words wins the tie
    assert _cited("Ensia", [citation], sources) == [("Ensia", 1, "The country where Anoda is located is Ensia.")]


def test_chinese_sentences_split_at_full_stops_and_match_by_words_and_bigrams() -> None:
    sources = [_hit(1, 3, LUMORA), _hit(2, 4, ENSIA_ZH)]
    answer = "恩索亚的首都是阿诺达。那里的人说俄语！天气很冷。"
    citations = cite(answer, sources, _prompt(LUMORA, ENSIA_ZH), "恩索亚的首都是哪里？")
    assert _cited(answer, citations, sources) == [
        ("恩索亚的首都是阿诺达。", 2, "恩索亚的首都是阿诺达。"),
        ("那里的人说俄语！", 2, "恩索亚大多数人说俄语。"),
        ("天气很冷。", None, None),
    ]
    assert citations[1].support is not None and MIN_SUPPORT < citations[1].support.score < 1.0


def test_two_adjacent_source_sentences_are_cited_together_only_when_the_answer_joins_them() -> None:
    sources = [_hit(1, 9, LUMORA)]
    joined, single = "Lumora lies on a river.", "The river Sede freezes in winter."
    citations = cite(f"{joined} {single}", sources, _prompt(LUMORA))
    assert _cited(f"{joined} {single}", citations, sources) == [
        (joined, 1, LUMORA),  # "Lumora" from the first sentence, "lies on the river" from the second
        (single, 1, "It lies on the river Sede, which freezes in winter."),
    ]
    assert [c.support.score for c in citations if c.support is not None] == [1.0, 1.0]


def test_only_what_the_model_saw_is_cited() -> None:
    """A passage left out of the prompt, and the part of a cut one beyond the cut, support nothing."""
    left_out = _hit(2, 9, LUMORA)
    cut = _hit(1, 7, ANODA)
    prompt = _prompt(ANODA[:40])  # the window fitted "Anoda\nAnoda is famous for its glass. The"
    assert seen_length(ANODA, prompt) == 40 and seen_length(LUMORA, prompt) == 0
    answer = "Anoda is famous for glass. Anoda is in Ensia. Lumora is in Vestland."
    citations = cite(answer, [cut, left_out], prompt)
    assert _cited(answer, citations, [cut, left_out]) == [
        ("Anoda is famous for glass.", 1, "Anoda is famous for its glass."),
        ("Anoda is in Ensia.", None, None),
        ("Lumora is in Vestland.", None, None),
    ]


def test_numbers_do_not_end_a_sentence_and_an_empty_answer_has_no_citations() -> None:
    source = _hit(1, 1, "Pi is about 3.14 in most books.")
    (citation,) = cite("Pi is about 3.14.", [source], _prompt(source.text))
    assert (citation.start, citation.end) == (0, 17) and citation.support is not None
    assert cite("", [source], _prompt(source.text)) == []
    assert cite("The.", [source], _prompt(source.text)) == [Citation(0, 4, None)]  # nothing left to check


def test_an_answer_stored_before_citations_reopens_without_them(tmp_path: Path) -> None:
    from workbench.store.project import ProjectStore

    path = tmp_path / "old.wbproj"
    source = _hit(1, 7, ANODA)
    result = AnswerResult("In which country is Anoda?", "Ensia", _prompt(ANODA), [source], None, None)
    with ProjectStore.create(path) as store:
        run = store.start_run("rag_ask", {"collection": "c", "question": result.question}, title="a", model_id=None)
        store.finish_run(run, status="finished", result=result)
    with closing(sqlite3.connect(path)) as connection, connection:  # as an older workbench wrote it
        connection.execute("UPDATE runs SET result = json_remove(result, '$.citations')")
        assert connection.execute("SELECT instr(result, 'citations') FROM runs").fetchall() == [(0,)]
    with ProjectStore.open(path, read_only=True) as store:
        reopened = store.load_run(run).result
    assert isinstance(reopened, AnswerResult)
    assert reopened.citations == [] and reopened.sources == [source] and reopened.answer == "Ensia"


@pytest.mark.parametrize("mode", ["jieba", "bigram"])
def test_both_sparse_tokenizers_cite_chinese(mode: str) -> None:
    sources = [_hit(1, 4, ENSIA_ZH)]
    (citation,) = cite("恩索亚的首都是阿诺达。", sources, _prompt(ENSIA_ZH), mode=mode)
    assert citation.support is not None and citation.support.score == 1.0
