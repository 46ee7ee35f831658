"""Every embedder loads offline from its wheel, returns unit vectors and ranks by meaning."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.base.errors import JobCancelled
from workbench.base.jobs import CancelToken
from workbench.core.rag.embedders import UnknownEmbedder, check_name, encode_in_batches, load_embedder, minilm_folder

ENGLISH = [
    "The giraffe is the tallest animal living on land.",
    "Paris is the capital city of France.",
    "Bread is baked in an oven from flour and water.",
]
CHINESE = ["长颈鹿是陆地上最高的动物。", "巴黎是法国的首都。", "面包是用面粉和水在烤箱里烤出来的。"]


@pytest.mark.parametrize("name", ["e5-small", "use-multilingual", "minilm"])
def test_english_questions_are_nearest_to_the_sentence_that_answers_them(name: str) -> None:
    embedder = load_embedder(name)
    passages = embedder.encode(ENGLISH)
    assert passages.shape == (3, embedder.dim) and passages.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(passages, axis=1), 1.0, rtol=1e-4)
    questions = embedder.encode(["Which animal is the tallest?", "What is the capital of France?"], queries=True)
    assert (questions @ passages.T).argmax(axis=1).tolist() == [0, 1]


@pytest.mark.parametrize("name", ["e5-small", "use-multilingual"])
def test_multilingual_embedders_match_english_questions_to_chinese_passages(name: str) -> None:
    embedder = load_embedder(name)
    passages = embedder.encode(CHINESE)
    questions = embedder.encode(
        ["Which animal is the tallest?", "What is the capital of France?", "How is bread made?"], queries=True
    )
    assert (questions @ passages.T).argmax(axis=1).tolist() == [0, 1, 2]


def test_any_sentence_transformers_folder_can_be_named_by_its_path() -> None:
    folder = str(minilm_folder())
    assert check_name(folder) == str(minilm_folder().resolve())
    by_path = load_embedder(folder).encode(ENGLISH[:2])
    np.testing.assert_allclose(by_path, load_embedder("minilm").encode(ENGLISH[:2]), atol=1e-5)


def test_batched_encoding_keeps_the_input_order_and_reports_progress() -> None:
    embedder = load_embedder("e5-small")
    texts = ENGLISH + CHINESE + ["short", "a much longer sentence that goes on and on about nothing at all"]
    reports: list[tuple[int, int]] = []
    batched = encode_in_batches(embedder, texts, batch_size=3, report=lambda d, t, s: reports.append((d, t)))
    np.testing.assert_allclose(batched, embedder.encode(texts), atol=1e-4)
    assert reports[-1] == (len(texts), len(texts)) and len(reports) == 3


def test_batched_encoding_stops_when_cancelled() -> None:
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(JobCancelled):
        encode_in_batches(load_embedder("e5-small"), ENGLISH, cancel=cancel)


def test_unknown_embedder_names_the_choices() -> None:
    with pytest.raises(UnknownEmbedder, match="e5-small, use-multilingual, minilm"):
        check_name("bert-large-nonexistent")
