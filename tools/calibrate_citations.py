"""Calibrate citing by meaning (``workbench/core/rag/citation_meaning.py``) on the textbook.

Why this exists: the meaning rule cites a span when its cosine similarity to an answer sentence
reaches a threshold, and a threshold is only as good as the data it was chosen on.  This runs
the app's own ``citations.cite`` over English answer sentences written for Chinese passages of
*大模型基础* and over sentences those passages do not say, and prints precision and recall of
each candidate threshold.  Nothing here is imported by the app.

    python tools/calibrate_citations.py ../shared/corpus/foundations-of-llms.zh.txt
    python tools/calibrate_citations.py BOOK --embedder e5-small      # the same with another embedder

The sentences are ``tests/data/rag_textbook/cross_citations.jsonl`` (README there); each trial
gives ``cite`` one passage, the default chunk of the book that holds the line's evidence, as an
Ask with k = 1 does.  Kinds of trial:

* ``says`` — the sentence says what the evidence's sentence says: right when the cited span
  holds the evidence, wrong when it is another span, missed when nothing is cited;
* ``near-miss`` — the passage's subject with a wrong fact; ``unrelated`` — a sentence about
  nothing in the book; ``elsewhere`` (made here) — each ``says`` sentence against the passage of
  the line half the list away: any citation of these is wrong.

Precision = right / all citations, recall = right / ``says`` trials.  The sweep runs the meaning
rule alone (the words rule switched off, every best span kept with its similarity); the last
block runs ``cite`` as the app does (words first, then meaning at the shipped threshold) and
times it against words alone on the same answers.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from workbench.core.rag import citation_meaning, citations
from workbench.core.rag.chunking import chunk_text
from workbench.core.rag.params import ChunkSettings, Citation, Hit

PAIRS = Path(__file__).resolve().parent.parent / "tests" / "data" / "rag_textbook" / "cross_citations.jsonl"
KINDS = ("says", "near-miss", "unrelated", "elsewhere")


@dataclass(frozen=True)
class Trial:
    sentence: str
    kind: str
    passage: Hit
    evidence: tuple[int, int] | None
    """The evidence's offsets in the passage (``says`` trials only)."""

    def verdict(self, citation: Citation) -> str:
        """``right``, ``wrong`` (a span cited that does not say the sentence) or ``none``."""
        support = citation.support
        if support is None:
            return "none"
        if self.evidence is not None and support.start < self.evidence[1] and self.evidence[0] < support.end:
            return "right"
        return "wrong"


def trials(book: str) -> list[Trial]:
    starts, ends = chunk_text(book, ChunkSettings())

    def passage(start: int, end: int) -> tuple[Hit, int]:
        """The chunk holding most of ``book[start:end]`` (the earlier one of two that hold it all)."""
        best = max(range(len(starts)), key=lambda i: (min(end, int(ends[i])) - max(start, int(starts[i])), -i))
        first = int(starts[best])
        text = book[first : int(ends[best])]
        return Hit(1, 1.0, best, 0, "book", first, int(ends[best]), None, text), first

    lines = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    found = []
    for line in lines:
        hit, first = passage(line["start"], line["end"])
        evidence = (line["start"] - first, line["end"] - first) if line["kind"] == "says" else None
        found.append(Trial(line["sentence"], line["kind"], hit, evidence))
    says = [trial for trial in found if trial.kind == "says"]
    half = len(says) // 2
    found += [
        Trial(trial.sentence, "elsewhere", says[(number + half) % len(says)].passage, None)
        for number, trial in enumerate(says)
    ]
    return found


def cited(trial: Trial, *, by_meaning: bool = True) -> Citation:
    """The one citation ``cite`` gives the trial's sentence (its passage is the whole prompt)."""
    (citation,) = citations.cite(trial.sentence, [trial.passage], trial.passage.text, by_meaning=by_meaning)
    return citation


@contextmanager
def meaning_alone(embedder: str) -> Iterator[None]:
    """``cite`` with the words rule off and no threshold: every sentence gets its best span by meaning."""
    saved = citations.MIN_SUPPORT, citation_meaning.MIN_SIMILARITY, citation_meaning.MEANING_EMBEDDER
    citations.MIN_SUPPORT, citation_meaning.MIN_SIMILARITY, citation_meaning.MEANING_EMBEDDER = 1.0, -1.0, embedder
    try:
        yield
    finally:
        citations.MIN_SUPPORT, citation_meaning.MIN_SIMILARITY, citation_meaning.MEANING_EMBEDDER = saved


def scores(kinds: list[str], best: list[tuple[float, bool]], threshold: float) -> dict[str, float]:
    """Precision, recall, F0.5 and citations per kind when spans from ``threshold`` on are cited."""
    cited_at = [(kind, right) for kind, (score, right) in zip(kinds, best, strict=True) if score >= threshold]
    right = sum(1 for kind, ok in cited_at if kind == "says" and ok)
    positives = kinds.count("says")
    precision = right / len(cited_at) if cited_at else 1.0
    recall = right / positives
    f_half = 1.25 * precision * recall / (0.25 * precision + recall) if right else 0.0
    counts = {kind: sum(1 for k, _ in cited_at if k == kind) for kind in KINDS}
    counts["wrong span"] = sum(1 for kind, ok in cited_at if kind == "says" and not ok)
    return {"precision": precision, "recall": recall, "f_half": f_half, **counts}


def sweep(found: list[Trial], embedder: str) -> None:
    with meaning_alone(embedder):
        citations_found = [cited(trial) for trial in found]
    best = [
        (c.support.score if c.support is not None else -1.0, trial.verdict(c) == "right")
        for trial, c in zip(found, citations_found, strict=True)
    ]
    kinds = [trial.kind for trial in found]
    total = {kind: kinds.count(kind) for kind in KINDS}
    ranked_right = sum(ok for kind, (_, ok) in zip(kinds, best, strict=True) if kind == "says")
    print(f"{embedder}: the best span by meaning is the right one for {ranked_right}/{total['says']} sentences")
    for kind in KINDS:
        values = sorted(score for k, (score, _) in zip(kinds, best, strict=True) if k == kind)
        print(
            f"  {kind:10} similarity min {values[0]:.3f}  median {statistics.median(values):.3f}  max {values[-1]:.3f}"
        )
    low, high = min(score for score, _ in best), max(score for score, _ in best)
    print("threshold  precision  recall  F0.5   cited: wrong span / near-miss / unrelated / elsewhere")
    threshold = round(low, 2)
    while threshold <= high:
        row = scores(kinds, best, threshold)
        print(
            f"  {threshold:.2f}      {row['precision']:.3f}    {row['recall']:.3f}  {row['f_half']:.3f}   "
            f"{row['wrong span']:.0f} / {row['near-miss']:.0f} of {total['near-miss']} / "
            f"{row['unrelated']:.0f} of {total['unrelated']} / {row['elsewhere']:.0f} of {total['elsewhere']}"
        )
        threshold = round(threshold + 0.01, 2)
    held_out(kinds, best)


def held_out(kinds: list[str], best: list[tuple[float, bool]]) -> None:
    """Choose the threshold of best F0.5 on one half of the trials and score it on the other."""
    candidates = sorted({round(score, 2) for score, _ in best})
    for name, chosen_on, scored_on in (("odd", 1, 0), ("even", 0, 1)):
        pick = [i for i in range(len(kinds)) if i % 2 == chosen_on]
        rest = [i for i in range(len(kinds)) if i % 2 == scored_on]
        threshold = max(
            candidates, key=lambda t: scores([kinds[i] for i in pick], [best[i] for i in pick], t)["f_half"]
        )
        row = scores([kinds[i] for i in rest], [best[i] for i in rest], threshold)
        print(
            f"chosen on the {name} trials: {threshold:.2f}; on the others precision {row['precision']:.3f}, "
            f"recall {row['recall']:.3f}"
        )


def as_shipped(found: list[Trial]) -> None:
    """``cite`` as Ask runs it, at the shipped threshold, and its time against words alone."""
    verdicts: dict[str, dict[str, int]] = {kind: {"right": 0, "wrong": 0, "none": 0} for kind in KINDS}
    by_rule = {"words": 0, "meaning": 0}
    words_ms, both_ms = [], []
    cited(found[0])  # loads the embedder: its first load is not an answer's cost
    for trial in found:
        words_ms.append(best_of(3, lambda trial=trial: cited(trial, by_meaning=False)))
        both_ms.append(best_of(3, lambda trial=trial: cited(trial)))
        citation = cited(trial)
        verdicts[trial.kind][trial.verdict(citation)] += 1
        if citation.support is not None:
            by_rule[citation.support.rule] += 1
    print(
        f"as shipped ({citation_meaning.MEANING_EMBEDDER}, similarity ≥ {citation_meaning.MIN_SIMILARITY}, "
        f"words first): " + "; ".join(f"{kind} {counts}" for kind, counts in verdicts.items())
    )
    right = verdicts["says"]["right"]
    every = sum(v["right"] + v["wrong"] for v in verdicts.values())
    print(
        f"  precision {right / max(every, 1):.3f}, recall {right / sum(verdicts['says'].values()):.3f}; "
        f"spans found by words {by_rule['words']}, by meaning {by_rule['meaning']}"
    )
    print(
        f"  ms per answer (one sentence, one passage, best of 3): words alone median {statistics.median(words_ms):.1f}, "
        f"words then meaning median {statistics.median(both_ms):.0f}, p90 {sorted(both_ms)[9 * len(both_ms) // 10]:.0f}"
    )


def best_of(rounds: int, run: Callable[[], object]) -> float:
    """The fastest of ``rounds`` runs in ms: other processes on a shared machine only ever add time."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        run()
        times.append(1000 * (time.perf_counter() - started))
    return min(times)


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("book", type=Path, help="foundations-of-llms.zh.txt (../shared/corpus/)")
    arguments.add_argument("--embedder", default=citation_meaning.MEANING_EMBEDDER, help="sweep with this embedder")
    args = arguments.parse_args()
    if not args.book.exists():
        raise SystemExit(f"{args.book} is not there: the calibration needs the textbook (../shared/corpus/)")
    found = trials(args.book.read_text(encoding="utf-8"))
    sweep(found, args.embedder)
    if args.embedder == citation_meaning.MEANING_EMBEDDER:
        as_shipped(found)


if __name__ == "__main__":
    main()
