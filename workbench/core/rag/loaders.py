"""Files and folders → the original text of each document (book §6.3.1, knowledge base).

Each format goes through a well-kept parser: ``pypdf`` (PDF, page by page), ``python-docx``
(Word), ``beautifulsoup4`` (HTML); plain text and markdown are decoded as they are.  The
text returned *is* the document's original text: chunk offsets, highlights and the CLI's
``start``/``end`` all point into it.  Headings of HTML and Word documents become markdown
``#`` lines so that heading chunking works on every format.

A file that cannot be read raises ``UnreadableFile`` with one sentence saying why
(unsupported type, binary, corrupt, encrypted, empty); the ingest job records it for that
file and goes on with the rest of the batch.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from workbench.base.errors import WorkbenchError

SUFFIX_KINDS = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
    ".pdf": "pdf",
    ".docx": "docx",
}
_BINARY_SNIFF = 8192
_BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "form", "header", "hr", "li", "main", "nav", "ol", "p", "pre",
    "section", "table", "tr", "td", "th", "ul", "title",
)  # fmt: skip


class UnreadableFile(WorkbenchError):
    """A file could not be turned into text; the message says why in one sentence."""


@dataclass(frozen=True)
class LoadedDocument:
    path: Path
    kind: str
    """``txt``, ``md``, ``html``, ``pdf`` or ``docx``."""
    text: str
    page_starts: tuple[int, ...]
    """Offset of each page's first character (PDF); empty for formats without pages."""
    content_hash: str
    """SHA-256 of the file's bytes: the same bytes under another name are a duplicate."""


def kind_of(path: Path) -> str | None:
    return SUFFIX_KINDS.get(path.suffix.lower())


def collect_files(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Expand folders (recursively, hidden entries skipped, sorted) into files.

    Returns the files to load and ``(path, reason)`` for paths that do not exist or files
    of a type no loader reads, so every input is accounted for.
    """
    files: list[Path] = []
    problems: list[tuple[str, str]] = []
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            children = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p.relative_to(path)))
            candidates = children
        elif path.is_file():
            candidates = [path]
        else:
            problems.append((str(path), f"{path} does not exist."))
            continue
        for candidate in candidates:
            if kind_of(candidate) is None:
                problems.append((str(candidate), _unsupported_message(candidate)))
            else:
                files.append(candidate.resolve())
    unique = list(dict.fromkeys(files))
    return unique, problems


def load_document(path: Path) -> LoadedDocument:
    """Read one file into its original text, or raise ``UnreadableFile``."""
    kind = kind_of(path)
    if kind is None:
        raise UnreadableFile(_unsupported_message(path))
    try:
        data = path.read_bytes()
    except OSError as error:
        raise UnreadableFile(f"{path.name} cannot be opened ({error.strerror or error}).") from error
    if not data:
        raise UnreadableFile(f"{path.name} is empty.")
    page_starts: tuple[int, ...] = ()
    if kind in ("txt", "md"):
        text = _decode_text(path.name, data)
    elif kind == "html":
        text = _html_text(path.name, data)
    elif kind == "pdf":
        text, page_starts = _pdf_text(path.name, data)
    else:
        text = _docx_text(path.name, data)
    if not text.strip():
        hint = " (a scanned PDF needs OCR first)" if kind == "pdf" else ""
        raise UnreadableFile(f"{path.name} contains no text{hint}.")
    return LoadedDocument(path, kind, text, page_starts, hashlib.sha256(data).hexdigest())


def document_title(text: str) -> str:
    """The first non-empty line, without its markdown ``#``s, when it is short enough to be a
    title (HTML ``<title>``/``<h1>`` and Word headings arrive as such a line); else ``""``."""
    for line in text.splitlines():
        line = line.strip().lstrip("#").strip()
        if line:
            return line if len(line) <= 200 else ""
    return ""


def _hidden(relative: Path) -> bool:
    return any(part.startswith(".") for part in relative.parts)


def _unsupported_message(path: Path) -> str:
    suffix = path.suffix or "(no extension)"
    supported = ", ".join(sorted(SUFFIX_KINDS))
    return f"{path.name}: {suffix} files are not supported (supported: {supported})."


def _decode_text(name: str, data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030 (common for Chinese notes)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise UnreadableFile(f"{name} announces UTF-16 but is not valid UTF-16.") from error
    if b"\x00" in data[:_BINARY_SNIFF]:
        raise UnreadableFile(f"{name} looks like a binary file, not text.")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return text.replace("\r\n", "\n").replace("\r", "\n")
    raise UnreadableFile(f"{name} is not UTF-8 or GB18030 text.")


def _html_text(name: str, data: bytes) -> str:
    from bs4 import BeautifulSoup

    if b"\x00" in data[:_BINARY_SNIFF]:
        raise UnreadableFile(f"{name} looks like a binary file, not HTML.")
    try:
        soup = BeautifulSoup(data, "lxml")
    except Exception as error:  # parser failures come in many types; the batch must go on
        raise UnreadableFile(f"{name} could not be parsed as HTML ({error}).") from error
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup(["head", "script", "style", "noscript", "template"]):
        tag.decompose()
    for level in range(1, 7):
        for heading in soup.find_all(f"h{level}"):
            heading.insert_before("\n\n" + "#" * level + " ")
            heading.insert_after("\n\n")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = [" ".join(line.split()) for line in soup.get_text().split("\n")]
    text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    if title and not text.startswith("#"):
        text = f"# {title}\n\n{text}"
    return text


def _pdf_text(name: str, data: bytes) -> tuple[str, tuple[int, ...]]:
    from pypdf import PasswordType, PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # damage is reported per file, not logged

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise UnreadableFile(f"{name} is encrypted with a password; decrypt it first.")
        pages = [page.extract_text() or "" for page in reader.pages]
    except UnreadableFile:
        raise
    except Exception as error:  # pypdf raises PdfReadError, ValueError, KeyError … on damage
        raise UnreadableFile(f"{name} is not a readable PDF ({type(error).__name__}: {error}).") from error
    starts: list[int] = []
    parts: list[str] = []
    offset = 0
    for page_text in pages:
        starts.append(offset)
        parts.append(page_text)
        offset += len(page_text) + 2
    return "\n\n".join(parts), tuple(starts)


def _docx_text(name: str, data: bytes) -> str:
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        for item in document.iter_inner_content():
            if isinstance(item, Table):
                blocks.extend("\t".join(cell.text.strip() for cell in row.cells) for row in item.rows)
                continue
            text = item.text.strip()
            if not text:
                continue
            style = (item.style.name if item.style is not None else "") or ""
            match = re.fullmatch(r"Heading (\d)", style)
            if match:
                text = "#" * int(match.group(1)) + " " + text
            elif style == "Title":
                text = "# " + text
            blocks.append(text)
    except Exception as error:  # python-docx: PackageNotFoundError, BadZipFile, KeyError …
        raise UnreadableFile(f"{name} is not a readable Word (.docx) document ({type(error).__name__}).") from error
    return "\n\n".join(blocks)
