"""The text of a demo-world article as the model reads it in a context (book §6.3).

The demo model learned to read articles whose HTML was reduced to one block per line; the
editing lab samples the same articles for ROME's key covariance and T-Patcher's memory, so it
must reduce them the same way.  Lives in the core because the runtime needs it; the demo
world builder (``tools.demo_world``) imports it from here when it writes the training text.
"""

from __future__ import annotations

from html.parser import HTMLParser
from typing import ClassVar


class _TextExtractor(HTMLParser):
    _BLOCKS: ClassVar[frozenset[str]] = frozenset({"p", "h1", "h2", "h3", "li", "ul", "div", "br", "title"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("head", "script", "style"):
            self._skip += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "script", "style"):
            self._skip -= 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(html: str) -> str:
    """The visible text of an article, one block per line (what a RAG loader would index)."""
    extractor = _TextExtractor()
    extractor.feed(html)
    lines = [line.strip() for line in "".join(extractor.parts).splitlines()]
    return "\n".join(line for line in lines if line) + "\n"


def readable_text(text: str, doc_format: str) -> str:
    """An article as the model reads it in a context: HTML reduced to text, others as they are."""
    return html_to_text(text) if doc_format == "html" else text
