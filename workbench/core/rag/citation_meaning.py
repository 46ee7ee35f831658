"""Citations across languages: the span whose meaning is nearest an answer sentence (issue #20, item 5).

An English answer over the Chinese textbook shares no words with it, so the words rule of
``citations`` leaves every sentence "no source found".  For such a sentence the spans of the
passages in the *other* language (each sentence and each two adjacent ones, as for words) are
encoded with the sentence by a multilingual sentence embedder, and the span of highest cosine
similarity is cited when it reaches ``MIN_SIMILARITY``; ties go as they do for words.  Spans in
the sentence's own language are never cited by meaning: there, words not found are words not said.

Calibration (``tools/calibrate_citations.py`` on ``tests/data/rag_textbook/cross_citations.jsonl``):
48 English sentences written for Chinese sentences of the book, each given the default chunk that
holds its sentence, and 126 sentences whose passage does not say them — 15 near misses (the
passage's subject, a wrong fact), 15 unrelated ("I don't know.") and the 48 sentences again, each
given another section's chunk.  Precision = right spans / all citations, recall = right spans / 48:

=========  =========  ======  ===========================================
similarity precision  recall  cited wrongly (near miss / unrelated / other)
=========  =========  ======  ===========================================
≥ 0.50     0.885      0.958   5 / 0 / 1
≥ 0.52     0.938      0.938   3 / 0 / 0
**≥ 0.55** **0.977**  0.875   1 / 0 / 0
≥ 0.60     0.975      0.812   1 / 0 / 0
≥ 0.66     1.000      0.542   0 / 0 / 0
=========  =========  ======  ===========================================

The best span was the right one for all 48 sentences; the threshold only decides whether to cite
it.  0.55 has the best F0.5 (precision counted twice as much as recall: a wrong citation misleads
the reader, a missing one only leaves the check to them), and clears the highest similarity of a
sentence to a section that does not say it (0.505) by a margin.  Chosen on half the trials, the
threshold came out 0.55 and 0.52 and scored precision 0.950 / 0.923, recall 0.792 / 1.000 on the
other half: a development set of 48, so ±0.05 is about what the data can tell.  With e5-small
(the collection's default embedder) the right span came first for 45 of 48 and the best
threshold (0.85) reached precision 0.892 at recall 0.688: its similarities crowd into 0.72–0.91
whatever the sentence says.  As shipped (words first) the set gets precision 0.977, recall
0.875: 41 spans found by meaning, 2 by words (sentences keeping the book's English terms).

Cost: words alone 1.4 ms an answer; with the meaning rule, one sentence over one passage (the
sentence and the chunk's sentences encoded in one batch) took a median 35 ms, 90th percentile 346 ms, on two CPU cores
shared with another measurement; the embedder's first load takes about a second, once a process.

Limits: similar meaning is not the same claim.  Near misses — a sentence on the passage's
subject with a wrong fact ("BERT is a decoder-only model that OpenAI proposed in 2020.") — are
what this rule lets through; hence the mark says "by meaning", the score is a similarity, and
the reader is asked to check the span.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.base.errors import InvalidParameters
from workbench.core.rag.embedders import load_embedder
from workbench.core.rag.params import COMPANION_EMBEDDER

MEANING_EMBEDDER = COMPANION_EMBEDDER
"""The multilingual USE, the collections' optional companion, not the collection's own embedder:
on the calibration set it ranked the right span first more often than e5-small and set apart
the passages that do not say a sentence by a far wider margin (numbers above), and it encoded a
passage's spans in about a third of e5-small's time side by side."""
MIN_SIMILARITY = 0.55
"""A span is cited by meaning from this cosine similarity on (calibrated above)."""


def similarities(sentences: Sequence[str], spans: Sequence[Sequence[str]]) -> np.ndarray | None:
    """Cosine similarity of each sentence (rows) with each span (columns), a span given as its
    sentences.  Each distinct text is encoded once, all in one batch, and a span of two sentences
    is the normalised sum of their vectors: encoding the pairs too cost half as much again and
    changed nothing on the calibration set.  None when the embedder cannot load here (its wheel has
    no build for this platform): citations then go by words alone rather than fail the answer."""
    try:
        embedder = load_embedder(MEANING_EMBEDDER)
    except InvalidParameters:
        return None
    parts = list(dict.fromkeys(part for span in spans for part in span))
    vectors = embedder.encode([*sentences, *parts])
    row = {part: len(sentences) + number for number, part in enumerate(parts)}
    joined = np.stack([vectors[[row[part] for part in span]].sum(axis=0) for span in spans])
    joined /= np.maximum(np.linalg.norm(joined, axis=1, keepdims=True), 1e-12)
    return np.asarray(vectors[: len(sentences)] @ joined.T)
