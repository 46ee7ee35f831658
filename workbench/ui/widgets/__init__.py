"""Reusable views that take plain data (numpy arrays, dataclasses) and know nothing of torch."""
