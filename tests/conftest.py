"""Fixtures shared by unit, Qt and benchmark tests: tiny random-weight models, no downloads."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from model_builders import build_tiny_gpt2, build_tiny_tokenizer


@pytest.fixture(scope="session")
def tiny_tokenizer():
    return build_tiny_tokenizer()


@pytest.fixture()
def tiny_gpt2(tiny_tokenizer):
    """A 3-layer, 32-wide random GPT-2 that shares ``tiny_tokenizer``'s vocabulary."""
    return build_tiny_gpt2(len(tiny_tokenizer))


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, tiny_tokenizer) -> Path:
    """A folder with a tiny GPT-2 saved as safetensors + tokenizer, loadable by ``from_pretrained``."""
    folder = tmp_path_factory.mktemp("tiny-gpt2")
    build_tiny_gpt2(len(tiny_tokenizer)).save_pretrained(folder)
    tiny_tokenizer.save_pretrained(folder)
    return folder
