"""The averaged causal trace over N known facts (ROME fig. 2): where the MLP and attention
sites peak.  Prints one JSON line; ``--write-card`` adds the finding to the folder's README.md.

    python tools/real_model/trace.py --model-dir PATH --device cuda --limit 100 --write-card
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
from model_setup import known_english_cases, load_session, parser

from workbench.core.tracing.averaging import average_effects
from workbench.core.tracing.facts import Fact
from workbench.core.tracing.params import AveragingParams
from workbench.core.tracing.results import TOKEN_GROUPS, AveragingResult

CARD_HEADING = "## Where facts are stored (averaged causal trace)"


def peaks(result: AveragingResult) -> dict[str, dict[str, object]]:
    """Per kind: the (token group, layer) of the largest average indirect effect, and the
    peak layer at the last subject token and at the last token."""
    found: dict[str, dict[str, object]] = {}
    for kind, effects in result.effects.items():
        group, layer = np.unravel_index(np.nanargmax(effects), effects.shape)
        found[kind] = {
            "group": TOKEN_GROUPS[group],
            "layer": int(layer),
            "effect": round(float(effects[group, layer]), 4),
            "last_subject_peak_layer": int(np.nanargmax(effects[TOKEN_GROUPS.index("last subject token")])),
            "last_token_peak_layer": int(np.nanargmax(effects[TOKEN_GROUPS.index("last token")])),
        }
    return found


def card_text(result: AveragingResult, found: dict[str, dict[str, object]]) -> str:
    lines = [
        CARD_HEADING,
        "",
        f"Averaged over {result.facts_traced} known English facts of the real-world fact set "
        f"({result.num_layers} layers; mean p(true) clean {result.mean_high:.2f}, corrupted {result.mean_low:.2f}):",
        "",
    ]
    for kind, peak in found.items():
        lines.append(
            f"- {kind}: strongest at the {peak['group']}, layer {peak['layer']} (effect {peak['effect']:.3f}); "
            f"at the last subject token it peaks at layer {peak['last_subject_peak_layer']}, "
            f"at the last token at layer {peak['last_token_peak_layer']}."
        )
    return "\n".join(lines) + "\n"


def write_card(folder: Path, text: str) -> None:
    """Replace the card's trace section (or append it): the README.md of the model folder."""
    card = folder / "README.md"
    old = card.read_text(encoding="utf-8") if card.exists() else ""
    kept = old.split(CARD_HEADING, 1)[0].rstrip()
    card.write_text((kept + "\n\n" if kept else "") + text, encoding="utf-8")


def main() -> None:
    arguments = parser(__doc__.splitlines()[0], default_limit=10)
    arguments.add_argument("--samples", type=int, default=10, help="noise samples per fact (default 10, as ROME)")
    arguments.add_argument("--write-card", action="store_true", help="write the peaks into the model card (README.md)")
    args = arguments.parse_args()
    started = time.perf_counter()
    session = load_session(args)
    cases = known_english_cases(session, args.limit)
    facts = tuple(Fact(c.request.subject, c.request.prompt, c.request.target_true) for c in cases)
    params = AveragingParams(facts=facts, samples=args.samples, only_known=True)
    result = average_effects(session.require_loaded(), session.tokenizer, session.require_adapter(), params)
    found = peaks(result)
    if args.write_card:
        write_card(Path(session.path), card_text(result, found))
    print(json.dumps({
        "script": "trace", "model": Path(session.path).name, "device": str(session.device),
        "facts_traced": result.facts_traced, "facts_skipped": result.facts_skipped,
        "num_layers": result.num_layers, "mean_high": round(result.mean_high, 4), "mean_low": round(result.mean_low, 4),
        "peaks": found, "seconds": round(time.perf_counter() - started, 1),
    }))  # fmt: skip


if __name__ == "__main__":
    main()
