"""A form generated from a frozen job-parameter dataclass.

The same dataclass feeds the GUI form, the CLI flags and the stored run, so a new knob in
the core shows up in the panel without view code.  Labels, ranges and help come from
``dataclasses.field(metadata=…)`` in the core or from ``overrides`` given by the panel; the
Qt-free reading of them is ``core.param_fields``, shared with the CLI's options.

Labels, help, special-value texts and choice names are English in the dataclass and the
overrides; the form shows them translated in the ``context`` its owner names (the owner
marks them there with ``QT_TRANSLATE_NOOP(context, …)`` so ``lupdate`` finds them).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import QCoreApplication, QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from workbench.core.param_fields import FieldOptions, FieldSpec, describe_fields
from workbench.ui.language import Retranslating
from workbench.ui.translatable import QT_TRANSLATE_NOOP

COMMA_SEPARATED = QT_TRANSLATE_NOOP("ParamForm", "comma-separated")
SPECIAL_DEFAULT = QT_TRANSLATE_NOOP("ParamForm", "off")


class ParamForm(Retranslating, QWidget):
    """Editors for the chosen fields of ``params_type``; ``value()`` builds the dataclass."""

    sig_changed = Signal()

    def __init__(
        self,
        params_type: type,
        fields: list[str] | None = None,
        overrides: dict[str, FieldOptions] | None = None,
        parent: QWidget | None = None,
        context: str = "ParamForm",
    ) -> None:
        """``context``: where the translations of the labels, help and choices are."""
        super().__init__(parent)
        self.context = context
        self.params_type = params_type
        self._defaults = params_type()
        self._specs = {spec.name: spec for spec in describe_fields(params_type, fields, overrides)}
        self._editors: dict[str, QWidget] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name, spec in self._specs.items():
            editor = self._make_editor(spec)
            self._editors[name] = editor
            layout.addRow(spec.label, editor)
        self.set_value(self._defaults)
        self.retranslate()

    def retranslate(self) -> None:
        layout = self.layout()
        assert isinstance(layout, QFormLayout)
        for name, spec in self._specs.items():
            editor = self._editors[name]
            label = layout.labelForField(editor)
            if label is not None:
                label.setText(self._tr(spec.label))  # type: ignore[attr-defined]  # the editor this field kind creates is a QLineEdit (a QLabel for labels)
            editor.setToolTip(self._tr(spec.help))
            if isinstance(editor, QComboBox):
                for index in range(editor.count()):
                    editor.setItemText(index, self._tr(str(editor.itemData(index))))
            elif isinstance(editor, (QSpinBox, QDoubleSpinBox)) and editor.specialValueText():
                editor.setSpecialValueText(self._tr(spec.options.get("special", SPECIAL_DEFAULT)))
            elif isinstance(editor, QLineEdit) and spec.kind == "tuple":
                editor.setPlaceholderText(QCoreApplication.translate("ParamForm", COMMA_SEPARATED))

    def _tr(self, text: str) -> str:
        """``text`` in the owner's context, else in the form's own (shared words such as "off")."""
        if not text:
            return text
        translated = QCoreApplication.translate(self.context, text)
        return translated if translated != text else QCoreApplication.translate("ParamForm", text)

    # -- editors ---------------------------------------------------------------------
    def _make_editor(self, spec: FieldSpec) -> QWidget:
        options, optional = spec.options, spec.optional
        if spec.kind == "choice":
            combo = QComboBox()
            for choice in spec.choices:
                combo.addItem(str(choice), choice)
            combo.currentIndexChanged.connect(self.sig_changed)
            return combo
        if spec.kind == "bool":
            box = QCheckBox()
            box.toggled.connect(self.sig_changed)
            return box
        if spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(int(options.get("min", -1 if optional else 0)), int(options.get("max", 1_000_000)))
            spin.setSingleStep(int(options.get("step", 1)))
            if optional or "special" in options:
                spin.setSpecialValueText(options.get("special", SPECIAL_DEFAULT))
            spin.valueChanged.connect(self.sig_changed)
            return spin
        if spec.kind == "float":
            double_spin = QDoubleSpinBox()
            double_spin.setDecimals(int(options.get("decimals", 3)))
            double_spin.setRange(float(options.get("min", -1.0 if optional else 0.0)), float(options.get("max", 1e6)))
            double_spin.setSingleStep(float(options.get("step", 0.05)))
            if optional or "special" in options:
                double_spin.setSpecialValueText(options.get("special", SPECIAL_DEFAULT))
            double_spin.valueChanged.connect(self.sig_changed)
            return double_spin
        line = QLineEdit()
        line.textChanged.connect(self.sig_changed)
        return line

    # -- values ----------------------------------------------------------------------
    def field_value(self, name: str) -> Any:
        editor = self._editors[name]
        spec = self._specs[name]
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            if spec.optional and editor.value() == editor.minimum():
                return None
            return editor.value()
        text = editor.text()  # type: ignore[attr-defined]  # the editor this field kind creates is a QLineEdit (a QLabel for labels)
        if spec.kind == "tuple":
            return spec.parse_items(text)
        return None if spec.optional and not text else text

    def set_field_value(self, name: str, value: Any) -> None:
        editor = self._editors[name]
        editor.blockSignals(True)
        try:
            if isinstance(editor, QComboBox):
                index = editor.findData(value)
                editor.setCurrentIndex(max(index, 0))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QSpinBox):
                editor.setValue(editor.minimum() if value is None else value)
            elif isinstance(editor, QDoubleSpinBox):
                editor.setValue(editor.minimum() if value is None else float(value))
            elif isinstance(value, tuple):
                editor.setText(", ".join(str(v) for v in value))  # type: ignore[attr-defined]  # the editor this field kind creates is a QLineEdit (a QLabel for labels)
            else:
                editor.setText("" if value is None else str(value))  # type: ignore[attr-defined]  # the editor this field kind creates is a QLineEdit (a QLabel for labels)
        finally:
            editor.blockSignals(False)

    def value(self, **fixed: Any) -> Any:
        """The dataclass with the form's fields, ``fixed`` ones, and defaults for the rest."""
        values = {name: self.field_value(name) for name in self._editors}
        return dataclasses.replace(self._defaults, **{**values, **fixed})

    def set_value(self, params: Any) -> None:
        for name in self._editors:
            self.set_field_value(name, getattr(params, name))
        self.sig_changed.emit()

    def editor(self, name: str) -> QWidget:
        return self._editors[name]

    # -- persistence -------------------------------------------------------------------
    def save(self, settings: QSettings, group: str) -> None:
        """Remember the last-used values (restored by ``restore`` at the next start)."""
        settings.beginGroup(group)
        for name in self._editors:
            value = self.field_value(name)
            settings.setValue(name, list(value) if isinstance(value, tuple) else ("" if value is None else value))
        settings.endGroup()

    def restore(self, settings: QSettings, group: str) -> None:
        settings.beginGroup(group)
        try:
            for name in self._editors:
                if not settings.contains(name):
                    continue
                stored = settings.value(name)
                default = getattr(self._defaults, name)
                try:
                    if stored in ("", None) and self._specs[name].optional:
                        self.set_field_value(name, None)
                        continue
                    editor = self._editors[name]
                    if isinstance(editor, QComboBox):
                        _restore_choice(editor, stored)
                        continue
                    self.set_field_value(name, _coerce(stored, default))
                except (TypeError, ValueError):
                    continue  # a stale or hand-edited setting: keep the default
        finally:
            settings.endGroup()


def _restore_choice(combo: QComboBox, stored: Any) -> None:
    """Select the choice whose value reads as ``stored``.

    By the choices, not the default's type: a field typed ``bool | Literal["never"]`` that
    defaults to ``False`` would otherwise turn a stored "never" into a bool.  INI files give
    every value back as a string ("true" for True), hence the case-blind text match.
    """
    wanted = str(stored).lower()
    for index in range(combo.count()):
        if str(combo.itemData(index)).lower() == wanted:
            combo.blockSignals(True)
            combo.setCurrentIndex(index)
            combo.blockSignals(False)
            return


def _coerce(stored: Any, default: Any) -> Any:
    """QSettings (INI) gives strings back; turn them into the default's type."""
    if stored in ("", None):
        return None if default is None else default
    if isinstance(default, bool):
        return stored in (True, "true", "True", "1", 1)
    if isinstance(default, int):
        return int(stored)
    if isinstance(default, float):
        return float(stored)
    if isinstance(default, tuple):
        items = stored if isinstance(stored, list) else [stored]
        item_type = type(default[0]) if default else str
        return tuple(item_type(i) for i in items)
    return stored
