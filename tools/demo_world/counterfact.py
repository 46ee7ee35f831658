"""CounterFact-style editing records for the demo world's core facts.

Each record is one fact in one language, in the shape of CounterFact (Meng et al., 2022,
"Locating and Editing Factual Associations in GPT"): a prompt with ``{}`` for the subject,
the true object, a plausible false one to write in, paraphrase prompts (the held-out
templates: generalisation), neighbourhood prompts (other subjects with the same relation and
object: locality) and, where a second fact follows from the first, portability prompts
(the book's portability property, §5.4: after moving a person's birthplace, does the
country of birth move too?).
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

from tools.demo_world.rag_format import continuation
from tools.demo_world.relations import RELATIONS_BY_ID
from tools.demo_world.statements import fill
from tools.demo_world.vocabulary import Term
from tools.demo_world.world import LANGUAGES_CODES, Fact, World

NEIGHBOURS = 5

_PORTABILITY: dict[str, tuple[str, str, str]] = {
    # relation: (English prompt, Chinese prompt, relation of the object that gives the answer)
    "born_in": ("The country where {} was born is", "{}出生的国家是", "city_country"),
    "headquarters": ("The country where {} has its headquarters is", "{}总部所在的国家是", "city_country"),
    "city_country": ("The capital of the country where {} lies is", "{}所在国家的首都是", "capital"),
    "capital": ("The capital of {} is famous for its", "{}的首都的特产是", "known_for"),
    "invented_in": (
        "The official language of the country where the {} was invented is",
        "发明{}的国家的官方语言是",
        "official_language",
    ),
    "river_country": (
        "The official language of the country the {} flows through is",
        "{}流经的国家的官方语言是",
        "official_language",
    ),
}
"""Two-hop prompts: the object of the fact, then ``hop`` of that object."""


@dataclass(frozen=True)
class PortabilityPrompt:
    prompt: str
    target_true: str
    target_new: str


@dataclass(frozen=True)
class CounterFactRecord:
    case_id: int
    fact_id: int
    """Index of the fact in the world; the English and Chinese records of a fact share it."""
    entity_id: str
    subject: str
    relation_id: str
    prompt: str
    target_true: str
    target_new: str
    paraphrase_prompts: list[str]
    neighborhood_prompts: list[str]
    portability_prompts: list[PortabilityPrompt]
    language: str

    def to_json(self) -> dict[str, object]:
        return asdict(self)


def _first_unit(term: Term, language: str) -> str:
    """What first-token scoring sees first: the first word in English, character in Chinese."""
    return term.en.split()[0] if language == "en" else term.zh[0]


def _hop(world: World, object_id: str | None, relation_id: str) -> Term | None:
    if object_id is None:
        return None
    fact = world.fact(object_id, relation_id)
    return fact.object if fact is not None else None


def _entity_id_of(world: World, relation_id: str, name: Term) -> str | None:
    """The core entity named ``name`` among the objects of ``relation_id`` (None: a closed set)."""
    for entity in world.entities_of(RELATIONS_BY_ID[relation_id].object_kind, "core"):
        if entity.name == name:
            return entity.id
    return None


def new_object(world: World, fact: Fact, rng: random.Random) -> Term:
    """A plausible false object: same relation, a different first word *and* first character.

    When the relation has a portability hop, the new object is chosen so the hop changes too
    (a new birthplace in another country), so portability is measurable.
    """
    true = fact.object
    candidates = [
        term
        for term in world.objects_of(fact.relation_id)
        if all(_first_unit(term, lang) != _first_unit(true, lang) for lang in LANGUAGES_CODES)
    ]
    hop = _PORTABILITY.get(fact.relation_id)
    if hop is not None:
        true_hop = _hop(world, fact.object_id, hop[2])
        differing = [
            t for t in candidates if _hop(world, _entity_id_of(world, fact.relation_id, t), hop[2]) != true_hop
        ]
        candidates = differing or candidates
    return rng.choice(candidates)


def counterfact_records(world: World) -> list[CounterFactRecord]:
    """One record per core fact and language, in a fixed order (``case_id`` = position)."""
    records: list[CounterFactRecord] = []
    fact_index = {id(fact): index for index, fact in enumerate(world.facts)}
    by_relation_object: dict[tuple[str, Term], list[Fact]] = {}
    for fact in world.core_facts:
        by_relation_object.setdefault((fact.relation_id, fact.object), []).append(fact)
    for fact in world.core_facts:
        rng = random.Random(f"{world.seed}:counterfact:{fact_index[id(fact)]}")
        target_new = new_object(world, fact, rng)
        new_id = _entity_id_of(world, fact.relation_id, target_new)
        neighbours = [f for f in by_relation_object[(fact.relation_id, fact.object)] if f.subject_id != fact.subject_id]
        neighbours = rng.sample(neighbours, min(NEIGHBOURS, len(neighbours)))
        for language in LANGUAGES_CODES:
            relation = fact.relation
            portability = []
            if fact.relation_id in _PORTABILITY:
                english, chinese, hop_relation = _PORTABILITY[fact.relation_id]
                true_hop, new_hop = _hop(world, fact.object_id, hop_relation), _hop(world, new_id, hop_relation)
                if true_hop is not None and new_hop is not None:
                    portability.append(
                        PortabilityPrompt(
                            fill(english if language == "en" else chinese, world, fact.subject_id, language),
                            continuation(true_hop.en if language == "en" else true_hop.zh, language),
                            continuation(new_hop.en if language == "en" else new_hop.zh, language),
                        )
                    )
            records.append(
                CounterFactRecord(
                    case_id=len(records),
                    fact_id=fact_index[id(fact)],
                    entity_id=fact.subject_id,
                    subject=world.entity(fact.subject_id).display(language),
                    relation_id=fact.relation_id,
                    prompt=relation.templates(language)[0],
                    target_true=fact.target(language),
                    target_new=continuation(target_new.en if language == "en" else target_new.zh, language),
                    paraphrase_prompts=[
                        fill(t, world, fact.subject_id, language) for t in relation.held_out_templates(language)
                    ],
                    neighborhood_prompts=[
                        fill(relation.templates(language)[0], world, n.subject_id, language) for n in neighbours
                    ],
                    portability_prompts=portability,
                    language=language,
                )
            )
    return records
