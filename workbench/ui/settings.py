"""Persistent preferences (QSettings): theme, font scale, language, run history grouping, recent
projects, window layout."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

from workbench.ui.language import system_language

MAX_RECENT = 8


class AppSettings:
    """Typed access to QSettings so keys and defaults live in one place."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings or QSettings("LLM Workbench", "LLM Workbench")

    @property
    def theme(self) -> str:
        return str(self.qsettings.value("view/theme", "light"))

    @theme.setter
    def theme(self, value: str) -> None:
        self.qsettings.setValue("view/theme", value)

    @property
    def font_scale(self) -> float:
        # QSettings hands back what the backend stored: a float, or its text from an INI file
        value = self.qsettings.value("view/font_scale", 1.0)
        return float(value) if isinstance(value, str | int | float) else 1.0

    @font_scale.setter
    def font_scale(self, value: float) -> None:
        self.qsettings.setValue("view/font_scale", float(value))

    @property
    def language(self) -> str:
        """The interface language code; the system's language until the user picks one."""
        return str(self.qsettings.value("view/language", system_language()))

    @language.setter
    def language(self, value: str) -> None:
        self.qsettings.setValue("view/language", value)

    @property
    def history_grouped(self) -> bool:
        """Whether the run history groups its runs by lab (off until the user switches it on)."""
        return bool(self.qsettings.value("view/history_grouped", False, type=bool))

    @history_grouped.setter
    def history_grouped(self, value: bool) -> None:
        self.qsettings.setValue("view/history_grouped", bool(value))

    @property
    def recent_projects(self) -> list[str]:
        value = self.qsettings.value("project/recent", [])
        items = [value] if isinstance(value, str) else list(value) if isinstance(value, Iterable) else []
        return [p for p in items if p]

    def add_recent_project(self, path: str) -> None:
        path = str(Path(path).resolve())
        recent = [p for p in self.recent_projects if p != path]
        self.qsettings.setValue("project/recent", [path, *recent][:MAX_RECENT])

    @property
    def window_geometry(self) -> QByteArray | None:
        value = self.qsettings.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @window_geometry.setter
    def window_geometry(self, value: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", value)

    @property
    def window_state(self) -> QByteArray | None:
        value = self.qsettings.value("window/state")
        return value if isinstance(value, QByteArray) else None

    @window_state.setter
    def window_state(self, value: QByteArray) -> None:
        self.qsettings.setValue("window/state", value)


def default_project_path() -> Path:
    """The demo project, opened (or created) when the app starts with no arguments."""
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    folder.mkdir(parents=True, exist_ok=True)
    return folder / "demo.wbproj"


def application_settings() -> QSettings | None:
    """The running application's settings, for panels' last-used values.

    None when no organisation name is set — the tests' case — so a test never reads or
    writes the user's real preferences.
    """
    from PySide6.QtCore import QCoreApplication

    if not QCoreApplication.organizationName():
        return None
    return QSettings(QCoreApplication.organizationName(), QCoreApplication.applicationName())
