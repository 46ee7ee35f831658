"""The codec turns results and job parameters into JSON + arrays and back, without pickle."""

from __future__ import annotations

import enum
import json
import sys
from dataclasses import dataclass, field

import numpy as np
import pytest

from workbench.base.errors import InvalidParameters
from workbench.core.model.spec import LoadModelParams, ModelInfo, ModelSpec
from workbench.store.codec import (
    array_from_blob,
    array_to_blob,
    decode_result,
    encode_result,
    params_from_json,
    params_to_json,
    to_plain_json,
)


def _info(**changes: object) -> ModelInfo:
    values = dict(
        label="tiny",
        family="gpt2",
        model_type="gpt2",
        num_layers=3,
        hidden_size=32,
        vocab_size=400,
        max_positions=64,
        num_parameters=12345,
        device="cpu",
        dtype="float32",
        memory_bytes=4096,
        fingerprint="abc123",
        path="/models/tiny",
    )
    values.update(changes)
    return ModelInfo(**values)  # type: ignore[arg-type]


def _round_trip(value: object) -> object:
    """Through real JSON text, as the store does, so nothing survives by object identity."""
    data, arrays = encode_result(value)
    text = json.dumps(data)
    blobs = {name: array_to_blob(array) for name, array in arrays.items()}
    return decode_result(json.loads(text), {name: array_from_blob(blob) for name, blob in blobs.items()})


@dataclass(frozen=True)
class ForeignResult:
    """Lives outside the workbench package, so the codec must not rebuild it."""

    scores: np.ndarray
    note: str = "x"


class Colour(enum.Enum):
    RED = "red"


def test_nested_workbench_dataclasses_dicts_lists_and_arrays_round_trip() -> None:
    rng = np.random.default_rng(0)
    value = {
        "info": _info(),
        "spec": LoadModelParams(spec=ModelSpec(source="hub", name="gpt2", revision="main")),
        "layers": [rng.standard_normal((3, 4)).astype(np.float32), np.arange(6, dtype=np.int64)],
        "pair": (1, "two", np.float32(0.5)),
        "nested": {"deep": {"mask": np.array([True, False])}, "tokens": np.array(["a", "bc"])},
        "none": None,
    }
    back = _round_trip(value)
    assert back["info"] == _info()
    assert back["spec"] == value["spec"] and isinstance(back["spec"].spec, ModelSpec)
    assert back["layers"][0].dtype == np.float32 and np.array_equal(back["layers"][0], value["layers"][0])
    assert back["layers"][1].dtype == np.int64 and np.array_equal(back["layers"][1], value["layers"][1])
    assert back["pair"] == (1, "two", 0.5) and isinstance(back["pair"], tuple)
    assert np.array_equal(back["nested"]["deep"]["mask"], [True, False])
    assert list(back["nested"]["tokens"]) == ["a", "bc"]
    assert back["none"] is None


def test_arrays_are_named_by_their_path_in_the_result() -> None:
    data, arrays = encode_result({"trace": {"scores": np.zeros(2)}, "steps": [np.ones(1)]})
    assert set(arrays) == {"trace.scores", "steps.0"}
    assert data["trace"]["scores"] == {"__array__": "trace.scores"}


def test_dict_key_order_and_non_string_keys_survive() -> None:
    value = {"z": 1, "a": 2, "m": {3: "three", (1, 2): "pair"}}
    back = _round_trip(value)
    assert list(back) == ["z", "a", "m"]
    assert back["m"] == {3: "three", (1, 2): "pair"}


def test_user_keys_that_look_like_markers_are_not_mistaken_for_them() -> None:
    value = {"__array__": "not an array", "__dataclass__": "os:system"}
    assert _round_trip(value) == value


def test_dataclass_outside_the_workbench_package_decodes_to_a_dict() -> None:
    back = _round_trip(ForeignResult(scores=np.arange(3.0)))
    assert isinstance(back, dict)
    assert back["note"] == "x" and np.array_equal(back["scores"], [0.0, 1.0, 2.0])


def test_decoding_never_imports_modules_named_by_the_file() -> None:
    assert "this" not in sys.modules  # the Zen of Python prints on import
    crafted = {
        "a": {"__dataclass__": "this:Anything", "x": 1},
        "b": {"__dataclass__": "workbench.cli.__main__:main", "y": 2},
        "c": {"__enum__": "this:Colour", "value": "red"},
        "d": {"__dataclass__": "workbench.cli:importlib.import_module", "name": "this"},
    }
    back = decode_result(crafted, {})
    assert back == {"a": {"x": 1}, "b": {"y": 2}, "c": "red", "d": {"name": "this"}}
    assert "this" not in sys.modules
    assert "workbench.cli.__main__" not in sys.modules


def test_a_stored_dataclass_that_no_longer_fits_its_class_comes_back_as_a_dict() -> None:
    data, arrays = encode_result(_info())
    del data["fingerprint"]  # as if ModelInfo had gained a required field since the run
    back = decode_result(data, arrays)
    assert isinstance(back, dict) and back["label"] == "tiny"


def test_enums_outside_the_workbench_decode_to_their_value() -> None:
    assert _round_trip({"colour": Colour.RED}) == {"colour": "red"}


def test_numpy_scalars_become_python_numbers() -> None:
    back = _round_trip({"f": np.float32(1.5), "i": np.int64(7), "b": np.bool_(True)})
    assert back == {"f": 1.5, "i": 7, "b": True}
    assert type(back["i"]) is int and type(back["b"]) is bool


def test_object_arrays_are_refused_because_they_would_need_pickle() -> None:
    with pytest.raises(TypeError, match="objects"):
        encode_result({"bad": np.array([{"a": 1}], dtype=object)})


def test_blobs_compress_and_load_without_pickle() -> None:
    big = np.zeros((512, 512), dtype=np.float32)
    blob = array_to_blob(big)
    assert len(blob) < big.nbytes / 50
    assert np.array_equal(array_from_blob(blob), big)


def test_params_round_trip_keeps_nested_dataclasses_and_tuples() -> None:
    @dataclass(frozen=True)
    class TraceParams:
        spec: ModelSpec = field(default_factory=ModelSpec)
        layers: tuple[int, ...] = (0, 1)
        window: tuple[int, float] = (10, 0.5)
        subject: str | None = None
        noise: float = 3.0
        weights: dict[int, float] = field(default_factory=dict)

    params = TraceParams(
        spec=ModelSpec(source="folder", name="/m", dtype="float16"),
        layers=(2, 5, 7),
        subject="Paris",
        noise=2,
        weights={3: 0.25},
    )
    data = params_to_json(params)
    json.dumps(data)  # plain JSON: no markers, no numpy
    assert data["layers"] == [2, 5, 7] and data["spec"]["dtype"] == "float16"
    back = params_from_json(TraceParams, json.loads(json.dumps(data)))
    assert back == params
    assert isinstance(back.layers, tuple) and isinstance(back.window, tuple) and isinstance(back.noise, float)


def test_params_from_older_or_newer_versions_take_defaults_and_ignore_unknown_fields() -> None:
    back = params_from_json(ModelSpec, {"name": "gpt2", "source": "hub", "removed_option": 1})
    assert back == ModelSpec(source="hub", name="gpt2")


def test_params_that_do_not_fit_raise_a_readable_error() -> None:
    with pytest.raises(InvalidParameters, match=r"ModelSpec\.dtype"):
        params_from_json(ModelSpec, {"dtype": "float8"})
    with pytest.raises(InvalidParameters, match=r"LoadModelParams\.spec"):
        params_from_json(LoadModelParams, {"spec": "gpt2"})


def test_plain_json_refuses_arrays_so_they_go_into_results() -> None:
    assert to_plain_json({"loss": np.float64(0.5), "steps": (1, 2)}) == {"loss": 0.5, "steps": [1, 2]}
    with pytest.raises(TypeError):
        to_plain_json({"scores": np.zeros(3)})
