"""Ingest into a real project file: per-file outcomes, replacement, and indexes that reopen."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from workbench.base.errors import InvalidParameters, JobCancelled
from workbench.base.jobs import CancelToken, JobContext, Progress, run_job
from workbench.core.rag import ingest as ingest_module
from workbench.core.rag import jobs
from workbench.core.rag.params import (
    ChunkSettings,
    CompareRetrieversParams,
    DocumentChunksParams,
    EstimateIngestParams,
    IngestParams,
    ListCollectionsParams,
    PreviewChunksParams,
    QueryParams,
    RemoveDocumentParams,
)
from workbench.core.rag.retrieval import CollectionIndex
from workbench.store import RagLibrary, array_from_bytes
from workbench.store.project import ProjectStore

FILES = Path(__file__).parent / "rag_files"
SMALL = ChunkSettings("sentences", 80, 20)


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(FILES, folder)
    (folder / "giraffe_en_copy.md").write_bytes((FILES / "giraffe_en.md").read_bytes())
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    (folder / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    return folder


@pytest.fixture()
def ctx(tmp_path: Path):  # type: ignore[no-untyped-def]
    store = ProjectStore.create(tmp_path / "rag.wbproj")
    yield JobContext(store=store)
    store.close()


def run(ctx: JobContext, params, progress: Progress | None = None, cancel: CancelToken | None = None):  # type: ignore[no-untyped-def]
    return run_job(params, ctx, progress or Progress(), cancel or CancelToken())


def test_each_file_gets_an_outcome_and_the_batch_goes_on(ctx: JobContext, corpus: Path) -> None:
    result = run(ctx, IngestParams("notes", (str(corpus),), "e5-small", SMALL))
    status = {Path(f.path).name: f.status for f in result.files}
    assert status == {
        "broken.pdf": "failed",
        "giraffe_en_copy.md": "duplicate",
        "giraffe_en.md": "added",
        "lumora.html": "added",
        "photo.jpg": "skipped",  # a type no loader reads, found in the folder: not the ingest's failure
        "zebra_zh.md": "added",
    }
    assert result.documents == 3 and result.chunks == result.encoded > 3
    assert result.indexes == ["flat", "bm25", "hnsw"]
    library = run(ctx, ListCollectionsParams()).collections[0]
    stored = {d.name: d for d in library.documents}
    assert stored["broken.pdf"].status == "failed" and "PDF" in stored["broken.pdf"].message
    assert stored["zebra_zh.md"].language == "zh" and stored["giraffe_en.md"].language == "en"
    assert sum(d.chunks for d in library.documents) == library.chunks == result.chunks


def test_a_file_of_an_unreadable_type_fails_when_given_itself_and_is_skipped_inside_a_folder(
    ctx: JobContext, corpus: Path
) -> None:
    result = run(
        ctx, IngestParams("photos", (str(corpus / "photo.jpg"), str(corpus / "zebra_zh.md")), "e5-small", SMALL)
    )
    status = {Path(f.path).name: (f.status, f.message) for f in result.files}
    assert status["photo.jpg"][0] == "failed" and ".jpg files are not supported" in status["photo.jpg"][1]
    assert status["zebra_zh.md"][0] == "added"


def test_stored_chunks_are_offsets_into_the_original_document(ctx: JobContext, corpus: Path) -> None:
    run(ctx, IngestParams("notes", (str(corpus / "zebra_zh.md"),), "e5-small", SMALL))
    document = run(ctx, ListCollectionsParams()).collections[0].documents[0]
    layout = run(ctx, DocumentChunksParams(document.id))
    original = (FILES / "zebra_zh.md").read_text(encoding="utf-8")
    assert layout.text == original
    preview = run(ctx, PreviewChunksParams(SMALL, path=str(corpus / "zebra_zh.md")))
    np.testing.assert_array_equal(layout.starts, preview.starts)
    np.testing.assert_array_equal(layout.ends, preview.ends)
    assert np.any(layout.starts[1:] < layout.ends[:-1])  # sentences overlap


def test_a_reopened_project_answers_queries_without_encoding_any_chunk(
    ctx: JobContext, corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(ctx, IngestParams("notes", (str(corpus),), "e5-small", SMALL))
    ctx.store.close()  # type: ignore[union-attr]

    def no_encoding(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("chunks were encoded again")

    monkeypatch.setattr(ingest_module, "encode_in_batches", no_encoding)
    monkeypatch.setattr(jobs, "encode_in_batches", no_encoding)
    reopened = JobContext(store=ProjectStore.open(tmp_path / "rag.wbproj"))
    try:
        index = CollectionIndex.open(RagLibrary.for_store(reopened.store), "notes")  # type: ignore[arg-type]
        assert ("hnsw", "*") in index.dense["e5-small"].indexes  # read back, not rebuilt (one partition: few chunks)
        comparison = run(reopened, CompareRetrieversParams("notes", "斑马是什么颜色的？", k=2))
        for retriever, ranking in comparison.rankings.items():
            top = ranking.results[0]
            assert top.document == "zebra_zh.md", retriever
            source = (FILES / top.document).read_text(encoding="utf-8")
            assert source[top.start : top.end] == top.text
        hnsw = run(reopened, QueryParams("notes", "Where does the giraffe live?", k=1, retriever="dense", index="hnsw"))
        assert hnsw.results[0].document == "giraffe_en.md"
        bm25 = comparison.rankings["bm25"].results[0]
        assert "斑马" in [bm25.text[a:b] for a, b in bm25.matched]
    finally:
        reopened.store.close()  # type: ignore[union-attr]


def test_changed_files_replace_their_chunks_and_unchanged_ones_cost_nothing(ctx: JobContext, corpus: Path) -> None:
    run(ctx, IngestParams("notes", (str(corpus),), "e5-small", SMALL))
    again = run(ctx, IngestParams("notes", (str(corpus),)))
    assert again.encoded == 0
    assert {f.status for f in again.files} <= {"unchanged", "duplicate", "failed", "skipped"}
    (corpus / "lumora.html").write_text(
        "<h1>Lumora</h1><p>Lumora now exports tulips to Nordhavn.</p>", encoding="utf-8"
    )
    changed = run(ctx, IngestParams("notes", (str(corpus / "lumora.html"),)))
    assert [f.status for f in changed.files] == ["replaced"]
    assert 0 < changed.encoded < changed.chunks  # only the new document's chunks were encoded
    hits = run(ctx, QueryParams("notes", "tulips", k=3, retriever="bm25")).results
    assert hits and "tulips" in hits[0].text
    assert not run(ctx, QueryParams("notes", "shipbuilding", k=3, retriever="bm25")).results


def test_new_chunk_settings_rechunk_every_document(ctx: JobContext, corpus: Path) -> None:
    first = run(ctx, IngestParams("notes", (str(corpus),), "e5-small", SMALL))
    coarse = run(ctx, IngestParams("notes", (), chunking=ChunkSettings("headings", 1000, 0)))
    assert coarse.chunks < first.chunks and coarse.encoded == coarse.chunks
    assert run(ctx, ListCollectionsParams()).collections[0].chunking == ChunkSettings("headings", 1000, 0)


def test_cancelling_an_ingest_leaves_the_project_unchanged(ctx: JobContext, corpus: Path) -> None:
    run(ctx, IngestParams("notes", (str(corpus / "giraffe_en.md"),), "e5-small", SMALL))
    before = run(ctx, ListCollectionsParams())
    cancel = CancelToken()

    def cancel_while_encoding(fraction: float, message: str, partial: object) -> None:
        if message.startswith("Encoding"):
            cancel.cancel()

    with pytest.raises(JobCancelled):
        run(ctx, IngestParams("notes", (str(corpus),)), Progress(cancel_while_encoding, min_interval=0), cancel)
    assert run(ctx, ListCollectionsParams()) == before


def test_ingest_reports_throughput_and_eta_while_encoding(ctx: JobContext, corpus: Path) -> None:
    partials = []
    progress = Progress(lambda f, m, p: partials.append(p) if p is not None else None, min_interval=0)
    run(ctx, IngestParams("notes", (str(corpus),), "e5-small", SMALL, batch_size=2), progress)
    assert len(partials) >= 2
    last = partials[-1]
    assert last.chunks_encoded == last.chunks_total and last.chunks_per_s > 0 and last.eta_s == 0


def test_removing_a_document_reindexes_without_it(ctx: JobContext, corpus: Path) -> None:
    run(ctx, IngestParams("notes", (str(corpus),), "e5-small", SMALL))
    zebra = next(d for d in run(ctx, ListCollectionsParams()).collections[0].documents if d.name == "zebra_zh.md")
    result = run(ctx, RemoveDocumentParams(zebra.id))
    assert result.encoded == 0
    hits = run(ctx, QueryParams("notes", "斑马", k=5, retriever="hybrid")).results
    assert all(h.document != "zebra_zh.md" for h in hits)


def test_every_ingest_returns_its_collection_as_the_library_then_reads_it(ctx: JobContext, corpus: Path) -> None:
    """The panel shows ``IngestResult.summary`` instead of asking for the library again."""

    def library_after(result) -> None:  # type: ignore[no-untyped-def]
        listed = {c.name: c for c in run(ctx, ListCollectionsParams()).collections}
        assert result.summary == listed[result.collection]

    library_after(run(ctx, IngestParams("notes", (str(corpus),), "e5-small", SMALL)))
    library_after(run(ctx, IngestParams("notes", (str(corpus),))))  # nothing new
    (corpus / "lumora.html").write_text("<h1>Lumora</h1><p>Lumora exports tulips.</p>", encoding="utf-8")
    library_after(run(ctx, IngestParams("notes", (str(corpus / "lumora.html"),))))  # replaced
    library_after(run(ctx, IngestParams("notes", (), chunking=ChunkSettings("headings", 1000, 0))))  # re-chunked
    library_after(run(ctx, IngestParams("other", (str(corpus / "zebra_zh.md"),), "e5-small", SMALL)))
    zebra = next(d for d in run(ctx, ListCollectionsParams()).collections[0].documents if d.name == "zebra_zh.md")
    library_after(run(ctx, RemoveDocumentParams(zebra.id)))


def test_an_opened_collection_is_kept_on_the_job_context_until_its_revision_changes(
    ctx: JobContext, corpus: Path
) -> None:
    run(ctx, IngestParams("notes", (str(corpus / "giraffe_en.md"),), "e5-small", SMALL))
    opened = jobs.open_collection(ctx, "notes")
    assert jobs.open_collection(ctx, "notes") is opened
    assert jobs.open_collection(JobContext(store=ctx.store), "notes") is not opened  # another context: its own
    run(ctx, IngestParams("notes", (str(corpus / "zebra_zh.md"),)))
    assert jobs.open_collection(ctx, "notes").collection.revision == opened.collection.revision + 1


def test_unknown_collections_and_empty_queries_are_refused(ctx: JobContext, corpus: Path) -> None:
    with pytest.raises(InvalidParameters, match="no collection named 'nope'"):
        run(ctx, QueryParams("nope", "anything"))
    run(ctx, IngestParams("notes", (str(corpus / "giraffe_en.md"),), "e5-small", SMALL))
    with pytest.raises(InvalidParameters, match="empty"):
        run(ctx, QueryParams("notes", "   "))


def test_a_killed_ingest_resumes_from_its_encoded_batches_and_ends_as_an_uninterrupted_one(
    tmp_path: Path, corpus: Path
) -> None:
    from workbench.core.rag.checkpoint import folder_for

    files = (str(corpus / "giraffe_en.md"), str(corpus / "zebra_zh.md"))
    params = IngestParams("notes", files, "e5-small", SMALL, batch_size=2)
    whole = JobContext(store=ProjectStore.create(tmp_path / "whole.wbproj"))
    broken = JobContext(store=ProjectStore.create(tmp_path / "broken.wbproj"))
    try:
        run(whole, params)
        cancel = CancelToken()

        def stop_after_two_batches(fraction: float, message: str, partial: object) -> None:
            if partial is not None and partial.chunks_encoded >= 4:
                cancel.cancel()  # as a kill would: the batches encoded so far are on disk

        with pytest.raises(JobCancelled):
            run(broken, params, Progress(stop_after_two_batches, min_interval=0), cancel)
        folder = folder_for(broken.store.path, "notes")
        assert len(list(folder.glob("part-*.npz"))) == 2
        assert run(broken, ListCollectionsParams()).collections == []  # nothing committed

        messages: list[str] = []
        resumed = run(broken, params, Progress(lambda f, m, p: messages.append(m), min_interval=0))
        assert resumed.encoded == resumed.chunks - 4 > 0
        assert any(m.startswith("Resuming: 4 chunks") for m in messages)
        assert not folder.exists()
        libraries = [RagLibrary.for_store(c.store) for c in (whole, broken)]
        first, second = (lib.index(lib.collection("notes").id, "embeddings", "e5-small") for lib in libraries)
        assert len(first.chunk_ids) == len(second.chunk_ids)
        np.testing.assert_array_equal(first.chunk_ids - first.chunk_ids[0], second.chunk_ids - second.chunk_ids[0])
        np.testing.assert_allclose(array_from_bytes(first.blob), array_from_bytes(second.blob), atol=1e-5)
        texts = [CollectionIndex.open(lib, "notes").texts for lib in libraries]
        assert texts[0] == texts[1]
    finally:
        whole.store.close()
        broken.store.close()


def test_chunks_are_labelled_with_their_own_language_not_their_documents(ctx: JobContext, tmp_path: Path) -> None:
    book = tmp_path / "book.md"
    chinese = "斑马生活在非洲草原上，身上有黑白相间的条纹。" * 6
    references = "References. Tom Brown et al. Language models are few-shot learners. In NeurIPS 2020. " * 3
    book.write_text(f"# 斑马\n\n{chinese}\n\n{references}\n", encoding="utf-8")
    run(ctx, IngestParams("book", (str(book),), "e5-small", SMALL))
    library = RagLibrary.for_store(ctx.store)
    index = CollectionIndex.open(library, "book")
    assert index.documents[int(index.chunks.document_ids[0])].language == "zh"
    by_language = {
        language: [t for t, lang in zip(index.texts, index.languages) if lang == language] for language in ("en", "zh")
    }
    assert by_language["en"] and all("Language models" in t or "References" in t for t in by_language["en"])
    assert by_language["zh"] and all("斑马" in t for t in by_language["zh"])
    assert "languages" not in run(ctx, ListCollectionsParams()).collections[0].indexes


_KILLED_INGEST = """
import os, signal, sys
from workbench.base.jobs import CancelToken, JobContext, Progress
from workbench.core.rag import jobs
from workbench.core.rag.params import ChunkSettings, IngestParams
from workbench.store.project import ProjectStore

def die(fraction, message, partial):
    if partial is not None and partial.chunks_encoded >= 4:
        os.kill(os.getpid(), signal.SIGKILL)

ctx = JobContext(store=ProjectStore.create(sys.argv[1]))
params = IngestParams("notes", tuple(sys.argv[2:]), "e5-small", ChunkSettings("sentences", 80, 20), batch_size=2)
jobs.ingest_job(ctx, params, Progress(die, min_interval=0), CancelToken())
"""


def test_an_ingest_killed_with_sigkill_resumes_on_the_next_run(tmp_path: Path, corpus: Path) -> None:
    import subprocess
    import sys

    from workbench.core.rag.checkpoint import folder_for

    project = tmp_path / "killed.wbproj"
    files = [str(corpus / "giraffe_en.md"), str(corpus / "zebra_zh.md")]
    died = subprocess.run([sys.executable, "-c", _KILLED_INGEST, str(project), *files], timeout=300)
    assert died.returncode == -9
    assert len(list(folder_for(project, "notes").glob("part-*.npz"))) == 2
    ctx = JobContext(store=ProjectStore.open(project))
    try:
        params = IngestParams("notes", tuple(files), "e5-small", SMALL, batch_size=2)
        estimate = run(ctx, EstimateIngestParams(params))
        assert estimate.resumed == 4 and "4 of them encoded by an interrupted ingest" in estimate.summary()
        result = run(ctx, params)
        assert result.encoded == result.chunks - 4 > 0
        assert not folder_for(project, "notes").exists()
    finally:
        ctx.store.close()


def test_a_checkpoint_that_cannot_be_written_does_not_stop_the_encoding(tmp_path: Path) -> None:
    from workbench.core.rag.checkpoint import EncodeCheckpoint

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the checkpoint folder would go")
    saved = EncodeCheckpoint(blocker / "key")
    saved.add(["k"], np.ones((1, 4), np.float32))
    assert saved.disabled and saved.load() == {} and saved.count() == 0
