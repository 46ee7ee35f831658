"""Choose a model: the bundled demo, the model library (packs and imported GGUF files), one
from the local Hugging Face cache, a hub id, a folder.

Opt-ins that run foreign code (remote code, pickled weights) are per model and carry a
visible warning, as the architecture requires.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core.model.spec import ModelSpec
from workbench.ui.dialogs.model_library import ModelLibraryView

SOURCES = ("demo", "library", "cache", "hub", "folder")


class LoadModelDialog(QDialog):
    """``host`` (the worker host) lets the library install model packs from the dialog.

    Modal, so built in the language of the moment: it needs no ``retranslate``."""

    def __init__(self, parent: QWidget | None = None, host: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Load model"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)

        source_box = QGroupBox(self.tr("Model"))
        source_layout = QVBoxLayout(source_box)
        self.source_buttons = QButtonGroup(self)
        self.radio = {
            "demo": QRadioButton(self.tr("Bundled demo model (small GPT trained on the demo world)")),
            "library": QRadioButton(self.tr("Model library (real models: packs and imported GGUF files)")),
            "cache": QRadioButton(self.tr("From the local Hugging Face cache")),
            "hub": QRadioButton(self.tr("Hugging Face hub id")),
            "folder": QRadioButton(self.tr("Folder on disk")),
        }
        self.library = ModelLibraryView(host)
        self.library.sig_selection_changed.connect(self._on_library_selection)
        self.library.sig_installed.connect(lambda _folder: self.radio["library"].setChecked(True))
        self.cache_list = QListWidget()
        self.cache_list.setMaximumHeight(140)
        self.hub_id = QLineEdit()
        self.hub_id.setPlaceholderText(self.tr("e.g. gpt2, EleutherAI/pythia-160m"))
        self.folder = QLineEdit()
        self.folder.setPlaceholderText(self.tr("folder with config.json and weights"))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder)
        folder_row.addWidget(browse)
        for name in SOURCES:
            self.source_buttons.addButton(self.radio[name])
            source_layout.addWidget(self.radio[name])
            if name == "library":
                source_layout.addWidget(self.library)
            elif name == "cache":
                source_layout.addWidget(self.cache_list)
            elif name == "hub":
                source_layout.addWidget(self.hub_id)
            elif name == "folder":
                source_layout.addLayout(folder_row)
        self.radio["demo"].setChecked(True)
        layout.addWidget(source_box)

        options = QGroupBox(self.tr("Options"))
        form = QFormLayout(options)
        self.device = QComboBox()
        self.device.addItems(["auto", "cpu", "cuda"])
        self.dtype = QComboBox()
        self.dtype.addItems(["auto", "float32", "bfloat16", "float16"])
        self.allow_download = QCheckBox(self.tr("Allow downloading from the hub (otherwise offline)"))
        self.trust_remote_code = QCheckBox(self.tr("Trust remote code"))
        self.allow_pickle = QCheckBox(self.tr("Allow pickled weights (.bin)"))
        self.offload = QCheckBox(self.tr("Offload what does not fit in memory (to RAM and disk; slow)"))
        self.offload.setToolTip(
            self.tr(
                "device_map=auto: a model larger than the free memory estimated before loading is split "
                "over GPU, RAM and disk, and each layer is moved in when it runs."
            )
        )
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet("color: #c0392b;")
        form.addRow(self.tr("Device"), self.device)
        form.addRow(self.tr("Precision"), self.dtype)
        form.addRow(self.allow_download)
        form.addRow(self.trust_remote_code)
        form.addRow(self.allow_pickle)
        form.addRow(self.offload)
        form.addRow(self.warning)
        layout.addWidget(options)
        for box in (self.trust_remote_code, self.allow_pickle):
            box.toggled.connect(self._update_warning)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.load_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.load_button.setText(self.tr("Load"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._fill_cache_list()
        self.source_buttons.buttonToggled.connect(lambda *_: self._update_load_button())

    def _on_library_selection(self) -> None:
        if self.library.selected_entry() is not None:
            self.radio["library"].setChecked(True)
        self._update_load_button()

    def _update_load_button(self) -> None:
        """A pack that is not installed yet cannot be loaded: Install it first."""
        entry = self.library.selected_entry()
        blocked = self.selected_source() == "library" and (entry is None or not entry.installed)
        self.load_button.setEnabled(not blocked)

    def _fill_cache_list(self) -> None:
        from workbench.core.model.hf_cache import list_cached_models

        for cached in list_cached_models():
            item = QListWidgetItem(f"{cached.repo_id}   ({cached.size_on_disk / 2**20:.0f} MiB)")
            item.setData(Qt.ItemDataRole.UserRole, cached.repo_id)
            self.cache_list.addItem(item)
        if self.cache_list.count() == 0:
            placeholder = QListWidgetItem(self.tr("No models in the local Hugging Face cache"))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.cache_list.addItem(placeholder)
            self.radio["cache"].setEnabled(False)
        self.cache_list.itemClicked.connect(lambda _item: self.radio["cache"].setChecked(True))

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Model folder"))
        if folder:
            self.folder.setText(folder)
            self.radio["folder"].setChecked(True)

    def _update_warning(self) -> None:
        lines = []
        if self.trust_remote_code.isChecked():
            lines.append(
                self.tr("Remote code runs the model author's Python on this computer. Only for models you trust.")
            )
        if self.allow_pickle.isChecked():
            lines.append(self.tr("Pickled weights can execute code when loaded. Prefer safetensors."))
        self.warning.setText("\n".join(lines))

    def selected_source(self) -> str:
        return next(name for name, button in self.radio.items() if button.isChecked())

    def spec(self) -> ModelSpec:
        """The spec the user asked for (validated by the loader, which gives clear errors)."""
        options = dict(
            device=self.device.currentText(),
            dtype=self.dtype.currentText(),
            trust_remote_code=self.trust_remote_code.isChecked(),
            allow_pickle=self.allow_pickle.isChecked(),
            allow_download=self.allow_download.isChecked(),
            offload=self.offload.isChecked(),
        )
        source = self.selected_source()
        if source == "library":
            entry = self.library.selected_entry()
            folder = entry.folder if entry is not None and entry.installed else ""
            return ModelSpec(source="folder", name=folder, **options)  # type: ignore[arg-type]  # options holds the spec's own typed fields; mypy cannot match ** to them
        if source == "cache":
            item = self.cache_list.currentItem()
            name = item.data(Qt.ItemDataRole.UserRole) if item is not None else ""
            return ModelSpec(source="hub", name=name or "", **options)  # type: ignore[arg-type]  # options holds the spec's own typed fields; mypy cannot match ** to them
        if source == "hub":
            return ModelSpec(source="hub", name=self.hub_id.text().strip(), **options)  # type: ignore[arg-type]  # options holds the spec's own typed fields; mypy cannot match ** to them
        if source == "folder":
            return ModelSpec(source="folder", name=self.folder.text().strip(), **options)  # type: ignore[arg-type]  # options holds the spec's own typed fields; mypy cannot match ** to them
        return ModelSpec(source="demo", **options)  # type: ignore[arg-type]  # options holds the spec's own typed fields; mypy cannot match ** to them
