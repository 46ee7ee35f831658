"""Qt views: the only package that imports PySide6. Views render what the core computes.

Importing the package keeps Qt's raster fills on the GUI thread (``QT_NO_GUI_THREADPOOL``,
which Qt reads when it first paints).  Qt 6 hands every fill of 96 or more spans — each
vertical grid line of a plot — to a thread pool and waits for it, while PySide holds the
GIL; with a training job keeping both cores busy those hand-offs were the largest part of a
plot repaint, and the worker, which needs the GIL between torch ops, waited with the GUI
(profiles in ``tests/bench/README.md``).  ``WORKBENCH_QT_GUI_THREADPOOL=1`` keeps Qt's pool.
"""

from __future__ import annotations

import os

if not os.environ.get("WORKBENCH_QT_GUI_THREADPOOL"):
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")
