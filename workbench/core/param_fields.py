"""What a job-parameter dataclass says about each of its fields, read once for every front end.

The GUI's generated forms (``ui.widgets.param_form``) and the CLI's generated options
(``cli._params_options``) both start from a params dataclass; this module is the Qt-free part they
share — the annotation unwrapped, the editor kind, the choices and the options that
``dataclasses.field(metadata=…)`` gives — so a knob described in the core looks the same
in both.  Metadata keys: label, help, min, max, step, decimals, choices, special (GUI text
for the minimum); ``cli`` (the option's name when it is not the field's), ``cli_off`` (the
name of a boolean's off switch), ``repeatable`` (a tuple of strings given one
``--option TEXT`` at a time, for items that may hold commas), ``metavar``, ``aliases`` (other
names a choice may be typed as).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from typing import Any, Literal

FieldOptions = dict[str, Any]
"""label, help, min, max, step, decimals, choices, special, cli, cli_off, repeatable, metavar, aliases."""

FieldKind = Literal["choice", "bool", "int", "float", "tuple", "text"]
_SCALAR_KINDS: dict[object, FieldKind] = {bool: "bool", int: "int", float: "float"}


@dataclass(frozen=True)
class FieldSpec:
    """One field as an editor or an option sees it."""

    name: str
    kind: FieldKind
    hint: Any
    """The annotation without ``| None``."""
    optional: bool
    """``None`` is a value (an empty text, the spin box's minimum, an omitted option)."""
    default: Any
    """The field's default; ``dataclasses.MISSING`` for a field the caller must give."""
    options: FieldOptions
    choices: tuple[Any, ...] = ()
    item_type: type = str
    """The items' type of a tuple field."""
    length: int | None = None
    """A fixed-length tuple's length (``tuple[int, int]``); ``None`` for ``tuple[T, ...]``."""

    @property
    def label(self) -> str:
        return str(self.options.get("label", self.name.replace("_", " ").capitalize()))

    @property
    def help(self) -> str:
        return str(self.options.get("help", ""))

    def parse_items(self, text: str) -> tuple[Any, ...]:
        """A comma-separated text as the tuple's items."""
        items = [part.strip() for part in text.split(",") if part.strip()]
        return tuple(self.item_type(item) if self.item_type in (int, float) else item for item in items)

    def out_of_range(self, value: Any) -> str | None:
        """Why ``value`` is outside the metadata's min/max, or ``None`` when it is inside."""
        if value is None or self.kind not in ("int", "float"):
            return None
        low, high = self.options.get("min"), self.options.get("max")
        if low is not None and value < low:
            return f"must be at least {low}, not {value}"
        if high is not None and value > high:
            return f"must be at most {high}, not {value}"
        return None


def unwrap_optional(hint: Any) -> tuple[Any, bool]:
    """``T | None`` as ``(T, True)``; any other annotation as ``(hint, False)``."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(hint) if a is not type(None)]
        if len(args) == 1:
            return args[0], True
    return hint, False


def describe_fields(
    params_type: type,
    names: typing.Sequence[str] | None = None,
    overrides: dict[str, FieldOptions] | None = None,
) -> list[FieldSpec]:
    """The chosen fields of ``params_type`` (all by default), in the given order.

    ``overrides`` (per field) go over the field's own metadata: a panel may relabel a knob
    for its context without the core knowing.
    """
    hints = typing.get_type_hints(params_type)
    fields = {f.name: f for f in dataclasses.fields(params_type)}
    specs = []
    for name in names if names is not None else list(fields):
        options = {**dict(fields[name].metadata), **(overrides or {}).get(name, {})}
        specs.append(_describe(name, hints[name], _default(fields[name]), options))
    return specs


def _default(field: dataclasses.Field) -> Any:
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


def _describe(name: str, annotation: Any, default: Any, options: FieldOptions) -> FieldSpec:
    hint, optional = unwrap_optional(annotation)
    spec = {"name": name, "hint": hint, "optional": optional, "default": default, "options": options}
    if typing.get_origin(hint) is tuple:  # its choices are those of each item
        args = typing.get_args(hint)
        item_type = args[0] if args else str
        fixed = bool(args) and Ellipsis not in args
        return FieldSpec(
            kind="tuple",
            choices=tuple(options.get("choices") or _literal_values(item_type)),
            item_type=str if typing.get_origin(item_type) is Literal else item_type,
            length=len(args) if fixed else None,
            **spec,
        )
    choices = options.get("choices") or _literal_values(hint)
    if choices:
        return FieldSpec(kind="choice", choices=tuple(choices), **spec)
    kind = _SCALAR_KINDS.get(hint)
    if kind is not None:
        return FieldSpec(kind=kind, **spec)
    return FieldSpec(kind="text", **spec)


def _literal_values(hint: Any) -> tuple[Any, ...]:
    return typing.get_args(hint) if typing.get_origin(hint) is Literal else ()
