"""Light and dark palettes, font scaling and the presentation look.

One Fusion style for every platform so screenshots in the docs match what users see; the
palette colours are shared with pyqtgraph so plots follow the theme.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication


@dataclass(frozen=True)
class ThemeColors:
    window: str
    base: str
    alt_base: str
    text: str
    muted: str
    accent: str
    border: str


LIGHT = ThemeColors("#f6f7f9", "#ffffff", "#eef1f5", "#1d232b", "#5f6b7a", "#2f6fde", "#d5dae1")
DARK = ThemeColors("#1f2329", "#262b32", "#2d333b", "#e6e9ee", "#9aa5b4", "#5b9cff", "#3a414b")
THEMES = {"light": LIGHT, "dark": DARK}

BASE_POINT_SIZE = 10.0
PRESENT_SCALE = 1.6
"""Presentation mode multiplies the font so the back row of a lecture hall can read it."""


def colors(name: str) -> ThemeColors:
    return THEMES.get(name, LIGHT)


def apply_theme(app: QApplication, name: str, font_scale: float = 1.0) -> None:
    theme = colors(name)
    app.setStyle("Fusion")
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.window,
        QPalette.ColorRole.WindowText: theme.text,
        QPalette.ColorRole.Base: theme.base,
        QPalette.ColorRole.AlternateBase: theme.alt_base,
        QPalette.ColorRole.Text: theme.text,
        QPalette.ColorRole.Button: theme.alt_base,
        QPalette.ColorRole.ButtonText: theme.text,
        QPalette.ColorRole.Highlight: theme.accent,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.ToolTipBase: theme.base,
        QPalette.ColorRole.ToolTipText: theme.text,
        QPalette.ColorRole.PlaceholderText: theme.muted,
        QPalette.ColorRole.Link: theme.accent,
        QPalette.ColorRole.Mid: theme.border,
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.WindowText, QPalette.ColorRole.ButtonText):
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(theme.muted))
    app.setPalette(palette)
    font = QFont(app.font())
    font.setPointSizeF(BASE_POINT_SIZE * font_scale)
    app.setFont(font)
    app.setStyleSheet(_style_sheet(theme, BASE_POINT_SIZE * font_scale))
    pg.setConfigOptions(background=theme.base, foreground=theme.text, antialias=True)


def _style_sheet(theme: ThemeColors, point_size: float) -> str:
    return f"""
    QTabWidget::pane {{ border: 1px solid {theme.border}; border-radius: 6px; top: -1px; }}
    QTabBar::tab {{ padding: 7px 16px; margin-right: 2px; border: 1px solid transparent;
                    border-top-left-radius: 6px; border-top-right-radius: 6px; color: {theme.muted}; }}
    QTabBar::tab:selected {{ background: {theme.base}; border-color: {theme.border};
                             border-bottom-color: {theme.base}; color: {theme.text}; }}
    QDockWidget::title {{ padding: 6px 8px; background: {theme.alt_base}; }}
    QStatusBar {{ border-top: 1px solid {theme.border}; }}
    QLabel[role="heading"] {{ font-size: {point_size * 1.5:.1f}pt; font-weight: 600; }}
    QLabel[role="muted"] {{ color: {theme.muted}; }}
    QLabel[role="answer"] {{ font-size: {point_size * 1.3:.1f}pt; }}
    QFrame[role="card"] {{ background: {theme.base}; border: 1px solid {theme.border}; border-radius: 8px; }}
    QPushButton[role="primary"] {{ background: {theme.accent}; color: white; border: none;
                                   border-radius: 5px; padding: 6px 14px; font-weight: 600; }}
    QPushButton[role="primary"]:disabled {{ background: {theme.border}; color: {theme.muted}; }}
    """
