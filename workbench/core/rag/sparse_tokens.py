"""Terms for BM25 that work on Chinese as well as English (book §6.3.3, sparse retrieval).

Chinese has no spaces, so splitting on white space would make a whole sentence one "word"
and BM25 would match nothing.  Text is NFKC-normalised and lower-cased, then cut into runs:

* Han runs go through ``jieba`` in search mode (words plus the shorter words inside long
  ones, so 中华人民共和国 also yields 中华, 人民, 共和国) *and* into overlapping character
  bigrams; the ``bigram`` fallback, which needs no dictionary, keeps only the bigrams.
  Words give precision; bigrams give recall where segmentation disagrees — an unknown name
  glued to the next character (索德以 in the question, 索德 in the document) still shares the
  bigram 索德.  Indexing both is the classic remedy (Nie, Gao, Zhang & Zhou, 2000).
* Other letter/digit runs are words, stemmed with the Snowball English stemmer so that
  "rivers" matches "river".
* A short list of function words in each language is dropped: they match everything.

``term_spans`` gives each term's span in the *original* text, for highlighting.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from workbench.core.han import HAN_CLASS, has_han
from workbench.core.rag.normalise import normalise, normalise_plain

if TYPE_CHECKING:
    from workbench.core.rag.jieba_dictionary import ShardedJieba

_RUNS = re.compile(rf"(?P<han>[{HAN_CLASS}]+)|(?P<word>[^\W_{HAN_CLASS}]+)")

ENGLISH_STOPWORDS = frozenset(
    "a an and are as at be by did do does for from had has have how in is it its of on or "
    "that the this to was were what when where which who whom whose why with".split()
)
CHINESE_STOPWORDS = frozenset(
    "的 了 是 在 和 与 及 吗 呢 吧 啊 也 都 而 之 其 被 把 为 什么 哪里 哪个 哪 谁 几".split()
)

Span = tuple[str, int, int]


@lru_cache(maxsize=1)
def _jieba() -> ShardedJieba:
    """jieba with its dictionary read per character (see ``jieba_dictionary``): a question
    loads the few entries its characters need instead of the whole 0.55 s dictionary."""
    from workbench.core.model.library import user_data_dir
    from workbench.core.rag.jieba_dictionary import ShardedJieba

    return ShardedJieba(user_data_dir() / "cache")


@lru_cache(maxsize=1)
def _stemmer() -> Any:  # a PyStemmer Stemmer; the package ships no types
    import Stemmer

    return Stemmer.Stemmer("english")


def load_segmenter(text: str, mode: str = "jieba") -> None:
    """Load the part of jieba's dictionary that tokenising ``text`` needs now: a query calls
    this before its latency is measured, and one without Han text never imports jieba."""
    normalised = normalise_plain(text)
    if mode == "jieba" and has_han(normalised):
        _jieba().load(normalised)


def terms(text: str, mode: str = "jieba") -> list[str]:
    """The BM25 terms of ``text`` (a document chunk or a query)."""
    return [term for term, _, _ in _spans(normalise_plain(text), mode)]


def terms_batch(texts: list[str], mode: str = "jieba") -> list[list[str]]:
    return [terms(text, mode) for text in texts]


def term_spans(text: str, mode: str = "jieba") -> list[Span]:
    """``(term, start, end)`` with ``start``/``end`` into the original ``text``."""
    normalised = normalise(text)
    result = []
    for term, start, end in _spans(normalised.text, mode):
        original_start, original_end = normalised.original_span(start, end)
        result.append((term, original_start, original_end))
    return result


def matched_spans(query_terms: set[str], text: str, mode: str = "jieba") -> list[tuple[int, int]]:
    """Spans of ``text`` whose term is one of ``query_terms`` (merged where they overlap).

    Every term of a Han run is Han, so without a Han query term no Han run can match: the
    dictionary-free ``bigram`` mode then gives the same spans without loading jieba (an
    English query whose hits include Chinese chunks)."""
    if not any(has_han(term) for term in query_terms):
        mode = "bigram"
    spans = sorted((start, end) for term, start, end in term_spans(text, mode) if term in query_terms)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _spans(normalised: str, mode: str) -> list[Span]:
    if mode not in ("jieba", "bigram"):
        raise ValueError(f"unknown sparse tokenizer {mode!r}")
    stem = _stemmer().stemWord
    out: list[Span] = []
    for match in _RUNS.finditer(normalised):
        run, offset = match.group(), match.start()
        if match.lastgroup == "word":
            if run not in ENGLISH_STOPWORDS:
                out.append((stem(run), offset, match.end()))
        else:
            if mode == "jieba":
                for word, start, end in _jieba().tokenize(run):
                    if len(word) != 2 and word not in CHINESE_STOPWORDS:  # two-char words come as bigrams
                        out.append((word, offset + start, offset + end))
            if len(run) == 1:
                if run not in CHINESE_STOPWORDS:
                    out.append((run, offset, offset + 1))
            else:
                bigrams = ((run[i : i + 2], offset + i, offset + i + 2) for i in range(len(run) - 1))
                out.extend(b for b in bigrams if b[0] not in CHINESE_STOPWORDS)
    return out
