"""GUI responsiveness while the Fine-tuning lab trains and draws its live curves.

The probe of ``bench_gui``: a 5 ms ``QTimer`` whose lateness is the event-loop stall.  The
panel is shown and receives every throttled partial (cumulative curves handed to
``setData``) while the worker trains LoRA on a tiny GPT-2 for thousands of steps, so the
curves hold thousands of points by the end.  Baseline in the same run: the idle event loop
with the same panel shown.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from bench_gui import _probe_stalls
from PySide6.QtCore import Qt

from workbench.core.finetune.params import TrainingProgress
from workbench.core.model.spec import LoadModelParams, ModelSpec
from workbench.ui.panels.finetune import FinetunePanel
from workbench.worker import WorkerHost

TRAIN_SECONDS = 6.0


def test_event_loop_stall_while_the_finetune_panel_trains(
    qtbot, tiny_model_dir: Path, tmp_path: Path, bench_record
) -> None:
    host = WorkerHost()
    panel = FinetunePanel(host)
    qtbot.addWidget(panel)
    panel.resize(1440, 900)
    panel.show()
    try:
        job_id = host.submit(LoadModelParams(ModelSpec(source="folder", name=str(tiny_model_dir))))
        with qtbot.waitSignal(host.sig_run_finished, timeout=120000, check_params_cb=lambda j, *_: j == job_id):
            pass
        data = tmp_path / "facts.jsonl"
        data.write_text(
            "\n".join(json.dumps({"prompt": f"Where is it? {i}", "completion": " Paris."}) for i in range(40))
        )
        panel.data.source.setCurrentIndex(panel.data.source.findData("jsonl"))
        panel.data.path.setText(str(data))
        panel.settings.folder.setText(str(tmp_path / "adapters"))
        form = panel.settings.train
        form.editor("epochs").setValue(1000.0)
        form.editor("max_steps").setValue(100_000)
        form.editor("batch_size").setValue(1)
        form.editor("eval_every").setValue(50)
        form.editor("patience").setValue(0)
        qtbot.waitUntil(lambda: not host.busy, timeout=60000)  # count and preview jobs done
        idle = _probe_stalls(qtbot, 2.0)

        partials: list[TrainingProgress] = []
        host.sig_progress.connect(lambda _j, _f, _m, p: partials.append(p) if isinstance(p, TrainingProgress) else None)
        with qtbot.waitSignal(
            host.sig_progress, timeout=60000, check_params_cb=lambda *a: isinstance(a[3], TrainingProgress)
        ):
            qtbot.mouseClick(panel.settings.start_button, Qt.MouseButton.LeftButton)
        training = _probe_stalls(qtbot, TRAIN_SECONDS)
        points = len(panel.training.loss_plot.data("train_loss")[0])
        with qtbot.waitSignal(host.sig_job_cancelled, timeout=60000):
            qtbot.mouseClick(panel.settings.cancel_button, Qt.MouseButton.LeftButton)
    finally:
        host.shutdown()
    idle_p99 = float(np.percentile(idle, 99))
    p99 = float(np.percentile(training, 99))
    print(
        f"\nBENCH finetune-gui-stall: p50 {np.percentile(training, 50):.2f} ms, p99 {p99:.2f} ms, "
        f"max {training.max():.1f} ms over {TRAIN_SECONDS:.0f} s of training ({len(partials)} partials drawn, "
        f"{points} points per curve at the end); ratio p99 {p99 / max(idle_p99, 0.01):.1f}x vs idle-loop p99 "
        f"{idle_p99:.2f} ms (target p99 < 50 ms)"
    )
    assert bench_record("finetune-gui stall p99 (training)", p99, "<", 50.0, "ms")
