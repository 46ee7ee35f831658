"""``workbench-cli edit`` in-process on a tiny saved GPT-2."""

from __future__ import annotations

import json

import torch
from transformers import AutoModelForCausalLM

from workbench.cli import main

EDIT = [
    "--prompt",
    "{} is located in the city of",
    "--subject",
    "The Eiffel Tower",
    "--target",
    " Rome",
]
FAST = ["--layer", "1", "--steps", "3", "--identity-covariance", "--quiet"]


def test_edit_command_prints_metrics_and_saves_a_loadable_edited_model(
    tiny_model_dir, tmp_path, capsys
) -> None:
    out_dir = tmp_path / "edited"
    code = main(
        [
            "edit",
            "--model",
            str(tiny_model_dir),
            *EDIT,
            *FAST,
            "--save-model",
            str(out_dir),
            "--json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0 and out["layer"] == 1 and out["method"] == "rome"
    assert set(out["metrics"]) >= {
        "accuracy",
        "generality",
        "portability",
        "locality",
        "seconds",
    }
    original = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
    edited = AutoModelForCausalLM.from_pretrained(out["saved_to"])
    changed = [
        n
        for n, p in edited.state_dict().items()
        if not torch.equal(p, original.state_dict()[n])
    ]
    assert changed == ["transformer.h.1.mlp.c_proj.weight"]


def test_edit_command_refuses_bad_input_with_one_line_and_exit_2(
    tiny_model_dir, capsys
) -> None:
    base = ["edit", "--model", str(tiny_model_dir), "--quiet"]
    for extra, message in (
        ([], "Give exactly one of --case-id"),
        (["--case-id", "3", *EDIT], "Give exactly one of --case-id"),
        (
            ["--prompt", "{} is in", "--subject", "Paris", "--target", ""],
            "Give the new target",
        ),
        (
            ["--prompt", "Rome is in", "--subject", "Paris", "--target", " X"],
            "does not occur in the prompt",
        ),
        (["--case-id", "999999"], "There is no case 999999"),
        (
            [*EDIT, "--layer", "9", "--steps", "1", "--identity-covariance"],
            "Layer 9 is outside",
        ),
    ):
        assert main([*base, *extra, "--json"]) == 2
        err = capsys.readouterr().err.strip()
        assert err.count("\n") == 0 and message in err, err
