"""Job results and parameters ↔ JSON (plus numpy arrays stored as compressed blobs).

Results are dataclasses of numpy arrays and plain values (ARCHITECTURE.md), nested freely in
dicts, lists and tuples.  ``encode_result`` walks such a value and returns JSON in which
every array is replaced by ``{"__array__": "path.to.field"}``, plus the arrays by name; the
store keeps the JSON in the run row and each array as an ``np.savez_compressed`` blob.
Markers keep what JSON alone would lose: ``__dataclass__`` (``"module:QualName"``),
``__tuple__``, ``__enum__`` and ``__items__`` (dicts whose keys are not plain strings).

Decoding never runs code named by the file beyond importing a ``workbench.*`` module and
calling a dataclass constructor with stored values: a class outside the ``workbench``
package, or one that no longer exists or no longer fits, comes back as a plain dict.  Arrays
are read with ``allow_pickle=False``, so object arrays are refused when encoding.

Parameters are stored differently (``params_to_json`` / ``params_from_json``): as plain
JSON without markers, rebuilt from the parameter class's type hints, so a stored run's
parameters stay readable in the file and load into a newer version of the same dataclass
(fields it lacks take their defaults, fields it dropped are ignored).
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import os
import types
import typing
from collections.abc import Mapping, Sequence
from enum import Enum
from pathlib import PurePath
from typing import Any, Literal, TypeVar, Union

import numpy as np

from workbench.base.errors import InvalidParameters, ProjectError

ARRAY, DATACLASS, TUPLE, ENUM, ITEMS = "__array__", "__dataclass__", "__tuple__", "__enum__", "__items__"
_MARKERS = frozenset({ARRAY, DATACLASS, TUPLE, ENUM, ITEMS})
_TRUSTED_PACKAGE = "workbench"

P = TypeVar("P")


# --------------------------------------------------------------------------- results


def encode_result(value: Any) -> tuple[Any, dict[str, np.ndarray]]:
    """``value`` → (JSON-able data with array placeholders, {array name: array})."""
    arrays: dict[str, np.ndarray] = {}
    return _encode(value, "", arrays), arrays


def decode_result(data: Any, arrays: Mapping[str, np.ndarray]) -> Any:
    """Inverse of ``encode_result``; dataclasses are rebuilt only for ``workbench.*`` classes."""
    return _decode(data, arrays)


def array_to_blob(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.savez_compressed(buffer, array=array)
    return buffer.getvalue()


def array_from_blob(blob: bytes) -> np.ndarray:
    with np.load(io.BytesIO(blob), allow_pickle=False) as archive:
        return archive["array"]


def _child(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def _encode(value: Any, path: str, arrays: dict[str, np.ndarray]) -> Any:
    if isinstance(value, Enum):  # before int/str: IntEnum and StrEnum are ints and strs
        return {ENUM: _qualified_name(type(value)), "value": _encode(value.value, path, arrays)}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic):
        if value.dtype.kind in "biuf":
            return value.item()
        return {**_encode(np.asarray(value), path, arrays), "scalar": True}
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            raise TypeError(f"{path or 'the result'}: arrays of Python objects cannot be stored (they need pickle)")
        name = path or "value"
        suffix = 1
        while name in arrays:  # only when keys contain dots, e.g. {"a.b": x, "a": {"b": y}}
            suffix += 1
            name = f"{path or 'value'}#{suffix}"
        arrays[name] = value
        return {ARRAY: name}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        encoded = {DATACLASS: _qualified_name(type(value))}
        for field in dataclasses.fields(value):
            encoded[field.name] = _encode(getattr(value, field.name), _child(path, field.name), arrays)
        return encoded
    if isinstance(value, dict):
        if all(isinstance(key, str) for key in value) and not _MARKERS.intersection(value):
            return {key: _encode(item, _child(path, key), arrays) for key, item in value.items()}
        return {
            ITEMS: [
                [_encode(key, _child(path, f"key{index}"), arrays), _encode(item, _child(path, key), arrays)]
                for index, (key, item) in enumerate(value.items())
            ]
        }
    if isinstance(value, list):
        return [_encode(item, _child(path, index), arrays) for index, item in enumerate(value)]
    if isinstance(value, tuple):
        return {TUPLE: [_encode(item, _child(path, index), arrays) for index, item in enumerate(value)]}
    raise TypeError(f"{path or 'the result'}: cannot store a {type(value).__qualname__}")


def _decode(data: Any, arrays: Mapping[str, np.ndarray]) -> Any:
    if isinstance(data, list):
        return [_decode(item, arrays) for item in data]
    if not isinstance(data, dict):
        return data
    if ARRAY in data:
        name = data[ARRAY]
        if name not in arrays:
            raise ProjectError(f"The stored result lacks its array '{name}'; the project file is damaged.")
        return arrays[name][()] if data.get("scalar") else arrays[name]
    if TUPLE in data:
        return tuple(_decode(item, arrays) for item in data[TUPLE])
    if ITEMS in data:
        return {_decode(key, arrays): _decode(item, arrays) for key, item in data[ITEMS]}
    if ENUM in data:
        cls = _trusted_class(data[ENUM])
        value = _decode(data["value"], arrays)
        if cls is not None and issubclass(cls, Enum):
            try:
                return cls(value)
            except ValueError:
                pass
        return value
    if DATACLASS in data:
        values = {key: _decode(item, arrays) for key, item in data.items() if key != DATACLASS}
        cls = _trusted_class(data[DATACLASS])
        if cls is None or not dataclasses.is_dataclass(cls):
            return values
        return _rebuild_dataclass(cls, values)
    return {key: _decode(item, arrays) for key, item in data.items()}


def _rebuild_dataclass(cls: type, values: dict[str, Any]) -> Any:
    """The dataclass if it still fits the stored fields, else the fields as a dict."""
    fields = dataclasses.fields(cls)
    try:
        instance = cls(**{f.name: values[f.name] for f in fields if f.init and f.name in values})
    except (TypeError, ValueError):
        return values
    for field in fields:
        if not field.init and field.name in values:
            object.__setattr__(instance, field.name, values[field.name])
    return instance


def _qualified_name(cls: type) -> str:
    return f"{cls.__module__}:{cls.__qualname__}"


def _trusted_class(qualified: object) -> type | None:
    """The class named ``"module:QualName"`` if it lives in the workbench package, else None.

    Module parts starting with ``__`` are refused so a crafted file cannot make the store
    import a ``__main__`` module (which would run a program).
    """
    if not isinstance(qualified, str):
        return None
    module_name, _, qualname = qualified.partition(":")
    module_parts, name_parts = module_name.split("."), qualname.split(".")
    if module_parts[0] != _TRUSTED_PACKAGE:
        return None
    if not all(part.isidentifier() and not part.startswith("__") for part in module_parts + name_parts):
        return None
    try:
        target: Any = importlib.import_module(module_name)
    except ImportError:
        return None
    for part in name_parts:
        target = getattr(target, part, None)
    if not isinstance(target, type) or target.__module__ != module_name or target.__qualname__ != qualname:
        return None
    return target


# ------------------------------------------------------------------- plain JSON, params


def to_plain_json(value: Any) -> Any:
    """Plain JSON types (no markers): for job parameters and run metrics.

    Dataclasses become dicts of their fields, enums their values, tuples lists, paths
    strings and numpy scalars Python numbers.  Arrays are refused: they belong in results.
    """
    if isinstance(value, Enum):
        return to_plain_json(value.value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, np.generic) and value.dtype.kind in "biufU":
        return value.item()
    if isinstance(value, PurePath):
        return os.fspath(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_plain_json(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        plain: dict[str, Any] = {}
        for key, item in value.items():
            if isinstance(key, bool) or not isinstance(key, (str, int)):
                raise TypeError(f"cannot store a dict key {key!r} as JSON")
            plain[str(key)] = to_plain_json(item)
        return plain
    if isinstance(value, (list, tuple)):
        return [to_plain_json(item) for item in value]
    raise TypeError(f"cannot store a {type(value).__qualname__} as plain JSON")


def params_to_json(params: Any) -> dict[str, Any]:
    """A job-parameter dataclass → plain JSON dict (nested dataclasses become dicts)."""
    if not dataclasses.is_dataclass(params) or isinstance(params, type):
        raise TypeError(f"job parameters must be a dataclass instance, not {type(params).__qualname__}")
    return to_plain_json(params)


def params_from_json(cls: type[P], data: Mapping[str, Any]) -> P:
    """Rebuild ``cls`` from ``params_to_json`` output, guided by its type hints.

    Tuples come back as tuples and nested dataclasses (``ModelSpec`` …) as instances; a
    field missing from ``data`` takes its default and unknown keys are ignored, so
    parameters stored by an older version still load.
    """
    try:
        return _dataclass_from_json(cls, data, cls.__name__)
    except (TypeError, ValueError) as error:
        raise InvalidParameters(f"The stored parameters do not fit {cls.__name__}: {error}") from error


def _dataclass_from_json(cls: type[P], data: object, where: str) -> P:
    if not isinstance(data, Mapping):
        raise TypeError(f"{where} should be an object, not {data!r}")
    hints = typing.get_type_hints(cls)
    kwargs = {
        field.name: _from_json(hints[field.name], data[field.name], f"{where}.{field.name}")
        for field in dataclasses.fields(cls)  # type: ignore[arg-type]  # cls is a dataclass type (is_dataclass checked above)
        if field.init and field.name in data
    }
    return cls(**kwargs)


def _from_json(hint: Any, value: Any, where: str) -> Any:
    """``value`` (plain JSON) converted to the type ``hint`` names, or TypeError."""
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is Any or hint is object:
        return value
    if origin is Union or origin is types.UnionType:
        if value is None and type(None) in args:
            return None
        for option in args:
            if option is not type(None):
                try:
                    return _from_json(option, value, where)
                except (TypeError, ValueError):
                    continue
        raise TypeError(f"{where}: {value!r} fits none of {hint}")
    if origin is Literal:
        if any(value == allowed and type(value) is type(allowed) for allowed in args):
            return value
        raise TypeError(f"{where}: {value!r} is not one of {list(args)}")
    if origin is tuple:
        items = _sequence(value, where)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_from_json(args[0], item, f"{where}[{i}]") for i, item in enumerate(items))
        if args and args != ((),):
            if len(args) != len(items):
                raise TypeError(f"{where}: expected {len(args)} items, got {len(items)}")
            return tuple(
                _from_json(arg, item, f"{where}[{i}]") for i, (arg, item) in enumerate(zip(args, items, strict=True))
            )
        return tuple(items)
    if origin in (list, Sequence):
        item_hint = args[0] if args else Any
        return [_from_json(item_hint, item, f"{where}[{i}]") for i, item in enumerate(_sequence(value, where))]
    if origin in (dict, Mapping):
        if not isinstance(value, Mapping):
            raise TypeError(f"{where} should be an object, not {value!r}")
        key_hint, item_hint = args if args else (Any, Any)
        return {
            (int(key) if key_hint is int else key): _from_json(item_hint, item, f"{where}[{key!r}]")
            for key, item in value.items()
        }
    if isinstance(hint, type):
        return _scalar_from_json(hint, value, where)
    raise TypeError(f"{where}: cannot rebuild a value of type {hint}")


def _scalar_from_json(cls: type, value: Any, where: str) -> Any:
    if dataclasses.is_dataclass(cls):
        return _dataclass_from_json(cls, value, where)
    if issubclass(cls, Enum):
        return cls(value)
    if cls is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if cls is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if cls is type(None) and value is None:
        return None
    if cls in (bool, str) and type(value) is cls:
        return value
    if issubclass(cls, PurePath) and isinstance(value, str):
        return cls(value)
    raise TypeError(f"{where}: expected {cls.__name__}, got {value!r}")


def _sequence(value: Any, where: str) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"{where} should be a list, not {value!r}")
    return list(value)
