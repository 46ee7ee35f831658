"""The beam search tree (book §1.4.1): every continuation weighed, kept, finished or pruned.

One column per step holds the ``2 × beams`` best continuations of all running beams, best
first, each with its cumulative log-probability; lines join each to the beam it extends.
Kept beams are in the accent colour, finished hypotheses in green, pruned ones greyed, and
the returned sequence is traced in bold.  Columns are added as the search runs.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPalette, QPen, QWheelEvent
from PySide6.QtWidgets import (
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.sampling.records import BeamStep, SamplingResult
from workbench.ui.language import Retranslating
from workbench.ui.widgets.token_text import visible_token

NODE_WIDTH, NODE_HEIGHT = 118.0, 42.0
COLUMN, ROW = 156.0, 54.0
_FINISHED_HUE = "#2e9d5b"


class _BeamGraph(QGraphicsView):
    """The scene's view, zoomed with Ctrl + wheel."""

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            self.scale(factor, factor)
            return
        super().wheelEvent(event)


class BeamTreeView(Retranslating, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._result: SamplingResult | None = None
        self._columns = 0
        self._nodes: list[list[QGraphicsPathItem]] = []
        self._edges: list[list[QGraphicsPathItem]] = []
        self._statuses: list[tuple[str, ...]] = []
        self._path: list[int] = []

        self.scene = QGraphicsScene(self)
        self.graph = _BeamGraph(self.scene)
        self.graph.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.graph.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.graph.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.legend = QLabel()
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.legend.setWordWrap(True)
        self.fit_button = fit = QPushButton()
        fit.clicked.connect(self.fit)
        actual = QPushButton("100%")
        actual.clicked.connect(self.graph.resetTransform)
        self.sequences = QListWidget()
        self.sequences.setWordWrap(True)
        self.sequences.setMaximumHeight(110)
        self.sequences.currentRowChanged.connect(self._on_sequence_selected)

        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(fit)
        top.addWidget(actual)
        self.sequences_heading = heading = QLabel()
        heading.setProperty("role", "muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.legend)
        layout.addWidget(self.graph, 1)
        layout.addWidget(heading)
        layout.addWidget(self.sequences)
        self.retranslate()

    def retranslate(self) -> None:
        self.fit_button.setText(self.tr("Fit"))
        self.fit_button.setToolTip(self.tr("Fit the whole tree in view (Ctrl + wheel zooms)"))
        self.sequences_heading.setText(self.tr("Returned sequences (score = log p / length^penalty)"))
        self._update_legend()
        self._show_summary()

    # -- public --------------------------------------------------------------------------
    def set_result(self, result: SamplingResult | None) -> None:
        """Show ``result``'s tree, drawing only the columns not drawn yet when it grew."""
        tree = result.beam if result is not None else None
        same_run = self._result is not None and result is not None and result.params == self._result.params
        if tree is None or not same_run or len(tree.steps) < self._columns:
            self._clear()
        self._result = result
        if result is None or tree is None:
            self._show_summary()
            return
        for step in tree.steps[self._columns :]:
            self._add_column(step)
        if result.sequences:
            self._fill_sequences(result)
        elif self._nodes:
            self.graph.ensureVisible(self._nodes[-1][0], 40, 40)
        self._show_summary()

    def _show_summary(self) -> None:
        result = self._result
        tree = result.beam if result is not None else None
        if tree is None:
            self.summary.setText(self.tr("Run a beam search (strategy: beam) to see its tree here."))
            return
        counts = self.status_counts()
        state = self.tr("finished") if result.finished else self.tr("searching…")  # type: ignore[union-attr]  # shown only while a result is set (the step buttons are disabled without one)
        self.summary.setText(
            self.tr(
                "<b>{beams} beams</b> · {steps} steps ({state}) · {kept} kept, {finished} finished, "
                "{pruned} pruned continuations"
            ).format(
                beams=tree.num_beams,
                steps=len(tree.steps),
                state=state,
                kept=counts.get("live", 0),
                finished=counts.get("finished", 0),
                pruned=counts.get("pruned", 0),
            )
        )

    def status_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for statuses in self._statuses:
            for status in statuses:
                counts[status] = counts.get(status, 0) + 1
        return counts

    def column_count(self) -> int:
        return self._columns

    def highlighted_path(self) -> list[int]:
        return list(self._path)

    def node_brush(self, step: int, rank: int) -> QColor:
        return self._nodes[step][rank].brush().color()

    def fit(self) -> None:
        self.graph.fitInView(
            self.scene.itemsBoundingRect().adjusted(-10, -10, 10, 10), Qt.AspectRatioMode.KeepAspectRatio
        )

    # -- drawing -------------------------------------------------------------------------
    def _clear(self) -> None:
        self.scene.clear()
        self.sequences.clear()
        self._columns = 0
        self._nodes, self._edges, self._statuses, self._path = [], [], [], []

    def _add_column(self, step: BeamStep) -> None:
        column = self._columns
        if column == 0:
            self._add_prompt_node(len(step.status))
        x = COLUMN * (column + 1)
        header = self.scene.addSimpleText(self.tr("step {step}").format(step=column + 1))
        header.setBrush(self._muted())
        header.setPos(x + 4, -28)
        nodes, edges = [], []
        for rank, (token, score, status) in enumerate(zip(step.tokens, step.scores, step.status)):
            node = self._node(
                QRectF(x, rank * ROW, NODE_WIDTH, NODE_HEIGHT), visible_token(token), f"{score:.2f}", status
            )
            node.setToolTip(
                f"<b>{html.escape(visible_token(token))}</b><br>"
                + self.tr("cumulative log p = {score}").format(score=f"{score:.3f}")
                + f"<br>{self._status_name(status)}"
            )
            parent = int(step.parent[rank])
            start = self._anchor_right(column - 1, parent)
            edges.append(self._edge(start, QPointF(x, rank * ROW + NODE_HEIGHT / 2), status))
            nodes.append(node)
        self._nodes.append(nodes)
        self._edges.append(edges)
        self._statuses.append(tuple(step.status))
        self._columns += 1

    def _add_prompt_node(self, width: int) -> None:
        y = (width - 1) * ROW / 2
        self._prompt = self._node(QRectF(0, y, NODE_WIDTH, NODE_HEIGHT), self.tr("prompt"), "0.00", "live")

    def _anchor_right(self, column: int, rank: int) -> QPointF:
        if column < 0 or rank < 0:
            rect = self._prompt.path().boundingRect()
        else:
            rect = self._nodes[column][rank].path().boundingRect()
        return QPointF(rect.right(), rect.center().y())

    def _node(self, rect: QRectF, token: str, score: str, status: str) -> QGraphicsPathItem:
        palette = self.palette()
        path = QPainterPath()
        path.addRoundedRect(rect, 7, 7)
        node = self.scene.addPath(path)
        node.setZValue(2)
        fill, border = self._colours(status)
        node.setBrush(QBrush(fill))
        node.setPen(QPen(border, 1.4))
        text_colour = palette.color(QPalette.ColorRole.Text) if status != "pruned" else self._muted().color()
        label = QGraphicsSimpleTextItem(_elide(token, 12), node)
        font = QFont(self.font())
        font.setWeight(QFont.Weight.DemiBold)
        label.setFont(font)
        label.setBrush(text_colour)
        label.setPos(rect.left() + 8, rect.top() + 3)
        mark = {"finished": "✓ ", "pruned": "✕ "}.get(status, "")
        value = QGraphicsSimpleTextItem(f"{mark}{score}", node)
        value.setBrush(self._muted())
        value.setPos(rect.left() + 8, rect.top() + rect.height() / 2)
        return node

    def _edge(self, start: QPointF, end: QPointF, status: str) -> QGraphicsPathItem:
        path = QPainterPath(start)
        middle = (start.x() + end.x()) / 2
        path.cubicTo(QPointF(middle, start.y()), QPointF(middle, end.y()), end)
        edge = self.scene.addPath(path)
        edge.setZValue(1)
        edge.setPen(self._edge_pen(status, bold=False))
        return edge

    def _edge_pen(self, status: str, bold: bool) -> QPen:
        _fill, colour = self._colours(status)
        pen = QPen(colour, 3.6 if bold else 1.3)
        if status == "pruned" and not bold:
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen

    def _colours(self, status: str) -> tuple[QColor, QColor]:
        palette = self.palette()
        accent = palette.color(QPalette.ColorRole.Highlight)
        base = palette.color(QPalette.ColorRole.Base)
        if status == "finished":
            border = QColor(_FINISHED_HUE)
        elif status == "live":
            border = accent
        else:
            return palette.color(QPalette.ColorRole.AlternateBase), palette.color(QPalette.ColorRole.Mid)
        fill = QColor(border)
        fill.setAlphaF(0.16)
        return _over(base, fill), border

    def _muted(self) -> QBrush:
        return QBrush(self.palette().color(QPalette.ColorRole.PlaceholderText))

    def _fill_sequences(self, result: SamplingResult) -> None:
        if self.sequences.count() == len(result.sequences):
            return
        self.sequences.blockSignals(True)
        self.sequences.clear()
        for number, sequence in enumerate(result.sequences, start=1):
            text = sequence.text.replace("\n", " ")
            QListWidgetItem(
                f"#{number}  "
                + self.tr("score {score}").format(score=f"{sequence.score:.3f}")
                + f" · log p {sequence.logprob:.2f} · “{text}”",
                self.sequences,
            )
        self.sequences.blockSignals(False)
        self.sequences.setCurrentRow(0)

    def _on_sequence_selected(self, row: int) -> None:
        if self._result is None or not 0 <= row < len(self._result.sequences):
            return
        self._highlight([int(node) for node in self._result.sequences[row].path])

    def _highlight(self, path: list[int]) -> None:
        for column, rank in enumerate(self._path):  # undo the previous highlight
            if column < self._columns:
                status = self._statuses[column][rank]
                self._edges[column][rank].setPen(self._edge_pen(status, bold=False))
                self._nodes[column][rank].setPen(QPen(self._colours(status)[1], 1.4))
        self._path = path
        accent = self.palette().color(QPalette.ColorRole.Highlight)
        for column, rank in enumerate(path):
            if column < self._columns:
                self._edges[column][rank].setPen(QPen(accent, 3.6))
                self._nodes[column][rank].setPen(QPen(accent.darker(125), 2.6))
        if path and path[-1] < len(self._nodes[min(len(path), self._columns) - 1]):
            self.graph.ensureVisible(self._nodes[min(len(path), self._columns) - 1][path[-1]], 60, 60)

    def _status_name(self, status: str) -> str:
        names = {"live": self.tr("kept"), "finished": self.tr("finished"), "pruned": self.tr("pruned")}
        return names.get(status, status)

    def _update_legend(self) -> None:
        palette = self.palette()
        accent = palette.color(QPalette.ColorRole.Highlight).name()
        pruned = palette.color(QPalette.ColorRole.Mid).name()
        swatch = "<span style='color:{}'>■</span>&nbsp;{}"
        self.legend.setText(
            "&nbsp;&nbsp;&nbsp;".join(
                [
                    swatch.format(accent, self.tr("kept (a running beam)")),
                    swatch.format(_FINISHED_HUE, self.tr("finished hypothesis")),
                    swatch.format(pruned, self.tr("pruned")),
                    f"<span style='color:{accent}'><b>━━</b></span>&nbsp;" + self.tr("returned sequence"),
                    "<span style='color:gray'>" + self.tr("numbers: cumulative log-probability") + "</span>",
                ]
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        redrawn = (QEvent.Type.PaletteChange, QEvent.Type.LanguageChange)  # colours or the scene's words
        if event.type() in redrawn and self._result is not None:
            result, path = self._result, self._path
            self._result = None
            self._clear()
            self.set_result(result)
            self._highlight(path)
            self._update_legend()


def _over(base: QColor, tint: QColor) -> QColor:
    """``tint`` (with alpha) painted over ``base``: an opaque colour."""
    a = tint.alphaF()
    return QColor.fromRgbF(
        base.redF() * (1 - a) + tint.redF() * a,
        base.greenF() * (1 - a) + tint.greenF() * a,
        base.blueF() * (1 - a) + tint.blueF() * a,
    )


def _elide(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
