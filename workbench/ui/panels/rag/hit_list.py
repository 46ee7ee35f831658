"""Ranked retrieved chunks with their scores, sources and the query's terms highlighted.

Used by the playground (one list per retriever) and by Ask (the passages the answer was
given).  The highlighted spans are the core's ``Hit.matched``: the query's BM25 terms as
its Chinese-aware tokenizer found them in the chunk, so 斑马 is marked in Chinese text the
same way "zebra" is in English.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QTextBrowser, QWidget

from workbench.core.rag.params import RETRIEVAL_PATHS, Hit
from workbench.ui.panels.rag.shading import card_colour, match_colour


def marked_html(text: str, spans: Sequence[tuple[int, int]], colour: str) -> str:
    """``text`` as HTML with ``spans`` (character offsets) on a ``colour`` background."""
    pieces, position = [], 0
    for start, end in sorted((max(0, s), min(len(text), e)) for s, e in spans):
        if start < position or end <= start:
            continue
        pieces.append(html.escape(text[position:start]))
        pieces.append(f'<span style="background-color:{colour}">{html.escape(text[start:end])}</span>')
        position = end
    pieces.append(html.escape(text[position:]))
    return "".join(pieces).replace("\n", "<br>")


def found_by_text(hit: Hit) -> str:
    """"bm25 #3 (7.21) · cross-lingual #1 (2.40)": each path that found the hit, its rank and score there."""
    return " · ".join(
        f"{path} #{hit.found_by[path].rank} ({hit.found_by[path].score:.2f})" for path in RETRIEVAL_PATHS if path in hit.found_by
    )


class HitList(QTextBrowser):
    """One ranking, read-only, rendered as rich text (selectable, scrolls as one page).

    A passage's document name is a link: following it asks for the passage in its document.
    """

    sig_hit_activated = Signal(object)  # Hit

    def __init__(self, empty_text: str = "No results yet.", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self._empty_text = empty_text
        self._hits: list[Hit] = []
        self.show_hits([])

    def show_hits(self, hits: Sequence[Hit], empty_text: str | None = None) -> None:
        self._hits = list(hits)
        palette = self.palette()
        mark = match_colour(palette).name()
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        card = card_colour(palette)
        if not hits:
            self.setHtml(f'<p style="color:{muted}">{html.escape(empty_text or self._empty_text)}</p>')
            return
        blocks = []
        for number, hit in enumerate(hits):
            page = f" · {hit.pages}" if hit.pages else ""
            heading = f" · {html.escape(hit.heading)}" if hit.heading else ""
            paths = found_by_text(hit)
            found = f'<br><span style="color:{muted}">found by {html.escape(paths)}</span>' if paths else ""
            blocks.append(
                f'<table width="100%" cellpadding="6" style="background-color:{card.name()}; margin-bottom:6px">'
                f"<tr><td><b>#{hit.rank}</b> &nbsp;<b>{hit.score:.3f}</b>"
                f' &nbsp;<a href="hit:{number}">{html.escape(hit.document)}</a>'
                f'<span style="color:{muted}"> · {hit.start}–{hit.end}{page}{heading}</span>{found}'
                f"<br>{marked_html(hit.text, hit.matched, mark)}</td></tr></table>"
            )
        self.setHtml("".join(blocks))

    def activate(self, number: int) -> None:
        """Open passage ``number`` in its document (what following its link does)."""
        self.sig_hit_activated.emit(self._hits[number])

    def _on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == "hit":
            self.activate(int(url.path()))

    @property
    def hits(self) -> list[Hit]:
        return list(self._hits)

    def highlighted_texts(self) -> list[str]:
        """Every highlighted stretch of text as shown, in order (what a reader sees marked)."""
        wanted = match_colour(self.palette()).name()
        found: list[str] = []
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.isValid() and fragment.charFormat().background().color().name() == wanted:
                    found.append(fragment.text())
                iterator += 1
            block = block.next()
        return found
