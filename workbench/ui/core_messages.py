"""Sentences from the Qt-free core (errors, progress) in the interface language.

The core speaks English and stays Qt-free: ``str(error)`` and progress messages are English
for the CLI and the logs.  The GUI translates them when it shows them, in the context
``"CoreMessages"`` with the English text as source.  A message with values in it (a layer, a
count, a name) is listed here as a *template*: its English wording with ``{name}`` fields
is the stable id, the values are read back out of the message, and the translated template
is filled with them.  A message not listed is shown in English, as before.

Covered: the errors every lab can meet (no model, cancelled, read-only project), model
loading and unloading progress, and each lab's progress and the errors of its parameters,
files and state (sampling, tracing, RAG, model editing, fine-tuning).  Changing such a sentence in the core means changing it here too;
``tests/qt/test_language_zh.py`` raises real core errors to keep the two in step.
"""

from __future__ import annotations

import re
from functools import cache
from string import Formatter

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
    # RAG lab (store/rag_library.py, core/rag/*)
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "There is no collection named {name} in this project (collections: none yet; add documents to create one).",
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "There is no collection named {name} in this project (collections: {listing})."),
    QT_TRANSLATE_NOOP("CoreMessages", "There is no document with id {document_id} in this project."),
    QT_TRANSLATE_NOOP(
        "CoreMessages", "No project is open. Open or create a project first; collections are stored in it."
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "The collection needs a name."),
    QT_TRANSLATE_NOOP("CoreMessages", "Choose a file or a stored document to preview."),
    QT_TRANSLATE_NOOP("CoreMessages", "The prompt template must contain {{question}}."),
    QT_TRANSLATE_NOOP("CoreMessages", "The question alone does not fit into the model's context window."),
    QT_TRANSLATE_NOOP("CoreMessages", "The question is empty."),
    QT_TRANSLATE_NOOP("CoreMessages", "Unknown chunking method {method}; use chars, tokens, sentences or headings."),
    QT_TRANSLATE_NOOP("CoreMessages", "The chunk size must be at least 1."),
    QT_TRANSLATE_NOOP(
        "CoreMessages", "The overlap ({overlap}) must be at least 0 and smaller than the chunk size ({size})."
    ),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "An IVF index needs at least {minimum} chunks to train its clusters; this collection has {count}. "
        "Use the flat or HNSW index.",
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "Unknown index {kind}; use flat, hnsw or ivf."),
    QT_TRANSLATE_NOOP("CoreMessages", "No on-disk index in {folder}; build it first."),
    QT_TRANSLATE_NOOP(
        "CoreMessages", "Unknown embedder {name}: choose {choices}, or give a sentence-transformers folder."
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "The {name} embedder needs the {package} package: pip install {package}"),
    QT_TRANSLATE_NOOP("CoreMessages", "{folder} is not a sentence-transformers model folder ({error})."),
    QT_TRANSLATE_NOOP("CoreMessages", "{folder} does not say the size of its embeddings."),
    QT_TRANSLATE_NOOP("CoreMessages", "The collection {name} has no indexed chunks yet; ingest some documents first."),
    QT_TRANSLATE_NOOP("CoreMessages", "The stored indexes of {name} disagree; ingest into it again to rebuild them."),
    QT_TRANSLATE_NOOP("CoreMessages", "The companion embedder must differ from the embedder ({embedder})."),
    QT_TRANSLATE_NOOP("CoreMessages", "The {embedder} vectors of {name} are stale; ingest into it again."),
    QT_TRANSLATE_NOOP("CoreMessages", "The query is empty."),
    QT_TRANSLATE_NOOP("CoreMessages", "k must be at least 1."),
    QT_TRANSLATE_NOOP("CoreMessages", "Unknown fusion {fusion}; use convex or rrf."),
    QT_TRANSLATE_NOOP("CoreMessages", "Unknown retriever {retriever}; use bm25, dense or hybrid."),
    QT_TRANSLATE_NOOP("CoreMessages", "No {embedder} vectors are loaded for {name}."),
    QT_TRANSLATE_NOOP("CoreMessages", "The query file {path} does not exist."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} line {number} is not JSON ({error})."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} line {number} needs a question and a gold document or evidence."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} contains no questions."),
    QT_TRANSLATE_NOOP("CoreMessages", "None of the labelled questions has its gold document in this collection."),
    QT_TRANSLATE_NOOP("CoreMessages", "{question}: its gold document or evidence is not in the collection"),
    #   files that cannot be read (core/rag/loaders.py; the ingest's per-file reasons)
    QT_TRANSLATE_NOOP("CoreMessages", "{path} does not exist."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} cannot be opened ({reason})."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} is empty."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} contains no text (a scanned PDF needs OCR first)."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} contains no text."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name}: {suffix} files are not supported (supported: {supported})."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} announces UTF-16 but is not valid UTF-16."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} looks like a binary file, not text."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} is not UTF-8 or GB18030 text."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} looks like a binary file, not HTML."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} could not be parsed as HTML ({error})."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} is encrypted with a password; decrypt it first."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} is not a readable PDF ({error})."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} is not a readable Word (.docx) document ({error})."),
    QT_TRANSLATE_NOOP("CoreMessages", "same content as {name}"),
    #   progress (core/rag/ingest.py, core/rag/jobs.py)
    QT_TRANSLATE_NOOP("CoreMessages", "Estimating the ingest"),
    QT_TRANSLATE_NOOP("CoreMessages", "Reading {name} ({number}/{total})"),
    QT_TRANSLATE_NOOP("CoreMessages", "Nothing new to index"),
    QT_TRANSLATE_NOOP("CoreMessages", "Resuming: {count} chunks were encoded by an earlier ingest"),
    QT_TRANSLATE_NOOP("CoreMessages", "Encoding {total} chunks with {embedder}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Encoding chunks {done}/{total} ({rate}/s)"),
    QT_TRANSLATE_NOOP("CoreMessages", "Encoding chunks {done}/{total} ({rate}/s, {eta} s left)"),
    QT_TRANSLATE_NOOP("CoreMessages", "Building the BM25 index"),
    QT_TRANSLATE_NOOP("CoreMessages", "Building the {kind} index ({language})"),
    QT_TRANSLATE_NOOP("CoreMessages", "Saving to the project"),
    QT_TRANSLATE_NOOP("CoreMessages", "Indexed {count} chunks"),
    QT_TRANSLATE_NOOP("CoreMessages", "Searching {collection}"),
    QT_TRANSLATE_NOOP("CoreMessages", "{count} chunks"),
    QT_TRANSLATE_NOOP("CoreMessages", "Ranking with {retriever}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Reranking the top {count} hybrid chunks with the model"),
    QT_TRANSLATE_NOOP("CoreMessages", "Ranked"),
    QT_TRANSLATE_NOOP("CoreMessages", "Retrieving"),
    QT_TRANSLATE_NOOP("CoreMessages", "Answering with the retrieved chunks"),
    QT_TRANSLATE_NOOP("CoreMessages", "Answering without retrieval"),
    QT_TRANSLATE_NOOP("CoreMessages", "Answered"),
    QT_TRANSLATE_NOOP("CoreMessages", "Vectors of {name}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Encoding with {name}: {done}/{total} ({rate}/s)"),
    #   an ingest's estimate, piece by piece (core/rag/params.py IngestEstimate.summary_parts)
    QT_TRANSLATE_NOOP("CoreMessages", "≈ {chunks} chunks from {characters} characters"),
    QT_TRANSLATE_NOOP("CoreMessages", " (partly guessed from file sizes)"),
    QT_TRANSLATE_NOOP("CoreMessages", ", and {chunks} for the companion embedder {embedder}"),
    QT_TRANSLATE_NOOP("CoreMessages", ", {resumed} of them encoded by an interrupted ingest"),
    QT_TRANSLATE_NOOP("CoreMessages", "; about "),
    QT_TRANSLATE_NOOP("CoreMessages", " on this machine ({rate} chunks/s measured with {embedder})"),
    QT_TRANSLATE_NOOP("CoreMessages", " at an assumed {rate} chunks/s"),
    QT_TRANSLATE_NOOP("CoreMessages", " at {rate} chunks/s"),
    #   durations as core/rag/params.py duration_words says them
    QT_TRANSLATE_NOOP("CoreMessages", "{seconds} s"),
    QT_TRANSLATE_NOOP("CoreMessages", "{minutes} min"),
    QT_TRANSLATE_NOOP("CoreMessages", "{hours} h {minutes} min"),
    QT_TRANSLATE_NOOP("CoreMessages", "{hours} h"),
    # model editing lab (core/editing/*)
    QT_TRANSLATE_NOOP("CoreMessages", "The edit prompt is empty."),
    QT_TRANSLATE_NOOP("CoreMessages", "Name the subject whose fact is edited."),
    QT_TRANSLATE_NOOP(
        "CoreMessages", "The subject '{subject}' does not occur in the prompt; write it there or use {{}}."
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "Give the new target the model should produce."),
    QT_TRANSLATE_NOOP("CoreMessages", "The edit prompt or the new target has no tokens."),
    QT_TRANSLATE_NOOP("CoreMessages", "Unknown editing method '{method}'; choose rome or tpatcher."),
    QT_TRANSLATE_NOOP("CoreMessages", "Choose the edit to toggle or revert."),
    QT_TRANSLATE_NOOP("CoreMessages", "Unknown ledger action '{action}'."),
    QT_TRANSLATE_NOOP("CoreMessages", "Choose a folder to save the edited model in."),
    QT_TRANSLATE_NOOP("CoreMessages", "The folder {folder} is not empty; choose a new or empty folder."),
    QT_TRANSLATE_NOOP("CoreMessages", "These edits cannot be written as weights without T-Patcher's exporter."),
    QT_TRANSLATE_NOOP("CoreMessages", "There is no edit {edit_id} in the ledger."),
    QT_TRANSLATE_NOOP("CoreMessages", "Cannot read the fact file {path}: {reason}."),
    QT_TRANSLATE_NOOP("CoreMessages", "Line {number} of {name} is not a usable edit case: {error}."),
    QT_TRANSLATE_NOOP("CoreMessages", "The fact file {name} holds no edit cases."),
    QT_TRANSLATE_NOOP("CoreMessages", "There is no case {case_id} in the fact file."),
    QT_TRANSLATE_NOOP("CoreMessages", "Edit at least one case."),
    QT_TRANSLATE_NOOP("CoreMessages", "The fact file has no cases in language '{language}'."),
    QT_TRANSLATE_NOOP("CoreMessages", "The fact file has no facts in language '{language}'."),
    QT_TRANSLATE_NOOP(
        "CoreMessages", "Name the model whose known facts to find (a pack, a library model or a folder)."
    ),
    QT_TRANSLATE_NOOP(
        "CoreMessages", "The model pack {name} is not installed; install it first: workbench-cli models install {name}."
    ),
    QT_TRANSLATE_NOOP(
        "CoreMessages", "There is no model '{name}' in the model library (see: workbench-cli models list)."
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "Cannot read the covariance corpus {path}: {error}."),
    QT_TRANSLATE_NOOP("CoreMessages", "The covariance corpus {name} is empty."),
    QT_TRANSLATE_NOOP("CoreMessages", "The covariance corpus has no tokens."),
    QT_TRANSLATE_NOOP("CoreMessages", "Name at least one fact to average the trace over."),
    QT_TRANSLATE_NOOP("CoreMessages", "The subject does not cover any token of '{text}'."),
    QT_TRANSLATE_NOOP("CoreMessages", "The subject '{subject}' does not appear in '{prompt}'."),
    QT_TRANSLATE_NOOP("CoreMessages", "Layer {layer} is outside the model's {count} layers (0 … {last})."),
    QT_TRANSLATE_NOOP("CoreMessages", "The model's config names no FFN activation the patch neuron could use."),
    QT_TRANSLATE_NOOP("CoreMessages", "Layer {layer} does not exist; the model has layers 0 to {last}."),
    QT_TRANSLATE_NOOP("CoreMessages", "T-Patcher needs at least one step and a positive learning rate."),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "T-Patcher patches of a {family} model cannot be saved as weights: its FFN is gated or of an unknown "
        "layout, so a patch neuron is not one more column of it. Revert the T-Patcher edits (or use ROME) before "
        "exporting.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "The FFN of this {family} model is not made of Linear or Conv1D layers, so a patch neuron has no column "
        "to go in.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreMessages", "The FFN input projection of this {family} model has no bias, so a patch's bias has no place."
    ),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "The new target '{new}' is the current answer (target_true); the edit changes nothing the metrics can "
        "see. Choose a different new target to test the method.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "The model already answers '{new}' to “{prompt}” before the edit, so the edit is (nearly) a no-op and its "
        "100 % accuracy says nothing about the method.",
    ),
    #   progress (core/editing/jobs.py, rome.py, tpatcher.py, covariance.py, layer_choice.py, known_facts.py)
    QT_TRANSLATE_NOOP("CoreMessages", "Evaluating before the edit"),
    QT_TRANSLATE_NOOP("CoreMessages", "Evaluating after the edit"),
    QT_TRANSLATE_NOOP("CoreMessages", "Edited layer {layer}: accuracy {accuracy}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Edit {index}/{total}: accuracy {accuracy}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Re-measuring case {index}/{total}"),
    QT_TRANSLATE_NOOP("CoreMessages", "{count} edits, {seconds} s per edit"),
    QT_TRANSLATE_NOOP("CoreMessages", "Largest MLP effect at layer {layer}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Saving the edited model"),
    QT_TRANSLATE_NOOP("CoreMessages", "Saved to {folder}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Sampling prefixes for the key"),
    QT_TRANSLATE_NOOP("CoreMessages", "Computing the key k*"),
    QT_TRANSLATE_NOOP("CoreMessages", "Optimising the value: step {step}, NLL {nll}"),
    QT_TRANSLATE_NOOP("CoreMessages", "ROME edit of layer {layer} computed"),
    QT_TRANSLATE_NOOP("CoreMessages", "Collecting the memory set's FFN inputs"),
    QT_TRANSLATE_NOOP("CoreMessages", "T-Patcher step {step}/{total}: loss {loss}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Key covariance of layer {layer}: {done} of {total} tokens"),
    QT_TRANSLATE_NOOP("CoreMessages", "Restoring MLPs at the last subject token: {done}/{total}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Tracing reference fact {index}/{total}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Reference trace done"),
    QT_TRANSLATE_NOOP("CoreMessages", "Checked {done} of {total} facts, {known} known"),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} knows {known}"),
    # fine-tuning lab (core/finetune/*)
    QT_TRANSLATE_NOOP("CoreMessages", "The LoRA rank must be at least 1."),
    QT_TRANSLATE_NOOP("CoreMessages", "The LoRA alpha must be positive."),
    QT_TRANSLATE_NOOP("CoreMessages", "The LoRA dropout must be at least 0 and below 1."),
    QT_TRANSLATE_NOOP("CoreMessages", "Prompt and prefix tuning need at least one virtual token."),
    QT_TRANSLATE_NOOP("CoreMessages", "Initialising the soft prompt from text needs a text."),
    QT_TRANSLATE_NOOP(
        "CoreMessages", "There is no default {method} target for '{model_type}' models; choose the modules to adapt."
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "The model has no module '{target}' to adapt."),
    QT_TRANSLATE_NOOP("CoreMessages", "The model has no module '{target}' to adapt. Choose from: {choices}."),
    QT_TRANSLATE_NOOP("CoreMessages", "This model has no bias terms, so BitFit has nothing to train."),
    QT_TRANSLATE_NOOP("CoreMessages", "Choose a folder to save the adapter in."),
    QT_TRANSLATE_NOOP("CoreMessages", "The learning rate must be positive; leave it unset for the method's default."),
    QT_TRANSLATE_NOOP("CoreMessages", "The batch size must be at least 1."),
    QT_TRANSLATE_NOOP("CoreMessages", "Train for a positive number of epochs or steps."),
    QT_TRANSLATE_NOOP("CoreMessages", "There are no training examples."),
    QT_TRANSLATE_NOOP("CoreMessages", "The method left nothing to train."),
    QT_TRANSLATE_NOOP("CoreMessages", "Resuming needs an output folder with a checkpoint."),
    QT_TRANSLATE_NOOP("CoreMessages", "There is no checkpoint in {folder} to resume from."),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "The checkpoint in {folder} was made with other settings; resume with the same method, data and "
        "training settings, or start afresh.",
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "The checkpoint in {folder} does not fit this model."),
    QT_TRANSLATE_NOOP("CoreMessages", "The data file {path} does not exist."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name}, line {number}: not valid JSON ({error})."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} holds no examples."),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        '{name}, line {number}: expected an object with a non-empty "text", or "prompt" and a non-empty "completion" (both strings).',
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} is not UTF-8 text."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name} holds no text."),
    QT_TRANSLATE_NOOP("CoreMessages", "{name}: fine-tuning data must be JSONL ({jsonl}) or text ({text})."),
    QT_TRANSLATE_NOOP("CoreMessages", "No example of {name} has a token left to train on within {count} tokens."),
    QT_TRANSLATE_NOOP("CoreMessages", "The maximum example length must be at least 2 tokens."),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "{reserved} virtual tokens leave no room for examples in the model's context of {limit} tokens; use fewer.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "The demo world's fine-tuning set ({name}) is missing from {folder}; choose a data file instead.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "{cut} of {count} examples are longer than {limit} tokens and were cut there; the end of their "
        "completions is not trained on.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "An evaluation split of {fraction} of {count} example(s) holds out none, so there is no eval loss or "
        "eval curve; add examples or give an evaluation file.",
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "The evaluation fraction must be at least 0 and below 1."),
    QT_TRANSLATE_NOOP("CoreMessages", "An adapter named '{name}' is already applied; choose another name."),
    QT_TRANSLATE_NOOP(
        "CoreMessages", "{folder} is not an adapter folder: it has neither adapter_config.json nor {file}."
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "Remove the BitFit biases before applying a PEFT adapter."),
    QT_TRANSLATE_NOOP("CoreMessages", "{folder}/adapter_config.json is not a PEFT configuration ({error})."),
    QT_TRANSLATE_NOOP("CoreMessages", "{folder} holds a {kind} adapter, which the workbench does not apply."),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "A {method} adapter cannot be layered on {kinds} adapters (peft combines adapters of one kind only); "
        "clear the applied adapters first.",
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "The adapter in {folder} does not fit this model: {error}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Remove the PEFT adapters before applying BitFit biases."),
    QT_TRANSLATE_NOOP("CoreMessages", "One set of BitFit biases is applied already; remove it first."),
    QT_TRANSLATE_NOOP("CoreMessages", "The BitFit biases in {folder} do not fit this model ({names})."),
    QT_TRANSLATE_NOOP("CoreMessages", "No adapter named {names} is applied."),
    QT_TRANSLATE_NOOP("CoreMessages", "Choose at least one adapter to activate (or disable adapters)."),
    QT_TRANSLATE_NOOP(
        "CoreMessages", "Only LoRA or IA3 adapters can be stacked; prompt, prefix and BitFit work alone."
    ),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "Only active LoRA or IA3 adapters can be merged: prompt and prefix tuning add virtual tokens, and BitFit "
        "already changes the weights themselves.",
    ),
    QT_TRANSLATE_NOOP(
        "CoreMessages",
        "Model edits are in the weights: revert them in the Model Editing ledger before merging, unmerging or "
        "changing merged adapters. A reverted edit restores the exact weights it replaced, so an adapter update "
        "merged or unmerged under it would be lost or doubled.",
    ),
    QT_TRANSLATE_NOOP("CoreMessages", "Run {run_id} has no adapter stored in this project."),
    QT_TRANSLATE_NOOP("CoreMessages", "Open a project to apply an adapter stored in it."),
    QT_TRANSLATE_NOOP("CoreMessages", "Choose an adapter folder to load."),
    QT_TRANSLATE_NOOP("CoreMessages", "Unknown adapter operation '{action}'."),
    QT_TRANSLATE_NOOP("CoreMessages", "No adapter is applied: train or load one to compare with the base model."),
    QT_TRANSLATE_NOOP("CoreMessages", "Give prompts to continue or a text to score."),
    #   progress (core/finetune/run.py, training.py, compare.py)
    QT_TRANSLATE_NOOP("CoreMessages", "Removing the applied adapters"),
    QT_TRANSLATE_NOOP("CoreMessages", "Measuring the base model"),
    QT_TRANSLATE_NOOP("CoreMessages", "step {step}/{total}: loss {loss}"),
    QT_TRANSLATE_NOOP("CoreMessages", "step {step}/{total}: loss {loss}, eval loss {eval_loss}"),
    QT_TRANSLATE_NOOP("CoreMessages", "Adapted model"),
    QT_TRANSLATE_NOOP("CoreMessages", "Base model"),
    QT_TRANSLATE_NOOP("CoreMessages", "Compared"),
)


@cache
def _pattern(template: str) -> re.Pattern[str]:
    """``"Loaded {model}"`` → a regex that reads ``model`` back out of ``"Loaded demo"``.  Written as
    for ``str.format``: ``{{`` and ``}}`` are literal braces, a field named twice must hold the same text."""
    regex, seen = [], set()
    for literal, field, _spec, _conversion in Formatter().parse(template):
        regex.append(re.escape(literal))
        if field is not None:
            regex.append(f"(?P={field})" if field in seen else f"(?P<{field}>.+?)")
            seen.add(field)
    return re.compile(f"{''.join(regex)}$", re.DOTALL)


@cache
def _literal_length(template: str) -> int:
    return sum(len(literal) for literal, *_ in Formatter().parse(template))


def translate_core_message(message: str) -> str:
    """``message`` in the interface language when it is a listed core sentence, else as is.  Where
    several templates match (``"{name} is empty."`` and ``"The prompt is empty."``), the one with the
    most fixed text wins, so the order of ``TEMPLATES`` does not matter."""
    if not message:
        return message
    best: tuple[int, str, dict[str, str]] | None = None
    for template in TEMPLATES:
        found = _pattern(template).match(message)
        if found is not None and (best is None or _literal_length(template) > best[0]):
            best = (_literal_length(template), template, found.groupdict())
    if best is None:
        return message
    _length, template, fields = best
    return QCoreApplication.translate(CONTEXT, template).format(**fields)
