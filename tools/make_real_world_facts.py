"""Write ``workbench/resources/real_world/facts.jsonl`` from the tables in ``real_world_data.py``.

Run from the repository root: ``.venv/bin/python tools/make_real_world_facts.py``.  Not part of
the workbench (nothing imports it); the output is deterministic, so rerunning it after editing
a table changes only what the table changed.

Each fact becomes a CounterFact-style record in the demo world's schema: the edit prompt
(``{}`` = subject), ``target_true``, a ``target_new`` drawn from the relation's other objects,
two paraphrases, neighbourhood prompts (other subjects of the relation with the same true
object, as CounterFact does) and, where a second fact follows from the first, portability
prompts whose answers change with the edit.
"""

from __future__ import annotations

import json
import random
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import real_world_data as D

OUT = Path(__file__).resolve().parent.parent / "workbench" / "resources" / "real_world" / "facts.jsonl"
SEED = 17
NEIGHBOURS = 4


@dataclass
class Fact:
    entity_id: str
    relation_id: str
    subject: dict[str, str]
    """language → subject text (a language missing = no record in that language)"""
    obj: str
    """object key: equal keys are the same object (neighbourhood, target_new pool)"""
    target: dict[str, str]
    """language → object text, as it follows the prompt (English with its leading space)"""
    portability: dict[str, str] = field(default_factory=dict)
    """object key → key of the derived object (looked up in the relation's ``derived`` table)"""


@dataclass
class Relation:
    relation_id: str
    prompt: dict[str, str]
    paraphrases: dict[str, tuple[str, str]]
    facts: list[Fact]
    portability_prompt: dict[str, str] = field(default_factory=dict)
    derived: dict[str, dict[str, str]] = field(default_factory=dict)
    """object key → language → derived answer text (portability targets)"""
    mid: dict[str, object] = field(default_factory=dict)
    """language → how the subject reads in the middle of a sentence (default: as is)"""


def en(text: str) -> str:
    return " " + text


def the_lower(subject: str) -> str:
    return "the" + subject[3:] if subject.startswith("The ") else subject


def country_text(key: str) -> dict[str, str]:
    c = D.COUNTRIES[key]
    return {"en": en(c[0]), "zh": c[1]}


def capital_text(key: str) -> dict[str, str]:
    c = D.COUNTRIES[key]
    return {"en": en(c[2]), "zh": c[3]}


def relations() -> list[Relation]:
    countries = D.COUNTRIES
    starts = {k: c for k, c in countries.items() if not c[0].startswith("the ")}
    rels: list[Relation] = []

    rels.append(
        Relation(
            "capital",
            {"en": "The capital of {} is", "zh": "{}的首都是"},
            {
                "en": ("The capital city of {} is", "The seat of government of {} is in"),
                "zh": ("{}的首都为", "{}的首都城市是"),
            },
            [
                Fact(f"country-{k}", "capital", {"en": c[0], "zh": c[1]}, k, capital_text(k))
                for k, c in countries.items()
                if c[2]
            ],
        )
    )
    rels.append(
        Relation(
            "official_language",
            {"en": "The official language of {} is", "zh": "{}的官方语言是"},
            {
                "en": ("In {}, the official language is", "The language of government and schools in {} is"),
                "zh": ("{}的法定语言是", "在{}，官方语言是"),
            },
            [
                Fact(
                    f"country-{k}",
                    "official_language",
                    {"en": c[0], "zh": c[1]},
                    c[4][0],
                    {"en": en(c[4][0]), "zh": c[4][1]},
                )
                for k, c in countries.items()
                if c[4]
            ],
        )
    )
    rels.append(
        Relation(
            "continent",
            {"en": "{} is located on the continent of", "zh": "{}所在的大洲是"},
            {
                "en": ("The country of {} lies on the continent of", "Geographically, {} is part of the continent of"),
                "zh": ("{}这个国家位于哪个洲？答案是", "从地理上看，{}属于"),
            },
            [
                Fact(
                    f"country-{k}",
                    "continent",
                    {"en": c[0], "zh": c[1]},
                    c[5],
                    {"en": en(D.CONTINENTS[c[5]][0]), "zh": D.CONTINENTS[c[5]][1]},
                )
                for k, c in starts.items()
                if c[5]
            ],
        )
    )
    rels.append(
        Relation(
            "currency",
            {"en": "The currency of {} is the"},
            {"en": ("The official currency of {} is the", "In {}, people pay with the")},
            [
                Fact(f"country-{k}", "currency", {"en": c[0]}, c[6], {"en": en(c[6])})
                for k, c in countries.items()
                if c[6]
            ],
        )
    )
    # cities: portability = the capital of the city's country
    rels.append(
        Relation(
            "city_country",
            {"en": "{} is located in the country of", "zh": "{}所在的国家是"},
            {
                "en": ("The city of {} is in the country of", "{} is a city in the country of"),
                "zh": ("{}这座城市位于哪个国家？答案是", "{}是一座城市，属于"),
            },
            [
                Fact(f"city-{slug(n)}", "city_country", {"en": n, "zh": z}, k, country_text(k), {k: k})
                for n, z, k in D.CITIES
            ],
            portability_prompt={"en": "The capital of the country where {} lies is", "zh": "{}所在国家的首都是"},
            derived={k: capital_text(k) for k, c in countries.items() if c[2]},
        )
    )
    rels.append(
        Relation(
            "company_country",
            {"en": "{} is a company based in", "zh": "{}是一家总部位于哪个国家的公司？答案是"},
            {
                "en": ("The company {} has its headquarters in", "{} is headquartered in the country of"),
                "zh": ("{}公司的总部所在国家是", "{}这家公司来自"),
            },
            [
                Fact(
                    f"company-{slug(n)}",
                    "company_country",
                    {"en": n, **({"zh": z} if z else {})},
                    k,
                    country_text(k),
                    {k: k},
                )
                for n, z, k in D.COMPANIES
            ],
            portability_prompt={
                "en": "The capital of the country where {} is based is",
                "zh": "{}总部所在国家的首都是",
            },
            derived={k: capital_text(k) for k, c in countries.items() if c[2]},
        )
    )
    company_country = {
        "Apple": "usa",
        "Microsoft": "usa",
        "Sony": "japan",
        "Google": "usa",
        "Amazon": "usa",
        "Toyota": "japan",
        "Honda": "japan",
        "Ford": "usa",
        "Volkswagen": "germany",
        "Nintendo": "japan",
        "Tencent": "china",
        "Alibaba": "china",
        "Intel": "usa",
        "McDonald's": "usa",
        "Burger King": "usa",
        "Starbucks": "usa",
        "Boeing": "usa",
        "Adobe": "usa",
        "Nvidia": "usa",
    }
    company_zh = {e: z for _, _, e, z in D.PRODUCTS}
    rels.append(
        Relation(
            "product_company",
            {"en": "{} is made by", "zh": "推出{}的公司是"},
            {"en": ("The company behind {} is", "The maker of {} is"), "zh": ("{}背后的公司是", "{}出自这家公司：")},
            [
                Fact(
                    f"product-{slug(n)}",
                    "product_company",
                    {"en": n, **({"zh": z} if z else {})},
                    c,
                    {"en": en(c), "zh": cz},
                    {c: c},
                )
                for n, z, c, cz in D.PRODUCTS
            ],
            portability_prompt={
                "en": "The company behind {} is headquartered in the country of",
                "zh": "推出{}的公司总部所在的国家是",
            },
            derived={c: country_text(company_country[c]) for c in company_zh},
            mid={"en": the_lower},
        )
    )
    city_country = {city: k for _, _, city, _, k in D.LANDMARKS}
    rels.append(
        Relation(
            "landmark_city",
            {"en": "{} is located in the city of", "zh": "{}所在的城市是"},
            {
                "en": ("You can visit {} in the city of", "Tourists travel to see {} in"),
                "zh": ("{}坐落在哪座城市？答案是", "游客要参观{}，需要前往"),
            },
            [
                Fact(
                    f"landmark-{slug(n)}",
                    "landmark_city",
                    {"en": n, **({"zh": z} if z else {})},
                    c,
                    {"en": en(c), "zh": cz},
                    {c: c},
                )
                for n, z, c, cz, _ in D.LANDMARKS
            ],
            portability_prompt={"en": "{} is located in the country of", "zh": "{}所在的国家是"},
            derived={c: country_text(k) for c, k in city_country.items()},
            mid={"en": the_lower},
        )
    )
    rels.append(
        Relation(
            "sport",
            {"en": "{} professionally plays the sport of", "zh": "{}从事的职业运动是"},
            {
                "en": ("The professional sport of {} is", "{} is famous as a player of"),
                "zh": ("{}是一名职业运动员，项目是", "{}以哪项运动闻名？答案是"),
            },
            [
                Fact(
                    f"person-{slug(n)}",
                    "sport",
                    {"en": n, "zh": z},
                    s,
                    {"en": en(D.SPORTS[s][0]), "zh": D.SPORTS[s][1]},
                )
                for n, z, s in D.ATHLETES
            ],
        )
    )
    rels.append(
        Relation(
            "instrument",
            {"en": "{} is famous for playing the", "zh": "{}演奏的乐器是"},
            {
                "en": ("The instrument played by {} is the", "{} became famous playing the"),
                "zh": ("{}以演奏这种乐器闻名：", "{}擅长的乐器是"),
            },
            [
                Fact(
                    f"person-{slug(n)}",
                    "instrument",
                    {"en": n, **({"zh": z} if z else {})},
                    i,
                    {"en": en(D.INSTRUMENTS[i][0]), "zh": D.INSTRUMENTS[i][1]},
                )
                for n, z, i in D.MUSICIANS
            ],
        )
    )
    rels.append(
        Relation(
            "mother_tongue",
            {"en": "The native language of {} is", "zh": "{}的母语是"},
            {
                "en": ("The mother tongue of {} is", "{} was a native speaker of"),
                "zh": ("{}从小说的语言是", "{}的第一语言是"),
            },
            [
                Fact(f"person-{slug(n)}", "mother_tongue", {"en": n, "zh": z}, le, {"en": en(le), "zh": lz})
                for n, z, le, lz in D.WRITERS
            ],
        )
    )
    return rels


def fill(template: str, subject: str, mid) -> str:
    """The template with the subject, written as it reads mid-sentence unless it starts it."""
    return upper_first(template.format(subject if template.startswith("{}") else mid(subject)))


def upper_first(text: str) -> str:
    """A sentence that starts with a subject such as "the iPhone" starts with "The"."""
    return "The" + text[3:] if text.startswith("the ") else text


def slug(name: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() and ch.isascii() else "-" for ch in name)
    return "-".join(part for part in out.split("-") if part)


def records() -> list[dict]:
    rng = random.Random(SEED)
    out: list[dict] = []
    fact_id = 0
    for rel in relations():
        objects = sorted({f.obj for f in rel.facts})
        for fact in rel.facts:
            # the new object: another object of the relation, with its derived answers if any
            portable = bool(fact.portability) and derived_key(rel, fact.obj) in rel.derived
            pool = [o for o in objects if o != fact.obj and (not portable or derived_key(rel, o) in rel.derived)]
            if portable:  # prefer a new object whose derived answer changes too
                changed = [
                    o for o in pool if rel.derived[derived_key(rel, o)] != rel.derived[derived_key(rel, fact.obj)]
                ]
                pool = changed or pool
            new = rng.choice(pool)
            new_fact = next(f for f in rel.facts if f.obj == new)
            for language in ("en", "zh"):
                if language not in fact.subject or language not in rel.prompt:
                    continue
                if language not in new_fact.target:
                    continue
                subject = fact.subject[language]
                mid = rel.mid.get(language, lambda s: s)
                same = [f for f in rel.facts if f is not fact and f.obj == fact.obj and language in f.subject]
                rng.shuffle(same)
                record = {
                    "case_id": len(out),
                    "fact_id": fact_id,
                    "entity_id": fact.entity_id,
                    "subject": subject,
                    "relation_id": rel.relation_id,
                    "prompt": rel.prompt[language],
                    "target_true": fact.target[language],
                    "target_new": new_fact.target[language],
                    "paraphrase_prompts": [upper_first(fill(p, subject, mid)) for p in rel.paraphrases[language]],
                    "neighborhood_prompts": [
                        fill(rel.prompt[language], f.subject[language], mid) for f in same[:NEIGHBOURS]
                    ],
                    "portability_prompts": [],
                    "language": language,
                }
                if portable and language in rel.portability_prompt:
                    record["portability_prompts"].append(
                        {
                            "prompt": fill(rel.portability_prompt[language], subject, mid),
                            "target_true": rel.derived[derived_key(rel, fact.obj)][language],
                            "target_new": rel.derived[derived_key(rel, new)][language],
                        }
                    )
                out.append(record)
            fact_id += 1
    return out


def derived_key(rel: Relation, obj: str) -> str:
    for fact in rel.facts:
        if fact.obj == obj and fact.portability:
            return fact.portability[obj]
    return obj


def main() -> None:
    rows = records()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    counts: dict[str, int] = {}
    for r in rows:
        counts[r["language"]] = counts.get(r["language"], 0) + 1
    print(f"{len(rows)} records → {OUT}: {counts}")


if __name__ == "__main__":
    main()
