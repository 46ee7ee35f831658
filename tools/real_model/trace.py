"""The averaged causal trace over N known facts (ROME fig. 2): where the MLP and attention
sites peak.  Prints one JSON line; ``--save-finding`` keeps the result with the workbench
(``workbench/resources/model_findings``), from where every import of the same weights puts it
into its model card, and updates this folder's card now.

    python tools/real_model/trace.py --model-dir PATH --device cuda --limit 100 --save-finding
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import numpy as np
from model_setup import known_cases, load_session, parser

from workbench.core.model.findings import apply_findings, save_finding
from workbench.core.model.library import read_card
from workbench.core.model.session import ModelSession
from workbench.core.tracing.averaging import average_effects
from workbench.core.tracing.facts import Fact
from workbench.core.tracing.params import AveragingParams
from workbench.core.tracing.results import TOKEN_GROUPS, AveragingResult
from workbench.store import ProjectStore
from workbench.store.codec import params_to_json


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


def traced(session: ModelSession, params: AveragingParams, project: Path | None) -> AveragingResult:
    """The averaged trace; with ``project``, kept there as the tracing lab keeps its runs —
    recorded as running before it starts, so the run's time is the trace's and a trace that
    fails is stored as failed — and the lab can reopen it (100 facts take half an hour on a CPU)."""

    def trace() -> AveragingResult:
        return average_effects(session.require_loaded(), session.tokenizer, session.require_adapter(), params)

    if project is None:
        return trace()
    store = ProjectStore.open_or_create(project)
    try:
        model_id = store.register_model(
            params_to_json(session.spec), session.info.fingerprint, params_to_json(session.info)
        )
        run_id = store.start_run(
            type(params).job_kind, params_to_json(params), title=f"Averaged trace · {len(params.facts)} known facts",
            model_id=model_id, model_state=params_to_json(session.layered_state()),
        )  # fmt: skip
        try:
            result = trace()
        except BaseException as error:
            store.finish_run(run_id, status="failed", error=str(error) or type(error).__name__)
            raise
        store.finish_run(run_id, status="finished", result=result)
        return result
    finally:
        store.close()


def main() -> None:
    arguments = parser(__doc__.splitlines()[0], default_limit=10)
    arguments.add_argument("--samples", type=int, default=10, help="noise samples per fact (default 10, as ROME)")
    arguments.add_argument("--project", type=Path, default=None, help="also keep the run in this project (.wbproj)")
    arguments.add_argument(
        "--save-finding", action="store_true", help="keep the peaks for the model card of these weights (README.md)"
    )
    args = arguments.parse_args()
    started = time.perf_counter()
    session = load_session(args)
    cases = known_cases(session, args.limit, args.language)
    facts = tuple(Fact(c.request.subject, c.request.prompt, c.request.target_true) for c in cases)
    params = AveragingParams(facts=facts, samples=args.samples, only_known=True)
    result = traced(session, params, args.project)
    found = peaks(result)
    trace = {
        "facts_traced": result.facts_traced, "facts_skipped": result.facts_skipped, "language": args.language,
        "samples": args.samples, "num_layers": result.num_layers, "mean_high": round(result.mean_high, 4),
        "mean_low": round(result.mean_low, 4), "peaks": found, "seconds": round(time.perf_counter() - started, 1),
    }  # fmt: skip
    if args.save_finding:
        card = read_card(Path(session.path))
        if card is None or not card.source_sha256:
            raise SystemExit(f"{session.path} was not imported from a GGUF: no checksum to keep the finding under.")
        save_finding({
            "source_sha256": card.source_sha256, "model": card.name, "measured": date.today().isoformat(),
            "device": str(session.device), "dtype": args.dtype, "averaged_trace": trace,
        })  # fmt: skip
        apply_findings(Path(session.path), card.source_sha256)
    print(json.dumps({"script": "trace", "model": Path(session.path).name, "device": str(session.device), **trace}))


if __name__ == "__main__":
    main()
