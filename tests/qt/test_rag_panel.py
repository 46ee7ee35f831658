"""Clicking through the RAG Documents lab: ingest, library, chunk browser, preview, cancel,
playground (English and Chinese), evaluation, Ask on a tiny GPT-2, reopening runs, errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QTextCursor, QTextDocument
from PySide6.QtWidgets import QFileDialog, QMessageBox
from submissions import record_submissions

from workbench.base.paths import DEMO_WORLD_DIR
from workbench.core.model.spec import LoadModelParams, ModelSpec
from workbench.core.rag.params import (
    AnswerResult,
    ChunkLayout,
    CompareRetrieversParams,
    ComparisonResult,
    EvalResult,
    FileReport,
    IngestParams,
    IngestResult,
    LibrarySnapshot,
)
from workbench.store.project import ProjectStore
from workbench.store.project_jobs import OpenProjectParams
from workbench.ui.panels.rag import RagPanel, ingest_box
from workbench.ui.panels.rag.ingest_box import DEMO_COLLECTION
from workbench.worker import WorkerHost

JOB_TIMEOUT_MS = 180000
DOCUMENTS = {
    "zebra_en.md": (
        "# Zebras\n\nZebras are African horses with black and white stripes. Every zebra has its own "
        "stripe pattern. Zebras live in herds on the savanna and migrate with wildebeest.\n\n"
        "## Why stripes\n\nScientists think the stripes keep biting flies away. The stripes may also "
        "confuse lions when a herd runs."
    ),
    "giraffe_en.txt": (
        "Giraffes are the tallest land animals. A giraffe eats leaves from acacia trees with its long "
        "tongue. Giraffes sleep very little, often less than two hours a day."
    ),
    "zebra_zh.md": (
        "# 斑马\n\n斑马是一种生活在非洲草原上的马科动物。斑马的颜色是黑白相间的，每只斑马的条纹都不一样！"
        "斑马通常成群生活，与角马一起迁徙。科学家认为条纹可以驱赶蚊虫。条纹也可能让狮子眼花。"
    ),
}


def _result_of(kind: type):
    return lambda _job, _run, result: isinstance(result, kind)


@pytest.fixture()
def docs(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in DOCUMENTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 nothing else")
    return folder


@pytest.fixture()
def panel(qtbot, host: WorkerHost, tmp_path: Path) -> RagPanel:
    lab = RagPanel(host)
    qtbot.addWidget(lab)
    lab.resize(1440, 900)
    lab.show()
    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(LibrarySnapshot)):
        host.submit(OpenProjectParams(path=str(tmp_path / "rag.wbproj")))
    _small_chunks(lab)
    yield lab


def _small_chunks(panel: RagPanel) -> None:
    form = panel.ingest.chunking
    form.set_field_value("method", "sentences")
    form.editor("size").setValue(80)
    form.editor("overlap").setValue(20)
    panel.ingest.embedder.setCurrentText("e5-small")


def _ingest(qtbot, panel: RagPanel, monkeypatch, paths: list[Path], collection: str = "animals") -> IngestResult:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(p) for p in paths], ""))
    panel.ingest.collection.setCurrentText(collection)
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(IngestResult)
    ) as done:
        qtbot.mouseClick(panel.ingest.add_files_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.library.collection(collection) is not None, timeout=JOB_TIMEOUT_MS)
    return done.args[2]


def _document_item(panel: RagPanel, name: str):
    tree = panel.library.tree
    for top in range(tree.topLevelItemCount()):
        item = tree.topLevelItem(top)
        for index in range(item.childCount()):
            if item.child(index).text(0) == name:
                return item.child(index)
    raise AssertionError(f"{name} is not in the library tree")


def _open_document(qtbot, panel: RagPanel, name: str) -> ChunkLayout:
    tree = panel.library.tree
    item = _document_item(panel, name)
    tree.scrollToItem(item)
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(ChunkLayout)
    ) as done:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center())
    return done.args[2]


def _search(qtbot, panel: RagPanel, query: str) -> ComparisonResult:
    panel.views.setCurrentWidget(panel.playground)
    panel.playground.query.setText(query)
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(ComparisonResult)
    ) as done:
        qtbot.mouseClick(panel.playground.search_button, Qt.MouseButton.LeftButton)
    return done.args[2]


def _load_model(qtbot, panel: RagPanel, folder: Path) -> None:
    with qtbot.waitSignal(panel.host.sig_model_changed, timeout=JOB_TIMEOUT_MS):
        panel.host.submit(LoadModelParams(ModelSpec(source="folder", name=str(folder))))


@pytest.fixture()
def ingested(qtbot, panel: RagPanel, docs: Path, monkeypatch) -> IngestResult:
    return _ingest(qtbot, panel, monkeypatch, sorted(docs.iterdir()))


# ----------------------------------------------------------------------------- library


def test_ingested_files_appear_in_the_library_with_counts_and_failures_are_listed(
    panel: RagPanel, ingested: IngestResult
) -> None:
    chunks = {Path(f.path).name: f.chunks for f in ingested.files if f.status == "added"}
    assert set(chunks) == set(DOCUMENTS) and all(n > 0 for n in chunks.values())
    collection = panel.library.tree.topLevelItem(0)
    assert collection.text(0) == "animals" and collection.text(3) == "e5-small"
    assert collection.text(2) == f"{sum(chunks.values()):,}"
    for name, count in chunks.items():
        item = _document_item(panel, name)
        assert (item.text(1), item.text(2)) == ("indexed", str(count))
    failures = [panel.ingest.report.item(i).text() for i in range(panel.ingest.report.count())]
    assert any(line.startswith("broken.pdf — failed: ") for line in failures)
    assert "chunks" in panel.ingest.progress_label.text() and "animals" in panel.ingest.progress_label.text()


def _confirm(qtbot, panel: RagPanel) -> None:
    box = panel.library.confirmation
    assert box is not None and box.isVisible()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)


def test_removing_a_document_and_deleting_the_collection_ask_first_then_update_the_library(
    qtbot, panel: RagPanel, ingested: IngestResult
) -> None:
    _open_document(qtbot, panel, "giraffe_en.txt")
    qtbot.mouseClick(panel.library.remove_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(IngestResult)
    ):
        _confirm(qtbot, panel)  # the removal's result carries the collection: no second job
    names = {d.name for d in panel.library.collection("animals").documents}
    assert "giraffe_en.txt" not in names and {"zebra_en.md", "zebra_zh.md"} <= names

    qtbot.mouseClick(panel.library.delete_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(LibrarySnapshot)
    ):
        _confirm(qtbot, panel)
    assert panel.library.tree.topLevelItemCount() == 0 and panel.library.collection("animals") is None


@pytest.mark.parametrize("name", ["zebra_en.md", "zebra_zh.md"])
def test_chunk_browser_draws_every_chunk_at_its_stored_offsets_with_overlaps_shaded(
    qtbot, panel: RagPanel, ingested: IngestResult, name: str
) -> None:
    layout = _open_document(qtbot, panel, name)
    assert layout.text == DOCUMENTS[name] and len(layout.starts) > 1
    browser = panel.browser
    assert browser.text.toPlainText() == layout.text
    assert browser.drawn_ranges() == list(zip(layout.starts.tolist(), layout.ends.tolist()))
    expected_overlaps = [
        (int(layout.starts[i + 1]), int(layout.ends[i]))
        for i in range(len(layout.starts) - 1)
        if layout.starts[i + 1] < layout.ends[i]
    ]
    assert expected_overlaps and browser.drawn_overlaps() == expected_overlaps

    second = int(layout.ends[0]) + 1 if len(layout.starts) > 1 else 0  # past the first chunk: only the second
    cursor = browser.text.textCursor()
    cursor.setPosition(second)
    rect = browser.text.cursorRect(cursor)
    with qtbot.waitSignal(browser.sig_chunk_selected, timeout=5000) as chosen:
        qtbot.mouseClick(
            browser.text.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(rect.center().x(), rect.center().y())
        )
    ordinal = chosen.args[0]
    assert layout.starts[ordinal] <= second < layout.ends[ordinal]
    assert f"characters {layout.starts[ordinal]}–{layout.ends[ordinal]}" in browser.chunk_info.text()


def test_preview_shows_chunks_of_a_file_before_anything_is_indexed(
    qtbot, panel: RagPanel, docs: Path, monkeypatch
) -> None:
    path = docs / "zebra_en.md"
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    panel.ingest.chunking.editor("size").setValue(60)
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(ChunkLayout)
    ) as done:
        qtbot.mouseClick(panel.ingest.preview_file_button, Qt.MouseButton.LeftButton)
    layout: ChunkLayout = done.args[2]
    assert layout.chunking.size == 60 and len(layout.starts) > 2
    assert panel.browser.title.text().startswith("Preview (not indexed)")
    assert panel.browser.drawn_ranges() == list(zip(layout.starts.tolist(), layout.ends.tolist()))
    assert panel.library.tree.topLevelItemCount() == 0  # nothing was added


def test_an_unreadable_file_previews_as_a_clear_message(qtbot, panel: RagPanel, docs: Path, monkeypatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(docs / "broken.pdf"), ""))
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(ChunkLayout)
    ) as done:
        qtbot.mouseClick(panel.ingest.preview_file_button, Qt.MouseButton.LeftButton)
    assert done.args[2].message and panel.browser.summary.text() == done.args[2].message
    assert panel.browser.drawn_ranges() == []


def test_cancelling_an_ingest_leaves_no_collection_behind(qtbot, panel: RagPanel, docs: Path, monkeypatch) -> None:
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(docs)], ""))
    panel.ingest.collection.setCurrentText("cancelled")
    with qtbot.waitSignal(panel.host.sig_job_cancelled, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(panel.ingest.add_files_button, Qt.MouseButton.LeftButton)
        assert panel.ingest.cancel_button.isVisible()
        qtbot.mouseClick(panel.ingest.cancel_button, Qt.MouseButton.LeftButton)
    assert panel.ingest.progress_label.text().startswith("Stopped")
    assert panel.ingest.add_files_button.isEnabled() and not panel.ingest.cancel_button.isVisible()
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(LibrarySnapshot)
    ):
        qtbot.mouseClick(panel.library.refresh_button, Qt.MouseButton.LeftButton)
    assert panel.library.collection("cancelled") is None


def test_demo_encyclopedia_button_ingests_the_demo_world_into_its_own_collection(
    qtbot, panel: RagPanel, tmp_path: Path
) -> None:
    with qtbot.waitSignal(panel.host.sig_job_started, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(panel.ingest.demo_button, Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(panel.host.sig_job_cancelled, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(panel.ingest.cancel_button, Qt.MouseButton.LeftButton)  # the stored request is enough
    with ProjectStore.open(tmp_path / "rag.wbproj", read_only=True) as store:
        (run,) = store.list_runs(kind="rag_ingest")
        params = store.load_run(run.id).params
    assert run.status == "cancelled" and params["collection"] == DEMO_COLLECTION
    assert params["paths"] == [str(DEMO_WORLD_DIR / "encyclopedia")] and (DEMO_WORLD_DIR / "encyclopedia").is_dir()
    assert params["embedder"] == "e5-small" and params["chunking"]["size"] == 80


def test_a_live_step_on_the_demo_encyclopedia_adds_it_first_when_the_project_lacks_it(
    qtbot, panel: RagPanel, docs: Path, monkeypatch
) -> None:
    """Every bundled chapter-6 lesson searches the demo encyclopedia: in a new project its first
    search step used to fail with "There is no collection named 'demo-encyclopedia'"."""
    monkeypatch.setattr(ingest_box, "DEMO_FOLDER", docs)  # a small stand-in for the 495 articles
    submitted = record_submissions(monkeypatch, panel.host)
    step = CompareRetrieversParams(DEMO_COLLECTION, "Why do zebras have stripes?", k=3)
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(ComparisonResult)
    ) as done:
        panel.run_live(step)
    assert [type(params) for params in submitted] == [IngestParams, CompareRetrieversParams]
    assert submitted[0].collection == DEMO_COLLECTION and submitted[0].paths == (str(docs),)
    assert done.args[2].rankings["bm25"].results[0].document.startswith("zebra")
    qtbot.waitUntil(lambda: panel.library.collection(DEMO_COLLECTION) is not None, timeout=JOB_TIMEOUT_MS)
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(ComparisonResult)
    ):
        panel.run_live(step)  # the collection is there now: the step only searches
    assert [type(params) for params in submitted] == [IngestParams, CompareRetrieversParams, CompareRetrieversParams]


def test_an_ingest_report_wraps_instead_of_widening_the_settings_column(panel: RagPanel) -> None:
    """The demo encyclopedia's one-line summary ("“demo-encyclopedia”: 490 documents, 869 chunks ·
    …") made the column wider than the window, cutting its buttons on a lesson's slide."""
    before = panel.ingest.minimumSizeHint().width()
    files = [FileReport(f"/docs/article-{n:03d}.md", "added") for n in range(490)]
    files.append(FileReport("/docs/index.jsonl", "skipped", "index.jsonl: .jsonl files are not supported."))
    panel.ingest.show_result(
        IngestResult(
            collection="demo-encyclopedia-with-a-long-name",
            embedder="use-multilingual",
            files=files,
            documents=490,
            chunks=86_900,
            encoded=86_900,
            indexes=["flat", "bm25", "hnsw"],
            encode_s=3_600.0,
            total_s=3_700.0,
        )
    )
    assert panel.ingest.minimumSizeHint().width() <= before
    assert "index.jsonl — skipped" in panel.ingest.report.item(0).text()


def test_progress_of_an_ingest_shows_chunks_per_second_and_time_left(panel: RagPanel) -> None:
    from workbench.core.rag.params import IngestProgress

    panel.ingest.set_running(True)
    panel.ingest.show_progress(0.5, "Encoding", IngestProgress(2, 4, 120, 300, 40.0, 4.5))
    assert panel.ingest.bar.value() == 500
    assert panel.ingest.progress_label.text() == "Files 2/4 · chunks 120/300 · 40.0 chunks/s · about 4.5 s left"


# -------------------------------------------------------------------------- retrieval


@pytest.mark.parametrize(
    ("query", "term", "document"),
    [("Why do zebras have stripes?", "stripes", "zebra_en.md"), ("斑马为什么有条纹？", "条纹", "zebra_zh.md")],
)
def test_playground_ranks_with_bm25_dense_and_hybrid_and_marks_the_query_terms(
    qtbot, panel: RagPanel, ingested: IngestResult, query: str, term: str, document: str
) -> None:
    result = _search(qtbot, panel, query)
    for retriever in ("bm25", "dense", "hybrid"):
        shown = panel.playground.lists[retriever]
        assert [h.chunk_id for h in shown.hits] == [h.chunk_id for h in result.rankings[retriever].results]
        assert (
            shown.hits
            and f"{result.rankings[retriever].latency_ms:.1f} ms" in panel.playground.headings[retriever].text()
        )
    bm25 = panel.playground.lists["bm25"]
    assert bm25.hits[0].document == document
    marked = bm25.highlighted_texts()
    assert term in marked
    expected = [bm25.hits[0].text[s:e] for s, e in bm25.hits[0].matched]
    assert expected and marked[: len(expected)] == expected
    assert f"found by BM25 #1 ({bm25.hits[0].score:.2f})" in bm25.toPlainText()  # which path found each hit


def test_following_a_retrieved_passage_opens_it_in_its_document_with_the_terms_marked(
    qtbot, panel: RagPanel, ingested: IngestResult
) -> None:
    _search(qtbot, panel, "斑马为什么有条纹？")
    bm25 = panel.playground.lists["bm25"]
    top = bm25.hits[0]
    found = bm25.document().find(top.document)
    link = QTextCursor(bm25.document())
    link.setPosition(found.selectionStart() + 2)
    with qtbot.waitSignal(panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(ChunkLayout)):
        qtbot.mouseClick(bm25.viewport(), Qt.MouseButton.LeftButton, pos=bm25.cursorRect(link).center())
    assert panel.views.currentWidget() is panel.browser
    assert panel.library.current_document() == top.document_id
    assert f"characters {top.start}–{top.end}" in panel.browser.chunk_info.text()
    marked = panel.browser.marked_texts()
    assert "条纹" in marked and marked == [top.text[s:e] for s, e in top.matched]


def test_evaluation_table_shows_recall_and_mrr_per_retriever_and_language(
    qtbot, panel: RagPanel, ingested: IngestResult, tmp_path: Path
) -> None:
    questions = tmp_path / "questions.jsonl"
    records = [
        {"question": "Why do zebras have stripes?", "gold_document": "zebra_en.md", "language": "en"},
        {"question": "How long do giraffes sleep?", "gold_document": "giraffe_en.txt", "language": "en"},
        {"question": "斑马和什么动物一起迁徙？", "gold_document": "zebra_zh.md", "language": "zh"},
    ]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    panel.views.setCurrentWidget(panel.evaluation)
    panel.evaluation.path.setText(str(questions))
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(EvalResult)
    ) as done:
        qtbot.mouseClick(panel.evaluation.run_button, Qt.MouseButton.LeftButton)
    result: EvalResult = done.args[2]
    shown = panel.evaluation.visible_rows()
    assert len(shown) == len(result.rows) and {r[1] for r in shown} == {"bm25", "dense", "hybrid"}
    assert {r[0] for r in shown} >= {"all", "en", "zh"}
    bm25_all = next(r for r in result.rows if r.retriever == "bm25" and r.group == "all")
    row = next(r for r in shown if r[1] == "bm25" and r[0] == "all")
    assert row[5:9] == [
        f"{v:.3f}" for v in (bm25_all.recall_at_1, bm25_all.recall_at_5, bm25_all.recall_at_10, bm25_all.mrr_at_10)
    ]
    panel.evaluation.group.setCurrentText("zh")
    assert {r[0] for r in panel.evaluation.visible_rows()} == {"zh"}


def test_ask_shows_answers_with_and_without_retrieval_and_the_passages_and_reopens(
    qtbot, panel: RagPanel, ingested: IngestResult, tiny_model_dir: Path, tmp_path: Path
) -> None:
    _load_model(qtbot, panel, tiny_model_dir)
    assert not panel.ask.hint.isVisible()
    panel.views.setCurrentWidget(panel.ask)
    panel.ask.question.setText("Why do zebras have stripes?")
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(AnswerResult)
    ) as done:
        qtbot.mouseClick(panel.ask.ask_button, Qt.MouseButton.LeftButton)
    result: AnswerResult = done.args[2]
    assert result.answer_without_retrieval is not None and result.sources
    shown = QTextDocument()
    shown.setHtml(panel.ask.with_retrieval.answer.text())  # the sentences followed by their citation marks
    assert shown.toPlainText().startswith(result.answer.strip() or "(empty answer)")
    assert panel.ask.without_retrieval.answer.text() == (result.answer_without_retrieval.strip() or "(empty answer)")
    assert f"context: {result.sources[0].text[:8]}" in panel.ask.with_retrieval.prompt.text()  # tiny context: cut
    assert "context:" not in panel.ask.without_retrieval.prompt.text()
    assert [h.chunk_id for h in panel.ask.sources.hits] == [h.chunk_id for h in result.sources]
    assert "stripes" in panel.ask.sources.highlighted_texts()

    with ProjectStore.open(tmp_path / "rag.wbproj", read_only=True) as store:
        stored = store.load_run(store.list_runs(kind="rag_ask")[0].id)
    fresh = RagPanel(panel.host)
    qtbot.addWidget(fresh)
    fresh.show_run(stored)
    assert fresh.views.currentWidget() is fresh.ask and fresh.ask.question.text() == result.question
    assert fresh.ask.with_retrieval.answer.text() == panel.ask.with_retrieval.answer.text()
    assert fresh.ask.without_retrieval.answer.text() == panel.ask.without_retrieval.answer.text()
    assert [h.chunk_id for h in fresh.ask.sources.hits] == [h.chunk_id for h in result.sources]


def test_a_kept_view_of_the_ask_tab_asks_its_question_again(
    qtbot, panel: RagPanel, ingested: IngestResult, tiny_model_dir: Path
) -> None:
    """A lesson step that shows Ask (chapter 6's last step): its view names the question, and
    restoring it asks again rather than leaving both answers empty."""
    assert panel.view_state()["ask"] is None
    panel.restore_view_state({"ask": {"question": "Why do zebras have stripes?", "k": 1, "retriever": "hybrid"}})
    assert panel.ask.question.text() == "Why do zebras have stripes?"  # no model: only filled in
    _load_model(qtbot, panel, tiny_model_dir)
    kept = {"tabs": [3], "ask": {"question": "Why do zebras have stripes?", "k": 1, "retriever": "hybrid"}}
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(AnswerResult)
    ) as done:
        panel.restore_view_state(kept)
    assert done.args[2].question == "Why do zebras have stripes?" and panel.views.currentWidget() is panel.ask
    assert panel.view_state()["ask"] == kept["ask"]


def test_an_answer_cites_what_it_repeats_and_a_hovered_citation_underlines_it_in_the_passage(
    qtbot, panel: RagPanel, ingested: IngestResult, tiny_model_dir: Path, tmp_path: Path, monkeypatch
) -> None:
    """The tiny model answers noise, so it is made to repeat the first words it was given and then
    invent a sentence: the first is cited from the passage, the second says no source was found."""
    from workbench.core.rag import answering

    def repeat_then_invent(_model: object, _tokenizer: object, prompt: str, _max_new_tokens: int) -> str:
        if "context: " not in prompt:
            return "I do not know."  # the answer without retrieval
        given = prompt.split("context: ", 1)[1].split("\nquestion:", 1)[0]
        return " ".join(given.split()[:6]) + ". The moon is made of cheese."

    monkeypatch.setattr(answering, "generate_answer", repeat_then_invent)
    _load_model(qtbot, panel, tiny_model_dir)
    panel.views.setCurrentWidget(panel.ask)
    panel.ask.question.setText("Why do zebras have stripes?")
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(AnswerResult)
    ) as done:
        qtbot.mouseClick(panel.ask.ask_button, Qt.MouseButton.LeftButton)
    result: AnswerResult = done.args[2]
    repeated, invented = result.citations
    assert result.answer[invented.start : invented.end] == "The moon is made of cheese." and invented.support is None
    support = repeated.support
    assert support is not None and support.rank == 1 and support.chunk_id == result.sources[0].chunk_id
    label = panel.ask.with_retrieval.answer
    assert '<a href="cite:0">[1]</a>' in label.text() and "[no source found]" in label.text()
    marks = panel.ask.sources.highlighted_texts()
    label.linkHovered.emit("cite:0")
    assert panel.ask.sources.cited_text() == result.sources[0].text[support.start : support.end]
    assert panel.ask.sources.highlighted_texts() == marks
    label.linkHovered.emit("")
    assert panel.ask.sources.cited_text() == ""

    with ProjectStore.open(tmp_path / "rag.wbproj", read_only=True) as store:
        stored = store.load_run(store.list_runs(kind="rag_ask")[0].id)
    assert stored.result.citations == result.citations
    fresh = RagPanel(panel.host)
    qtbot.addWidget(fresh)
    fresh.show_run(stored)
    fresh.ask.with_retrieval.answer.linkHovered.emit("cite:0")
    assert fresh.ask.sources.cited_text() == result.sources[0].text[support.start : support.end]


# ------------------------------------------------------------------- runs and errors


def test_stored_runs_reopen_in_a_new_panel(
    qtbot, host: WorkerHost, panel: RagPanel, ingested: IngestResult, tmp_path: Path
) -> None:
    comparison = _search(qtbot, panel, "斑马为什么有条纹？")
    with ProjectStore.open(tmp_path / "rag.wbproj") as store:  # the playground's comparison, stored as a run
        run_id = store.start_run(
            "rag_compare", {"collection": "animals", "query": comparison.query}, title="c", model_id=None
        )
        store.finish_run(run_id, status="finished", result=comparison)
        ingest_run = next(r for r in store.list_runs(kind="rag_ingest") if r.status == "finished")
        stored_comparison, stored_ingest = store.load_run(run_id), store.load_run(ingest_run.id)

    fresh = RagPanel(host)
    qtbot.addWidget(fresh)
    fresh.show_run(stored_comparison)
    assert fresh.views.currentWidget() is fresh.playground
    assert fresh.playground.query.text() == comparison.query
    for retriever, ranking in comparison.rankings.items():
        assert [h.chunk_id for h in fresh.playground.lists[retriever].hits] == [h.chunk_id for h in ranking.results]
    assert "条纹" in fresh.playground.lists["bm25"].highlighted_texts()
    assert [h.found_by for h in fresh.playground.lists["hybrid"].hits] == [
        h.found_by for h in comparison.rankings["hybrid"].results
    ]  # each hit's retrieval paths survive storing
    fresh.show_run(stored_ingest)
    assert fresh.ingest.collection_name() == "animals"
    assert "broken.pdf — failed" in fresh.ingest.report.item(0).text()


def test_an_empty_query_or_no_collection_is_refused_with_a_message(qtbot, panel: RagPanel) -> None:
    panel.ingest.collection.setCurrentText("")
    qtbot.mouseClick(panel.playground.search_button, Qt.MouseButton.LeftButton)
    assert panel.message.isVisible() and "Choose a collection" in panel.message.text()
    panel.ingest.collection.setCurrentText("animals")
    panel.playground.query.setText("   ")
    qtbot.mouseClick(panel.playground.search_button, Qt.MouseButton.LeftButton)
    assert panel.message.text() == "Type a query to search the collection."
    assert panel.playground.search_button.isEnabled()


def test_a_missing_collection_fails_with_the_cores_message(qtbot, panel: RagPanel) -> None:
    panel.ingest.collection.setCurrentText("nowhere")
    panel.playground.query.setText("zebra")
    with qtbot.waitSignal(panel.host.sig_job_failed, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(panel.playground.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "There is no collection named 'nowhere'" in panel.message.text(), timeout=5000)
    assert panel.playground.search_button.isEnabled()
    assert np.all([not lst.hits for lst in panel.playground.lists.values()])


def test_playground_fusion_choice_reaches_the_hybrid_column(qtbot, panel: RagPanel, ingested) -> None:
    panel.playground.fusion.setCurrentIndex(panel.playground.fusion.findData("rrf"))
    rrf = _search(qtbot, panel, "zebra stripes")
    assert rrf.fusion == "rrf" and "Hybrid (RRF)" in panel.playground.headings["hybrid"].text()
    panel.playground.fusion.setCurrentIndex(panel.playground.fusion.findData("convex"))
    convex = _search(qtbot, panel, "zebra stripes")
    assert convex.fusion == "convex" and "Hybrid (convex)" in panel.playground.headings["hybrid"].text()
    assert max(h.score for h in convex.rankings["hybrid"].results) <= 1.0  # rescaled scores, not RRF sums


def test_a_second_embedder_chosen_at_ingest_joins_the_hybrid_column_and_explains_its_part(
    qtbot, panel: RagPanel, docs: Path, monkeypatch
) -> None:
    box = panel.ingest
    box.companion.setCurrentIndex(box.companion.findData("use-multilingual"))
    result = _ingest(qtbot, panel, monkeypatch, sorted(docs.iterdir()))
    assert result.summary is not None and result.summary.companion == "use-multilingual"
    assert panel.library.tree.topLevelItem(0).text(3) == "e5-small + use-multilingual"
    box.companion.setCurrentIndex(box.companion.findData("none"))
    panel._on_collection_selected("animals")  # the form shows the selected collection's settings
    assert box.companion.currentData() == "use-multilingual"
    found = _search(qtbot, panel, "Why do zebras have stripes?")
    assert found.companion == "use-multilingual"
    hybrid = panel.playground.lists["hybrid"]
    assert "second embedder #" in hybrid.toPlainText()
    heading = panel.playground.headings["hybrid"]
    assert "e5-small + use-multilingual" in heading.text()
    assert "0.4·dense + 0.3·use-multilingual + 0.3·BM25" in heading.toolTip()


def test_rerank_adds_a_column_of_the_hybrid_chunks_reordered_by_the_model(
    qtbot, panel: RagPanel, ingested, tiny_model_dir: Path
) -> None:
    playground = panel.playground
    playground.rerank.setChecked(True)
    playground.query.setText("zebra stripes")
    with qtbot.waitSignal(panel.host.sig_job_failed, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(playground.search_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "No model is loaded" in panel.message.text(), timeout=5000)
    assert playground.search_button.isEnabled() and not playground.reranked_shown()

    _load_model(qtbot, panel, tiny_model_dir)
    result = _search(qtbot, panel, "zebra stripes")
    reranked = result.rankings["reranked"].results
    assert playground.reranked_shown() and "Reranked by the model" in playground.headings["reranked"].text()
    assert [h.chunk_id for h in playground.lists["reranked"].hits] == [h.chunk_id for h in reranked]
    assert [h.score for h in reranked] == sorted((h.score for h in reranked), reverse=True)
    assert "stripes" in playground.lists["reranked"].highlighted_texts()

    playground.rerank.setChecked(False)
    plain = _search(qtbot, panel, "zebra stripes")
    assert "reranked" not in plain.rankings and not playground.reranked_shown()
    playground.show_comparison(result)  # a stored comparison with reranking reopens with its column
    assert playground.reranked_shown()


# ------------------------------------------------------------------------- long ingests


@pytest.fixture()
def slow_ingest(panel: RagPanel, monkeypatch) -> list[object]:
    """Every ingest looks long (the probe measures 0.001 chunks/s); returns the submitted params."""
    from workbench.core.rag import estimate
    from workbench.ui.panels.rag import panel as panel_module

    monkeypatch.setattr(panel_module, "may_be_long", lambda _paths: True)
    monkeypatch.setattr(estimate, "PROBE_ABOVE_S", 0.0)
    monkeypatch.setattr(estimate, "measure_chunks_per_s", lambda _name, _samples: 0.001)
    return record_submissions(monkeypatch, panel.host)


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
def test_a_long_ingest_asks_first_and_no_starts_nothing(
    qtbot, panel: RagPanel, docs: Path, monkeypatch, slow_ingest: list[object], answer
) -> None:
    from workbench.core.rag.params import IngestEstimate, IngestParams

    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _parent, _title, text, *a: asked.append(text) or answer)
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(docs / "zebra_en.md")], ""))
    panel.ingest.collection.setCurrentText("long")
    with qtbot.waitSignal(
        panel.host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_result_of(IngestEstimate)
    ):
        qtbot.mouseClick(panel.ingest.add_files_button, Qt.MouseButton.LeftButton)
        assert panel.ingest.cancel_button.isVisible() and not panel.ingest.add_files_button.isEnabled()
    qtbot.waitUntil(lambda: len(asked) == 1, timeout=JOB_TIMEOUT_MS)
    assert asked[0].startswith("This ingest will take about ") and asked[0].endswith("Start?")
    if answer == QMessageBox.StandardButton.No:
        assert not any(isinstance(p, IngestParams) for p in slow_ingest)
        assert panel.ingest.progress_label.text().startswith("Not started · ≈ ")
        assert panel.ingest.add_files_button.isEnabled() and not panel.ingest.cancel_button.isVisible()
    else:
        qtbot.waitUntil(lambda: any(isinstance(p, IngestParams) for p in slow_ingest), timeout=JOB_TIMEOUT_MS)
        qtbot.waitUntil(lambda: panel.library.collection("long") is not None, timeout=JOB_TIMEOUT_MS)
