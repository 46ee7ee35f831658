"""Clicking through the Sampling lab on a tiny GPT-2: generate, inspect, branch, beams, compare, step, reopen."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from jobs_for_tests import SleepyParams
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from workbench.core.model.spec import LoadModelParams, ModelSpec
from workbench.core.sampling.records import SamplingResult, SideBySideResult
from workbench.store.project import ProjectStore
from workbench.ui.main_window import MainWindow
from workbench.ui.panels.sampling import SamplingPanel
from workbench.ui.settings import AppSettings
from workbench.worker import WorkerHost

PROMPT = "Once upon a time a giraffe"
JOB_TIMEOUT_MS = 60000


def _load_model(qtbot, host: WorkerHost, folder: Path) -> None:
    """Load and wait for the job's end (not just the model change, which is announced first)."""
    job_id = host.submit(LoadModelParams(ModelSpec(source="folder", name=str(folder))))
    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=lambda j, *_: j == job_id):
        pass


@pytest.fixture()
def panel(qtbot, host: WorkerHost, tiny_model_dir: Path) -> SamplingPanel:
    sampling = SamplingPanel(host)
    qtbot.addWidget(sampling)
    sampling.resize(1280, 860)
    sampling.show()
    _load_model(qtbot, host, tiny_model_dir)
    return sampling


def _settings(panel: SamplingPanel, prompt: str = PROMPT, **fields) -> None:
    """Type the prompt and set knobs through their editors, as a person would."""
    panel.controls.prompt.setPlainText(prompt)
    form = panel.controls.form
    for name, value in {"stop_at_eos": False, **fields}.items():
        editor = form.editor(name)
        if hasattr(editor, "findData"):
            editor.setCurrentIndex(editor.findData(value))
        elif hasattr(editor, "setChecked"):
            editor.setChecked(value)
        elif hasattr(editor, "setValue"):
            editor.setValue(value)
        else:
            editor.setText(value)


def _is_sampling(_job_id: int, _run_id: object, result: object) -> bool:
    """A finished job of this lab (other labs of the main window run jobs of their own)."""
    return isinstance(result, (SamplingResult, SideBySideResult))


def _is_stored_sampling(job_id: int, run_id: object, result: object) -> bool:
    return _is_sampling(job_id, run_id, result) and run_id is not None


def _click_and_wait(qtbot, host: WorkerHost, button, stored: bool = False) -> list:
    check = _is_stored_sampling if stored else _is_sampling
    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=check) as blocker:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    return blocker.args


def _shown_branch(panel: SamplingPanel) -> SamplingResult:
    return panel.generation.branches.branch(panel.generation.current_branch()).result


def test_greedy_generation_shows_each_token_tinted_by_its_probability(qtbot, host, panel) -> None:
    _settings(panel, strategy="greedy", max_new_tokens=6)
    _job, _run, result = _click_and_wait(qtbot, host, panel.controls.generate_button)
    assert isinstance(result, SamplingResult) and len(result.token_ids) == 6
    text = panel.generation.text
    assert text.prefix() == PROMPT and text.toPlainText().startswith(PROMPT)
    covered = panel.generation.shown_spans().steps_of_span
    assert [step for steps in covered for step in steps] == list(range(6))
    assert text.token_count() == len(covered)
    for span, steps in zip(text.spans(), covered):
        if len(steps) == 1 and not result.tokens[steps[0]].startswith("<0x"):
            assert span.text == result.tokens[steps[0]]
    first = text.spans()[0]
    assert first.probability == pytest.approx(math.exp(result.steps[0].chosen_logprob), rel=1e-5)
    assert "step 1" in first.tooltip and "%" in first.tooltip
    assert "6 tokens" in panel.generation.stats.text()
    last = text.token_count() - 1
    qtbot.mouseClick(text.viewport(), Qt.MouseButton.LeftButton, pos=text.token_rect(last).center())
    assert panel.generation.inspector.selected_step() == covered[last][0]
    assert text.selected() == last


def test_moving_a_slider_redraws_the_step_without_asking_the_model(qtbot, host, panel) -> None:
    _settings(panel, strategy="greedy", max_new_tokens=3)
    _click_and_wait(qtbot, host, panel.controls.generate_button)
    inspector = panel.generation.inspector
    bars = inspector.bars
    inspector.select_step(1, animate=False)
    before = bars.distribution()
    assert not any(label.startswith("top-k = 3") for _y, label in bars.cut_lines())
    with qtbot.assertNotEmitted(host.sig_job_started, wait=200):
        inspector.top_k.slider.setValue(3)
        after_k = bars.distribution()
        inspector.top_p.slider.setValue(2)  # top-p 0.02 of a nearly flat distribution: a few tokens
        after_p = bars.distribution()
        inspector.temperature.slider.setValue(10)  # T = 0.5
        after_t = bars.distribution()
    assert (3 - 0.5, "top-k = 3") in [(y, label) for y, label in bars.cut_lines()]
    assert np.all(after_k.final[3:20] == 0) and after_k.final[:3].sum() == pytest.approx(1.0)
    assert not np.allclose(after_k.final, before.final)
    cuts = {label: y for y, label in bars.cut_lines()}
    assert "top-p = 0.02" in cuts and cuts["top-p = 0.02"] <= cuts["top-k = 3"]
    assert after_p.removed.sum() >= after_k.removed.sum()
    assert after_t.intermediate is not None and not np.allclose(after_t.intermediate, after_t.base)
    np.testing.assert_allclose(bars.drawn_values()[2], after_t.final)  # no animation for sliders


def test_clicking_an_alternative_bar_branches_and_the_text_changes(qtbot, host, panel) -> None:
    _settings(panel, strategy="greedy", max_new_tokens=5)
    _click_and_wait(qtbot, host, panel.controls.generate_button)
    original = _shown_branch(panel)
    inspector = panel.generation.inspector
    inspector.select_step(2, animate=False)
    step = original.steps[2]
    row = 1 if step.chosen_index != 1 else 0
    bars = inspector.bars
    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_is_sampling):
        qtbot.mouseClick(bars.plot.viewport(), Qt.MouseButton.LeftButton, pos=bars.row_point(row))
    tree = panel.generation.branches
    assert len(tree.branch_ids()) == 2
    root, child = tree.branch_ids()
    assert tree.branch(child).parent == root and tree.branch(child).step == 2
    assert tree.topLevelItemCount() == 1 and tree.topLevelItem(0).childCount() == 1
    branched = _shown_branch(panel)
    assert panel.generation.current_branch() == child
    assert branched.token_ids[:2].tolist() == original.token_ids[:2].tolist()
    assert int(branched.token_ids[2]) == int(step.candidate_ids[row]) != int(original.token_ids[2])
    spans = panel.generation.text.spans()
    marked = panel.generation.shown_spans().span_of_step[2]
    assert spans[marked].emphasis == "mark"
    assert "step 3" in tree.item_text(child)
    tree.select(root)
    assert [s.text for s in panel.generation.text.spans()] != [s.text for s in spans]


def test_beam_search_draws_its_tree_with_pruned_hypotheses_greyed(qtbot, host, panel) -> None:
    _settings(panel, strategy="beam", num_beams=2, max_new_tokens=4, num_return_sequences=2)
    _job, _run, result = _click_and_wait(qtbot, host, panel.controls.generate_button)
    beam = panel.beam
    assert panel.views.currentWidget() is beam
    assert beam.column_count() == len(result.beam.steps) >= 1
    counts = beam.status_counts()
    assert counts["pruned"] > 0 and counts["live"] > 0
    step = result.beam.steps[0]
    pruned, live = step.status.index("pruned"), step.status.index("live")
    grey = beam.palette().color(QPalette.ColorRole.AlternateBase)
    assert beam.node_brush(0, pruned) == grey != beam.node_brush(0, live)
    assert beam.highlighted_path() == result.sequences[0].path.tolist()
    assert beam.sequences.count() == 2
    beam.sequences.setCurrentRow(1)
    assert beam.highlighted_path() == result.sequences[1].path.tolist()


def test_side_by_side_with_two_seeds_shows_two_columns_and_where_they_part(qtbot, host, panel) -> None:
    _settings(panel, strategy="sample", max_new_tokens=6, temperature=1.5, top_k=0, seed=1)
    panel.views.setCurrentWidget(panel.side_by_side)
    view = panel.side_by_side
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(view.add_seed_button, Qt.MouseButton.LeftButton)
    assert [config.seed for config in view.configs()] == [1, 2]
    _job, _run, result = _click_and_wait(qtbot, host, view.compare_button)
    assert isinstance(result, SideBySideResult)
    assert view.column_count() == 2
    divergence = result.divergence[1]
    footer = view.column_footers()[1]
    if divergence is None:
        assert "same tokens as #1" in footer
    else:
        assert f"parts from #1 at token {divergence + 1}" in footer
        second = view.column_views()[1]
        assert [span.emphasis for span in second.spans()].count("strong") == 1
    assert f"{result.results[1].logprob:.2f}" in footer


def test_step_mode_adds_one_token_per_click_or_key_and_animates(qtbot, host, panel) -> None:
    _settings(panel, strategy="sample", max_new_tokens=8, seed=3)
    _click_and_wait(qtbot, host, panel.controls.step_button)
    text = panel.generation.text
    assert len(_shown_branch(panel).token_ids) == 1
    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_is_sampling):
        qtbot.keyClick(text, Qt.Key.Key_Space)
    assert panel.generation.inspector.bars.is_animating()
    assert len(_shown_branch(panel).token_ids) == 2
    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS, check_params_cb=_is_sampling):
        qtbot.keyClick(text, Qt.Key.Key_Right)  # on the newest step, → asks for the next token
    result = _shown_branch(panel)
    assert len(result.token_ids) == 3 and text.token_count() >= 1
    assert panel.generation.inspector.selected_step() == 2
    assert len(panel.generation.branches.branch_ids()) == 1
    qtbot.waitUntil(lambda: not panel.generation.inspector.bars.is_animating(), timeout=2000)
    np.testing.assert_allclose(panel.generation.inspector.bars.drawn_values()[0], result.steps[2].raw_probs, rtol=1e-6)


def test_cancel_withdraws_the_panels_generation_and_frees_the_buttons(qtbot, host, panel) -> None:
    _settings(panel, strategy="greedy", max_new_tokens=4)
    controls = panel.controls
    with qtbot.waitSignal(host.sig_job_started, timeout=JOB_TIMEOUT_MS):
        busy = host.submit(SleepyParams(units=100_000, delay_s=0.01))  # holds the worker
    qtbot.mouseClick(controls.generate_button, Qt.MouseButton.LeftButton)
    assert not controls.generate_button.isEnabled() and controls.cancel_button.isEnabled()
    assert len(panel.generation.branches.branch_ids()) == 1
    with qtbot.waitSignal(host.sig_job_cancelled, timeout=JOB_TIMEOUT_MS, check_params_cb=lambda job: job != busy):
        qtbot.mouseClick(controls.cancel_button, Qt.MouseButton.LeftButton)
        host.cancel(busy)
    assert panel.generation.branches.branch_ids() == []  # nothing was generated: no empty branch left
    assert controls.generate_button.isEnabled() and not controls.cancel_button.isEnabled()


def test_an_empty_prompt_gets_a_clear_message_and_no_job(qtbot, host, panel) -> None:
    _settings(panel, prompt="   ", strategy="greedy")
    with qtbot.assertNotEmitted(host.sig_job_started, wait=200):
        qtbot.mouseClick(panel.controls.generate_button, Qt.MouseButton.LeftButton)
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    assert boxes and "prompt is empty" in boxes[0].text()
    for box in boxes:
        box.close()


def test_reopening_stored_runs_restores_the_text_and_step_mode_is_saved(
    qtbot, host: WorkerHost, settings: AppSettings, tiny_model_dir: Path, tmp_path: Path
) -> None:
    window = MainWindow(host, settings)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(host.sig_project_changed, timeout=JOB_TIMEOUT_MS):
        window.open_project(str(tmp_path / "lab.wbproj"))
    _load_model(qtbot, host, tiny_model_dir)
    panel = window.panels["sampling"]
    assert isinstance(panel, SamplingPanel)
    _settings(panel, strategy="greedy", max_new_tokens=4)
    _job, first_run, _result = _click_and_wait(qtbot, host, panel.controls.generate_button, stored=True)
    assert first_run in window.run_history.run_ids()  # the window refreshed its history before we woke
    first_spans = [span.text for span in panel.generation.text.spans()]

    _settings(panel, prompt="长颈鹿住在河边", strategy="sample", max_new_tokens=3, seed=7)
    for _ in range(2):
        _click_and_wait(qtbot, host, panel.controls.step_button)
    stepped = _shown_branch(panel).token_ids.tolist()
    _job, saved_run, saved = _click_and_wait(qtbot, host, panel.controls.save_steps_button, stored=True)
    assert saved_run in window.run_history.run_ids() and saved_run != first_run
    assert saved.token_ids.tolist() == stepped
    assert f"run #{saved_run}" in panel.controls.step_status.text()

    window.open_run(first_run)
    assert panel.generation.text.prefix() == PROMPT
    assert [span.text for span in panel.generation.text.spans()] == first_spans
    assert panel.controls.prompt.toPlainText() == PROMPT
    assert panel.controls.form.field_value("strategy") == "greedy"
    window.open_run(saved_run)
    assert _shown_branch(panel).token_ids.tolist() == stepped
    assert panel.generation.text.prefix() == "长颈鹿住在河边"

    fresh = SamplingPanel(host)  # a panel with no branches yet: the run becomes its first tree
    qtbot.addWidget(fresh)
    reader = ProjectStore.open(tmp_path / "lab.wbproj", read_only=True)
    try:
        fresh.show_run(reader.load_run(first_run))
    finally:
        reader.close()
    assert [span.text for span in fresh.generation.text.spans()] == first_spans


def test_quitting_with_unsaved_stepped_tokens_asks_first_and_cancel_keeps_the_window(
    qtbot, host: WorkerHost, settings: AppSettings, tiny_model_dir: Path, monkeypatch
) -> None:
    window = MainWindow(host, settings)
    qtbot.addWidget(window)
    window.show()
    _load_model(qtbot, host, tiny_model_dir)
    panel = window.panels["sampling"]
    assert isinstance(panel, SamplingPanel)
    _settings(panel, strategy="sample", max_new_tokens=5, seed=3)
    for _ in range(2):
        _click_and_wait(qtbot, host, panel.controls.step_button)
    asked: list[str] = []

    def answer(choice: QMessageBox.StandardButton):
        def question(_parent, _title, text, *_args) -> QMessageBox.StandardButton:
            asked.append(text)
            return choice

        return question

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Cancel))
    assert not window.close()  # Cancel: the window, the worker and the stepped tokens stay
    assert window.isVisible() and host.worker_thread.isRunning()
    assert len(asked) == 1 and "2 stepped tokens" in asked[0]

    monkeypatch.setattr(QMessageBox, "question", answer(QMessageBox.StandardButton.Discard))
    assert window.close()
    assert len(asked) == 2 and not host.worker_thread.isRunning()


def test_quitting_with_nothing_unsaved_asks_nothing(qtbot, host: WorkerHost, settings: AppSettings) -> None:
    window = MainWindow(host, settings)
    qtbot.addWidget(window)
    assert window.panels["sampling"].unsaved_work() == ""
    assert window.close()


def test_a_kept_evaluate_view_is_filled_and_scored_again(qtbot, host: WorkerHost, panel: SamplingPanel) -> None:
    """A lesson step's view of the Evaluate tab: its texts come back and are scored again; a
    bundled lesson's ``use_generation`` takes the generation just made and shows its perplexity."""
    _settings(panel, max_new_tokens=4)
    _job, _run, generated = _click_and_wait(qtbot, host, panel.controls.generate_button)
    assert panel.view_state()["evaluate"] is None  # nothing typed into Evaluate yet
    with qtbot.waitSignal(
        host.sig_run_finished,
        timeout=JOB_TIMEOUT_MS,
        check_params_cb=lambda _j, _r, result: hasattr(result, "perplexity"),
    ) as blocker:
        panel.restore_view_state(
            {"tabs": [3], "evaluate": {"use_generation": True, "reference": "", "perplexity": True}}
        )
    assert panel.evaluate.candidate.toPlainText() == generated.text
    assert panel.views.currentWidget() is panel.evaluate
    assert f"{blocker.args[2].perplexity:.2f}" in panel.evaluate.perplexity.text()
    assert panel.view_state()["evaluate"] == {"text": generated.text, "reference": "", "perplexity": True}

    panel.restore_view_state({"evaluate": {"text": "the cat sat", "reference": "the cat sat", "perplexity": False}})
    assert panel.evaluate.candidate.toPlainText() == "the cat sat"
    assert "BLEU 1.000" in panel.evaluate.scores.text()  # identical texts score 1
