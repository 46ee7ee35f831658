"""Qt-free core: every capability of the workbench as plain functions and dataclasses.

Nothing under this package may import PySide6 (a test asserts it), so the CLI, the tests
and the worker thread can all call it without a display.
"""
