"""The project file survives a killed writer, and a reader thread works beside a writer thread."""

from __future__ import annotations

import random
import select
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path

import numpy as np
import pytest

import workbench
from workbench.store.project import ProjectStore

REPO_ROOT = Path(workbench.__file__).resolve().parents[1]


def _expected_arrays(run_id: int) -> dict[str, np.ndarray]:
    """What the writer stores for ``run_id``; incompressible so each commit is ~160 kB."""
    rng = np.random.default_rng(run_id)
    return {
        "weights": rng.standard_normal((200, 200)).astype(np.float32),
        "ids": np.arange(run_id, run_id + 1000, dtype=np.int64),
    }


_WRITER = f"""
import sys
sys.path.insert(0, {str(Path(__file__).parent)!r})
from test_store_safety import _expected_arrays
from workbench.store.project import ProjectStore

store = ProjectStore.open(sys.argv[1])
while True:
    run_id = store.start_run("crash", {{"n": 1}}, title="victim", model_id=None)
    store.append_curve_points(run_id, "loss", [(step, 1.0 / (step + 1)) for step in range(50)])
    store.finish_run(run_id, status="finished", result=_expected_arrays(run_id), metrics={{"id": run_id}})
    print(run_id, flush=True)
"""


def _read_ids(process: subprocess.Popen[str], until: float, wanted: int) -> list[int]:
    """Ids the child printed (after each commit) until ``wanted`` or the deadline."""
    ids: list[int] = []
    assert process.stdout is not None
    while len(ids) < wanted and time.monotonic() < until:
        ready, _, _ = select.select([process.stdout], [], [], 0.5)
        if ready:
            line = process.stdout.readline()
            if not line:
                break
            ids.append(int(line))
    return ids


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")
def test_a_writer_killed_mid_write_leaves_a_valid_file_with_every_reported_run_intact(tmp_path: Path) -> None:
    path = tmp_path / "crash.wbproj"
    ProjectStore.create(path).close()
    reported: list[int] = []
    rng = random.Random(7)
    for _ in range(3):  # kill at three different moments
        process = subprocess.Popen(
            [sys.executable, "-c", _WRITER, str(path)],
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            first = _read_ids(process, time.monotonic() + 60, wanted=4)
            assert len(first) == 4, process.stderr.read() if process.poll() is not None else "writer too slow"
            time.sleep(rng.uniform(0.0, 0.05))
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(10)
        reported += first + _read_ids(process, time.monotonic() + 5, wanted=10**9)  # lines already in the pipe
        assert process.returncode == -signal.SIGKILL

    with closing(sqlite3.connect(path)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    with ProjectStore.open(path) as store:
        runs = {run.id: run for run in store.list_runs()}
        assert set(reported) <= set(runs)
        for run_id in reported:
            run = store.load_run(run_id)
            assert run.summary.status == "finished" and run.summary.metrics == {"id": run_id}
            for name, expected in _expected_arrays(run_id).items():
                assert np.array_equal(run.result[name], expected), (run_id, name)
            assert run.curves["loss"].steps.tolist() == list(range(50))
        unreported = [run for run_id, run in runs.items() if run_id not in reported]
        assert all(run.status == "finished" or run.error == "interrupted" for run in unreported)
        assert not [run for run in runs.values() if run.status == "running"]


def test_a_reader_thread_reads_consistent_runs_while_a_writer_thread_writes(tmp_path: Path) -> None:
    path = tmp_path / "threads.wbproj"
    writer_store = ProjectStore.create(path)
    reader_store = ProjectStore.open(path, read_only=True)  # as the GUI thread does
    total = 25
    errors: list[BaseException] = []
    pauses = (5, 15)
    """The writer waits at these counts until the reader has listed them, so the reader sees
    the history grow however the threads are scheduled (the writes between run concurrently)."""
    writer_done = threading.Event()
    seen_counts: list[int] = []
    seen = threading.Condition()
    checked: set[int] = set()

    def write() -> None:
        try:
            for written in range(1, total + 1):
                run_id = writer_store.start_run("thread", {}, title="w", model_id=None)
                for step in range(5):
                    writer_store.append_curve_points(run_id, "loss", [(step, float(step))])
                writer_store.finish_run(run_id, status="finished", result=_expected_arrays(run_id))
                if written in pauses:
                    with seen:
                        listed = seen.wait_for(
                            lambda written=written: bool(seen_counts) and seen_counts[-1] >= written, timeout=60
                        )
                    assert listed, f"the reader never listed {written} runs"
        except BaseException as error:  # reported by the main thread
            errors.append(error)
        finally:
            writer_done.set()

    def read() -> None:
        try:
            while not writer_done.is_set() or len(checked) < total:
                runs = reader_store.list_runs()
                with seen:
                    seen_counts.append(len(runs))
                    seen.notify_all()
                for summary in runs:
                    if summary.status == "finished" and summary.id not in checked:
                        run = reader_store.load_run(summary.id)  # finished ⇒ every array is there
                        assert np.array_equal(run.result["weights"], _expected_arrays(summary.id)["weights"])
                        checked.add(summary.id)
                if writer_done.is_set() and errors:
                    return
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=write), threading.Thread(target=read)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    try:
        assert not any(thread.is_alive() for thread in threads)
        assert not errors, errors
        assert len(checked) == total
        assert seen_counts == sorted(seen_counts) and seen_counts[-1] == total
        assert set(pauses) < set(seen_counts), "the reader should have seen the history grow"
    finally:
        reader_store.close()
        writer_store.close()
