"""Choosing a lab's "Quick demo" preset fills its form with the preset (issue 18: a lecture cannot
wait 104 s for the default LoRA, 64 s for the encyclopedia or 24 s for the averaged trace)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from workbench.core.finetune.params import QUICK_DEMO, QUICK_DEMO_SECONDS, FinetuneParams
from workbench.core.rag.params import DEFAULT_EMBEDDER, QUICK_DEMO_INGEST_SECONDS, ChunkSettings, quick_demo_ingest
from workbench.core.tracing.params import DEMO_AVERAGE_FACTS, QUICK_DEMO_AVERAGE_FACTS, QUICK_DEMO_AVERAGE_SECONDS
from workbench.ui.panels.finetune import FinetunePanel
from workbench.ui.panels.rag.ingest_box import DEMO_FOLDER, IngestBox
from workbench.ui.panels.tracing.averaged import AveragedView
from workbench.ui.panels.tracing.presets import DEMO_FACTS_PATH
from workbench.worker import WorkerHost


def _choose(combo, text: str) -> None:
    """Pick the item whose text starts with ``text``, as a click in the list does (``activated``)."""
    index = next(i for i in range(combo.count()) if combo.itemText(i).startswith(text))
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def test_the_finetune_quick_demo_fills_method_data_and_training(qtbot, host: WorkerHost) -> None:
    panel = FinetunePanel(host)
    qtbot.addWidget(panel)
    settings = panel.settings
    settings.train.editor("max_steps").setValue(999)
    settings.train.editor("patience").setValue(7)
    assert any(settings.preset.itemText(i) == f"Quick demo (≈ {QUICK_DEMO_SECONDS} s)" for i in range(4))
    _choose(settings.preset, "Quick demo")
    assert settings.train_config() == QUICK_DEMO.train
    assert settings.method.value() == QUICK_DEMO.method and panel.data.value() == QUICK_DEMO.data
    _choose(settings.preset, "Full training")
    assert settings.train_config() == FinetuneParams().train


def test_the_rag_quick_demo_fills_the_form_and_ingests_its_articles(qtbot) -> None:
    box = IngestBox()
    qtbot.addWidget(box)
    box.collection.setCurrentText("my notes")
    box.embedder.setCurrentText("minilm")
    box.chunking.set_value(ChunkSettings(size=999))
    assert box.quick_demo_button.text() == f"Quick demo (≈ {QUICK_DEMO_INGEST_SECONDS} s)"
    with qtbot.waitSignal(box.sig_ingest, timeout=1000) as ingest:
        qtbot.mouseClick(box.quick_demo_button, Qt.MouseButton.LeftButton)
    preset = quick_demo_ingest(DEMO_FOLDER)
    assert box.collection_name() == preset.collection
    assert box.embedder.currentText() == DEFAULT_EMBEDDER and box.chunking.value() == ChunkSettings()
    params = ingest.args[0]
    assert params.collection == preset.collection and params.paths == preset.paths
    assert params.embedder == DEFAULT_EMBEDDER and params.chunking == ChunkSettings()


def test_the_averaged_trace_quick_demo_fills_the_facts_and_their_number(qtbot) -> None:
    view = AveragedView()
    qtbot.addWidget(view)
    view.path.setText("/somewhere/else.jsonl")
    view.only_known.setChecked(False)
    assert view.limit.value() == DEMO_AVERAGE_FACTS
    _choose(view.preset, f"Quick demo (≈ {QUICK_DEMO_AVERAGE_SECONDS} s)")
    assert view.path.text() == str(DEMO_FACTS_PATH)
    assert view.limit.value() == QUICK_DEMO_AVERAGE_FACTS and view.only_known.isChecked()
    with qtbot.waitSignal(view.sig_run_requested, timeout=1000) as run:
        qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    assert run.args == [str(DEMO_FACTS_PATH), QUICK_DEMO_AVERAGE_FACTS, True]
