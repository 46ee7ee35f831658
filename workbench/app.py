"""Start-up: QApplication, settings, the main window, then the demo project and model.

The window is shown before anything heavy happens; torch is first imported by the worker
thread when the model-loading job runs, so the app is usable within a couple of seconds.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import system_libraries
from workbench.core.rag.threads import set_wait_policy_env

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from workbench.ui.main_window import MainWindow
    from workbench.worker import WorkerHost

STARTED_AT = time.perf_counter()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="workbench", description="LLM Workbench desktop app")
    parser.add_argument("project", nargs="?", help="project file (.wbproj); default: the demo project")
    parser.add_argument("--model", default="demo", help="model to load at start: 'demo', a folder or a hub id")
    parser.add_argument("--no-model", action="store_true", help="do not load a model at start")
    parser.add_argument("--screenshot", metavar="PATH", help="render the main window offscreen to PATH and exit")
    parser.add_argument(
        "--panel", help="with --screenshot: the lab to show (sampling, tracing, editing, finetune, rag)"
    )
    parser.add_argument("--timeout", type=float, default=120.0, help="with --screenshot: seconds to wait for jobs")
    parser.add_argument(
        "--report-startup", action="store_true", help="print seconds until the window is shown, then exit"
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    if args.screenshot or args.report_startup:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    missing = system_libraries.check()  # before Qt: it would abort with a misleading hint instead
    if missing is not None:
        print(missing, file=sys.stderr)
        return 3
    set_wait_policy_env()  # before torch/faiss load: spinning OpenMP pools starve the GUI and queries
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")

    from PySide6.QtWidgets import QApplication

    from workbench.core.model.spec import ModelSpec
    from workbench.ui.language import install_language
    from workbench.ui.main_window import MainWindow
    from workbench.ui.settings import AppSettings, default_project_path
    from workbench.ui.theme import apply_theme
    from workbench.worker import WorkerHost

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    app.setApplicationName("LLM Workbench")
    app.setOrganizationName("LLM Workbench")
    settings = AppSettings()
    apply_theme(app, settings.theme, settings.font_scale)
    install_language(settings.language)
    host = WorkerHost()
    window = MainWindow(host, settings)
    if args.screenshot:
        window.resize(1440, 900)  # the same frame for every documentation picture
    if args.panel:
        if args.panel not in window.panels:
            print(f"workbench: unknown panel '{args.panel}'; choose from {', '.join(window.panels)}", file=sys.stderr)
            host.shutdown()
            return 2
        window.tabs.setCurrentWidget(window.panels[args.panel])
    window.show()

    if args.report_startup:
        app.processEvents()
        print(f"window shown after {time.perf_counter() - STARTED_AT:.2f} s (since workbench.app import)")
        window.close()
        return 0

    window.open_project(args.project or str(default_project_path()), create=True)
    if not args.no_model:
        window.load_model(ModelSpec.parse(args.model))
    if args.screenshot:
        _screenshot_when_idle(app, window, host, Path(args.screenshot), args.timeout)
    return app.exec()


def _screenshot_when_idle(app: QApplication, window: MainWindow, host: WorkerHost, path: Path, timeout: float) -> None:
    """Poll until the start-up jobs are done (or the timeout), grab the window and quit.

    The exit status is 1 when a start-up job failed (the model did not load, say), so that a
    screenshot doubles as a smoke test of a build: a packaged binary that cannot load the demo
    model still draws a window, and only the status tells.
    """
    from PySide6.QtCore import QTimer

    deadline = time.monotonic() + timeout
    failures: list[str] = []
    host.sig_job_failed.connect(lambda _job, message, _details: failures.append(message))

    def check() -> None:
        if host.busy and time.monotonic() < deadline:
            return
        timer.stop()
        app.processEvents()
        path.parent.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(path))
        print(f"saved {path}")
        for message in failures:
            print(f"workbench: a start-up job failed: {message}", file=sys.stderr)
        window.close()
        app.exit(1 if failures else 0)

    timer = QTimer(window)
    timer.setInterval(200)
    timer.timeout.connect(check)
    timer.start()


if __name__ == "__main__":
    sys.exit(main())
