"""The dataclass-driven form: defaults shown, edits become a dataclass, values persist."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from PySide6.QtCore import QSettings

from workbench.ui.widgets.param_form import ParamForm


@dataclass(frozen=True)
class KnobParams:
    strategy: Literal["greedy", "sample"] = "sample"
    temperature: float = field(default=0.7, metadata={"label": "Temperature", "max": 5.0})
    top_k: int | None = 50
    seed: int = 0
    stop: tuple[str, ...] = (".",)
    use_cache: bool = True
    prompt: str = "Hello"


def test_the_form_shows_defaults_and_builds_the_dataclass_from_edits(qtbot) -> None:
    form = ParamForm(KnobParams)
    qtbot.addWidget(form)
    assert form.value() == KnobParams()
    form.editor("strategy").setCurrentIndex(0)
    form.editor("temperature").setValue(1.5)
    form.editor("top_k").setValue(form.editor("top_k").minimum())
    form.editor("stop").setText("., !, ?")
    form.editor("use_cache").setChecked(False)
    assert form.value(prompt="fixed") == KnobParams(
        strategy="greedy", temperature=1.5, top_k=None, stop=(".", "!", "?"), use_cache=False, prompt="fixed"
    )


def test_only_the_chosen_fields_get_editors_and_the_rest_keep_defaults(qtbot) -> None:
    form = ParamForm(KnobParams, fields=["seed"])
    qtbot.addWidget(form)
    form.editor("seed").setValue(7)
    assert form.value() == KnobParams(seed=7)


def test_last_used_values_survive_a_restart(qtbot, tmp_path) -> None:
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    form = ParamForm(KnobParams)
    qtbot.addWidget(form)
    form.editor("temperature").setValue(0.3)
    form.editor("top_k").setValue(form.editor("top_k").minimum())
    form.editor("stop").setText("\\n, END")
    form.editor("use_cache").setChecked(False)
    form.save(settings, "sampling")
    settings.sync()
    again = ParamForm(KnobParams)
    qtbot.addWidget(again)
    again.restore(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat), "sampling")
    assert again.value() == KnobParams(temperature=0.3, top_k=None, stop=("\\n", "END"), use_cache=False)


@dataclass(frozen=True)
class MixedChoiceParams:
    early_stopping: bool | Literal["never"] = field(default=False, metadata={"choices": [False, True, "never"]})


def test_a_choice_of_mixed_types_is_restored_as_chosen(qtbot, tmp_path) -> None:
    for chosen in ("never", True, False):
        path = str(tmp_path / f"{chosen}.ini")
        form = ParamForm(MixedChoiceParams)
        qtbot.addWidget(form)
        form.set_field_value("early_stopping", chosen)
        form.save(QSettings(path, QSettings.Format.IniFormat), "beam")
        again = ParamForm(MixedChoiceParams)
        qtbot.addWidget(again)
        again.restore(QSettings(path, QSettings.Format.IniFormat), "beam")
        assert again.value() == MixedChoiceParams(early_stopping=chosen)
