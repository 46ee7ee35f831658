"""The interface language: which Qt translators are installed, and switching them live.

Every translation source in ``resources/i18n`` is named ``<area>_<locale>.ts`` (one area per
group of labs, so two people can translate at once); for a language this installs one
``QTranslator`` per ``*_<locale>.qm`` found, plus Qt's own ``qtbase_<locale>.qm`` for the
standard dialogs and buttons.  Installing or removing a translator makes Qt send every
widget a ``QEvent.LanguageChange``; each widget then sets its texts again in
``retranslate()`` (see ``ui/panels/base.py``), so typed inputs, results and runs stay.
"""

from __future__ import annotations

import logging
import subprocess

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from workbench.i18n_build import I18N_DIR, LreleaseMissing, build

log = logging.getLogger(__name__)

LANGUAGES: dict[str, str] = {"en": "English", "zh_CN": "简体中文"}
"""Language code → its name in itself (how the View › Language menu lists it)."""
SOURCE_LANGUAGE = "en"
"""The language the code is written in: it needs no translator."""

_installed: list[QTranslator] = []
"""The translators in use: kept referenced, or Python would free them under Qt's feet."""


def system_language() -> str:
    """The supported language closest to the system locale (Chinese → 简体中文, else English)."""
    return "zh_CN" if QLocale.system().name().startswith("zh") else SOURCE_LANGUAGE


_current = SOURCE_LANGUAGE


def current_language() -> str:
    return _current


def install_language(code: str) -> str:
    """Replace the installed translators by those of ``code``; returns the language now in use
    (the source language when ``code`` is unknown or has no compiled translation)."""
    global _current
    app = QCoreApplication.instance()
    assert app is not None, "install_language needs a QApplication"
    for translator in _installed:
        app.removeTranslator(translator)
        translator.deleteLater()
    _installed.clear()
    _current = SOURCE_LANGUAGE
    if code not in LANGUAGES or code == SOURCE_LANGUAGE:
        return _current
    try:
        build()  # a fresh clone, or a .ts edited since the last build
    except (LreleaseMissing, OSError, subprocess.CalledProcessError) as error:
        log.warning("translations not compiled: %s", error)
    qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    files = [str(path) for path in sorted(I18N_DIR.glob(f"*_{code}.qm"))]
    for path, folder in [(f"qtbase_{code}.qm", qt_folder), *((f, "") for f in files)]:
        translator = QTranslator(app)
        if translator.load(path, folder):
            app.installTranslator(translator)
            _installed.append(translator)
        else:
            log.warning("could not load the translation %s", path)
    if files:
        _current = code
    return _current


class Retranslating:
    """Mixin for a widget with texts of its own: ``retranslate()`` sets them all.

    The widget calls ``self.retranslate()`` at the end of ``__init__`` and Qt calls it again
    on ``QEvent.LanguageChange``, which it sends to every widget when the language changes.
    Only texts are set there (labels, buttons, tooltips, placeholders, headers): never
    values, so what the user typed and the results shown stay.  List it before the Qt base
    class (``class Foo(Retranslating, QWidget)``) so its ``changeEvent`` is the one Qt calls.
    """

    def retranslate(self) -> None:
        """Set every visible text of this widget (not of its child widgets: they do their own)."""

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)  # type: ignore[misc]  # a mixin: the Qt widget class after it in the MRO defines changeEvent
