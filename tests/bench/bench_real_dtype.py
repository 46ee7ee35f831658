"""bfloat16 against float32 on the CPU, on the SmolLM2 pack: is the half-width load option faster?

bf16 halves the weights' memory; whether it is also faster depends on the CPU (AVX-512 BF16
or AMX make its matrix products fast, elsewhere torch converts and it is slower).  Measured:
a 64-token prompt's forward pass and 32 greedy tokens (the Sampling lab's decoder), each the
best of three, fp32 time / bf16 time (above 1: bf16 is faster).  The ratio is recorded with a
target of > 0 (informational: the load dialog's choice, not a pass/fail of the code), and the
top token of the prompt must agree between the two.

Run: ``pytest tests/bench/bench_real_dtype.py -s -o python_files='bench_*.py'`` (needs the pack).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
import torch

from workbench.core.model.packs import find_pack, installed_folder
from workbench.core.model.session import ModelSession
from workbench.core.model.spec import ModelSpec
from workbench.core.sampling.jobs import generate
from workbench.core.sampling.lm import LanguageModel
from workbench.core.sampling.params import SamplingParams

PROMPT = " ".join(["The history of the city of Paris begins with a small settlement on an island."] * 4)


def _best_of_three(work: Callable[[], object]) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def _measure(folder: Path, dtype: str) -> tuple[float, float, int]:
    """(64-token forward s, 32 greedy tokens s, the prompt's top next token) in ``dtype``."""
    session = ModelSession.load(ModelSpec(source="folder", name=str(folder), device="cpu", dtype=dtype))
    lm = LanguageModel(session.require_loaded(), session.tokenizer, session.device)
    ids = torch.tensor([lm.encode(PROMPT)[:64]])
    with torch.inference_mode():
        top = int(lm.model(ids, logits_to_keep=1).logits[0, -1].argmax())
        prefill = _best_of_three(lambda: lm.model(ids, logits_to_keep=1))
    params = SamplingParams(prompt=PROMPT, chat_template=False, max_new_tokens=32, stop_at_eos=False, top_n=5)
    decode = _best_of_three(lambda: generate(lm, params))
    print(f"{dtype}: 64-token forward {prefill * 1000:.0f} ms, 32 greedy tokens {decode:.2f} s")
    return prefill, decode, top


def test_bfloat16_against_float32_on_the_cpu(bench_record) -> None:
    installed = installed_folder(find_pack("SmolLM2-135M-Instruct"))
    if installed is None:
        pytest.skip(
            "the SmolLM2-135M-Instruct pack is not installed (workbench-cli models install SmolLM2-135M-Instruct)"
        )
    full = _measure(installed.folder, "float32")
    half = _measure(installed.folder, "bfloat16")
    assert full[2] == half[2]
    bench_record("bf16 speed-up, 64-token forward", full[0] / half[0], ">", 0.0, "×")
    bench_record("bf16 speed-up, 32 greedy tokens", full[1] / half[1], ">", 0.0, "×")
