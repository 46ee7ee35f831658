"""Command-line options generated from a job-parameter dataclass, and the params built back.

The GUI's forms are generated from the params dataclasses; so are the CLI's options, from
the same field descriptions (``core.param_fields``): a default, a range or a help text is
written once, in the core.  ``--top-k`` comes from ``top_k``; ints and floats are typed;
a bool is ``--flag/--no-flag``; a Literal (or metadata ``choices``) gives choices; a tuple
takes its items space- or comma-separated (``--kinds hidden,mlp``), a fixed-length tuple
exactly that many, and a ``repeatable`` one a ``--option TEXT`` per item.  A value outside
the metadata's min/max is refused with one line and exit 2 (``InvalidParameters``).
"""

from __future__ import annotations

import argparse
import dataclasses
from collections.abc import Collection, Sequence
from typing import Any

from workbench.base.errors import InvalidParameters
from workbench.core.param_fields import FieldOptions, FieldSpec, describe_fields

ArgumentContainer = argparse.ArgumentParser | argparse._ArgumentGroup


def option_name(spec: FieldSpec) -> str:
    """``--top-k`` for ``top_k``, or the metadata's ``cli`` name."""
    return str(spec.options.get("cli", "--" + spec.name.replace("_", "-")))


class ParamsOptions:
    """Options for the chosen fields of ``params_type``; ``build`` turns them back into params.

    The options' ``dest`` is the field's name, so two option sets in one parser must not
    share a field name (argparse refuses the second ``--seed`` anyway).
    """

    def __init__(
        self,
        params_type: type,
        fields: Sequence[str],
        *,
        required: Collection[str] = (),
        groups: dict[str, Collection[str]] | None = None,
        overrides: dict[str, FieldOptions] | None = None,
        omittable: bool = False,
    ) -> None:
        """``groups``: help-section titles and the fields listed under them (the rest come first).

        ``omittable``: the options default to "not given" and ``build_given`` gives ``None``
        when none of them is, for a job that treats absent settings differently from the
        defaults (a RAG ingest keeps an existing collection's chunking).
        """
        self.params_type = params_type
        self.specs = describe_fields(params_type, fields, overrides)
        self.required = {spec.name for spec in self.specs if spec.default is dataclasses.MISSING} | set(required)
        self.groups = groups or {}
        self.omittable = omittable

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        containers: dict[str, ArgumentContainer] = {}
        for title, names in self.groups.items():
            group = parser.add_argument_group(title)
            containers.update((name, group) for name in names)
        for spec in self.specs:
            added = _add_option(containers.get(spec.name, parser), spec, spec.name in self.required, self.omittable)
            for action in added:  # read by the test that compares every option's default with the core's
                action.generated_from = (self, spec)  # type: ignore[attr-defined]  # a back-reference set on purpose on argparse's Action

    def values(self, args: argparse.Namespace) -> dict[str, Any]:
        """The fields' values from ``args``, checked against the metadata's choices and ranges."""
        values = {}
        for spec in self.specs:
            value = getattr(args, spec.name)
            if value is None and self.omittable:
                continue
            if spec.kind == "tuple" and not isinstance(value, tuple) and value is not None:
                value = _items(spec, value)
            problem = spec.out_of_range(value)
            if problem:
                raise InvalidParameters(f"{option_name(spec)} {problem}.")
            values[spec.name] = value
        return values

    def build(self, args: argparse.Namespace, **fixed: Any) -> Any:
        """``params_type`` with the options' values, ``fixed`` ones and defaults for the rest."""
        return self.params_type(**{**self.values(args), **fixed})

    def build_given(self, args: argparse.Namespace) -> Any | None:
        """``build`` when any of the (omittable) options was given, else ``None``."""
        values = self.values(args)
        return self.params_type(**values) if values else None


def _add_option(parser: ArgumentContainer, spec: FieldSpec, required: bool, omittable: bool) -> list[argparse.Action]:
    name = option_name(spec)
    plain = required or omittable
    common: dict[str, Any] = {"dest": spec.name, "help": spec.help if plain else _with_default(spec)}
    common["help"] = common["help"].replace("%", "%%") or None
    if required:
        common["required"] = True
    else:
        common["default"] = None if omittable else spec.default
    if spec.choices:  # as typed: ``{false,true,never}``
        common["metavar"] = "{" + ",".join(_as_typed(choice) for choice in spec.choices) + "}"
    elif spec.kind != "bool":  # named after the option, not the field: ``--lr LR``
        common["metavar"] = spec.options.get("metavar", name.removeprefix("--").replace("-", "_").upper())
    if spec.kind == "bool":
        off = str(spec.options.get("cli_off", "--no-" + name.removeprefix("--")))
        return [
            parser.add_argument(name, action="store_true", **common),
            parser.add_argument(off, action="store_false", **{**common, "help": f"the opposite of {name}"}),
        ]
    if spec.kind == "choice":
        return [parser.add_argument(name, choices=spec.choices, type=_choice_parser(spec), **common)]
    if spec.kind == "tuple":
        if spec.options.get("repeatable"):
            common["default"] = None if plain else list(spec.default)
            return [parser.add_argument(name, action="append", **common)]
        if spec.length is not None:
            return [parser.add_argument(name, nargs=spec.length, type=spec.item_type, **common)]
        return [parser.add_argument(name, nargs="*", **common)]
    if spec.kind in ("int", "float"):
        return [parser.add_argument(name, type=int if spec.kind == "int" else float, **common)]
    return [parser.add_argument(name, **common)]


def _with_default(spec: FieldSpec) -> str:
    """The metadata's help, with the default when it says something and the help does not."""
    default = spec.default
    if default in (None, "", ()) or spec.kind == "bool" or "default" in spec.help:
        return spec.help
    shown = ",".join(str(item) for item in default) if isinstance(default, tuple) else str(default)
    return f"{spec.help} (default: {shown})".lstrip()


def _as_typed(choice: Any) -> str:
    return str(choice).lower() if isinstance(choice, bool) else str(choice)


def _choice_parser(spec: FieldSpec) -> Any:
    """The choice whose text is the argument (case-blind): ``true`` → ``True`` for a bool choice,
    or the one a metadata ``aliases`` entry names (``fp32`` → ``float32``)."""
    aliases = spec.options.get("aliases", {})

    def parse(text: str) -> Any:
        text = aliases.get(text.lower(), text)
        for choice in spec.choices:
            if _as_typed(choice).lower() == text.lower():
                return choice
        return text  # argparse then says "invalid choice" and lists them

    return parse


def _items(spec: FieldSpec, arguments: list[str]) -> tuple[Any, ...]:
    """The tuple of space-separated arguments, each of which may also be comma-separated."""
    if spec.options.get("repeatable") or spec.length is not None:
        return tuple(arguments)
    try:
        items = tuple(item for argument in arguments for item in spec.parse_items(argument))
    except ValueError:
        raise InvalidParameters(f"{option_name(spec)} takes {spec.item_type.__name__} values.") from None
    unknown = [item for item in items if spec.choices and item not in spec.choices]
    if unknown:
        choices = ", ".join(str(choice) for choice in spec.choices)
        raise InvalidParameters(f"{option_name(spec)}: unknown '{unknown[0]}'; choose from {choices}.")
    return items
