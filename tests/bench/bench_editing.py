"""ROME on the demo model: edit time and covariance time, each against a named baseline.

Baselines measured in the same run, on the same model and thread count:

- one ROME edit (prefixes, key, value optimisation, rank-one update; C given) vs **one
  forward + backward pass** over the edit's batch of prompts (the value optimisation is
  ``v_steps`` such passes, so the ratio shows the overhead on top of them);
- the key covariance of one layer over N corpus tokens vs **a plain forward pass of the
  whole model** over the same N tokens (the covariance stops each pass at the edited layer,
  so it may be faster than the baseline; the d_ff² outer products make it slower).

One thread, as in the tracing bench: on a shared machine wall time depends on neighbours.
Run: ``pytest tests/bench/bench_editing.py -s -o python_files='bench_*.py'``
"""

from __future__ import annotations

import time

import pytest
import torch

from workbench.base.paths import DEMO_MODEL_DIR
from workbench.core.editing.cases import load_cases
from workbench.core.editing.covariance import (
    corpus_texts,
    key_covariance,
    token_windows,
)
from workbench.core.editing.params import DEMO_CORPUS, RomeSettings
from workbench.core.editing.rome import compute_rome
from workbench.core.model.arch import adapter_for

TOKENS = 20_000
LAYER = 0


@pytest.fixture(scope="module")
def demo():
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.set_num_threads(1)
    model = AutoModelForCausalLM.from_pretrained(DEMO_MODEL_DIR).eval()
    return model, AutoTokenizer.from_pretrained(DEMO_MODEL_DIR), adapter_for(model)


def _best_of(runs: int, fn) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def test_bench_covariance_vs_plain_forward_over_the_same_tokens(demo) -> None:
    model, tokenizer, adapter = demo
    texts = corpus_texts(DEMO_CORPUS)
    rows = token_windows(tokenizer, texts, TOKENS, 128)

    def plain_forward() -> None:
        rows_sorted = sorted(rows, key=len)
        with torch.inference_mode():
            for begin in range(0, len(rows_sorted), 16):
                batch = rows_sorted[begin : begin + 16]
                width = max(len(r) for r in batch)
                ids = torch.zeros(len(batch), width, dtype=torch.long)
                mask = torch.zeros(len(batch), width, dtype=torch.long)
                for i, r in enumerate(batch):
                    ids[i, : len(r)] = torch.tensor(r)
                    mask[i, : len(r)] = 1
                model(ids, attention_mask=mask, use_cache=False)

    baseline = _best_of(2, plain_forward)
    covariance = _best_of(2, lambda: key_covariance(model, tokenizer, adapter, LAYER, texts, TOKENS))
    print(
        f"\ncovariance of layer {LAYER} over {TOKENS:,} tokens: {covariance:.2f} s; plain forward over the "
        f"same tokens: {baseline:.2f} s; ratio {covariance / baseline:.2f}×"
    )


def test_bench_rome_edit_vs_one_forward_backward(demo) -> None:
    model, tokenizer, adapter = demo
    case = load_cases()[0]
    settings = RomeSettings(covariance="identity")
    covariance = None

    def forward_backward() -> None:
        prompts = [case.request.rendered() + case.request.target_new] * (settings.prefix_count + 2)
        ids = torch.tensor([tokenizer(p)["input_ids"] for p in prompts])
        delta = torch.zeros(model.config.n_embd, requires_grad=True)
        handle = adapter.module(model, "mlp", LAYER).register_forward_hook(lambda m, a, o: o + delta)
        try:
            loss = model(ids, labels=ids).loss
            torch.autograd.grad(loss, [delta])
        finally:
            handle.remove()

    baseline = _best_of(3, forward_backward)
    edits = []
    edit_time = _best_of(
        3,
        lambda: edits.append(compute_rome(model, tokenizer, adapter, case.request, settings, LAYER, covariance)),
    )
    steps = edits[-1].details["v_steps_run"]
    print(
        f"\nROME edit (layer {LAYER}, {steps} value steps): {edit_time:.3f} s; one forward+backward over the "
        f"edit's batch: {baseline * 1000:.1f} ms; ratio {edit_time / baseline:.1f}× ({edit_time / baseline / steps:.2f}× per step)"
    )
