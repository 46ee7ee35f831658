"""The method and its settings: LoRA, prompt tuning, prefix tuning, IA3 or BitFit (book §4.5.1).

A ``ParamForm`` of ``MethodConfig`` whose rows follow the method, plus the modules LoRA and
IA3 may adapt, offered as checkable groups from the architecture adapter (attention, MLP):
the same block-relative paths the core hands to ``peft``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QGridLayout, QLabel, QVBoxLayout, QWidget

from workbench.core.finetune.params import MethodConfig
from workbench.core.param_fields import FieldOptions
from workbench.ui.language import Retranslating
from workbench.ui.translatable import QT_TRANSLATE_NOOP
from workbench.ui.widgets.param_form import ParamForm

METHODS: dict[str, tuple[str, str]] = {
    "lora": (
        "LoRA",
        QT_TRANSLATE_NOOP("MethodSettings", "Low-rank update ΔW = B·A beside frozen weights (Hu et al., 2021)."),
    ),
    "prompt": (
        QT_TRANSLATE_NOOP("MethodSettings", "Prompt tuning"),
        QT_TRANSLATE_NOOP("MethodSettings", "Learned soft-prompt vectors before the input (Lester et al., 2021)."),
    ),
    "prefix": (
        QT_TRANSLATE_NOOP("MethodSettings", "Prefix tuning"),
        QT_TRANSLATE_NOOP("MethodSettings", "Learned keys and values in every layer's attention (Li & Liang, 2021)."),
    ),
    "ia3": (
        "IA3",
        QT_TRANSLATE_NOOP("MethodSettings", "Learned scales on keys, values and FFN activations (Liu et al., 2022)."),
    ),
    "bitfit": (
        "BitFit",
        QT_TRANSLATE_NOOP("MethodSettings", "Train only the bias terms, nothing added (Ben Zaken et al., 2022)."),
    ),
}

FIELDS = ["rank", "alpha", "dropout", "use_rslora", "use_dora", "num_virtual_tokens", "prompt_init", "prompt_init_text"]
OVERRIDES: dict[str, FieldOptions] = {
    "rank": {"label": QT_TRANSLATE_NOOP("MethodSettings", "Rank r"), "min": 1, "max": 512, "help": QT_TRANSLATE_NOOP("MethodSettings", "Rank of the update ΔW = B·A.")},
    "alpha": {"label": QT_TRANSLATE_NOOP("MethodSettings", "Alpha α"), "min": 0.5, "max": 1024.0, "step": 1.0, "decimals": 1,
              "help": QT_TRANSLATE_NOOP("MethodSettings", "ΔW is scaled by α/r (α/√r with rsLoRA).")},
    "dropout": {"label": QT_TRANSLATE_NOOP("MethodSettings", "Dropout"), "min": 0.0, "max": 0.9, "step": 0.05, "decimals": 2},
    "use_rslora": {"label": QT_TRANSLATE_NOOP("MethodSettings", "rsLoRA"), "help": QT_TRANSLATE_NOOP("MethodSettings", "Scale by α/√r so high ranks still learn (Kalajdzievski, 2023).")},
    "use_dora": {"label": QT_TRANSLATE_NOOP("MethodSettings", "DoRA"), "help": QT_TRANSLATE_NOOP("MethodSettings", "Learn a magnitude and a LoRA-updated direction (Liu et al., 2024).")},
    "num_virtual_tokens": {"label": QT_TRANSLATE_NOOP("MethodSettings", "Virtual tokens"), "min": 1, "max": 512,
                           "help": QT_TRANSLATE_NOOP("MethodSettings", "Length of the soft prompt or prefix; it takes context positions.")},
    "prompt_init": {"label": QT_TRANSLATE_NOOP("MethodSettings", "Initialise"), "help": QT_TRANSLATE_NOOP("MethodSettings", "random, or the embeddings of a text (trains faster).")},
    "prompt_init_text": {"label": QT_TRANSLATE_NOOP("MethodSettings", "Init text"), "help": QT_TRANSLATE_NOOP("MethodSettings", "The soft prompt starts as this text's token embeddings.")},
}  # fmt: skip
_ONLY_FOR = {
    **dict.fromkeys(("rank", "alpha", "dropout", "use_rslora", "use_dora"), ("lora",)),
    "num_virtual_tokens": ("prompt", "prefix"),
    "prompt_init": ("prompt",),
    "prompt_init_text": ("prompt",),
}
TARGETED = ("lora", "ia3")
"""Methods that adapt chosen modules."""


_WORDS = (
    QT_TRANSLATE_NOOP("MethodSettings", "attention"),
    QT_TRANSLATE_NOOP("MethodSettings", "mlp"),
    QT_TRANSLATE_NOOP("MethodSettings", "random"),
    QT_TRANSLATE_NOOP("MethodSettings", "text"),
)
"""Module groups of the architecture and the soft prompt's start choices, as shown (``self.tr``)."""


def method_name(method: str) -> str:
    """The method's name in the interface language (LoRA, IA3, BitFit stay as they are)."""
    return QCoreApplication.translate("MethodSettings", METHODS[method][0])


class MethodSettings(Retranslating, QWidget):
    sig_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.method = QComboBox()
        for key in METHODS:
            self.method.addItem("", key)
        self.method.currentIndexChanged.connect(self._on_changed)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setProperty("role", "muted")
        self.form = ParamForm(MethodConfig, fields=FIELDS, overrides=OVERRIDES, context="MethodSettings")
        self.form.sig_changed.connect(self._on_changed)
        self.targets_label = QLabel()
        self.targets = QWidget()
        self._target_grid = QGridLayout(self.targets)
        self._target_grid.setContentsMargins(0, 0, 0, 0)
        self._target_grid.setHorizontalSpacing(10)
        self._boxes: dict[str, QCheckBox] = {}
        self.targets_hint = QLabel()
        self.targets_hint.setProperty("role", "muted")
        self.targets_hint.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.method)
        layout.addWidget(self.note)
        layout.addWidget(self.form)
        layout.addWidget(self.targets_label)
        layout.addWidget(self.targets)
        layout.addWidget(self.targets_hint)
        self._update_rows()
        self.retranslate()

    def retranslate(self) -> None:
        for index, (key, (_label, note)) in enumerate(METHODS.items()):
            self.method.setItemText(index, method_name(key))
            self.method.setItemData(index, self.tr(note), Qt.ItemDataRole.ToolTipRole)
        self.targets_label.setText(self.tr("Target modules"))
        for row in range(self._target_grid.rowCount()):
            caption = self._target_grid.itemAtPosition(row, 0)
            label = caption.widget() if caption is not None else None
            if isinstance(label, QLabel):
                label.setText(self.tr(label.property("group")))
        for path, box in self._boxes.items():
            box.setToolTip(self.tr("Adapt every block's {path}").format(path=path))
        self._update_rows()

    # -- values ------------------------------------------------------------------------
    def value(self) -> MethodConfig:
        chosen = tuple(path for path, box in self._boxes.items() if box.isChecked())
        return self.form.value(method=self.method.currentData(), target_modules=chosen)

    def set_value(self, config: MethodConfig) -> None:
        self.blockSignals(True)
        try:
            self.method.setCurrentIndex(max(self.method.findData(config.method), 0))
            self.form.set_value(config)
            for path, box in self._boxes.items():
                box.setChecked(path in config.target_modules)
        finally:
            self.blockSignals(False)
        self._on_changed()

    def set_method(self, method: str) -> None:
        self.method.setCurrentIndex(self.method.findData(method))

    def set_target_choices(self, groups: dict[str, tuple[str, ...]]) -> None:
        """Offer the model's module paths (group → paths); keeps the choices that still exist."""
        kept = {path for path, box in self._boxes.items() if box.isChecked()}
        while self._target_grid.count():
            item = self._target_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self._boxes = {}
        for row, (group, paths) in enumerate(groups.items()):
            caption = QLabel(self.tr(group))
            caption.setProperty("group", group)
            caption.setProperty("role", "muted")
            self._target_grid.addWidget(caption, row, 0)
            for column, path in enumerate(paths, start=1):
                box = QCheckBox(path.rsplit(".", 1)[-1])
                box.setToolTip(self.tr("Adapt every block's {path}").format(path=path))
                box.setChecked(path in kept)
                box.toggled.connect(self._on_changed)
                self._boxes[path] = box
                self._target_grid.addWidget(box, row, column)
        self._target_grid.setColumnStretch(len(max(groups.values(), key=len, default=())) + 1, 1)
        self._update_rows()

    def target_boxes(self) -> dict[str, QCheckBox]:
        return dict(self._boxes)

    def save(self, settings: QSettings, group: str) -> None:
        self.form.save(settings, group)
        settings.setValue(f"{group}/method", self.method.currentData())

    def restore(self, settings: QSettings, group: str) -> None:
        self.form.restore(settings, group)
        method = settings.value(f"{group}/method")
        if method in METHODS:
            self.set_method(str(method))

    # -- internals ---------------------------------------------------------------------
    def _on_changed(self) -> None:
        self._update_rows()
        self.sig_changed.emit()

    def _update_rows(self) -> None:
        method = self.method.currentData()
        self.note.setText(self.tr(METHODS[method][1]))
        layout = self.form.layout()
        assert isinstance(layout, QFormLayout)
        init_text = self.form.field_value("prompt_init") == "text"
        for name in FIELDS:
            wanted = method in _ONLY_FOR.get(name, ())
            if name == "prompt_init_text":
                wanted = wanted and init_text
            layout.setRowVisible(self.form.editor(name), wanted)
        self.form.setVisible(any(method in methods for methods in _ONLY_FOR.values()))
        targeted = method in TARGETED
        for widget in (self.targets_label, self.targets, self.targets_hint):
            widget.setVisible(targeted)
        self.targets_hint.setText(
            self.tr("None ticked: the paper's choice (LoRA: query and value; IA3: keys, values, FFN).")
        )
        self.targets_hint.setVisible(targeted and not any(box.isChecked() for box in self._boxes.values()))
