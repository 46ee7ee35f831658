"""The lessons shipped with the workbench (``resources/lessons/*.wblesson``).

They follow chapters 1, 4, 5 and 6 of the book in Chinese and English.  A bundled lesson
cannot carry runs of a user's project, so its steps are live actions on the demo model:
opening one imports it into the project (``ImportLessonParams``) and presenting it runs
each step in front of the room.  ``tools/bundled_lessons.py`` writes the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.base.paths import RESOURCES_DIR
from workbench.store.lesson_file import SUFFIX, read_lesson_file

BUNDLED_LESSONS_DIR = RESOURCES_DIR / "lessons"


@dataclass(frozen=True)
class BundledLesson:
    path: Path
    title: str
    steps: int


def bundled_lessons() -> list[BundledLesson]:
    """Every bundled lesson, by file name (chapter, then language)."""
    found = []
    for path in sorted(BUNDLED_LESSONS_DIR.glob(f"*{SUFFIX}")):
        document = read_lesson_file(path)
        found.append(BundledLesson(path, str(document["lesson"]["title"]), len(document.get("steps") or [])))
    return found
