"""Measure the demo model's averaged causal trace and write it into its model card.

``python -m tools.demo_world.trace_card --model workbench/resources/demo_model --facts 100``
traces facts of ``facts.jsonl`` with ``workbench.core.tracing.averaging`` (book §5.4.1;
Meng et al. 2022, Fig. 2) for each language and replaces the card's causal-tracing
section with the average indirect effects by layer and where they peak.  The training
command calls ``trace_into_card`` after saving (outside its time budget), so a new model's
card carries the same section.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from tools.demo_world.model_card import write_tracing_section
from workbench.base.jobs import CancelToken, Progress
from workbench.base.paths import DEMO_MODEL_DIR, DEMO_WORLD_DIR
from workbench.core.model.arch import adapter_for
from workbench.core.tracing.averaging import average_effects
from workbench.core.tracing.facts import Fact
from workbench.core.tracing.params import AveragingParams, default_window
from workbench.core.tracing.results import AveragingResult

SHOWN_GROUPS = ("first subject token", "last subject token", "last token")
KIND_NAMES = {"hidden": "hidden state", "mlp": "MLP", "attn": "attention"}


def read_records(facts_path: Path) -> list[dict[str, object]]:
    """The CounterFact-style records of a ``facts.jsonl``."""
    return [json.loads(line) for line in facts_path.read_text(encoding="utf-8").splitlines()]


def sample_facts(records: Sequence[dict[str, object]], language: str, count: int, seed: int) -> tuple[Fact, ...]:
    """``count`` records of one language, drawn with a fixed seed (one per fact, no pairs)."""
    records = [r for r in records if r["language"] == language]
    chosen = random.Random(seed).sample(records, min(count, len(records)))
    return tuple(Fact(subject=r["subject"], prompt=r["prompt"], target=r["target_true"]) for r in chosen)


def _peak(effects: np.ndarray, groups: tuple[str, ...]) -> str:
    if np.isnan(effects).all():
        return "nowhere (no fact traced)"
    row, layer = np.unravel_index(np.nanargmax(effects), effects.shape)
    return f"{groups[row]}, layer {layer} ({effects[row, layer]:.3f})"


def _site(effects: np.ndarray, groups: tuple[str, ...], rows: tuple[str, ...]) -> str:
    """The largest effect among ``rows`` (token groups): ``L<layer> <value>``."""
    block = effects[[groups.index(row) for row in rows]]
    if np.isnan(block).all():
        return "–"
    row, layer = np.unravel_index(np.nanargmax(block), block.shape)
    return f"L{layer} ({rows[row]}) {block[row, layer]:.3f}"


def peaks_table(result: AveragingResult) -> list[str]:
    """Where each kind of state peaks at the subject (ROME's early site) and at the last token (late site)."""
    lines = ["| state | peak at the subject tokens | peak at the last token |", "|---|---|---|"]
    for kind in result.kinds:
        subject = _site(result.effects[kind], result.groups, SHOWN_GROUPS[:2])
        last = _site(result.effects[kind], result.groups, SHOWN_GROUPS[2:])
        lines.append(f"| {KIND_NAMES[kind]} | {subject} | {last} |")
    return lines


def tracing_markdown(results: dict[str, AveragingResult], samples: int, noise: float) -> str:
    """The card section: per language, the effects by layer at three token groups, and peaks."""
    first = next(iter(results.values()))
    lines = [
        "## Causal tracing",
        "",
        "Average indirect effect (p(target) with one state restored minus p(target) with the subject",
        "corrupted) over known facts of `facts.jsonl`, measured with `workbench.core.tracing`:",
        f"{samples} noise samples of {noise:g} σ on the subject embeddings; MLP and attention cells restore a",
        f"window of {default_window(first.num_layers)} layers.  The training command writes this section",
        "after saving; `python -m tools.demo_world.trace_card --model workbench/resources/demo_model` rebuilds it.",
        "",
    ]
    header = "| token | " + " | ".join(f"L{layer}" for layer in range(first.num_layers)) + " |"
    rule = "|---" * (first.num_layers + 1) + "|"
    for language, result in results.items():
        lines += [
            f"### {'English' if language == 'en' else 'Chinese'} facts",
            "",
            (
                f"{result.facts_traced} facts traced ({result.facts_skipped} of {result.facts_total} skipped as not known); "
                f"mean p(target) clean {result.mean_high:.3f}, corrupted {result.mean_low:.3f}."
            ),
            "",
            *peaks_table(result),
            "",
        ]
        for kind in result.kinds:
            lines += [
                f"**{KIND_NAMES[kind]}** — peak at {_peak(result.effects[kind], result.groups)}",
                "",
                header,
                rule,
            ]
            for group in SHOWN_GROUPS:
                values = result.effects[kind][result.groups.index(group)]
                lines.append(f"| {group} | " + " | ".join(f"{v:.3f}" for v in values) + " |")
            lines.append("")
    return "\n".join(lines)


def trace_model(
    model_dir: Path,
    records: Sequence[dict[str, object]],
    count: int,
    samples: int,
    noise: float,
    seed: int,
    progress: Progress,
    cancel: CancelToken | None = None,
) -> dict[str, AveragingResult]:
    """Averaged traces of ``count`` facts per language of the saved model in ``model_dir``."""
    model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    results = {}
    for index, language in enumerate(("en", "zh")):
        params = AveragingParams(
            facts=sample_facts(records, language, count, seed), samples=samples, noise=noise, seed=seed
        )
        report = progress.scaled(index / 2, (index + 1) / 2)
        results[language] = average_effects(
            model, tokenizer, adapter_for(model), params, report, cancel or CancelToken()
        )
    return results


def trace_into_card(
    model_dir: Path,
    records: Sequence[dict[str, object]],
    progress: Progress,
    count: int = 100,
    samples: int = 10,
    noise: float = 3.0,
    seed: int = 0,
    cancel: CancelToken | None = None,
) -> dict[str, AveragingResult]:
    """Trace the saved model and replace its card's causal-tracing section with the result."""
    results = trace_model(model_dir, records, count, samples, noise, seed, progress, cancel)
    write_tracing_section(model_dir, tracing_markdown(results, samples, noise))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.demo_world.trace_card", description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=DEMO_MODEL_DIR)
    parser.add_argument("--facts-file", type=Path, default=DEMO_WORLD_DIR / "facts.jsonl")
    parser.add_argument("--facts", type=int, default=100, help="facts per language")
    parser.add_argument("--samples", type=int, default=10)
    parser.add_argument("--noise", type=float, default=3.0, help="noise level, in multiples of σ")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args(argv)
    torch.set_num_threads(args.threads)
    progress = Progress(lambda f, m, _p: print(f"[{f * 100:5.1f}%] {m}", file=sys.stderr, flush=True), min_interval=5.0)
    records = read_records(args.facts_file)
    results = trace_into_card(args.model, records, progress, args.facts, args.samples, args.noise, args.seed)
    for language, result in results.items():
        print(language, {kind: _peak(result.effects[kind], result.groups) for kind in result.kinds})
    return 0


if __name__ == "__main__":
    sys.exit(main())
