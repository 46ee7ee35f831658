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

import pytest
import torch

from workbench.core.model.packs import find_pack, installed_folder
from workbench.core.model.session import ModelSession
from workbench.core.model.spec import ModelSpec
from workbench.core.sampling.job import generate
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


def test_bfloat16_against_float32_on_the_cpu(bench_record) -> None:
    installed = installed_folder(find_pack("SmolLM2-135M-Instruct"))
    if installed is None:
        pytest.skip("the SmolLM2-135M-Instruct pack is not installed (workbench-cli models install SmolLM2-135M-Instruct)")
    timings: dict[str, tuple[float, float]] = {}
    top: dict[str, int] = {}
    for dtype in ("float32", "bfloat16"):
        session = ModelSession.load(ModelSpec(source="folder", name=str(installed.folder), device="cpu", dtype=dtype))
        lm = LanguageModel(session.require_loaded(), session.tokenizer, session.device)
        ids = torch.tensor([lm.encode(PROMPT)[:64]])
        with torch.inference_mode():
            top[dtype] = int(lm.model(ids, logits_to_keep=1).logits[0, -1].argmax())
            prefill = _best_of_three(lambda: lm.model(ids, logits_to_keep=1))
        params = SamplingParams(prompt=PROMPT, chat_template=False, max_new_tokens=32, stop_at_eos=False, top_n=5)
        decode = _best_of_three(lambda: generate(lm, params))
        timings[dtype] = (prefill, decode)
        print(f"{dtype}: 64-token forward {prefill * 1000:.0f} ms, 32 greedy tokens {decode:.2f} s")
    assert top["float32"] == top["bfloat16"]
    bench_record("bf16 speed-up, 64-token forward", timings["float32"][0] / timings["bfloat16"][0], ">", 0.0, "×")
    bench_record("bf16 speed-up, 32 greedy tokens", timings["float32"][1] / timings["bfloat16"][1], ">", 0.0, "×")
