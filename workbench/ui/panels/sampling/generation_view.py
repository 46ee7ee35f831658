"""The Generation page: coloured text, the branch tree, and the step inspector, kept in sync.

Clicking a token selects its step in the inspector (and the inspector's ◀ ▶ move the
highlight in the text); right-clicking a token offers its alternatives to branch from.
Space asks for one more token in step mode; ← and → walk through the steps (→ on the newest
step of a step-mode generation asks for the next token, see the panel).
"""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QCoreApplication, QPoint, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QMenu, QSplitter, QVBoxLayout, QWidget

from workbench.core.sampling.records import SamplingResult
from workbench.ui.language import Retranslating
from workbench.ui.panels.sampling.branches import BranchTree
from workbench.ui.panels.sampling.inspector import StepInspector
from workbench.ui.panels.sampling.labels import describe_settings, percent, stop_reason
from workbench.ui.panels.sampling.token_spans import ResultSpans, TooltipCache, result_spans
from workbench.ui.widgets.probability_colours import ProbabilityLegend
from workbench.ui.widgets.token_text import TokenTextView, visible_token

MENU_ALTERNATIVES = 10


class GenerationView(Retranslating, QWidget):
    sig_branch_requested = Signal(int, int)  # step, token id
    sig_step_key = Signal()  # Space

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._branch_id: int | None = None
        self._spans = ResultSpans((), (), ())
        self._tooltips = TooltipCache()

        self.text = TokenTextView(font_scale=1.45)
        self.text.sig_token_clicked.connect(self._on_token_clicked)
        self.text.sig_token_menu_requested.connect(self._on_token_menu)
        self.stats = QLabel()
        self.stats.setTextFormat(Qt.TextFormat.RichText)
        self.stats.setWordWrap(True)
        self.branches = BranchTree()
        self.inspector = StepInspector()
        self.inspector.sig_step_selected.connect(self._on_step_selected)
        self.inspector.sig_branch_requested.connect(self.sig_branch_requested)

        text_card = _card()
        text_layout = QVBoxLayout(text_card)
        text_layout.setSpacing(4)
        self.heading = heading = QLabel()
        heading.setProperty("role", "heading")
        self.legend = legend = ProbabilityLegend()
        # the legend sits beside the (wrapping) stats, not the heading, so the card can narrow
        # to fit 1280×720 without cutting the legend off
        stats_row = QHBoxLayout()
        stats_row.addWidget(self.stats, 1)
        stats_row.addWidget(legend, 0, Qt.AlignmentFlag.AlignTop)
        text_layout.addWidget(heading)
        text_layout.addLayout(stats_row)
        text_layout.addWidget(self.text, 1)

        tree_card = _card()
        tree_card.setMinimumWidth(200)
        tree_layout = QVBoxLayout(tree_card)
        self.tree_heading = tree_heading = QLabel()
        tree_heading.setProperty("role", "heading")
        self.tree_hint = tree_hint = QLabel()
        tree_hint.setProperty("role", "muted")
        tree_hint.setWordWrap(True)
        tree_layout.addWidget(tree_heading)
        tree_layout.addWidget(tree_hint)
        tree_layout.addWidget(self.branches, 1)
        # small minimums: a splitter ignores how tall the wrapped hint above the branches is, so
        # the views give way to it in a Chinese Present layout at 1280×720; the splitter gives them the rest
        self.text.setMinimumHeight(52)
        self.branches.setMinimumHeight(40)

        inspector_card = _card()
        inspector_layout = QVBoxLayout(inspector_card)
        inspector_layout.setContentsMargins(10, 6, 10, 6)  # the frame's own padding is enough above and below
        inspector_layout.addWidget(self.inspector)

        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(text_card)
        top.addWidget(tree_card)
        top.setStretchFactor(0, 3)
        top.setStretchFactor(1, 1)
        top.setSizes([700, 300])
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(inspector_card)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        split.setSizes([300, 500])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)

        for key, slot in (
            (Qt.Key.Key_Space, self.sig_step_key.emit),
            (Qt.Key.Key_Right, lambda: self.inspector.step_by(1)),
            (Qt.Key.Key_Left, lambda: self.inspector.step_by(-1)),
        ):
            shortcut = QShortcut(QKeySequence(key), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(slot)
        self.retranslate()

    def retranslate(self) -> None:
        self.text.setPlaceholderText(
            self.tr("The generated text appears here, each token tinted by how likely the model found it.")
        )
        self.heading.setText(self.tr("Generated text"))
        self.legend.set_title(self.tr("token probability"))
        self.legend.setToolTip(
            self.tr("Hover a token for its alternatives, click it to inspect its step, right-click to branch.")
        )
        self.tree_heading.setText(self.tr("Branches"))
        self.tree_hint.setText(self.tr("A branch regenerates from a token you picked."))
        self._show_stats()

    def _show_stats(self) -> None:
        result = self.branches.branch(self._branch_id).result if self._branch_id is not None else None
        if result is not None:
            self.stats.setText(_stats(result))
        elif self._branch_id is not None:
            self.stats.setText("<i>" + self.tr("generating…") + "</i>")

    # -- public ------------------------------------------------------------------------------
    def show_branch(self, branch_id: int, step: int | None = None, animate: bool = False) -> None:
        """Show a branch of the tree; ``step`` selects a step (default: keep the selection)."""
        branch = self.branches.branch(branch_id)
        result = branch.result
        switching = branch_id != self._branch_id
        self._branch_id = branch_id
        if result is None:
            self._spans = ResultSpans((), (), ())
            self.text.set_content("", ())
            self._show_stats()
            self.inspector.set_result(None)
            return
        self._spans = result_spans(result, marked_steps=self.branches.branch_points(branch_id), tooltips=self._tooltips)
        if switching or self.text.prefix() != result.params.prompt:
            self.text.set_content(result.params.prompt, self._spans.spans)
        else:
            self.text.replace_spans(self._spans.spans)
        self._show_stats()
        self.inspector.set_result(result, step=step, animate=animate)
        self._on_step_selected(self.inspector.selected_step())

    def current_branch(self) -> int | None:
        return self._branch_id

    def shown_spans(self) -> ResultSpans:
        """The spans of the text view and the steps each one covers."""
        return self._spans

    # -- internals ---------------------------------------------------------------------------
    def _on_token_clicked(self, span: int) -> None:
        steps = self._spans.steps_of_span[span]
        self.inspector.select_step(steps[0])

    def _on_step_selected(self, step: int | None) -> None:
        if step is None or step >= len(self._spans.span_of_step):
            self.text.set_selected(None)
            return
        self.text.set_selected(self._spans.span_of_step[step])

    def _on_token_menu(self, span: int, position: QPoint) -> None:
        if self._branch_id is None:
            return
        result = self.branches.branch(self._branch_id).result
        step_index = self._spans.steps_of_span[span][0]
        if result is None or step_index >= len(result.steps) or result.params.strategy == "beam":
            return
        step = result.steps[step_index]
        menu = QMenu(self)
        menu.addSection(self.tr("Branch at step {step} with…").format(step=step_index + 1))
        for row in range(min(MENU_ALTERNATIVES, len(step.candidate_ids))):
            if row == step.chosen_index:
                continue
            token_id = int(step.candidate_ids[row])
            action = menu.addAction(
                f"{visible_token(step.candidate_tokens[row])}    {percent(float(step.raw_probs[row]))}"
            )
            action.triggered.connect(
                lambda _checked=False, s=step_index, t=token_id: self.sig_branch_requested.emit(s, t)
            )
        menu.popup(position)


def _stats(result: SamplingResult) -> str:
    count = len(result.token_ids)
    parts = [
        f"<b>{html.escape(describe_settings(result.params))}</b>",
        QCoreApplication.translate("GenerationView", "{count} tokens").format(count=count),
    ]
    if result.steps:
        parts.append(f"log p {result.logprob:.2f}")
        perplexity = f"{math.exp(-result.logprob / len(result.steps)):.2f}"
        parts.append(QCoreApplication.translate("GenerationView", "perplexity {value}").format(value=perplexity))
    if result.params.strategy == "sample":
        parts.append(QCoreApplication.translate("GenerationView", "seed {seed}").format(seed=result.seed))
    parts.append(stop_reason(result.stop_reason))
    return " · ".join(parts)


def _card() -> QFrame:
    card = QFrame()
    card.setProperty("role", "card")
    return card
