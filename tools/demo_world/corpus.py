"""The demo model's training text: an endless, seeded mixture of documents.

Kinds of document, mixed by ``weights`` (relative counts):

* ``fact`` — one fact of a core entity in one language with a random *training* template.
  Facts are dealt like cards (every fact once per round, in a fresh order), so each is seen
  equally often; repetition is what stores a fact in the MLPs (book §5.4, ROME).
* ``article`` — an encyclopedia article about a core entity (facts again, in prose).
* ``reading`` — a reading-comprehension example in the RAG format: one or two articles as
  the context, a question, and the answer copied from the context.  They are about
  throw-away entities invented for the example (never a world name), so the only way to
  answer is to read, never to remember; this is what makes retrieval help (book §6.3).
* ``closed_book`` — a question about a core fact with no context: the model answers from
  memory, and for an entity it has never seen it answers something plausible but wrong.
* ``story`` and ``scene`` — fables and city descriptions for the sampling panel.

A fact sentence, a reading example and a closed-book answer mark the span the model must
get right (the object, the answer) as the passage's ``focus``; training weighs its tokens
more, so the loss is not dominated by names and template words nobody can predict.

The held-out templates of ``relations`` never occur here (a test checks this).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass

from tools.demo_world.encyclopedia import document
from tools.demo_world.names import NameFactory
from tools.demo_world.rag_format import closed_book_prompt, continuation, rag_prompt
from tools.demo_world.statements import answer, question, sentence_parts
from tools.demo_world.stories import city_description, story
from tools.demo_world.world import LANGUAGES_CODES, Entity, Fact, World, WorldBuilder
from workbench.core.editing.article_text import readable_text

DEFAULT_WEIGHTS: dict[str, float] = {
    "fact": 30.0,
    "article": 0.6,
    "reading": 3.4,
    "closed_book": 0.9,
    "story": 0.6,
    "scene": 0.4,
}
"""Relative document counts; by tokens about 38 % facts, 5 % articles, 47 % reading,
2 % closed-book answers, 7 % stories and 2 % scenes (plus one-sentence facts filling the
ends of rows).  With reading at 1.4 (about 25 % of the tokens) reading from context
stayed at 40 % (English) after 1,900 steps; at 3.4 it passes 80 % by step 1,200 of 1,500."""


@dataclass(frozen=True)
class Passage:
    """One training document and, for facts and answers, the character span to focus on."""

    text: str
    focus: tuple[int, int] | None = None


def _answered(prompt: str, target: str, ending: str = "") -> Passage:
    return Passage(prompt + target + ending, (len(prompt), len(prompt) + len(target)))


_THROWAWAY_KINDS = ("person", "person", "person", "company", "company", "city", "invention", "river")


class TrainingText:
    """Documents of the training mixture for one world, drawn from one seeded stream."""

    def __init__(self, world: World, seed: int, weights: dict[str, float] | None = None) -> None:
        self.world = world
        self.rng = random.Random(f"corpus:{world.seed}:{seed}")
        self.weights = dict(weights or DEFAULT_WEIGHTS)
        self._kinds = list(self.weights)
        self._kind_weights = [self.weights[k] for k in self._kinds]
        self._deck: list[tuple[Fact, str]] = []
        self._core_entities = [e for e in world.entities if e.group == "core"]
        self._cities = [e.name for e in world.entities_of("city", "core")]
        names = NameFactory(self.rng, remember=False)
        for term in world.names():
            names.reserve(term)
        self._throwaway = _ThrowawayWorld(world, self.rng, names)

    def documents(self) -> Iterator[Passage]:
        """An endless stream of documents (each without an end-of-text marker)."""
        while True:
            yield self.document(self.rng.choices(self._kinds, self._kind_weights)[0])

    def document(self, kind: str) -> Passage:
        language = self.rng.choice(LANGUAGES_CODES)
        if kind == "fact":
            return self.fact_sentence()
        if kind == "article":
            entity = self.rng.choice(self._core_entities)
            fmt = self.rng.choices(("md", "txt", "html"), weights=(5, 3, 1))[0]
            return Passage(document(self.world, entity, language, fmt, self.rng))
        if kind == "reading":
            return self.reading_example(language)
        if kind == "closed_book":
            fact = self.rng.choice(self.world.core_facts)
            q = question(fact, self.world, language, self.rng.randrange(2))
            return _answered(closed_book_prompt(q, language), continuation(answer(fact, language), language))
        if kind == "story":
            return Passage(story(self.rng, language, self._cities))
        if kind == "scene":
            return Passage(city_description(self.rng, language, self.rng.choice(self._cities)))
        raise ValueError(f"unknown document kind {kind!r}")

    def fact_sentence(self) -> Passage:
        """The next card of the fact deck, stated with a random training template."""
        if not self._deck:
            self._deck = [(f, lang) for f in self.world.core_facts for lang in LANGUAGES_CODES]
            self.rng.shuffle(self._deck)
        fact, language = self._deck.pop()
        return _answered(
            *sentence_parts(fact, self.world, language, self.rng.choice(fact.relation.train_templates(language)))
        )

    def reading_example(self, language: str) -> Passage:
        """Context (one or two articles), question, answer copied from the context."""
        world, entities = self._throwaway.draw(2 if self.rng.random() < 0.5 else 1)
        articles = []
        for entity in entities:
            fmt = self.rng.choices(("md", "txt", "html"), weights=(4, 4, 1))[0]
            text = document(world, entity, language, fmt, self.rng)
            articles.append(text if self.rng.random() < 0.5 else readable_text(text, fmt))
        target = self.rng.choice(world.facts_of(entities[0].id))
        self.rng.shuffle(articles)
        q = question(target, world, language, self.rng.randrange(2))
        return _answered(rag_prompt("\n".join(articles), q, language), continuation(answer(target, language), language))


class _ThrowawayWorld:
    """Invents small worlds of entities no one has heard of, for reading comprehension.

    Half of the objects are the real world's cities and countries, half are invented too,
    so the model cannot answer from the closed sets alone: it has to copy.
    """

    def __init__(self, world: World, rng: random.Random, names: NameFactory) -> None:
        self.world = world
        self.rng = rng
        self.names = names
        self.countries = list(world.entities_of("country", "core"))
        self.cities = list(world.entities_of("city", "core"))

    def draw(self, count: int) -> tuple[World, list[Entity]]:
        builder = WorldBuilder(self.rng, self.names, id_prefix="throwaway-")
        if self.rng.random() < 0.5:
            country = builder.country()
            cities = [builder.city(country) for _ in range(2)]
            countries = [country]
        else:
            countries, cities = self.countries, self.cities
            for country in countries:
                builder.country_style[country.id] = self.rng.choice(("chinese", "western"))
                builder.country_language[country.id] = builder.pick("language")
        kind = self.rng.choice(_THROWAWAY_KINDS)
        entities = []
        for _ in range(count):
            if kind == "person":
                entities.append(builder.person(self.rng.choice(countries), cities, "throwaway"))
            elif kind == "company":
                entities.append(builder.company(cities, "throwaway"))
            elif kind == "city":
                entities.append(builder.city(self.rng.choice(countries), group="throwaway"))
            elif kind == "invention":
                entities.append(builder.invention(countries, "throwaway"))
            else:
                entities.append(builder.river(countries, "throwaway"))
        known = {e.id: e for e in (*countries, *cities, *builder.entities)}
        return World(self.world.seed, tuple(known.values()), tuple(builder.facts)), entities
