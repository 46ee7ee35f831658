"""``workbench-cli trace`` in-process on a tiny saved GPT-2."""

from __future__ import annotations

import json

from workbench.cli import main

PROMPT = "The Eiffel Tower is in the city of"


def test_trace_command_prints_the_heatmaps_as_json(tiny_model_dir, capsys) -> None:
    argv = ["trace", "--model", str(tiny_model_dir), "--prompt", PROMPT, "--subject", "Eiffel Tower"]
    code = main([*argv, "--samples", "2", "--kinds", "hidden,mlp", "--window", "2", "--json", "--quiet"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    tokens, (start, end) = out["tokens"], out["subject_range"]
    assert "".join(tokens[start:end]).strip() == "Eiffel Tower"
    assert set(out["scores"]) == {"hidden", "mlp"} and out["window"] == 2 and out["samples"] == 2
    for grid in out["scores"].values():
        assert len(grid) == len(tokens) and all(len(row) == 3 for row in grid)  # scores[kind][token][layer]
    assert abs(out["scores"]["hidden"][-1][-1] - out["high_score"]) < 1e-6
    assert 0 <= out["low_score"] <= 1 and isinstance(out["target"], str)


def test_trace_command_text_output_marks_the_subject(tiny_model_dir, capsys) -> None:
    argv = ["trace", "--model", str(tiny_model_dir), "--prompt", PROMPT, "--subject", "Tower"]
    assert main([*argv, "--samples", "1", "--kinds", "attn", "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "attn: p(target)" in out and "*'To'" in out and " 'The'" in out


def test_trace_command_refuses_bad_input_with_one_line_and_exit_2(tiny_model_dir, capsys) -> None:
    base = ["trace", "--model", str(tiny_model_dir), "--prompt", PROMPT, "--quiet"]
    for extra, message in (
        (["--subject", "Louvre"], "'Louvre' does not appear in the prompt"),
        (["--subject", "Eiffel", "--kinds", "hidden,neurons"], "Unknown trace kind(s) neurons"),
        (["--subject", "Eiffel", "--noise-kind", "pink"], "Unknown noise kind 'pink'"),
    ):
        assert main([*base, *extra, "--json"]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        lines = captured.err.strip().splitlines()
        assert len(lines) == 1 and message in lines[0]
