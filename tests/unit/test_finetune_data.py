"""Fine-tuning data: loss masks, text chunks, splits, previews and clear errors for bad files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from workbench.base.errors import InvalidParameters
from workbench.core.finetune import data as data_module
from workbench.core.finetune.data import Record, load_data, pad_batch, preview_examples, read_records, tokenize_record
from workbench.core.finetune.params import DEMO_DATA, DataConfig
from workbench.core.sampling.recording import TokenText


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    return path


def test_loss_mask_covers_the_completion_and_end_of_text_but_not_the_prompt(tiny_tokenizer) -> None:
    prompt, completion = "The Eiffel Tower is located in", " Paris."
    example = tokenize_record(Record(prompt, completion), tiny_tokenizer, max_length=64)
    n_prompt = len(tiny_tokenizer(prompt)["input_ids"])
    n_completion = len(tiny_tokenizer(completion, add_special_tokens=False)["input_ids"])
    assert len(example.input_ids) == n_prompt + n_completion + 1
    assert not example.loss_mask[:n_prompt].any()
    assert example.loss_mask[n_prompt:].all()
    assert example.input_ids[-1] == tiny_tokenizer.eos_token_id
    assert tiny_tokenizer.decode(example.input_ids[example.loss_mask][:-1]) == completion


def test_text_records_train_on_every_token_but_the_first(tiny_tokenizer, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "t.jsonl", [{"text": "Once upon a time a giraffe lived near the river."}])
    data = load_data(DataConfig(source=str(path), eval_fraction=0.0), tiny_tokenizer)
    (example,) = data.train
    assert not example.loss_mask[0] and example.loss_mask[1:].all()


def test_a_text_file_is_cut_into_chunks_of_max_length(tiny_tokenizer, tmp_path: Path) -> None:
    text = "Once upon a time a giraffe lived near the river and told stories to the zebras. " * 6
    path = tmp_path / "story.txt"
    path.write_text(text, encoding="utf-8")
    data = load_data(DataConfig(source=str(path), eval_fraction=0.0, max_length=16), tiny_tokenizer)
    total = len(tiny_tokenizer(text)["input_ids"])
    assert [len(e.input_ids) for e in data.train[:-1]] == [16] * (len(data.train) - 1)
    assert sum(len(e.input_ids) for e in data.train) == total
    assert np.concatenate([e.input_ids for e in data.train]).tolist() == tiny_tokenizer(text)["input_ids"]


def test_examples_are_cut_to_fit_the_context_left_by_virtual_tokens(tiny_tokenizer, tmp_path: Path) -> None:
    long = "Once upon a time a giraffe lived near the river and told stories to the zebras. " * 10
    path = write_jsonl(tmp_path / "d.jsonl", [{"prompt": "Q:", "completion": long}])
    data = load_data(DataConfig(source=str(path), eval_fraction=0.0), tiny_tokenizer, context_limit=64, reserved=20)
    assert data.max_length == 44
    assert len(data.train[0].input_ids) == 44


def test_split_holds_out_the_eval_fraction_deterministically(tiny_tokenizer, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [{"prompt": f"Q {i}:", "completion": f" answer {i}"} for i in range(20)])
    config = DataConfig(source=str(path), eval_fraction=0.25, split_seed=3)
    first, again = load_data(config, tiny_tokenizer), load_data(config, tiny_tokenizer)
    assert (len(first.train), len(first.eval)) == (15, 5)
    assert [e.input_ids.tolist() for e in first.eval] == [e.input_ids.tolist() for e in again.eval]
    held_out = {tuple(e.input_ids) for e in first.eval}
    assert not held_out & {tuple(e.input_ids) for e in first.train}


def test_a_separate_eval_file_is_used_whole(tiny_tokenizer, tmp_path: Path) -> None:
    train = write_jsonl(tmp_path / "train.jsonl", [{"text": f"line {i}"} for i in range(6)])
    evaluation = write_jsonl(tmp_path / "eval.jsonl", [{"text": "held out one"}, {"text": "held out two"}])
    data = load_data(DataConfig(source=str(train), eval_source=str(evaluation)), tiny_tokenizer)
    assert (len(data.train), len(data.eval)) == (6, 2)


def test_the_demo_set_reads_its_train_and_eval_files(tiny_tokenizer, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(data_module, "DEMO_WORLD_DIR", tmp_path)
    train_path, eval_path = data_module.demo_files()
    write_jsonl(train_path, [{"prompt": "Q: a?", "completion": " A: b"}] * 3)
    write_jsonl(eval_path, [{"prompt": "Q: c?", "completion": " A: d"}])
    data = load_data(DataConfig(source=DEMO_DATA), tiny_tokenizer)
    assert (len(data.train), len(data.eval)) == (3, 1)


def test_a_missing_demo_set_says_so(tiny_tokenizer, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(data_module, "DEMO_WORLD_DIR", tmp_path)
    with pytest.raises(InvalidParameters, match="demo world's fine-tuning set"):
        load_data(DataConfig(source=DEMO_DATA), tiny_tokenizer)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"prompt": "a", "completion": "b"}\n{not json}\n', r"line 2: not valid JSON"),
        ('{"prompt": "a", "completion": "b"}\n\n{"question": "a"}\n', r"line 3: expected an object"),
        ('{"prompt": "a", "completion": ""}\n', r"line 1: expected an object"),
        ("[1, 2]\n", r"line 1: expected an object"),
        ("\n\n", r"holds no examples"),
    ],
)
def test_bad_jsonl_files_name_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidParameters, match=message):
        read_records(path)


def test_missing_empty_and_unknown_files_are_refused(tiny_tokenizer, tmp_path: Path) -> None:
    with pytest.raises(InvalidParameters, match="does not exist"):
        load_data(DataConfig(source=str(tmp_path / "nope.jsonl")), tiny_tokenizer)
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    with pytest.raises(InvalidParameters, match="holds no text"):
        load_data(DataConfig(source=str(tmp_path / "empty.txt")), tiny_tokenizer)
    (tmp_path / "data.csv").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(InvalidParameters, match="must be JSONL"):
        load_data(DataConfig(source=str(tmp_path / "data.csv")), tiny_tokenizer)


def test_preview_shows_tokens_with_their_loss_flags(tiny_tokenizer, tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "d.jsonl", [{"prompt": "Where is Lumora?", "completion": " Vestland"}] * 3)
    data = load_data(DataConfig(source=str(path), eval_fraction=0.0), tiny_tokenizer)
    shown = preview_examples(data.train, TokenText(tiny_tokenizer), 2)
    assert len(shown) == 2
    first = shown[0]
    assert len(first.tokens) == len(first.loss_mask) == len(data.train[0].input_ids)
    trained = "".join(t for t, m in zip(first.tokens, first.loss_mask) if m)
    untrained = "".join(t for t, m in zip(first.tokens, first.loss_mask) if not m)
    assert trained == " Vestland<|endoftext|>"
    assert untrained == "Where is Lumora?"


def test_padded_batches_carry_no_loss_on_prompt_or_padding(tiny_tokenizer, tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "d.jsonl",
        [{"prompt": "Q:", "completion": " yes"}, {"prompt": "Q: longer", "completion": " a longer answer"}],
    )
    data = load_data(DataConfig(source=str(path), eval_fraction=0.0), tiny_tokenizer)
    _ids, attention, labels = pad_batch(data.train, pad_id=0)
    for row, example in enumerate(data.train):
        n = len(example.input_ids)
        assert attention[row].sum() == n
        assert (labels[row, n:] == -100).all()
        assert ((labels[row, :n] != -100) == example.loss_mask).all()


def test_parameters_results_and_data_load_without_torch() -> None:
    """The GUI thread builds jobs and previews results without importing torch or peft."""
    code = (
        "import sys\n"
        "import workbench.core.finetune.params, workbench.core.finetune.data\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'peft', 'transformers'))\n"
        "assert not loaded, loaded[:5]\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
