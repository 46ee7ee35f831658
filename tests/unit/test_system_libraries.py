"""Before Qt starts, missing X11 libraries are named with the command that installs them."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from workbench import system_libraries
from workbench.system_libraries import Missing, check, missing_libraries, needs_xcb

LDD_REPORT = """\
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007f1)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb-icccm.so.4 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f2)
"""


def test_unresolved_sonames_are_read_from_ldd_once_each() -> None:
    missing = missing_libraries(Path("libqxcb.so"), ldd=lambda _: LDD_REPORT)
    assert missing == Missing(("libxcb-icccm.so.4", "libxcb-keysyms.so.1"))
    assert missing_libraries(Path("libqxcb.so"), ldd=lambda _: "\tlibxcb.so.1 => /lib/libxcb.so.1\n") is None


def test_the_sentence_names_the_libraries_and_the_apt_and_dnf_commands() -> None:
    line = Missing(("libxcb-icccm.so.4", "libxcb-keysyms.so.1")).sentence()
    assert "\n" not in line
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in line
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1" in line
    assert "sudo dnf install xcb-util-wm xcb-util-keysyms" in line


def test_an_unknown_soname_gets_debians_package_name_by_rule() -> None:
    assert Missing(("libfoo-bar.so.2",)).debian() == ["libfoo-bar2"]
    assert Missing(("libxfoo3.so.1",)).debian() == ["libxfoo3-1"]


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, True),
        ({"QT_QPA_PLATFORM": "xcb"}, True),
        ({"QT_QPA_PLATFORM": "offscreen"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, False),
        ({"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "xcb"}, True),
    ],
)
def test_only_an_x11_start_needs_the_xcb_plugin(environ: dict[str, str], expected: bool) -> None:
    assert needs_xcb(environ, platform="linux") is expected
    assert needs_xcb(environ, platform="darwin") is False


@pytest.mark.skipif(system_libraries.xcb_plugin() is None, reason="PySide6 has no xcb plugin on this platform")
def test_the_check_runs_ldd_on_pyside6s_own_plugin() -> None:
    seen: list[Path] = []

    def fake_ldd(path: Path) -> str:
        seen.append(path)
        return LDD_REPORT

    assert "libxcb-keysyms1" in (check({}, ldd=fake_ldd) or "")
    assert seen and seen[0].name == "libqxcb.so" and seen[0].exists()
    assert check({"QT_QPA_PLATFORM": "offscreen"}, ldd=fake_ldd) is None


@pytest.mark.skipif(system_libraries.xcb_plugin() is None, reason="PySide6 has no xcb plugin on this platform")
@pytest.mark.parametrize("module", ["workbench.system_libraries", "workbench"])
def test_the_app_exits_with_one_line_before_qt_when_a_library_is_missing(tmp_path: Path, module: str) -> None:
    fake = tmp_path / "ldd"  # the loader's answer for a machine without libxcb-icccm4
    fake.write_text("#!/bin/sh\necho '\tlibxcb-icccm.so.4 => not found'\n")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(PATH=f"{tmp_path}{os.pathsep}{env.get('PATH', '')}", DISPLAY=":99")
    result = subprocess.run([sys.executable, "-m", module, *(["--no-model"] if module == "workbench" else [])],
                            capture_output=True, text=True, env=env, timeout=120)  # fmt: skip
    assert result.returncode == 3
    assert result.stderr.strip().splitlines() == [
        "workbench: Qt's X11 platform plugin cannot start: missing libxcb-icccm.so.4. Install them with: "
        "sudo apt-get install libxcb-icccm4  (Fedora/RHEL: sudo dnf install xcb-util-wm)"
    ]
    assert "Traceback" not in result.stderr
