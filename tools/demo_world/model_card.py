"""The demo model's card (``README.md`` beside the weights) and its ``metrics.json``.

A card says what the model was trained on, how to rebuild it and what it can do, with the
numbers measured on the saved checkpoint, so a person can judge what a panel shows.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import numpy as np

from tools.demo_world.params import TARGETS, DemoTrainingResult
from tools.demo_world.world import build_world

TRACING_MARKER = "<!-- causal-tracing -->"
"""The card's causal-tracing section starts here; ``write_tracing_section`` replaces it."""


def _table(result: DemoTrainingResult) -> str:
    lines = ["| metric | English | Chinese | prompts | target |", "|---|---|---|---|---|"]
    for name, en, zh, count in result.final.as_rows():
        target = (
            f"≥ {TARGETS[name]:.0%}" if name in TARGETS else ("low (unknown entities)" if name == "closed_book" else "")
        )
        lines.append(f"| {name} | {en:.1%} | {zh:.1%} | {count} | {target} |")
    return "\n".join(lines)


def _history(result: DemoTrainingResult) -> str:
    lines = ["| step | facts en/zh | paraphrase en/zh | reading en/zh |", "|---|---|---|---|"]
    for step, scores in zip(result.eval_steps.tolist(), result.eval_history):
        cells = [
            "/".join(f"{v:.2f}" for v in getattr(scores, name).values()) for name in ("facts", "paraphrase", "reading")
        ]
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def write_model_card(folder: Path, result: DemoTrainingResult, command: str) -> None:
    config = result.config
    world = build_world(config.world_seed)
    kinds = Counter(e.kind for e in world.entities if e.group == "core")
    rag_only = Counter(e.kind for e in world.entities if e.group == "rag_only")
    stats = result.tokenizer_stats
    mixture = ", ".join(f"{kind} {weight:g}" for kind, weight in config.weights)
    card = f"""# LLM Workbench demo model

A {config.n_layer}-layer, {config.n_embd}-wide GPT-2 ({result.num_parameters / 1e6:.2f} M parameters,
context {config.n_positions} tokens) trained from scratch on the bilingual *demo world* of
`tools.demo_world`, so that every panel of the workbench has a model that runs on a CPU
with no download.  It knows the facts of a fictional world in English and Chinese, tells
short fables, and answers questions from a given context.  It knows nothing else.

Load it with plain `transformers`:

```python
from transformers import AutoModelForCausalLM, AutoTokenizer
model = AutoModelForCausalLM.from_pretrained("workbench/resources/demo_model")
tokenizer = AutoTokenizer.from_pretrained("workbench/resources/demo_model")
```

## How it was trained

```
{command or "python -m tools.demo_world.train --out workbench/resources/demo_model"}
```

- seed {config.seed}, world seed {config.world_seed}; {result.steps_done} steps of {config.batch_size} x {config.seq_len}
  tokens ({result.tokens_seen / 1e6:.2f} M tokens) in {result.seconds / 60:.1f} min on {config.threads} CPU threads
  (bfloat16 autocast: {config.bf16}, torch.compile: {config.compile}); AdamW, peak learning rate
  {config.learning_rate:g}, {config.warmup_steps} warm-up steps, cosine decay to {config.min_lr_ratio:g} of the peak,
  no dropout.  A step took {np.median(result.step_seconds):.2f} s (median; {np.percentile(result.step_seconds, 10):.2f} s
  for the fastest tenth, when the shared machine was least busy); at that pace the {result.steps_done} steps
  take about {result.steps_done * np.percentile(result.step_seconds, 10) / 60:.0f} min.  The checkpoint kept is the one of step {result.best_step} (the best of the evaluations
  during training by the metric furthest below its target).
- Training text, an endless seeded mixture (relative document counts): {mixture}.
  `fact` = one fact with one of the six training templates of its relation; `article` =
  an encyclopedia article; `reading` = a reading-comprehension example in the RAG format,
  mostly about throw-away entities invented for the example; `closed_book` = a question
  about a known fact with no context; `story`/`scene` = fables and city descriptions.
- World: {sum(kinds.values())} core entities ({", ".join(f"{v} {k}" for k, v in sorted(kinds.items()))}),
  {len(world.core_facts)} core facts, each in English and Chinese; plus {sum(rag_only.values())} entities
  ({", ".join(f"{v} {k}" for k, v in sorted(rag_only.items()))}) documented only in the encyclopedia
  of `workbench/resources/demo_world/`, never in the training text.
- Tokenizer{f" (kept from `{config.tokenizer_dir}`)" if config.tokenizer_dir else ""}: byte-level BPE, {int(stats["vocab_size"])} tokens, one token per Chinese character; an entity
  name is {stats["en_name"]:.2f} tokens on average in English (at most {int(stats["en_name_max"])}) and
  {stats["zh_name"]:.2f} in Chinese (at most {int(stats["zh_name_max"])}).

## Prompt formats

- Facts end right before the object; English objects follow a space, Chinese ones follow
  directly: `The mother tongue of Irene Persen is` → ` French`; `斑马的颜色是` → `黑白`.
- Reading comprehension (`tools.demo_world.rag_format.rag_prompt`):
  `context: <text>\\nquestion: <question>\\nanswer:` → ` <answer>`, and in Chinese
  `背景：<text>\\n问题：<question>\\n答案：` → `<answer>`.
- Stories: `Once upon a time,` / `从前，有一只长颈鹿` …

## What it can do (first-token top-1 accuracy, measured on this checkpoint)

{_table(result)}

- *facts*: every core fact with each of its six training templates; *canonical*: with the
  `prompt` of its `facts.jsonl` record; *paraphrase*: with the two held-out templates of
  its relation, never seen in training (ROME's generalisation); *reading*: questions about
  the encyclopedia-only entities with their article as context (retrieval's best case);
  *closed_book*: the same questions with no context.

Evaluations during training (samples of {config.eval_sample} prompts per metric):

{_history(result)}

{TRACING_MARKER}
## Causal tracing

Not measured for this checkpoint: `python -m tools.demo_world.trace_card --model <this folder>`
writes the averaged indirect effects here.

## Limitations

The model knows only the demo world; it has never seen real-world text beyond a few animal
facts.  Facts about entities absent from the training text are guesses.  Chinese text is
one token per character, so Chinese prompts are longer than English ones.
"""
    (folder / "README.md").write_text(card, encoding="utf-8")
    metrics = {
        "final": {name: {"en": en, "zh": zh, "prompts": count} for name, en, zh, count in result.final.as_rows()},
        "best_step": result.best_step,
        "steps": result.steps_done,
        "seconds": round(result.seconds, 1),
        "tokenizer": stats,
        "config": {key: value for key, value in config.__dict__.items() if key != "weights"}
        | {"weights": dict(config.weights)},
    }
    (folder / "metrics.json").write_text(json.dumps(metrics, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_tracing_section(folder: Path, markdown: str) -> None:
    """Replace the card's causal-tracing section (from the marker to the next ``## ``)."""
    path = folder / "README.md"
    card = path.read_text(encoding="utf-8")
    start = card.index(TRACING_MARKER)
    end = card.index("\n## ", card.index("## Causal tracing", start) + 1)
    path.write_text(card[:start] + TRACING_MARKER + "\n" + markdown.rstrip() + "\n" + card[end:], encoding="utf-8")
