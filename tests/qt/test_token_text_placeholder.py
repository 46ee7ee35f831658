"""The token view's placeholder wraps over the whole box (Qt's own is cut to one line)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette

from workbench.ui.widgets.token_text import TokenSpan, TokenTextView

SENTENCE = "The generated text appears here, each token tinted by how likely the model found it."


def _rows_with_ink(view: TokenTextView) -> list[int]:
    """Viewport rows holding placeholder-coloured pixels."""
    image = view.viewport().grab().toImage()
    ink = view.palette().color(QPalette.ColorRole.PlaceholderText)
    background = image.pixelColor(image.width() - 2, image.height() - 2)

    def near_ink(colour: QColor) -> bool:
        return abs(colour.lightness() - ink.lightness()) < abs(colour.lightness() - background.lightness())

    return [
        y for y in range(image.height()) if any(near_ink(image.pixelColor(x, y)) for x in range(0, image.width(), 2))
    ]


def test_a_long_placeholder_is_drawn_on_every_line_it_wraps_to(qtbot) -> None:
    view = TokenTextView(font_scale=1.45)
    qtbot.addWidget(view)
    view.setPlaceholderText(SENTENCE)
    view.resize(360, 200)
    view.show()
    qtbot.waitExposed(view)
    assert view.placeholderText() == SENTENCE
    rows = _rows_with_ink(view)
    line = view.fontMetrics().lineSpacing()
    assert rows and rows[-1] - rows[0] > 1.5 * line, f"ink spans rows {rows[:1]}…{rows[-1:]}: one line only"

    view.set_content("Once upon a time", [TokenSpan(" there", 0.4)])
    assert view.document().toPlainText() == "Once upon a time there"
    view.set_content("", [])
    assert _rows_with_ink(view), "the placeholder returns when the view is empty again"
