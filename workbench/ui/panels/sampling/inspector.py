"""The step inspector: one step's next-token distribution and what the sampler did to it.

Sliders for temperature, top-k and top-p redraw the stored step through ``replay`` (numpy,
no model call), so a lecturer can show what top-p = 0.9 would keep at this very step.
Clicking a candidate asks for a branch: the generation regenerated from this step with it.
"""

from __future__ import annotations

import html
import math
from dataclasses import replace

import numpy as np
from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from workbench.core.sampling.params import SamplingParams
from workbench.core.sampling.records import SamplingResult, StepRecord
from workbench.core.sampling.replay import PipelineView, replay_step
from workbench.ui.language import Retranslating
from workbench.ui.panels.sampling.labels import bits, percent, stage_label
from workbench.ui.widgets.distribution_bars import Distribution, DistributionBars
from workbench.ui.widgets.token_text import visible_token

_CUT_STAGES = ("top_k", "top_p", "min_p")
"""Stages whose kept set is a prefix of the candidates (by probability), so a line marks the cut."""


class _Knob:
    """A slider with its caption and value label; the slider holds integers, ``scale`` maps them."""

    def __init__(self, caption: str, minimum: int, maximum: int, scale: float, zero_text: str = "") -> None:
        """``caption``, ``zero_text``: in the interface language; the inspector sets them again
        on a language change with ``set_texts``."""
        self.caption = QLabel(caption)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(minimum, maximum)
        self.slider.setMinimumWidth(70)
        self.value_label = QLabel()
        self.value_label.setMinimumWidth(44)
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.scale = scale
        self.zero_text = zero_text
        self.slider.valueChanged.connect(self._show_value)

    def value(self) -> float:
        return self.slider.value() * self.scale

    def set_value(self, value: float) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(int(round(value / self.scale)))
        self.slider.blockSignals(False)
        self._show_value()

    def set_texts(self, caption: str, zero_text: str = "") -> None:
        self.caption.setText(caption)
        self.zero_text = zero_text
        self._show_value()

    def _show_value(self) -> None:
        raw = self.slider.value()
        self.value_label.setText(self.zero_text if raw == 0 and self.zero_text else f"{self.value():g}")


class StepInspector(Retranslating, QWidget):
    """Header, bar chart, sliders; follows the result the panel shows."""

    sig_step_selected = Signal(int)
    sig_branch_requested = Signal(int, int)  # step index, token id
    sig_use_settings = Signal(float, int, float)  # temperature, top-k, top-p
    sig_past_last_step = Signal()  # → pressed on the last step (step mode asks for a new token)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._result: SamplingResult | None = None
        self._index: int | None = None
        self._run_params = SamplingParams()

        self.title = QLabel()
        self.title.setProperty("role", "heading")
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.RichText)
        self.header.setWordWrap(True)
        self.previous_button = QPushButton("◀")
        self.next_button = QPushButton("▶")
        for button in (self.previous_button, self.next_button):
            button.setFixedWidth(36)
        self.previous_button.clicked.connect(lambda: self.step_by(-1))
        self.next_button.clicked.connect(lambda: self.step_by(1))

        self.bars = DistributionBars()
        # a projector at 1280×720 in Present mode, in Chinese (taller lines), leaves no more;
        # the splitter gives it the rest
        self.bars.setMinimumHeight(80)
        self.bars.sig_row_clicked.connect(self._on_row_clicked)

        self.temperature = _Knob("", 1, 60, 0.05)
        self.top_k = _Knob("", 0, 100, 1)
        self.top_p = _Knob("", 1, 100, 0.01)
        self.knobs = (self.temperature, self.top_k, self.top_p)
        for knob in self.knobs:
            knob.slider.valueChanged.connect(self._redraw)
        self.reset_button = QPushButton()
        self.reset_button.clicked.connect(self.reset_knobs)
        self.use_button = QPushButton()
        self.use_button.clicked.connect(
            lambda: self.sig_use_settings.emit(self.temperature.value(), int(self.top_k.value()), self.top_p.value())
        )
        self.hint = QLabel()
        self.hint.setProperty("role", "muted")
        self.hint.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addStretch(1)
        top.addWidget(self.previous_button)
        top.addWidget(self.next_button)
        knobs = QGridLayout()
        knobs.setHorizontalSpacing(8)
        for column, knob in enumerate(self.knobs):
            knobs.addWidget(knob.caption, 0, column * 3)
            knobs.addWidget(knob.slider, 0, column * 3 + 1)
            knobs.addWidget(knob.value_label, 0, column * 3 + 2)
            knobs.setColumnStretch(column * 3 + 1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.hint, 1)
        buttons.addWidget(self.reset_button)
        buttons.addWidget(self.use_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)  # five rows: the style's spacing cost a Chinese Present layout its fit at 1280×720
        layout.addLayout(top)
        layout.addWidget(self.header)
        layout.addWidget(self.bars, 1)
        layout.addLayout(knobs)
        layout.addLayout(buttons)
        self.header.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.reset_knobs()
        self._update_enabled()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Step inspector"))
        self.previous_button.setToolTip(self.tr("Previous step (←)"))
        self.next_button.setToolTip(self.tr("Next step (→)"))
        self.bars.set_names(self.tr("model"), self.tr("after temperature"), self.tr("sampled from"))
        self.temperature.set_texts(self.tr("Temperature"))
        self.top_k.set_texts(self.tr("Top-k"), zero_text=self.tr("off"))
        self.top_p.set_texts(self.tr("Top-p"))
        self.reset_button.setText(self.tr("Reset"))
        self.reset_button.setToolTip(self.tr("Back to the settings this generation used"))
        self.use_button.setText(self.tr("Use for next generation"))
        self.use_button.setToolTip(self.tr("Copy these three settings into the sampling settings (strategy: sample)"))
        self._show_hint()
        self._redraw()

    def _show_hint(self) -> None:
        if self._result is None:
            self.hint.setText("")
            return
        self.hint.setText(
            self.tr("Click a bar to branch: regenerate from this step with that token.")
            if self.bars.clickable
            else self.tr(
                "Beam search keeps several hypotheses at once: see its tree. Branching needs greedy or sampling."
            )
        )

    # -- public ------------------------------------------------------------------------
    def set_result(self, result: SamplingResult | None, step: int | None = None, animate: bool = False) -> None:
        """Show ``result``; select ``step`` (default: keep the selection, or the first step)."""
        new_run = result is None or self._result is None or result.params != self._result.params
        self._result = result
        if new_run:
            self._run_params = result.params if result is not None else SamplingParams()
            self.reset_knobs(redraw=False)
        count = len(result.steps) if result is not None else 0
        if step is None:
            step = self._index if self._index is not None and self._index < count else 0
        self._index = step if count else None
        branchable = result is not None and result.params.strategy != "beam"
        self.bars.clickable = branchable
        self._show_hint()
        self._redraw(animate=animate)
        self._update_enabled()

    def select_step(self, index: int, animate: bool = True) -> None:
        if self._result is None or not 0 <= index < len(self._result.steps):
            return
        self._index = index
        self._redraw(animate=animate)
        self._update_enabled()
        self.sig_step_selected.emit(index)

    def step_by(self, delta: int) -> None:
        if self._result is None or self._index is None:
            return
        target = self._index + delta
        if target >= len(self._result.steps):
            self.sig_past_last_step.emit()
            return
        self.select_step(max(0, target))

    def selected_step(self) -> int | None:
        return self._index

    def view_params(self) -> SamplingParams:
        """The run's settings with the sliders' temperature, top-k and top-p."""
        return replace(
            self._run_params,
            temperature=self.temperature.value(),
            top_k=int(self.top_k.value()),
            top_p=self.top_p.value(),
        )

    def reset_knobs(self, redraw: bool = True) -> None:
        params = self._run_params
        self.temperature.set_value(min(max(params.temperature, 0.05), 3.0))
        self.top_k.set_value(min(params.top_k, 100))
        self.top_p.set_value(max(params.top_p, 0.01))
        if redraw:
            self._redraw()

    # -- drawing -----------------------------------------------------------------------
    def _redraw(self, *_args: object, animate: bool = False) -> None:
        step = self._current_step()
        if step is None:
            self.bars.set_distribution(Distribution(labels=(), base=np.zeros(0), final=np.zeros(0)))
            self.bars.note.setText("")
            if self._result is None:
                self.header.setText(
                    self.tr("Generate some text, then click a token to see the distribution it was drawn from.")
                )
            return
        params = self.view_params()
        if params == self._run_params and self._run_params.strategy == "sample":
            view = _recorded_view(step)  # exact, also where a cut falls outside the shown candidates
        else:
            view = replay_step(step, params, self._result.vocab_size)  # type: ignore[union-attr]  # shown only while a result is set (the step buttons are disabled without one)
        self.bars.set_distribution(_distribution(step, view, params), animate=animate)
        self.bars.note.setText(_rest_note(step, view, self._result.vocab_size))  # type: ignore[union-attr]  # shown only while a result is set (the step buttons are disabled without one)
        self.header.setText(self._header_text(step))

    def _current_step(self) -> StepRecord | None:
        if self._result is None or self._index is None or self._index >= len(self._result.steps):
            return None
        return self._result.steps[self._index]

    def _header_text(self, step: StepRecord) -> str:
        assert self._result is not None and self._index is not None
        p = math.exp(step.chosen_logprob)
        how = {"greedy": self.tr("greedy took"), "beam": self.tr("beam search kept"), "sample": self.tr("sampled")}[
            self._result.params.strategy
        ]
        if step.forced:
            how = self.tr("branch gave")
        token = html.escape(visible_token(step.chosen_token))
        return self.tr(
            "<b>Step {step}</b> of {count} · {how} <b>{token}</b> (p = {p}, surprisal {surprisal} bits) · "
            "entropy of the distribution {entropy} bits"
        ).format(
            step=self._index + 1,
            count=len(self._result.steps),
            how=how,
            token=token,
            p=percent(p),
            surprisal=f"{bits(-step.chosen_logprob):.2f}",
            entropy=f"{bits(step.entropy):.2f}",
        )

    def _update_enabled(self) -> None:
        count = len(self._result.steps) if self._result is not None else 0
        has_step = self._index is not None
        self.previous_button.setEnabled(has_step and self._index > 0)  # type: ignore[operator]  # _index is set whenever has_step is true
        self.next_button.setEnabled(has_step)
        for knob in self.knobs:
            knob.slider.setEnabled(count > 0)
        self.reset_button.setEnabled(count > 0)
        self.use_button.setEnabled(count > 0)

    def _on_row_clicked(self, row: int) -> None:
        step = self._current_step()
        if step is None or self._index is None:
            return
        self.sig_branch_requested.emit(self._index, int(step.candidate_ids[row]))


def _distribution(step: StepRecord, view: PipelineView, params: SamplingParams) -> Distribution:
    """Bars for ``step`` replayed with ``params``: model, after temperature, sampled from, cuts."""
    base = step.raw_probs.astype(float)
    names = view.stage_names
    tempered = view.probs[names.index("temperature") + 1] if "temperature" in names else None
    final = view.probs[-1]
    removed_by = np.full(len(base), -1)
    for stage, mask in enumerate(view.removed):
        removed_by[mask & (removed_by < 0)] = stage
    notes = []
    for row in range(len(base)):
        if removed_by[row] >= 0:
            notes.append(f"{percent(base[row])}  ✕ {stage_label(names[removed_by[row]])}")
        elif abs(final[row] - base[row]) >= max(0.0005, 0.01 * base[row]):
            notes.append(f"{percent(base[row])} → {percent(final[row])}")
        else:
            notes.append(percent(base[row]))
    cuts = []
    cut_values = {
        "top_k": f"top-k = {params.top_k}",
        "top_p": f"top-p = {params.top_p:g}",
        "min_p": f"min-p = {params.min_p:g}",
    }
    for stage, name in enumerate(names):
        if name in _CUT_STAGES and view.removed[stage].any():
            first = int(np.flatnonzero(view.removed[stage])[0])
            cuts.append((first - 0.5, cut_values[name]))
    return Distribution(
        labels=[visible_token(token) for token in step.candidate_tokens],
        base=base,
        final=final,
        intermediate=tempered,
        notes=notes,
        removed=removed_by >= 0,
        chosen=step.chosen_index,
        cuts=cuts,
    )


def _recorded_view(step: StepRecord) -> PipelineView:
    """The pipeline as the run applied it (the step's own record), in the replay's shape."""
    probs = np.vstack([step.raw_probs[None, :], step.stage_probs]).astype(float)
    return PipelineView(
        stage_names=step.stage_names, probs=probs, rest=np.clip(1.0 - probs.sum(axis=1), 0.0, 1.0), removed=step.removed
    )


def _rest_note(step: StepRecord, view: PipelineView, vocab_size: int) -> str:
    hidden = vocab_size - len(step.candidate_ids)
    if hidden <= 0:
        return ""
    rest_raw = max(0.0, 1.0 - float(step.raw_probs.sum()))
    rest_final = float(view.rest[-1])
    if view.stage_names:
        text = QCoreApplication.translate(
            "StepInspector", "+ {count} tokens not shown: {rest} ({after} after the sampler)"
        )
    else:
        text = QCoreApplication.translate("StepInspector", "+ {count} tokens not shown: {rest}")
    return text.format(count=f"{hidden:,}", rest=percent(rest_raw), after=percent(rest_final))
