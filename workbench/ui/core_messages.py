"""Sentences from the Qt-free core (errors, progress) in the interface language.

The core speaks English and stays Qt-free: ``str(error)`` and progress messages are English
for the CLI and the logs.  The GUI translates them when it shows them, in the context
``"CoreMessages"`` with the English text as source.  A message with values in it (a layer, a
count, a name) is listed here as a *template*: its English wording with ``{name}`` fields
is the stable id, the values are read back out of the message, and the translated template
is filled with them.  A message not listed is shown in English, as before.

Covered: the errors every lab can meet (no model, cancelled, read-only project), model
loading and unloading progress, and the sampling and tracing labs' progress and the
errors of their parameters.  Changing such a sentence in the core means changing it here too;
``tests/qt/test_language_zh.py`` raises real core errors to keep the two in step.
"""

from __future__ import annotations

import re
from functools import cache

from PySide6.QtCore import QCoreApplication

from workbench.ui.translatable import QT_TRANSLATE_NOOP

CONTEXT = "CoreMessages"

TEMPLATES: tuple[str, ...] = (
    # errors.py
    QT_TRANSLATE_NOOP("CoreMessages", "Cancelled by the user."),
    QT_TRANSLATE_NOOP("CoreMessages", "No model is loaded. Load one from the Model menu first."),
    # model loading (core/model/session.py)
    QT_TRANSLATE_NOOP("CoreMessages", "Finding {model}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Reading the config"),
    QT_TRANSLATE_NOOP("CoreMessages", "Estimating the memory it needs"),
    QT_TRANSLATE_NOOP("CoreMessages", "Loading the tokenizer"),
    QT_TRANSLATE_NOOP("CoreMessages", "Loading the weights ({dtype})"),
    QT_TRANSLATE_NOOP("CoreMessages", "Moving the model to {device}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Checking the architecture"),
    QT_TRANSLATE_NOOP("CoreMessages", "Loaded {model}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Unloading {model}"),
    QT_TRANSLATE_NOOP("CoreMessages", "No model loaded"),
    # sampling progress and errors (core/sampling, core/text_metrics.py)
    QT_TRANSLATE_NOOP("CoreMessages", "token {done}/{total}"),
    QT_TRANSLATE_NOOP("CoreMessages", "beam step {done}/{total}"),
    QT_TRANSLATE_NOOP("CoreMessages", "step {count}"),
    QT_TRANSLATE_NOOP("CoreMessages", "The prompt is empty: type the text the model should continue."),
    QT_TRANSLATE_NOOP("CoreMessages", "The prompt encodes to no tokens; type some text."),
    QT_TRANSLATE_NOOP("CoreMessages", "Max new tokens must be between 1 and 4096, not {value}."),
    QT_TRANSLATE_NOOP(
        "CoreMessages", "Temperature must be greater than 0, not {value} (use greedy for 'temperature 0')."
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "A stop string is empty; remove it or type the text that should end generation."),
    QT_TRANSLATE_NOOP("CoreMessages", "Side by side needs at least one configuration."),
    QT_TRANSLATE_NOOP("CoreMessages", "Beam search keeps several hypotheses; it cannot run one token at a time."),
    QT_TRANSLATE_NOOP("CoreMessages", "This generation has ended ({reason}); start a new one."),
    QT_TRANSLATE_NOOP("CoreMessages", "The text is empty: paste the text whose perplexity you want."),
    QT_TRANSLATE_NOOP("CoreMessages", "The text is a single token; perplexity needs at least two."),
    # tracing progress and errors (core/tracing)
    QT_TRANSLATE_NOOP("CoreMessages", "Clean and corrupted runs"),
    QT_TRANSLATE_NOOP("CoreMessages", "Restored runs: {passes} passes"),
    QT_TRANSLATE_NOOP("CoreMessages", "Traced in {seconds} s ({passes} passes)"),
    QT_TRANSLATE_NOOP("CoreMessages", "Severed runs: {passes} passes"),
    QT_TRANSLATE_NOOP("CoreMessages", "Restoring {kind} at token {token}, layer {layer}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Restored"),
    QT_TRANSLATE_NOOP("CoreMessages", "Fact {index}/{total}: not known, skipped"),
    QT_TRANSLATE_NOOP("CoreMessages", "Fact {index}/{total} traced"),
    QT_TRANSLATE_NOOP("CoreMessages", "Averaged {traced} facts ({skipped} skipped)"),
    QT_TRANSLATE_NOOP("CoreMessages", "The prompt is empty."),
    QT_TRANSLATE_NOOP("CoreMessages", "The prompt has no tokens."),
    QT_TRANSLATE_NOOP("CoreMessages", "The target is empty."),
    QT_TRANSLATE_NOOP("CoreMessages", "The target '{target}' has no tokens."),
    QT_TRANSLATE_NOOP("CoreMessages", "Name the subject: give its text or select its tokens."),
    QT_TRANSLATE_NOOP("CoreMessages", "The subject '{subject}' does not appear in the prompt '{prompt}'."),
    QT_TRANSLATE_NOOP("CoreMessages", "The subject '{subject}' does not cover any token of the prompt."),
    QT_TRANSLATE_NOOP("CoreMessages", "The number of noise samples must be at least 1."),
    QT_TRANSLATE_NOOP("CoreMessages", "The noise level must be a number ≥ 0 (a multiple of σ)."),
    QT_TRANSLATE_NOOP("CoreMessages", "The noise is zero, so the corrupted run equals the clean one; raise the noise."),
    QT_TRANSLATE_NOOP("CoreMessages", "The window must be at least 1 layer."),
    QT_TRANSLATE_NOOP("CoreMessages", "Token {token} is outside the prompt's {count} tokens."),
    QT_TRANSLATE_NOOP("CoreMessages", "Layer {layer} is outside the model's {count} layers."),
    QT_TRANSLATE_NOOP("CoreMessages", "Choose a facts file (JSON lines with subject, prompt and target_true)."),
    QT_TRANSLATE_NOOP("CoreMessages", "The facts file {name} holds no facts."),
)


@cache
def _pattern(template: str) -> re.Pattern[str]:
    """``"Loaded {model}"`` → a regex that reads ``model`` back out of ``"Loaded demo"``."""
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(f"(?P<{part}>.+?)" if index % 2 else re.escape(part) for index, part in enumerate(parts))
    return re.compile(f"{regex}$", re.DOTALL)


def translate_core_message(message: str) -> str:
    """``message`` in the interface language when it is a listed core sentence, else as is."""
    if not message:
        return message
    for template in TEMPLATES:
        found = _pattern(template).match(message)
        if found is not None:
            return QCoreApplication.translate(CONTEXT, template).format(**found.groupdict())
    return message
