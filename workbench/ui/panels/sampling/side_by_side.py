"""Side by side: several configurations or seeds on one prompt, in columns.

The shared beginning of each column is muted and the token where it parts from the first
column is highlighted, so the moment two samples take different roads is plain to see;
each column's footer gives its path's log-probability.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.core.sampling.params import SamplingParams
from workbench.core.sampling.records import SideBySideResult
from workbench.ui.language import Retranslating
from workbench.ui.panels.sampling.labels import describe_settings, stop_reason
from workbench.ui.panels.sampling.token_spans import result_spans
from workbench.ui.widgets.token_text import TokenTextView, visible_token

MAX_CONFIGS = 6


class SideBySideView(Retranslating, QWidget):
    """Configuration list on the left, result columns on the right."""

    sig_compare_requested = Signal(tuple)  # of SamplingParams

    def __init__(self, current_settings: Callable[[], SamplingParams], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._current_settings = current_settings
        self._configs: list[SamplingParams] = []
        self._columns: list[tuple[QLabel, TokenTextView, QLabel]] = []
        self._result: SideBySideResult | None = None

        self.title = title = QLabel()
        title.setProperty("role", "heading")
        self.explain = explain = QLabel()
        explain.setProperty("role", "muted")
        explain.setWordWrap(True)
        self.config_list = QListWidget()
        self.config_list.setMaximumHeight(118)
        self.add_button = QPushButton()
        self.add_button.clicked.connect(self.add_current)
        self.add_seed_button = QPushButton()
        self.add_seed_button.clicked.connect(self.add_next_seed)
        self.remove_button = QPushButton()
        self.remove_button.clicked.connect(self.remove_selected)
        self.compare_button = QPushButton()
        self.compare_button.setProperty("role", "primary")
        self.compare_button.clicked.connect(self._on_compare_clicked)
        buttons = QGridLayout()
        buttons.addWidget(self.add_button, 0, 0)
        buttons.addWidget(self.add_seed_button, 0, 1)
        buttons.addWidget(self.remove_button, 1, 0)
        buttons.addWidget(self.compare_button, 1, 1)
        intro = QVBoxLayout()
        intro.addWidget(title)
        intro.addWidget(explain)
        intro.addStretch(1)
        top = QHBoxLayout()
        top.addLayout(intro, 2)
        top.addWidget(self.config_list, 2)
        top.addLayout(buttons, 1)

        self.columns_host = QWidget()
        self.columns_layout = QHBoxLayout(self.columns_host)
        self.columns_layout.setContentsMargins(0, 0, 0, 0)
        self.placeholder = QLabel()
        self.placeholder.setProperty("role", "muted")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.columns_layout.addWidget(self.placeholder)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.columns_host)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self._update_buttons()
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(self.tr("Side by side"))
        self.explain.setText(
            self.tr(
                "Every configuration continues the prompt of the settings column. Add the current settings, "
                "change a knob or the seed, add again, then compare: the highlighted token is where a column "
                "parts from #1."
            )
        )
        self.add_button.setText(self.tr("Add current settings"))
        self.add_seed_button.setText(self.tr("Add with next seed"))
        self.add_seed_button.setToolTip(self.tr("The last configuration again with its seed + 1"))
        self.remove_button.setText(self.tr("Remove"))
        self.compare_button.setText(self.tr("Compare"))
        self.placeholder.setText(self.tr("Add two or more configurations and press Compare."))
        for row, config in enumerate(self._configs):
            self.config_list.item(row).setText(f"#{row + 1}  {describe_settings(config)}")
        if self._result is not None:
            for number, ((header, _text, footer), generation, divergence) in enumerate(
                zip(self._columns, self._result.results, self._result.divergence), start=1
            ):
                header.setText(_header(number, generation.params))
                footer.setText(self._footer(number, generation, divergence, self._result))

    # -- configurations --------------------------------------------------------------------
    def add_current(self) -> None:
        self.add_config(self._current_settings())

    def add_next_seed(self) -> None:
        last = self._configs[-1] if self._configs else self._current_settings()
        self.add_config(replace(last, seed=(last.seed or 0) + 1))

    def add_config(self, params: SamplingParams) -> None:
        if len(self._configs) >= MAX_CONFIGS:
            return
        self._configs.append(replace(params, prompt=""))
        self.config_list.addItem(f"#{len(self._configs)}  {describe_settings(params)}")
        self._update_buttons()

    def set_configs(self, configs: tuple[SamplingParams, ...]) -> None:
        self._configs = []
        self.config_list.clear()
        for config in configs:
            self.add_config(config)

    def remove_selected(self) -> None:
        row = self.config_list.currentRow()
        if row < 0:
            row = len(self._configs) - 1
        if row < 0:
            return
        configs = self._configs[:row] + self._configs[row + 1 :]
        self.set_configs(tuple(configs))

    def configs(self) -> tuple[SamplingParams, ...]:
        return tuple(self._configs)

    def set_busy(self, busy: bool) -> None:
        self.compare_button.setEnabled(not busy and bool(self._configs))

    # -- results ---------------------------------------------------------------------------
    def show_result(self, result: SideBySideResult) -> None:
        """One column per generation, rebuilt once per comparison (not per progress update)."""
        self._clear_columns()
        self._result = result
        parts = [d for d in result.divergence[1:] if d is not None]
        first_split = min(parts) if parts else None
        for number, (generation, divergence) in enumerate(zip(result.results, result.divergence), start=1):
            split = first_split if number == 1 else divergence
            spans = result_spans(generation, shared_until=split, strong_step=split, hint="")
            header = QLabel(_header(number, generation.params))
            header.setWordWrap(True)
            text = TokenTextView(font_scale=1.15)
            text.set_content(generation.params.prompt, spans.spans)
            text.setMinimumWidth(200)
            footer = QLabel(self._footer(number, generation, divergence, result))
            footer.setWordWrap(True)
            footer.setProperty("role", "muted")
            card = QFrame()
            card.setProperty("role", "card")
            card_layout = QVBoxLayout(card)
            card_layout.addWidget(header)
            card_layout.addWidget(text, 1)
            card_layout.addWidget(footer)
            self.columns_layout.addWidget(card, 1)
            self._columns.append((header, text, footer))
        self.placeholder.hide()

    def column_count(self) -> int:
        return len(self._columns)

    def column_views(self) -> list[TokenTextView]:
        return [text for _header, text, _footer in self._columns]

    def column_footers(self) -> list[str]:
        return [footer.text() for _header, _text, footer in self._columns]

    def _footer(self, number: int, generation, divergence: int | None, result: SideBySideResult) -> str:
        count = len(generation.token_ids)
        per_token = generation.logprob / count if count else 0.0
        lines = [
            self.tr("log p = {logprob} over {count} tokens ({per_token} per token)").format(
                logprob=f"{generation.logprob:.2f}", count=count, per_token=f"{per_token:.2f}"
            )
        ]
        if number > 1:
            if divergence is None:
                lines.append(self.tr("same tokens as #1"))
            else:
                first = result.results[0]
                end = self.tr("the end")
                mine = visible_token(generation.tokens[divergence]) if divergence < len(generation.tokens) else end
                theirs = visible_token(first.tokens[divergence]) if divergence < len(first.tokens) else end
                lines.append(
                    self.tr("parts from #1 at token {token}: {mine} instead of {theirs}").format(
                        token=divergence + 1, mine=mine, theirs=theirs
                    )
                )
        lines.append(stop_reason(generation.stop_reason))
        return "<br>".join(html.escape(line) for line in lines)

    def _clear_columns(self) -> None:
        for header, _text, _footer in self._columns:
            card = header.parentWidget()
            assert card is not None  # each header sits in its column's card
            self.columns_layout.removeWidget(card)
            card.deleteLater()
        self._columns = []
        self._result = None

    def _on_compare_clicked(self) -> None:
        if self._configs:
            self.sig_compare_requested.emit(tuple(self._configs))

    def _update_buttons(self) -> None:
        full = len(self._configs) >= MAX_CONFIGS
        self.add_button.setEnabled(not full)
        self.add_seed_button.setEnabled(not full)
        self.remove_button.setEnabled(bool(self._configs))
        self.compare_button.setEnabled(bool(self._configs))


def _header(number: int, params: SamplingParams) -> str:
    return f"<b>#{number}</b> {html.escape(describe_settings(params))}"
