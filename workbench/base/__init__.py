"""The bottom layer every other one builds on: user-facing errors and the job protocol.

Nothing here imports from higher in ``workbench`` (only for type checking), so the core,
the store, the worker, the CLI and the UI can all depend on it without a cycle.
"""
