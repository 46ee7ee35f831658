"""Watching an adapter learn: live loss and learning-rate curves, progress, earlier runs.

The training job's partials are cumulative ``TrainingProgress`` snapshots; every one is
handed to the existing plot items with ``setData`` (no rebuild), so the curves grow
smoothly at the worker's throttled rate.  Earlier training runs of the project can be
ticked in the list to be drawn muted underneath for comparison.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.core.finetune.params import FinetuneResult, TrainingProgress, TrainingRunCurves
from workbench.store.records import Curve
from workbench.ui.core_messages import translate_core_message
from workbench.ui.language import Retranslating
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.curve_plot import CurvePlot, SeriesStyle

LOSS_SERIES = {
    "train_loss": SeriesStyle(QT_TRANSLATE_NOOP("TrainingView", "train loss"), "#2f6fde", 1.0),
    "eval_loss": SeriesStyle(QT_TRANSLATE_NOOP("TrainingView", "eval loss"), "#e8590c", 2.2, symbol="o"),
}
RATE_SERIES = {"learning_rate": SeriesStyle(QT_TRANSLATE_NOOP("TrainingView", "learning rate"), "#7048e8", 2.0)}
REDRAW_INTERVAL_S = 0.08
"""Curves are redrawn at most ~12 times a second: smooth to the eye, and a redraw (axes,
ticks, text) costs several milliseconds that 30 partials a second would add up."""
_METHOD_LABELS = {
    "lora": "LoRA",
    "prompt": QT_TRANSLATE_NOOP("TrainingView", "prompt"),
    "prefix": QT_TRANSLATE_NOOP("TrainingView", "prefix"),
    "ia3": "IA3",
    "bitfit": "BitFit",
}


def format_duration(seconds: float) -> str:
    if not math.isfinite(seconds):
        return "–"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class TrainingView(Retranslating, QWidget):
    sig_refresh_history = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFormat("")
        self.progress.setTextVisible(True)
        self.progress.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._result: tuple[FinetuneResult, int | None] | None = None
        self._project_open: bool | None = None
        self.stats = QLabel()
        self.stats.setProperty("role", "muted")
        self.log_scale = QCheckBox()
        self.log_scale.toggled.connect(self._on_log_toggled)

        self.loss_plot = CurvePlot("")
        self.rate_plot = CurvePlot("")
        for name, style in LOSS_SERIES.items():
            self.loss_plot.add_series(name, replace(style, label=self.tr(style.label)))
        for name, style in RATE_SERIES.items():
            self.rate_plot.add_series(name, replace(style, label=self.tr(style.label)))
        self.rate_plot.link_x(self.loss_plot)
        self.rate_plot.setMinimumHeight(110)
        plots = QSplitter(Qt.Orientation.Vertical)
        plots.addWidget(self.loss_plot)
        plots.addWidget(self.rate_plot)
        plots.setStretchFactor(0, 3)
        plots.setStretchFactor(1, 1)
        plots.setSizes([420, 150])

        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextFormat(Qt.TextFormat.RichText)
        self.result.setProperty("role", "card")
        self.result.setContentsMargins(10, 8, 10, 8)
        self.result.setVisible(False)

        self.history_heading = history_heading = QLabel()
        history_heading.setStyleSheet("font-weight: 600;")
        history_heading.setWordWrap(True)  # two lines in the 240-pixel column at Present mode's size
        self.history = QListWidget()
        self.history.itemChanged.connect(self._on_history_item_changed)
        self.refresh_button = QPushButton()
        self.refresh_button.clicked.connect(self.sig_refresh_history)
        self.history_hint = QLabel()
        self.history_hint.setProperty("role", "muted")
        self.history_hint.setWordWrap(True)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(history_heading)
        side_layout.addWidget(self.history, 1)
        side_layout.addWidget(self.history_hint)
        side_layout.addWidget(self.refresh_button)
        side.setMaximumWidth(240)
        self._runs: dict[int, TrainingRunCurves] = {}
        self._pending: dict[str, Curve] | None = None
        self._drawn_at = -math.inf
        self._redraw = QTimer(self)
        self._redraw.setSingleShot(True)
        self._redraw.timeout.connect(self.flush)

        top = QHBoxLayout()
        top.addWidget(self.progress, 1)
        top.addWidget(self.log_scale)
        main = QVBoxLayout()
        main.addLayout(top)
        main.addWidget(self.stats)
        main.addWidget(plots, 1)
        main.addWidget(self.result)
        layout = QHBoxLayout(self)
        layout.addLayout(main, 1)
        layout.addWidget(side)
        self._started = False
        """A run was started or shown here (until then the stats line says none was)."""
        self.retranslate()

    def retranslate(self) -> None:
        self.log_scale.setText(self.tr("Log scale"))
        self.log_scale.setToolTip(self.tr("Log-scale loss axis: slow late progress becomes visible"))
        for plot, label in (
            (self.loss_plot, self.tr("loss (nats / token)")),
            (self.rate_plot, self.tr("learning rate")),
        ):
            plot.plot_item.setLabel("left", label)
            plot.plot_item.setLabel("bottom", self.tr("step"))
        for plot, series in ((self.loss_plot, LOSS_SERIES), (self.rate_plot, RATE_SERIES)):
            for name, style in series.items():
                plot.rename_series(name, self.tr(style.label))
        self.history_heading.setText(self.tr("Compare with earlier runs"))
        self.history.setToolTip(self.tr("Tick a run to draw its curves muted under the live ones"))
        self.refresh_button.setText(self.tr("Refresh list"))
        if not self._started:
            self.stats.setText(self.tr("No training yet."))
        self._show_history_hint()
        if self._result is not None:
            self._show_result_card(*self._result)

    # -- a run -------------------------------------------------------------------------
    def start(self, description: str) -> None:
        self._pending = None
        self.loss_plot.clear_data()
        self.rate_plot.clear_data()
        self.progress.setValue(0)
        self.progress.setFormat(self.tr("Preparing…"))
        self._started = True
        self.stats.setText(description)
        self._result = None
        self.result.setVisible(False)

    def show_progress(self, fraction: float, message: str, partial: object) -> None:
        self.progress.setValue(round(1000 * fraction))
        if not isinstance(partial, TrainingProgress):
            self.progress.setFormat(translate_core_message(message) or self.tr("Preparing…"))
            return
        self.progress.setFormat(
            self.tr("step {step} / {total} · epoch {epoch}").format(
                step=partial.step, total=partial.total_steps, epoch=f"{partial.epoch:.2f}"
            )
        )
        self.stats.setText(
            self.tr("{rate} tokens/s · ETA {eta} · {message}").format(
                rate=f"{partial.tokens_per_s:,.0f}",
                eta=format_duration(partial.eta_s),
                message=translate_core_message(message),
            )
        )
        self._pending = partial.curves
        wait = self._drawn_at + REDRAW_INTERVAL_S - time.monotonic()
        if wait <= 0:
            self.flush()
        elif not self._redraw.isActive():
            self._redraw.start(round(wait * 1000))

    def flush(self) -> None:
        """Draw the newest partial's curves if they are not drawn yet."""
        if self._pending is not None:
            curves, self._pending = self._pending, None
            self.show_curves(curves)
            self._drawn_at = time.monotonic()

    def show_curves(self, curves: dict[str, Curve]) -> None:
        for plot, names in ((self.loss_plot, LOSS_SERIES), (self.rate_plot, RATE_SERIES)):
            for name in names:
                curve = curves.get(name)
                if curve is not None:
                    plot.set_data(name, curve.steps, curve.values)

    def show_result(self, result: FinetuneResult, run_id: int | None) -> None:
        self._pending = None
        self.progress.setValue(1000)
        self._result = (result, run_id)
        self._show_result_card(result, run_id)
        self.result.setVisible(True)
        self.show_curves(result.curves)

    def _show_result_card(self, result: FinetuneResult, run_id: int | None) -> None:
        """The progress bar's text, the stats line and the result card of a finished training."""
        self.progress.setFormat(
            self.tr("done · {steps} steps · epoch {epoch}").format(steps=result.steps, epoch=f"{result.epochs:.2f}")
        )
        ending = self.tr(" (stopped early: eval loss stopped improving)") if result.stopped_early else ""
        self.stats.setText(
            self.tr("{rate} tokens/s · {duration} in all{ending}").format(
                rate=f"{result.tokens_per_s:,.0f}", duration=format_duration(result.duration_s), ending=ending
            )
        )
        run = self.tr(" · run #{run}").format(run=run_id) if run_id is not None else ""
        lines = [self.tr("<b>{method}</b> adapter <b>{name}</b>{run}: train loss {loss}").format(
            method=self.tr(_METHOD_LABELS.get(result.method, result.method)), name=result.adapter_name, run=run,
            loss=f"{result.train_loss:.3f}")]  # fmt: skip
        if result.eval_loss is not None and result.base_eval_loss is not None:
            lines.append(
                self.tr(
                    "eval loss <b>{before} → {after}</b> (perplexity {ppl_before} → {ppl_after}, best at step {best})"
                ).format(
                    before=f"{result.base_eval_loss:.3f}",
                    after=f"{result.eval_loss:.3f}",
                    ppl_before=f"{math.exp(result.base_eval_loss):.1f}",
                    ppl_after=f"{math.exp(result.eval_loss):.1f}",
                    best=result.best_step,
                )
            )
        lines.append(self.tr("saved in {folder}").format(folder=result.adapter_dir))
        self.result.setText(" · ".join(lines))

    def show_ended(self, text: str) -> None:
        self.flush()
        self.progress.setFormat(text)
        self.stats.setText(text)

    # -- earlier runs ------------------------------------------------------------------
    def set_history(self, runs: list[TrainingRunCurves], project_open: bool) -> None:
        """Fill the list of earlier runs, keeping the ticked ones ticked and drawn."""
        ticked = set(self.ticked_runs())
        self.history.blockSignals(True)
        self.history.clear()
        self._runs = {run.run_id: run for run in runs}
        for run in runs:
            method = self.tr(_METHOD_LABELS.get(run.method, run.method))
            status = "" if run.status == "finished" else f" ({run.status})"
            item = QListWidgetItem(f"#{run.run_id} {method}{status}")
            item.setToolTip(run.title)
            item.setData(Qt.ItemDataRole.UserRole, run.run_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if run.run_id in ticked else Qt.CheckState.Unchecked)
            self.history.addItem(item)
        self.history.blockSignals(False)
        for key in self.loss_plot.overlay_keys():
            if int(key) not in self._runs:
                self._remove_overlay(int(key))
        for run_id in ticked & set(self._runs):
            self._add_overlay(run_id)
        self.history_hint.setVisible(not project_open or not runs)
        self._project_open = project_open
        self._show_history_hint()

    def _show_history_hint(self) -> None:
        self.history_hint.setText(
            self.tr("No earlier training runs in this project yet.") if self._project_open else
            self.tr("Open a project to keep runs and compare them.")
        )  # fmt: skip

    def set_run_ticked(self, run_id: int, ticked: bool) -> None:
        for row in range(self.history.count()):
            item = self.history.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == run_id:
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def ticked_runs(self) -> list[int]:
        return [
            int(self.history.item(row).data(Qt.ItemDataRole.UserRole))
            for row in range(self.history.count())
            if self.history.item(row).checkState() == Qt.CheckState.Checked
        ]

    def listed_runs(self) -> list[int]:
        return list(self._runs)

    def _on_history_item_changed(self, item: QListWidgetItem) -> None:
        run_id = int(item.data(Qt.ItemDataRole.UserRole))
        if item.checkState() == Qt.CheckState.Checked:
            self._add_overlay(run_id)
        else:
            self._remove_overlay(run_id)

    def _add_overlay(self, run_id: int) -> None:
        run = self._runs[run_id]
        label = f"#{run_id}"
        for plot in (self.loss_plot, self.rate_plot):
            plot.set_overlay(str(run_id), label, {n: (c.steps, c.values) for n, c in run.curves.items()})

    def _remove_overlay(self, run_id: int) -> None:
        for plot in (self.loss_plot, self.rate_plot):
            plot.remove_overlay(str(run_id))

    def _on_log_toggled(self, on: bool) -> None:
        self.loss_plot.set_log_y(on)
