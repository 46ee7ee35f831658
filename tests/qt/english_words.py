"""What counts as English left in the Chinese interface: one allow-list and one word finder for
the language tests (``test_language_zh``, ``test_labs_zh``)."""

from __future__ import annotations

import re

ALLOWED = {
    # methods, models, libraries and measures as the book and their authors write them
    "ROME", "T-Patcher", "LoRA", "rsLoRA", "DoRA", "IA3", "BitFit", "PEFT", "Prefix-tuning", "Prompt-tuning",
    "Adapter", "Top-K", "Top-k", "Top-P", "Top-p", "Min-p", "Typical-p", "Temperature", "GPT-2", "BM25", "RAG",
    "MRR", "MLP", "FFN", "KL", "HNSW", "IVF", "FAISS", "RRF", "jieba", "transformers", "sentence-transformers", "BLEU", "ROUGE",
    "ROUGE-1", "ROUGE-2", "ROUGE-L", "F1", "LLM", "Workbench", "GGUF", "AIE", "A/B", "R@1", "R@5", "R@10",
    "MRR@10", "P95",
    # the authors a note cites
    "Meng", "et", "al", "Holtzman", "Fan", "Nguyen", "Meister", "Keskar", "Papineni", "Lin", "Fig", "Hu",
    "Lester", "Li", "Liang", "Liu", "Ben", "Zaken", "Kalajdzievski",
    # the demo world's names used as examples
    "Anoda", "Pakelia", "Ensia", "Paris",
    # file formats, units, keys
    "PNG", "SVG", "CSV", "NPZ", "JSON", "JSONL", "Lines", "TXT", "Markdown", "MiB", "GiB", "Ctrl", "Return",
    "Space", "log", "exp", "ms", "nats",
    # a language chooser names each language in itself
    "English",
}  # fmt: skip
""""Lines" only after JSON ("JSON Lines" is the format's name); "ms" and "nats" are units."""
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'/@][A-Za-z0-9]+)*")
NOT_WORDS = re.compile(r"<[^>]+>|&[a-z]+;|\{[^}]*\}|\*?\.[a-z0-9]+\b|[\w.]*_[\w.]*")
"""Markup, entities, {placeholders}, file extensions and identifiers with underscores."""


def english_words(text: str) -> list[str]:
    """Words of ``text`` that read as English: two letters or more and not in ``ALLOWED``
    (menu accelerators' ``&`` are not part of a word)."""
    plain = NOT_WORDS.sub(" ", text).replace("&", "")
    return [word for word in WORD.findall(plain) if len(word) > 1 and word not in ALLOWED]
