"""Loading a model from a spec: what loads, what is refused (with a sentence), and Cancel."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path

import pytest
import torch
from model_builders import build_tiny_gpt2

from workbench.base import paths
from workbench.base.errors import JobCancelled, ModelLoadError
from workbench.base.jobs import CancelToken
from workbench.core.model.session import ModelSession
from workbench.core.model.spec import ModelSpec


def folder_spec(folder: Path, **options: object) -> ModelSpec:
    return ModelSpec(source="folder", name=str(folder), **options)  # type: ignore[arg-type]


@pytest.fixture()
def pickle_only_dir(tmp_path: Path, tiny_model_dir: Path) -> Path:
    """The tiny model's weights as a pickled ``pytorch_model.bin`` instead of safetensors."""
    folder = tmp_path / "pickled"
    shutil.copytree(tiny_model_dir, folder)
    (folder / "model.safetensors").unlink()
    model = build_tiny_gpt2(json.loads((folder / "config.json").read_text())["vocab_size"])
    torch.save(model.state_dict(), folder / "pytorch_model.bin")
    return folder


def test_a_saved_folder_loads_with_its_own_weights_in_eval_mode(tiny_model_dir, tiny_tokenizer) -> None:
    session = ModelSession.load(folder_spec(tiny_model_dir))
    reference = build_tiny_gpt2(len(tiny_tokenizer))
    ids = torch.tensor([tiny_tokenizer.encode("The Eiffel Tower is in")])
    with torch.no_grad():
        torch.testing.assert_close(session.model(ids).logits, reference(ids).logits)
    assert not session.model.training
    assert not any(p.requires_grad for p in session.model.parameters())
    assert session.adapter is not None and session.adapter.family == "GPT-2"
    assert session.device == torch.device("cpu") and session.dtype == torch.float32


def test_a_tokenizer_without_pad_token_gets_its_eos(tiny_model_dir) -> None:
    from transformers import AutoTokenizer

    assert AutoTokenizer.from_pretrained(tiny_model_dir).pad_token is None  # the folder as saved
    session = ModelSession.load(folder_spec(tiny_model_dir))
    assert session.tokenizer.pad_token == session.tokenizer.eos_token == "<|endoftext|>"
    assert session.model.generation_config.pad_token_id == session.tokenizer.eos_token_id


def test_a_missing_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelLoadError, match="does not exist"):
        ModelSession.load(folder_spec(tmp_path / "nowhere"))


def test_a_folder_without_config_is_refused(tmp_path: Path) -> None:
    (tmp_path / "model.safetensors").write_bytes(b"")
    with pytest.raises(ModelLoadError, match=r"no config\.json"):
        ModelSession.load(folder_spec(tmp_path))


def test_a_peft_adapter_folder_is_recognised(tmp_path: Path) -> None:
    (tmp_path / "adapter_config.json").write_text("{}")
    with pytest.raises(ModelLoadError, match="PEFT adapter"):
        ModelSession.load(folder_spec(tmp_path))


def test_a_bert_folder_is_refused_as_not_causal(tmp_path: Path) -> None:
    from transformers import BertConfig, BertForMaskedLM

    config = BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32)
    BertForMaskedLM(config).save_pretrained(tmp_path)
    with pytest.raises(ModelLoadError, match="not causal language models"):
        ModelSession.load(folder_spec(tmp_path))


def test_pickled_weights_are_refused_without_the_opt_in(pickle_only_dir: Path) -> None:
    with pytest.raises(ModelLoadError, match="allow pickle"):
        ModelSession.load(folder_spec(pickle_only_dir))


def test_pickled_weights_load_with_the_opt_in_and_a_warning(
    pickle_only_dir: Path, tiny_model_dir: Path, caplog
) -> None:
    with caplog.at_level(logging.WARNING, logger="workbench.core.model.loading"):
        session = ModelSession.load(folder_spec(pickle_only_dir, allow_pickle=True))
    assert "pickled" in caplog.text
    safe = ModelSession.load(folder_spec(tiny_model_dir))
    for (name, loaded), (_, saved) in zip(session.model.state_dict().items(), safe.model.state_dict().items()):
        torch.testing.assert_close(loaded, saved, msg=name)


def test_a_model_needing_remote_code_is_refused_without_the_opt_in(tmp_path: Path) -> None:
    config = {"model_type": "wonder_lm", "auto_map": {"AutoModelForCausalLM": "modeling_wonder.WonderLM"}}
    (tmp_path / "config.json").write_text(json.dumps(config))
    (tmp_path / "model.safetensors").write_bytes(b"")
    with pytest.raises(ModelLoadError, match="trust remote code"):
        ModelSession.load(folder_spec(tmp_path))


def test_an_unknown_model_type_without_code_asks_for_a_newer_transformers(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"model_type": "wonder_lm"}))
    (tmp_path / "model.safetensors").write_bytes(b"")
    with pytest.raises(ModelLoadError, match="upgrade transformers"):
        ModelSession.load(folder_spec(tmp_path))


def test_a_missing_demo_model_says_how_to_build_it(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(paths, "DEMO_MODEL_DIR", tmp_path / "demo_model")
    with pytest.raises(ModelLoadError, match=r"python -m tools\.demo_world\.train"):
        ModelSession.load(ModelSpec(source="demo"))


def test_the_demo_spec_loads_the_installed_demo_folder(tiny_model_dir: Path, monkeypatch) -> None:
    monkeypatch.setattr(paths, "DEMO_MODEL_DIR", tiny_model_dir)
    session = ModelSession.load(ModelSpec(source="demo"))
    assert session.info.label == "demo"
    assert session.info.path == str(tiny_model_dir)


@pytest.mark.parametrize(
    ("dtype", "expected"),
    [("auto", torch.float32), ("float32", torch.float32), ("bfloat16", torch.bfloat16), ("float16", torch.float16)],
)
def test_the_dtype_choice_is_applied_on_cpu(tiny_model_dir, dtype, expected) -> None:
    session = ModelSession.load(folder_spec(tiny_model_dir, dtype=dtype, device="cpu"))
    assert session.dtype == expected
    assert {p.dtype for p in session.model.parameters()} == {expected}
    assert session.info.dtype == str(expected).removeprefix("torch.")
    assert session.info.memory_bytes == session.info.num_parameters * expected.itemsize + sum(
        b.numel() * b.element_size() for b in session.model.buffers()
    )


def test_auto_device_is_cpu_without_cuda(tiny_model_dir) -> None:
    session = ModelSession.load(folder_spec(tiny_model_dir))
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert session.device.type == expected
    assert {p.device.type for p in session.model.parameters()} == {expected}


@pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")
def test_asking_for_cuda_without_a_gpu_is_refused(tiny_model_dir) -> None:
    with pytest.raises(ModelLoadError, match="no CUDA GPU"):
        ModelSession.load(folder_spec(tiny_model_dir, device="cuda"))


def test_a_nonsense_device_is_refused(tiny_model_dir) -> None:
    with pytest.raises(ModelLoadError, match="not a device"):
        ModelSession.load(folder_spec(tiny_model_dir, device="toaster"))


STAGES = [
    "Finding",
    "Reading the config",
    "Loading the tokenizer",
    "Loading the weights",
    "Moving the model",
    "Checking the architecture",
]


@pytest.mark.parametrize("stage", STAGES)
def test_cancel_between_stages_stops_the_load(tiny_model_dir, stage) -> None:
    cancel = CancelToken()
    seen: list[str] = []

    def progress(fraction: float, message: str, partial: object = None) -> None:
        seen.append(message)
        if message.startswith(stage):
            cancel.cancel()

    with pytest.raises(JobCancelled):
        ModelSession.load(folder_spec(tiny_model_dir), progress, cancel)
    assert seen[-1].startswith(stage)


def test_progress_runs_through_every_stage_to_one(tiny_model_dir) -> None:
    updates: list[tuple[float, str]] = []
    ModelSession.load(folder_spec(tiny_model_dir), lambda f, m, p=None: updates.append((f, m)))
    fractions = [f for f, _ in updates]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    for stage in STAGES:
        assert any(message.startswith(stage) for _, message in updates)


def test_a_sharded_folder_loads_and_a_missing_shard_is_named(tmp_path: Path, tiny_tokenizer) -> None:
    folder = tmp_path / "sharded"
    build_tiny_gpt2(len(tiny_tokenizer)).save_pretrained(folder, max_shard_size="100KB")
    tiny_tokenizer.save_pretrained(folder)
    shards = sorted(folder.glob("model-*.safetensors"))
    assert len(shards) > 1
    assert ModelSession.load(folder_spec(folder)).info.num_layers == 3
    shards[-1].unlink()
    with pytest.raises(ModelLoadError, match=f"incomplete.*{shards[-1].name}"):
        ModelSession.load(folder_spec(folder))
