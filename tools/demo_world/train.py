"""Train the demo model from scratch on the demo world, on a CPU, in minutes.

``python -m tools.demo_world.train --out workbench/resources/demo_model --seed 0`` builds the
world, trains a byte-level BPE tokenizer on its text, trains a small GPT-2 (6 layers x 256)
on an endless mixture of facts, articles, reading-comprehension examples and stories, keeps
the checkpoint that best meets the targets, and writes weights (safetensors), tokenizer and
a model card with the measured accuracies.  The loop reports through ``Progress`` and stops
at ``CancelToken``, so the same function can run as a workbench job.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import math
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import torch
from transformers import GPT2Config, GPT2LMHeadModel, PreTrainedTokenizerFast

from tools.demo_world.corpus import Passage, TrainingText
from tools.demo_world.counterfact import counterfact_records
from tools.demo_world.evaluate import evaluate_demo_model
from tools.demo_world.model_card import write_model_card
from tools.demo_world.params import DemoScores, DemoTrainConfig, DemoTrainingResult
from tools.demo_world.tokenizer import END_OF_TEXT, train_tokenizer
from tools.demo_world.trace_card import peaks_table, trace_into_card
from tools.demo_world.world import World, build_world
from workbench.base.jobs import CancelToken, Progress


def build_tokenizer(world: World, config: DemoTrainConfig) -> PreTrainedTokenizerFast:
    """BPE trained on a sample of the training text plus every name of the world.

    The names are added explicitly so that entities documented only in the encyclopedia
    (never in the training text) still get whole-word tokens.  With ``tokenizer_dir`` set,
    that saved tokenizer is loaded instead.
    """
    if config.tokenizer_dir is not None:
        return PreTrainedTokenizerFast.from_pretrained(config.tokenizer_dir)
    stream = TrainingText(world, seed=config.seed + 1_000_003, weights=dict(config.weights)).documents()
    texts = [next(stream).text for _ in range(config.tokenizer_documents)]
    names = [term.en for term in world.names()] + [term.zh for term in world.names()]
    return train_tokenizer(texts + names * 5, config.vocab_size, config.n_positions)


def tokenizer_stats(tokenizer: PreTrainedTokenizerFast, world: World) -> dict[str, float]:
    """Average tokens per entity name, English (after a space, as in a sentence) and Chinese."""
    en = [len(tokenizer(" " + e.name.en, add_special_tokens=False)["input_ids"]) for e in world.entities]
    zh = [len(tokenizer(e.name.zh, add_special_tokens=False)["input_ids"]) for e in world.entities]
    return {
        "en_name": float(np.mean(en)),
        "zh_name": float(np.mean(zh)),
        "en_name_max": float(max(en)),
        "zh_name_max": float(max(zh)),
        "vocab_size": float(len(tokenizer)),
    }


class PackedBatches:
    """Rows of ``seq_len`` tokens, each starting at the start of a document.

    Documents are joined with ``<|endoftext|>``.  When the next document does not fit, the
    rest of the row is filled with one-sentence facts (the shortest documents) and the long
    one opens the next row; whatever is left is padding, ignored by the loss.  A row thus
    never cuts a reading example before its answer.  Each token carries a loss weight:
    ``focus_weight`` inside a passage's focus (a fact's object, an answer), 1 elsewhere,
    0 on padding.
    """

    def __init__(
        self, text: TrainingText, tokenizer: PreTrainedTokenizerFast, seq_len: int, batch_size: int, focus_weight: float
    ) -> None:
        self.text = text
        self.tokenizer = tokenizer
        self.seq_len = seq_len
        self.batch_size = batch_size
        self.focus_weight = focus_weight
        self.eos = tokenizer.convert_tokens_to_ids(END_OF_TEXT)
        self.documents = text.documents()
        self.carry: tuple[list[int], list[float]] | None = None
        self.dropped = 0
        self.padding = 0

    def encode(self, passage: Passage) -> tuple[list[int], list[float]]:
        """Token ids (plus end-of-text) and their loss weights."""
        encoded = self.tokenizer(passage.text, add_special_tokens=False, return_offsets_mapping=True)
        weights = [1.0] * len(encoded["input_ids"])
        if passage.focus is not None:
            start, end = passage.focus
            weights = [self.focus_weight if start <= s < end else 1.0 for s, _ in encoded["offset_mapping"]]
        return encoded["input_ids"] + [self.eos], [*weights, 1.0]

    def _next_document(self) -> tuple[list[int], list[float]]:
        if self.carry is not None:
            document, self.carry = self.carry, None
            return document
        while True:
            document = self.encode(next(self.documents))
            if len(document[0]) <= self.seq_len:
                return document
            self.dropped += 1

    def row(self) -> tuple[list[int], list[float]]:
        ids: list[int] = []
        weights: list[float] = []
        while True:
            document = self._next_document()
            if len(ids) + len(document[0]) > self.seq_len:
                self.carry = document
                break
            ids += document[0]
            weights += document[1]
        while True:
            filler = self.encode(self.text.fact_sentence())
            if len(ids) + len(filler[0]) > self.seq_len:
                break
            ids += filler[0]
            weights += filler[1]
        pad = self.seq_len - len(ids)
        self.padding += pad
        return ids + [self.eos] * pad, weights + [0.0] * pad

    def __iter__(self) -> Iterator[tuple[torch.Tensor, torch.Tensor]]:
        while True:
            rows = [self.row() for _ in range(self.batch_size)]
            yield torch.tensor([r[0] for r in rows]), torch.tensor([r[1] for r in rows])


def weighted_loss(logits: torch.Tensor, input_ids: torch.Tensor, weights: torch.Tensor) -> torch.Tensor:
    """Next-token cross-entropy, each target token weighted (weighted mean)."""
    losses = torch.nn.functional.cross_entropy(
        logits[:, :-1].flatten(0, 1).float(), input_ids[:, 1:].flatten(), reduction="none"
    )
    target_weights = weights[:, 1:].flatten()
    return (losses * target_weights).sum() / target_weights.sum()


def build_model(config: DemoTrainConfig, vocab_size: int, eos_id: int) -> GPT2LMHeadModel:
    """A GPT-2 without dropout: it must memorise facts, and the data never repeats verbatim."""
    torch.manual_seed(config.seed)
    gpt2 = GPT2Config(
        vocab_size=vocab_size,
        n_positions=config.n_positions,
        n_embd=config.n_embd,
        n_layer=config.n_layer,
        n_head=config.n_head,
        resid_pdrop=0.0,
        embd_pdrop=0.0,
        attn_pdrop=0.0,
        bos_token_id=eos_id,
        eos_token_id=eos_id,
        pad_token_id=eos_id,
    )
    return GPT2LMHeadModel(gpt2)


def learning_rate(config: DemoTrainConfig, step: int, fraction: float) -> float:
    """Linear warm-up, then cosine decay to ``min_lr_ratio`` over the run's fraction done."""
    if step < config.warmup_steps:
        return config.learning_rate * (step + 1) / config.warmup_steps
    cosine = 0.5 * (1 + math.cos(math.pi * min(fraction, 1.0)))
    return config.learning_rate * (config.min_lr_ratio + (1 - config.min_lr_ratio) * cosine)


class ThreadChooser:
    """Picks 1 or ``threads`` intra-op threads by timing training steps with each.

    On a machine shared with other busy processes, two spinning OpenMP threads can run ten
    times slower than one; alone, two are faster.  Every ``interval`` seconds the other
    setting is tried for ``probe`` steps and kept if its median step is faster.
    """

    def __init__(self, threads: int, interval: float = 45.0, probe: int = 4, clock=time.monotonic) -> None:
        self.options = sorted({1, threads})
        self.current = threads
        self.interval = interval
        self.probe = probe
        self.clock = clock
        self.durations: dict[int, list[float]] = {n: [] for n in self.options}
        self.probing = 0
        self.next_probe = clock()

    @property
    def other(self) -> int:
        return next((n for n in self.options if n != self.current), self.current)

    def threads(self) -> int:
        """The thread count for the next step (and sets it)."""
        count = self.other if self.probing else self.current
        if torch.get_num_threads() != count:
            torch.set_num_threads(count)
        return count

    def record(self, threads: int, seconds: float) -> None:
        self.durations[threads] = (self.durations[threads] + [seconds])[-self.probe :]
        if len(self.options) == 1:
            return
        if self.probing:
            self.probing -= 1
            if self.probing == 0:
                if np.median(self.durations[self.other]) < 0.9 * np.median(self.durations[self.current]):
                    self.current = self.other
                self.next_probe = self.clock() + self.interval
        elif self.clock() >= self.next_probe and len(self.durations[self.current]) >= self.probe:
            self.probing = self.probe


def _optimizer(model: torch.nn.Module, config: DemoTrainConfig) -> torch.optim.Optimizer:
    matrices = [p for p in model.parameters() if p.dim() >= 2]
    others = [p for p in model.parameters() if p.dim() < 2]
    return torch.optim.AdamW(
        [{"params": matrices, "weight_decay": config.weight_decay}, {"params": others, "weight_decay": 0.0}],
        lr=config.learning_rate,
        betas=(0.9, 0.98),
    )


def train_demo_model(
    config: DemoTrainConfig,
    out_dir: Path | None,
    progress: Progress,
    cancel: CancelToken,
    command: str = "",
) -> DemoTrainingResult:
    """Train, keep the best checkpoint, evaluate it fully and (if ``out_dir``) save it."""
    started = time.monotonic()
    random.seed(config.seed)
    world = build_world(config.world_seed)
    progress(0.0, "preparing the tokenizer")
    tokenizer = build_tokenizer(world, config)
    eos = tokenizer.convert_tokens_to_ids(END_OF_TEXT)
    model = build_model(config, len(tokenizer), eos)
    model.train()
    forward = torch.compile(model) if config.compile else model
    optimizer = _optimizer(model, config)
    text = TrainingText(world, config.seed, dict(config.weights))
    batches = iter(PackedBatches(text, tokenizer, config.seq_len, config.batch_size, config.focus_weight))
    budget = config.minutes * 60 if config.minutes else None

    losses: list[float] = []
    step_seconds: list[float] = []
    eval_steps: list[int] = []
    history: list[DemoScores] = []
    best: tuple[float, int, dict[str, torch.Tensor]] | None = None
    step = 0
    fraction = 0.0
    threads = ThreadChooser(config.threads)
    while fraction < 1.0:
        cancel.raise_if_cancelled()
        input_ids, weights = next(batches)
        step_threads = threads.threads()
        step_started = time.monotonic()
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(config, step, fraction)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=config.bf16):
            loss = weighted_loss(forward(input_ids=input_ids).logits, input_ids, weights)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(loss.item())
        step_seconds.append(time.monotonic() - step_started)
        threads.record(step_threads, step_seconds[-1])
        step += 1
        fraction = max(step / config.steps, (time.monotonic() - started) / budget if budget else 0.0)
        if step % config.eval_every == 0 or fraction >= 1.0:
            scores = evaluate_demo_model(model, tokenizer, world, sample=config.eval_sample, seed=step)
            eval_steps.append(step)
            history.append(scores)
            if best is None or scores.selection_score >= best[0]:
                best = (scores.selection_score, step, copy.deepcopy(model.state_dict()))
        message = f"step {step}: loss {np.mean(losses[-50:]):.3f}, {threads.current} thread(s)"
        progress(min(fraction, 1.0) * 0.95, message, _partial(losses, eval_steps, history))

    assert best is not None
    model.load_state_dict(best[2])
    model.eval()
    progress(0.96, f"evaluating the checkpoint of step {best[1]}")
    final = evaluate_demo_model(model, tokenizer, world, sample=config.final_eval_sample)
    result = DemoTrainingResult(
        config=config,
        steps_done=step,
        tokens_seen=step * config.batch_size * config.seq_len,
        seconds=time.monotonic() - started,
        losses=np.array(losses, dtype=np.float32),
        step_seconds=np.array(step_seconds, dtype=np.float32),
        eval_steps=np.array(eval_steps),
        eval_history=history,
        best_step=best[1],
        final=final,
        num_parameters=sum(p.numel() for p in model.parameters()),
        tokenizer_stats=tokenizer_stats(tokenizer, world),
    )
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        model.save_pretrained(out_dir)
        tokenizer.save_pretrained(out_dir)
        write_model_card(out_dir, result, command)
    progress(1.0, "done")
    return result


def _partial(losses: list[float], eval_steps: list[int], history: list[DemoScores]) -> dict[str, object]:
    """The cumulative snapshot a progress sink may plot: loss curve and evaluations so far."""
    return {
        "losses": np.array(losses, dtype=np.float32),
        "eval_steps": np.array(eval_steps),
        "eval_history": [dataclasses.asdict(h) for h in history],
    }


class _ProgressPrinter:
    """Progress lines on stderr, plus each new evaluation once."""

    def __init__(self) -> None:
        self.evaluations_shown = 0

    def __call__(self, fraction: float, message: str, partial: object) -> None:
        print(f"[{fraction * 100:5.1f}%] {message}", file=sys.stderr, flush=True)
        history = partial.get("eval_history", []) if isinstance(partial, dict) else []
        for scores in history[self.evaluations_shown :]:
            summary = "  ".join(
                f"{name} " + "/".join(f"{v:.2f}" for v in scores[name].values())
                for name in ("facts", "paraphrase", "reading", "closed_book")
            )
            print(f"          eval (en/zh): {summary}", file=sys.stderr, flush=True)
        self.evaluations_shown = len(history)


def _mixture_changes(parser: argparse.ArgumentParser, changes: list[str]) -> dict[str, float]:
    known = dict(DemoTrainConfig().weights)
    weights = {}
    for change in changes:
        kind, _, value = change.partition("=")
        try:
            weights[kind] = float(value)
        except ValueError:
            parser.error(f"--mix wants KIND=WEIGHT, got {change!r}")
        if kind not in known:
            parser.error(f"--mix: unknown document kind {kind!r} (known: {', '.join(known)})")
    return weights


def main(argv: list[str] | None = None) -> int:
    defaults = DemoTrainConfig()
    parser = argparse.ArgumentParser(prog="python -m tools.demo_world.train", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, required=True, help="folder for weights, tokenizer and model card")
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--world-seed", type=int, default=defaults.world_seed)
    parser.add_argument("--steps", type=int, default=defaults.steps)
    parser.add_argument(
        "--minutes",
        type=float,
        default=defaults.minutes,
        help="wall-clock budget from start, before the final evaluation (0: none)",
    )
    parser.add_argument("--batch-size", type=int, default=defaults.batch_size)
    parser.add_argument("--lr", type=float, default=defaults.learning_rate)
    parser.add_argument("--threads", type=int, default=defaults.threads)
    parser.add_argument("--eval-every", type=int, default=defaults.eval_every)
    parser.add_argument("--compile", action="store_true", help="torch.compile the training step")
    parser.add_argument("--no-bf16", action="store_true", help="train in float32")
    parser.add_argument(
        "--trace-facts",
        type=int,
        default=100,
        help="facts per language to trace into the model card after saving (0: none)",
    )
    parser.add_argument("--tokenizer", help="reuse the tokenizer saved in this folder instead of training one")
    parser.add_argument(
        "--mix",
        action="append",
        default=[],
        metavar="KIND=WEIGHT",
        help="change one weight of the training mixture (repeatable)",
    )
    args = parser.parse_args(argv)
    weights = dict(defaults.weights) | _mixture_changes(parser, args.mix)
    config = dataclasses.replace(
        defaults,
        seed=args.seed,
        world_seed=args.world_seed,
        steps=args.steps,
        minutes=args.minutes or None,
        batch_size=args.batch_size,
        learning_rate=args.lr,
        threads=args.threads,
        eval_every=args.eval_every,
        compile=args.compile,
        bf16=not args.no_bf16,
        tokenizer_dir=args.tokenizer,
        weights=tuple(weights.items()),
    )
    command = "python -m tools.demo_world.train " + " ".join(argv if argv is not None else sys.argv[1:])
    result = train_demo_model(config, args.out, Progress(_ProgressPrinter(), min_interval=5.0), CancelToken(), command)
    for name, en, zh, count in result.final.as_rows():
        print(f"{name:12s} en {en:.3f}  zh {zh:.3f}  ({count} prompts)")
    if args.trace_facts:
        records = [record.to_json() for record in counterfact_records(build_world(config.world_seed))]
        printer = Progress(
            lambda f, m, _p: print(f"[trace {f * 100:5.1f}%] {m}", file=sys.stderr, flush=True), min_interval=5.0
        )
        traces = trace_into_card(args.out, records, printer, count=args.trace_facts)
        for language, trace in traces.items():
            print(f"causal trace ({language}): " + "; ".join(peaks_table(trace)[2:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
