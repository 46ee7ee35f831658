"""Modal dialogs that return plain values (specs, paths) to the main window."""
