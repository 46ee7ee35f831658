"""Figures and numbers out of the lab: PNG and SVG at slide size, CSV and NPZ of the scores."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyqtgraph as pg
import pyqtgraph.exporters as exporters
from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import QPainter
from PySide6.QtSvg import QSvgGenerator

from workbench.base.errors import InvalidParameters
from workbench.core.tracing.results import TraceResult

SLIDE_WIDTH = 1920
"""Pixels across a 16:9 full-HD slide."""

FIGURE_SUFFIXES = (".png", ".svg")
NUMBER_SUFFIXES = (".csv", ".npz")


def export_figure(item: pg.GraphicsItem, path: str | Path) -> Path:
    """Write ``item`` (e.g. the trio's layout) as PNG (``SLIDE_WIDTH`` px wide) or SVG."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".png":
        exporter = exporters.ImageExporter(item)
        exporter.parameters()["width"] = SLIDE_WIDTH
    elif suffix == ".svg":
        _export_svg(item, path)
        return path
    else:
        raise InvalidParameters(f"Figures are written as PNG or SVG, not '{path.suffix}'.")
    exporter.export(str(path))
    return path


def _export_svg(item: pg.GraphicsItem, path: Path) -> None:
    """Vector SVG through Qt's own generator: pyqtgraph's ``SVGExporter`` cannot parse the
    path data Qt 6 writes for some items, so the scene region is rendered directly."""
    source = item.sceneBoundingRect()
    scale = SLIDE_WIDTH / max(source.width(), 1.0)
    generator = QSvgGenerator()
    generator.setFileName(str(path))
    generator.setSize(QSize(SLIDE_WIDTH, int(source.height() * scale)))
    generator.setViewBox(QRectF(0, 0, SLIDE_WIDTH, source.height() * scale))
    generator.setTitle("Causal trace")
    painter = QPainter(generator)
    try:
        item.scene().render(painter, QRectF(0, 0, SLIDE_WIDTH, source.height() * scale), source)
    finally:
        painter.end()


def export_trace_numbers(result: TraceResult, path: str | Path) -> Path:
    """CSV (a row per kind, token and layer) or NPZ (the arrays and the scalars)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        start, end = result.subject_range
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["kind", "token_index", "token", "is_subject", "layer", "score", "spread",
                             "high_score", "low_score"])  # fmt: skip
            for kind, scores in result.scores.items():
                for t, token in enumerate(result.tokens):
                    for layer in range(scores.shape[1]):
                        writer.writerow([kind, t, token, int(start <= t < end), layer, repr(float(scores[t, layer])),
                                         repr(float(result.spread[kind][t, layer])), result.high_score, result.low_score])  # fmt: skip
    elif suffix == ".npz":
        arrays = {f"scores_{kind}": values for kind, values in result.scores.items()}
        arrays.update({f"spread_{kind}": values for kind, values in result.spread.items()})
        np.savez_compressed(
            path, tokens=np.array(result.tokens), input_ids=result.input_ids,
            subject_range=np.array(result.subject_range), target=np.array(result.target),
            target_id=np.array(result.target_id), high_score=np.array(result.high_score),
            low_score=np.array(result.low_score), window=np.array(result.window), **arrays,
            allow_pickle=True,  # numpy's default, named so the type checker does not match ``**arrays`` to it
        )  # fmt: skip
    else:
        raise InvalidParameters(f"Numbers are written as CSV or NPZ, not '{path.suffix}'.")
    return path
