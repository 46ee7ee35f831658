"""Causal tracing: the fast exact method vs the straightforward one, on identical noise.

Baseline in the same run: the straightforward method (ROME's ``trace_with_patch``: one
batched forward pass — clean row + noise samples — per heatmap cell).  Both methods trace
the same prompt with the same seed, so they see the same noise; the scores must agree to
1e-4.  Targets: ≥ 4× on the demo model, ≥ 8× on a GPT-2-small-sized random model and on
SmolLM2-135M-Instruct, the real model the set-up installs (30 layers, 576 wide; skipped
where the pack is not installed).

Both methods run on one thread: on a shared machine, multi-threaded kernels stall whenever a
thread is descheduled, which punishes the straightforward method's many small passes far
more than the fast method's few large ones and makes the ratio depend on the neighbours'
load.  With one thread, process CPU time is a steady measure of each method's work; wall
time is printed beside it.

Run: ``pytest tests/bench/bench_tracing.py -s -o python_files='bench_*.py'``
"""

from __future__ import annotations

import json
import time

import numpy as np
import pytest
import torch

from workbench.base.paths import DEMO_MODEL_DIR, DEMO_WORLD_DIR
from workbench.core.model.arch import adapter_for
from workbench.core.tracing.params import TraceParams
from workbench.core.tracing.trace import trace


def _gpt2_small_sized():
    """A random model the size of GPT-2 small (12 layers, 768 wide, 50 257 tokens) with a
    word-level tokenizer over its whole vocabulary (nothing to download)."""
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config(n_layer=12, n_embd=768, n_head=12, vocab_size=50257, n_positions=1024))
    words = "The Eiffel Tower , a landmark is in the city of Paris".split()
    vocab = {word: i for i, word in enumerate(dict.fromkeys(words))}
    vocab.update({f"w{i}": i for i in range(len(vocab), 50257)})
    backend = Tokenizer(models.WordLevel(vocab, unk_token="w50000"))
    backend.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="w50000")
    prompt = "The Eiffel Tower , a landmark , is in the city of"
    params = TraceParams(prompt=prompt, subject="Eiffel Tower", samples=3)
    return model.eval(), tokenizer, params


def _demo_model():
    if not (DEMO_MODEL_DIR / "config.json").exists():
        pytest.skip(f"no demo model at {DEMO_MODEL_DIR}")
    from workbench.core.model.session import ModelSession
    from workbench.core.model.spec import ModelSpec

    session = ModelSession.load(ModelSpec(source="demo", device="cpu"))
    facts = DEMO_WORLD_DIR / "facts.jsonl"
    if facts.exists():
        from workbench.core.tracing.facts import fact_from_record

        fact = fact_from_record(json.loads(facts.read_text(encoding="utf-8").splitlines()[0]))
        params = TraceParams(prompt=fact.text, subject=fact.subject, target=fact.target)
    else:
        params = TraceParams(prompt="从前，有一只长颈鹿住在河边", subject="长颈鹿")
    return session.model, session.tokenizer, params


def _smollm2():
    """The installed SmolLM2 pack on a fact it knows (Eiffel Tower → Paris, p ≈ 0.70)."""
    from workbench.core.model.packs import find_pack, installed_folder
    from workbench.core.model.session import ModelSession
    from workbench.core.model.spec import ModelSpec

    installed = installed_folder(find_pack("SmolLM2-135M-Instruct"))
    if installed is None:
        pytest.skip("the SmolLM2 pack is not installed (./dev.sh app or ./dev.sh test installs it)")
    session = ModelSession.load(ModelSpec(source="folder", name=str(installed.folder), device="cpu"))
    params = TraceParams(
        prompt="The Eiffel Tower is located in the city of", subject="The Eiffel Tower", target=" Paris", samples=3
    )
    return session.model, session.tokenizer, params


def _timed(model, tokenizer, params: TraceParams):
    wall, cpu = time.perf_counter(), time.process_time()
    result = trace(model, tokenizer, adapter_for(model), params)
    return result, time.perf_counter() - wall, time.process_time() - cpu


@pytest.fixture(autouse=True)
def _one_thread():
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def _compare(name: str, model, tokenizer, params: TraceParams, target: float, record) -> None:
    straightforward = TraceParams(**{**vars(params), "method": "straightforward"})
    _timed(model, tokenizer, TraceParams(**{**vars(params), "samples": 1, "kinds": ("hidden",)}))  # warm-up
    straight, straight_wall, straight_cpu = _timed(model, tokenizer, straightforward)
    fast, fast_wall, fast_cpu = _timed(model, tokenizer, params)
    delta = max(float(np.abs(fast.scores[kind] - straight.scores[kind]).max()) for kind in fast.scores)
    print(
        f"\nBENCH tracing ({name}: {len(fast.tokens)} tokens × {fast.num_layers} layers × "
        f"{len(fast.scores)} kinds, {params.samples} samples): fast {fast_wall:.1f} s wall / {fast_cpu:.1f} s CPU "
        f"in {fast.forward_passes} passes; straightforward {straight_wall:.1f} s wall / {straight_cpu:.1f} s CPU "
        f"in {straight.forward_passes} passes; ratio {straight_wall / fast_wall:.1f}x wall, "
        f"{straight_cpu / fast_cpu:.1f}x CPU vs straightforward, 1 thread (target ≥ {target:.0f}x); "
        f"max |Δp| {delta:.1e} (target ≤ 1e-4)"
    )
    # the CPU-time ratio, the steady measure on a shared machine (see the module docstring)
    fast_enough = record(f"tracing fast vs straightforward ({name})", straight_cpu / fast_cpu, ">=", target, "x")
    exact = record(f"tracing max |dp| fast vs straightforward ({name})", delta, "<=", 1e-4)
    assert fast_enough and exact


def test_fast_trace_vs_straightforward_on_demo_model(bench_record) -> None:
    _compare("demo model", *_demo_model(), target=4, record=bench_record)


def test_fast_trace_vs_straightforward_on_gpt2_small_sized_model(bench_record) -> None:
    _compare("GPT-2-small-sized", *_gpt2_small_sized(), target=8, record=bench_record)


def test_fast_trace_vs_straightforward_on_smollm2(bench_record) -> None:
    _compare("SmolLM2-135M", *_smollm2(), target=8, record=bench_record)
