"""``workbench-cli rag …``: ingest, query, ask and evaluate collections stored in a project.

rag ingest --project P --collection C [--embedder E --companion-embedder E2 --chunk-size N --overlap N] [--yes] PATH…
rag query  --project P --collection C --k K [--retriever dense|bm25|hybrid] [--fusion convex|rrf] TEXT --json
rag ask    --project P --collection C [model options] QUESTION --json
rag eval   --project P --collection C --queries FILE --json
rag list   --project P --json
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench.base.errors import ProjectError, WorkbenchError
from workbench.base.jobs import CancelToken, JobContext, Progress
from workbench.cli._common import add_model_options, add_output_options, emit, load_context, progress_for, run_job
from workbench.cli._params_options import ParamsOptions
from workbench.core.rag.params import (
    BY_MEANING,
    LONG_INGEST_S,
    AskParams,
    ChunkSettings,
    Citation,
    EstimateIngestParams,
    EvalParams,
    IngestEstimate,
    IngestParams,
    ListCollectionsParams,
    QueryParams,
    duration_words,
)

if TYPE_CHECKING:
    from workbench.core.context import CoreContext

INGEST = ParamsOptions(IngestParams, ["embedder", "companion_embedder", "sparse_tokenizer"])
CHUNKING = ParamsOptions(ChunkSettings, ["method", "size", "overlap"], omittable=True)
QUERY = ParamsOptions(QueryParams, ["k", "retriever", "index", "rerank", "fusion"])
ASK = ParamsOptions(
    AskParams, ["k", "retriever", "index", "template", "max_new_tokens", "compare_without_retrieval", "fusion"]
)
EVAL = ParamsOptions(EvalParams, ["queries_path", "retrievers", "indexes", "embedders", "limit", "fusion"])


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("rag", help="retrieval-augmented generation over a project's collections")
    commands = parser.add_subparsers(dest="rag_command", required=True, metavar="ACTION")

    ingest = _command(commands, "ingest", "add files and folders to a collection and index it", _ingest)
    ingest.add_argument("--create", action="store_true", help="create the project file if it does not exist")
    INGEST.add_to(ingest)
    CHUNKING.add_to(ingest)
    ingest.add_argument(
        "--yes", action="store_true",
        help=f"start even when the estimate says it takes longer than {LONG_INGEST_S / 60:.0f} min",
    )  # fmt: skip
    ingest.add_argument("paths", nargs="+", metavar="PATH")

    query = _command(commands, "query", "rank a collection's chunks for a query", _query)
    QUERY.add_to(query)
    add_model_options(query)
    query.add_argument("text", metavar="TEXT")

    ask = _command(commands, "ask", "answer a question with retrieved chunks on a language model", _ask)
    ASK.add_to(ask)
    add_model_options(ask)
    ask.add_argument("question", metavar="QUESTION")

    evaluate = _command(commands, "eval", "recall@k and MRR@10 over a labelled query file", _eval)
    EVAL.add_to(evaluate)

    listing = commands.add_parser("list", help="collections and their documents")
    listing.add_argument("--project", required=True, help="the project file (*.wbproj)")
    add_output_options(listing)
    listing.set_defaults(handler=_list)


def _command(commands: argparse._SubParsersAction, name: str, help_text: str, handler: Any) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=help_text)
    parser.add_argument("--project", required=True, help="the project file (*.wbproj)")
    parser.add_argument("--collection", required=True)
    add_output_options(parser)
    parser.set_defaults(handler=handler)
    return parser


def _context(args: argparse.Namespace, *, model: bool = False, create: bool = False) -> CoreContext:
    from workbench.core.rag import threads
    from workbench.store import RagLibrary
    from workbench.store.project import ProjectStore

    threads.set_wait_policy_env()  # before torch, faiss or an embedder loads its OpenMP runtime
    path = _project_path(args, create)
    store = ProjectStore.open_or_create(path) if create else ProjectStore.open(path)
    try:
        if model:  # an unknown collection fails before the model spends seconds loading
            RagLibrary.for_store(store).collection(args.collection)
        ctx: CoreContext = load_context(args) if model else JobContext()
    except BaseException:
        store.close()
        raise
    ctx.store = store
    return ctx


def _project_path(args: argparse.Namespace, create: bool) -> Path:
    path = Path(args.project).expanduser()
    if not path.exists() and not create:
        hint = " (add --create to make a new one)" if args.rag_command == "ingest" else ""
        raise ProjectError(f"The project file {path} does not exist{hint}.")
    return path


def _run(ctx: CoreContext, params: Any, args: argparse.Namespace) -> Any:
    import workbench.core.rag.jobs  # noqa: F401  (registers the jobs run_job runs; torch loads only now)

    try:
        return run_job(params, ctx, progress_for(args), CancelToken())
    finally:
        if ctx.store is not None:
            ctx.store.close()


def _ingest(args: argparse.Namespace) -> int:
    params: IngestParams = INGEST.build(
        args, collection=args.collection, paths=tuple(args.paths), chunking=CHUNKING.build_given(args)
    )
    estimate = _estimate(args, params)
    if not args.quiet:
        print(estimate.summary(), file=sys.stderr, flush=True)
    if estimate.long and not args.yes:
        print(
            f"Not started: this ingest would take about {duration_words(estimate.seconds)}; add --yes to start it.",
            file=sys.stderr,
        )
        return 2
    result = _run(_context(args, create=args.create), params, args)
    lines = [f"{r.status:>10}  {r.path}" + (f"  ({r.message})" if r.message else "") for r in result.files]
    lines.append(
        f"{result.collection}: {result.documents} documents, {result.chunks} chunks ({result.encoded} encoded "
        f"with {result.embedder} in {result.encode_s:.1f} s), indexes {', '.join(result.indexes)}"
        + (f", companion {result.summary.companion}" if result.summary and result.summary.companion else "")
    )
    emit(args, result, "\n".join(lines))
    failed = [r for r in result.files if r.status in ("failed", "skipped")]
    if failed and len(failed) == len(result.files):
        first = f": {failed[0].path}: {failed[0].message}" if failed[0].message else ""
        raise IngestFailed(f"None of the {len(failed)} file(s) could be ingested{first}")
    return 0


def _estimate(args: argparse.Namespace, params: IngestParams) -> IngestEstimate:
    """The ingest's estimate, reading the project (if it exists) without changing it: a
    refused ingest leaves no new project file behind."""
    from workbench.core.rag import threads
    from workbench.store.project import ProjectStore

    threads.set_wait_policy_env()  # before an embedder loads its OpenMP runtime for the probe
    import workbench.core.rag.jobs  # noqa: F401  (registers the estimate job run_job runs)

    path = _project_path(args, args.create)
    ctx: CoreContext = JobContext()
    if path.exists():
        ctx.store = ProjectStore.open(path, read_only=True)
    try:
        return run_job(EstimateIngestParams(params), ctx, Progress(), CancelToken())
    finally:
        if ctx.store is not None:
            ctx.store.close()


class IngestFailed(WorkbenchError):
    """Every input of ``rag ingest`` failed: the command exits non-zero (it reported success)."""


def _query(args: argparse.Namespace) -> int:
    params: QueryParams = QUERY.build(args, collection=args.collection, query=args.text)
    result = _run(_context(args, model=params.rerank), params, args)
    lines = [f"{h.rank}. [{h.score:.4f}] {h.document} {h.start}:{h.end}  {_one_line(h.text)}" for h in result.results]
    emit(args, result, "\n".join(lines) or "no results")
    return 0


def _ask(args: argparse.Namespace) -> int:
    params: AskParams = ASK.build(args, collection=args.collection, question=args.question)
    result = _run(_context(args, model=True), params, args)
    text = f"answer: {result.answer}"
    text += "".join(f"\n  {_citation_line(result.answer, c)}" for c in result.citations)
    if result.answer_without_retrieval is not None:
        text += f"\nwithout retrieval: {result.answer_without_retrieval}"
    text += "\nsources:" if result.sources else ""
    text += "".join(f"\n  [{h.rank}] {h.document} {h.start}:{h.end}  {_one_line(h.text)}" for h in result.sources)
    emit(args, result, text)
    return 0


def _citation_line(answer: str, citation: Citation) -> str:
    """``“Anoda is in Ensia.”  [1] chunk #12, chars 40–83 (by shared words, support 1.00)``: one sentence,
    where it came from and which rule found it (``by meaning, similarity 0.67`` across languages)."""
    sentence = _one_line(answer[citation.start : citation.end], 60)
    support = citation.support
    if support is None:
        return f"“{sentence}”  no source found"
    found = (
        f"by meaning, similarity {support.score:.2f}"
        if support.rule == BY_MEANING
        else f"by shared words, support {support.score:.2f}"
    )
    return f"“{sentence}”  [{support.rank}] chunk #{support.chunk_id}, chars {support.start}–{support.end} ({found})"


def _eval(args: argparse.Namespace) -> int:
    params: EvalParams = EVAL.build(
        args, collection=args.collection, queries_path=str(Path(args.queries_path).expanduser())
    )
    result = _run(_context(args), params, args)
    wide = max([17, *(len(r.embedder) for r in result.rows)])  # "e5-small + use-multilingual" with a companion
    header = f"{'retriever':9} {'embedder':{wide}} {'index':5} {'group':6} {'n':>4} {'R@1':>5} {'R@5':>5} {'R@10':>5} {'MRR@10':>6} {'p95 ms':>7}"
    lines = [header] + [
        f"{r.retriever:9} {r.embedder:{wide}} {r.index:5} {r.group:6} {r.questions:4d} {r.recall_at_1:5.3f} "
        f"{r.recall_at_5:5.3f} {r.recall_at_10:5.3f} {r.mrr_at_10:6.3f} {r.latency_ms_p95:7.1f}"
        for r in result.rows
    ]
    lines += [f"skipped: {s}" for s in result.skipped]
    emit(args, result, "\n".join(lines))
    return 0


def _list(args: argparse.Namespace) -> int:
    result = _run(_context(args), ListCollectionsParams(), args)
    lines = []
    for collection in result.collections:
        lines.append(
            f"{collection.name}: {collection.embedder}"
            + (f" + {collection.companion}" if collection.companion else "")
            + f", {len(collection.documents)} documents, {collection.chunks} chunks"
        )
        lines += [f"  {d.status:8} {d.name} ({d.chunks} chunks) {d.message}" for d in collection.documents]
    emit(args, result, "\n".join(lines) or "no collections")
    return 0


def _one_line(text: str, width: int = 100) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"
