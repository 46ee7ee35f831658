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


def test_edit_command_prints_metrics_and_saves_a_loadable_edited_model(tiny_model_dir, tmp_path, capsys) -> None:
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
    changed = [n for n, p in edited.state_dict().items() if not torch.equal(p, original.state_dict()[n])]
    assert changed == ["transformer.h.1.mlp.c_proj.weight"]


def test_edit_command_refuses_bad_input_with_one_line_and_exit_2(tiny_model_dir, capsys) -> None:
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


def test_an_edit_to_the_answer_the_model_already_gives_warns_that_it_is_a_no_op(tiny_model_dir, capsys) -> None:
    from transformers import AutoTokenizer

    from workbench.core.editing.edit_metrics import probe

    model = AutoModelForCausalLM.from_pretrained(tiny_model_dir).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dir)
    prompt = "The Eiffel Tower is a city in"
    with torch.no_grad():
        top = int(model(torch.tensor([tokenizer.encode(prompt)])).logits[0, -1].argmax())
    answer = tokenizer.decode([top])
    assert probe(model, tokenizer, prompt, answer).correct  # the model already says it
    code = main(["edit", "--model", str(tiny_model_dir), "--prompt", "{} is a city in",
                 "--subject", "The Eiffel Tower", "--target", answer, *FAST, "--json"])  # fmt: skip
    captured = capsys.readouterr()
    out = json.loads(captured.out)
    assert code == 0 and out["metrics"]["accuracy"] == 1.0
    assert len(out["warnings"]) == 1 and "already answers" in out["warnings"][0]
    assert "no-op" in captured.err


def test_an_edit_whose_new_target_is_the_true_one_warns() -> None:
    from workbench.core.editing.edit_metrics import CaseProbe
    from workbench.core.editing.jobs import no_op_warnings
    from workbench.core.editing.params import EditRequest

    request = EditRequest("{} is in", "Paris", target_new=" France", target_true="France")
    (warning,) = no_op_warnings(request, CaseProbe({}))
    assert warning.startswith("The new target 'France' is the current answer")
    assert no_op_warnings(EditRequest("{} is in", "Paris", " Spain", " France"), CaseProbe({"accuracy": []})) == []
