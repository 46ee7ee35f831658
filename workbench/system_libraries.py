"""Before Qt starts: do the shared libraries of Qt's X11 platform plugin resolve?

PySide6's wheels carry Qt but not the X11/XCB helper libraries it links against.  When one is
missing, Qt prints a misleading hint (it names ``libxcb-cursor0`` even when that one is
installed) and aborts.  ``ldd`` on the plugin tells exactly which sonames do not resolve; this
module turns them into one sentence with the distribution packages to install.

Qt-free on purpose: it runs before ``PySide6.QtGui`` is imported (``python -m
workbench.system_libraries`` from ``./dev.sh app``, and at the start of ``workbench``).
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

# soname -> (Debian/Ubuntu package, Fedora/RHEL package)
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-xinput.so.0": ("libxcb-xinput0", "libxcb"),
    "libxcb-glx.so.0": ("libxcb-glx0", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libSM.so.6": ("libsm6", "libSM"),
    "libICE.so.6": ("libice6", "libICE"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libOpenGL.so.0": ("libopengl0", "libglvnd-opengl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
    "libglib-2.0.so.0": ("libglib2.0-0", "glib2"),
}

NOT_FOUND = re.compile(r"^\s*(\S+)\s*=>\s*not found", re.MULTILINE)
SCREENLESS = {"offscreen", "minimal", "vnc", "linuxfb", "eglfs", "wayland"}


@dataclass(frozen=True)
class Missing:
    """Sonames that did not resolve, with the packages that provide them."""

    sonames: tuple[str, ...]

    def debian(self) -> list[str]:
        return _unique(PACKAGES.get(name, (_guess(name), ""))[0] for name in self.sonames)

    def fedora(self) -> list[str]:
        return _unique(PACKAGES[name][1] for name in self.sonames if name in PACKAGES)

    def sentence(self) -> str:
        """One line: what is missing and the exact commands that install it."""
        line = (
            f"workbench: Qt's X11 platform plugin cannot start: missing {', '.join(self.sonames)}. "
            f"Install them with: sudo apt-get install {' '.join(self.debian())}"
        )
        fedora = self.fedora()
        return line + (f"  (Fedora/RHEL: sudo dnf install {' '.join(fedora)})" if fedora else "")


def _unique(names: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(name for name in names if name))


def _guess(soname: str) -> str:
    """Debian's naming rule for a library package: libfoo.so.1 -> libfoo1 (libfoo-bar.so.0 -> libfoo-bar0)."""
    stem, _, version = soname.partition(".so.")
    return f"{stem}{'-' if stem[-1:].isdigit() else ''}{version.split('.')[0]}".lower()


def xcb_plugin() -> Path | None:
    """PySide6's ``libqxcb.so``, found without importing PySide6 (None: not a Linux wheel)."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        plugin = Path(root) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.exists():
            return plugin
    return None


def run_ldd(library: Path) -> str:
    """``ldd``'s report on ``library`` (empty when there is no ldd, e.g. on macOS)."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return ""
    result = subprocess.run([ldd, str(library)], capture_output=True, text=True, timeout=60, check=False)
    return result.stdout + result.stderr


def missing_libraries(library: Path, ldd: Callable[[Path], str] = run_ldd) -> Missing | None:
    """The sonames ``library`` needs that the dynamic loader cannot find (None: all resolve)."""
    names = _unique(NOT_FOUND.findall(ldd(library)))
    return Missing(tuple(names)) if names else None


def needs_xcb(environ: dict[str, str] | os._Environ[str] = os.environ, platform: str = sys.platform) -> bool:
    """Only an X11 start on Linux uses the xcb plugin (offscreen tests and Wayland do not)."""
    if not platform.startswith("linux"):
        return False
    chosen = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if chosen:
        return chosen == "xcb"
    return not environ.get("WAYLAND_DISPLAY")


def check(environ: dict[str, str] | os._Environ[str] = os.environ, ldd: Callable[[Path], str] = run_ldd) -> str | None:
    """The sentence to print when Qt's X11 start would fail for want of libraries, else None."""
    if not needs_xcb(environ):
        return None
    plugin = xcb_plugin()
    if plugin is None:
        return None
    missing = missing_libraries(plugin, ldd)
    return None if missing is None else missing.sentence()


def main() -> int:
    problem = check()
    if problem is None:
        return 0
    print(problem, file=sys.stderr)
    return 3


if __name__ == "__main__":
    sys.exit(main())
