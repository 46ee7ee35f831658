"""Qt views: the only package that imports PySide6. Views render what the core computes."""
