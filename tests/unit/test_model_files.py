"""The weight fingerprint: cheap for big files, yet it notices rewritten weights."""

from __future__ import annotations

from pathlib import Path

from workbench.core.model.files import FINGERPRINT_SAMPLE_BYTES, fingerprint, inspect_folder


def big_model_folder(folder: Path, size: int) -> Path:
    folder.mkdir()
    (folder / "config.json").write_text('{"model_type": "gpt2"}')
    (folder / "model.safetensors").write_bytes(bytes(size))
    return folder


def patch(path: Path, offset: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        handle.write(b"\x01")


def test_a_change_at_either_end_of_a_large_weight_file_changes_the_fingerprint(tmp_path: Path) -> None:
    size = 3 * FINGERPRINT_SAMPLE_BYTES
    folder = big_model_folder(tmp_path / "m", size)
    weights = folder / "model.safetensors"
    original = fingerprint(inspect_folder(folder, allow_pickle=False))
    patch(weights, 10)
    at_start = fingerprint(inspect_folder(folder, allow_pickle=False))
    patch(weights, size - 10)
    at_end = fingerprint(inspect_folder(folder, allow_pickle=False))
    assert len({original, at_start, at_end}) == 3


def test_the_config_is_part_of_the_fingerprint(tmp_path: Path) -> None:
    folder = big_model_folder(tmp_path / "m", 1000)
    before = fingerprint(inspect_folder(folder, allow_pickle=False))
    (folder / "config.json").write_text('{"model_type": "gpt2", "n_layer": 4}')
    assert fingerprint(inspect_folder(folder, allow_pickle=False)) != before
