"""What the demo model knows: first-token accuracy on facts, paraphrases and reading.

First-token top-1 accuracy is the measure of CounterFact and of the book's editing
experiments: the model is right when its most probable next token after the prompt is the
first token of the object.  The same functions score the model during training, in the
model card and in the test of the shipped model, so the numbers always mean the same.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import torch

from tools.demo_world.encyclopedia import document, document_rng
from tools.demo_world.params import DemoScores
from tools.demo_world.rag_format import closed_book_prompt, rag_prompt
from tools.demo_world.statements import fill, question
from tools.demo_world.world import LANGUAGES_CODES, World
from workbench.core.editing.article_text import readable_text


@dataclass(frozen=True)
class ScoredPrompt:
    prompt: str
    target: str
    """The continuation whose first token is scored (`` French``, ``法语``)."""
    language: str


def first_token_hits(
    model: torch.nn.Module, tokenizer, items: Sequence[ScoredPrompt], batch_size: int = 64
) -> np.ndarray:
    """For each item, whether the top-1 next token after the prompt is the target's first.

    Prompts are right-padded, so every real token keeps its position (GPT-2 has absolute
    position embeddings) and the prediction is read at each prompt's own last token.
    """
    device = next(model.parameters()).device
    hits = np.zeros(len(items), dtype=bool)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    with torch.inference_mode():
        for start in range(0, len(items), batch_size):
            chunk = items[start : start + batch_size]
            encoded = [tokenizer(item.prompt, add_special_tokens=False)["input_ids"] for item in chunk]
            targets = [tokenizer(item.target, add_special_tokens=False)["input_ids"][0] for item in chunk]
            width = max(len(ids) for ids in encoded)
            input_ids = torch.full((len(chunk), width), pad, dtype=torch.long)
            attention = torch.zeros((len(chunk), width), dtype=torch.long)
            for row, ids in enumerate(encoded):
                input_ids[row, : len(ids)] = torch.tensor(ids)
                attention[row, : len(ids)] = 1
            logits = model(input_ids=input_ids.to(device), attention_mask=attention.to(device)).logits
            last = torch.tensor([len(ids) - 1 for ids in encoded], device=device)
            predicted = logits[torch.arange(len(chunk), device=device), last].argmax(-1).cpu().numpy()
            hits[start : start + len(chunk)] = predicted == np.array(targets)
    return hits


def fact_prompts(world: World, which: str) -> list[ScoredPrompt]:
    """Core facts with the ``train`` templates, the ``held_out`` ones or the ``canonical`` first."""
    items = []
    for fact in world.core_facts:
        for language in LANGUAGES_CODES:
            relation = fact.relation
            templates = {
                "train": relation.train_templates(language),
                "held_out": relation.held_out_templates(language),
                "canonical": relation.templates(language)[:1],
            }[which]
            items += [
                ScoredPrompt(fill(t, world, fact.subject_id, language), fact.target(language), language)
                for t in templates
            ]
    return items


def reading_prompts(world: World, with_context: bool = True) -> list[ScoredPrompt]:
    """Questions about ``rag_only`` entities, with their encyclopedia article as context.

    The context is the article exactly as exported (HTML reduced to text), in each language
    it exists in; the question is in the same language.
    """
    items = []
    for fact in world.rag_only_facts:
        entity = world.entity(fact.subject_id)
        for language in entity.doc_languages:
            q = question(fact, world, language)
            if with_context:
                article = document(world, entity, language, entity.doc_format, document_rng(world, entity, language))
                prompt = rag_prompt(readable_text(article, entity.doc_format), q, language)
            else:
                prompt = closed_book_prompt(q, language)
            items.append(ScoredPrompt(prompt, fact.target(language), language))
    return items


def _accuracy_by_language(
    model, tokenizer, items: list[ScoredPrompt], sample: int | None, seed: int
) -> tuple[dict[str, float], int]:
    if sample is not None and sample < len(items):
        items = random.Random(seed).sample(items, sample)
    hits = first_token_hits(model, tokenizer, items)
    languages = np.array([item.language for item in items])
    return {lang: float(hits[languages == lang].mean()) for lang in LANGUAGES_CODES if (languages == lang).any()}, len(
        items
    )


def evaluate_demo_model(
    model: torch.nn.Module, tokenizer, world: World, sample: int | None = None, seed: int = 0
) -> DemoScores:
    """All metrics of ``DemoScores``; ``sample`` prompts per metric (``None``: every prompt)."""
    was_training = model.training
    model.eval()
    scores = DemoScores()
    for name, items in (
        ("facts", fact_prompts(world, "train")),
        ("canonical", fact_prompts(world, "canonical")),
        ("paraphrase", fact_prompts(world, "held_out")),
        ("reading", reading_prompts(world, with_context=True)),
        ("closed_book", reading_prompts(world, with_context=False)),
    ):
        accuracy, count = _accuracy_by_language(model, tokenizer, items, sample, seed)
        setattr(scores, name, accuracy)
        scores.counts[name] = count
    model.train(was_training)
    return scores
