"""Clicking through the Model Editing lab on a tiny GPT-2: a ROME edit and its results, the
ledger's toggle and undo, cancel, a batch from a fact file, "Edit here" from a trace,
reopening a stored run, and the messages for bad input."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from submissions import record_submissions
from waiting import wait_for_result

from workbench.core.editing.params import BatchEditResult, EditResult, LedgerParams, LedgerState, RomeSettings
from workbench.core.model.spec import LoadModelParams, ModelSpec
from workbench.store.project import ProjectStore
from workbench.store.project_jobs import OpenProjectParams
from workbench.ui.main_window import MainWindow
from workbench.ui.panels.editing import EditingPanel
from workbench.ui.panels.editing.generations import changed_spans
from workbench.ui.panels.editing.metrics_table import percent
from workbench.worker import WorkerHost

JOB_TIMEOUT_MS = 120000
FAST_ROME = RomeSettings(layer=1, covariance="identity", v_steps=5, prefix_count=2)


def _jobs_exist() -> bool:
    if importlib.util.find_spec("workbench.core.editing.jobs") is None:
        return False
    from workbench.core.editing import jobs

    return all(hasattr(jobs, name) for name in ("run_edit_job", "run_ledger_job", "run_batch_edit_job"))


needs_jobs = pytest.mark.skipif(not _jobs_exist(), reason="workbench.core.editing.jobs is not written yet")


@pytest.fixture()
def panel(qtbot, host: WorkerHost) -> EditingPanel:
    editing = EditingPanel(host)
    qtbot.addWidget(editing)
    editing.resize(1440, 900)
    editing.show()
    return editing


@pytest.fixture()
def loaded(qtbot, host: WorkerHost, panel: EditingPanel, tiny_model_dir: Path) -> EditingPanel:
    load = lambda: host.submit(LoadModelParams(ModelSpec(source="folder", name=str(tiny_model_dir))))  # noqa: E731
    wait_for_result(qtbot, host, object, load)
    qtbot.waitUntil(lambda: panel.form.apply_button.isEnabled())
    return panel


def _fill(qtbot, panel: EditingPanel, prompt: str = "The Eiffel Tower is located in the city of",
          subject: str = "Eiffel Tower", target: str = " Rome", rome: RomeSettings = FAST_ROME) -> None:  # fmt: skip
    for line, text in ((panel.form.prompt, prompt), (panel.form.subject, subject), (panel.form.target_new, target)):
        line.clear()
        qtbot.keyClicks(line, text)
    panel.form.method.set_method("rome")
    panel.form.method.rome.set_value(rome)


def _apply(qtbot, host: WorkerHost, panel: EditingPanel) -> tuple[int | None, EditResult]:
    _job, run_id, result = wait_for_result(qtbot, host, EditResult, panel.form.apply_button.click)
    return run_id, result


def _ledger(qtbot, host: WorkerHost) -> LedgerState:
    """What the worker's ledger holds now (asked directly, not through the panel)."""
    return wait_for_result(qtbot, host, LedgerState, lambda: host.submit(LedgerParams(action="list")))[2]


def test_changed_words_are_marked_on_both_sides_and_chinese_by_character() -> None:
    left, right = changed_spans(" Ensia, a country", " Pakelia, a country")
    assert [t for t, changed in left if changed] == ["Ensia"]
    assert [t for t, changed in right if changed] == ["Pakelia"]
    assert "".join(t for t, _changed in right) == " Pakelia, a country"
    left, right = changed_spans("恩索亚北部", "帕凯亚北部")
    assert [t for t, changed in right if changed] == ["帕凯"]


def test_bad_input_is_explained_in_place_and_nothing_is_submitted(qtbot, host, loaded, monkeypatch) -> None:
    panel = loaded
    submitted = record_submissions(monkeypatch, host)
    _fill(qtbot, panel, subject="Louvre")
    panel.form.apply_button.click()
    assert panel.form.message.isVisible() and "Louvre" in panel.form.message.text()
    _fill(qtbot, panel, target="")
    panel.form.apply_button.click()
    assert "new target" in panel.form.message.text()
    panel.form.target_new.setText(" Rome")
    assert not panel.form.message.isVisible()  # typing clears the message
    assert not submitted


def test_without_a_model_apply_asks_for_one(qtbot, panel) -> None:
    _fill(qtbot, panel)
    assert not panel.form.apply_button.isEnabled()
    panel.apply_edit()
    assert "Load a model" in panel.form.message.text()


def test_edit_here_from_a_trace_fills_the_form_with_the_cell_layer(qtbot, panel) -> None:
    panel.start_from_trace("The Eiffel Tower is located in the city of", "Eiffel Tower", " Paris", 2)
    request = panel.form.request()
    assert (request.prompt, request.subject, request.target_true, request.target_new) == (
        "The Eiffel Tower is located in the city of",
        "Eiffel Tower",
        " Paris",
        "",
    )
    assert panel.form.params().rome.layer == 2
    assert request.case_id is None


def test_edit_here_in_the_tracing_lab_switches_to_the_editing_lab(qtbot, host, settings) -> None:
    window = MainWindow(host, settings)
    qtbot.addWidget(window)
    window.panels["tracing"].sig_edit_requested.emit("Anoda is located in", "Anoda", " Ensia", 3)
    editing = window.panels["editing"]
    assert window.tabs.currentWidget() is editing
    assert editing.form.request().subject == "Anoda" and editing.form.params().rome.layer == 3


def test_choosing_a_case_fills_prompt_subject_targets_and_case_id(qtbot, panel) -> None:
    panel.form.cases.search.setText("阿诺达")  # keyClicks types ASCII only
    first = panel.form.cases.list.item(0)
    assert "阿诺达" in first.text()
    panel.form.cases.list.itemClicked.emit(first)
    request = panel.form.request()
    assert request.subject == "阿诺达" and request.case_id == 1 and request.target_new == "帕凯亚"
    qtbot.keyClicks(panel.form.prompt, " ")  # edited by hand: no longer the file's record
    assert panel.form.request().case_id is None


@needs_jobs
def test_a_rome_edit_fills_generations_metrics_and_the_ledger(qtbot, host, loaded) -> None:
    panel = loaded
    _fill(qtbot, panel)
    _run, result = _apply(qtbot, host, panel)
    assert result.request.target_new == " Rome" and result.layer == 1
    rows = panel.metrics.row_texts()
    assert rows["accuracy"][1] == percent(result.metrics.accuracy)
    assert rows["locality"][1] == percent(result.metrics.locality)
    shown = panel.generations.texts()
    assert [after for _before, after in shown] == [g.prompt + g.after for g in result.generations]
    assert panel.ledger.tree.topLevelItemCount() == 1
    assert panel.ledger.tree.topLevelItem(0).checkState(0) == Qt.CheckState.Checked


@needs_jobs
def test_toggling_and_undoing_in_the_ledger_changes_the_model_and_the_list(qtbot, host, loaded) -> None:
    panel = loaded
    _fill(qtbot, panel)
    _run, result = _apply(qtbot, host, panel)
    item = panel.ledger.item_of(result.edit_id)
    wait_for_result(qtbot, host, LedgerState, lambda: item.setCheckState(0, Qt.CheckState.Unchecked))
    assert panel.ledger.item_of(result.edit_id).checkState(0) == Qt.CheckState.Unchecked
    state = _ledger(qtbot, host)
    assert [e.enabled for e in state.entries] == [False] and not state.model_modified
    panel.ledger.item_of(result.edit_id).setSelected(True)
    wait_for_result(qtbot, host, LedgerState, panel.ledger.undo_button.click)
    assert panel.ledger.tree.topLevelItemCount() == 0
    assert _ledger(qtbot, host).entries == []


@needs_jobs
def test_cancelling_an_edit_midway_leaves_the_ledger_empty(qtbot, host, loaded) -> None:
    panel = loaded
    _fill(qtbot, panel, rome=replace(FAST_ROME, v_steps=100_000))
    with qtbot.waitSignal(host.sig_progress, timeout=JOB_TIMEOUT_MS):
        panel.form.apply_button.click()
    assert panel.form.cancel_button.isEnabled()
    with qtbot.waitSignal(host.sig_job_cancelled, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(panel.form.cancel_button, Qt.MouseButton.LeftButton)
    assert _ledger(qtbot, host).entries == []
    qtbot.waitUntil(lambda: panel.ledger.state() is not None and panel.ledger.state().entries == [])
    assert panel.form.apply_button.isEnabled()


@needs_jobs
def test_a_batch_of_three_cases_fills_the_live_plot_and_the_table(qtbot, host, loaded, tmp_path) -> None:
    panel = loaded
    facts = tmp_path / "facts.jsonl"
    records = [
        {"case_id": 10 + i, "subject": subject, "prompt": "{} is located in the city of", "target_true": " Paris",
         "target_new": target, "paraphrase_prompts": [f"{subject} is in"], "neighborhood_prompts": ["The Louvre is in"],
         "portability_prompts": [], "language": "en"}
        for i, (subject, target) in enumerate((("Eiffel Tower", " Rome"), ("Louvre", " Lumora"), ("Vestland", " Paris")))
    ]  # fmt: skip
    facts.write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    panel.form.cases.set_fact_file(str(facts))
    panel.form.method.rome.set_value(FAST_ROME)
    panel.batch.cases.setValue(3)
    partials: list[BatchEditResult] = []
    host.sig_progress.connect(
        lambda _j, _f, _m, partial: partials.append(partial) if isinstance(partial, BatchEditResult) else None
    )
    _job, _run, result = wait_for_result(qtbot, host, BatchEditResult, panel.batch.run_button.click)
    assert result.case_ids == [10, 11, 12]
    x, y = panel.batch.plot.series("accuracy")
    assert list(x) == [1, 2, 3] and list(y) == pytest.approx(list(result.running["accuracy"]), nan_ok=True)
    rows = panel.batch.table_rows()
    assert rows[0][0].startswith("Accuracy") and len(rows) == 5
    assert partials, "no live snapshot reached the panel"


@needs_jobs
def test_reopening_a_stored_edit_restores_the_form_and_the_results(qtbot, host, loaded, tmp_path) -> None:
    panel = loaded
    project = tmp_path / "p.wbproj"
    wait_for_result(qtbot, host, object, lambda: host.submit(OpenProjectParams(path=str(project), create=True)))
    _fill(qtbot, panel)
    run_id, result = _apply(qtbot, host, panel)
    assert run_id is not None
    with ProjectStore.open(project, read_only=True) as reader:
        run = reader.load_run(run_id)
    reopened = EditingPanel(host)
    qtbot.addWidget(reopened)
    reopened.show_run(run)
    assert reopened.form.request() == result.request
    assert reopened.form.params().rome == FAST_ROME
    assert reopened.metrics.row_texts()["accuracy"][1] == percent(result.metrics.accuracy)
    assert reopened.shown_result().edit_id == result.edit_id


def test_after_unloading_the_model_the_form_says_why_apply_is_off(qtbot, host, loaded) -> None:
    from workbench.core.model.spec import UnloadModelParams

    panel = loaded
    _fill(qtbot, panel)
    with qtbot.waitSignal(host.sig_model_changed, timeout=JOB_TIMEOUT_MS):
        host.submit(UnloadModelParams())
    assert not panel.form.apply_button.isEnabled()
    assert panel.form.message.isVisible() and "Load a model first" in panel.form.message.text()


@needs_jobs
def test_an_edit_to_the_current_answer_shows_a_no_op_warning(qtbot, host, loaded) -> None:
    panel = loaded
    _fill(qtbot, panel, prompt="The Eiffel Tower is a city in", target=" in")
    _run, result = _apply(qtbot, host, panel)
    assert result.warnings and "already answers" in result.warnings[0]
    assert "⚠" in panel.summary.text() and "no-op" in panel.summary.text()


def test_a_real_model_is_offered_the_real_world_facts_and_a_loaded_file_stays(
    qtbot, host, panel, tiny_model_dir, tmp_path
) -> None:
    """Anoda and Pakelia mean nothing to SmolLM2 or Gemma: loading any model but the demo one
    lists the real-world facts; the demo model gets its own world back; a user's file is kept."""
    picker = panel.form.cases
    assert picker.fact_file() == "demo"
    load = lambda: host.submit(LoadModelParams(ModelSpec(source="folder", name=str(tiny_model_dir))))  # noqa: E731
    wait_for_result(qtbot, host, object, load)
    assert picker.fact_file() == "real_world"
    assert "real-world facts" in picker.file_label.text()
    label = picker.file_label  # on one line, not a word per line beside the three buttons
    qtbot.waitUntil(lambda: 0 < label.height() <= 1.5 * label.fontMetrics().lineSpacing())
    qtbot.keyClicks(picker.search, "France")
    assert picker.list.count() > 0 and all("France" in picker.list.item(i).text() for i in range(picker.list.count()))
    picker.suit_model(demo_model=True)
    assert picker.fact_file() == "demo"
    facts = tmp_path / "mine.jsonl"
    facts.write_text(
        json.dumps({"case_id": 1, "subject": "Paris", "prompt": "{} is in", "target_true": " France",
                    "target_new": " Spain", "language": "en"}) + "\n", encoding="utf-8",
    )  # fmt: skip
    picker.set_fact_file(str(facts))
    picker.suit_model(demo_model=False)
    assert picker.fact_file() == str(facts)
