"""The RAG Documents lab (book ch. 6): ingest, chunk, index, retrieve and answer with sources.

The panel holds the views and turns clicks into jobs of ``workbench.core.rag``: the
library and its chunk browser on the left of the work, the chunk settings with a preview
before indexing, the retrieval playground, the evaluation table and Ask on tabs.  Ingest,
query, comparison, ask and evaluation are stored runs that ``show_run`` reopens; listing
the library, showing a document and previews are not.  A job's failure message is shown
in the panel's message line beside the view it concerns.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
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
    IndexKind,
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
from workbench.ui.core_messages import translate_core_message
from workbench.ui.panels.base import Panel
from workbench.ui.panels.rag.ask_view import AskView
from workbench.ui.panels.rag.chunk_browser import ChunkBrowser
from workbench.ui.panels.rag.eval_view import EvalView
from workbench.ui.panels.rag.ingest_box import DEMO_COLLECTION, IngestBox
from workbench.ui.panels.rag.library_tree import LibraryTree
from workbench.ui.panels.rag.playground import Playground
from workbench.ui.settings import application_settings
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.side_column import scrolled, width_follows_text
from workbench.worker import WorkerHost

SETTINGS_GROUP = "rag/chunking"
_ERROR = "color: #d04437;"


class RagPanel(Panel):
    title = QT_TRANSLATE_NOOP("RagPanel", "RAG Documents")
    run_kinds = (
        IngestParams.job_kind,
        QueryParams.job_kind,
        CompareRetrieversParams.job_kind,
        AskParams.job_kind,
        EvalParams.job_kind,
    )
    live_params_type = CompareRetrieversParams

    def __init__(self, host: WorkerHost, parent: QWidget | None = None) -> None:
        super().__init__(host, parent)
        self._model_ready = False
        self._select_after_refresh: str | None = None

        self.library = LibraryTree()
        self.ingest = IngestBox()
        self.browser = ChunkBrowser()
        self.playground = Playground()
        self.evaluation = EvalView()
        self.ask = AskView()
        self.views = QTabWidget()
        for view in (self.browser, self.playground, self.evaluation, self.ask):
            self.views.addTab(view, "")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message.hide()

        self.heading = heading = QLabel()
        heading.setProperty("role", "heading")
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(heading)
        left_layout.addWidget(self.library, 1)
        left_layout.addWidget(self.ingest)
        column = scrolled(left)  # Present mode's text makes the library and ingest taller than 720 pixels
        width_follows_text(column, (340, 16000))  # wider with Present mode's text: buttons not cut
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(column)
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
        self._restore()
        self.retranslate()

    def retranslate(self) -> None:
        for view, text in ((self.browser, self.tr("Chunks")), (self.playground, self.tr("Retrieval playground")),
                           (self.evaluation, self.tr("Evaluation")), (self.ask, self.tr("Ask"))):  # fmt: skip
            self.views.setTabText(self.views.indexOf(view), text)
        self.heading.setText(self.tr("Document library"))

    # -- actions ----------------------------------------------------------------------------
    def refresh_library(self) -> None:
        self.withdraw_queued(ListCollectionsParams)
        self._submit(ListCollectionsParams(), self.tr("List RAG collections"), self._show_library)

    def start_ingest(self, params: IngestParams) -> None:
        """Ingest ``params``; files that might take longer than ``LONG_INGEST_S`` are first
        estimated in the worker, and a long estimate asks before anything starts."""
        if self.running(IngestParams, EstimateIngestParams):
            self.show_problem(self.tr("An ingest is already running; wait for it or cancel it."))
            return
        self._remember()
        if may_be_long(params.paths):
            self.ingest.show_estimating()
            self._submit(
                EstimateIngestParams(params),
                self.tr("Estimate the ingest"),
                lambda estimate: self._on_estimate_finished(params, estimate),
                on_stopped=self._on_ingest_stopped,
                on_failed=self._on_ingest_failed,
            )
            return
        self._start_ingest(params)

    def _start_ingest(self, params: IngestParams) -> None:
        self.ingest.set_running(True)
        count = len(params.paths)
        title = (
            self.tr("Ingest {count} path into {collection}")
            if count == 1
            else self.tr("Ingest {count} paths into {collection}")
        )
        self._submit_ingest(params, title.format(count=count, collection=params.collection))

    def cancel_ingest(self) -> None:
        jobs = self.running(IngestParams, EstimateIngestParams)
        if jobs:
            self.host.cancel(jobs[0])
            self.ingest.show_cancelling()

    def preview(self, params: PreviewChunksParams) -> None:
        self.withdraw_queued(PreviewChunksParams)
        self._submit(params, self.tr("Preview chunks"), lambda layout: self.browser.show_layout(layout, preview=True))
        self.views.setCurrentWidget(self.browser)

    def show_document(self, document_id: int) -> None:
        self.ingest.set_selected_document(document_id)
        self._show_chunks(DocumentChunksParams(document_id))
        self.views.setCurrentWidget(self.browser)

    def open_hit(self, hit: Hit) -> None:
        """Show a retrieved passage in its document: its chunk selected, the query terms marked."""
        self.ingest.set_selected_document(hit.document_id)
        self.library.select_document(hit.document_id)
        self._show_chunks(DocumentChunksParams(hit.document_id), focus=hit)
        self.views.setCurrentWidget(self.browser)

    def search(self, query: str, k: int, index: IndexKind) -> None:
        collection = self._collection_or_problem()
        if collection is None:
            return
        if not query.strip():
            self.show_problem(self.tr("Type a query to search the collection."))
            return
        self.playground.set_busy(True)
        fusion, rerank = self.playground.fusion.currentData(), self.playground.rerank.isChecked()
        params = CompareRetrieversParams(collection, query.strip(), k=k, index=index, fusion=fusion, rerank=rerank)
        self._submit(
            params,
            self.tr("Search {collection}").format(collection=collection),
            self._show_comparison,
            on_stopped=lambda: self.playground.set_busy(False),
        )

    def evaluate(self, queries_path: str) -> None:
        collection = self._collection_or_problem()
        if collection is None:
            return
        if not queries_path:
            self.show_problem(self.tr("Choose a file of labelled questions (.jsonl)."))
            return
        self.evaluation.set_busy(True)
        self._submit(
            EvalParams(collection, queries_path),
            self.tr("Evaluate retrieval on {collection}").format(collection=collection),
            self._show_evaluation,
            on_stopped=lambda: self.evaluation.set_busy(False),
        )

    def ask_question(self, question: str, k: int, retriever: str) -> None:
        collection = self._collection_or_problem()
        if collection is None:
            return
        if not question.strip():
            self.show_problem(self.tr("Type a question to ask."))
            return
        self.ask.set_busy(True)
        params = AskParams(collection, question.strip(), k=k, retriever=retriever)  # type: ignore[arg-type]  # retriever comes from a combo filled with the Literal's values
        self._submit(
            params,
            self.tr("Ask {collection}").format(collection=collection),
            self._show_answer,
            on_stopped=lambda: self.ask.set_busy(False),
        )

    def live_params(self) -> CompareRetrieversParams:
        """The playground's search as set up now (BM25, dense and hybrid side by side, §6.3.3)."""
        bar = self.playground.bar
        return CompareRetrieversParams(
            self._collection_or_problem() or "", self.playground.query.text().strip(), k=bar.k.value(),
            index=bar.choice.currentData(), fusion=self.playground.fusion.currentData(), rerank=self.playground.rerank.isChecked(),
        )  # fmt: skip

    def show_live(self, params: CompareRetrieversParams) -> None:
        self.ingest.collection.setCurrentText(params.collection)
        self.playground.bar.set_query(params.query, params.k, params.index)
        self.playground.fusion.setCurrentIndex(max(0, self.playground.fusion.findData(params.fusion)))
        self.playground.rerank.setChecked(params.rerank)
        self.views.setCurrentWidget(self.playground)

    def run_live(self, params: CompareRetrieversParams) -> None:
        """Search as the step says.  A step on the demo encyclopedia in a project that does not
        have it yet (every bundled chapter-6 lesson in a new project) adds it first: the search
        waits behind the ingest in the worker's queue, so the step shows hits, not an error."""
        self.show_live(params)
        known = {collection.name for collection in self.library.snapshot.collections}
        missing = params.collection == DEMO_COLLECTION and DEMO_COLLECTION not in known
        if missing and not self.running(IngestParams, EstimateIngestParams):
            ingest = self.ingest.demo_params()
            if ingest is None:
                return
            self._start_ingest(ingest)  # a known size (≈ 1 min): no estimate first, so the search queues after it
        self.search(params.query, params.k, params.index)

    def delete_collection(self, name: str) -> None:
        self._submit(
            DeleteCollectionParams(name),
            self.tr("Delete collection {name}").format(name=name),
            lambda _none: self._on_collection_deleted(),
        )

    def remove_document(self, document_id: int) -> None:
        self.ingest.set_running(True)
        self._submit_ingest(RemoveDocumentParams(document_id), self.tr("Remove document"))

    def show_problem(self, message: str) -> None:
        """A sentence about what to do, in the panel's message line (a core message is translated)."""
        self.message.setStyleSheet(_ERROR)
        self.message.setText(translate_core_message(message))
        self.message.show()

    def show_note(self, message: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(message)
        self.message.setVisible(bool(message))

    # -- what comes back ---------------------------------------------------------------------
    def _on_ingested(self, result: IngestResult) -> None:
        """An ingest or a document removal changed a collection: show it in the library."""
        self.ingest.show_result(result)
        self._select_after_refresh = result.collection
        assert result.summary is not None  # a live ingest carries it; only runs stored before it lack one
        self._show_library(self.library.snapshot.with_collection(result.summary))

    def _on_ingest_stopped(self) -> None:
        self.ingest.show_ended(self.tr("Stopped · the collection was left as it was."))

    def _on_ingest_failed(self, message: str) -> None:
        self.ingest.show_ended(self.tr("Failed: {message}").format(message=translate_core_message(message)))

    def _on_collection_deleted(self) -> None:
        self.browser.clear(QT_TRANSLATE_NOOP("RagPanel", "The collection was deleted."))
        self.refresh_library()

    def _show_layout(self, layout: ChunkLayout, focus: Hit | None) -> None:
        self.browser.show_layout(
            layout,
            preview=False,
            focus=None if focus is None else (focus.start, focus.end),
            marks=None if focus is None else [(focus.start + s, focus.start + e) for s, e in focus.matched],
        )

    def _show_comparison(self, result: ComparisonResult) -> None:
        self.playground.set_busy(False)
        self.playground.show_comparison(result)

    def _show_evaluation(self, result: EvalResult) -> None:
        self.evaluation.set_busy(False)
        self.evaluation.show_result(result)

    def _show_answer(self, result: AnswerResult) -> None:
        self.ask.set_busy(False)
        self.ask.show_result(result)

    def on_model_changed(self, info: Any) -> None:
        self._model_ready = info is not None
        self.ask.set_model_ready(info is not None)

    def view_state(self) -> dict[str, Any]:
        """The tabs and the question Ask answered (asked again when restored: a lesson step that
        shows the Ask tab would otherwise show two empty answers)."""
        return super().view_state() | {"ask": self.ask.kept()}

    def restore_view_state(self, state: Mapping[str, Any]) -> None:
        super().restore_view_state(state)
        kept = state.get("ask")
        if not isinstance(kept, Mapping) or not str(kept.get("question") or "").strip():
            return
        question, k, retriever = str(kept["question"]), int(kept.get("k") or 1), str(kept.get("retriever") or "hybrid")
        self.ask.bar.set_query(question, k, retriever)
        if self._model_ready and self.ask.answered() != question:
            self.ask_question(question, k, retriever)

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
            self.show_problem(
                self.tr("Run #{run} ({kind}) {status} without a result to show.").format(
                    run=run.summary.id, kind=kind, status=run.summary.status
                )
            )
            if kind == IngestParams.job_kind and run.params:
                self.ingest.show_ended(
                    self.tr("Run #{run} {status}: {error}").format(
                        run=run.summary.id, status=run.summary.status, error=run.summary.error or ""
                    )
                )

    # -- internals ----------------------------------------------------------------------------
    def _show_library(self, snapshot: LibrarySnapshot) -> None:
        self.ingest.set_collections([c.name for c in snapshot.collections])
        self.library.show_snapshot(snapshot, select=self._select_after_refresh)
        self._select_after_refresh = None

    def _on_collection_selected(self, name: str) -> None:
        collection = self.library.collection(name)
        if collection is not None:
            self.ingest.show_collection_settings(
                collection.name, collection.embedder, collection.chunking, collection.sparse_tokenizer,
                collection.companion,
            )  # fmt: skip
        if self.library.current_document() is None:
            self.ingest.set_selected_document(None)

    def _collection_or_problem(self) -> str | None:
        name = self.ingest.collection_name() or self.library.current_collection()
        if not name:
            self.show_problem(self.tr("Choose a collection in the library first (or add documents to create one)."))
            return None
        return name

    def _on_project_changed(self, path: str) -> None:
        self.browser.clear(
            QT_TRANSLATE_NOOP("RagPanel", "Select a document in the library, or preview chunk settings on a file.")
        )
        if path:
            self.refresh_library()
        else:
            self.library.show_message(
                QT_TRANSLATE_NOOP("RagPanel", "Open or create a project: collections are stored in it.")
            )

    def _submit(
        self,
        params: Any,
        title: str,
        on_result: Callable[[Any], None],
        *,
        on_progress: Callable[[float, str, Any], None] | None = None,
        on_stopped: Callable[[], None] | None = None,
        on_failed: Callable[[str], None] | None = None,
    ) -> int:
        """Submit a job of this lab: a result clears the message line; a failure's message
        is shown in it (beside the view it concerns), and also in the main window's box."""

        def finished(result: Any, _run_id: int | None) -> None:
            self.show_note("")
            on_result(result)

        def failed(message: str) -> None:
            self.show_problem(message)
            if on_failed is not None:
                on_failed(message)

        return self.submit(
            params, title=title, on_result=finished, on_progress=on_progress, on_stopped=on_stopped, on_failed=failed
        )

    def _submit_ingest(self, params: IngestParams | RemoveDocumentParams, title: str) -> None:
        self._submit(
            params,
            title,
            self._on_ingested,
            on_progress=self.ingest.show_progress,
            on_stopped=self._on_ingest_stopped,
            on_failed=self._on_ingest_failed,
        )

    def _show_chunks(self, params: DocumentChunksParams, focus: Hit | None = None) -> None:
        self.withdraw_queued(DocumentChunksParams)
        self._submit(params, self.tr("Show document chunks"), lambda layout: self._show_layout(layout, focus))

    def _on_estimate_finished(self, params: IngestParams, estimate: IngestEstimate) -> None:
        if estimate.long and not self._confirm_long_ingest(estimate):
            self.ingest.show_ended(self.tr("Not started · {estimate}").format(estimate=_estimate_text(estimate)))
            return
        self._start_ingest(params)
        self.show_note(_estimate_text(estimate))

    def _confirm_long_ingest(self, estimate: IngestEstimate) -> bool:
        answer = QMessageBox.question(
            self,
            self.tr("Long ingest"),
            self.tr("This ingest will take about {duration}.\n\n{estimate}.\n\nStart?").format(
                duration=translate_core_message(duration_words(estimate.seconds)), estimate=_estimate_text(estimate)
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _remember(self) -> None:
        settings = application_settings()
        if settings is not None:
            self.ingest.chunking.save(settings, SETTINGS_GROUP)

    def _restore(self) -> None:
        settings = application_settings()
        if settings is not None:
            self.ingest.chunking.restore(settings, SETTINGS_GROUP)


def _estimate_text(estimate: IngestEstimate) -> str:
    """The estimate's sentence in the interface language, piece by piece."""
    return "".join(translate_core_message(part) for part in estimate.summary_parts())
