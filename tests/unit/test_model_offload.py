"""Offloading (``device_map="auto"``): a model the estimate says does not fit still loads, and computes the same."""

from __future__ import annotations

import pytest
import torch

from workbench.core.model import footprint
from workbench.core.model.loading import ModelLoadError
from workbench.core.model.session import ModelSession
from workbench.core.model.spec import ModelSpec


def _spec(folder, **options) -> ModelSpec:
    return ModelSpec(source="folder", name=str(folder), device="cpu", dtype="float32", **options)


def test_a_model_too_big_for_free_memory_is_refused_unless_offloading_is_allowed(
    tiny_model_dir, monkeypatch, tmp_path
) -> None:
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(tmp_path))
    plain = ModelSession.load(_spec(tiny_model_dir))
    monkeypatch.setattr(footprint, "free_memory", lambda device: 1024)
    with pytest.raises(ModelLoadError, match="allow offloading"):
        ModelSession.load(_spec(tiny_model_dir))
    offloaded = ModelSession.load(_spec(tiny_model_dir, offload=True))
    ids = torch.tensor([[3, 7, 11, 2]])
    with torch.inference_mode():
        expected = plain.model(ids).logits
        assert torch.allclose(offloaded.model(ids).logits, expected, atol=1e-6)
