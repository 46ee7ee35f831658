"""Ask's citation marks: hovering one underlines its span in the passage list, leaving clears it,
clicking keeps it; a sentence without support says so (results built by hand, no model)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication

from workbench.core.rag.params import BY_MEANING, AnswerResult, Citation, Hit, Support
from workbench.ui.language import install_language
from workbench.ui.panels.rag.ask_view import AskView
from workbench.ui.theme import apply_theme, colors

ANODA = "Anoda is famous for its glass. The country where Anoda is located is Ensia."
FILLER = "Nothing in this passage answers the question, it only takes up room on the screen. " * 6


def _hit(rank: int, text: str, matched: list[tuple[int, int]] | None = None) -> Hit:
    return Hit(rank, 1.0 / rank, 10 + rank, rank, f"doc-{rank}.md", 0, len(text), None, text, matched or [])


def _result(passages: int = 1) -> AnswerResult:
    """ "Anoda is in Ensia. Its mayor is Bob." citing the last of ``passages`` (the others are filler)."""
    sources = [_hit(rank, FILLER) for rank in range(1, passages)]
    cited = _hit(passages, ANODA, matched=[(49, 54), (75 - 6, 75)])  # "Anoda" and "Ensia." as the question's terms
    support = Support(cited.rank, cited.chunk_id, 31, 75, 1.0)
    answer = "Anoda is in Ensia. Its mayor is Bob."
    return AnswerResult(
        "In which country is Anoda?", answer, "context: …", [*sources, cited], "Bob", "question: …",
        [Citation(0, 18, support), Citation(19, 36, None)],
    )  # fmt: skip


@pytest.fixture()
def view(qtbot) -> AskView:
    ask = AskView()
    qtbot.addWidget(ask)
    ask.resize(1000, 600)
    ask.show()
    qtbot.waitExposed(ask)
    return ask


def _shown_text(label_text: str) -> str:
    document = QTextDocument()
    document.setHtml(label_text)
    return document.toPlainText()


def test_each_sentence_ends_in_its_citation_mark_or_says_no_source_was_found(view: AskView) -> None:
    view.show_result(_result())
    label = view.with_retrieval.answer.text()
    assert _shown_text(label) == "Anoda is in Ensia. [1] Its mayor is Bob. [no source found]"
    assert '<a href="cite:0">[1]</a>' in label and "cite:1" not in label
    assert view.without_retrieval.answer.text() == "Bob"  # the answer without retrieval has nothing to cite


def test_hovering_a_citation_underlines_its_span_and_leaving_clears_it(view: AskView) -> None:
    result = _result()
    view.show_result(result)
    marks = view.sources.highlighted_texts()
    assert marks == ["Anoda", "Ensia."]
    view.with_retrieval.answer.linkHovered.emit("cite:0")
    assert view.sources.cited_text() == "The country where Anoda is located is Ensia."
    assert view.sources.highlighted_texts() == marks  # the question's terms stay marked inside the span
    assert (
        "Passage #1, characters 31–75, found by shared words: 100% of the sentence's words"
        in view.with_retrieval.answer.toolTip()
    )
    view.with_retrieval.answer.linkHovered.emit("")
    assert view.sources.cited_text() == "" and view.sources.highlighted_texts() == marks
    assert view.with_retrieval.answer.toolTip() == ""


def test_a_clicked_citation_stays_until_clicked_again_or_a_new_answer_comes(view: AskView) -> None:
    view.show_result(_result())
    label = view.with_retrieval.answer
    label.linkHovered.emit("cite:0")
    label.linkActivated.emit("cite:0")
    label.linkHovered.emit("")
    assert view.sources.cited_text() == "The country where Anoda is located is Ensia."
    label.linkHovered.emit("cite:0")
    label.linkActivated.emit("cite:0")  # lets go; the pointer is still on the mark
    assert view.sources.cited_text() != ""
    label.linkHovered.emit("")
    assert view.sources.cited_text() == ""
    label.linkActivated.emit("cite:0")
    view.show_result(_result())
    assert view.sources.cited_text() == ""


def test_a_citation_of_a_passage_below_the_fold_scrolls_it_into_view(view: AskView) -> None:
    view.show_result(_result(passages=6))
    sources = view.sources
    assert sources.verticalScrollBar().maximum() > 0 and sources.verticalScrollBar().value() == 0
    view.with_retrieval.answer.linkHovered.emit("cite:0")
    assert sources.cited_text() == "The country where Anoda is located is Ensia."
    assert sources.verticalScrollBar().value() > 0
    shown = sources.cited_rect()
    assert shown is not None and shown.top() >= 0 and shown.bottom() <= sources.viewport().height()
    scrolled = sources.verticalScrollBar().value()
    view.with_retrieval.answer.linkHovered.emit("")
    assert sources.verticalScrollBar().value() == scrolled  # clearing does not jump back to the top


def test_an_answer_stored_before_citations_shows_as_plain_text(view: AskView) -> None:
    old = AnswerResult("In which country is Anoda?", "Ensia <b>", "context: …", [_hit(1, ANODA)], None, None)
    view.show_result(old)
    assert view.with_retrieval.answer.text() == "Ensia <b>"
    assert view.with_retrieval.answer.textFormat() == Qt.TextFormat.PlainText  # shown as typed, not as markup
    view.with_retrieval.answer.linkHovered.emit("cite:0")  # a stale link from an earlier answer
    assert view.sources.cited_text() == ""


def test_switching_the_theme_redraws_the_marks_and_the_cited_span_in_its_colours(view: AskView) -> None:
    """Switched as the app switches it (palette and style sheet of the application, which any
    earlier test may have set), not by a palette on the widget, which a style sheet overrides."""
    view.show_result(_result())
    view.with_retrieval.answer.linkHovered.emit("cite:0")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, "dark")
    try:
        QApplication.processEvents()
        assert view.sources.highlighted_texts() == ["Anoda", "Ensia."]  # found by the dark theme's mark colour
        assert view.sources.cited_text() == "The country where Anoda is located is Ensia."
        assert colors("dark").muted in view.with_retrieval.answer.text()  # "no source found" in the theme's grey
    finally:
        apply_theme(app, "light")
        QApplication.processEvents()
    assert colors("light").muted in view.with_retrieval.answer.text()


LORA_ZH = "低秩适配冻结预训练模型的权重。它把参数更新矩阵分解为两个小矩阵的乘积。"


def _across_languages() -> AnswerResult:
    """An English answer over a Chinese passage: its first sentence cited by meaning, the second by nothing."""
    cited = _hit(1, LORA_ZH)
    support = Support(cited.rank, cited.chunk_id, 15, 36, 0.731, BY_MEANING)
    answer = "The update matrix is factorised into two small matrices. Its mayor is Bob."
    return AnswerResult(
        "How does LoRA update a model?", answer, "context: …", [cited], None, None,
        [Citation(0, 56, support), Citation(57, 74, None)],
    )  # fmt: skip


def test_a_citation_found_by_meaning_says_so_in_its_mark_under_the_answer_and_in_its_tooltip(view: AskView) -> None:
    view.show_result(_across_languages())
    label = view.with_retrieval.answer
    assert _shown_text(label.text()) == (
        "The update matrix is factorised into two small matrices. [1≈] Its mayor is Bob. [no source found]"
    )
    legend = view.with_retrieval.legend
    assert legend.isVisible() and legend.text() == (
        "≈ found by meaning (another language), not by shared words: check the span."
    )
    label.linkHovered.emit("cite:0")
    assert view.sources.cited_text() == "它把参数更新矩阵分解为两个小矩阵的乘积。"
    assert "characters 15–36, found by meaning: similarity 0.73 to the sentence" in label.toolTip()
    view.show_result(_result())  # an answer cited by words alone has no legend
    assert not view.with_retrieval.legend.isVisible() and not view.without_retrieval.legend.isVisible()


def test_the_meaning_mark_and_its_explanation_read_in_chinese(view: AskView) -> None:
    assert install_language("zh_CN") == "zh_CN"
    try:
        view.show_result(_across_languages())
        label = view.with_retrieval.answer
        assert "[1≈]" in _shown_text(label.text())
        assert view.with_retrieval.legend.text().startswith("≈ 按语义找到（另一种语言），而非按相同词语")
        label.linkHovered.emit("cite:0")
        assert label.toolTip().startswith("段落 #1，第 15–36 个字符，按语义找到：与这句话的相似度为 0.73")
    finally:
        install_language("en")
        QApplication.processEvents()
