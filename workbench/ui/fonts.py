"""A Chinese font for machines that have none.

Windows and macOS ship CJK fonts; a minimal Linux (a fresh VM, a container, a CI runner) often
has none, and then every Chinese label, the book's passages in the RAG lab and the Chinese
notes of an exported slide deck are drawn as empty boxes.  On Linux the set-up installs Noto
Sans CJK (OFL) from a package of the registry; it is registered with Qt only when no
installed font covers Simplified Chinese, so a machine's own CJK font always wins.  It is
not made a substitute of the interface font: Qt would then draw Latin text with it too
(wider, taller lines that no longer fit a projector); the platform's font fallback picks
it for the Chinese glyphs alone.
"""

from __future__ import annotations

import importlib.util
import logging
from functools import cache
from pathlib import Path

from PySide6.QtGui import QFontDatabase

log = logging.getLogger(__name__)

FONT_PACKAGE = "cvttf_NotoSansCJK_Regular"
"""The package whose folder holds ``NotoSansCJK*-Regular.otf``."""


def bundled_cjk_font() -> Path | None:
    """The packaged Noto Sans CJK file, or None when the package is not installed."""
    spec = importlib.util.find_spec(FONT_PACKAGE)
    if spec is None or spec.origin is None:
        return None
    return next((path for path in sorted(Path(spec.origin).parent.iterdir()) if path.suffix.lower() == ".otf"), None)


@cache
def ensure_cjk_font() -> str | None:
    """Register the packaged CJK font if no installed font covers Simplified Chinese; returns
    its family when it did.  Call once a ``QApplication`` exists (cached: later calls are free)."""
    if QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese):
        return None
    path = bundled_cjk_font()
    if path is None:
        log.warning("No font covers Chinese and %s is not installed: Chinese text shows as boxes", FONT_PACKAGE)
        return None
    families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(path)))
    if not families:
        log.warning("Qt could not read the CJK font %s", path)
        return None
    return families[0]
