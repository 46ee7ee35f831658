"""Fine-tuning step time: the workbench's training loop against a plain hand-written peft loop.

Same model, LoRA configuration, batches, AdamW, schedule and gradient clipping; the
workbench loop adds what the lab needs (progress partials with curves, Cancel checks,
tokens/s, checkpoint cadence).  The demo model and its fine-tuning set when present, else a
random GPT-2 of demo size (6 layers × 256) on random tokens.  Rounds alternate between the
two loops so background load hits both alike; the best round of each is compared (the
least disturbed by other processes on a shared machine).
"""

from __future__ import annotations

import math
import time

import numpy as np
import torch
from peft import get_peft_model
from transformers import GPT2Config, GPT2LMHeadModel

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken, Progress
from workbench.base.paths import DEMO_MODEL_DIR
from workbench.core.finetune.adapters import AdapterStack
from workbench.core.finetune.data import Example, TokenizedData, load_data
from workbench.core.finetune.methods import build_peft_config
from workbench.core.finetune.params import DEMO_DATA, DataConfig, MethodConfig, TrainConfig
from workbench.core.finetune.training import batch_for_step, batch_tensors, linear_schedule, plan_steps, train
from workbench.core.generation import pad_token_id
from workbench.core.model.spec import ModelSpec

STEPS, ROUNDS, BATCH, LENGTH = 12, 5, 8, 128
DEVICE = torch.device("cuda" if torch.cuda.is_available() else "cpu")
METHOD = MethodConfig(method="lora", rank=8, dropout=0.05)
LEARNING_RATE = 1e-3


def _model_and_data() -> tuple[object, TokenizedData, int, str]:
    """(model factory, training data, pad id, label)."""
    if DEMO_MODEL_DIR.is_dir():
        from workbench.core.model.session import ModelSession

        session = ModelSession.load(ModelSpec(source="demo"))
        state = {k: v.clone() for k, v in session.model.state_dict().items()}
        try:
            data = load_data(DataConfig(source=DEMO_DATA, max_length=LENGTH), session.tokenizer)
        except InvalidParameters:  # the demo world may not be there yet
            data = _random_data(session.model.config.vocab_size)

        def build() -> torch.nn.Module:
            session.model.load_state_dict(state)
            return session.model.to(DEVICE)

        return build, data, pad_token_id(session.tokenizer), f"demo model ({session.info.num_parameters / 1e6:.1f} M)"

    config = GPT2Config(n_layer=6, n_embd=256, n_head=8, vocab_size=8000, n_positions=256)

    def build_random() -> torch.nn.Module:
        torch.manual_seed(0)
        return GPT2LMHeadModel(config).eval().to(DEVICE)

    return build_random, _random_data(config.vocab_size), 0, "random GPT-2 6x256"


def _random_data(vocab_size: int) -> TokenizedData:
    rng = np.random.default_rng(0)
    examples = []
    for _ in range(BATCH * STEPS):
        ids = rng.integers(1, vocab_size, LENGTH)
        mask = np.ones(LENGTH, dtype=bool)
        mask[: LENGTH // 2] = False  # a prompt half and a completion half
        examples.append(Example(ids.astype(np.int64), mask))
    return TokenizedData(train=examples, eval=[], max_length=LENGTH)


def _ours(build, data: TokenizedData, pad_id: int) -> float:
    stack = AdapterStack(build())
    model = stack.attach_for_training("bench", METHOD, None, None, "")
    config = TrainConfig(max_steps=STEPS, epochs=100.0, batch_size=BATCH, patience=0)
    progress = Progress(lambda *update: None)  # throttled as in the worker
    started = time.perf_counter()
    train(
        model,
        TokenizedData(data.train, [], data.max_length),
        config,
        LEARNING_RATE,
        pad_id=pad_id,
        progress=progress,
        cancel=CancelToken(),
    )
    elapsed = time.perf_counter() - started
    stack.clear()
    return elapsed / STEPS


def _plain_peft(build, data: TokenizedData, pad_id: int) -> float:
    """What one writes by hand with peft: the same optimiser, schedule, clipping and batches."""
    base = build()
    model = get_peft_model(base, build_peft_config(METHOD, base, None))
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=LEARNING_RATE)
    config = TrainConfig(max_steps=STEPS, epochs=100.0, batch_size=BATCH)
    per_epoch, total = plan_steps(len(data.train), config)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, linear_schedule(total, math.ceil(config.warmup_fraction * total))
    )
    device = next(model.parameters()).device
    model.train()
    started = time.perf_counter()
    for step in range(STEPS):
        batch = batch_tensors(batch_for_step(data.train, step, per_epoch, config), pad_id, device)
        loss = model(**batch).loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        loss.item()
    elapsed = time.perf_counter() - started
    model.eval()
    model.base_model.unload()
    return elapsed / STEPS


def test_training_step_time_vs_a_plain_peft_loop(bench_record) -> None:
    build, data, pad_id, label = _model_and_data()
    _ours(build, data, pad_id)  # warm-up: first-call allocations and kernel selection
    _plain_peft(build, data, pad_id)
    ours, plain = [], []
    for _ in range(ROUNDS):
        ours.append(_ours(build, data, pad_id))
        plain.append(_plain_peft(build, data, pad_id))
    ours_s, plain_s = min(ours), min(plain)
    ratio = ours_s / plain_s
    print(
        f"\nBENCH finetune-step (LoRA r=8, {label}, batch {BATCH}, "
        f"{DEVICE}): "
        f"{ours_s * 1000:.1f} ms/step; ratio {ratio:.3f}x vs plain peft loop {plain_s * 1000:.1f} ms/step "
        f"(target <= 1.1x)"
    )
    assert bench_record(f"finetune-step ({label}) vs plain peft", ratio, "<=", 1.1, "x")
