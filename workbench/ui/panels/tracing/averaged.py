"""The averaged causal trace over a fact set (ROME Fig. 2): the average indirect effect
by token group and layer, one heatmap per kind, filling in as facts complete.

Its presets set the facts: "Quick demo", a dozen demo facts in a few seconds for a lecture, or
the default forty, whose smoother maps take about half a minute on two CPU cores.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.tracing.facts import Fact
from workbench.core.tracing.params import (
    DEMO_AVERAGE_FACTS,
    QUICK_DEMO_AVERAGE_FACTS,
    QUICK_DEMO_AVERAGE_SECONDS,
    AveragingParams,
)
from workbench.core.tracing.results import AveragingResult
from workbench.ui.language import Retranslating
from workbench.ui.panels.tracing.presets import DEMO_FACTS_PATH
from workbench.ui.panels.tracing.trio import HeatmapTrio, kind_name
from workbench.ui.translatable import QT_TRANSLATE_NOOP

_GROUP_NAMES = {
    "first subject token": QT_TRANSLATE_NOOP("AveragedView", "first subject token"),
    "middle subject tokens": QT_TRANSLATE_NOOP("AveragedView", "middle subject tokens"),
    "last subject token": QT_TRANSLATE_NOOP("AveragedView", "last subject token"),
    "first subsequent token": QT_TRANSLATE_NOOP("AveragedView", "first subsequent token"),
    "further tokens": QT_TRANSLATE_NOOP("AveragedView", "further tokens"),
    "last token": QT_TRANSLATE_NOOP("AveragedView", "last token"),
}
"""The rows of the averaged maps (``TOKEN_GROUPS``), for translation."""

PRESETS: tuple[tuple[str, int], ...] = (
    (QT_TRANSLATE_NOOP("AveragedView", "Quick demo (≈ {seconds} s): {facts} demo facts"), QUICK_DEMO_AVERAGE_FACTS),
    (QT_TRANSLATE_NOOP("AveragedView", "{facts} demo facts (the default)"), DEMO_AVERAGE_FACTS),
)
"""(label, how many of the demo facts); ``{seconds}`` is the quick demo's measured time."""


class AveragedView(Retranslating, QWidget):
    sig_run_requested = Signal(str, int, bool)  # facts file, fact limit, known facts only

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._result: AveragingResult | None = None
        self._listed: tuple[Fact, ...] = ()
        """A reopened run's facts when the run lists them itself instead of naming a file
        (``tools/real_model/trace.py``): Average takes them again while the file field is empty."""
        self.path = QLineEdit(str(DEMO_FACTS_PATH))
        self.browse_button = browse = QPushButton()
        browse.clicked.connect(self._browse)
        self.limit = QSpinBox()
        self.limit.setRange(1, 100000)
        self.limit.setValue(DEMO_AVERAGE_FACTS)
        self.preset = QComboBox()
        self.preset.addItem("", None)
        for _label, facts in PRESETS:
            self.preset.addItem("", facts)
        self.preset.activated.connect(self._on_preset_chosen)
        # as wide as a short label, not the longest one: the view must still fit 1280 pixels
        self.preset.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset.setMinimumContentsLength(14)
        self.only_known = QCheckBox()
        self.only_known.setChecked(True)
        self.run_button = QPushButton()
        self.run_button.setProperty("role", "primary")
        self.run_button.clicked.connect(self._on_run_clicked)
        self.status = QLabel()
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        self.trio = HeatmapTrio()
        self.facts_caption = QLabel()
        # the file on one row, what to average and the button on the next: in one row they
        # needed 1380 pixels with Present mode's text
        file_row = QHBoxLayout()
        file_row.addWidget(self.preset)
        file_row.addWidget(self.facts_caption)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        run_row = QHBoxLayout()
        run_row.addWidget(self.limit)
        run_row.addWidget(self.only_known)
        run_row.addStretch(1)
        run_row.addWidget(self.run_button)
        layout = QVBoxLayout(self)
        layout.addLayout(file_row)
        layout.addLayout(run_row)
        layout.addWidget(self.status)
        layout.addWidget(self.trio, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.path.setToolTip(self.tr("JSON lines with subject, prompt ({} for the subject) and target_true"))
        self.browse_button.setText(self.tr("Browse…"))
        self.preset.setItemText(0, self.tr("Choose a preset…"))
        for index, (label, facts) in enumerate(PRESETS, start=1):
            self.preset.setItemText(index, self.tr(label).format(seconds=QUICK_DEMO_AVERAGE_SECONDS, facts=facts))
        self.limit.setPrefix(self.tr("first "))
        self.limit.setSuffix(self.tr(" facts"))
        self.only_known.setText(self.tr("known facts only"))
        self.only_known.setToolTip(self.tr("As ROME: skip facts whose object the clean model does not predict"))
        self.run_button.setText(self.tr("Average"))
        self.facts_caption.setText(self.tr("Facts"))
        self._show_listed()
        if self._result is None:
            self.trio.show_hint(self.tr("Run an averaged trace (Average) to see which states carry facts, on average."))
            self.status.setText(
                self.tr(
                    "Averages the indirect effect (restored p − corrupted p) of the facts the model knows, "
                    "with the noise settings of the Trace tab."
                )
            )
        else:
            self.show_result(self._result)

    def show_result(self, result: AveragingResult) -> None:
        self._result = result
        rows = [
            f"{self.tr(_GROUP_NAMES.get(group, group))} ({int(count)})"
            for group, count in zip(result.groups, result.group_counts)
        ]
        state = "" if result.complete else " · " + self.tr("computing…")
        header = (
            self.tr("Average indirect effect over {traced} known facts ({skipped} of {total} skipped)").format(
                traced=result.facts_traced, skipped=result.facts_skipped, total=result.facts_total
            )
            + state
        )
        # the kind alone above each map: the header says "average indirect effect" once, where
        # three titles repeating it ran into one another at 1280×720
        titles = {kind: kind_name(kind) for kind in result.kinds}
        self.trio.show_maps(dict(result.effects), rows, header, value_label="AIE", titles=titles)
        self.status.setText(
            self.tr("Mean clean p = {clean}, mean corrupted p = {corrupted} · {seconds} s").format(
                clean=f"{result.mean_high:.3f}", corrupted=f"{result.mean_low:.3f}", seconds=f"{result.seconds:.1f}"
            )
        )

    def show_settings(self, params: AveragingParams, facts_total: int) -> None:
        """Show what a reopened average averaged: its facts, how many, known facts only, so
        that the form beside its maps does not describe another run."""
        self._listed = () if params.facts_path else params.facts
        self.path.setText(params.facts_path)
        self.limit.setValue(params.limit if params.limit is not None else max(facts_total, 1))
        self.only_known.setChecked(params.only_known)
        self.preset.setCurrentIndex(0)
        self._show_listed()

    def _show_listed(self) -> None:
        """The empty file field names the reopened run's own facts, when it has them."""
        listed = self.tr("the {count} facts listed in the reopened run").format(count=len(self._listed))
        self.path.setPlaceholderText(listed if self._listed else "")

    def listed_facts(self) -> tuple[Fact, ...]:
        """The reopened run's own facts while no file is chosen, else ()."""
        return self._listed if not self.path.text().strip() else ()

    def set_running(self, running: bool) -> None:
        self.run_button.setEnabled(not running)

    def _on_run_clicked(self) -> None:
        self.sig_run_requested.emit(self.path.text().strip(), self.limit.value(), self.only_known.isChecked())

    def _on_preset_chosen(self, index: int) -> None:
        """Fill the form: the demo facts, how many of them, known facts only (as ROME)."""
        facts = self.preset.itemData(index)
        if isinstance(facts, int):
            self.path.setText(str(DEMO_FACTS_PATH))
            self.limit.setValue(facts)
            self.only_known.setChecked(True)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Facts file"),
            str(Path(self.path.text()).parent),
            self.tr("JSON lines (*.jsonl *.json);;All files (*)"),
        )
        if path:
            self.path.setText(path)
