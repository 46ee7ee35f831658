"""The session's description of its model, its fingerprint, unloading and the load/unload jobs."""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path

import pytest
import torch
from model_builders import build_tiny_gpt2

from workbench.base.errors import NoModelLoaded, UnsupportedArchitecture
from workbench.base.jobs import CancelToken, JobContext, Progress, run_job
from workbench.core.model.memory import memory_report
from workbench.core.model.session import UNKNOWN_FAMILY, ModelSession
from workbench.core.model.spec import LoadModelParams, ModelSpec, UnloadModelParams


def folder_spec(folder: Path) -> ModelSpec:
    return ModelSpec(source="folder", name=str(folder))


def test_info_describes_the_loaded_model(tiny_model_dir: Path, tiny_tokenizer) -> None:
    session = ModelSession.load(folder_spec(tiny_model_dir))
    info = session.info
    assert (info.family, info.model_type) == ("GPT-2", "gpt2")
    assert (info.num_layers, info.hidden_size, info.max_positions) == (3, 32, 64)
    assert info.vocab_size == len(tiny_tokenizer)
    assert info.num_parameters == sum(p.numel() for p in build_tiny_gpt2(len(tiny_tokenizer)).parameters())
    assert info.memory_bytes >= info.num_parameters * 4
    assert (info.device, info.dtype) == ("cpu", "float32")
    assert info.path == str(tiny_model_dir) and info.label == tiny_model_dir.name
    assert len(info.fingerprint) == 64


def test_the_fingerprint_is_stable_across_loads_and_copies(tiny_model_dir: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(tiny_model_dir, copy)
    first = ModelSession.load(folder_spec(tiny_model_dir)).info.fingerprint
    assert ModelSession.load(folder_spec(tiny_model_dir)).info.fingerprint == first
    assert ModelSession.load(folder_spec(copy)).info.fingerprint == first


def test_the_fingerprint_changes_when_the_weights_change(tiny_model_dir: Path, tmp_path: Path, tiny_tokenizer) -> None:
    changed = tmp_path / "changed"
    shutil.copytree(tiny_model_dir, changed)
    build_tiny_gpt2(len(tiny_tokenizer), seed=1).save_pretrained(changed)
    assert (
        ModelSession.load(folder_spec(changed)).info.fingerprint
        != ModelSession.load(folder_spec(tiny_model_dir)).info.fingerprint
    )


def test_a_model_of_an_unknown_family_loads_without_an_adapter(tmp_path: Path, tiny_tokenizer) -> None:
    """Sampling works on any causal LM; only adapter-bound features refuse it."""
    from transformers import GPTNeoConfig, GPTNeoForCausalLM

    config = GPTNeoConfig(
        vocab_size=len(tiny_tokenizer),
        max_position_embeddings=32,
        hidden_size=32,
        num_layers=2,
        num_heads=4,
        attention_types=[[["global"], 2]],
        bos_token_id=0,
        eos_token_id=0,
    )
    GPTNeoForCausalLM(config).save_pretrained(tmp_path)
    tiny_tokenizer.save_pretrained(tmp_path)
    session = ModelSession.load(folder_spec(tmp_path))
    assert session.adapter is None
    assert session.info.family == UNKNOWN_FAMILY == session.family
    assert session.info.num_layers == 2
    ids = torch.tensor([tiny_tokenizer.encode("Once upon a time")])
    with torch.no_grad():
        assert session.model(ids).logits.shape == (1, ids.shape[1], len(tiny_tokenizer))
    with pytest.raises(UnsupportedArchitecture, match=r"gpt_neo.*Supported model types: .*gpt2"):
        session.require_adapter()


def test_unload_frees_the_model(tiny_model_dir: Path) -> None:
    session = ModelSession.load(folder_spec(tiny_model_dir))
    model = weakref.ref(session.model)
    info = session.info
    session.unload()
    gc.collect()
    assert model() is None
    assert session.model is None and session.tokenizer is None
    assert session.info == info
    with pytest.raises(NoModelLoaded):
        session.require_loaded()


def test_the_load_job_replaces_and_unloads_the_active_model(tiny_model_dir: Path, tmp_path: Path) -> None:
    ctx = JobContext()
    first = run_job(LoadModelParams(folder_spec(tiny_model_dir)), ctx, Progress(), CancelToken())
    old = ctx.require_model()
    assert first == old.info
    other = tmp_path / "other"
    shutil.copytree(tiny_model_dir, other)
    second = run_job(LoadModelParams(folder_spec(other)), ctx, Progress(), CancelToken())
    assert old.model is None
    assert ctx.require_model() is not old and second.path == str(other)


def test_the_unload_job_leaves_no_model(tiny_model_dir: Path) -> None:
    ctx = JobContext(model=ModelSession.load(folder_spec(tiny_model_dir)))
    session = ctx.model
    run_job(UnloadModelParams(), ctx, Progress(), CancelToken())
    assert ctx.model is None and session.model is None
    with pytest.raises(NoModelLoaded):
        ctx.require_model()


def test_wrap_gives_an_in_memory_model_a_weight_fingerprint(tiny_gpt2, tiny_tokenizer) -> None:
    session = ModelSession.wrap(tiny_gpt2, tiny_tokenizer)
    assert session.adapter is not None and session.info.num_layers == 3
    same = ModelSession.wrap(build_tiny_gpt2(len(tiny_tokenizer)), tiny_tokenizer)
    other = ModelSession.wrap(build_tiny_gpt2(len(tiny_tokenizer), seed=1), tiny_tokenizer)
    assert session.info.fingerprint == same.info.fingerprint != other.info.fingerprint


def test_memory_report_gives_the_process_size() -> None:
    report = memory_report()
    assert report["rss_bytes"] > 10 * 2**20
    if not torch.cuda.is_available():
        assert report["cuda_allocated_bytes"] is None
