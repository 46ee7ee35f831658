"""The demo world and the demo model trained on it (issue 3).

No pretrained model can be downloaded on the machines the workbench targets, so the
workbench ships a small GPT-2 trained from scratch on a generated, bilingual world:

- ``vocabulary``, ``names``, ``relations``, ``world`` — the seeded world: entities, facts,
  templates (six trained and two held out per relation and language);
- ``statements``, ``encyclopedia``, ``stories``, ``rag_format`` — how it is written down;
- ``counterfact``, ``export`` — the data files of ``workbench/resources/demo_world/``;
- ``corpus``, ``tokenizer``, ``train`` — the training text and the training command;
- ``params``, ``evaluate``, ``model_card``, ``trace_card`` — what the model knows, measured.

Everything but ``tokenizer``, ``train``, ``evaluate`` and ``trace_card`` is torch-free.

A tool, run by hand from the repository root (``python -m tools.demo_world.train``): the
workbench itself only reads the files it wrote to ``workbench/resources`` and never imports
it (an import-linter contract in ``pyproject.toml``); what the runtime shares with it, the
article text the model reads, lives in ``workbench.core.editing.article_text``.
"""
