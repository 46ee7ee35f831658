"""Adding documents: target collection, embedder and chunk settings, preview, progress, report.

The chunk settings are the core's ``ChunkSettings`` through ``ParamForm``; "Preview"
chunks a file (or the selected document) with them before anything is indexed.  While an
ingest runs the bar shows chunks encoded, chunks per second and the time left from the
job's ``IngestProgress`` snapshots, and Cancel leaves the collection as it was (the core
writes everything in one transaction at the end).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from workbench.core.paths import DEMO_WORLD_DIR
from workbench.core.rag.params import (
    DEFAULT_EMBEDDER,
    EMBEDDERS,
    ChunkSettings,
    IngestParams,
    IngestProgress,
    IngestResult,
    PreviewChunksParams,
)
from workbench.ui.widgets.param_form import ParamForm

DEMO_COLLECTION = "demo-encyclopedia"
DEMO_FOLDER = DEMO_WORLD_DIR / "encyclopedia"
FILE_FILTER = "Documents (*.txt *.md *.markdown *.html *.htm *.pdf *.docx);;All files (*)"
_EMBEDDER_HELP = {
    "e5-small": "multilingual-E5-small: Chinese, English and cross-lingual (default)",
    "use-multilingual": "multilingual Universal Sentence Encoder: Chinese and English",
    "minilm": "all-MiniLM-L6-v2: English only, fastest",
}
_CHUNK_OPTIONS = {
    "method": {"label": "Chunk by", "help": "characters, tokens, sentences (。！？ . ! ?) or markdown headings"},
    "size": {"label": "Size", "min": 20, "max": 20000, "step": 20, "help": "characters (tokens for 'tokens')"},
    "overlap": {"label": "Overlap", "min": 0, "max": 10000, "step": 10, "help": "shared with the next chunk"},
}
_OUTCOMES_SHOWN = ("failed", "duplicate", "unchanged", "replaced", "rechunked", "removed")


class IngestBox(QGroupBox):
    sig_ingest = Signal(object)  # IngestParams
    sig_preview = Signal(object)  # PreviewChunksParams
    sig_cancel = Signal()
    sig_problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Add documents", parent)
        self.collection = QComboBox()
        self.collection.setEditable(True)
        self.collection.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.collection.lineEdit().setPlaceholderText("new or existing collection")
        self.embedder = QComboBox()
        self.embedder.setEditable(True)  # a sentence-transformers folder works too
        for name in EMBEDDERS:
            self.embedder.addItem(name)
            self.embedder.setItemData(self.embedder.count() - 1, _EMBEDDER_HELP.get(name, ""), 3)
        self.embedder.setCurrentText(DEFAULT_EMBEDDER)
        self.embedder.setToolTip("Encodes the chunks for dense retrieval; any sentence-transformers folder by path.")
        self.sparse = QComboBox()
        self.sparse.addItem("jieba words", "jieba")
        self.sparse.addItem("character bigrams", "bigram")
        self.sparse.setToolTip("How BM25 cuts Chinese text; English words are lower-cased and stemmed either way.")
        self.chunking = ParamForm(ChunkSettings, overrides=_CHUNK_OPTIONS)
        form = QFormLayout()
        form.addRow("Collection", self.collection)
        form.addRow("Embedder", self.embedder)
        form.addRow("BM25 tokens", self.sparse)

        self.add_files_button = QPushButton("Add files…")
        self.add_folder_button = QPushButton("Add folder…")
        self.add_files_button.setProperty("role", "primary")
        self.demo_button = QPushButton("Demo encyclopedia")
        self.demo_button.setToolTip(f"Ingest {DEMO_FOLDER} (Chinese and English articles) into '{DEMO_COLLECTION}'.")
        self.preview_file_button = QPushButton("Preview on a file…")
        self.preview_document_button = QPushButton("Preview on selected document")
        self.preview_document_button.setEnabled(False)
        buttons = QGridLayout()
        # two columns, not three: with Present mode's text, three buttons in a row need more
        # than a 1280-pixel screen leaves the library beside the document view
        buttons.addWidget(self.add_files_button, 0, 0)
        buttons.addWidget(self.add_folder_button, 0, 1)
        buttons.addWidget(self.demo_button, 1, 0)
        buttons.addWidget(self.preview_file_button, 1, 1)
        buttons.addWidget(self.preview_document_button, 2, 0, 1, 2)
        self.add_files_button.clicked.connect(self._on_add_files)
        self.add_folder_button.clicked.connect(self._on_add_folder)
        self.demo_button.clicked.connect(self._on_demo)
        self.preview_file_button.clicked.connect(self._on_preview_file)
        self.preview_document_button.clicked.connect(self._on_preview_document)

        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.progress_label = QLabel()
        self.progress_label.setProperty("role", "muted")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.sig_cancel)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.bar, 1)
        progress_row.addWidget(self.cancel_button)
        self.progress_label.hide()
        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        self.report_label.hide()
        self.report = QListWidget()
        self.report.setMaximumHeight(110)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.chunking)
        layout.addLayout(buttons)
        layout.addLayout(progress_row)
        layout.addWidget(self.progress_label)
        layout.addWidget(self.report_label)
        layout.addWidget(self.report)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.selected_document: int | None = None
        self.set_running(False)
        self.report.hide()

    # -- values ---------------------------------------------------------------------------
    def collection_name(self) -> str:
        return self.collection.currentText().strip()

    def set_collections(self, names: list[str]) -> None:
        current = self.collection_name()
        self.collection.blockSignals(True)
        self.collection.clear()
        self.collection.addItems(names)
        self.collection.setCurrentText(current or (names[0] if names else ""))
        self.collection.blockSignals(False)

    def show_collection_settings(self, name: str, embedder: str, chunking: ChunkSettings, sparse: str) -> None:
        """Adding to an existing collection starts from its own settings."""
        self.collection.setCurrentText(name)
        self.embedder.setCurrentText(embedder)
        self.sparse.setCurrentIndex(max(0, self.sparse.findData(sparse)))
        self.chunking.set_value(chunking)

    def ingest_params(self, paths: list[str], collection: str | None = None) -> IngestParams | None:
        name = collection or self.collection_name()
        if not name:
            self.sig_problem.emit("Name the collection to add documents to (type a new name to create one).")
            return None
        embedder = self.embedder.currentText().strip() or DEFAULT_EMBEDDER
        return IngestParams(
            collection=name,
            paths=tuple(paths),
            embedder=embedder,
            chunking=self.chunking.value(),
            sparse_tokenizer=self.sparse.currentData(),
        )

    # -- progress ---------------------------------------------------------------------------
    def set_running(self, running: bool) -> None:
        for button in (self.add_files_button, self.add_folder_button, self.demo_button):
            button.setEnabled(not running)
        self.bar.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.bar.setRange(0, 1000)
        if running:
            self.bar.setValue(0)
            self._say("Reading files…")

    def show_estimating(self) -> None:
        """Buttons off and Cancel on while the estimate job reads the files and probes the embedder."""
        self.set_running(True)
        self.bar.setRange(0, 0)  # busy: the estimate has no fraction worth showing
        self._say("Estimating how long the ingest will take…")

    def show_progress(self, fraction: float, message: str, partial: object) -> None:
        self.bar.setValue(int(fraction * 1000))
        if isinstance(partial, IngestProgress):
            eta = "" if partial.eta_s is None else f" · about {_duration(partial.eta_s)} left"
            self._say(
                f"Files {partial.files_done}/{partial.files_total} · chunks {partial.chunks_encoded:,}/"
                f"{partial.chunks_total:,} · {partial.chunks_per_s:.1f} chunks/s{eta}"
            )
        elif message:
            self._say(message)

    def show_cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self._say("Cancelling… the collection stays as it was.")

    def show_ended(self, message: str) -> None:
        self.set_running(False)
        self._say(message)

    def show_result(self, result: IngestResult) -> None:
        """The summary line and every file that did not simply get added, with why."""
        self.set_running(False)
        counts: dict[str, int] = {}
        for report in result.files:
            counts[report.status] = counts.get(report.status, 0) + 1
        outcome = ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "no files"
        self._say(
            f"“{result.collection}”: {result.documents} documents, {result.chunks:,} chunks · "
            f"{result.encoded:,} encoded with {result.embedder} in {_duration(result.encode_s)} · "
            f"total {_duration(result.total_s)}"
        )
        self.report_label.setText(f"Files: {outcome}.")
        self.report_label.show()
        self.report.clear()
        for report in result.files:
            if report.status in _OUTCOMES_SHOWN:
                reason = f": {report.message}" if report.message else ""
                self.report.addItem(f"{Path(report.path).name} — {report.status}{reason}")
        self.report.setVisible(self.report.count() > 0)

    def _say(self, text: str) -> None:
        self.progress_label.setText(text)
        self.progress_label.setVisible(bool(text))

    # -- actions ------------------------------------------------------------------------------
    def _on_add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Add documents", str(Path.home()), FILE_FILTER)
        self._ingest(paths)

    def _on_add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a folder of documents", str(Path.home()))
        self._ingest([folder] if folder else [])

    def _on_demo(self) -> None:
        params = self.ingest_params([str(DEMO_FOLDER)], collection=DEMO_COLLECTION)
        if params is not None:
            self.collection.setCurrentText(DEMO_COLLECTION)
            self.sig_ingest.emit(params)

    def _ingest(self, paths: list[str]) -> None:
        if not paths:
            return
        params = self.ingest_params(paths)
        if params is not None:
            self.sig_ingest.emit(params)

    def _on_preview_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Preview chunking on a file", str(Path.home()), FILE_FILTER)
        if path:
            self.sig_preview.emit(PreviewChunksParams(chunking=self.chunking.value(), path=path))

    def _on_preview_document(self) -> None:
        if self.selected_document is not None:
            self.sig_preview.emit(
                PreviewChunksParams(chunking=self.chunking.value(), document_id=self.selected_document)
            )

    def set_selected_document(self, document_id: int | None) -> None:
        self.selected_document = document_id
        self.preview_document_button.setEnabled(document_id is not None)


def _duration(seconds: float) -> str:
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 90:
        return f"{seconds:.1f} s"
    return f"{seconds / 60:.1f} min"
