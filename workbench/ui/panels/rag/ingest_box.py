"""Adding documents: target collection, embedder and chunk settings, preview, progress, report.

The chunk settings are the core's ``ChunkSettings`` through ``ParamForm``; "Preview"
chunks a file (or the selected document) with them before anything is indexed.  While an
ingest runs the bar shows chunks encoded, chunks per second and the time left from the
job's ``IngestProgress`` snapshots, and Cancel leaves the collection as it was (the core
writes everything in one transaction at the end).  "Demo encyclopedia" ingests the demo
world's whole encyclopedia (about a minute); "Quick demo" fills the form with defaults and
ingests ten of its articles in seconds, for a lecture.
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

from workbench.base.paths import DEMO_WORLD_DIR
from workbench.core.param_fields import FieldOptions
from workbench.core.rag.params import (
    COMPANION_EMBEDDER,
    DEFAULT_EMBEDDER,
    EMBEDDERS,
    NO_COMPANION,
    QUICK_DEMO_DOCUMENTS,
    QUICK_DEMO_INGEST_SECONDS,
    ChunkSettings,
    IngestParams,
    IngestProgress,
    IngestResult,
    PreviewChunksParams,
    quick_demo_ingest,
)
from workbench.ui.core_messages import translate_core_message
from workbench.ui.language import Retranslating
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.param_form import ParamForm

DEMO_COLLECTION = "demo-encyclopedia"
DEMO_FOLDER = DEMO_WORLD_DIR / "encyclopedia"
QUICK_DEMO_INGEST = quick_demo_ingest(DEMO_FOLDER)
FILE_FILTER = QT_TRANSLATE_NOOP(
    "IngestBox", "Documents (*.txt *.md *.markdown *.html *.htm *.pdf *.docx);;All files (*)"
)
_EMBEDDER_HELP = {
    "e5-small": QT_TRANSLATE_NOOP("IngestBox", "multilingual-E5-small: Chinese, English and cross-lingual (default)"),
    "use-multilingual": QT_TRANSLATE_NOOP("IngestBox", "multilingual Universal Sentence Encoder: Chinese and English"),
    "minilm": QT_TRANSLATE_NOOP("IngestBox", "all-MiniLM-L6-v2: English only, fastest"),
}
_WORDS = (
    QT_TRANSLATE_NOOP("IngestBox", "chars"),
    QT_TRANSLATE_NOOP("IngestBox", "tokens"),
    QT_TRANSLATE_NOOP("IngestBox", "sentences"),
    QT_TRANSLATE_NOOP("IngestBox", "headings"),
)
"""The chunking methods as the form lists them (marked so the form can translate them)."""
_STATUS_WORDS = {
    "added": QT_TRANSLATE_NOOP("IngestBox", "added"),
    "failed": QT_TRANSLATE_NOOP("IngestBox", "failed"),
    "skipped": QT_TRANSLATE_NOOP("IngestBox", "skipped"),
    "duplicate": QT_TRANSLATE_NOOP("IngestBox", "duplicate"),
    "unchanged": QT_TRANSLATE_NOOP("IngestBox", "unchanged"),
    "replaced": QT_TRANSLATE_NOOP("IngestBox", "replaced"),
    "rechunked": QT_TRANSLATE_NOOP("IngestBox", "rechunked"),
    "removed": QT_TRANSLATE_NOOP("IngestBox", "removed"),
}
"""A file's ingest outcome as the report names it (English, marked for translation)."""
_CHUNK_OPTIONS: dict[str, FieldOptions] = {
    "method": {
        "label": QT_TRANSLATE_NOOP("IngestBox", "Chunk by"),
        "help": QT_TRANSLATE_NOOP("IngestBox", "characters, tokens, sentences (。！？ . ! ?) or markdown headings"),
    },
    "size": {
        "label": QT_TRANSLATE_NOOP("IngestBox", "Size"),
        "min": 20,
        "max": 20000,
        "step": 20,
        "help": QT_TRANSLATE_NOOP("IngestBox", "characters (tokens for 'tokens')"),
    },
    "overlap": {
        "label": QT_TRANSLATE_NOOP("IngestBox", "Overlap"),
        "min": 0,
        "max": 10000,
        "step": 10,
        "help": QT_TRANSLATE_NOOP("IngestBox", "shared with the next chunk"),
    },
}
_OUTCOMES_SHOWN = ("failed", "skipped", "duplicate", "unchanged", "replaced", "rechunked", "removed")


class IngestBox(Retranslating, QGroupBox):
    sig_ingest = Signal(object)  # IngestParams
    sig_preview = Signal(object)  # PreviewChunksParams
    sig_cancel = Signal()
    sig_problem = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._result: IngestResult | None = None
        self.collection = QComboBox()
        self.collection.setEditable(True)
        self.collection.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.embedder = QComboBox()
        self.embedder.setEditable(True)  # a sentence-transformers folder works too
        for name in EMBEDDERS:
            self.embedder.addItem(name)
        self.embedder.setCurrentText(DEFAULT_EMBEDDER)
        self.sparse = QComboBox()
        self.sparse.addItem("", "jieba")
        self.sparse.addItem("", "bigram")
        self.companion = QComboBox()
        """A second embedder whose dense list hybrid search fuses in (``IngestParams.companion_embedder``)."""
        self.companion.addItem("", NO_COMPANION)
        self.companion.addItem("", COMPANION_EMBEDDER)
        self.chunking = ParamForm(ChunkSettings, overrides=_CHUNK_OPTIONS, context="IngestBox")
        form = QFormLayout()
        self.form_labels = (QLabel(), QLabel(), QLabel(), QLabel())
        fields = (self.collection, self.embedder, self.companion, self.sparse)
        for label, field in zip(self.form_labels, fields, strict=True):
            form.addRow(label, field)

        self.add_files_button = QPushButton()
        self.add_folder_button = QPushButton()
        self.add_files_button.setProperty("role", "primary")
        self.demo_button = QPushButton()
        self.quick_demo_button = QPushButton()
        self.preview_file_button = QPushButton()
        self.preview_document_button = QPushButton()
        self.preview_document_button.setEnabled(False)
        buttons = QGridLayout()
        # two columns, not three: with Present mode's text, three buttons in a row need more
        # than a 1280-pixel screen leaves the library beside the document view
        buttons.addWidget(self.add_files_button, 0, 0)
        buttons.addWidget(self.add_folder_button, 0, 1)
        buttons.addWidget(self.demo_button, 1, 0)
        buttons.addWidget(self.quick_demo_button, 1, 1)
        buttons.addWidget(self.preview_file_button, 2, 0, 1, 2)
        buttons.addWidget(self.preview_document_button, 3, 0, 1, 2)
        self.add_files_button.clicked.connect(self._on_add_files)
        self.add_folder_button.clicked.connect(self._on_add_folder)
        self.demo_button.clicked.connect(self._on_demo)
        self.quick_demo_button.clicked.connect(self._on_quick_demo)
        self.preview_file_button.clicked.connect(self._on_preview_file)
        self.preview_document_button.clicked.connect(self._on_preview_document)

        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.progress_label = QLabel()
        self.progress_label.setProperty("role", "muted")
        self.progress_label.setWordWrap(
            True
        )  # an ingest's one-line summary widened the settings column past the window
        self.cancel_button = QPushButton()
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
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Add documents"))
        collection_edit = self.collection.lineEdit()
        assert collection_edit is not None  # the combo box is editable, so it has a line edit
        collection_edit.setPlaceholderText(self.tr("new or existing collection"))
        for index in range(self.embedder.count()):
            self.embedder.setItemData(index, self.tr(_EMBEDDER_HELP.get(self.embedder.itemText(index), "")), 3)
        self.embedder.setToolTip(
            self.tr("Encodes the chunks for dense retrieval; any sentence-transformers folder by path.")
        )
        self.sparse.setItemText(0, self.tr("jieba words"))
        self.sparse.setItemText(1, self.tr("character bigrams"))
        self.sparse.setToolTip(
            self.tr("How BM25 cuts Chinese text; English words are lower-cased and stemmed either way.")
        )
        self.companion.setItemText(0, self.tr("none"))
        self.companion.setItemText(1, COMPANION_EMBEDDER)  # as wide as the embedder's items: the form keeps its width
        self.companion.setItemData(1, self.tr("the cross-lingual companion: ≈ +8 % ingest time"), 3)
        self.companion.setToolTip(
            self.tr(
                "Also encode the chunks with a second embedder; hybrid search then fuses three lists "
                "(0.4·dense + 0.3·second + 0.3·BM25). On the textbook it found English paraphrases of Chinese "
                "passages better (MRR@10 0.709 → 0.749) and Chinese questions slightly worse."
            )
        )
        labels = (self.tr("Collection"), self.tr("Embedder"), self.tr("Second embedder"), self.tr("BM25 tokens"))
        for label, text in zip(self.form_labels, labels, strict=True):
            label.setText(text)
        self.add_files_button.setText(self.tr("Add files…"))
        self.add_folder_button.setText(self.tr("Add folder…"))
        self.demo_button.setText(self.tr("Demo encyclopedia"))
        self.demo_button.setToolTip(
            self.tr("Ingest {folder} (Chinese and English articles) into '{collection}'.").format(
                folder=DEMO_FOLDER, collection=DEMO_COLLECTION
            )
        )
        self.quick_demo_button.setText(self.tr("Quick demo (≈ {seconds} s)").format(seconds=QUICK_DEMO_INGEST_SECONDS))
        self.quick_demo_button.setToolTip(
            self.tr(
                "Ingest {count} articles of the demo encyclopedia (every kind of entity, both languages) into "
                "'{collection}' with the default embedder and chunking: a collection to ask questions of in seconds."
            ).format(count=len(QUICK_DEMO_DOCUMENTS), collection=QUICK_DEMO_INGEST.collection)
        )
        self.preview_file_button.setText(self.tr("Preview on a file…"))
        self.preview_document_button.setText(self.tr("Preview on selected document"))
        self.cancel_button.setText(self.tr("Cancel"))
        if self._result is not None and self.bar.isHidden():  # not while a new ingest reports progress
            self.show_result(self._result)

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

    def show_collection_settings(
        self, name: str, embedder: str, chunking: ChunkSettings, sparse: str, companion: str | None = None
    ) -> None:
        """Adding to an existing collection starts from its own settings."""
        self.collection.setCurrentText(name)
        self.embedder.setCurrentText(embedder)
        self.companion.setCurrentIndex(max(0, self.companion.findData(companion or NO_COMPANION)))
        self.sparse.setCurrentIndex(max(0, self.sparse.findData(sparse)))
        self.chunking.set_value(chunking)

    def ingest_params(self, paths: list[str], collection: str | None = None) -> IngestParams | None:
        name = collection or self.collection_name()
        if not name:
            self.sig_problem.emit(self.tr("Name the collection to add documents to (type a new name to create one)."))
            return None
        embedder = self.embedder.currentText().strip() or DEFAULT_EMBEDDER
        return IngestParams(
            collection=name,
            paths=tuple(paths),
            embedder=embedder,
            chunking=self.chunking.value(),
            sparse_tokenizer=self.sparse.currentData(),
            companion_embedder=self.companion.currentData(),
        )

    # -- progress ---------------------------------------------------------------------------
    def set_running(self, running: bool) -> None:
        for button in (self.add_files_button, self.add_folder_button, self.demo_button, self.quick_demo_button):
            button.setEnabled(not running)
        self.bar.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.bar.setRange(0, 1000)
        if running:
            self.bar.setValue(0)
            self._say(self.tr("Reading files…"))

    def show_estimating(self) -> None:
        """Buttons off and Cancel on while the estimate job reads the files and probes the embedder."""
        self.set_running(True)
        self.bar.setRange(0, 0)  # busy: the estimate has no fraction worth showing
        self._say(self.tr("Estimating how long the ingest will take…"))

    def show_progress(self, fraction: float, message: str, partial: object) -> None:
        self.bar.setValue(int(fraction * 1000))
        if isinstance(partial, IngestProgress):
            eta = (
                ""
                if partial.eta_s is None
                else self.tr(" · about {duration} left").format(duration=_duration(partial.eta_s))
            )
            self._say(
                self.tr("Files {done}/{total} · chunks {encoded}/{chunks} · {rate} chunks/s{eta}").format(
                    done=partial.files_done, total=partial.files_total, encoded=f"{partial.chunks_encoded:,}",
                    chunks=f"{partial.chunks_total:,}", rate=f"{partial.chunks_per_s:.1f}", eta=eta)
            )  # fmt: skip
        elif message:
            self._say(translate_core_message(message))

    def show_cancelling(self) -> None:
        self.cancel_button.setEnabled(False)
        self._say(self.tr("Cancelling… the collection stays as it was."))

    def show_ended(self, message: str) -> None:
        self.set_running(False)
        self._say(message)

    def show_result(self, result: IngestResult) -> None:
        """The summary line and every file that did not simply get added, with why."""
        self.set_running(False)
        self._result = result
        counts: dict[str, int] = {}
        for report in result.files:
            counts[report.status] = counts.get(report.status, 0) + 1
        outcome = ", ".join(f"{n} {self._status(status)}" for status, n in sorted(counts.items())) or self.tr(
            "no files"
        )
        self._say(
            self.tr("“{collection}”: {documents} documents, {chunks} chunks · {encoded} encoded with {embedder} in {seconds} · "
                    "total {total}").format(
                collection=result.collection, documents=result.documents, chunks=f"{result.chunks:,}",
                encoded=f"{result.encoded:,}", embedder=result.embedder, seconds=_duration(result.encode_s),
                total=_duration(result.total_s))
        )  # fmt: skip
        self.report_label.setText(self.tr("Files: {outcome}.").format(outcome=outcome))
        self.report_label.show()
        self.report.clear()
        for report in result.files:
            if report.status in _OUTCOMES_SHOWN:
                reason = f": {translate_core_message(report.message)}" if report.message else ""
                self.report.addItem(f"{Path(report.path).name} — {self._status(report.status)}{reason}")
        self.report.setVisible(self.report.count() > 0)

    def _status(self, status: str) -> str:
        return self.tr(_STATUS_WORDS[status]) if status in _STATUS_WORDS else status

    def _say(self, text: str) -> None:
        self.progress_label.setText(text)
        self.progress_label.setVisible(bool(text))

    # -- actions ------------------------------------------------------------------------------
    def _on_add_files(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, self.tr("Add documents"), str(Path.home()), self.tr(FILE_FILTER))
        self._ingest(paths)

    def _on_add_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Add a folder of documents"), str(Path.home()))
        self._ingest([folder] if folder else [])

    def demo_params(self) -> IngestParams | None:
        """The demo encyclopedia's ingest with the form's embedder and chunking (None: the form
        has a problem, which it has said)."""
        params = self.ingest_params([str(DEMO_FOLDER)], collection=DEMO_COLLECTION)
        if params is not None:
            self.collection.setCurrentText(DEMO_COLLECTION)
        return params

    def _on_demo(self) -> None:
        params = self.demo_params()
        if params is not None:
            self.sig_ingest.emit(params)

    def _on_quick_demo(self) -> None:
        """Fill the form with the quick demo's collection, embedder and chunking, then ingest its articles."""
        preset = QUICK_DEMO_INGEST
        self.collection.setCurrentText(preset.collection)
        self.embedder.setCurrentText(DEFAULT_EMBEDDER)
        self.companion.setCurrentIndex(self.companion.findData(NO_COMPANION))
        self.chunking.set_value(ChunkSettings())
        params = self.ingest_params(list(preset.paths), collection=preset.collection)
        if params is not None:
            self.sig_ingest.emit(params)

    def _ingest(self, paths: list[str]) -> None:
        if not paths:
            return
        params = self.ingest_params(paths)
        if params is not None:
            self.sig_ingest.emit(params)

    def _on_preview_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Preview chunking on a file"), str(Path.home()), self.tr(FILE_FILTER)
        )
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
