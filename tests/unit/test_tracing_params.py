"""The torch-free side of tracing: parameters, the window rule, fact files."""

from __future__ import annotations

import json
import subprocess
import sys
from types import SimpleNamespace
from typing import cast

import pytest

from workbench.base.errors import InvalidParameters
from workbench.core.tracing.facts import Fact, load_facts
from workbench.core.tracing.params import (
    AveragingParams,
    RestoredTopKParams,
    SeveringParams,
    TraceParams,
    default_window,
    window_layers,
)
from workbench.core.tracing.results import TraceResult


def test_parameter_and_result_modules_do_not_import_torch() -> None:
    code = (
        "import sys, workbench.core.tracing.params, workbench.core.tracing.results, "
        "workbench.core.tracing.cost, workbench.core.tracing.facts; "
        "sys.exit('torch' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code]).returncode == 0


@pytest.mark.parametrize(("layers", "window"), [(2, 1), (6, 2), (12, 3), (20, 4), (24, 10), (28, 10), (48, 10)])
def test_default_window_is_ten_for_deep_models_and_a_fifth_of_shallow_ones(layers: int, window: int) -> None:
    assert default_window(layers) == window


def test_window_is_centred_on_the_layer_and_clipped_at_the_ends() -> None:
    assert window_layers(10, 10, 48) == range(5, 15)
    assert window_layers(2, 10, 48) == range(7)
    assert window_layers(46, 10, 48) == range(41, 48)
    assert window_layers(3, 3, 12) == range(2, 5)
    assert window_layers(3, 2, 6) == range(2, 4)
    assert window_layers(0, 1, 2) == range(1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"prompt": "  "}, "prompt is empty"),
        ({"subject": ""}, "Name the subject"),
        ({"samples": 0}, "at least 1"),
        ({"noise": -1.0}, "noise level"),
        ({"noise_kind": "pink"}, "Unknown noise kind"),
        ({"kinds": ("hidden", "mlps")}, "Unknown trace kind"),
        ({"window": 0}, "window"),
        ({"method": "magic"}, "Unknown method"),
    ],
)
def test_bad_trace_parameters_are_refused_with_a_sentence(changes: dict, message: str) -> None:
    params = TraceParams(**{"prompt": "The Eiffel Tower is in", "subject": "Eiffel Tower", **changes})
    with pytest.raises(InvalidParameters, match=message):
        params.check()


def test_fact_files_read_simple_and_counterfact_records(tmp_path) -> None:
    path = tmp_path / "facts.jsonl"
    records = [
        {"subject": "Lumora", "prompt": "{} is a city in", "target_true": "Vestland"},
        {
            "requested_rewrite": {
                "subject": "Danielle Darrieux",
                "prompt": "The mother tongue of {} is",
                "target_true": {"str": "French"},
                "target_new": {"str": "English"},
            }
        },
        {"subject": "Paris", "prompt": "Paris is the capital of", "target_true": "France"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n\n", encoding="utf-8")
    facts = load_facts(path)
    assert facts == [
        Fact("Lumora", "{} is a city in", "Vestland"),
        Fact("Danielle Darrieux", "The mother tongue of {} is", "French"),
        Fact("Paris", "{} is the capital of", "France"),
    ]
    assert facts[1].text == "The mother tongue of Danielle Darrieux is"
    assert load_facts(path, limit=1) == facts[:1]


def test_bad_fact_files_name_the_problem(tmp_path) -> None:
    path = tmp_path / "facts.jsonl"
    path.write_text('{"subject": "Lumora", "prompt": "{} is in", "target_true": "Vestland"}\n{"subject": 3}\n')
    with pytest.raises(InvalidParameters, match=r"Line 2 of facts\.jsonl"):
        load_facts(path)
    with pytest.raises(InvalidParameters, match="Cannot read"):
        load_facts(tmp_path / "missing.jsonl")
    with pytest.raises(InvalidParameters, match="facts file"):
        AveragingParams().check()


def test_follow_up_jobs_keep_the_traces_setup_and_pin_what_it_found() -> None:
    trace = TraceParams(
        prompt="The Eiffel Tower is in",
        subject="Eiffel Tower",
        target=" Paris",
        samples=4,
        noise=2.5,
        noise_kind="uniform",
        seed=7,
        kinds=("mlp", "attn"),
        window=3,
        method="straightforward",
    )
    # what the finished trace resolved: the only fields a follow-up job reads
    found = cast(TraceResult, SimpleNamespace(subject_range=[1, 4], target_id=6342))
    pinned = {"subject_span": (1, 4), "target": None, "target_id": 6342}
    noise = {"samples": 4, "noise": 2.5, "noise_kind": "uniform", "seed": 7}
    shared = {"prompt": trace.prompt, "subject": trace.subject, **pinned, **noise}

    assert RestoredTopKParams.for_cell(trace, found, "attn", token=3, layer=2) == RestoredTopKParams(
        **shared, kinds=("attn",), window=3, method="straightforward", token=3, layer=2, kind="attn"
    )
    assert SeveringParams.for_trace(trace, found, token=3) == SeveringParams(**shared, token=3)
    assert AveragingParams.like_trace(trace, "facts.jsonl", limit=5, only_known=False) == AveragingParams(
        **noise, facts_path="facts.jsonl", limit=5, only_known=False, kinds=("mlp", "attn"), window=3
    )
