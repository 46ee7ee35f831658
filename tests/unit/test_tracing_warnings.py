"""Legal but suspicious traces run, and say why their picture may mislead: a subject that
occurs twice, a subject that is the whole prompt, a window wider than the model."""

from __future__ import annotations

import json

from workbench.cli import main
from workbench.core.model.arch import adapter_for
from workbench.core.tracing.params import SeveringParams, TraceParams
from workbench.core.tracing.severing import sever
from workbench.core.tracing.trace import trace

TWICE = "Paris is far from Rome and Paris is in"


def run(model, tokenizer, **changes):
    params = TraceParams(**{"samples": 2, "kinds": ("hidden", "mlp"), **changes})
    return trace(model, tokenizer, adapter_for(model), params)


def test_a_subject_that_occurs_twice_warns_that_only_the_first_is_corrupted(tiny_gpt2, tiny_tokenizer) -> None:
    result = run(tiny_gpt2, tiny_tokenizer, prompt=TWICE, subject="Paris")
    assert result.subject_range[0] == 0
    assert any("occurs 2 times" in w and "first occurrence" in w for w in result.warnings)


def test_choosing_the_second_occurrence_by_tokens_does_not_warn(tiny_gpt2, tiny_tokenizer) -> None:
    offsets = tiny_tokenizer(TWICE, return_offsets_mapping=True)["offset_mapping"]
    start = TWICE.rindex("Paris")
    inside = [i for i, (a, b) in enumerate(offsets) if a < start + len("Paris") and b > start]
    span = (inside[0], inside[-1] + 1)
    result = run(tiny_gpt2, tiny_tokenizer, prompt=TWICE, subject="Paris", subject_span=span)
    assert result.subject_range == span and result.warnings == []


def test_a_subject_equal_to_the_whole_prompt_warns(tiny_gpt2, tiny_tokenizer) -> None:
    result = run(tiny_gpt2, tiny_tokenizer, prompt="The Eiffel Tower", subject="The Eiffel Tower")
    assert any("whole prompt" in w for w in result.warnings)
    severed = sever(tiny_gpt2, tiny_tokenizer, adapter_for(tiny_gpt2),
                    SeveringParams(prompt="The Eiffel Tower", subject="The Eiffel Tower", samples=2))  # fmt: skip
    assert any("whole prompt" in w for w in severed.warnings)


def test_a_window_wider_than_the_model_warns(tiny_gpt2, tiny_tokenizer) -> None:
    result = run(tiny_gpt2, tiny_tokenizer, prompt="The Eiffel Tower is in", subject="Eiffel Tower", window=50)
    assert result.window == 50
    assert any("window of 50 layers is wider than the model's 3" in w for w in result.warnings)
    plain = run(tiny_gpt2, tiny_tokenizer, prompt="The Eiffel Tower is in", subject="Eiffel Tower")
    assert plain.warnings == []


def test_the_cli_prints_the_warnings_on_stderr_with_json(tiny_model_dir, capsys) -> None:
    code = main(["trace", "--model", str(tiny_model_dir), "--prompt", TWICE, "--subject", "Paris",
                 "--samples", "2", "--window", "50", "--json", "--quiet"])  # fmt: skip
    captured = capsys.readouterr()
    assert code == 0 and len(json.loads(captured.out)["warnings"]) == 2
    assert captured.err.count("workbench-cli: warning:") == 2
