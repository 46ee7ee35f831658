"""What a T-Patcher key sees: the FFN inputs of a layer, on the edit prompt and on the memory set.

The memory set (Huang et al., 2023, §3.2; book §5.3) is text unrelated to the edit on which
the patch neuron must stay silent.  The paper samples it from the task's training inputs;
here it is a fixed seeded sample of the demo world's text: sentences of its encyclopedia and
the statements of a fact file (each record's prompt with its true answer, English and
Chinese) — the latter teach the patch to tell the edited subject from others asked the same
way.  Their FFN inputs at a layer depend only on the layers below it, so they are computed
once per model, layer and model state and cached.
"""

from __future__ import annotations

import json
import random
import re
import weakref
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import torch
from torch import nn

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken
from workbench.base.paths import DEMO_WORLD_DIR
from workbench.core.editing.article_text import readable_text
from workbench.core.editing.cases import load_cases
from workbench.core.editing.params import EditRequest
from workbench.core.han import has_han
from workbench.core.model.arch import ArchAdapter
from workbench.core.model.hf_config import text_config
from workbench.core.tracing.facts import load_facts

_SENTENCE_END = re.compile(r"(?<=[.!?。！？])\s*|\n+")
_MAX_TOKENS = 48
"""Memory sentences are cut to this many tokens (enough context, small cost)."""
_BATCH = 32


class _Captured(Exception):
    """Stops a forward pass once the FFN input of the wanted layer is captured."""


def ffn_input_module(model: nn.Module, adapter: ArchAdapter, layer: int) -> nn.Module:
    """The FFN's first input projection: its input is the FFN input x (after the block's
    norm) for every family, OPT included (whose ``mlp`` is fc2)."""
    return model.get_submodule(f"{adapter.block_path(layer)}.{adapter.mlp_up[0]}")


@torch.no_grad()
def ffn_inputs(
    model: nn.Module,
    adapter: ArchAdapter,
    layer: int,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
) -> torch.Tensor:
    """(batch, tokens, d_model) FFN inputs of ``layer``; the pass stops right after that layer's
    FFN input is known, so upper layers cost nothing."""
    captured: list[torch.Tensor] = []

    def capture(_module: nn.Module, args: tuple) -> None:
        captured.append(args[0].detach())
        raise _Captured

    handle = ffn_input_module(model, adapter, layer).register_forward_pre_hook(capture)
    try:
        model(input_ids=input_ids, attention_mask=attention_mask, use_cache=False)
    except _Captured:
        pass
    finally:
        handle.remove()
    x = captured[0]
    return x.reshape(*input_ids.shape, x.shape[-1])  # OPT flattens the tokens


@lru_cache(maxsize=1)
def demo_corpus_sentences() -> tuple[str, ...]:
    """Distinct sentences of the demo encyclopedia, in file order."""
    folder = DEMO_WORLD_DIR / "encyclopedia"
    sentences: dict[str, None] = {}
    for line in (folder / "index.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        text = readable_text((folder / entry["document"]).read_text(encoding="utf-8"), entry["format"])
        for sentence in _SENTENCE_END.split(text):
            sentence = sentence.strip().lstrip("#*- ").strip()
            if len(sentence) >= 8:
                sentences[sentence] = None
    return tuple(sentences)


@lru_cache(maxsize=4)
def fact_statements(path: str) -> tuple[str, ...]:
    """Each record of a fact file as a statement: its prompt, subject filled in, and true answer."""
    return tuple(dict.fromkeys(fact.text + fact.target for fact in load_facts(path)))


def neighbourhood_prompts(path: str, case_id: int | None) -> tuple[str, ...]:
    """The neighbourhood prompts of record ``case_id``: locality is measured on them, so they
    are held out of the memory set (as the paper's test inputs are not in its memory)."""
    if case_id is None:
        return ()
    for case in load_cases(path):
        if case.request.case_id == case_id:
            return case.neighborhood_prompts
    return ()


def hard_negative_prompts(path: str, request: EditRequest, held_out: Sequence[str] = ()) -> tuple[str, ...]:
    """Prompts that look like the edit but must keep their answers: the edit's question
    asked about the fact file's other subjects ("Zeni is located in" for "Anoda is located
    in"), the edit's subject asked the file's other questions ("Anoda is famous for its"),
    and the memory sentences that lead up to the edit's old answer about something else
    ("The city of Dasen lies in" before " Ensia").

    A random memory sample holds few of them, yet they are where a key that only learned
    "a city's country is asked" or "the answer is Ensia" fires.  Held-out prompts (what
    locality is measured on) and sentences about the subject are left out, so the
    evaluation stays fair.
    """
    subject, edited = request.subject, request.rendered()
    # the edit's question with {} for the subject, however the prompt was typed: a prompt typed
    # with its subject in it ("The zebra lives in") used to miss its own question, so the edit
    # prompt itself became a hard negative and the patch was taught to stay silent on it
    question = request.prompt if "{}" in request.prompt else request.prompt.replace(subject, "{}", 1)
    facts = load_facts(path)
    same_question = [f.text for f in facts if f.prompt == question and f.subject != subject]
    same_subject = [f.text for f in facts if f.subject == subject and f.prompt != question]
    answer = request.target_true.strip()
    same_answer = [
        sentence[: sentence.index(answer)].rstrip()
        for sentence in demo_corpus_sentences() + fact_statements(path)
        if answer and answer in sentence and not mentions(sentence, subject)
    ]
    held = tuple(held_out)
    return tuple(
        text
        for text in dict.fromkeys((*same_question, *same_subject, *same_answer))
        if text and text != edited and not text.startswith(held)
    )


def mentions(sentence: str, subject: str) -> bool:
    """Whether ``sentence`` is about ``subject``, in any case ("Zebras live in …" is about the
    zebra: left among the hard negatives, it asked the patch to stay silent on the edit)."""
    return subject.casefold() in sentence.casefold()


def context_prefixes(request: EditRequest, count: int, seed: int) -> list[str]:
    """``count`` demo-encyclopedia sentences in the prompt's script (Chinese or not) that do
    not mention the subject, drawn with ``seed``: the edit prompt is also trained behind
    them, so the patch fires on the fact, not on one exact string (ROME averages its key
    over prefixed prompts for the same reason)."""
    chinese = has_han(request.rendered())
    pool = [s for s in demo_corpus_sentences() if has_han(s) == chinese and request.subject not in s]
    return random.Random(seed).sample(pool, min(count, len(pool)))


@dataclass
class EditRows:
    """The edit prompt (row 0) and its prefixed copies, each followed by the new target but
    its last token, right-padded; where the patch must fire and what it must make likely."""

    ids: torch.Tensor
    mask: torch.Tensor
    last_prompt_token: torch.Tensor
    """(rows,) position of each row's last prompt token."""
    answer_rows: torch.Tensor
    answer_positions: torch.Tensor
    """Where each target token is predicted (row, position), flattened."""
    labels: torch.Tensor


def edit_rows(tokenizer, request: EditRequest, prefixes: Sequence[str], device: torch.device) -> EditRows:
    target_ids = tokenizer(request.target_new, add_special_tokens=False)["input_ids"]
    separator = "" if has_han(request.rendered()) else " "
    texts = [request.rendered()] + [p + separator + request.rendered() for p in prefixes]
    prompts = [tokenizer(t)["input_ids"] for t in texts]
    if not prompts[0] or not target_ids:
        raise InvalidParameters("The edit prompt or the new target has no tokens.")
    rows = [p + target_ids[:-1] for p in prompts]
    width = max(len(r) for r in rows)
    ids = torch.zeros(len(rows), width, dtype=torch.long)
    mask = torch.zeros_like(ids)
    answer_rows: list[int] = []
    answer_positions: list[int] = []
    for i, row in enumerate(rows):
        ids[i, : len(row)] = torch.tensor(row)
        mask[i, : len(row)] = 1
        answer_rows += [i] * len(target_ids)
        answer_positions += range(len(prompts[i]) - 1, len(row))
    return EditRows(
        ids=ids.to(device),
        mask=mask.to(device),
        last_prompt_token=torch.tensor([len(p) - 1 for p in prompts], device=device),
        answer_rows=torch.tensor(answer_rows, device=device),
        answer_positions=torch.tensor(answer_positions, device=device),
        labels=torch.tensor(target_ids * len(rows), device=device),
    )


@dataclass
class MemoryInputs:
    """FFN inputs of every token of the memory sentences at one layer."""

    sentences: list[str]
    inputs: torch.Tensor
    """(tokens, d_model), float32, on the model's device."""
    sentence_of_token: torch.Tensor
    """(tokens,) index into ``sentences``."""

    def last_tokens(self) -> torch.Tensor:
        """(sentences, d_model): the input at each sentence's last token, where a prompt's
        next word is predicted."""
        owner = self.sentence_of_token
        last = torch.ones_like(owner, dtype=torch.bool)
        last[:-1] = owner[1:] != owner[:-1]
        return self.inputs[last]

    def excluding(self, subject: str, prefixes: Sequence[str] = ()) -> torch.Tensor:
        """The inputs of sentences that neither mention ``subject`` (a sentence stating the
        old fact must not be a place where the patch stays silent) nor start with one of
        ``prefixes`` (prompts an evaluation holds out)."""
        keep = torch.tensor(
            [not mentions(s, subject) and not s.startswith(tuple(prefixes)) for s in self.sentences],
            dtype=torch.bool,
        )
        mask = keep.to(self.inputs.device)[self.sentence_of_token]
        return self.inputs[mask]


_CACHE: weakref.WeakKeyDictionary[nn.Module, dict[Hashable, MemoryInputs]] = weakref.WeakKeyDictionary()


def memory_inputs(
    model: nn.Module,
    tokenizer,
    adapter: ArchAdapter,
    layer: int,
    size: int,
    seed: int,
    facts: str,
    model_state: Hashable,
    cancel: CancelToken,
) -> MemoryInputs:
    """The FFN inputs at ``layer`` of ``size`` sentences drawn from the demo encyclopedia and
    the statements of the fact file ``facts`` (cached per model, layer, size, seed, file and
    ``model_state`` — whatever identifies the weights and patches below the layer)."""
    key = (layer, size, seed, facts, model_state)
    per_model = _CACHE.setdefault(model, {})
    if key not in per_model:
        per_model.clear()  # an older state of this model will not come back
        pool = demo_corpus_sentences() + fact_statements(facts)
        sentences = random.Random(seed).sample(pool, min(size, len(pool)))
        per_model[key] = compute_memory_inputs(model, tokenizer, adapter, layer, sentences, cancel)
    return per_model[key]


def compute_memory_inputs(
    model: nn.Module,
    tokenizer,
    adapter: ArchAdapter,
    layer: int,
    sentences: list[str],
    cancel: CancelToken,
) -> MemoryInputs:
    """The FFN inputs at ``layer`` of every token of ``sentences`` (cut to 48 tokens),
    batched; the passes stop at the layer."""
    device = next(model.parameters()).device
    limit = min(
        _MAX_TOKENS,
        getattr(text_config(model), "max_position_embeddings", _MAX_TOKENS) or _MAX_TOKENS,
    )
    inputs: list[torch.Tensor] = []
    owners: list[torch.Tensor] = []
    for start in range(0, len(sentences), _BATCH):
        cancel.raise_if_cancelled()
        batch = [tokenizer(s)["input_ids"][:limit] for s in sentences[start : start + _BATCH]]
        width = max(len(ids) for ids in batch)
        ids = torch.zeros(len(batch), width, dtype=torch.long, device=device)
        mask = torch.zeros_like(ids)
        for row, token_ids in enumerate(batch):
            ids[row, : len(token_ids)] = torch.tensor(token_ids, device=device)
            mask[row, : len(token_ids)] = 1
        x = ffn_inputs(model, adapter, layer, ids, mask)
        real = mask.bool()
        inputs.append(x[real].float())
        rows = torch.arange(start, start + len(batch), device=device)[:, None].expand_as(ids)
        owners.append(rows[real])
    return MemoryInputs(
        sentences=sentences,
        inputs=torch.cat(inputs),
        sentence_of_token=torch.cat(owners),
    )
