"""Listing the Hugging Face cache and loading a hub id from it, offline."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from workbench.base.errors import ModelLoadError
from workbench.core.model.hf_cache import list_cached_models
from workbench.core.model.session import ModelSession
from workbench.core.model.spec import ModelSpec

COMMIT = "0123456789abcdef0123456789abcdef01234567"


def add_to_cache(cache: Path, repo_id: str, folder: Path, commit: str = COMMIT) -> Path:
    """Lay ``folder``'s files out as the hub cache does: blobs by hash, snapshot symlinks, a ref."""
    repo = cache / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / commit
    (repo / "blobs").mkdir(parents=True, exist_ok=True)
    snapshot.mkdir(parents=True)
    for file in folder.iterdir():
        data = file.read_bytes()
        blob = repo / "blobs" / hashlib.sha256(data).hexdigest()
        blob.write_bytes(data)
        (snapshot / file.name).symlink_to(os.path.relpath(blob, snapshot))
    (repo / "refs").mkdir(exist_ok=True)
    (repo / "refs" / "main").write_text(commit)
    return snapshot


@pytest.fixture()
def cache(tmp_path: Path, tiny_model_dir: Path) -> Path:
    cache = tmp_path / "hub"
    add_to_cache(cache, "org/tiny-gpt2", tiny_model_dir)
    return cache


def test_no_cache_folder_lists_nothing(tmp_path: Path) -> None:
    assert list_cached_models(tmp_path / "no-cache") == []


def test_a_cached_model_is_listed_with_its_revision_and_size(cache: Path, tiny_model_dir: Path) -> None:
    (cached,) = list_cached_models(cache)
    assert cached.repo_id == "org/tiny-gpt2"
    assert cached.revisions == (COMMIT,) and cached.refs == ("main",)
    assert cached.size_on_disk == sum(f.stat().st_size for f in tiny_model_dir.iterdir())
    assert cached.has_safetensors and cached.looks_causal_lm
    assert cached.last_modified > 0
    assert cached.spec() == ModelSpec(source="hub", name="org/tiny-gpt2")


def test_an_encoder_in_the_cache_is_not_marked_causal(cache: Path, tmp_path: Path) -> None:
    from transformers import BertConfig, BertForMaskedLM

    bert = tmp_path / "bert"
    BertForMaskedLM(
        BertConfig(vocab_size=50, hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32)
    ).save_pretrained(bert)
    add_to_cache(cache, "org/tiny-bert", bert)
    listed = {m.repo_id: m for m in list_cached_models(cache)}
    assert listed["org/tiny-bert"].looks_causal_lm is False
    assert listed["org/tiny-gpt2"].looks_causal_lm is True


def test_the_default_cache_is_hf_hub_cache(cache: Path, monkeypatch) -> None:
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(cache))
    assert [m.repo_id for m in list_cached_models()] == ["org/tiny-gpt2"]


def test_a_hub_id_loads_offline_from_the_cache(cache: Path, tiny_model_dir: Path) -> None:
    session = ModelSession.load(ModelSpec(source="hub", name="org/tiny-gpt2"), cache_dir=cache)
    assert session.info.path == str(cache / "models--org--tiny-gpt2" / "snapshots" / COMMIT)
    assert session.info.label == "org/tiny-gpt2"
    folder = ModelSession.load(ModelSpec(source="folder", name=str(tiny_model_dir)))
    assert session.info.fingerprint == folder.info.fingerprint


def test_a_hub_id_missing_from_the_cache_asks_to_allow_download(cache: Path) -> None:
    with pytest.raises(ModelLoadError, match="not in the local Hugging Face cache; tick 'allow download'"):
        ModelSession.load(ModelSpec(source="hub", name="org/absent"), cache_dir=cache)


def test_an_uncached_revision_is_not_fetched_without_permission(cache: Path) -> None:
    with pytest.raises(ModelLoadError, match=r"revision v2.*not in the local"):
        ModelSession.load(ModelSpec(source="hub", name="org/tiny-gpt2", revision="v2"), cache_dir=cache)
