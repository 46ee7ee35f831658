"""Encyclopedia documents about the demo world's entities, for retrieval (book §6.3).

One short article per entity and language, as Markdown, HTML or plain text, so the RAG
panel's loaders meet all three.  An article states each fact twice, once as a sentence
and once in a fact box, the way real encyclopedias repeat an infobox.  Chinese articles
give the English name in brackets after the title, so English questions can retrieve a
Chinese-only article by name.

The same renderer writes the reading-comprehension contexts of the training text, so the
demo model has learned to read exactly what retrieval will hand it.
"""

from __future__ import annotations

import random

from tools.demo_world.relations import RELATIONS_BY_ID
from tools.demo_world.statements import answer, sentence
from tools.demo_world.world import Entity, Fact, World

KIND_LABELS = {
    "person": ("person", "人物"),
    "city": ("city", "城市"),
    "country": ("country", "国家"),
    "company": ("company", "公司"),
    "invention": ("invention", "发明"),
    "river": ("river", "河流"),
    "animal": ("animal", "动物"),
}
FORMATS = ("md", "html", "txt")
SUFFIXES = {"md": ".md", "html": ".html", "txt": ".txt"}


def title(entity: Entity, language: str) -> str:
    if language == "en":
        name = entity.name.en
        return name[0].upper() + name[1:]
    return f"{entity.name.zh}（{entity.name.en}）"


def _fact_lines(entity: Entity, facts: tuple[Fact, ...], language: str) -> list[str]:
    colon = ": " if language == "en" else "："
    kind = KIND_LABELS[entity.kind][0 if language == "en" else 1]
    lines = [f"{'Type' if language == 'en' else '类别'}{colon}{kind}"]
    lines += [f"{RELATIONS_BY_ID[f.relation_id].label(language)}{colon}{answer(f, language)}" for f in facts]
    return lines


def document(
    world: World,
    entity: Entity,
    language: str,
    doc_format: str,
    rng: random.Random,
    facts: tuple[Fact, ...] | None = None,
) -> str:
    """An article about ``entity``; each fact sentence uses a random *training* template.

    ``facts`` overrides the entity's facts (the training corpus writes articles about
    throw-away entities that are not in the world).
    """
    facts = world.facts_of(entity.id) if facts is None else facts
    sentences = [sentence(f, world, language, rng.choice(f.relation.train_templates(language))) for f in facts]
    rng.shuffle(sentences)
    body = (" " if language == "en" else "").join(sentences)
    heading = title(entity, language)
    lines = _fact_lines(entity, facts, language)
    box = "Facts" if language == "en" else "基本信息"
    if doc_format == "md":
        bullets = "\n".join(f"- {line}" for line in lines)
        return f"# {heading}\n\n{body}\n\n## {box}\n\n{bullets}\n"
    if doc_format == "html":
        items = "\n".join(f"<li>{line}</li>" for line in lines)
        lang = "en" if language == "en" else "zh-CN"
        return (
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head><meta charset="utf-8"><title>{heading}</title></head>\n'
            f"<body>\n<h1>{heading}</h1>\n<p>{body}</p>\n<h2>{box}</h2>\n<ul>\n{items}\n</ul>\n</body>\n</html>\n"
        )
    if doc_format == "txt":
        return f"{heading}\n\n{body}\n\n" + "\n".join(lines) + "\n"
    raise ValueError(f"unknown document format {doc_format!r}")


def document_rng(world: World, entity: Entity, language: str) -> random.Random:
    """The fixed random stream of one exported article (same world, same article)."""
    return random.Random(f"{world.seed}:{entity.id}:{language}")
