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

A sentence in another language than a passage shares no words with it (an English answer over
the Chinese textbook): for a sentence the words rule leaves without support, a second rule compares
meanings with the passages in the other language (``citation_meaning``, its calibration there).
Words come first because they are exact and a reader can redo them; a span found by meaning says
so (``Support.rule``), and its score is a similarity, not a share of words.  Sentences and
passages in one language never reach that rule, so citing them costs what it did.

On the demo world's 1,504 questions (demo model, hybrid retrieval, one chunk) 1,273 answers cite
a passage and the cited span holds the gold answer in 1,210 of them; 66 of the 1,272 correct
answers cite nothing, and in the ones looked at rightly so: retrieval gave a passage about another
entity and the model answered from memory.  Citing costs about 0.5 ms an answer on two CPU cores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbench.core.rag import citation_meaning
from workbench.core.rag.chunking import sentence_spans
from workbench.core.rag.normalise import detect_language
from workbench.core.rag.params import BY_MEANING, Citation, Hit, Support
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
    parts: tuple[str, ...]
    """The span's sentences, which the meaning rule encodes (a pair is the sum of its two)."""


def cite(
    answer: str,
    sources: Sequence[Hit],
    prompt: str,
    question: str = "",
    mode: str = "jieba",
    by_meaning: bool = False,
) -> list[Citation]:
    """Every sentence of ``answer`` in order, with the span of ``sources`` that supports it best.

    ``sources`` are the passages put into ``prompt``; ``mode`` is the collection's sparse
    tokenizer (``jieba`` or ``bigram``), so terms match the ones its BM25 index uses.
    ``by_meaning``: a sentence that no span supports by words may be cited by meaning from a
    passage in the other language (``citation_meaning``; its embedder loads on first need).
    """
    candidates = [
        candidate
        for order, hit in enumerate(sources)
        for candidate in _candidates(order, hit, seen_length(hit.text, prompt), mode)
    ]
    question_terms = frozenset(terms(question, mode))
    sentences = sentence_spans(answer, 0, len(answer))
    sentence_terms = [frozenset(terms(answer[start:end], mode)) for start, end in sentences]
    supports = [_support(found, candidates, question_terms) for found in sentence_terms]
    if by_meaning:
        supports = _by_meaning(answer, sentences, sentence_terms, supports, candidates, question_terms)
    return [Citation(start, end, support) for (start, end), support in zip(sentences, supports, strict=True)]


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
            text = hit.text[start:end]
            parts = tuple(hit.text[a:b] for a, b in sentences[first : first + count])
            found.append(_Candidate(order, hit, start, end, count, frozenset(terms(text, mode)), parts))
    return found


def _ranked(score: float, candidate: _Candidate, question: frozenset[str]) -> tuple[float, int, int, int, int]:
    """The order of candidates for one sentence: score, then one sentence over two, then the
    question's terms, then the higher-ranked passage and the earlier span (either rule)."""
    return score, -candidate.sentences, len(question & candidate.terms), -candidate.order, -candidate.start


def _support(sentence: frozenset[str], candidates: Sequence[_Candidate], question: frozenset[str]) -> Support | None:
    """The best-supporting candidate for a sentence with ``sentence`` terms, or None up to ``MIN_SUPPORT``."""
    if not sentence or not candidates:
        return None

    def shared(candidate: _Candidate) -> float:
        return len(sentence & candidate.terms) / len(sentence)

    best = max(candidates, key=lambda candidate: _ranked(shared(candidate), candidate, question))
    score = shared(best)
    if score <= MIN_SUPPORT:
        return None
    return Support(best.hit.rank, best.hit.chunk_id, best.start, best.end, score)


def _by_meaning(
    answer: str,
    sentences: Sequence[tuple[int, int]],
    sentence_terms: Sequence[frozenset[str]],
    supports: Sequence[Support | None],
    candidates: Sequence[_Candidate],
    question: frozenset[str],
) -> list[Support | None]:
    """``supports``, with each sentence that words left unsupported cited by meaning where a span
    in another language reaches ``citation_meaning.MIN_SIMILARITY``.  Only those sentences and the
    sentences of those spans are encoded, each once, in one batch; nothing is when every sentence
    has its passage's language."""
    languages = {
        number: detect_language(answer[start:end])
        for number, (start, end) in enumerate(sentences)
        if supports[number] is None and sentence_terms[number]
    }
    if not languages:
        return list(supports)
    # the spans' languages only now: most answers leave no sentence to this rule
    spoken = [detect_language(candidate.hit.text[candidate.start : candidate.end]) for candidate in candidates]
    others = {
        number: [candidate for candidate, other in zip(candidates, spoken, strict=True) if other != language]
        for number, language in languages.items()
    }
    asked = [number for number, spans in others.items() if spans]
    if not asked:
        return list(supports)
    spans = list(dict.fromkeys(candidate.parts for number in asked for candidate in others[number]))
    similarity = citation_meaning.similarities([answer[slice(*sentences[number])] for number in asked], spans)
    if similarity is None:
        return list(supports)
    column = {parts: index for index, parts in enumerate(spans)}
    found = list(supports)
    for row, number in enumerate(asked):
        scored = [(float(similarity[row, column[candidate.parts]]), candidate) for candidate in others[number]]
        score, best = max(scored, key=lambda pair: _ranked(pair[0], pair[1], question))
        if score >= citation_meaning.MIN_SIMILARITY:
            found[number] = Support(best.hit.rank, best.hit.chunk_id, best.start, best.end, score, BY_MEANING)
    return found
