"""Chinese text is drawable on a machine with no Chinese font of its own."""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QFontMetrics

from workbench.ui.fonts import bundled_cjk_font, ensure_cjk_font


def test_after_set_up_some_font_covers_simplified_chinese_and_latin_text_keeps_its_font(qapp) -> None:
    latin = QFontInfo(qapp.font()).family()
    ensure_cjk_font()
    assert QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    assert QFontInfo(qapp.font()).family() == latin  # English labels keep their width on a projector


def test_the_packaged_font_draws_the_books_terms(qapp) -> None:
    path = bundled_cjk_font()
    assert path is not None, "the set-up installs the CJK font package on Linux"
    (family,) = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(path)))
    metrics = QFontMetrics(QFont(family))
    assert all(metrics.inFontUcs4(ord(character)) for character in "因果追踪模型编辑贪心搜索")
