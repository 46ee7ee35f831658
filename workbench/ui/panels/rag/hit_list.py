"""Ranked retrieved chunks with their scores, sources and the query's terms highlighted.

Used by the playground (one list per retriever) and by Ask (the passages the answer was
given).  The highlighted spans are the core's ``Hit.matched``: the query's BM25 terms as
its Chinese-aware tokenizer found them in the chunk, so 斑马 is marked in Chinese text the
same way "zebra" is in English.  In Ask, a hovered citation underlines the span of its
passage that supports the cited sentence (``show_cited``) on top of those marks.
"""

from __future__ import annotations

import html
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise

from PySide6.QtCore import QEvent, QRect, QUrl, Signal
from PySide6.QtGui import QPalette, QTextCursor, QTextFragment
from PySide6.QtWidgets import QTextBrowser, QWidget

from workbench.core.rag.params import RETRIEVAL_PATHS, Hit, Support
from workbench.ui.language import Retranslating
from workbench.ui.panels.rag.shading import card_colour, match_colour, selected_colour
from workbench.ui.translatable import QT_TRANSLATE_NOOP


@dataclass(frozen=True)
class CitedSpan:
    """How ``marked_html`` draws the span a citation points at: underlined on ``colour``, with
    the rest of its passage (but its term marks) in ``faded`` text, so the span stands out even
    where the question's term marks cover most of it."""

    start: int
    end: int
    colour: str
    faded: str


def marked_html(text: str, spans: Sequence[tuple[int, int]], colour: str, cited: CitedSpan | None = None) -> str:
    """``text`` as HTML with ``spans`` (character offsets) on a ``colour`` background, and the
    ``cited`` span drawn around them: the question's term marks stay, the underline shows where
    the span runs even across them."""
    length = len(text)
    marks, position = [], 0
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if start < position or end <= start:
            continue
        marks.append((start, end))
        position = end
    edges = (0, 0) if cited is None else (max(0, cited.start), min(length, cited.end))
    cuts = sorted({0, length, *(offset for span in marks for offset in span), *edges})
    pieces = []
    for start, end in pairwise(cuts):
        in_mark = any(s <= start and end <= e for s, e in marks)
        styles = [f"background-color:{colour}"] if in_mark else []
        if cited is not None and edges[0] <= start and end <= edges[1]:
            styles += [] if in_mark else [f"background-color:{cited.colour}"]
            styles.append("text-decoration:underline")
        elif cited is not None and not in_mark:
            styles.append(f"color:{cited.faded}")
        piece = html.escape(text[start:end])
        pieces.append(f'<span style="{"; ".join(styles)}">{piece}</span>' if styles else piece)
    return "".join(pieces).replace("\n", "<br>")


_PATH_NAMES = {
    "bm25": QT_TRANSLATE_NOOP("HitList", "BM25"),
    "dense": QT_TRANSLATE_NOOP("HitList", "dense"),
    "cross-lingual": QT_TRANSLATE_NOOP("HitList", "cross-lingual"),
    "companion": QT_TRANSLATE_NOOP("HitList", "second embedder"),
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
        self._cited: Support | None = None
        self.show_hits([])

    def retranslate(self) -> None:
        self._render()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # the theme changed: marks in its colours
            self._render()

    def show_hits(self, hits: Sequence[Hit], empty_text: str | None = None) -> None:
        self._hits, self._empty_shown, self._cited = list(hits), empty_text, None
        self._render()
        self.verticalScrollBar().setValue(0)

    def show_cited(self, support: Support | None) -> None:
        """Underline the span ``support`` points at in its passage (found by rank and chunk) and
        scroll it into view; None takes it away.  The query's term marks stay as they are."""
        cited = self._cited_hit(support)
        self._cited = support if cited is not None else None
        self._render()
        if support is not None and cited is not None:
            self._scroll_into_view()

    def _cited_hit(self, support: Support | None) -> int | None:
        if support is None:
            return None
        for number, hit in enumerate(self._hits):
            if hit.rank == support.rank and hit.chunk_id == support.chunk_id:
                return number
        return None

    def _render(self) -> None:
        """Draw the hits again, keeping the scroll position (a hovered citation redraws them)."""
        scrolled = self.verticalScrollBar().value()
        palette = self.palette()
        mark = match_colour(palette).name()
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        card = card_colour(palette)
        if not self._hits:
            empty = self.tr(self._empty_shown or self._empty_text)
            self.setHtml(f'<p style="color:{muted}">{html.escape(empty)}</p>')
            return
        cited_number, support = self._cited_hit(self._cited), self._cited
        blocks = []
        for number, hit in enumerate(self._hits):
            page = f" · {self.pages_text(hit)}" if hit.page is not None else ""
            heading = f" · {html.escape(hit.heading)}" if hit.heading else ""
            paths = self.found_by_text(hit)
            found_by = self.tr("found by {paths}").format(paths=paths)
            found = f'<br><span style="color:{muted}">{html.escape(found_by)}</span>' if paths else ""
            cited = None
            if support is not None and number == cited_number:
                cited = CitedSpan(support.start, support.end, selected_colour(palette).name(), muted)
            text = marked_html(hit.text, hit.matched, mark, cited)
            blocks.append(
                f'<table width="100%" cellpadding="6" style="background-color:{card.name()}; margin-bottom:6px">'
                f"<tr><td><b>#{hit.rank}</b> &nbsp;<b>{hit.score:.3f}</b>"
                f' &nbsp;<a href="hit:{number}">{html.escape(hit.document)}</a>'
                f'<span style="color:{muted}"> · {hit.start}–{hit.end}{page}{heading}</span>{found}'
                f"<br>{text}</td></tr></table>"
            )
        self.setHtml("".join(blocks))
        self.verticalScrollBar().setValue(scrolled)

    def _scroll_into_view(self) -> None:
        """Scroll as little as brings the cited span into view (its top, when it is taller than the view)."""
        shown = self.cited_rect()
        if shown is None:
            return
        margin, height = self.fontMetrics().height(), self.viewport().height()
        bar = self.verticalScrollBar()
        if shown.top() < 0 or shown.height() > height - 2 * margin:
            bar.setValue(bar.value() + shown.top() - margin)
        elif shown.bottom() > height:
            bar.setValue(bar.value() + shown.bottom() - height + margin)

    def cited_rect(self) -> QRect | None:
        """Where the cited span is in the viewport, from its first line's top to its last line's bottom."""
        found = self._cited_positions()
        if found is None:
            return None
        cursor = QTextCursor(self.document())
        cursor.setPosition(found[0])
        first = self.cursorRect(cursor)
        cursor.setPosition(found[1])
        return first.united(self.cursorRect(cursor))

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
        return [
            fragment.text()
            for fragment in self._fragments()
            if fragment.charFormat().background().color().name() == wanted
        ]

    def cited_text(self) -> str:
        """The underlined stretch a citation points at, as shown (term marks inside it included); "" without one."""
        found = self._cited_positions()
        if found is None:
            return ""
        cursor = QTextCursor(self.document())
        cursor.setPosition(found[0])
        cursor.setPosition(found[1], QTextCursor.MoveMode.KeepAnchor)
        return cursor.selectedText().replace("\u2028", "\n")

    def _cited_positions(self) -> tuple[int, int] | None:
        """Document positions where the cited span begins and ends (underlined text that is not a link)."""
        spans = [
            (fragment.position(), fragment.position() + fragment.length())
            for fragment in self._fragments()
            if fragment.charFormat().fontUnderline() and not fragment.charFormat().isAnchor()
        ]
        return (spans[0][0], spans[-1][1]) if spans else None

    def _fragments(self) -> Iterator[QTextFragment]:
        block = self.document().begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                if fragment.isValid():
                    yield fragment
                iterator += 1
            block = block.next()
