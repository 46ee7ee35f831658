"""Where the bundled resources live.

The repository keeps ``resources/`` beside the package (installed in editable mode by
``./dev.sh``); ``WORKBENCH_RESOURCES`` points elsewhere for packaged builds.
"""

from __future__ import annotations

import os
from pathlib import Path

RESOURCES_DIR = Path(
    os.environ.get("WORKBENCH_RESOURCES", Path(__file__).resolve().parents[2] / "resources")
)
DEMO_MODEL_DIR = RESOURCES_DIR / "demo_model"
DEMO_WORLD_DIR = RESOURCES_DIR / "demo_world"
