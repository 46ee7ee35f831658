"""The demo model's training loop and evaluation, on a tiny model (training itself is not run in CI)."""

from __future__ import annotations

import dataclasses

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from tools.demo_world.corpus import TrainingText
from tools.demo_world.evaluate import ScoredPrompt, first_token_hits
from tools.demo_world.params import DemoTrainConfig
from tools.demo_world.train import PackedBatches, ThreadChooser, main, train_demo_model, weighted_loss
from tools.demo_world.world import build_world
from workbench.base.errors import JobCancelled
from workbench.base.jobs import CancelToken, Progress

TINY = dataclasses.replace(
    DemoTrainConfig(),
    vocab_size=1500,
    n_layer=1,
    n_embd=32,
    n_head=2,
    n_positions=512,
    batch_size=2,
    seq_len=128,
    steps=4,
    minutes=None,
    warmup_steps=1,
    eval_every=2,
    eval_sample=8,
    final_eval_sample=8,
    tokenizer_documents=300,
    threads=1,
)


@pytest.fixture(scope="module")
def world():
    return build_world(0)


def test_training_reports_progress_and_saves_a_model_plain_transformers_loads(tmp_path):
    updates = []
    result = train_demo_model(
        TINY, tmp_path, Progress(lambda f, m, p: updates.append((f, p)), min_interval=0), CancelToken()
    )
    fractions = [f for f, _ in updates]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    snapshots = [p for _, p in updates if isinstance(p, dict)]
    assert len(snapshots[-1]["losses"]) == TINY.steps and len(snapshots[-1]["eval_history"]) == 2
    assert result.steps_done == TINY.steps and len(result.losses) == TINY.steps
    assert set(result.final.facts) == {"en", "zh"}
    model = AutoModelForCausalLM.from_pretrained(tmp_path)
    tokenizer = AutoTokenizer.from_pretrained(tmp_path)
    assert model.config.n_layer == 1 and len(tokenizer) == model.config.vocab_size
    assert (tmp_path / "model.safetensors").exists() and "first-token" in (tmp_path / "README.md").read_text()


def test_training_can_keep_a_saved_tokenizer_so_token_ids_stay_valid(tmp_path, tiny_model_dir, tiny_tokenizer):
    config = dataclasses.replace(TINY, steps=1, eval_every=1, tokenizer_dir=str(tiny_model_dir))
    train_demo_model(config, tmp_path, Progress(lambda *a: None), CancelToken())
    saved = AutoTokenizer.from_pretrained(tmp_path)
    assert saved.get_vocab() == tiny_tokenizer.get_vocab()
    assert AutoModelForCausalLM.from_pretrained(tmp_path).config.vocab_size == len(tiny_tokenizer)


@pytest.mark.parametrize("change", ["poetry=2", "reading=lots"])
def test_the_command_refuses_a_mixture_change_it_cannot_apply(tmp_path, change, capsys):
    with pytest.raises(SystemExit):
        main(["--out", str(tmp_path), "--mix", change])
    assert "--mix" in capsys.readouterr().err and not any(tmp_path.iterdir())


def test_cancel_stops_training_between_steps():
    cancel = CancelToken()

    def sink(fraction, message, partial):
        if message.startswith("step 2"):
            cancel.cancel()

    with pytest.raises(JobCancelled):
        train_demo_model(dataclasses.replace(TINY, steps=50), None, Progress(sink, min_interval=0), cancel)


def test_thread_chooser_keeps_the_faster_setting():
    before = torch.get_num_threads()
    try:
        chooser = ThreadChooser(2, interval=0.0, probe=2, clock=lambda: 0.0)
        durations = {2: 1.0, 1: 0.3}
        for _ in range(8):
            threads = chooser.threads()
            chooser.record(threads, durations[threads])
        assert chooser.current == 1
        for _ in range(4):  # now two threads become faster again
            threads = chooser.threads()
            chooser.record(threads, {2: 0.2, 1: 0.3}[threads])
        assert chooser.current == 2
    finally:
        torch.set_num_threads(before)


def test_packed_rows_start_with_a_document_and_weigh_only_focus_tokens_more(world, tiny_tokenizer):
    text = TrainingText(world, seed=0)
    batches = PackedBatches(text, tiny_tokenizer, seq_len=96, batch_size=4, focus_weight=3.0)
    ids, weights = next(iter(batches))
    assert ids.shape == weights.shape == (4, 96)
    for row_ids, row_weights in zip(ids.tolist(), weights.tolist()):
        padding = row_weights.count(0.0)
        assert row_weights[len(row_weights) - padding :] == [0.0] * padding  # padding only at the end
        focused = tiny_tokenizer.decode([t for t, w in zip(row_ids, row_weights) if w == 3.0])
        assert focused and "<|endoftext|>" not in focused


def test_weighted_loss_with_unit_weights_is_the_usual_causal_lm_loss(tiny_gpt2):
    ids = torch.randint(0, tiny_gpt2.config.vocab_size, (2, 12))
    with torch.no_grad():
        out = tiny_gpt2(input_ids=ids, labels=ids)
        assert torch.allclose(weighted_loss(out.logits, ids, torch.ones(2, 12)), out.loss, atol=1e-5)
        zeroed = torch.ones(2, 12)
        zeroed[:, 6:] = 0
        half = tiny_gpt2(input_ids=ids[:, :6], labels=ids[:, :6]).loss
        assert torch.allclose(weighted_loss(out.logits, ids, zeroed), half, atol=1e-5)


def test_batched_first_token_scoring_matches_one_prompt_at_a_time(tiny_gpt2, tiny_tokenizer):
    prompts = ["The Eiffel Tower is", "斑马的颜色是", "Once upon a time a giraffe lived near the", "context: Lumora"]
    items = []
    for prompt in prompts:
        ids = tiny_tokenizer(prompt)["input_ids"]
        with torch.no_grad():
            predicted = int(tiny_gpt2(input_ids=torch.tensor([ids])).logits[0, -1].argmax())
        target = tiny_tokenizer.decode([predicted])
        if tiny_tokenizer(target)["input_ids"][:1] == [predicted]:
            items.append(ScoredPrompt(prompt, target, "en"))
    assert items, "no round-tripping token to test with"
    assert first_token_hits(tiny_gpt2, tiny_tokenizer, items, batch_size=len(items)).all()
    wrong = [dataclasses.replace(item, target="<|endoftext|>") for item in items]
    assert not first_token_hits(tiny_gpt2, tiny_tokenizer, wrong, batch_size=len(items)).any()
