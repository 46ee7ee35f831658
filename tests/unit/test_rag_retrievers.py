"""BM25 over Chinese-aware terms, faiss flat / HNSW / IVF, and reciprocal-rank fusion."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.base.errors import InvalidParameters
from workbench.core.rag import vector_index
from workbench.core.rag.bm25 import BM25Index, field_terms
from workbench.core.rag.dense import DenseSearch
from workbench.core.rag.fusion import reciprocal_rank_fusion
from workbench.core.rag.sparse_tokens import matched_spans, terms

CHUNKS = [
    "斑马的颜色是黑白相间的，生活在非洲草原。",
    "长颈鹿是现存最高的陆生动物，以树叶为食。",
    "北京是中华人民共和国的首都。",
    "Giraffes browse on the leaves of acacia trees.",
    "The rivers of Vestland flow into the northern sea.",
]


def _bm25(mode: str) -> BM25Index:
    return BM25Index.build([terms(c, mode) for c in CHUNKS], mode)


@pytest.mark.parametrize("mode", ["jieba", "bigram"])
def test_chinese_queries_find_chinese_chunks_without_spaces(mode: str) -> None:
    index = _bm25(mode)
    for query, expected in [("斑马是什么颜色", 0), ("最高的动物", 1), ("中国的首都在哪里", 2)]:
        positions, scores, _ = index.search(query, 3)
        assert positions[0] == expected, (query, positions)
        assert scores[0] > 0


def test_whitespace_tokenisation_would_find_nothing_in_chinese() -> None:
    # the defect the issue names: a Chinese sentence is one "word" when split on spaces
    whitespace = BM25Index.build([c.split() for c in CHUNKS], "jieba")
    assert whitespace.search("斑马的颜色", 3)[0].size == 0
    assert _bm25("jieba").search("斑马的颜色", 3)[0][0] == 0


def test_english_terms_are_stemmed_and_stop_words_dropped() -> None:
    assert terms("The Rivers of Vestland") == ["river", "vestland"]
    positions, _, query_terms = _bm25("jieba").search("which river flows north", 2)
    assert positions[0] == 4 and "river" in query_terms


def test_jieba_search_mode_indexes_words_inside_long_words() -> None:
    found = terms("中华人民共和国")
    assert {"中华", "人民", "共和国", "中华人民共和国"} <= set(found)


def test_matched_spans_point_at_the_original_characters() -> None:
    text = "ＰＡＲＩＳ is on the Seine; 巴黎是法国的首都。"
    spans = matched_spans(set(terms("paris 首都")), text)
    assert [text[a:b] for a, b in spans] == ["ＰＡＲＩＳ", "首都"]


def test_bm25_reopens_from_bytes_with_identical_scores() -> None:
    index = _bm25("jieba")
    reopened = BM25Index.from_bytes(index.to_bytes(), len(CHUNKS), "jieba")
    for query in ["斑马", "acacia leaves", "首都 rivers"]:
        np.testing.assert_array_equal(index.scores(query)[0], reopened.scores(query)[0])


def _unit(rows: int, dim: int, seed: int, clusters: int = 0) -> np.ndarray:
    """Random unit vectors; around ``clusters`` centres when given, as sentence embeddings are."""
    rng = np.random.default_rng(seed)
    vectors = rng.normal(size=(rows, dim))
    if clusters:
        centres = np.random.default_rng(99).normal(size=(clusters, dim)) * 3
        vectors = vectors + centres[rng.integers(0, clusters, rows)]
    vectors = vectors.astype(np.float32)
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_flat_search_is_exact_inner_product() -> None:
    vectors, queries = _unit(300, 16, 0), _unit(4, 16, 1)
    positions, scores = vector_index.search(vector_index.build("flat", vectors), queries, 5)
    expected = np.argsort(-(queries @ vectors.T), axis=1)[:, :5]
    np.testing.assert_array_equal(positions, expected)
    np.testing.assert_allclose(scores, np.take_along_axis(queries @ vectors.T, expected, 1), rtol=1e-5)


@pytest.mark.parametrize("kind", ["hnsw", "ivf"])
def test_approximate_indexes_agree_with_exact_search_and_survive_serialisation(kind: str) -> None:
    vectors, queries = _unit(2000, 16, 2, clusters=30), _unit(20, 16, 3, clusters=30)
    exact, _ = vector_index.search(vector_index.build("flat", vectors), queries, 10)
    index = vector_index.from_bytes(vector_index.to_bytes(vector_index.build(kind, vectors)))
    approximate, _ = vector_index.search(index, queries, 10)
    recall = np.mean([len(set(a) & set(e)) / 10 for a, e in zip(approximate, exact)])
    assert recall >= 0.8


def test_ivf_refuses_a_collection_too_small_to_train() -> None:
    with pytest.raises(InvalidParameters, match="at least"):
        vector_index.build("ivf", _unit(50, 8, 4))


def test_rrf_adds_reciprocal_ranks_of_each_list() -> None:
    positions, scores = reciprocal_rank_fusion([np.array([7, 3]), np.array([3, 9])], k=60)
    assert positions.tolist() == [3, 7, 9]
    np.testing.assert_allclose(scores, [1 / 62 + 1 / 61, 1 / 61, 1 / 62])
    weighted, _ = reciprocal_rank_fusion([np.array([7, 3]), np.array([3, 9])], weights=[1.0, 0.0], k=60)
    assert weighted.tolist() == [7, 3, 9]


def test_standardised_scores_find_the_other_language_despite_a_language_bias() -> None:
    # every vector leans towards its language's direction, as multilingual embeddings do
    rng = np.random.default_rng(5)
    content = rng.normal(size=(200, 16))
    languages = np.array(["en"] * 100 + ["zh"] * 100)
    bias = np.where(languages == "en", 2.5, -2.5)[:, None] * np.eye(16)[0]
    vectors = content + bias
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    query = content[150] + 2.5 * np.eye(16)[0]  # an English query about Chinese chunk 150
    query = (query / np.linalg.norm(query)).astype(np.float32)
    assert languages[np.argmax(vectors @ query)] == "en"  # raw cosine prefers any English chunk
    positions, _ = DenseSearch("e5-small", vectors, languages).search(query, 3, "flat")
    assert positions[0] == 150
    few = DenseSearch("e5-small", vectors[80:], languages[80:])  # 20 English chunks: too few for a z-score
    assert list(few.partitions) == ["*"]


def test_one_language_collections_rank_by_plain_cosine() -> None:
    vectors = _unit(300, 16, 6)
    query = _unit(1, 16, 7)[0]
    positions, scores = DenseSearch("e5-small", vectors, np.array(["en"] * 300)).search(query, 5, "hnsw")
    np.testing.assert_array_equal(positions, np.argsort(-(vectors @ query))[:5])
    np.testing.assert_allclose(scores, np.sort(vectors @ query)[::-1][:5], rtol=1e-5)


def test_the_document_title_counts_extra_so_the_article_about_a_name_wins() -> None:
    article = ("索德（Sodel）\n\n索德坐落在梅拉亚。索德的特产是瓷器。", "索德（Sodel）")
    mention = ("Mernibo is a company based in Sodel. Mernibo is known for software products.", "Mernibo")
    cities = [
        (f"{name} is known for its {thing}, its best-known product.", name)
        for name, thing in [("Vohel", "clocks"), ("Anoda", "glass"), ("Kova", "carpets"), ("Hano", "cars"),
                            ("Sara", "ships"), ("Motana", "wine"), ("Gave", "salt"), ("Divemo", "cheese")]
    ]  # fmt: skip
    chunks = [article, mention, *cities]
    question = "Which product is Sodel known for?"
    plain = BM25Index.build([terms(text) for text, _ in chunks], "jieba")
    fielded = BM25Index.build([field_terms(text, title, "jieba") for text, title in chunks], "jieba")
    assert plain.search(question, 1)[0][0] == 1  # the company that mentions Sodel wins without the field
    assert fielded.search(question, 1)[0][0] == 0
