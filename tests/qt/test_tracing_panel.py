"""Clicking through the Causal Tracing lab on a tiny GPT-2: subject by chips, live heatmaps,
cancel, a clicked cell, compare, averages, severing, export, reopening a stored run."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QImage
from submissions import record_submissions
from waiting import wait_for_result

from workbench.core.model.spec import LoadModelParams, ModelSpec
from workbench.core.tracing.facts import Fact
from workbench.core.tracing.params import AveragingParams
from workbench.core.tracing.results import AveragingResult, PromptPreview, SeveringResult, TraceResult
from workbench.store.project import ProjectStore
from workbench.store.project_jobs import OpenProjectParams
from workbench.ui.panels.tracing import TracingPanel
from workbench.ui.panels.tracing import panel as panel_module
from workbench.worker import WorkerHost

PROMPT = "The Eiffel Tower is in the city of"
SUBJECT_CHIPS = (2, 8)  # "Ei" "ff" "el" " " "To" "wer" in the tiny tokenizer
JOB_TIMEOUT_MS = 60000


@pytest.fixture()
def panel(qtbot, host: WorkerHost, tiny_model_dir: Path) -> TracingPanel:
    tracing = TracingPanel(host)
    qtbot.addWidget(tracing)
    tracing.resize(1440, 900)
    tracing.show()
    load = lambda: host.submit(LoadModelParams(ModelSpec(source="folder", name=str(tiny_model_dir))))  # noqa: E731
    wait_for_result(qtbot, host, object, load)
    return tracing


def _type_prompt(qtbot, host: WorkerHost, panel: TracingPanel, prompt: str = PROMPT) -> PromptPreview:
    """Type the prompt and wait for its tokens and top predictions (the predict job)."""
    _job, _run, preview = wait_for_result(qtbot, host, PromptPreview, lambda: panel.controls.prompt.setText(prompt))
    qtbot.waitUntil(lambda: panel.controls.preview() is not None)
    return preview


def _drag_chips(qtbot, panel: TracingPanel, start: int, end: int) -> None:
    chips = panel.controls.chips
    first, last = chips.chip_rect(start).center(), chips.chip_rect(end - 1).center()
    qtbot.mousePress(chips, Qt.MouseButton.LeftButton, pos=first)
    qtbot.mouseMove(chips, pos=last)
    qtbot.mouseRelease(chips, Qt.MouseButton.LeftButton, pos=last)


def _set_knobs(panel: TracingPanel, **values) -> None:
    for name, value in values.items():
        editor = panel.controls.form.editor(name)
        editor.setValue(value) if hasattr(editor, "setValue") else editor.setText(value)


def _trace(qtbot, host: WorkerHost, panel: TracingPanel, **knobs) -> tuple[int | None, TraceResult]:
    """Set up the standard prompt (subject by chips) and run a trace to its end."""
    if panel.controls.prompt.text() != PROMPT:
        _type_prompt(qtbot, host, panel)
        _drag_chips(qtbot, panel, *SUBJECT_CHIPS)
    _set_knobs(panel, **{"samples": 3, **knobs})
    _job, run_id, result = wait_for_result(qtbot, host, TraceResult, panel.controls.trace_button.click)
    return run_id, result


def _assert_trio_shows(trio, result: TraceResult) -> None:
    for kind in ("hidden", "mlp", "attn"):
        np.testing.assert_array_equal(trio.image_data(kind), result.scores[kind])


def test_dragging_over_chips_names_the_subject_and_typing_it_selects_the_chips(qtbot, host, panel) -> None:
    preview = _type_prompt(qtbot, host, panel)
    assert panel.controls.chips.tokens()[0] == "The" and len(panel.controls.chips.tokens()) == len(preview.tokens)
    assert panel.controls.target.count() == 10  # the top predictions, offered as targets
    _drag_chips(qtbot, panel, *SUBJECT_CHIPS)
    assert panel.controls.subject.text() == "Eiffel Tower"
    assert panel.controls.params().subject_span == SUBJECT_CHIPS
    panel.controls.subject.clear()
    qtbot.keyClicks(panel.controls.subject, "Tower")
    assert panel.controls.chips.selected_span() == (6, 8)
    assert "forward passes" in panel.controls.cost.text()


def test_a_trace_fills_all_three_heatmaps_live_with_the_results_numbers(qtbot, host, panel) -> None:
    shown: list[dict[str, np.ndarray]] = []
    panel.sig_trace_shown.connect(
        lambda result: shown.append(
            {kind: panel.trio.image_data(kind) for kind in result.scores} | {"complete": result.complete}
        )
    )
    _type_prompt(qtbot, host, panel)
    _drag_chips(qtbot, panel, *SUBJECT_CHIPS)
    _set_knobs(panel, samples=40)
    _job, _run, result = wait_for_result(qtbot, host, TraceResult, panel.controls.trace_button.click)
    _assert_trio_shows(panel.trio, result)
    assert result.subject_range == SUBJECT_CHIPS
    assert panel.trio.plots["hidden"].row_labels()[2] == "Ei*"  # subject tokens marked as in the paper
    partials = [snapshot for snapshot in shown if not snapshot["complete"]]
    assert partials, "no partial trace was drawn before the end"
    first = partials[0]["hidden"]
    assert np.isnan(first).any(), "the first partial should still have cells to compute"
    done = ~np.isnan(first)
    np.testing.assert_allclose(first[done], result.scores["hidden"][done])


def test_cancel_stops_a_trace_midway_and_keeps_the_cells_computed(qtbot, host, panel) -> None:
    _type_prompt(qtbot, host, panel)
    _drag_chips(qtbot, panel, *SUBJECT_CHIPS)
    _set_knobs(panel, samples=150)
    with qtbot.waitSignal(panel.sig_trace_shown, timeout=JOB_TIMEOUT_MS, check_params_cb=lambda r: not r.complete):
        panel.controls.trace_button.click()
    assert not panel.controls.trace_button.isEnabled()
    with qtbot.waitSignal(host.sig_job_cancelled, timeout=JOB_TIMEOUT_MS):
        qtbot.mouseClick(panel.controls.cancel_button, Qt.MouseButton.LeftButton)
    assert panel.controls.trace_button.isEnabled() and not panel.controls.cancel_button.isEnabled()
    assert panel.shown_trace() is None
    assert np.isnan(panel.trio.image_data("hidden")).any()


def test_clicking_a_cell_shows_the_restored_top_k_and_the_spread_of_samples(qtbot, host, panel) -> None:
    _run, result = _trace(qtbot, host, panel)
    plot = panel.trio.plots["hidden"]
    token, layer = SUBJECT_CHIPS[1] - 1, 1
    where = panel.trio.mapFromScene(plot.cell_scene_pos(token, layer))
    with qtbot.waitSignal(panel.sig_cell_shown, timeout=JOB_TIMEOUT_MS) as blocker:
        qtbot.mouseClick(panel.trio.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(where.x(), where.y()))
    cell = blocker.args[0]
    assert (cell.token, cell.layer, cell.kind) == (token, layer, "hidden")
    assert len(panel.inspector.shown_predictions()) == 10
    assert len(cell.target_probs) == 3
    assert float(np.mean(cell.target_probs)) == pytest.approx(result.scores["hidden"][token, layer], abs=1e-5)
    _x, spread = panel.inspector.spread.series("restored")
    np.testing.assert_allclose(spread, cell.target_probs)


def test_comparing_two_traces_shows_their_difference(qtbot, host, panel) -> None:
    _run, first = _trace(qtbot, host, panel, seed=1)
    _run, second = _trace(qtbot, host, panel, seed=2)
    panel.views.setCurrentWidget(panel.compare)
    for kind in ("hidden", "mlp", "attn"):
        np.testing.assert_allclose(panel.compare.trio.image_data(kind), second.scores[kind] - first.scores[kind])
    panel.compare.choose(0, 1)
    np.testing.assert_allclose(panel.compare.trio.image_data("mlp"), first.scores["mlp"] - second.scores["mlp"])


def test_the_averaged_view_fills_in_fact_by_fact(qtbot, host, panel, tmp_path) -> None:
    facts = tmp_path / "facts.jsonl"
    records = [
        {"subject": "Eiffel Tower", "prompt": "The {} is in the city of", "target_true": " Paris"},
        {"subject": "Louvre", "prompt": "The {} is a museum in", "target_true": " Paris"},
        {"subject": "Danube", "prompt": "The {} flows into the", "target_true": " Black"},
    ]
    facts.write_text("\n".join(json.dumps(record) for record in records), encoding="utf-8")
    view = panel.averaged
    view.path.setText(str(facts))
    view.only_known.setChecked(False)  # a random model knows no facts
    _set_knobs(panel, samples=2)
    traced: list[int] = []
    host.sig_progress.connect(
        lambda _j, _f, _m, partial: isinstance(partial, AveragingResult) and traced.append(partial.facts_traced)
    )
    _job, _run, result = wait_for_result(
        qtbot, host, AveragingResult, lambda: qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    )
    assert result.facts_traced == 3 and traced and min(traced) < 3
    for kind in result.kinds:
        np.testing.assert_array_equal(view.trio.image_data(kind), result.effects[kind])
    assert view.trio.plots["hidden"].row_labels()[0].startswith("first subject token")


def test_severing_plots_a_curve_per_variant(qtbot, host, panel) -> None:
    _trace(qtbot, host, panel)
    view = panel.severing
    assert view.token.currentData() == SUBJECT_CHIPS[1] - 1  # the last subject token, as ROME
    _job, _run, result = wait_for_result(
        qtbot, host, SeveringResult, lambda: qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton)
    )
    for variant, name in (("none", "no severing"), ("mlp", "MLP severed"), ("attn", "attention severed")):
        x, y = view.plot.series(name)
        np.testing.assert_array_equal(x, np.arange(result.num_layers))
        np.testing.assert_allclose(y, result.scores[variant])


def test_a_kept_view_of_the_severing_tab_runs_its_severing_again(qtbot, host, panel) -> None:
    """A lesson step that shows the severing tab keeps the severed token in its view; restored
    over a trace with no severing yet (as a live step's fresh trace), it severs there again
    rather than leaving the plot empty."""
    _trace(qtbot, host, panel)
    token = SUBJECT_CHIPS[1] - 1
    wait_for_result(qtbot, host, SeveringResult, lambda: panel.sever(token))
    panel.views.setCurrentWidget(panel.severing)
    kept = panel.view_state()
    assert kept["severed"] == token
    _type_prompt(qtbot, host, panel, PROMPT + " France")  # another trace: its severing is not run yet
    _drag_chips(qtbot, panel, *SUBJECT_CHIPS)
    wait_for_result(qtbot, host, TraceResult, panel.controls.trace_button.click)
    assert panel.view_state()["severed"] is None
    _job, _run, again = wait_for_result(qtbot, host, SeveringResult, lambda: panel.restore_view_state(kept))
    assert (again.prompt, again.token) == (PROMPT + " France", token)
    assert panel.views.currentWidget() is panel.severing and panel.view_state() == kept


def test_export_writes_png_svg_csv_and_npz_that_read_back(qtbot, host, panel, tmp_path) -> None:
    _run, result = _trace(qtbot, host, panel)
    png, svg, table, arrays = (panel.export(tmp_path / f"trace.{suffix}") for suffix in ("png", "svg", "csv", "npz"))
    image = QImage(str(png))
    assert image.width() == 1920 and image.height() > 300
    assert "<svg" in svg.read_text(encoding="utf-8")[:2000]
    rows = list(csv.DictReader(table.open(encoding="utf-8")))
    assert len(rows) == 3 * len(result.tokens) * result.num_layers
    hidden = np.array([float(row["score"]) for row in rows if row["kind"] == "hidden"]).reshape(len(result.tokens), -1)
    np.testing.assert_array_equal(hidden, result.scores["hidden"])
    with np.load(arrays) as data:
        np.testing.assert_array_equal(data["scores_attn"], result.scores["attn"])
        assert list(data["tokens"]) == result.tokens and tuple(data["subject_range"]) == result.subject_range


def test_a_reopened_average_shows_its_settings_and_averages_its_listed_facts_again(
    qtbot, host, panel, tmp_path, monkeypatch
) -> None:
    """An average whose run lists its facts (tools/real_model/trace.py) reopens with its noise,
    count and known-only setting in the form, not the demo defaults; Average runs those facts
    again with the form's noise while no file is chosen, and a chosen file wins."""
    project = tmp_path / "p.wbproj"
    wait_for_result(qtbot, host, object, lambda: host.submit(OpenProjectParams(path=str(project), create=True)))
    facts = (
        Fact("Eiffel Tower", "The {} is in the city of", " Paris"),
        Fact("Louvre", "The {} is a museum in", " Paris"),
    )
    stored = AveragingParams(facts=facts, samples=3, noise=2.5, only_known=False, kinds=("hidden", "mlp"))
    _job, run_id, _result = wait_for_result(qtbot, host, AveragingResult, lambda: host.submit(stored))
    with ProjectStore.open(project, read_only=True) as reader:
        run = reader.load_run(run_id)
    reopened = TracingPanel(host)
    qtbot.addWidget(reopened)
    reopened.show_run(run)
    view = reopened.averaged
    assert reopened.controls.form.editor("samples").value() == 3
    assert reopened.controls.form.editor("noise").value() == 2.5
    assert view.limit.value() == 2 and not view.only_known.isChecked()
    assert view.path.text() == "" and "2 facts" in view.path.placeholderText()
    reopened.on_model_changed(panel._model_info)
    submitted = record_submissions(monkeypatch, host)
    wait_for_result(qtbot, host, AveragingResult, lambda: qtbot.mouseClick(view.run_button, Qt.MouseButton.LeftButton))
    assert [(p.facts, p.samples, p.noise, p.only_known) for p in submitted] == [(facts, 3, 2.5, False)]
    view.path.setText(str(tmp_path / "chosen.jsonl"))
    assert view.listed_facts() == ()


def test_reopening_a_stored_trace_restores_the_heatmaps_and_the_setup(qtbot, host, panel, tmp_path) -> None:
    project = tmp_path / "p.wbproj"
    wait_for_result(qtbot, host, object, lambda: host.submit(OpenProjectParams(path=str(project), create=True)))
    run_id, result = _trace(qtbot, host, panel)
    assert run_id is not None
    with ProjectStore.open(project, read_only=True) as reader:
        run = reader.load_run(run_id)
    reopened = TracingPanel(host)
    qtbot.addWidget(reopened)
    reopened.show_run(run)
    _assert_trio_shows(reopened.trio, result)
    assert reopened.controls.prompt.text() == PROMPT and reopened.controls.subject.text() == "Eiffel Tower"
    assert reopened.controls.chips.selected_span() == SUBJECT_CHIPS
    assert reopened.shown_trace().target == result.target


def test_an_empty_prompt_or_a_missing_subject_is_explained_before_any_job(qtbot, host, panel, monkeypatch) -> None:
    messages: list[str] = []
    monkeypatch.setattr(panel_module, "show_error", lambda _parent, _title, message, *_: messages.append(message))
    submitted = record_submissions(monkeypatch, host)
    panel.controls.trace_button.click()
    assert not submitted
    _type_prompt(qtbot, host, panel)
    submitted.clear()
    panel.controls.subject.setText("Louvre")
    panel.controls.trace_button.click()
    assert "prompt is empty" in messages[0]
    assert "Louvre" in messages[1] and "does not appear" in messages[1]
    assert not submitted


def test_edit_here_on_a_cell_asks_the_editing_lab_for_that_layer(qtbot, host, panel) -> None:
    _run, result = _trace(qtbot, host, panel)
    menu = panel.cell_menu("mlp", 7, 2)
    edit = next(action for action in menu.actions() if action.text().startswith("Edit here"))
    with qtbot.waitSignal(panel.sig_edit_requested) as blocker:
        edit.trigger()
    assert blocker.args == [PROMPT, "Eiffel Tower", result.target, 2]


def test_trace_right_after_cancel_runs_the_new_trace(qtbot, host, panel) -> None:
    _type_prompt(qtbot, host, panel)
    _drag_chips(qtbot, panel, *SUBJECT_CHIPS)
    _set_knobs(panel, samples=150)
    with qtbot.waitSignal(panel.sig_trace_shown, timeout=JOB_TIMEOUT_MS, check_params_cb=lambda r: not r.complete):
        panel.controls.trace_button.click()
    qtbot.mouseClick(panel.controls.cancel_button, Qt.MouseButton.LeftButton)
    assert panel.controls.trace_button.isEnabled()  # at once, not when the worker has stopped
    _set_knobs(panel, samples=2)
    # the finished trace, not its last live partial (which is complete too, and may come first)
    with qtbot.waitSignal(
        panel.sig_trace_shown, timeout=JOB_TIMEOUT_MS, check_params_cb=lambda r: r is panel.shown_trace()
    ):
        qtbot.mouseClick(panel.controls.trace_button, Qt.MouseButton.LeftButton)
    assert panel.shown_trace() is not None and panel.shown_trace().samples == 2
