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
from workbench.ui.language import Retranslating
from workbench.ui.panels.rag.shading import card_colour, match_colour
from workbench.ui.translatable import QT_TRANSLATE_NOOP


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


_PATH_NAMES = {
    "bm25": QT_TRANSLATE_NOOP("HitList", "BM25"),
    "dense": QT_TRANSLATE_NOOP("HitList", "dense"),
    "cross-lingual": QT_TRANSLATE_NOOP("HitList", "cross-lingual"),
    "reranker": QT_TRANSLATE_NOOP("HitList", "reranker"),
}
"""The retrieval paths as the hit list names them (``RETRIEVAL_PATHS``)."""


class HitList(Retranslating, QTextBrowser):
    """One ranking, read-only, rendered as rich text (selectable, scrolls as one page).

    A passage's document name is a link: following it asks for the passage in its document.
    Empty texts are English, marked in the ``HitList`` context, and shown translated.
    """

    sig_hit_activated = Signal(object)  # Hit

    def __init__(
        self, empty_text: str = QT_TRANSLATE_NOOP("HitList", "No results yet."), parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setOpenLinks(False)
        self.anchorClicked.connect(self._on_anchor_clicked)
        self._empty_text = empty_text
        self._hits: list[Hit] = []
        self._empty_shown: str | None = None
        self.show_hits([])

    def retranslate(self) -> None:
        self.show_hits(self._hits, self._empty_shown)

    def show_hits(self, hits: Sequence[Hit], empty_text: str | None = None) -> None:
        self._hits, self._empty_shown = list(hits), empty_text
        palette = self.palette()
        mark = match_colour(palette).name()
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        card = card_colour(palette)
        if not hits:
            self.setHtml(f'<p style="color:{muted}">{html.escape(self.tr(empty_text or self._empty_text))}</p>')
            return
        blocks = []
        for number, hit in enumerate(hits):
            page = f" · {self.pages_text(hit)}" if hit.page is not None else ""
            heading = f" · {html.escape(hit.heading)}" if hit.heading else ""
            paths = self.found_by_text(hit)
            found_by = self.tr("found by {paths}").format(paths=paths)
            found = f'<br><span style="color:{muted}">{html.escape(found_by)}</span>' if paths else ""
            blocks.append(
                f'<table width="100%" cellpadding="6" style="background-color:{card.name()}; margin-bottom:6px">'
                f"<tr><td><b>#{hit.rank}</b> &nbsp;<b>{hit.score:.3f}</b>"
                f' &nbsp;<a href="hit:{number}">{html.escape(hit.document)}</a>'
                f'<span style="color:{muted}"> · {hit.start}–{hit.end}{page}{heading}</span>{found}'
                f"<br>{marked_html(hit.text, hit.matched, mark)}</td></tr></table>"
            )
        self.setHtml("".join(blocks))

    def pages_text(self, hit: Hit) -> str:
        """How a citation names the hit's pages: "p. 12" or "pp. 12–13" (``Hit.pages``, translated)."""
        if hit.last_page is None or hit.last_page == hit.page:
            return self.tr("p. {page}").format(page=hit.page)
        return self.tr("pp. {first}–{last}").format(first=hit.page, last=hit.last_page)

    def found_by_text(self, hit: Hit) -> str:
        """ "BM25 #3 (7.21) · cross-lingual #1 (2.40)": each path that found the hit, its rank and score there."""
        return " · ".join(
            f"{self.tr(_PATH_NAMES.get(path, path))} #{hit.found_by[path].rank} ({hit.found_by[path].score:.2f})"
            for path in RETRIEVAL_PATHS
            if path in hit.found_by
        )

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
