"""One test of "is this Chinese?" for every lab."""

from __future__ import annotations

import pytest

from tools.demo_world.rag_format import language_of
from workbench.core.han import has_han, is_han
from workbench.core.rag.normalise import detect_language
from workbench.core.rag.sparse_tokens import terms


@pytest.mark.parametrize("char", ["长", "颈", "鹿", "㐀", "豈", "\U00020000"])
def test_han_ideographs_of_every_block_count(char: str) -> None:
    assert is_han(char)


@pytest.mark.parametrize("char", ["a", "7", "。", "：", "ア", "한", " "])
def test_latin_digits_punctuation_and_other_scripts_do_not(char: str) -> None:
    assert not is_han(char)


def test_has_han_finds_one_ideograph_among_latin_text() -> None:
    assert has_han("The capital of 斑马国 is")
    assert not has_han("The capital of Velmora is。")


def test_the_labs_agree_on_which_questions_are_chinese() -> None:
    for question, language in (("长颈鹿住在哪里？", "zh"), ("Where does the giraffe live?", "en")):
        assert language_of(question) == language == detect_language(question)


def test_bm25_terms_split_han_runs_from_latin_words() -> None:
    assert terms("ROME改写了GPT的事实", mode="bigram") == ["rome", "改写", "写了", "gpt", "的事", "事实"]
