"""A damaged weight file and a model too large for memory are refused with a sentence, before
``from_pretrained`` reads (or fails to allocate) anything."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import torch

from workbench.base.errors import ModelLoadError
from workbench.cli import main
from workbench.core.model import footprint
from workbench.core.model.session import ModelSession
from workbench.core.model.spec import ModelSpec


def folder_spec(folder: Path, **options: object) -> ModelSpec:
    return ModelSpec(source="folder", name=str(folder), **options)  # type: ignore[arg-type]


@pytest.fixture()
def truncated_dir(tmp_path: Path, tiny_model_dir: Path) -> Path:
    """The tiny model with only the first KiB of its ``model.safetensors`` (a cut download)."""
    folder = tmp_path / "truncated"
    shutil.copytree(tiny_model_dir, folder)
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:1024])
    return folder


@pytest.fixture()
def huge_dir(tmp_path: Path, tiny_model_dir: Path) -> Path:
    """A Llama config of 100 layers × 8192 wide beside a sparse 1 GiB weights file."""
    folder = tmp_path / "huge"
    folder.mkdir()
    config = {
        "model_type": "llama", "architectures": ["LlamaForCausalLM"], "hidden_size": 8192,
        "intermediate_size": 28672, "num_hidden_layers": 100, "num_attention_heads": 64,
        "num_key_value_heads": 8, "vocab_size": 32000, "max_position_embeddings": 4096,
    }  # fmt: skip
    (folder / "config.json").write_text(json.dumps(config))
    for name in ("tokenizer.json", "tokenizer_config.json"):
        if (tiny_model_dir / name).exists():
            shutil.copy(tiny_model_dir / name, folder / name)
    with (folder / "model.safetensors").open("wb") as handle:
        handle.truncate(2**30)
    return folder


def test_a_truncated_safetensors_file_is_named_as_damaged(truncated_dir: Path) -> None:
    with pytest.raises(ModelLoadError, match=r"model\.safetensors is damaged.*download or copy the model again"):
        ModelSession.load(folder_spec(truncated_dir))


def test_the_cli_refuses_a_truncated_file_in_one_line(truncated_dir: Path, capsys) -> None:
    code = main(["info", "--model", str(truncated_dir), "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert err.count("\n") == 0 and "model.safetensors is damaged" in err and "Traceback" not in err


def test_a_shard_with_data_cut_off_is_named(tmp_path: Path, tiny_model_dir: Path) -> None:
    folder = tmp_path / "cut"
    shutil.copytree(tiny_model_dir, folder)
    weights = folder / "model.safetensors"
    weights.write_bytes(weights.read_bytes()[:-100])
    with pytest.raises(ModelLoadError, match=r"model\.safetensors is damaged \(truncated\)"):
        ModelSession.load(folder_spec(folder))


def test_a_model_too_large_for_memory_is_refused_with_the_numbers(huge_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr(footprint, "free_ram", lambda: 8 * 2**30)
    with pytest.raises(ModelLoadError) as caught:
        ModelSession.load(folder_spec(huge_dir, device="cpu", dtype="float32"))
    message = str(caught.value)
    assert "86.09 billion parameters" in message and "only 8.0 GiB of RAM free" in message
    assert "Choose a smaller model" in message


def test_a_dtype_that_would_fit_is_offered(huge_dir: Path) -> None:
    config = __import__("transformers").AutoConfig.from_pretrained(huge_dir)
    estimate = footprint.estimate_footprint(config)
    assert estimate is not None and estimate.parameters == 86_089_736_192
    with pytest.raises(ModelLoadError, match=r"Choose dtype bfloat16 \(about 176\.4 GiB\)"):
        footprint.check_fits(estimate, torch.float32, torch.device("cpu"), available=200 * 2**30)
    footprint.check_fits(estimate, torch.bfloat16, torch.device("cpu"), available=200 * 2**30)


def test_the_tiny_model_still_loads_after_the_estimate(tiny_model_dir: Path) -> None:
    assert ModelSession.load(folder_spec(tiny_model_dir)).info.num_layers == 3
