"""Ask: the active model's answer with and without retrieval, side by side (book §6.5.1).

The retrieved chunks go before the question in the demo world's "context: … question: …
answer:" format; the passages the model was given are listed below with the question's
terms marked, so a reader can check where an answer came from.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from workbench.core.rag.params import RETRIEVERS, AnswerResult
from workbench.ui.language import Retranslating
from workbench.ui.panels.rag.hit_list import HitList
from workbench.ui.panels.rag.query_bar import QueryBar
from workbench.ui.translatable import QT_TRANSLATE_NOOP

_RETRIEVER_NAMES = {
    "bm25": "BM25",
    "dense": QT_TRANSLATE_NOOP("QueryBar", "dense"),
    "hybrid": QT_TRANSLATE_NOOP("QueryBar", "hybrid"),
}
"""The retrievers as Ask's chooser names them (English, marked for translation)."""


class AnswerCard(Retranslating, QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        """``title``: English, marked in the ``AnswerCard`` context."""
        super().__init__(parent)
        self._title = title
        self._shown: tuple[str | None, str | None] | None = None
        self.setProperty("role", "card")
        self.heading = heading = QLabel()
        heading.setProperty("role", "heading")
        self.answer = QLabel("—")
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.answer.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.answer.setFont(font)
        self.prompt = QLabel()
        self.prompt.setProperty("role", "muted")
        self.prompt.setWordWrap(True)
        self.prompt.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.answer)
        layout.addWidget(self.prompt)
        layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr(self._title))
        if self._shown is not None:
            self.show_answer(*self._shown)

    def show_answer(self, answer: str | None, prompt: str | None) -> None:
        self._shown = (answer, prompt)
        if answer is None:
            self.answer.setText(self.tr("(not asked)"))
        else:
            self.answer.setText(answer.strip() or self.tr("(empty answer)"))
        heading = self.tr("Prompt")
        self.prompt.setText(f"<b>{heading}</b><br>{html.escape(prompt).replace(chr(10), '<br>')}" if prompt else "")


class AskView(Retranslating, QWidget):
    sig_ask = Signal(str, int, str)  # question, k, retriever

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QueryBar(
            QT_TRANSLATE_NOOP(
                "QueryBar", "A question for the active model — 索德位于哪个国家？ / In which country is Anoda?"
            ),
            QT_TRANSLATE_NOOP("QueryBar", "Ask"),
            k=(1, 10, QT_TRANSLATE_NOOP("QueryBar", "chunks: ")),
            choices=[(_RETRIEVER_NAMES[retriever], retriever) for retriever in RETRIEVERS],
            choice="hybrid",
        )
        self.bar.sig_submitted.connect(self.sig_ask)
        self.question, self.ask_button = self.bar.text, self.bar.button
        self.with_retrieval = AnswerCard(QT_TRANSLATE_NOOP("AnswerCard", "With retrieval"))
        self.without_retrieval = AnswerCard(QT_TRANSLATE_NOOP("AnswerCard", "Without retrieval"))
        answers = QHBoxLayout()
        answers.addWidget(self.with_retrieval, 1)
        answers.addWidget(self.without_retrieval, 1)
        self.sources_heading = sources_heading = QLabel()
        sources_heading.setProperty("role", "heading")
        self.sources = HitList(QT_TRANSLATE_NOOP("HitList", "The retrieved passages appear here."))
        self.hint = QLabel()
        self.hint.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addWidget(self.hint)
        layout.addLayout(answers)
        layout.addWidget(sources_heading)
        layout.addWidget(self.sources, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.bar.k.setToolTip(self.tr("How many retrieved chunks go into the prompt (the demo model reads one best)."))
        self.sources_heading.setText(self.tr("Passages given to the model"))
        self.hint.setText(self.tr("Load a model (Model → Load) to ask questions."))

    def show_result(self, result: AnswerResult) -> None:
        self.question.setText(result.question)
        self.with_retrieval.show_answer(result.answer, result.prompt)
        self.without_retrieval.show_answer(result.answer_without_retrieval, result.prompt_without_retrieval)
        self.sources.show_hits(result.sources, QT_TRANSLATE_NOOP("HitList", "No passage was retrieved."))

    def set_model_ready(self, ready: bool) -> None:
        self.hint.setVisible(not ready)

    def set_busy(self, busy: bool) -> None:
        self.bar.set_busy(busy, QT_TRANSLATE_NOOP("QueryBar", "Answering…"))
