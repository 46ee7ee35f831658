"""Causal tracing (book §5.4.1; Meng et al. 2022, "Locating and Editing Factual Associations
in GPT"): which hidden states, MLP outputs and attention outputs carry a fact.

A clean run, a run with noise on the subject's embeddings, then runs that restore one clean
state at a time; a state whose restoration brings back p(target) is causally important.

Layout: ``params``, ``results``, ``cost`` and ``facts`` are torch-free (the GUI imports them);
``prompt``, ``noise``, ``hooks`` and ``runs`` prepare the clean and corrupted runs;
``reference`` is the straightforward method (one pass per cell, the exactness oracle) and
``fast`` the exact fast one; ``trace``, ``severing`` and ``averaging`` are the experiments;
``job`` adapts them to the worker.  Importing this package does not import torch.
"""
