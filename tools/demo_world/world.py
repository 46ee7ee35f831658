"""The demo world: a seeded, bilingual set of fictional entities and the facts about them.

No pretrained model can be downloaded on the machines the workbench targets, so the demo
model learns a world small enough to train on a laptop in minutes yet rich enough for every
panel: facts to trace and edit, stories to sample, documents to retrieve.  The world is a
pure function of its seed; regenerating it gives identical entities, facts and files.

Two groups of entities:

* ``core`` entities: the training text states their facts, so the model should know them
  (first-token accuracy, causal tracing, ROME/T-Patcher editing).
* ``rag_only`` entities: documented only in the encyclopedia, never in the training text,
  so the model cannot know them without retrieval — the RAG panel's "wrong alone, right
  with the retrieved document" demonstration.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from functools import cached_property

from tools.demo_world.names import NameFactory
from tools.demo_world.rag_format import continuation
from tools.demo_world.relations import RELATIONS_BY_ID, Relation
from tools.demo_world.vocabulary import ANIMALS, LANGUAGES, OBJECT_SETS, SYLLABLES, Term, term_by_en

DEFAULT_SEED = 0
LANGUAGES_CODES = ("en", "zh")

COUNTS = {"country": 10, "city": 48, "river": 18, "company": 36, "invention": 30, "person": 160}
"""Core entities per kind (plus the real animals of ``vocabulary.ANIMALS``)."""
RAG_ONLY_COUNTS = {"person": 48, "company": 12}

PERSON_OPTIONAL_RELATIONS = ("occupation", "mother_tongue", "instrument")


@dataclass(frozen=True)
class Entity:
    id: str
    """Stable id, also the encyclopedia file name (``person-042``)."""
    kind: str
    name: Term
    group: str
    """``core`` (facts in the training text) or ``rag_only`` (facts only in documents)."""
    doc_languages: tuple[str, ...]
    """Languages of its encyclopedia documents: ``("en",)``, ``("zh",)`` or both."""
    doc_format: str
    """``md``, ``html`` or ``txt``."""

    def display(self, language: str) -> str:
        """The name as it appears in a sentence (animals take no capital: "the zebra")."""
        return self.name.en if language == "en" else self.name.zh


@dataclass(frozen=True)
class Fact:
    relation_id: str
    subject_id: str
    object: Term
    object_id: str | None = None
    """The object's entity id when it is an entity (a city, a country), else ``None``."""

    @property
    def relation(self) -> Relation:
        return RELATIONS_BY_ID[self.relation_id]

    def target(self, language: str) -> str:
        """The scored continuation: `` French`` after an English prompt, ``法语`` after Chinese."""
        return continuation(self.object.en if language == "en" else self.object.zh, language)


@dataclass
class World:
    seed: int
    entities: tuple[Entity, ...]
    facts: tuple[Fact, ...]
    _by_id: dict[str, Entity] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._by_id = {entity.id: entity for entity in self.entities}

    def entity(self, entity_id: str) -> Entity:
        return self._by_id[entity_id]

    @cached_property
    def facts_by_subject(self) -> dict[str, tuple[Fact, ...]]:
        grouped: dict[str, list[Fact]] = {}
        for fact in self.facts:
            grouped.setdefault(fact.subject_id, []).append(fact)
        return {key: tuple(value) for key, value in grouped.items()}

    def facts_of(self, entity_id: str) -> tuple[Fact, ...]:
        return self.facts_by_subject.get(entity_id, ())

    def fact(self, subject_id: str, relation_id: str) -> Fact | None:
        for fact in self.facts_of(subject_id):
            if fact.relation_id == relation_id:
                return fact
        return None

    @cached_property
    def core_facts(self) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if self.entity(f.subject_id).group == "core")

    @cached_property
    def rag_only_facts(self) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts if self.entity(f.subject_id).group == "rag_only")

    def entities_of(self, kind: str, group: str | None = None) -> tuple[Entity, ...]:
        return tuple(e for e in self.entities if e.kind == kind and (group is None or e.group == group))

    def objects_of(self, relation_id: str) -> tuple[Term, ...]:
        """The candidate objects of a relation (its closed set, or every entity of its kind)."""
        kind = RELATIONS_BY_ID[relation_id].object_kind
        if kind in OBJECT_SETS:
            return OBJECT_SETS[kind]
        return tuple(e.name for e in self.entities_of(kind, "core"))

    def names(self) -> list[Term]:
        return [entity.name for entity in self.entities]


class WorldBuilder:
    """Draws entities and facts from one ``random.Random`` (same seed, same world).

    ``build`` draws the demo world in a fixed order.  The per-entity methods also serve the
    training corpus, which invents throw-away entities (with a ``NameFactory`` that avoids
    the world's names) for its reading-comprehension examples.
    """

    def __init__(self, rng: random.Random, names: NameFactory | None = None, id_prefix: str = "") -> None:
        self.rng = rng
        self.names = names or NameFactory(rng)
        self.id_prefix = id_prefix
        self.entities: list[Entity] = []
        self.facts: list[Fact] = []
        self.country_of_city: dict[str, str] = {}
        self.country_style: dict[str, str] = {}
        self.country_language: dict[str, Term] = {}

    def add_entity(self, kind: str, name: Term, group: str = "core") -> Entity:
        index = sum(1 for e in self.entities if e.kind == kind)
        languages = self.rng.choices((("en",), ("en", "zh"), ("zh",)), weights=(5, 3, 2))[0]
        doc_format = self.rng.choices(("md", "html", "txt"), weights=(6, 2, 2))[0]
        entity = Entity(f"{self.id_prefix}{kind}-{index:03d}", kind, name, group, languages, doc_format)
        self.entities.append(entity)
        return entity

    def add_fact(self, relation_id: str, subject: Entity, obj: Term | Entity) -> None:
        if isinstance(obj, Entity):
            self.facts.append(Fact(relation_id, subject.id, obj.name, obj.id))
        else:
            self.facts.append(Fact(relation_id, subject.id, obj))

    def pick(self, kind: str) -> Term:
        return self.rng.choice(OBJECT_SETS[kind])

    # -- one entity of each kind ------------------------------------------------------
    def country(self, first: Term | None = None, language: Term | None = None, style: str | None = None) -> Entity:
        country = self.add_entity("country", self.names.country(first or self.rng.choice(SYLLABLES)))
        self.country_style[country.id] = style or self.rng.choice(("chinese", "western"))
        self.country_language[country.id] = language or self.pick("language")
        return country

    def city(self, country: Entity, first: Term | None = None, group: str = "core") -> Entity:
        city = self.add_entity("city", self.names.word(2, 3, first), group)
        self.country_of_city[city.id] = country.id
        self.add_fact("city_country", city, country)
        self.add_fact("known_for", city, self.pick("product"))
        return city

    def river(self, countries: list[Entity], group: str = "core") -> Entity:
        river = self.add_entity("river", self.names.river(), group)
        self.add_fact("river_country", river, self.rng.choice(countries))
        self.add_fact("river_mouth", river, self.pick("sea"))
        return river

    def company(self, cities: list[Entity], group: str = "core") -> Entity:
        company = self.add_entity("company", self.names.word(2, 3), group)
        self.add_fact("headquarters", company, self.rng.choice(cities))
        self.add_fact("industry", company, self.pick("industry"))
        return company

    def invention(self, countries: list[Entity], group: str = "core") -> Entity:
        invention = self.add_entity("invention", self.names.invention(), group)
        self.add_fact("invented_in", invention, self.rng.choice(countries))
        self.add_fact("used_for", invention, self.pick("use"))
        return invention

    def person(self, country: Entity, cities: list[Entity], group: str = "core") -> Entity:
        """A person born in one of ``cities`` (of ``country``), with one to three more facts."""
        person = self.add_entity("person", self.names.person(self.country_style[country.id]), group)
        self.add_fact("born_in", person, self.rng.choice(cities))
        extra = self.rng.choices((1, 2, 3), weights=(1, 2, 1))[0]
        chosen = sorted(self.rng.sample(PERSON_OPTIONAL_RELATIONS, extra), key=PERSON_OPTIONAL_RELATIONS.index)
        for relation_id in chosen:
            if relation_id == "mother_tongue" and self.rng.random() < 0.75:
                self.add_fact(relation_id, person, self.country_language[country.id])
            else:
                self.add_fact(
                    relation_id, person, self.pick("language" if relation_id == "mother_tongue" else relation_id)
                )
        return person

    # -- the demo world ---------------------------------------------------------------
    def build(self, seed: int) -> World:
        countries = [
            self.country(first, language, "chinese" if index % 5 in (0, 3) else "western")
            for index, (first, language) in enumerate(
                zip(self.rng.sample(SYLLABLES, COUNTS["country"]), self.rng.sample(LANGUAGES, COUNTS["country"]))
            )
        ]
        # A distinct first syllable per city: Chinese city names then differ in their first
        # character, which is the token that first-token scoring and ROME look at.
        firsts = self.rng.sample(SYLLABLES, COUNTS["city"])
        cities = [self.city(countries[index % len(countries)], first) for index, first in enumerate(firsts)]
        for index, country in enumerate(countries):
            self.add_fact("capital", country, cities[index])  # the first city of each country
            self.add_fact("official_language", country, self.country_language[country.id])
        for _ in range(COUNTS["river"]):
            self.river(countries)
        for group, count in (("core", COUNTS["company"]), ("rag_only", RAG_ONLY_COUNTS["company"])):
            for _ in range(count):
                self.company(cities, group)
        for _ in range(COUNTS["invention"]):
            self.invention(countries)
        self._animals()
        cities_of = {c.id: [city for city in cities if self.country_of_city[city.id] == c.id] for c in countries}
        for group, count in (("core", COUNTS["person"]), ("rag_only", RAG_ONLY_COUNTS["person"])):
            for _ in range(count):
                country = self.rng.choice(countries)
                self.person(country, cities_of[country.id], group)
        return World(seed, tuple(self.entities), tuple(self.facts))

    def _animals(self) -> None:
        for animal in ANIMALS:
            self.names.reserve(animal.name)
            entity = self.add_entity("animal", animal.name)
            self.add_fact("colour", entity, term_by_en("colour", animal.colour))
            self.add_fact("habitat", entity, term_by_en("habitat", animal.habitat))
            self.add_fact("diet", entity, term_by_en("diet", animal.diet))


def build_world(seed: int = DEFAULT_SEED) -> World:
    """The demo world for ``seed`` (deterministic: same seed, identical world)."""
    return WorldBuilder(random.Random(seed)).build(seed)
