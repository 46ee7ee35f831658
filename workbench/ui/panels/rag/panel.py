"""The RAG Documents lab (book ch. 6): ingest, chunk, index, retrieve and answer with sources.

The panel holds the views and turns clicks into jobs of ``workbench.core.rag``: the
library and its chunk browser on the left of the work, the chunk settings with a preview
before indexing, the retrieval playground, the evaluation table and Ask on tabs.  Ingest,
query, comparison, ask and evaluation are stored runs that ``show_run`` reopens; listing
the library, showing a document and previews are not.  A job's failure message is shown
in the panel's message line beside the view it concerns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QSplitter, QTabWidget, QVBoxLayout, QWidget

from workbench.core.rag.estimate import may_be_long
from workbench.core.rag.params import (
    AnswerResult,
    AskParams,
    ChunkLayout,
    CompareRetrieversParams,
    ComparisonResult,
    DeleteCollectionParams,
    DocumentChunksParams,
    EstimateIngestParams,
    EvalParams,
    EvalResult,
    Hit,
    IngestEstimate,
    IngestParams,
    IngestResult,
    LibrarySnapshot,
    ListCollectionsParams,
    PreviewChunksParams,
    QueryParams,
    QueryResult,
    RemoveDocumentParams,
    duration_words,
)
from workbench.ui.panels.base import Panel
from workbench.ui.panels.rag.ask_view import AskView
from workbench.ui.panels.rag.chunk_browser import ChunkBrowser
from workbench.ui.panels.rag.eval_view import EvalView
from workbench.ui.panels.rag.ingest_box import IngestBox
from workbench.ui.panels.rag.library_tree import LibraryTree
from workbench.ui.panels.rag.playground import Playground
from workbench.ui.settings import application_settings
from workbench.ui.widgets.side_column import width_follows_text
from workbench.worker import WorkerHost

SETTINGS_GROUP = "rag/chunking"
_ERROR = "color: #d04437;"


@dataclass
class _Job:
    kind: str
    """library, estimate, ingest, document, preview, compare, eval, ask, delete or remove."""
    focus: Hit | None = None
    """The retrieved passage a document job was opened for."""
    ingest: IngestParams | None = None
    """The ingest an estimate job was started for."""


class RagPanel(Panel):
    title = "RAG Documents"
    run_kinds = (
        IngestParams.job_kind,
        QueryParams.job_kind,
        CompareRetrieversParams.job_kind,
        AskParams.job_kind,
        EvalParams.job_kind,
    )

    def __init__(self, host: WorkerHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self._jobs: dict[int, _Job] = {}
        self._ended: dict[int, _Job] = {}
        self._select_after_refresh: str | None = None

        self.library = LibraryTree()
        self.ingest = IngestBox()
        self.browser = ChunkBrowser()
        self.playground = Playground()
        self.evaluation = EvalView()
        self.ask = AskView()
        self.views = QTabWidget()
        self.views.addTab(self.browser, "Chunks")
        self.views.addTab(self.playground, "Retrieval playground")
        self.views.addTab(self.evaluation, "Evaluation")
        self.views.addTab(self.ask, "Ask")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        heading = QLabel("Document library")
        heading.setProperty("role", "heading")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(heading)
        left_layout.addWidget(self.library, 1)
        left_layout.addWidget(self.ingest)
        width_follows_text(left, (380, 16000))  # wider with Present mode's text: buttons not cut
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.views)
        split.setStretchFactor(1, 1)
        split.setSizes([460, 980])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 10, 10, 10)
        layout.addWidget(split, 1)
        layout.addWidget(self.message)

        self.library.sig_refresh.connect(self.refresh_library)
        self.library.sig_collection_selected.connect(self._on_collection_selected)
        self.library.sig_document_selected.connect(self.show_document)
        self.library.sig_delete_collection.connect(self.delete_collection)
        self.library.sig_remove_document.connect(self.remove_document)
        self.ingest.sig_ingest.connect(self.start_ingest)
        self.ingest.sig_preview.connect(self.preview)
        self.ingest.sig_cancel.connect(self.cancel_ingest)
        self.ingest.sig_problem.connect(self.show_problem)
        self.playground.sig_search.connect(self.search)
        self.evaluation.sig_evaluate.connect(self.evaluate)
        self.ask.sig_ask.connect(self.ask_question)
        for hits in (*self.playground.lists.values(), self.ask.sources):
            hits.sig_hit_activated.connect(self.open_hit)
        host.sig_project_changed.connect(self._on_project_changed)
        host.sig_job_failed.connect(self._on_job_failed_message)
        host.sig_job_cancelled.connect(lambda job_id: self._ended.pop(job_id, None))
        self._restore()

    # -- actions ----------------------------------------------------------------------------
    def refresh_library(self) -> None:
        self._replace_queued("library", ListCollectionsParams(), "List RAG collections")

    def start_ingest(self, params: IngestParams) -> None:
        """Ingest ``params``; files that might take longer than ``LONG_INGEST_S`` are first
        estimated in the worker, and a long estimate asks before anything starts."""
        if self._running("ingest") or self._running("estimate"):
            self.show_problem("An ingest is already running; wait for it or cancel it.")
            return
        self._remember()
        if may_be_long(params.paths):
            self.ingest.show_estimating()
            self._submit(EstimateIngestParams(params), "estimate", "Estimate the ingest", ingest=params)
            return
        self._start_ingest(params)

    def _start_ingest(self, params: IngestParams) -> None:
        self.ingest.set_running(True)
        count = len(params.paths)
        self._submit(params, "ingest", f"Ingest {count} path{'s' * (count != 1)} into {params.collection}")

    def cancel_ingest(self) -> None:
        job_id = self._running("ingest") or self._running("estimate")
        if job_id is not None:
            self.host.cancel(job_id)
            self.ingest.show_cancelling()

    def preview(self, params: PreviewChunksParams) -> None:
        self._replace_queued("preview", params, "Preview chunks")
        self.views.setCurrentWidget(self.browser)

    def show_document(self, document_id: int) -> None:
        self.ingest.set_selected_document(document_id)
        self._replace_queued("document", DocumentChunksParams(document_id), "Show document chunks")
        self.views.setCurrentWidget(self.browser)

    def open_hit(self, hit: Hit) -> None:
        """Show a retrieved passage in its document: its chunk selected, the query terms marked."""
        self.ingest.set_selected_document(hit.document_id)
        self.library.select_document(hit.document_id)
        self._replace_queued("document", DocumentChunksParams(hit.document_id), "Show document chunks", focus=hit)
        self.views.setCurrentWidget(self.browser)

    def search(self, query: str, k: int, index: str) -> None:
        collection = self._collection_or_problem()
        if collection is None:
            return
        if not query.strip():
            self.show_problem("Type a query to search the collection.")
            return
        self.playground.set_busy(True)
        fusion, rerank = self.playground.fusion.currentData(), self.playground.rerank.isChecked()
        params = CompareRetrieversParams(collection, query.strip(), k=k, index=index, fusion=fusion, rerank=rerank)
        self._submit(params, "compare", f"Search {collection}")

    def evaluate(self, queries_path: str) -> None:
        collection = self._collection_or_problem()
        if collection is None:
            return
        if not queries_path:
            self.show_problem("Choose a file of labelled questions (.jsonl).")
            return
        self.evaluation.set_busy(True)
        self._submit(EvalParams(collection, queries_path), "eval", f"Evaluate retrieval on {collection}")

    def ask_question(self, question: str, k: int, retriever: str) -> None:
        collection = self._collection_or_problem()
        if collection is None:
            return
        if not question.strip():
            self.show_problem("Type a question to ask.")
            return
        self.ask.set_busy(True)
        params = AskParams(collection, question.strip(), k=k, retriever=retriever)  # type: ignore[arg-type]
        self._submit(params, "ask", f"Ask {collection}")

    def delete_collection(self, name: str) -> None:
        self._submit(DeleteCollectionParams(name), "delete", f"Delete collection {name}")

    def remove_document(self, document_id: int) -> None:
        self.ingest.set_running(True)
        self._submit(RemoveDocumentParams(document_id), "remove", "Remove document")

    def show_problem(self, message: str) -> None:
        """A sentence about what to do, in the panel's message line."""
        self.message.setStyleSheet(_ERROR)
        self.message.setText(message)
        self.message.show()

    def show_note(self, message: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(message)
        self.message.setVisible(bool(message))

    # -- job hooks --------------------------------------------------------------------------
    def on_job_progress(self, job_id: int, fraction: float, message: str, partial: Any) -> None:
        job = self._jobs.get(job_id)
        if job is not None and job.kind in ("ingest", "remove"):
            self.ingest.show_progress(fraction, message, partial)

    def on_job_finished(self, job_id: int, run_id: int | None, result: Any) -> None:
        job = self._jobs.pop(job_id, None)
        if job is None:
            return
        self.show_note("")
        if job.kind == "library" and isinstance(result, LibrarySnapshot):
            self._show_library(result)
        elif job.kind == "estimate" and isinstance(result, IngestEstimate) and job.ingest is not None:
            self._on_estimate_finished(job.ingest, result)
        elif job.kind in ("ingest", "remove") and isinstance(result, IngestResult):
            self.ingest.show_result(result)
            self._select_after_refresh = result.collection
            assert result.summary is not None  # a live ingest carries it; only runs stored before it lack one
            self._show_library(self.library.snapshot.with_collection(result.summary))
        elif job.kind == "delete":
            self.browser.clear("The collection was deleted.")
            self.refresh_library()
        elif job.kind in ("document", "preview") and isinstance(result, ChunkLayout):
            hit: Hit | None = job.focus
            self.browser.show_layout(
                result,
                preview=job.kind == "preview",
                focus=None if hit is None else (hit.start, hit.end),
                marks=None if hit is None else [(hit.start + s, hit.start + e) for s, e in hit.matched],
            )
        elif job.kind == "compare" and isinstance(result, ComparisonResult):
            self.playground.set_busy(False)
            self.playground.show_comparison(result)
        elif job.kind == "eval" and isinstance(result, EvalResult):
            self.evaluation.set_busy(False)
            self.evaluation.show_result(result)
        elif job.kind == "ask" and isinstance(result, AnswerResult):
            self.ask.set_busy(False)
            self.ask.show_result(result)

    def on_job_ended_without_result(self, job_id: int) -> None:
        job = self._jobs.pop(job_id, None)
        if job is None:
            return
        self._ended[job_id] = job
        if job.kind in ("ingest", "remove", "estimate"):
            self.ingest.show_ended("Stopped · the collection was left as it was.")
        elif job.kind == "compare":
            self.playground.set_busy(False)
        elif job.kind == "eval":
            self.evaluation.set_busy(False)
        elif job.kind == "ask":
            self.ask.set_busy(False)

    def on_model_changed(self, info: Any) -> None:
        self.ask.set_model_ready(info is not None)

    def show_run(self, run: Any) -> None:
        """Reopen a stored ingest report, query, comparison, answer or evaluation."""
        result, kind = run.result, run.summary.kind
        collection = (run.params or {}).get("collection")
        if collection:
            self.ingest.collection.setCurrentText(collection)
        if isinstance(result, IngestResult):
            self.ingest.show_result(result)
        elif isinstance(result, ComparisonResult):
            self.playground.show_comparison(result)
            self.views.setCurrentWidget(self.playground)
        elif isinstance(result, QueryResult):
            self.playground.show_ranking(result)
            self.views.setCurrentWidget(self.playground)
        elif isinstance(result, AnswerResult):
            self.ask.show_result(result)
            self.views.setCurrentWidget(self.ask)
        elif isinstance(result, EvalResult):
            self.evaluation.show_result(result)
            self.views.setCurrentWidget(self.evaluation)
        else:
            self.show_problem(f"Run #{run.summary.id} ({kind}) {run.summary.status} without a result to show.")
            if kind == IngestParams.job_kind and run.params:
                self.ingest.show_ended(f"Run #{run.summary.id} {run.summary.status}: {run.summary.error or ''}")

    # -- internals ----------------------------------------------------------------------------
    def _show_library(self, snapshot: LibrarySnapshot) -> None:
        self.ingest.set_collections([c.name for c in snapshot.collections])
        self.library.show_snapshot(snapshot, select=self._select_after_refresh)
        self._select_after_refresh = None

    def _on_collection_selected(self, name: str) -> None:
        collection = self.library.collection(name)
        if collection is not None:
            self.ingest.show_collection_settings(
                collection.name, collection.embedder, collection.chunking, collection.sparse_tokenizer
            )
        if self.library.current_document() is None:
            self.ingest.set_selected_document(None)

    def _collection_or_problem(self) -> str | None:
        name = self.ingest.collection_name() or self.library.current_collection()
        if not name:
            self.show_problem("Choose a collection in the library first (or add documents to create one).")
            return None
        return name

    def _on_project_changed(self, path: str) -> None:
        self.browser.clear("Select a document in the library, or preview chunk settings on a file.")
        if path:
            self.refresh_library()
        else:
            self.library.show_message("Open or create a project: collections are stored in it.")

    def _on_job_failed_message(self, job_id: int, message: str, _details: str) -> None:
        job = self._ended.pop(job_id, None)
        if job is not None:
            self.show_problem(message)
            if job.kind in ("ingest", "remove", "estimate"):
                self.ingest.show_ended(f"Failed: {message}")

    def _submit(
        self, params: Any, kind: str, title: str, focus: Hit | None = None, ingest: IngestParams | None = None
    ) -> int:
        job_id = self.submit(params, title)
        self._jobs[job_id] = _Job(kind, focus, ingest)
        return job_id

    def _on_estimate_finished(self, params: IngestParams, estimate: IngestEstimate) -> None:
        if estimate.long and not self._confirm_long_ingest(estimate):
            self.ingest.show_ended(f"Not started · {estimate.summary()}")
            return
        self._start_ingest(params)
        self.show_note(estimate.summary())

    def _confirm_long_ingest(self, estimate: IngestEstimate) -> bool:
        answer = QMessageBox.question(
            self,
            "Long ingest",
            f"This ingest will take about {duration_words(estimate.seconds)}.\n\n{estimate.summary()}.\n\nStart?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _replace_queued(self, kind: str, params: Any, title: str, focus: Hit | None = None) -> None:
        """Submit ``params``, cancelling an older job of ``kind`` that has not started yet."""
        self.cancel_queued(self._jobs, kind)
        self._submit(params, kind, title, focus)

    def _running(self, kind: str) -> int | None:
        return next((job_id for job_id, job in self._jobs.items() if job.kind == kind), None)

    def _remember(self) -> None:
        settings = application_settings()
        if settings is not None:
            self.ingest.chunking.save(settings, SETTINGS_GROUP)

    def _restore(self) -> None:
        settings = application_settings()
        if settings is not None:
            self.ingest.chunking.restore(settings, SETTINGS_GROUP)
