"""Ask: the active model's answer with and without retrieval, side by side (book §6.5.1).

The retrieved chunks go before the question in the demo world's "context: … question: …
answer:" format; the passages the model was given are listed below with the question's
terms marked, so a reader can check where an answer came from.  Each sentence of the answer
with retrieval ends in a citation mark, [1] for the passage ranked #1 (``core.rag.citations``);
hovering it underlines the supporting span in that passage, clicking keeps it underlined, and a
sentence no passage supports says "no source found" instead of pointing anywhere.  A span found
by meaning rather than by shared words (an English answer over a Chinese passage) has a mark of
its own, [1≈], explained under the answer and in the mark's tooltip, so a reader knows to check it.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QVBoxLayout, QWidget

from workbench.core.rag.params import BY_MEANING, RETRIEVERS, AnswerResult, Citation, Support
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


CITATION_LINK = "cite:"
"""A citation mark's link: ``cite:2`` is the answer's third sentence."""
MEANING_MARK = "≈"
"""After the rank in the mark of a span found by meaning: [1≈]."""


def cited_html(answer: str, citations: Sequence[Citation], no_source: str, muted: str) -> str:
    """``answer`` as HTML with each cited sentence followed by its mark, a ``cite:<index>`` link
    showing the supporting passage's rank (and ``MEANING_MARK`` when meaning found the span), or
    ``no_source`` in ``muted`` for a sentence without one."""
    pieces, position = [], 0
    for index, citation in enumerate(citations):
        pieces.append(html.escape(answer[position : citation.end]))
        if citation.support is None:
            pieces.append(f'&nbsp;<span style="color:{muted}">[{html.escape(no_source)}]</span>')
        else:
            mark = f"{citation.support.rank}{MEANING_MARK if citation.support.rule == BY_MEANING else ''}"
            pieces.append(f'&nbsp;<a href="{CITATION_LINK}{index}">[{mark}]</a>')
        if answer[citation.end : citation.end + 1].strip():  # Chinese sentences follow without a space
            pieces.append(" ")
        position = citation.end
    pieces.append(html.escape(answer[position:]))
    return "".join(pieces)


def _scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area that asks for no height of its own: a long prompt
    (several passages) scrolls inside its card instead of pushing the passages off the screen."""
    area = QScrollArea()
    area.setWidget(content)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
    area.viewport().setAutoFillBackground(False)
    content.setAutoFillBackground(False)
    return area


class AnswerCard(Retranslating, QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        """``title``: English, marked in the ``AnswerCard`` context."""
        super().__init__(parent)
        self._title = title
        self._shown: tuple[str | None, str | None, Sequence[Citation]] | None = None
        self.setProperty("role", "card")
        self.heading = heading = QLabel()
        heading.setProperty("role", "heading")
        self.answer = QLabel("—")
        self.answer.setWordWrap(True)
        self.answer.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.answer.setProperty("role", "answer")  # larger text from the theme, so Present mode scales it too
        self.legend = QLabel()
        """Under an answer with a span found by meaning: what its mark means (hidden otherwise)."""
        self.legend.setProperty("role", "muted")
        self.legend.setWordWrap(True)
        self.legend.hide()
        self.prompt = QLabel()
        self.prompt.setProperty("role", "muted")
        self.prompt.setWordWrap(True)
        self.prompt.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.prompt.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # the legend scrolls with the prompt: above it, it took three lines from the answer, which
        # a Present layout at 1280×720 then cut off a sentence earlier
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.legend)
        below_layout.addWidget(self.prompt, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.answer)
        layout.addWidget(_scrolling(below), 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr(self._title))
        if self._shown is not None:
            self.show_answer(*self._shown)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if (
            event.type() == QEvent.Type.PaletteChange and self._shown is not None
        ):  # "no source found" in the theme's grey
            self.show_answer(*self._shown)

    def show_answer(self, answer: str | None, prompt: str | None, citations: Sequence[Citation] = ()) -> None:
        """The answer, with a citation mark after each sentence when ``citations`` are given."""
        self._shown = (answer, prompt, citations)
        if answer is not None and answer.strip() and citations:
            muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
            self.answer.setTextFormat(Qt.TextFormat.RichText)
            self.answer.setText(cited_html(answer, citations, self.tr("no source found"), muted))
        else:
            self.answer.setTextFormat(Qt.TextFormat.PlainText)
            self.answer.setText(
                self.tr("(not asked)") if answer is None else answer.strip() or self.tr("(empty answer)")
            )
        by_meaning = any(c.support is not None and c.support.rule == BY_MEANING for c in citations)
        legend = self.tr("{mark} found by meaning (another language), not by shared words: check the span.")
        self.legend.setText(legend.format(mark=MEANING_MARK) if by_meaning else "")
        self.legend.setVisible(by_meaning)
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
        self._citations: list[Citation] = []
        self._answered: str | None = None
        """The question of the answer shown."""
        self._pinned: Support | None = None
        self.with_retrieval.answer.linkHovered.connect(self.hover_citation)
        self.with_retrieval.answer.linkActivated.connect(self.pin_citation)
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
        layout.addLayout(answers, 2)
        layout.addWidget(sources_heading)
        layout.addWidget(self.sources, 3)
        self.retranslate()

    def retranslate(self) -> None:
        self.bar.k.setToolTip(self.tr("How many retrieved chunks go into the prompt (the demo model reads one best)."))
        self.sources_heading.setText(self.tr("Passages given to the model"))
        self.hint.setText(self.tr("Load a model (Model → Load) to ask questions."))

    def show_result(self, result: AnswerResult) -> None:
        self._answered = result.question
        self.question.setText(result.question)
        self._citations, self._pinned = list(result.citations), None
        self.with_retrieval.show_answer(result.answer, result.prompt, result.citations)
        self.without_retrieval.show_answer(result.answer_without_retrieval, result.prompt_without_retrieval)
        self.sources.show_hits(result.sources, QT_TRANSLATE_NOOP("HitList", "No passage was retrieved."))

    def kept(self) -> dict[str, Any] | None:
        """The question answered here and how, for a lesson step's view (None: nothing asked)."""
        if self._answered is None:
            return None
        return {"question": self._answered, "k": self.bar.k.value(), "retriever": self.bar.choice.currentData()}

    def answered(self) -> str | None:
        return self._answered

    def hover_citation(self, link: str) -> None:
        """The pointer entered a citation mark (``link``) or left it (""): show its span, or the clicked one."""
        support = self._support(link)
        self.sources.show_cited(support or self._pinned)
        self.with_retrieval.answer.setToolTip(self._support_text(support) if support is not None else "")

    def pin_citation(self, link: str) -> None:
        """A citation mark was clicked: its span stays underlined after the pointer leaves (a second click lets go)."""
        support = self._support(link)
        self._pinned = None if support == self._pinned else support
        self.sources.show_cited(support)

    def _support(self, link: str) -> Support | None:
        if not link.startswith(CITATION_LINK):
            return None
        index = int(link.removeprefix(CITATION_LINK))
        return self._citations[index].support if 0 <= index < len(self._citations) else None

    def _support_text(self, support: Support) -> str:
        """What found the span and how strongly: a share of words, or a similarity of meaning."""
        if support.rule == BY_MEANING:
            return self.tr(
                "Passage #{rank}, characters {start}–{end}, found by meaning: similarity {similarity} to the "
                "sentence, which shares no words with it (another language). Check that it says the same."
            ).format(rank=support.rank, start=support.start, end=support.end, similarity=f"{support.score:.2f}")
        return self.tr(
            "Passage #{rank}, characters {start}–{end}, found by shared words: {percent}% of the sentence's words "
            "are there."
        ).format(rank=support.rank, start=support.start, end=support.end, percent=round(100 * support.score))

    def set_model_ready(self, ready: bool) -> None:
        self.hint.setVisible(not ready)

    def set_busy(self, busy: bool) -> None:
        self.bar.set_busy(busy, QT_TRANSLATE_NOOP("QueryBar", "Answering…"))
