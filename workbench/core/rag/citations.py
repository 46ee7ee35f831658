"""Which passage supports each sentence of an answer, and where (answers a person can check).

The answer is cut into sentences the way the chunker cuts documents (``chunking.sentence_spans``:
. ! ? before a space, 。！？ anywhere, line breaks; "Paris" alone is one sentence).  Each
sentence is compared with the spans of the passages the model was given — every sentence of a
passage, and every two adjacent ones, since an answer sentence may join two facts:

    score = |terms(sentence) ∩ terms(span)| / |terms(sentence)|

the fraction of what the sentence says that the span says too.  Terms are BM25's
(``sparse_tokens.terms``: NFKC and lower case, stemmed English words, jieba words and
character bigrams for Chinese, function words dropped), so a citation counts "the same word"
exactly as retrieval does and works the same in both languages.  It is a recall on purpose: a
source sentence usually says more than the answer repeats, and that must not count against it.
A rule a reader can redo by hand was preferred to a model's judgement: the marks show which
words were matched, and the score says how many.

Ties go to one sentence over two (a pair wins only by scoring strictly higher), then to the span
sharing more of the question's terms (the sentence that answers *this* question, not a list line
that mentions the same name), then to the higher-ranked passage and the earlier span.

A sentence whose best span holds no more than ``MIN_SUPPORT`` of its terms gets no citation rather than the least bad one: an invented
sentence should read "no source found", not point at a passage that does not say it.  Only text
the model saw can support a sentence: the passages in the prompt (``Prompt.used``) and, of a
first passage cut to fit the window, only the part that fitted.

On the demo world's 1,504 questions (demo model, hybrid retrieval, one chunk) 1,273 answers cite
a passage and the cited span holds the gold answer in 1,210 of them; 66 of the 1,272 correct
answers cite nothing, and in the ones looked at rightly so: retrieval gave a passage about another
entity and the model answered from memory.  Citing costs about 0.5 ms an answer on two CPU cores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.core.rag.chunking import sentence_spans
from workbench.core.rag.params import Citation, Hit, Support
from workbench.core.rag.sparse_tokens import terms

MIN_SUPPORT = 0.5
"""A sentence is cited only when one span holds *more* than this fraction of its terms, most of
what it says: "Anoda is in Ensia." is not supported by a heading that says only "Anoda"."""
MAX_SENTENCES_PER_SPAN = 2


@dataclass(frozen=True)
class _Candidate:
    order: int
    """The passage's position among the sources (0 = ranked first)."""
    hit: Hit
    start: int
    end: int
    sentences: int
    terms: frozenset[str]


def cite(answer: str, sources: Sequence[Hit], prompt: str, question: str = "", mode: str = "jieba") -> list[Citation]:
    """Every sentence of ``answer`` in order, with the span of ``sources`` that supports it best.

    ``sources`` are the passages put into ``prompt``; ``mode`` is the collection's sparse
    tokenizer (``jieba`` or ``bigram``), so terms match the ones its BM25 index uses.
    """
    candidates = [
        candidate
        for order, hit in enumerate(sources)
        for candidate in _candidates(order, hit, seen_length(hit.text, prompt), mode)
    ]
    question_terms = frozenset(terms(question, mode))
    return [
        Citation(start, end, _support(frozenset(terms(answer[start:end], mode)), candidates, question_terms))
        for start, end in sentence_spans(answer, 0, len(answer))
    ]


def seen_length(text: str, prompt: str) -> int:
    """How many leading characters of ``text`` appear in ``prompt``: all of a passage that fitted,
    the start of one cut at a token boundary, 0 for one left out (prefixes of a substring are
    substrings, so the longest is found by bisection)."""
    if text in prompt:
        return len(text)
    low, high = 0, len(text)  # text[:low] is in the prompt, text[:high + 1] is not
    while low < high:
        middle = (low + high + 1) // 2
        if text[:middle] in prompt:
            low = middle
        else:
            high = middle - 1
    return low


def _candidates(order: int, hit: Hit, seen: int, mode: str) -> list[_Candidate]:
    """Each sentence of the seen part of ``hit`` and each run of up to ``MAX_SENTENCES_PER_SPAN``."""
    sentences = sentence_spans(hit.text, 0, seen)
    found = []
    for first in range(len(sentences)):
        for count in range(1, MAX_SENTENCES_PER_SPAN + 1):
            if first + count > len(sentences):
                break
            start, end = sentences[first][0], sentences[first + count - 1][1]
            found.append(_Candidate(order, hit, start, end, count, frozenset(terms(hit.text[start:end], mode))))
    return found


def _support(sentence: frozenset[str], candidates: Sequence[_Candidate], question: frozenset[str]) -> Support | None:
    """The best-supporting candidate for a sentence with ``sentence`` terms, or None up to ``MIN_SUPPORT``."""
    if not sentence or not candidates:
        return None

    def key(candidate: _Candidate) -> tuple[float, int, int, int, int]:
        shared = len(sentence & candidate.terms) / len(sentence)
        return shared, -candidate.sentences, len(question & candidate.terms), -candidate.order, -candidate.start

    best = max(candidates, key=key)
    score = len(sentence & best.terms) / len(sentence)
    if score <= MIN_SUPPORT:
        return None
    return Support(best.hit.rank, best.hit.chunk_id, best.start, best.end, score)
