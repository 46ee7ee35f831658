"""GGUF import: tiny GGUF files written here become library folders with the same logits."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

gguf = pytest.importorskip("gguf")

import torch  # noqa: E402
from gguf_builders import write_tiny_llama_gguf  # noqa: E402

from workbench.base.errors import JobCancelled  # noqa: E402
from workbench.base.jobs import CancelToken  # noqa: E402
from workbench.core.model.gguf_import import import_gguf  # noqa: E402
from workbench.core.model.library import CARD_FILE, ModelImportError, list_library  # noqa: E402
from workbench.core.model.session import ModelSession  # noqa: E402
from workbench.core.model.spec import ModelSpec  # noqa: E402

PROMPT = "The Eiffel Tower is located in the city of"


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    """Every test gets its own app data folder, so none touches the user's library."""
    folder = tmp_path / "data"
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def q8_gguf(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("gguf") / "tiny-llama.Q8_0.gguf"
    write_tiny_llama_gguf(path, quant="Q8_0")
    return path


@pytest.fixture(scope="module")
def f32_gguf(tmp_path_factory):
    path = tmp_path_factory.mktemp("gguf") / "tiny-llama.F32.gguf"
    model, tokenizer = write_tiny_llama_gguf(path, quant="F32")
    return path, model, tokenizer


def _logits(model: torch.nn.Module, tokenizer, text: str = PROMPT) -> torch.Tensor:
    ids = tokenizer(text, return_tensors="pt").input_ids
    with torch.inference_mode():
        return model(ids).logits[0].float()


def test_imported_model_gives_the_logits_of_transformers_loading_the_gguf_directly(q8_gguf, tmp_path) -> None:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    result = import_gguf(q8_gguf, library=tmp_path / "lib")
    session = ModelSession.load(ModelSpec(source="folder", name=result.folder, device="cpu"))
    direct = AutoModelForCausalLM.from_pretrained(q8_gguf.parent, gguf_file=q8_gguf.name).eval()
    direct_tokenizer = AutoTokenizer.from_pretrained(q8_gguf.parent, gguf_file=q8_gguf.name)
    assert session.tokenizer(PROMPT).input_ids == direct_tokenizer(PROMPT).input_ids
    assert torch.equal(_logits(session.model, session.tokenizer), _logits(direct, direct_tokenizer))
    assert session.adapter is not None  # tracing and editing know where its modules are


def test_an_f32_gguf_imports_to_exactly_the_model_it_was_written_from(f32_gguf, tmp_path) -> None:
    path, original, tokenizer = f32_gguf
    result = import_gguf(path, library=tmp_path / "lib")
    session = ModelSession.load(ModelSpec(source="folder", name=result.folder, device="cpu"))
    assert torch.equal(_logits(session.model, tokenizer), _logits(original, tokenizer))


def test_the_model_card_records_source_checksum_licence_quantisation_and_architecture(q8_gguf, tmp_path) -> None:
    import hashlib

    result = import_gguf(q8_gguf, library=tmp_path / "lib")
    folder = Path(result.folder)
    card = json.loads((folder / CARD_FILE).read_text())
    assert card["source_file"] == q8_gguf.name
    assert card["source_sha256"] == hashlib.sha256(q8_gguf.read_bytes()).hexdigest()
    assert (card["licence"], card["quantization"], card["architecture"], card["dtype"]) == (
        "mit",
        "Q8_0",
        "llama",
        "float32",
    )
    readme = (folder / "README.md").read_text()
    assert "license: mit" in readme and card["source_sha256"] in readme and "Q8_0" in readme
    assert (folder / "model.safetensors").is_file() and (folder / "tokenizer.json").is_file()
    assert "quantization_config" not in json.loads((folder / "config.json").read_text())
    assert [m.name for m in list_library(tmp_path / "lib")] == ["tiny-llama.Q8_0"]


def test_the_default_library_is_models_in_the_app_data_folder(q8_gguf, data_dir) -> None:
    result = import_gguf(q8_gguf)
    assert Path(result.folder).parent == data_dir / "models"


def test_a_bf16_import_saves_bfloat16_weights_close_to_the_fp32_ones(q8_gguf, tmp_path) -> None:
    from safetensors import safe_open

    fp32 = import_gguf(q8_gguf, library=tmp_path / "lib")
    bf16 = import_gguf(q8_gguf, dtype="bf16", library=tmp_path / "lib")
    assert fp32.folder != bf16.folder and bf16.card.dtype == "bfloat16"
    with safe_open(Path(bf16.folder) / "model.safetensors", "pt") as weights:
        assert {weights.get_tensor(key).dtype for key in weights.keys()}  # noqa: SIM118  safe_open is not iterable == {torch.bfloat16}
    a = ModelSession.load(ModelSpec(source="folder", name=fp32.folder, device="cpu"))
    b = ModelSession.load(ModelSpec(source="folder", name=bf16.folder, device="cpu", dtype="float32"))
    assert torch.allclose(_logits(a.model, a.tokenizer), _logits(b.model, b.tokenizer), atol=0.05)


def test_importing_the_same_file_twice_reuses_the_first_import(q8_gguf, tmp_path) -> None:
    first = import_gguf(q8_gguf, library=tmp_path / "lib")
    second = import_gguf(q8_gguf, library=tmp_path / "lib")
    assert second.already_in_library and second.folder == first.folder
    assert len(list((tmp_path / "lib").iterdir())) == 1


def test_progress_rises_to_one_and_cancel_between_tensors_leaves_nothing_behind(q8_gguf, tmp_path) -> None:
    seen: list[tuple[float, str]] = []
    cancel = CancelToken()

    def report(fraction: float, message: str = "", partial: object = None) -> None:
        seen.append((fraction, message))
        if message.startswith("Dequantising tensor 5 "):
            cancel.cancel()

    with pytest.raises(JobCancelled):
        import_gguf(q8_gguf, library=tmp_path / "lib", progress=report, cancel=cancel)
    assert list((tmp_path / "lib").iterdir()) == []
    fractions = [fraction for fraction, _ in seen]
    assert fractions == sorted(fractions)

    seen.clear()
    import_gguf(q8_gguf, library=tmp_path / "lib", progress=report)
    assert seen[-1][0] == 1.0 and any(m.startswith("Dequantising tensor 21 of 21") for _, m in seen)


def test_an_unknown_architecture_is_refused_in_one_sentence(tmp_path) -> None:
    path = tmp_path / "odd.gguf"
    write_tiny_llama_gguf(path, architecture="frobnicator")
    with pytest.raises(ModelImportError, match=r"'frobnicator' model, which transformers cannot import.*llama"):
        import_gguf(path, library=tmp_path / "lib")
    assert not (tmp_path / "lib").exists()


def test_a_quantisation_gguf_cannot_unpack_is_refused_in_one_sentence(q8_gguf, tmp_path, monkeypatch) -> None:
    real = gguf.dequantize

    def dequantize(data, qtype):
        if qtype == gguf.GGMLQuantizationType.Q8_0:
            raise NotImplementedError("no Q8_0 here")
        return real(data, qtype)

    monkeypatch.setattr(gguf, "dequantize", dequantize)
    with pytest.raises(ModelImportError, match="stores tensors as Q8_0, a quantisation the gguf package cannot unpack"):
        import_gguf(q8_gguf, library=tmp_path / "lib")


@pytest.mark.parametrize("damage", ["truncated", "not gguf", "missing"])
def test_a_damaged_or_missing_file_is_refused_in_one_sentence(q8_gguf, tmp_path, damage) -> None:
    path = tmp_path / "bad.gguf"
    if damage == "truncated":
        path.write_bytes(q8_gguf.read_bytes()[:3000])
        expected = "damaged or truncated"
    elif damage == "not gguf":
        path.write_bytes(b"PK\x03\x04 a zip, not a model")
        expected = "is not a GGUF file"
    else:
        expected = "does not exist"
    with pytest.raises(ModelImportError, match=expected):
        import_gguf(path, library=tmp_path / "lib")
