"""The retrieval playground: one query ranked by BM25, dense and hybrid side by side (§6.3.3).

Each column is one retriever's top k with scores (BM25 score, cosine or its per-language
z-score, the fused score) and the query's terms marked in every chunk.  The hybrid column
fuses by a convex combination of rescaled scores (default) or reciprocal-rank fusion, of three
lists when the collection has a second embedder (its tooltip gives the shares).  With
"Rerank" ticked a fourth column shows the hybrid candidates reordered by the loaded model
(§6.3.5), so one sees which chunks reranking promotes.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from workbench.core.rag.fusion import COMPANION_SHARES
from workbench.core.rag.params import (
    DEFAULT_FUSION,
    INDEX_KINDS,
    RERANK_DEPTH,
    RETRIEVERS,
    ComparisonResult,
    QueryResult,
)
from workbench.ui.language import Retranslating
from workbench.ui.panels.rag.hit_list import HitList
from workbench.ui.panels.rag.query_bar import QueryBar
from workbench.ui.translatable import QT_TRANSLATE_NOOP

RERANKED = "reranked"
_COLUMNS = (*RETRIEVERS, RERANKED)
_TITLES = {
    "bm25": QT_TRANSLATE_NOOP("Playground", "BM25 (sparse)"),
    "dense": QT_TRANSLATE_NOOP("Playground", "Dense"),
    "hybrid": QT_TRANSLATE_NOOP("Playground", "Hybrid"),
    RERANKED: QT_TRANSLATE_NOOP("Playground", "Reranked by the model"),
}
_FUSIONS = {"convex": QT_TRANSLATE_NOOP("Playground", "convex"), "rrf": "RRF"}
_SCORES = {
    "bm25": QT_TRANSLATE_NOOP("Playground", "BM25 score"),
    "dense": QT_TRANSLATE_NOOP("Playground", "similarity"),
    "hybrid": QT_TRANSLATE_NOOP("Playground", "fused score"),
    RERANKED: QT_TRANSLATE_NOOP(
        "Playground",
        "mean log-probability of the query's tokens after the chunk (higher: the chunk explains the query)",
    ),
}
_INDEX_NAMES = {
    "flat": QT_TRANSLATE_NOOP("QueryBar", "flat index"),
    "hnsw": QT_TRANSLATE_NOOP("QueryBar", "hnsw index"),
    "ivf": QT_TRANSLATE_NOOP("QueryBar", "ivf index"),
}


class Playground(Retranslating, QWidget):
    sig_search = Signal(str, int, str)  # query, k, index kind

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QueryBar(
            QT_TRANSLATE_NOOP("QueryBar", "Search the collection — 斑马是什么颜色的？ / What colour is a zebra?"),
            QT_TRANSLATE_NOOP("QueryBar", "Search"),
            k=(5, 50, QT_TRANSLATE_NOOP("QueryBar", "top ")),
            choices=[(_INDEX_NAMES[kind], kind) for kind in INDEX_KINDS],
            choice="flat",
        )
        self.bar.sig_submitted.connect(self.sig_search)
        self.fusion = QComboBox()
        self.fusion.addItem("", "convex")
        self.fusion.addItem("", "rrf")
        self.fusion.setCurrentIndex(self.fusion.findData(DEFAULT_FUSION))
        self.bar.add_option(self.fusion)
        self.rerank = QCheckBox()
        self.bar.add_option(self.rerank)
        self._fusion_shown = DEFAULT_FUSION
        self._companion_shown: str | None = None
        """The second embedder the shown hybrid column fused in (None: two lists)."""
        self._details: dict[str, str] = {}
        """Each column's detail line under its title (latency, embedder, index)."""
        self.query, self.search_button = self.bar.text, self.bar.button

        self.lists: dict[str, HitList] = {}
        self.headings: dict[str, QLabel] = {}
        columns = QGridLayout()
        for column, retriever in enumerate(_COLUMNS):
            heading = QLabel()
            heading.setTextFormat(Qt.TextFormat.RichText)
            hits = HitList(QT_TRANSLATE_NOOP("HitList", "Run a query to see this retriever's ranking."))
            self.headings[retriever], self.lists[retriever] = heading, hits
            self._set_heading(retriever, " ")
            columns.addWidget(heading, 0, column)
            columns.addWidget(hits, 1, column)
            columns.setColumnStretch(column, 1)
        columns.setRowStretch(1, 1)
        self._columns = columns
        self._show_reranked(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.bar)
        layout.addLayout(columns, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.bar.choice.setToolTip(
            self.tr("faiss index for the dense side: exact (flat), HNSW graph or IVF lists (§6.3.4)")
        )
        self.fusion.setItemText(0, self.tr("convex fusion"))
        self.fusion.setItemText(1, self.tr("RRF fusion"))
        self.fusion.setToolTip(
            self.tr(
                "How the hybrid column combines BM25 and dense: 0.65·dense + 0.35·BM25 on scores "
                "rescaled to 0–1 (convex), or reciprocal-rank fusion of the ranks alone (RRF, k = 60)"
            )
        )
        self.rerank.setText(self.tr("Rerank"))
        self.rerank.setToolTip(
            self.tr(
                "Add a column: the top {depth} hybrid chunks re-scored by the loaded language model, "
                "by how well each chunk predicts the query (log P(query | chunk), §6.3.5). Needs a model."
            ).format(depth=RERANK_DEPTH)
        )
        for retriever in _COLUMNS:
            self._set_heading(retriever, self._details.get(retriever, " "))

    def show_comparison(self, result: ComparisonResult) -> None:
        self.query.setText(result.query)
        self._fusion_shown = result.fusion
        self._companion_shown = result.companion
        self._show_reranked(RERANKED in result.rankings)
        for retriever in _COLUMNS:
            ranking = result.rankings.get(retriever)
            if ranking is None:
                self._show_missing(retriever)
            else:
                self._show_column(ranking)

    def show_ranking(self, ranking: QueryResult) -> None:
        """A stored single-retriever query: its ranking in its column, the others empty."""
        self._show_reranked(False)
        self._show_column(ranking)
        for other in RETRIEVERS:
            if other != ranking.retriever:
                self._show_missing(other)

    def reranked_shown(self) -> bool:
        return self.lists[RERANKED].isVisibleTo(self)

    def _show_column(self, ranking: QueryResult) -> None:
        retriever = ranking.retriever
        self.query.setText(ranking.query)
        embedder = f" · {ranking.embedder}" if retriever != "bm25" else ""
        index = f" · {ranking.index}" if retriever != "bm25" else ""
        self._set_heading(retriever, f"{ranking.latency_ms:.1f} ms{embedder}{index}")
        self.lists[retriever].show_hits(ranking.results, QT_TRANSLATE_NOOP("HitList", "No chunk matched."))

    def _show_reranked(self, shown: bool) -> None:
        self.headings[RERANKED].setVisible(shown)
        self.lists[RERANKED].setVisible(shown)
        self._columns.setColumnStretch(_COLUMNS.index(RERANKED), 1 if shown else 0)

    def set_busy(self, busy: bool) -> None:
        self.bar.set_busy(busy, QT_TRANSLATE_NOOP("QueryBar", "Searching…"))

    def _set_heading(self, retriever: str, detail: str) -> None:
        self._details[retriever] = detail
        title = self.tr(_TITLES[retriever])
        if retriever == "hybrid":
            title += f" ({self.tr(_FUSIONS.get(self._fusion_shown, self._fusion_shown))})"
        if detail.strip():
            explained = self.tr("Scores are the {score}.").format(score=self.tr(_SCORES[retriever]))
            if retriever == "hybrid" and self._companion_shown:
                explained += " " + self._three_lists()
            self.headings[retriever].setToolTip(explained)
        self.headings[retriever].setText(f"<b>{title}</b><br><small>{html.escape(detail)}</small>")

    def _three_lists(self) -> str:
        """How the hybrid column's score is made of three lists: each hit's "found by" line gives its part in each."""
        dense, second, bm25 = COMPANION_SHARES
        return self.tr(
            "Three lists are fused: dense, the second embedder ({companion}) and BM25 — convex: "
            "{dense}·dense + {second}·{companion} + {bm25}·BM25 on scores rescaled to 0–1; RRF: the sum of "
            "1/(k + rank) over the three. Each chunk's “found by” line gives its rank and score in each list."
        ).format(companion=self._companion_shown, dense=dense, second=second, bm25=bm25)

    def _show_missing(self, retriever: str) -> None:
        self._set_heading(retriever, " ")
        self.lists[retriever].show_hits([], QT_TRANSLATE_NOOP("HitList", "Not part of this run."))
