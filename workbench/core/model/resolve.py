"""From a ``ModelSpec`` to the local folder that holds the model.

Hub ids resolve through the local Hugging Face cache and stay offline unless the spec allows
a download, so opening a project never reaches the network behind the user's back.
"""

from __future__ import annotations

from pathlib import Path

from workbench.base import paths
from workbench.base.errors import ModelLoadError
from workbench.core.model.spec import ModelSpec

_DOWNLOAD_PATTERNS = (
    "*.json",
    "*.safetensors",
    "*.txt",
    "*.model",
    "*.tiktoken",
    "tokenizer*",
)
"""What a download fetches: config, tokenizer and safetensors weights — not ONNX/TF/Flax copies."""


def resolve_folder(spec: ModelSpec, *, cache_dir: Path | str | None = None) -> Path:
    """The folder ``from_pretrained`` should read for ``spec``.

    ``cache_dir`` overrides the Hugging Face hub cache (``HF_HUB_CACHE``) for hub ids.
    """
    if spec.source == "demo":
        return _demo_folder()
    if spec.source == "folder":
        if not spec.name:
            raise ModelLoadError("No model folder was given.")
        folder = Path(spec.name).expanduser()
        if not folder.is_dir():
            raise ModelLoadError(f"The model folder {folder} does not exist.")
        return folder.resolve()
    if spec.source == "hub":
        return _hub_folder(spec, cache_dir)
    raise ModelLoadError(f"Unknown model source {spec.source!r}; use demo, hub or folder.")


def is_demo_model(path: str | Path) -> bool:
    """Whether ``path`` is the bundled demo model's folder: it knows the demo world, every
    other model (the packs, the user's own) the real one."""
    return Path(path).resolve() == paths.DEMO_MODEL_DIR.resolve()


def _demo_folder() -> Path:
    folder = paths.DEMO_MODEL_DIR
    if not (folder / "config.json").is_file():
        raise ModelLoadError(
            f"The demo model is not installed (expected in {folder}). Build it with: python -m tools.demo_world.train"
        )
    return folder


def _hub_folder(spec: ModelSpec, cache_dir: Path | str | None) -> Path:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import (
        GatedRepoError,
        LocalEntryNotFoundError,
        RepositoryNotFoundError,
        RevisionNotFoundError,
    )

    if not spec.name:
        raise ModelLoadError("No hub id was given (for example 'gpt2' or 'EleutherAI/pythia-70m').")
    revision = f" (revision {spec.revision})" if spec.revision else ""
    patterns = list(_DOWNLOAD_PATTERNS) + (["*.py"] if spec.trust_remote_code else [])

    def snapshot(allow_patterns: list[str]) -> Path:
        return Path(
            snapshot_download(
                spec.name,
                revision=spec.revision,
                cache_dir=cache_dir,
                local_files_only=not spec.allow_download,
                allow_patterns=allow_patterns,
            )
        )

    try:
        folder = snapshot(patterns)
        if spec.allow_download and spec.allow_pickle and not any(folder.glob("*.safetensors")):
            folder = snapshot(["*.bin"])
    except LocalEntryNotFoundError:
        if spec.allow_download:
            raise ModelLoadError(
                f"'{spec.name}'{revision} could not be downloaded: the hub is not reachable "
                "(offline, or HF_HUB_OFFLINE is set)."
            ) from None
        raise ModelLoadError(
            f"'{spec.name}'{revision} is not in the local Hugging Face cache; tick 'allow download' to fetch it."
        ) from None
    except GatedRepoError:
        raise ModelLoadError(
            f"'{spec.name}' is gated: accept its licence on huggingface.co and log in with "
            "'hf auth login' before downloading it."
        ) from None
    except RevisionNotFoundError:
        raise ModelLoadError(f"'{spec.name}' has no revision '{spec.revision}'.") from None
    except RepositoryNotFoundError:
        raise ModelLoadError(f"There is no model '{spec.name}' on the Hugging Face hub (or it is private).") from None
    except (OSError, ValueError) as error:
        raise ModelLoadError(f"'{spec.name}'{revision} could not be fetched: {error}") from None
    return folder
