"""Decoding with a record of every step: greedy, beam search and sampling (book §1.4).

``params`` and ``records`` are torch-free so the GUI thread can build requests, read results
and redraw a stored step (``replay``) without importing torch; ``pipeline``, ``decode``,
``beam`` and ``job`` run in the worker.
"""
