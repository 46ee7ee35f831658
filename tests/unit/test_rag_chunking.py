"""Chunk offsets point into the original text, in Chinese and English, for every method."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pytest

from workbench.base.errors import InvalidParameters
from workbench.core.rag.chunking import chunk_text, page_numbers, sentence_spans
from workbench.core.rag.normalise import detect_language, normalise
from workbench.core.rag.params import ChunkSettings

FILES = Path(__file__).parent / "rag_files"
ENGLISH = (FILES / "giraffe_en.md").read_text(encoding="utf-8")
CHINESE = (FILES / "zebra_zh.md").read_text(encoding="utf-8")
MIXED = ENGLISH + "\n\n" + CHINESE


@pytest.mark.parametrize("method", ["chars", "tokens", "sentences", "headings"])
@pytest.mark.parametrize("text", [ENGLISH, CHINESE, MIXED], ids=["en", "zh", "mixed"])
def test_every_chunk_is_a_trimmed_slice_of_the_original_and_all_text_is_covered(method: str, text: str) -> None:
    starts, ends = chunk_text(text, ChunkSettings(method, 60, 15))
    assert len(starts) > 1
    assert np.all(starts < ends) and np.all(np.diff(starts) > 0)
    for start, end in zip(starts, ends):
        chunk = text[start:end]
        assert chunk == chunk.strip()
    covered = np.zeros(len(text), dtype=bool)
    for start, end in zip(starts, ends):
        covered[start:end] = True
    assert all(char.isspace() for char, hit in zip(text, covered) if not hit)


def test_character_chunks_have_the_size_and_overlap_asked_for() -> None:
    text = "x" * 250
    starts, ends = chunk_text(text, ChunkSettings("chars", 100, 20))
    assert starts.tolist() == [0, 80, 160]
    assert ends.tolist() == [100, 180, 250]


def test_sentences_end_at_chinese_and_latin_terminators_but_not_inside_numbers() -> None:
    text = "斑马是黑白的。长颈鹿很高！它吃什么？Pi is 3.14 exactly. Really? Yes!"
    sentences = [text[s:e] for s, e in sentence_spans(text, 0, len(text))]
    assert sentences == ["斑马是黑白的。", "长颈鹿很高！", "它吃什么？", "Pi is 3.14 exactly.", "Really?", "Yes!"]


def test_sentence_chunks_never_split_a_sentence_and_overlap_by_whole_sentences() -> None:
    sentences = [f"句子{i}很短。" for i in range(10)]  # 6 characters each
    text = "".join(sentences)
    starts, ends = chunk_text(text, ChunkSettings("sentences", 20, 7))
    chunks = [text[s:e] for s, e in zip(starts, ends)]
    for chunk in chunks:
        assert chunk.endswith("。") and len(chunk) <= 20
    for previous, following in itertools.pairwise(chunks):
        last_sentence = previous[-6:]
        assert following.startswith(last_sentence)  # one 6-char sentence fits the 7-char overlap


def test_heading_chunks_start_at_markdown_headings() -> None:
    starts, ends = chunk_text(ENGLISH, ChunkSettings("headings", 400, 0))
    chunks = [ENGLISH[s:e] for s, e in zip(starts, ends)]
    assert [c.splitlines()[0] for c in chunks] == ["# Giraffe", "## Diet", "## Sleep"]


def test_token_chunks_count_wordpiece_tokens() -> None:
    text = "长颈鹿" * 30  # one token per Han character
    starts, ends = chunk_text(text, ChunkSettings("tokens", 32, 8))
    assert (ends - starts).tolist()[:2] == [32, 32]
    assert starts[1] == 24


def test_pages_are_found_from_page_start_offsets() -> None:
    assert page_numbers(np.array([0, 5, 10, 25]), (0, 10, 20)).tolist() == [1, 1, 2, 3]
    assert page_numbers(np.array([3]), ()).tolist() == [-1]


@pytest.mark.parametrize(
    "settings", [ChunkSettings("chars", 0, 0), ChunkSettings("chars", 10, 10), ChunkSettings("words", 10, 0)]
)  # type: ignore[arg-type]
def test_impossible_settings_are_refused_with_a_reason(settings: ChunkSettings) -> None:
    with pytest.raises(InvalidParameters):
        chunk_text("some text", settings)


def test_nfkc_offsets_map_normalised_spans_back_to_the_original() -> None:
    original = "Ｐａｒｉｓ，ﬁne café"  # full-width letters, a ligature, a combining accent
    normalised = normalise(original)
    assert normalised.text == "paris,fine café"
    start = normalised.text.index("fine")
    assert original[slice(*normalised.original_span(start, start + 4))] == "ﬁne"
    assert original[slice(*normalised.original_span(0, 5))] == "Ｐａｒｉｓ"
    cafe = normalised.text.index("café")
    assert original[slice(*normalised.original_span(cafe, cafe + 4))] == "café"


def test_language_is_detected_from_the_share_of_han_characters() -> None:
    assert detect_language(CHINESE) == "zh"
    assert detect_language(ENGLISH) == "en"
    assert detect_language("The 长颈鹿 is tall and lives in Africa.") == "en"
