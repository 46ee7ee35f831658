"""Fine-tuning data: read a JSONL, a text file or the demo set, tokenise with a loss mask.

Supervised fine-tuning trains only on what the model should *produce* (book §4.5.1): for a
``{"prompt", "completion"}`` pair the loss mask is on the completion and its end-of-text
token, never on the prompt; a ``{"text"}`` record or a text file is trained on throughout.
Torch-free: examples are numpy arrays, batched into tensors by the training loop.
"""

from __future__ import annotations

import dataclasses
import json
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workbench.base.errors import InvalidParameters
from workbench.base.paths import DEMO_WORLD_DIR
from workbench.core.finetune.params import DEMO_DATA, DataConfig, PreviewExample

DEMO_SET_NAME = "finetune"
"""The demo world's set is ``<name>_train.jsonl`` and ``<name>_eval.jsonl`` in DEMO_WORLD_DIR."""

JSONL_SUFFIXES = (".jsonl", ".json")
TEXT_SUFFIXES = (".txt", ".md")


@dataclass(frozen=True)
class Record:
    """A prompt and its completion; a plain text is a record with an empty prompt."""

    prompt: str
    completion: str


@dataclass(frozen=True)
class Example:
    input_ids: np.ndarray
    """int64"""
    loss_mask: np.ndarray
    """bool: token i is a training target (token 0 never is: nothing predicts it)"""
    truncated: bool = False
    """The record was longer than ``max_length`` and was cut."""


@dataclass(frozen=True)
class TokenizedData:
    train: list[Example]
    eval: list[Example]
    max_length: int
    """The cut actually used (the asked length, less what the context or soft prompt needs)."""
    notes: tuple[str, ...] = ()
    """What the user should know before training on this: examples cut at ``max_length``,
    an evaluation split that holds out nothing (so no eval curve)."""


def demo_files() -> tuple[Path, Path]:
    """The demo world's training and evaluation files."""
    return (
        DEMO_WORLD_DIR / f"{DEMO_SET_NAME}_train.jsonl",
        DEMO_WORLD_DIR / f"{DEMO_SET_NAME}_eval.jsonl",
    )


def read_records(path: Path) -> list[Record]:
    """The records of a JSONL file, or ``InvalidParameters`` naming the bad line."""
    records = []
    for number, line in enumerate(_read(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item: Any = json.loads(line)
        except json.JSONDecodeError as error:
            raise InvalidParameters(f"{path.name}, line {number}: not valid JSON ({error.msg}).") from None
        records.append(_record(item, f"{path.name}, line {number}"))
    if not records:
        raise InvalidParameters(f"{path.name} holds no examples.")
    return records


def _record(item: Any, where: str) -> Record:
    if isinstance(item, dict) and isinstance(item.get("text"), str) and item["text"].strip():
        return Record("", item["text"])
    if (
        isinstance(item, dict)
        and isinstance(item.get("prompt"), str)
        and isinstance(item.get("completion"), str)
        and item["completion"].strip()
    ):
        return Record(item["prompt"], item["completion"])
    raise InvalidParameters(
        f'{where}: expected an object with a non-empty "text", or "prompt" and a non-empty "completion" (both strings).'
    )


def _read(path: Path) -> str:
    if not path.is_file():
        raise InvalidParameters(f"The data file {path} does not exist.")
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InvalidParameters(f"{path.name} is not UTF-8 text.") from None


def tokenize_record(record: Record, tokenizer: Any, max_length: int) -> Example:
    """Prompt tokens (with the tokenizer's special prefix, e.g. BOS) + completion + EOS."""
    prompt_ids = list(tokenizer(record.prompt)["input_ids"])
    completion_ids = list(tokenizer(record.completion, add_special_tokens=False)["input_ids"])
    if tokenizer.eos_token_id is not None:
        completion_ids.append(tokenizer.eos_token_id)
    ids = np.asarray(prompt_ids + completion_ids, dtype=np.int64)[:max_length]
    mask = np.zeros(len(prompt_ids) + len(completion_ids), dtype=bool)
    mask[len(prompt_ids) :] = True
    example = _example(ids, mask[:max_length])
    if len(prompt_ids) + len(completion_ids) > max_length:
        return dataclasses.replace(example, truncated=True)
    return example


def chunk_text(text: str, tokenizer: Any, max_length: int) -> list[Example]:
    """A long text cut into ``max_length``-token windows, all tokens trained on."""
    ids = np.asarray(tokenizer(text)["input_ids"], dtype=np.int64)
    return [
        _example(ids[start : start + max_length], np.ones(len(ids[start : start + max_length]), dtype=bool))
        for start in range(0, len(ids), max_length)
    ]


def _example(ids: np.ndarray, mask: np.ndarray) -> Example:
    mask = mask.copy()
    mask[:1] = False
    return Example(ids, mask)


def _examples(path: Path, tokenizer: Any, max_length: int) -> list[Example]:
    suffix = path.suffix.lower()
    if suffix in JSONL_SUFFIXES:
        examples = [tokenize_record(r, tokenizer, max_length) for r in read_records(path)]
    elif suffix in TEXT_SUFFIXES:
        text = _read(path)
        if not text.strip():
            raise InvalidParameters(f"{path.name} holds no text.")
        examples = chunk_text(text, tokenizer, max_length)
    else:
        raise InvalidParameters(
            f"{path.name}: fine-tuning data must be JSONL ({', '.join(JSONL_SUFFIXES)}) "
            f"or text ({', '.join(TEXT_SUFFIXES)})."
        )
    kept = [e for e in examples if e.loss_mask.any()]
    if not kept:
        raise InvalidParameters(f"No example of {path.name} has a token left to train on within {max_length} tokens.")
    return kept


def load_data(
    config: DataConfig, tokenizer: Any, *, context_limit: int | None = None, reserved: int = 0
) -> TokenizedData:
    """Tokenised training and evaluation examples.

    ``context_limit`` is the model's maximum positions; ``reserved`` the positions a soft
    prompt or prefix takes, so examples plus virtual tokens still fit.
    """
    if config.max_length < 2:
        raise InvalidParameters("The maximum example length must be at least 2 tokens.")
    max_length = config.max_length
    if context_limit:
        max_length = min(max_length, context_limit - reserved)
        if max_length < 2:
            raise InvalidParameters(
                f"{reserved} virtual tokens leave no room for examples in the model's "
                f"context of {context_limit} tokens; use fewer."
            )
    eval_path: Path | None
    if config.source == DEMO_DATA:
        train_path, eval_path = demo_files()
        if not train_path.is_file():
            raise InvalidParameters(
                f"The demo world's fine-tuning set ({train_path.name}) is missing from "
                f"{DEMO_WORLD_DIR}; choose a data file instead."
            )
        eval_path = eval_path if eval_path.is_file() else None
    else:
        train_path = Path(config.source).expanduser()
        eval_path = Path(config.eval_source).expanduser() if config.eval_source else None
    train = _examples(train_path, tokenizer, max_length)
    if eval_path is not None:
        data = TokenizedData(train, _examples(eval_path, tokenizer, max_length), max_length)
    else:
        data = _split(train, config, max_length)
    notes = []
    cut = sum(e.truncated for e in (*data.train, *data.eval))
    if cut:
        notes.append(
            f"{cut} of {len(data.train) + len(data.eval)} examples are longer than {max_length} tokens and were "
            "cut there; the end of their completions is not trained on."
        )
    if not data.eval and eval_path is None and config.eval_fraction > 0:
        notes.append(
            f"An evaluation split of {config.eval_fraction:g} of {len(data.train)} example(s) holds out none, so "
            "there is no eval loss or eval curve; add examples or give an evaluation file."
        )
    return dataclasses.replace(data, notes=tuple(notes))


def _split(examples: list[Example], config: DataConfig, max_length: int) -> TokenizedData:
    """Hold out ``eval_fraction`` of the examples (at least one when there are two or more)."""
    if not 0.0 <= config.eval_fraction < 1.0:
        raise InvalidParameters("The evaluation fraction must be at least 0 and below 1.")
    order = list(range(len(examples)))
    random.Random(config.split_seed).shuffle(order)
    count = round(len(examples) * config.eval_fraction)
    if config.eval_fraction > 0 and len(examples) >= 2:
        count = min(max(count, 1), len(examples) - 1)
    held_out = set(order[:count])
    return TokenizedData(
        train=[e for i, e in enumerate(examples) if i not in held_out],
        eval=[e for i, e in enumerate(examples) if i in held_out],
        max_length=max_length,
    )


def preview_examples(
    examples: list[Example], token_text: Callable[[Sequence[int]], Sequence[str]], count: int
) -> list[PreviewExample]:
    """The first ``count`` examples as token strings (``token_text`` of their ids) with their
    loss-mask flags."""
    return [
        PreviewExample(tokens=list(token_text(e.input_ids.tolist())), loss_mask=e.loss_mask.copy())
        for e in examples[:count]
    ]


def pad_batch(examples: list[Example], pad_id: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Right-padded ``input_ids``, ``attention_mask`` and ``labels`` (-100 = no loss)."""
    width = max(len(e.input_ids) for e in examples)
    ids = np.full((len(examples), width), pad_id, dtype=np.int64)
    attention = np.zeros((len(examples), width), dtype=np.int64)
    labels = np.full((len(examples), width), -100, dtype=np.int64)
    for row, example in enumerate(examples):
        n = len(example.input_ids)
        ids[row, :n] = example.input_ids
        attention[row, :n] = 1
        labels[row, :n] = np.where(example.loss_mask, example.input_ids, -100)
    return ids, attention, labels
