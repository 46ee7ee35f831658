"""The CLI's options come from the params dataclasses: no default is copied by hand.

Each subcommand's parsed params must equal the dataclass built directly, a value outside a
field's range is refused with one line and exit 2, and every option with a non-trivial
default was generated from a field whose default it is.
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.cli import build_parser, edit, finetune, main, models, perplexity, rag, sample, trace
from workbench.core.editing.params import (
    BatchEditParams,
    EditParams,
    EditRequest,
    ExportEditedModelParams,
    RomeSettings,
    TPatcherSettings,
)
from workbench.core.finetune.params import DataConfig, FinetuneParams, MethodConfig, TrainConfig
from workbench.core.model.library_params import ImportGgufParams, InstallPackParams, KnownFactsParams
from workbench.core.param_fields import describe_fields
from workbench.core.rag.params import AskParams, ChunkSettings, EvalParams, IngestParams, QueryParams
from workbench.core.sampling.params import SamplingParams
from workbench.core.text_metrics import PerplexityParams
from workbench.core.tracing.params import TraceParams

MODEL_OPTIONS = {"model": "demo", "device": "auto", "dtype": "auto"}
"""The model options (``ModelSpec.parse``'s arguments, no job params): the only hand-written
non-trivial defaults."""


def parsers(parser: argparse.ArgumentParser, path: str = "") -> Iterator[tuple[str, argparse.ArgumentParser]]:
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from parsers(child, f"{path} {name}".strip())


def parse(*argv: str) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def field_default(params_type: type, name: str) -> object:
    field = {f.name: f for f in dataclasses.fields(params_type)}[name]
    return field.default_factory() if field.default is dataclasses.MISSING else field.default  # type: ignore[misc]


def test_every_option_default_is_the_dataclass_default() -> None:
    generated = 0
    for path, parser in parsers(build_parser()):
        for action in parser._actions:
            origin = getattr(action, "generated_from", None)
            if origin is None:
                trivial = action.default in (None, False, "", argparse.SUPPRESS) or action.dest == "help"
                assert trivial or MODEL_OPTIONS.get(action.dest) == action.default, (path, action.option_strings)
                continue
            generated += 1
            options, spec = origin
            default = tuple(action.default) if isinstance(action.default, list) else action.default
            if action.required:
                continue
            if options.omittable:
                assert default is None, (path, action.option_strings)
            else:
                assert default == field_default(options.params_type, spec.name), (path, action.option_strings)
    assert generated > 60  # sample, trace, edit, finetune, rag, models, perplexity


def test_sample_params_equal_the_dataclass() -> None:
    assert sample.params_from(parse("sample", "--prompt", "hi")) == SamplingParams(prompt="hi")
    args = parse(
        "sample", "--prompt", "hi", "--strategy", "beam", "--top-k", "3", "--pipeline", "top_k,temperature",
        "--early-stopping", "never", "--stop", "a,b", "--stop", "c", "--ignore-eos", "--seed", "7",
    )  # fmt: skip
    assert sample.params_from(args) == SamplingParams(
        prompt="hi", strategy="beam", top_k=3, pipeline=("top_k", "temperature"), early_stopping="never",
        stop_strings=("a,b", "c"), stop_at_eos=False, seed=7,
    )  # fmt: skip
    assert sample.params_from(parse("sample", "--prompt", "x", "--early-stopping", "true")).early_stopping is True


def test_trace_params_equal_the_dataclass() -> None:
    assert trace.params_from(parse("trace", "--prompt", "p", "--subject", "s")) == TraceParams(prompt="p", subject="s")
    args = parse("trace", "--prompt", "p", "--subject-span", "1", "3", "--kinds", "hidden,mlp", "--window", "2")
    assert trace.params_from(args) == TraceParams(prompt="p", subject_span=(1, 3), kinds=("hidden", "mlp"), window=2)


def test_perplexity_and_finetune_params_equal_the_dataclass() -> None:
    assert perplexity.OPTIONS.build(parse("perplexity", "--text", "t")) == PerplexityParams(text="t")
    args = parse("finetune", "--data", "d.jsonl", "--out", "o", "--lr", "0.001", "--virtual-tokens", "5", "--resume")
    assert finetune.params_from(args) == FinetuneParams(
        method=MethodConfig(num_virtual_tokens=5),
        data=DataConfig(source="d.jsonl"),
        train=TrainConfig(learning_rate=0.001),
        output_dir="o",
        resume=True,
    )


def test_edit_params_equal_the_dataclass() -> None:
    single = edit.params_from(parse("edit", "--case-id", "3"))
    assert single == EditParams(request=EditRequest(case_id=3))
    typed = edit.params_from(
        parse("edit", "--prompt", "{} is in", "--subject", "S", "--target", " T", "--layer", "2", "--steps", "9",
              "--identity-covariance", "--facts", "real_world", "--method", "tpatcher")
    )  # fmt: skip
    assert typed == EditParams(
        method="tpatcher",
        request=EditRequest(prompt="{} is in", subject="S", target_new=" T"),
        rome=RomeSettings(layer=2, v_steps=9, covariance="identity"),
        tpatcher=TPatcherSettings(layer=2, steps=9),
        fact_file="real_world",
    )
    batch = edit.params_from(parse("edit", "--cases", "4", "--language", "zh"))
    assert batch == BatchEditParams(cases=4, language="zh")
    assert edit.SAVE.build(parse("edit", "--case-id", "1", "--save-model", "out")) == ExportEditedModelParams("out")


def test_rag_params_equal_the_dataclass() -> None:
    common = ("--project", "p.wbproj", "--collection", "c")
    args = parse("rag", "query", *common, "--k", "3", "--rerank", "--fusion", "rrf", "what")
    assert rag.QUERY.build(args, collection="c", query="what") == QueryParams("c", "what", 3, rerank=True, fusion="rrf")
    args = parse("rag", "ask", *common, "--no-compare", "why")
    assert rag.ASK.build(args, collection="c", question="why") == AskParams("c", "why", compare_without_retrieval=False)
    args = parse("rag", "eval", *common, "--queries", "q.jsonl", "--retrievers", "bm25", "dense", "--limit", "2")
    assert rag.EVAL.build(args, collection="c") == EvalParams("c", "q.jsonl", ("bm25", "dense"), limit=2)
    plain = parse("rag", "ingest", *common, "a.txt")
    assert rag.INGEST.build(plain, collection="c", chunking=rag.CHUNKING.build_given(plain)) == IngestParams("c")
    sized = parse("rag", "ingest", *common, "--chunk-size", "80", "--sparse", "bigram", "a.txt")
    assert rag.CHUNKING.build_given(sized) == ChunkSettings(size=80)
    assert rag.INGEST.build(sized, collection="c").sparse_tokenizer == "bigram"


def test_models_params_equal_the_dataclass() -> None:
    args = parse("models", "import", "x.gguf", "--dtype", "bf16")
    assert models.IMPORT.build(args, path="x.gguf") == ImportGgufParams(path="x.gguf", dtype="bfloat16")
    args = parse("models", "install", "pack", "--accept-terms")
    assert models.INSTALL.build(args, name="pack") == InstallPackParams(name="pack", accept_terms=True)
    args = parse("models", "known-facts", "m", "--no-store", "--facts", "demo")
    assert models.KNOWN_FACTS.build(args, name="m") == KnownFactsParams(name="m", store=False, fact_file="demo")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sample", "--prompt", "x", "--top-k", "-3"], "--top-k must be at least 0, not -3."),
        (["finetune", "--data", "demo", "--out", "o", "--batch-size", "0"], "--batch-size must be at least 1, not 0."),
        (["edit", "--cases", "0"], "--cases must be at least 1, not 0."),
        (
            ["rag", "eval", "--project", "p", "--collection", "c", "--queries", "q", "--retrievers", "bm25,sparse"],
            "--retrievers: unknown 'sparse'; choose from bm25, dense, hybrid.",
        ),
    ],
)
def test_a_value_out_of_range_is_one_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing may be written, and no model is loaded before the check
    assert main(argv) == 2
    assert capsys.readouterr().err.splitlines() == [f"workbench-cli: error: {message}"]
    assert list(tmp_path.iterdir()) == []


def test_a_bad_choice_exits_2_through_argparse(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["sample", "--prompt", "x", "--early-stopping", "maybe"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'maybe'" in capsys.readouterr().err.splitlines()[-1]


def test_field_descriptions_are_shared_by_form_and_options() -> None:
    specs = {spec.name: spec for spec in describe_fields(SamplingParams)}
    assert specs["early_stopping"].kind == "choice" and specs["early_stopping"].choices == (False, True, "never")
    assert specs["seed"].kind == "int" and specs["seed"].optional
    assert specs["pipeline"].kind == "tuple" and specs["pipeline"].parse_items("top_k, min_p") == ("top_k", "min_p")
    span = {spec.name: spec for spec in describe_fields(TraceParams, ["subject_span"])}["subject_span"]
    assert (span.kind, span.item_type, span.length) == ("tuple", int, 2)
    eval_specs = {spec.name: spec for spec in describe_fields(EvalParams)}
    assert eval_specs["collection"].default is dataclasses.MISSING
    assert eval_specs["retrievers"].choices == ("bm25", "dense", "hybrid")
