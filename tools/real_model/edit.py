"""ROME or T-Patcher on N known facts, one edit at a time (each reverted before the next):
ROME's success rules (efficacy, paraphrase, neighbourhood: P(new) vs P(true)) and the book's
properties (accuracy, generality, portability, locality, fluency).  ``--sweep`` repeats ROME
at every ``--sweep-step``-th layer to check the layer rule.  Prints one JSON line.

    python tools/real_model/edit.py --model-dir PATH --device cuda --limit 100 --method rome --sweep
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from model_setup import known_cases, load_session, parser

from workbench.base.jobs import CancelToken, JobContext, Progress, run_job
from workbench.core.editing.cases import REAL_WORLD_FACTS, EditCase
from workbench.core.editing.counterfact_scores import ROME_RULES, rome_scores
from workbench.core.editing.edit_metrics import METRICS
from workbench.core.editing.jobs import ledger_of
from workbench.core.editing.params import EditParams, RomeSettings, TPatcherSettings
from workbench.core.model.session import ModelSession


def edit_and_score(
    ctx: JobContext, case: EditCase, method: str, rome: RomeSettings, tpatcher: TPatcherSettings
) -> dict:
    params = EditParams(
        method=method, request=case.request, rome=rome, tpatcher=tpatcher, fact_file=REAL_WORLD_FACTS,
        generation_tokens=16,
    )  # fmt: skip
    result = run_job(params, ctx, Progress(lambda *_: None), CancelToken())
    session: ModelSession = ctx.require_model()
    scores = rome_scores(session.require_loaded(), session.tokenizer, case)
    ledger_of(session).revert_all()
    metrics = result.metrics
    book = {name: getattr(metrics, name) for name in METRICS}
    book["fluency_change"] = metrics.fluency_after - metrics.fluency_before
    spaced = " " + case.request.subject if " {}" in case.request.prompt else case.request.subject
    subject_tokens = len(session.tokenizer(spaced, add_special_tokens=False)["input_ids"])
    return {
        "case_id": case.request.case_id, "subject": case.request.subject, "subject_tokens": subject_tokens,
        "layer": result.layer, "rome_rules": scores, "book": book, "seconds": metrics.seconds,
    }  # fmt: skip


def mean(rows: list[dict], group: str) -> dict[str, float]:
    names = rows[0][group].keys() if rows else []
    return {name: round(float(np.nanmean([row[group][name] for row in rows])), 4) for name in names}


def main() -> None:
    arguments = parser(__doc__.splitlines()[0], default_limit=5)
    arguments.add_argument("--method", choices=["rome", "tpatcher"], default="rome")
    arguments.add_argument("--layer", type=int, default=None, help="edit this layer (default: the method's rule)")
    arguments.add_argument("--v-steps", type=int, default=RomeSettings.v_steps, help="ROME's most value steps")
    arguments.add_argument("--sweep", action="store_true", help="also ROME at every --sweep-step-th layer")
    arguments.add_argument("--sweep-step", type=int, default=3)
    arguments.add_argument("--sweep-limit", type=int, default=None, help="facts in the sweep (default: --limit)")
    arguments.add_argument("--rows", type=Path, default=None, help="also write every edit's scores here (JSONL)")
    args = arguments.parse_args()
    started = time.perf_counter()
    session = load_session(args)
    ctx = JobContext(model=session)
    cases = known_cases(session, args.limit, args.language)
    rome = RomeSettings(layer=args.layer, v_steps=args.v_steps)
    tpatcher = TPatcherSettings(layer=args.layer)

    def scored(run: str, case: EditCase, method: str, rome: RomeSettings) -> dict:
        """One edit's row, written out at once (a 100-fact run on a CPU takes hours)."""
        row = edit_and_score(ctx, case, method, rome, tpatcher)
        if args.rows is not None:
            with args.rows.open("a", encoding="utf-8") as out:
                out.write(json.dumps({"run": run, **row}) + "\n")
        return row

    if args.rows is not None:
        args.rows.write_text("", encoding="utf-8")
    rows = [scored("rule", case, args.method, rome) for case in cases]
    output: dict = {
        "script": "edit", "method": args.method, "model": Path(session.path).name, "device": str(session.device),
        "facts": len(rows), "rome_rules": mean(rows, "rome_rules"), "book": mean(rows, "book"),
        "layers_chosen": [row["layer"] for row in rows],
        "seconds_per_edit": round(float(np.mean([row["seconds"] for row in rows])), 2) if rows else math.nan,
    }  # fmt: skip
    if args.sweep:
        sweep_cases = cases[: args.sweep_limit or len(cases)]
        num_layers = session.require_adapter().num_layers(session.require_loaded())
        output["sweep"] = {}
        for layer in range(0, num_layers, args.sweep_step):
            swept = [scored(f"sweep {layer}", c, "rome", replace(rome, layer=layer)) for c in sweep_cases]
            output["sweep"][layer] = {
                **mean(swept, "rome_rules"),
                **{f"book_{k}": v for k, v in mean(swept, "book").items()},
            }
        best = max(output["sweep"], key=lambda layer: sum(output["sweep"][layer][rule] for rule in ROME_RULES))
        output["sweep_best_layer"] = best
    output["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(output))


if __name__ == "__main__":
    main()
