"""PyInstaller runtime hook: point the workbench at the resources inside the bundle."""

import os
import sys

os.environ.setdefault("WORKBENCH_RESOURCES", os.path.join(getattr(sys, "_MEIPASS", "."), "resources"))
