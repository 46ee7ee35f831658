"""The load-model dialog turns the user's choices into a ModelSpec, with warnings for opt-ins."""

from __future__ import annotations

from workbench.core.model.spec import ModelSpec
from workbench.ui.dialogs.load_model import LoadModelDialog


def test_the_demo_model_is_the_default_choice(qtbot) -> None:
    dialog = LoadModelDialog()
    qtbot.addWidget(dialog)
    assert dialog.spec() == ModelSpec()


def test_a_folder_with_options_becomes_a_folder_spec(qtbot, tmp_path) -> None:
    dialog = LoadModelDialog()
    qtbot.addWidget(dialog)
    dialog.folder.setText(str(tmp_path))
    dialog.radio["folder"].setChecked(True)
    dialog.device.setCurrentText("cpu")
    dialog.dtype.setCurrentText("bfloat16")
    assert dialog.spec() == ModelSpec(source="folder", name=str(tmp_path), device="cpu", dtype="bfloat16")


def test_opting_into_foreign_code_shows_a_warning_and_is_carried_in_the_spec(qtbot) -> None:
    dialog = LoadModelDialog()
    qtbot.addWidget(dialog)
    dialog.radio["hub"].setChecked(True)
    dialog.hub_id.setText("  org/model  ")
    assert dialog.warning.text() == ""
    dialog.trust_remote_code.setChecked(True)
    dialog.allow_pickle.setChecked(True)
    assert "Remote code" in dialog.warning.text() and "Pickled" in dialog.warning.text()
    spec = dialog.spec()
    assert (spec.source, spec.name, spec.trust_remote_code, spec.allow_pickle) == ("hub", "org/model", True, True)


def test_models_in_the_local_hugging_face_cache_are_listed(qtbot, tmp_path, monkeypatch, tiny_model_dir) -> None:
    import shutil

    snapshot = tmp_path / "models--org--tiny" / "snapshots" / "abc123"
    shutil.copytree(tiny_model_dir, snapshot)
    (tmp_path / "models--org--tiny" / "refs").mkdir()
    (tmp_path / "models--org--tiny" / "refs" / "main").write_text("abc123")
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "HF_HUB_CACHE", str(tmp_path))
    dialog = LoadModelDialog()
    qtbot.addWidget(dialog)
    assert dialog.radio["cache"].isEnabled()
    dialog.cache_list.setCurrentRow(0)
    dialog.radio["cache"].setChecked(True)
    assert dialog.spec() == ModelSpec(source="hub", name="org/tiny")
