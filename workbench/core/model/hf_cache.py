"""The models already in the local Hugging Face cache, for the model picker.

Torch-free and offline: it only reads the cache folder (``HF_HUB_CACHE``, or the one given),
so the picker can list what loads without a download.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from workbench.core.model.spec import ModelSpec

_CAUSAL_ARCHITECTURE_SUFFIXES = ("ForCausalLM", "LMHeadModel")


@dataclass(frozen=True)
class CachedModel:
    repo_id: str
    revisions: tuple[str, ...]
    """Commit hashes held in the cache, newest snapshot first."""
    refs: tuple[str, ...]
    """Branch or tag names pointing at a cached revision (usually ``main``)."""
    size_on_disk: int
    last_modified: float
    """Seconds since the epoch of the newest file in the repo's cache folder."""
    has_safetensors: bool
    looks_causal_lm: bool
    """The newest snapshot's ``config.json`` names a causal-LM class in ``architectures``."""

    def spec(self) -> ModelSpec:
        return ModelSpec(source="hub", name=self.repo_id)


def list_cached_models(cache_dir: Path | str | None = None) -> list[CachedModel]:
    """Every model repo in the cache, most recently modified first; empty when there is none."""
    from huggingface_hub import constants, scan_cache_dir
    from huggingface_hub.errors import CacheNotFound

    try:
        # read at call time, as snapshot_download does (scan_cache_dir's default is frozen at import)
        cache = scan_cache_dir(cache_dir if cache_dir is not None else constants.HF_HUB_CACHE)
    except CacheNotFound:
        return []
    models = []
    for repo in cache.repos:
        if repo.repo_type != "model":
            continue
        revisions = sorted(repo.revisions, key=lambda r: r.last_modified, reverse=True)
        files = [f for revision in revisions for f in revision.files]
        newest_config = next(
            (
                revision.snapshot_path / "config.json"
                for revision in revisions
                if (revision.snapshot_path / "config.json").is_file()
            ),
            None,
        )
        models.append(
            CachedModel(
                repo_id=repo.repo_id,
                revisions=tuple(revision.commit_hash for revision in revisions),
                refs=tuple(sorted({ref for revision in revisions for ref in revision.refs})),
                size_on_disk=int(repo.size_on_disk),
                last_modified=float(repo.last_modified),
                has_safetensors=any(f.file_name.endswith(".safetensors") for f in files),
                looks_causal_lm=newest_config is not None and _config_looks_causal(newest_config),
            )
        )
    return sorted(models, key=lambda m: m.last_modified, reverse=True)


def _config_looks_causal(config_path: Path) -> bool:
    """A cheap, torch-free guess for the picker; loading does the authoritative check."""
    try:
        config = json.loads(config_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    if not isinstance(config, dict) or config.get("is_encoder_decoder"):
        return False
    architectures = config.get("architectures") or []
    return any(str(name).endswith(_CAUSAL_ARCHITECTURE_SUFFIXES) for name in architectures)
