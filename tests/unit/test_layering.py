"""The core, the store and the CLI run without a display or Qt.

Which workbench package may import which (app → ui | cli → worker → core → store → base, the
core through the store's public names only, no cycles) is import-linter's to check: the
contracts are in ``pyproject.toml`` (``lint-imports``).  This test covers what they cannot
see, the third-party Qt packages, and that the Qt-free modules really import without them.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import workbench

PACKAGE_ROOT = Path(workbench.__file__).parent
QT_FREE = ("base", "core", "store", "cli")
FORBIDDEN = ("PySide6", "pyqtgraph", "workbench.ui", "workbench.worker", "workbench.app")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _qt_free_modules() -> list[str]:
    modules = []
    for package in QT_FREE:
        for path in sorted((PACKAGE_ROOT / package).rglob("*.py")):
            parts = path.relative_to(PACKAGE_ROOT.parent).with_suffix("").parts
            if parts[-1] == "__main__":
                continue
            modules.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return modules


def test_no_qt_free_module_imports_qt_or_the_ui() -> None:
    offenders = []
    for package in QT_FREE:
        for path in (PACKAGE_ROOT / package).rglob("*.py"):
            bad = {name for name in _imports(path) if name.startswith(FORBIDDEN)}
            if bad:
                offenders.append(f"{path.relative_to(PACKAGE_ROOT)}: {sorted(bad)}")
    assert not offenders, "\n".join(offenders)


def _runtime_imports(path: Path) -> set[str]:
    """Imports outside ``if TYPE_CHECKING:`` blocks (those never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            node.body = []
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_base_imports_nothing_above_it_when_it_runs() -> None:
    offenders = []
    for path in sorted((PACKAGE_ROOT / "base").rglob("*.py")):
        above = {name for name in _runtime_imports(path) if name.split(".")[:2] != ["workbench", "base"]}
        bad = {name for name in above if name.startswith("workbench")}
        if bad:
            offenders.append(f"{path.relative_to(PACKAGE_ROOT)}: {sorted(bad)}")
    assert not offenders, "\n".join(offenders)


def test_core_store_and_cli_import_without_pyside6_loaded() -> None:
    modules = _qt_free_modules()
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph')))\n"
        "assert not loaded, loaded\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
