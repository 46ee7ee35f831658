"""Compile the translation sources (``resources/i18n/*.ts``) into the ``.qm`` files Qt loads.

Qt-free, so the set-up script, the PyInstaller spec and a fresh clone's first start can all
run it: ``python -m workbench.i18n_build`` (``--force`` rebuilds every file).  The ``.qm`` files
are build output and not committed; a source whose ``.qm`` is newer is skipped, so calling
this at every start costs a few ``stat`` calls.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

I18N_DIR = Path(__file__).resolve().parent / "resources" / "i18n"


class LreleaseMissing(RuntimeError):
    """Neither ``pyside6-lrelease`` nor PySide6's bundled ``lrelease`` could be found."""


def lrelease_command() -> list[str]:
    """PySide6's own ``lrelease`` (a wheel ships it in ``PySide6/``), else the console script."""
    spec = importlib.util.find_spec("PySide6")  # locates the package without importing Qt
    if spec is not None and spec.origin is not None:
        package = Path(spec.origin).parent
        for candidate in (package / "lrelease", package / "Qt" / "bin" / "lrelease", package / "lrelease.exe"):
            if candidate.is_file():
                return [str(candidate)]
    script = shutil.which("pyside6-lrelease") or shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
    if script is None:
        raise LreleaseMissing("pyside6-lrelease was not found: install PySide6 (it ships lrelease)")
    return [script]


def stale_sources(folder: Path = I18N_DIR) -> list[Path]:
    """The ``.ts`` files whose ``.qm`` is missing or older than the source."""
    stale = []
    for source in sorted(folder.glob("*.ts")):
        compiled = source.with_suffix(".qm")
        if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
            stale.append(source)
    return stale


def build(folder: Path = I18N_DIR, force: bool = False) -> list[Path]:
    """Compile the stale (or, with ``force``, all) sources; returns the ``.qm`` files written."""
    sources = sorted(folder.glob("*.ts")) if force else stale_sources(folder)
    if not sources:
        return []
    command = lrelease_command()
    written = []
    for source in sources:
        compiled = source.with_suffix(".qm")
        subprocess.run([*command, "-silent", str(source), "-qm", str(compiled)], check=True)
        written.append(compiled)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbench.i18n_build", description=__doc__.splitlines()[0])
    parser.add_argument("--force", action="store_true", help="rebuild every .qm, not only stale ones")
    args = parser.parse_args(argv)
    try:
        written = build(force=args.force)
    except (LreleaseMissing, subprocess.CalledProcessError) as error:
        print(f"i18n_build: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"compiled {path.name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
