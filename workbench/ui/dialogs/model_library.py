"""The model library inside the load dialog: model packs and imported GGUF models.

Each row shows size, licence and the RAM the model needs; a pack not yet installed has an
Install button, which runs the install job on the worker with a progress bar and Cancel.
A pack with terms (Gemma) shows them first and installs only once they are accepted.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.model.library_params import InstallPackParams, KnownFactsParams
from workbench.ui.core_messages import translate_core_message
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.item_views import top_level_items
from workbench.worker import JobCallbacks

COLUMNS = (
    QT_TRANSLATE_NOOP("ModelLibraryView", "Model"),
    QT_TRANSLATE_NOOP("ModelLibraryView", "Size"),
    QT_TRANSLATE_NOOP("ModelLibraryView", "Licence"),
    QT_TRANSLATE_NOOP("ModelLibraryView", "RAM needed"),
    QT_TRANSLATE_NOOP("ModelLibraryView", "State"),
)


def _mib(size: int) -> str:
    return f"{size / 2**30:.1f} GiB" if size >= 2**30 else f"{size / 2**20:.0f} MiB"


class PackTermsDialog(QDialog):
    """The pack's terms, with an explicit 'I accept' before Install is possible."""

    def __init__(self, entry: Any, terms: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{entry.name}: {entry.licence}")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        text = QTextBrowser()
        text.setOpenExternalLinks(True)
        full_terms = self.tr("Full terms:")
        text.setHtml(f"<p>{terms}</p><p>{full_terms} <a href='{entry.licence_url}'>{entry.licence_url}</a></p>")
        layout.addWidget(text)
        self.accept_box = QCheckBox(self.tr("I have read and accept the {licence}").format(licence=entry.licence))
        layout.addWidget(self.accept_box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Install"))
        self.ok_button.setEnabled(False)
        self.accept_box.toggled.connect(self.ok_button.setEnabled)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


class ModelLibraryView(QWidget):
    """The library's rows and the Install / Cancel controls (install needs a worker host).

    It lives in the modal Load Model dialog, so it is built in the language of the moment
    and needs no ``retranslate``: the language cannot change while it is open."""

    sig_selection_changed = Signal()
    sig_installed = Signal(str)  # folder of the installed model

    def __init__(self, host: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.host = host
        self._job: int | None = None
        self._job_title = ""
        """What the tracked job does, for its cancel message: "Installing X", "Checking X's known facts"."""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr(column) for column in COLUMNS])
        self.tree.setRootIsDecorated(False)
        self.tree.setMaximumHeight(150)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.currentItemChanged.connect(lambda *_: self._on_selection_changed())
        layout.addWidget(self.tree)
        self.install_button = QPushButton(self.tr("Install"))
        self.install_button.setToolTip(self.tr("Fetch the pack with pip, verify it and import it into the library"))
        self.install_button.clicked.connect(self._on_install_clicked)
        self.known_facts_button = QPushButton(self.tr("Known facts"))
        self.known_facts_button.setToolTip(
            self.tr(
                "Check which facts of the real-world fact set the model knows (its top-1 answer is the true "
                "object) and store them with it, for the editing and tracing labs (ROME's known-facts set)"
            )
        )
        self.known_facts_button.clicked.connect(self._on_known_facts_clicked)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.status = QLabel()
        self.status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.install_button)
        row.addWidget(self.known_facts_button)
        row.addWidget(self.progress, 1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        layout.addWidget(self.status)
        self.refresh()

    # ------------------------------------------------------------------ contents
    def refresh(self, select_folder: str = "") -> None:
        from workbench.core.model.packs import library_entries

        current = self.selected_entry()
        keep = select_folder or (current.name if current is not None else "")
        self.tree.clear()
        for entry in library_entries():
            if entry.installed:
                size = self.tr("{size} on disk").format(size=_mib(entry.size_on_disk))
                state = self.tr("installed")
            else:
                size = self.tr("{size} download").format(size=_mib(entry.download_size))
                state = self.tr("terms to accept") if entry.requires_terms else self.tr("not installed")
            licence = entry.licence or self.tr("unknown")
            item = QTreeWidgetItem([entry.name, size, licence, f"≈ {_mib(entry.ram_needed)}", state])
            item.setData(0, Qt.ItemDataRole.UserRole, entry)
            item.setToolTip(0, f"{entry.title}\n{entry.description}")
            item.setToolTip(2, entry.licence_url)
            self.tree.addTopLevelItem(item)
            if keep and keep in (entry.name, entry.folder):
                self.tree.setCurrentItem(item)
        for column in range(1, len(COLUMNS)):
            self.tree.resizeColumnToContents(column)
        self._update_controls()

    def entries(self) -> list[Any]:
        return [item.data(0, Qt.ItemDataRole.UserRole) for item in top_level_items(self.tree)]

    def selected_entry(self) -> Any:
        item = self.tree.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None

    def select(self, name: str) -> None:
        for item in top_level_items(self.tree):
            if item.data(0, Qt.ItemDataRole.UserRole).name == name:
                self.tree.setCurrentItem(item)

    @property
    def installing(self) -> bool:
        return self._job is not None

    def _on_selection_changed(self) -> None:
        self._update_controls()
        self.sig_selection_changed.emit()

    def _update_controls(self) -> None:
        entry = self.selected_entry()
        can_install = entry is not None and entry.pack and not entry.installed
        self.install_button.setEnabled(self.host is not None and can_install and not self.installing)
        installed = entry is not None and entry.installed
        self.known_facts_button.setEnabled(self.host is not None and installed and not self.installing)
        self.progress.setVisible(self.installing)
        self.cancel_button.setVisible(self.installing)

    # ------------------------------------------------------------------ install
    def accept_terms(self, entry: Any) -> bool:
        """Show the pack's terms; True once the user ticked 'I accept' and pressed Install."""
        from workbench.core.model.packs import find_pack

        dialog = PackTermsDialog(entry, find_pack(entry.name).terms, self)
        return bool(dialog.exec())

    def _on_install_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is None or self.host is None or self.installing:
            return
        if entry.requires_terms and not self.accept_terms(entry):
            self.status.setText(f"{entry.name} was not installed: its terms were not accepted.")
            return
        self.install(entry.name, accept_terms=entry.requires_terms)

    def install(self, name: str, *, accept_terms: bool = False) -> int:
        title = self.tr("Installing {name}").format(name=name)
        return self._start(InstallPackParams(name=name, accept_terms=accept_terms), title, self._on_installed)

    def _on_known_facts_clicked(self) -> None:
        entry = self.selected_entry()
        if entry is None or self.host is None or self.installing or not entry.installed:
            return
        title = self.tr("Checking the known facts of {name}").format(name=entry.name)
        self._start(KnownFactsParams(name=entry.folder), title, self._on_known_facts)

    def _start(self, params: Any, title: str, on_result: Callable[[Any], None]) -> int:
        """Submit the library's one job at a time (install or known facts) with its own callbacks."""
        self._job_title = title
        callbacks = JobCallbacks(
            on_result=lambda result, _run: self._ended(on_result, result),
            on_progress=self._on_job_progress,
            on_stopped=self._on_job_stopped,
            on_failed=lambda message: self.status.setText(translate_core_message(message)),
        )
        self._job = self.host.submit(params, title, callbacks)
        self.progress.setValue(0)
        self.status.setText(self.tr("{title}…").format(title=title))
        self._update_controls()
        return self._job

    def _on_cancel_clicked(self) -> None:
        if self._job is not None:
            self.status.setText(self.tr("Cancelling…"))
            self.host.cancel(self._job)

    def _on_job_progress(self, fraction: float, message: str, _partial: object) -> None:
        self.progress.setValue(int(fraction * 1000))
        self.status.setText(translate_core_message(message))

    def _ended(self, on_result: Callable[[Any], None], result: Any) -> None:
        self._job = None
        on_result(result)
        self._update_controls()

    def _on_known_facts(self, result: Any) -> None:
        of = self.tr("{known} of {checked} ({language})")
        known = ", ".join(
            of.format(known=result.known[lang], checked=result.checked[lang], language=lang)
            for lang in sorted(result.checked)
        )
        self.status.setText(
            self.tr("{name} knows {known} facts; stored in {path}.").format(
                name=result.name, known=known, path=result.path or result.folder
            )
        )

    def _on_installed(self, result: Any) -> None:
        self.status.setText(self.tr("{name} is installed in {folder}").format(name=result.name, folder=result.folder))
        self.refresh(select_folder=result.folder)
        self.sig_installed.emit(result.folder)

    def _on_job_stopped(self) -> None:
        """Cancelled, or failed (then the failure's message replaces this line)."""
        self._job = None
        self.status.setText(self.tr("{title} was cancelled.").format(title=self._job_title))
        self._update_controls()
