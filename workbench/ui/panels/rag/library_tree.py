"""The document library: collections and their documents with status, chunk counts and embedder."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.rag.params import CollectionSummary, LibrarySnapshot
from workbench.ui.core_messages import translate_core_message
from workbench.ui.language import Retranslating
from workbench.ui.panels.rag.chunk_browser import chunk_method_name
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.item_views import child_items, top_level_items

_COLLECTION, _DOCUMENT = Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 1
_FAILED = "#d04437"
COLUMNS = (
    QT_TRANSLATE_NOOP("LibraryTree", "Name"),
    QT_TRANSLATE_NOOP("LibraryTree", "Status"),
    QT_TRANSLATE_NOOP("LibraryTree", "Chunks"),
    QT_TRANSLATE_NOOP("LibraryTree", "Details"),
)
"""The tree's headers (English; shown translated)."""
_DOCUMENT_STATUS = {
    "indexed": QT_TRANSLATE_NOOP("LibraryTree", "indexed"),
    "failed": QT_TRANSLATE_NOOP("LibraryTree", "failed"),
}


class LibraryTree(Retranslating, QWidget):
    """Collections → documents; selecting one tells the panel, the buttons ask to delete."""

    sig_collection_selected = Signal(str)
    sig_document_selected = Signal(int)
    sig_delete_collection = Signal(str)
    sig_remove_document = Signal(int)
    sig_refresh = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setRootIsDecorated(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        self._message: str | None = QT_TRANSLATE_NOOP("RagPanel", "Open or create a project, then add documents.")
        """What the line under the tree says (English, marked in the ``RagPanel`` context; None: nothing)."""
        self.empty = QLabel()
        self.empty.setProperty("role", "muted")
        self.empty.setWordWrap(True)
        self.refresh_button = QPushButton()
        self.delete_button = QPushButton()
        self.remove_button = QPushButton()
        self.refresh_button.clicked.connect(self.sig_refresh)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        buttons = QHBoxLayout()
        buttons.addWidget(self.refresh_button)
        buttons.addStretch(1)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        self.snapshot = LibrarySnapshot([])
        self.confirmation: QMessageBox | None = None
        """The open "are you sure" box of a delete or remove, if any."""
        self._update_buttons()
        self.retranslate()

    def retranslate(self) -> None:
        self.tree.setHeaderLabels([self.tr(column) for column in COLUMNS])
        self.refresh_button.setText(self.tr("Refresh"))
        self.delete_button.setText(self.tr("Delete collection"))
        self.remove_button.setText(self.tr("Remove document"))
        self.empty.setText(
            translate_core_message(QCoreApplication.translate("RagPanel", self._message)) if self._message else ""
        )
        if self.snapshot.collections:  # rebuilt in the new words; the selection is kept, not announced again
            self.blockSignals(True)
            try:
                self.show_snapshot(self.snapshot)
            finally:
                self.blockSignals(False)

    def show_snapshot(self, snapshot: LibrarySnapshot, *, select: str | None = None) -> None:
        """Rebuild the tree, keeping the selection (or selecting collection ``select``)."""
        keep_collection, keep_document = select or self.current_collection(), self.current_document()
        self.snapshot = snapshot
        self.tree.blockSignals(True)
        self.tree.clear()
        current = None
        for collection in snapshot.collections:
            item = self._collection_item(collection)
            self.tree.addTopLevelItem(item)
            item.setExpanded(True)
            if collection.name == keep_collection:
                current = item
            for child in child_items(item):
                if child.data(0, _DOCUMENT) == keep_document and select is None:
                    current = child
        self.tree.blockSignals(False)
        self.empty.setVisible(not snapshot.collections)
        self._message = (
            None
            if snapshot.collections
            else QT_TRANSLATE_NOOP(
                "RagPanel", "No collections yet. Add files or a folder, or try the demo encyclopedia."
            )
        )
        self.empty.setText(QCoreApplication.translate("RagPanel", self._message) if self._message else "")
        if current is not None:
            self.tree.setCurrentItem(current)
        self._update_buttons()

    def show_message(self, message: str) -> None:
        """``message``: English, a core message or a sentence marked in the ``RagPanel`` context."""
        self.snapshot = LibrarySnapshot([])
        self.tree.clear()
        self._message = message
        self.empty.setText(translate_core_message(QCoreApplication.translate("RagPanel", message)))
        self.empty.show()
        self._update_buttons()

    def current_collection(self) -> str | None:
        item = self.tree.currentItem()
        while item is not None and item.parent() is not None:
            item = item.parent()
        return None if item is None else item.data(0, _COLLECTION)

    def current_document(self) -> int | None:
        item = self.tree.currentItem()
        return None if item is None else item.data(0, _DOCUMENT)

    def collection(self, name: str) -> CollectionSummary | None:
        return next((c for c in self.snapshot.collections if c.name == name), None)

    def select_document(self, document_id: int) -> None:
        """Mark the document as current without announcing it (its chunks are already asked for)."""
        for item in top_level_items(self.tree):
            for child in child_items(item):
                if child.data(0, _DOCUMENT) == document_id:
                    self.tree.blockSignals(True)
                    self.tree.setCurrentItem(child)
                    self.tree.blockSignals(False)
                    self.tree.scrollToItem(child)
                    self._update_buttons()
                    return

    # -- internals ------------------------------------------------------------------------
    def _collection_item(self, collection: CollectionSummary) -> QTreeWidgetItem:
        failed = sum(d.status != "indexed" for d in collection.documents)
        status = self.tr("{count} docs").format(count=len(collection.documents))
        if failed:
            status += self.tr(", {count} failed").format(count=failed)
        indexes = ", ".join(collection.indexes)
        embedders = collection.embedder + (f" + {collection.companion}" if collection.companion else "")
        item = QTreeWidgetItem([collection.name, status, f"{collection.chunks:,}", embedders])
        item.setToolTip(
            3,
            self.tr("Embedder: {embedder}\nSparse tokenizer: {sparse}\nChunking: {method}, size {size}, overlap {overlap}\n"
                    "Indexes: {indexes}").format(
                embedder=collection.embedder, sparse=collection.sparse_tokenizer,
                method=chunk_method_name(collection.chunking.method), size=collection.chunking.size,
                overlap=collection.chunking.overlap, indexes=indexes or self.tr("none")),
        )  # fmt: skip
        font = item.font(0)
        font.setBold(True)
        item.setFont(0, font)
        item.setData(0, _COLLECTION, collection.name)
        item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for document in collection.documents:
            pages = self.tr(" · {count} pages").format(count=document.pages) if document.pages else ""
            status = (
                self.tr(_DOCUMENT_STATUS[document.status]) if document.status in _DOCUMENT_STATUS else document.status
            )
            child = QTreeWidgetItem(
                [document.name, status, f"{document.chunks:,}", f"{document.language} · {document.kind}{pages}"]
            )
            child.setData(0, _COLLECTION, collection.name)
            child.setData(0, _DOCUMENT, document.id)
            child.setToolTip(0, document.source)
            child.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if document.status != "indexed":
                child.setForeground(1, QBrush(QColor(_FAILED)))
                child.setToolTip(1, translate_core_message(document.message))
            item.addChild(child)
        return item

    def _on_current_changed(self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        self._update_buttons()
        if current is None:
            return
        self.sig_collection_selected.emit(current.data(0, _COLLECTION))
        document_id = current.data(0, _DOCUMENT)
        if document_id is not None:
            self.sig_document_selected.emit(int(document_id))

    def _update_buttons(self) -> None:
        self.delete_button.setEnabled(self.current_collection() is not None)
        self.remove_button.setEnabled(self.current_document() is not None)

    def _on_delete_clicked(self) -> None:
        name = self.current_collection()
        if name is not None:
            self._ask(
                self.tr(
                    "Delete the collection “{name}” with its documents, chunks and indexes from this project?"
                ).format(name=name),
                lambda: self.sig_delete_collection.emit(name),
            )

    def _on_remove_clicked(self) -> None:
        document_id, item = self.current_document(), self.tree.currentItem()
        if document_id is not None and item is not None:
            self._ask(
                self.tr(
                    "Remove “{name}” and its chunks from the collection? The other chunks keep their embeddings."
                ).format(name=item.text(0)),
                lambda: self.sig_remove_document.emit(int(document_id)),
            )

    def _ask(self, question: str, on_yes: Callable[[], None]) -> None:
        """A non-blocking confirmation (``open``, not ``exec``), so jobs and tests go on."""
        box = QMessageBox(
            QMessageBox.Icon.Question, QCoreApplication.translate("RagPanel", "RAG Documents"), question, parent=self
        )
        box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel)
        yes = QMessageBox.StandardButton.Yes
        box.buttonClicked.connect(lambda button: on_yes() if box.standardButton(button) == yes else None)
        self.confirmation = box
        box.open()
