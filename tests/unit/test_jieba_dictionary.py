"""jieba over a dictionary read per first character gives jieba's own tokens, reading little."""

from __future__ import annotations

import logging
from pathlib import Path

import jieba
import pytest

from workbench.base.paths import RESOURCES_DIR
from workbench.core.han import has_han
from workbench.core.rag.jieba_dictionary import ShardedJieba

QUESTION = "长颈鹿生活在哪里？"


def _chinese_lines() -> list[str]:
    """Every line with Han text the workbench ships: the demo encyclopedia, the Chinese
    lessons, the Chinese UI translations and the real-world facts (3 000-odd lines, mixed with
    English, digits, markup and punctuation, as documents are)."""
    files = [
        *sorted((RESOURCES_DIR / "demo_world" / "encyclopedia" / "zh").iterdir()),
        *sorted((RESOURCES_DIR / "lessons").glob("*_zh.wblesson")),
        *sorted((RESOURCES_DIR / "i18n").glob("*_zh_CN.ts")),
        RESOURCES_DIR / "real_world" / "facts.jsonl",
    ]
    return [line for file in files for line in file.read_text(encoding="utf-8").splitlines() if has_han(line)]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the sharded dictionary, written by a first segmenter."""
    folder = tmp_path_factory.mktemp("jieba")
    ShardedJieba(folder)
    return folder


@pytest.fixture(scope="module")
def plain_jieba() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt


def test_lazily_loaded_dictionary_gives_the_tokens_of_plain_jieba(built: Path, plain_jieba: jieba.Tokenizer) -> None:
    lines = _chinese_lines()
    assert len(lines) > 3000
    segmenter = ShardedJieba(built)  # reads the file: starts empty, loads as lines need
    for line in lines:
        assert list(segmenter.tokenize(line)) == list(plain_jieba.tokenize(line, mode="search")), line


def test_a_question_reads_only_the_entries_of_its_own_characters(built: Path) -> None:
    segmenter = ShardedJieba(built)
    segmenter.load(QUESTION)
    loaded = segmenter.tokenizer.FREQ
    assert loaded and {key[0] for key in loaded} <= set(QUESTION)
    assert len(loaded) < 10_000  # of the whole dictionary's 498 k keys


def test_a_damaged_file_is_built_again(built: Path, tmp_path: Path, plain_jieba: jieba.Tokenizer) -> None:
    damaged = ShardedJieba(built).path
    (tmp_path / damaged.name).write_bytes(damaged.read_bytes()[:1000])
    assert list(ShardedJieba(tmp_path).tokenize(QUESTION)) == list(plain_jieba.tokenize(QUESTION, mode="search"))
    assert not ShardedJieba(tmp_path).tokenizer.FREQ  # written whole: the next one reads it lazily


def test_a_folder_that_cannot_be_written_still_segments(tmp_path: Path, plain_jieba: jieba.Tokenizer) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("")
    segmenter = ShardedJieba(not_a_folder)
    assert list(segmenter.tokenize(QUESTION)) == list(plain_jieba.tokenize(QUESTION, mode="search"))
