"""Write the demo world's data files (``workbench/resources/demo_world/``).

``python -m tools.demo_world.export --out workbench/resources/demo_world --seed 0`` regenerates:

- ``world.json`` — seed, entities (id, kind, names, group) and relations (templates, which
  are held out, questions);
- ``facts.jsonl`` — CounterFact-style editing records (see ``counterfact``);
- ``encyclopedia/<language>/<entity id>.md|.html|.txt`` plus ``encyclopedia/index.jsonl`` —
  one article per entity and language, for RAG ingestion;
- ``rag_questions.jsonl`` — question, answer, gold document and languages, for retrieval
  and answer evaluation, including English questions about Chinese-only articles;
- ``finetune_train.jsonl`` / ``finetune_eval.jsonl`` — prompt/completion pairs in a
  question-answer format the base model was never trained on, split by entity.

Every file is a pure function of the seed: the same seed writes byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from tools.demo_world.counterfact import counterfact_records
from tools.demo_world.encyclopedia import SUFFIXES, document, document_rng, title
from tools.demo_world.relations import RELATIONS
from tools.demo_world.statements import answer, question
from tools.demo_world.world import DEFAULT_SEED, LANGUAGES_CODES, World, build_world

FINETUNE_PROMPT = {"en": "Q: {}\nA:", "zh": "问：{}\n答："}
FINETUNE_COMPLETION = {"en": " The answer is {}.", "zh": "答案是{}。"}
FINETUNE_SIZES = (480, 120)
"""Train / eval pairs: small enough for a LoRA run of a minute or two on a CPU."""


def _write_jsonl(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, sort_keys=False) + "\n")


def document_path(entity_id: str, language: str, doc_format: str) -> str:
    """Path of an article relative to ``encyclopedia/``; also its id in the RAG files."""
    return f"{language}/{entity_id}{SUFFIXES[doc_format]}"


def world_manifest(world: World) -> dict[str, object]:
    return {
        "seed": world.seed,
        "languages": list(LANGUAGES_CODES),
        "entities": [
            {"id": e.id, "kind": e.kind, "name_en": e.name.en, "name_zh": e.name.zh, "group": e.group}
            for e in world.entities
        ],
        "relations": [
            {
                "id": r.id,
                "subject_kind": r.subject_kind,
                "object_kind": r.object_kind,
                "train_templates": {lang: list(r.train_templates(lang)) for lang in LANGUAGES_CODES},
                "held_out_templates": {lang: list(r.held_out_templates(lang)) for lang in LANGUAGES_CODES},
                "questions": {lang: list(r.questions(lang)) for lang in LANGUAGES_CODES},
            }
            for r in RELATIONS
        ],
    }


def encyclopedia_files(world: World) -> dict[str, str]:
    """Every article: path relative to ``encyclopedia/`` → text."""
    files = {}
    for entity in world.entities:
        for language in entity.doc_languages:
            text = document(world, entity, language, entity.doc_format, document_rng(world, entity, language))
            files[document_path(entity.id, language, entity.doc_format)] = text
    return files


def encyclopedia_index(world: World) -> list[dict[str, object]]:
    return [
        {
            "document": document_path(e.id, language, e.doc_format),
            "entity_id": e.id,
            "title": title(e, language),
            "language": language,
            "format": e.doc_format,
            "in_training_text": e.group == "core",
        }
        for e in world.entities
        for language in e.doc_languages
    ]


def rag_questions(world: World) -> list[dict[str, object]]:
    """A question per fact and article language; Chinese-only articles also get English ones.

    ``answerable_closed_book`` says whether the model saw the fact in training: for
    ``False`` rows only retrieval can give the answer.
    """
    rows: list[dict[str, object]] = []
    for fact in world.facts:
        entity = world.entity(fact.subject_id)
        pairs = [(lang, lang) for lang in entity.doc_languages]
        if entity.doc_languages == ("zh",):
            pairs.append(("en", "zh"))
        for question_language, document_language in pairs:
            rows.append(
                {
                    "id": len(rows),
                    "question": question(fact, world, question_language, len(rows) % 2),
                    "answer": answer(fact, question_language),
                    "gold_document": document_path(entity.id, document_language, entity.doc_format),
                    "language": question_language,
                    "document_language": document_language,
                    "entity_id": entity.id,
                    "relation_id": fact.relation_id,
                    "answerable_closed_book": entity.group == "core",
                }
            )
    return rows


def finetune_pairs(world: World) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    """Q/A pairs about known facts in a new answer style, split by entity (train, eval).

    The model knows the facts but has never seen ``Q:``/``A:`` nor "The answer is …", so a
    LoRA adapter visibly changes how it answers, and the eval entities show whether the
    style carries over to facts the adapter never saw.
    """
    rng = random.Random(f"{world.seed}:finetune")
    entities = sorted({f.subject_id for f in world.core_facts})
    rng.shuffle(entities)
    eval_entities = set(entities[: len(entities) // 5])
    train: list[dict[str, object]] = []
    evaluation: list[dict[str, object]] = []
    for fact in world.core_facts:
        for language in LANGUAGES_CODES:
            row = {
                "prompt": FINETUNE_PROMPT[language].format(question(fact, world, language, rng.randrange(2))),
                "completion": FINETUNE_COMPLETION[language].format(answer(fact, language)),
                "language": language,
                "entity_id": fact.subject_id,
                "relation_id": fact.relation_id,
            }
            (evaluation if fact.subject_id in eval_entities else train).append(row)
    train = rng.sample(train, min(FINETUNE_SIZES[0], len(train)))
    evaluation = rng.sample(evaluation, min(FINETUNE_SIZES[1], len(evaluation)))
    return train, evaluation


def export_world(world: World, folder: Path) -> list[Path]:
    """Write every data file of ``world`` under ``folder``; returns the paths written."""
    written: list[Path] = []
    folder.mkdir(parents=True, exist_ok=True)
    manifest = folder / "world.json"
    manifest.write_text(json.dumps(world_manifest(world), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    written.append(manifest)
    tables = {
        "facts.jsonl": [record.to_json() for record in counterfact_records(world)],
        "rag_questions.jsonl": rag_questions(world),
        "encyclopedia/index.jsonl": encyclopedia_index(world),
    }
    tables["finetune_train.jsonl"], tables["finetune_eval.jsonl"] = finetune_pairs(world)
    for name, rows in tables.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_jsonl(path, rows)
        written.append(path)
    articles = encyclopedia_files(world)
    for relative, text in articles.items():
        path = folder / "encyclopedia" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    for stale in (folder / "encyclopedia").glob("*/*"):
        if stale.relative_to(folder / "encyclopedia").as_posix() not in articles:
            stale.unlink()  # an article of an earlier seed
    readme = folder / "README.md"
    readme.write_text(_readme(world, len(articles)), encoding="utf-8")
    written.append(readme)
    return written


def _readme(world: World, articles: int) -> str:
    core = sum(1 for e in world.entities if e.group == "core")
    return f"""# Demo world data (seed {world.seed})

Generated by `python -m tools.demo_world.export --out workbench/resources/demo_world --seed {world.seed}`;
do not edit by hand (a test regenerates and compares).  {len(world.entities)} entities ({core} core,
{len(world.entities) - core} documented only in the encyclopedia), {len(world.facts)} facts, each in
English and Chinese.

| file | what |
|---|---|
| `world.json` | entities (id, kind, English and Chinese name, group) and relations (training and held-out templates, questions) |
| `facts.jsonl` | CounterFact-style records of the core facts: `case_id`, `fact_id`, `entity_id`, `subject`, `relation_id`, `prompt` (`{{}}` = subject), `target_true`, `target_new`, `paraphrase_prompts` (held-out templates), `neighborhood_prompts`, `portability_prompts` (`prompt`, `target_true`, `target_new`), `language` |
| `encyclopedia/` | {articles} articles, one per entity and language (`en/`, `zh/`), as Markdown, HTML or plain text; `index.jsonl` lists them |
| `rag_questions.jsonl` | `question`, `answer`, `gold_document` (path under `encyclopedia/`), `language`, `document_language`, `entity_id`, `relation_id`, `answerable_closed_book` (false: only retrieval can answer) |
| `finetune_train.jsonl`, `finetune_eval.jsonl` | `prompt` / `completion` pairs in a `Q:`/`A:` answer style the demo model was never trained on, split by entity |

Targets start with a space in English (`" French"`) and directly in Chinese (`"法语"`); the
first token of the target is what is scored.  `core` entities' facts are in the demo
model's training text; `rag_only` entities' facts are only in their articles.
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.demo_world.export", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    written = export_world(build_world(args.seed), args.out)
    print(f"wrote {len(written)} files under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
