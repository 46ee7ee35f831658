"""Where the bundled resources live.

They ship inside the package (``workbench/resources``, declared as package data), so an
editable checkout, a ``pip install .`` into any environment and a ``pipx`` install all find
the demo model and the demo world next to the code; ``WORKBENCH_RESOURCES`` points elsewhere
for builds that unpack data apart from the code (the PyInstaller bundle).
"""

from __future__ import annotations

import os
from pathlib import Path

RESOURCES_DIR = Path(os.environ.get("WORKBENCH_RESOURCES", Path(__file__).resolve().parents[1] / "resources"))
DEMO_MODEL_DIR = RESOURCES_DIR / "demo_model"
DEMO_WORLD_DIR = RESOURCES_DIR / "demo_world"
REAL_WORLD_DIR = RESOURCES_DIR / "real_world"
