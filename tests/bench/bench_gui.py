"""GUI responsiveness while the worker computes, and time from launch to window shown.

Baselines in the same run: the event-loop probe with an idle worker, and a bare Qt window
started by a plain ``python -c``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numpy as np
import pytest
from bench_jobs import PythonBusyParams, TorchBusyParams
from PySide6.QtCore import QElapsedTimer, QTimer

from workbench.worker import WorkerHost

PROBE_INTERVAL_MS = 5


def _probe_stalls(qtbot, seconds: float, host: WorkerHost | None = None, params: object = None) -> np.ndarray:
    """Lateness (ms) of a 5 ms QTimer over ``seconds``, optionally while ``params`` runs."""
    clock = QElapsedTimer()
    stamps: list[int] = []
    timer = QTimer()
    timer.setInterval(PROBE_INTERVAL_MS)
    timer.timeout.connect(lambda: stamps.append(clock.nsecsElapsed()))
    if host is not None:
        with qtbot.waitSignal(host.sig_job_started, timeout=10000):
            host.submit(params)
    clock.start()
    timer.start()
    qtbot.wait(int(seconds * 1000))
    timer.stop()
    gaps = np.diff(np.array(stamps, dtype=np.float64)) / 1e6
    return np.maximum(gaps - PROBE_INTERVAL_MS, 0.0)


def test_event_loop_stall_while_worker_computes(qtbot, bench_record) -> None:
    host = WorkerHost()
    try:
        idle = _probe_stalls(qtbot, 2.0)
        torch_busy = _probe_stalls(qtbot, 4.0, host, TorchBusyParams(seconds=5.0))
        qtbot.waitUntil(lambda: not host.busy, timeout=20000)
        python_busy = _probe_stalls(qtbot, 2.5, host, PythonBusyParams(seconds=3.0))
        qtbot.waitUntil(lambda: not host.busy, timeout=20000)
    finally:
        host.shutdown()
    idle_p99 = float(np.percentile(idle, 99))
    missed = []
    for name, stalls in (("torch job", torch_busy), ("python job", python_busy)):
        p99 = float(np.percentile(stalls, 99))
        print(
            f"\nBENCH gui-stall ({name}): p50 {np.percentile(stalls, 50):.2f} ms, p99 {p99:.2f} ms, "
            f"max {stalls.max():.1f} ms; ratio p99 {p99 / max(idle_p99, 0.01):.1f}x vs idle-loop p99 "
            f"{idle_p99:.2f} ms (target p99 < 50 ms)"
        )
        if not bench_record(f"gui stall p99 ({name})", p99, "<", 50.0, "ms"):
            missed.append(name)
    assert not missed


def _time_command(code: list[str]) -> float:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    started = time.perf_counter()
    subprocess.run(code, check=True, env=env, capture_output=True, timeout=120)
    return time.perf_counter() - started


@pytest.mark.parametrize("repeat", [3])
def test_launch_to_window_shown(repeat: int, bench_record) -> None:
    bare = [
        sys.executable,
        "-c",
        "from PySide6.QtWidgets import QApplication, QMainWindow; "
        "app = QApplication([]); w = QMainWindow(); w.show(); app.processEvents()",
    ]
    app = [sys.executable, "-m", "workbench", "--report-startup"]
    bare_s = min(_time_command(bare) for _ in range(repeat))
    app_s = min(_time_command(app) for _ in range(repeat))
    print(
        f"\nBENCH launch-to-window: {app_s:.2f} s; ratio {app_s / bare_s:.2f}x vs bare Qt window {bare_s:.2f} s (target <= 3 s)"
    )
    assert bench_record("launch to window", app_s, "<=", 3.0, "s")
