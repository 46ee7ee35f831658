"""Pick a case from a CounterFact-style fact file: the demo world's, the real-world set (for the
model packs: a real model knows Paris, not Anoda), or one the user loads.

A case fills the edit form (prompt, subject, old and new target) and names its ``case_id``,
so the job evaluates the record's paraphrase, neighbourhood and portability prompts too.
Records are read by ``core.editing.cases`` (the tracing lab's schema plus ``target_new``).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.base.errors import InvalidParameters
from workbench.core.editing.cases import REAL_WORLD_FACTS, EditCase, load_cases
from workbench.core.editing.params import DEMO_FACTS
from workbench.ui.core_messages import translate_core_message
from workbench.ui.language import Retranslating

BUILT_IN_FILES = (DEMO_FACTS, REAL_WORLD_FACTS)
SHOWN_MATCHES = 300
"""Rows listed at most; typing part of a subject narrows 1,600 demo cases quickly."""


def case_label(case: EditCase) -> str:
    r = case.request
    was = QCoreApplication.translate("CasePicker", "(was {target})").format(target=r.target_true.strip())
    return f"#{r.case_id} · {case.language} · {r.rendered()} → {r.target_new.strip()}  {was}"


class CasePicker(Retranslating, QWidget):
    """Search box, list of matching cases and the file they come from."""

    sig_case_chosen = Signal(object)  # EditCase
    sig_file_changed = Signal(str)  # fact_file ("demo" or a path)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fact_file = DEMO_FACTS
        self._cases: list[EditCase] = []
        self._file_error: str | None = None
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.list = QListWidget()
        self.list.setMinimumHeight(96)
        self.list.setMaximumHeight(130)
        self.list.setUniformItemSizes(True)
        self.file_label = QLabel()
        self.file_label.setProperty("role", "muted")
        self.file_label.setWordWrap(True)
        self.load_button = QPushButton()
        self.demo_button = QPushButton()
        self.real_world_button = QPushButton()
        # the label has its own line: beside three buttons it wrapped a word per line
        buttons = QHBoxLayout()
        buttons.addWidget(self.demo_button)
        buttons.addWidget(self.real_world_button)
        buttons.addWidget(self.load_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list)
        layout.addWidget(self.file_label)
        layout.addLayout(buttons)
        self.search.textChanged.connect(self._fill_list)
        self.list.itemActivated.connect(self._on_item_chosen)
        self.list.itemClicked.connect(self._on_item_chosen)
        self.load_button.clicked.connect(self._on_load_clicked)
        self.demo_button.clicked.connect(lambda: self.set_fact_file(DEMO_FACTS))
        self.real_world_button.clicked.connect(lambda: self.set_fact_file(REAL_WORLD_FACTS))
        self.set_fact_file(DEMO_FACTS)
        self.retranslate()

    def retranslate(self) -> None:
        self.load_button.setText(self.tr("Load fact file…"))
        self.demo_button.setText(self.tr("Demo facts"))
        self.real_world_button.setText(self.tr("Real-world facts"))
        self.real_world_button.setToolTip(
            self.tr("Well-known facts (capitals, companies, athletes …) in English and Chinese, for real models")
        )
        self._show_file()
        self._fill_list()

    def fact_file(self) -> str:
        return self._fact_file

    def cases(self) -> list[EditCase]:
        return list(self._cases)

    def set_fact_file(self, fact_file: str) -> None:
        """Read ``fact_file``; a file that cannot be read leaves the list empty with the reason."""
        self._fact_file = fact_file
        try:
            self._cases = load_cases(fact_file)
            self._file_error = None
        except InvalidParameters as error:
            self._cases = []
            self._file_error = str(error)
        self._show_file()
        self._fill_list()
        self.sig_file_changed.emit(fact_file)

    def suit_model(self, demo_model: bool) -> None:
        """Show the built-in facts the loaded model can know: the demo world's for the demo
        model, the real-world set for any other.  A file the user loaded stays."""
        wanted = DEMO_FACTS if demo_model else REAL_WORLD_FACTS
        if self._fact_file in BUILT_IN_FILES and self._fact_file != wanted:
            self.set_fact_file(wanted)

    def _show_file(self) -> None:
        if self._file_error is not None:
            self.file_label.setText(translate_core_message(self._file_error))
            return
        self.search.setPlaceholderText(
            self.tr("Search cases by subject (France, 法国 …)")
            if self._fact_file == REAL_WORLD_FACTS
            else self.tr("Search cases by subject (Anoda, 阿诺达 …)")
        )
        names = {DEMO_FACTS: self.tr("demo world facts"), REAL_WORLD_FACTS: self.tr("real-world facts")}
        name = names.get(self._fact_file) or Path(self._fact_file).name
        self.file_label.setText(self.tr("{count} cases · {name}").format(count=f"{len(self._cases):,}", name=name))

    def choose(self, case_id: int) -> EditCase | None:
        """Choose the case ``case_id`` as if clicked (None if the file has no such case)."""
        case = next((c for c in self._cases if c.request.case_id == case_id), None)
        if case is not None:
            self.sig_case_chosen.emit(case)
        return case

    def _fill_list(self) -> None:
        needle = self.search.text().strip().casefold()
        matches = [c for c in self._cases if needle in c.request.subject.casefold()] if needle else self._cases
        self.list.clear()
        for case in matches[:SHOWN_MATCHES]:
            item = QListWidgetItem(case_label(case))
            item.setData(Qt.ItemDataRole.UserRole, case.request.case_id)
            self.list.addItem(item)
        if len(matches) > SHOWN_MATCHES:
            more = f"{len(matches) - SHOWN_MATCHES:,}"
            self.list.addItem(self.tr("… {count} more: type more of a subject").format(count=more))

    def _on_item_chosen(self, item: QListWidgetItem) -> None:
        case_id = item.data(Qt.ItemDataRole.UserRole)
        if case_id is not None:
            self.choose(int(case_id))

    def _on_load_clicked(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Fact file (CounterFact-style JSON lines)"), str(Path.home()),
                                              self.tr("JSON lines (*.jsonl *.json);;All files (*)"))  # fmt: skip
        if path:
            self.set_fact_file(path)
