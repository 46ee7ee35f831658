"""A generation as coloured token spans: each tinted by the probability the model gave it.

Byte-level BPE may split one Chinese character over two or three tokens; on their own they
are shown as bytes (``<0xE9><0x95>``).  Runs of such tokens are decoded together here and
shown as the characters they make, one span per completed character group, so the text
reads as text; the span keeps the steps it covers.
"""

from __future__ import annotations

import codecs
import html
import math
import re
from collections.abc import Collection
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from workbench.core.sampling.records import SamplingResult, StepRecord
from workbench.ui.panels.sampling.labels import bits, percent
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.token_text import Emphasis, TokenSpan, visible_token

TOOLTIP_ALTERNATIVES = 8
_BYTE_TOKEN = re.compile(r"^(?:<0x[0-9A-Fa-f]{2}>)+$")
_BYTE = re.compile(r"<0x([0-9A-Fa-f]{2})>")


@dataclass(frozen=True)
class ResultSpans:
    spans: tuple[TokenSpan, ...]
    steps_of_span: tuple[tuple[int, ...], ...]
    span_of_step: tuple[int, ...]


def result_spans(
    result: SamplingResult,
    marked_steps: Collection[int] = (),
    shared_until: int | None = None,
    strong_step: int | None = None,
    hint: str | None = None,
    tooltips: TooltipCache | None = None,
) -> ResultSpans:
    """Spans for the generated tokens of ``result``.

    ``marked_steps`` are shown bold and underlined (branch points); tokens before
    ``shared_until`` are muted (a prefix shared with another generation) and the token of
    ``strong_step`` is highlighted (where two generations part).
    """
    groups = _groups(result.tokens)
    spans: list[TokenSpan] = []
    steps_of_span: list[tuple[int, ...]] = []
    span_of_step = [0] * len(result.tokens)
    for text, steps in groups:
        index = len(spans)
        for step in steps:
            span_of_step[step] = index
        records = [result.steps[step] for step in steps if step < len(result.steps)]
        probability = math.exp(sum(r.chosen_logprob for r in records)) if records else None
        emphasis: Emphasis = "normal"
        if shared_until is not None and steps[-1] < shared_until:
            emphasis = "muted"
        if any(step in marked_steps for step in steps):
            emphasis = "mark"
        if strong_step is not None and strong_step in steps:
            emphasis = "strong"
        if hint is None:
            hint = QCoreApplication.translate("TokenSpans", DEFAULT_HINT)
        tooltip = (tooltips or TooltipCache()).get(records[0], steps[0], hint) if records else ""
        spans.append(TokenSpan(text=text, probability=probability, tooltip=tooltip, emphasis=emphasis))
        steps_of_span.append(tuple(steps))
    return ResultSpans(tuple(spans), tuple(steps_of_span), tuple(span_of_step))


class TooltipCache:
    """Tooltips of step records already formatted: a live generation re-shows the same records
    at every progress update, and formatting them all again would cost a few ms each time."""

    LIMIT = 4096

    def __init__(self) -> None:
        self._texts: dict[tuple[int, int, str], tuple[StepRecord, str]] = {}

    def get(self, step: StepRecord, index: int, hint: str) -> str:
        key = (id(step), index, hint)
        cached = self._texts.get(key)
        if cached is not None and cached[0] is step:  # the record itself is kept, so its id is not reused
            return cached[1]
        if len(self._texts) >= self.LIMIT:
            self._texts.clear()
        text = step_tooltip(step, index, hint)
        self._texts[key] = (step, text)
        return text


DEFAULT_HINT = QT_TRANSLATE_NOOP("TokenSpans", "Click: inspect this step · right-click: branch")


def step_tooltip(step: StepRecord, index: int, hint: str = "") -> str:
    """Rich text: the chosen token, its probability and surprisal, and the top alternatives."""
    chosen_p = math.exp(step.chosen_logprob)
    rows = []
    order = range(min(TOOLTIP_ALTERNATIVES, len(step.candidate_ids)))
    shown = list(order) + ([step.chosen_index] if step.chosen_index >= TOOLTIP_ALTERNATIVES else [])
    top = float(step.raw_probs.max()) or 1.0
    for row in shown:
        mark = "▶" if row == step.chosen_index else ""
        token = html.escape(visible_token(step.candidate_tokens[row]))
        p = float(step.raw_probs[row])
        bar = "█" * max(1, round(12 * p / top))
        weight = "font-weight:600;" if row == step.chosen_index else ""
        rows.append(
            f"<tr><td>{mark}</td><td style='{weight}'>{token}</td>"
            f"<td align='right'>&nbsp;{percent(p)}&nbsp;</td><td style='color:#2f6fde'>{bar}</td></tr>"
        )
    given = QCoreApplication.translate("TokenSpans", "given (branch)")
    forced = f" · <i>{given}</i>" if step.forced else ""
    footer = f"<br><span style='color:gray'>{html.escape(hint)}</span>" if hint else ""
    step_text = QCoreApplication.translate("TokenSpans", "step {step}").format(step=index + 1)
    numbers = QCoreApplication.translate(
        "TokenSpans", "p = {p} · surprisal {surprisal} bits · entropy {entropy} bits"
    ).format(p=percent(chosen_p), surprisal=f"{bits(-step.chosen_logprob):.2f}", entropy=f"{bits(step.entropy):.2f}")
    return (
        f"<b>{html.escape(visible_token(step.chosen_token))}</b> · {step_text}{forced}<br>{numbers}"
        f"<table cellspacing='0' cellpadding='1'>{''.join(rows)}</table>{footer}"
    )


def _groups(tokens: tuple[str, ...]) -> list[tuple[str, list[int]]]:
    """(text to show, steps it covers) for each span; byte tokens are decoded together."""
    groups: list[tuple[str, list[int]]] = []
    decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
    pending: list[int] = []
    for step, token in enumerate(tokens):
        if not _BYTE_TOKEN.match(token):
            if pending:
                groups.append((decoder.decode(b"", final=True) or "�", pending))
                pending = []
                decoder.reset()
            groups.append((token, [step]))
            continue
        pending.append(step)
        text = decoder.decode(bytes(int(value, 16) for value in _BYTE.findall(token)))
        if text:
            groups.append((text, pending))
            pending = []
    if pending:
        groups.append(("·", pending))  # an unfinished character at the end (still generating)
    return groups
