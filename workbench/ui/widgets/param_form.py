"""A form generated from a frozen job-parameter dataclass.

The same dataclass feeds the GUI form, the CLI flags and the stored run, so a new knob in
the core shows up in the panel without view code.  Labels, ranges and help come from
``dataclasses.field(metadata=…)`` in the core or from ``overrides`` given by the panel.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from typing import Any, Literal

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLineEdit,
    QSpinBox,
    QWidget,
)

FieldOptions = dict[str, Any]
"""label, help, min, max, step, decimals, choices, special ("text shown for the minimum")."""


def _unwrap_optional(hint: Any) -> tuple[Any, bool]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return hint, False


class ParamForm(QWidget):
    """Editors for the chosen fields of ``params_type``; ``value()`` builds the dataclass."""

    sig_changed = Signal()

    def __init__(
        self,
        params_type: type,
        fields: list[str] | None = None,
        overrides: dict[str, FieldOptions] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.params_type = params_type
        self._hints = typing.get_type_hints(params_type)
        self._defaults = params_type()
        all_fields = {f.name: f for f in dataclasses.fields(params_type)}
        names = fields if fields is not None else list(all_fields)
        self._editors: dict[str, QWidget] = {}
        self._optional: dict[str, bool] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for name in names:
            options = {**dict(all_fields[name].metadata), **(overrides or {}).get(name, {})}
            editor = self._make_editor(name, options)
            editor.setToolTip(options.get("help", ""))
            self._editors[name] = editor
            layout.addRow(options.get("label", name.replace("_", " ").capitalize()), editor)
        self.set_value(self._defaults)

    # -- editors ---------------------------------------------------------------------
    def _make_editor(self, name: str, options: FieldOptions) -> QWidget:
        hint, optional = _unwrap_optional(self._hints[name])
        self._optional[name] = optional
        choices = options.get("choices") or (typing.get_args(hint) if typing.get_origin(hint) is Literal else None)
        if choices:
            combo = QComboBox()
            for choice in choices:
                combo.addItem(str(choice), choice)
            combo.currentIndexChanged.connect(self.sig_changed)
            return combo
        if hint is bool:
            box = QCheckBox()
            box.toggled.connect(self.sig_changed)
            return box
        if hint is int:
            spin = QSpinBox()
            spin.setRange(int(options.get("min", -1 if optional else 0)), int(options.get("max", 1_000_000)))
            spin.setSingleStep(int(options.get("step", 1)))
            if optional or "special" in options:
                spin.setSpecialValueText(options.get("special", "off"))
            spin.valueChanged.connect(self.sig_changed)
            return spin
        if hint is float:
            spin = QDoubleSpinBox()
            spin.setDecimals(int(options.get("decimals", 3)))
            spin.setRange(float(options.get("min", -1.0 if optional else 0.0)), float(options.get("max", 1e6)))
            spin.setSingleStep(float(options.get("step", 0.05)))
            if optional or "special" in options:
                spin.setSpecialValueText(options.get("special", "off"))
            spin.valueChanged.connect(self.sig_changed)
            return spin
        line = QLineEdit()
        if typing.get_origin(hint) is tuple:
            line.setPlaceholderText("comma-separated")
        line.textChanged.connect(self.sig_changed)
        return line

    # -- values ----------------------------------------------------------------------
    def field_value(self, name: str) -> Any:
        editor = self._editors[name]
        hint, optional = _unwrap_optional(self._hints[name])
        if isinstance(editor, QComboBox):
            return editor.currentData()
        if isinstance(editor, QCheckBox):
            return editor.isChecked()
        if isinstance(editor, (QSpinBox, QDoubleSpinBox)):
            if optional and editor.value() == editor.minimum():
                return None
            return editor.value()
        text = editor.text()  # type: ignore[attr-defined]
        if typing.get_origin(hint) is tuple:
            item_type = (typing.get_args(hint) or (str,))[0]
            items = [part.strip() for part in text.split(",") if part.strip()]
            return tuple(item_type(item) if item_type in (int, float) else item for item in items)
        return None if optional and not text else text

    def set_field_value(self, name: str, value: Any) -> None:
        editor = self._editors[name]
        editor.blockSignals(True)
        try:
            if isinstance(editor, QComboBox):
                index = editor.findData(value)
                editor.setCurrentIndex(max(index, 0))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, (QSpinBox, QDoubleSpinBox)):
                editor.setValue(editor.minimum() if value is None else value)
            elif isinstance(value, tuple):
                editor.setText(", ".join(str(v) for v in value))  # type: ignore[attr-defined]
            else:
                editor.setText("" if value is None else str(value))  # type: ignore[attr-defined]
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
                    if stored in ("", None) and self._optional[name]:
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
