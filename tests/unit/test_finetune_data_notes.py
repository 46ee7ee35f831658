"""Data that trains, but not as the user may think, says so: examples cut at the maximum
length, and an evaluation split that holds out nothing (so no eval curve)."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.core.finetune.data import load_data
from workbench.core.finetune.params import DataConfig


def _jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    return path


def test_an_eval_split_of_one_example_that_holds_out_nothing_is_noted(tmp_path: Path, tiny_tokenizer) -> None:
    source = _jsonl(tmp_path / "one.jsonl", [{"prompt": "Where is Paris?", "completion": " France."}])
    data = load_data(DataConfig(source=str(source), eval_fraction=0.5), tiny_tokenizer)
    assert len(data.train) == 1 and data.eval == []
    (note,) = data.notes
    assert "holds out none" in note and "no eval loss or eval curve" in note


def test_examples_longer_than_the_maximum_length_are_counted_in_a_note(tmp_path: Path, tiny_tokenizer) -> None:
    records = [{"prompt": "Q:", "completion": " A."}] * 3 + [
        {"prompt": "Q:", "completion": " Once upon a time a giraffe lived near the river."}
    ]
    source = _jsonl(tmp_path / "long.jsonl", records)
    data = load_data(DataConfig(source=str(source), max_length=8, eval_fraction=0.0), tiny_tokenizer)
    assert data.notes == ("1 of 4 examples are longer than 8 tokens and were cut there; "
                          "the end of their completions is not trained on.",)  # fmt: skip
    assert load_data(DataConfig(source=str(source), max_length=64, eval_fraction=0.0), tiny_tokenizer).notes == ()
