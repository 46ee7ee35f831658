"""The prompt as the trace sees it: token ids, readable token texts, the subject's span and
the target token."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import torch

from workbench.base.errors import InvalidParameters
from workbench.core.tracing.results import Prediction, PromptPreview
from workbench.core.tracing.subject import subject_tokens


@dataclass
class TracePrompt:
    text: str
    input_ids: torch.Tensor
    """(1, tokens) on the model's device."""
    tokens: list[str]
    subject_range: tuple[int, int]
    warnings: list[str] = field(default_factory=list)
    """Legal but suspicious subjects: one that occurs twice, one that is the whole prompt."""

    @property
    def length(self) -> int:
        return int(self.input_ids.shape[1])


def prepare_prompt(
    tokenizer: Any,
    prompt: str,
    subject: str,
    subject_span: tuple[int, int] | None,
    device: torch.device,
) -> TracePrompt:
    """Tokenize ``prompt`` (with the model's usual special tokens) and locate the subject,
    by token span when given, else by finding its text in the prompt."""
    ids, offsets, tokens = _tokenize(tokenizer, prompt)
    if subject_span is not None:
        start, end = int(subject_span[0]), int(subject_span[1])
        if not 0 <= start < end <= len(ids):
            raise InvalidParameters(f"The subject span [{start}, {end}) is not inside the prompt's {len(ids)} tokens.")
    else:
        start, end = subject_tokens(prompt, subject, offsets)
    input_ids = torch.tensor([ids], dtype=torch.long, device=device)
    warnings = subject_warnings(prompt, subject, (start, end), offsets)
    return TracePrompt(text=prompt, input_ids=input_ids, tokens=tokens, subject_range=(start, end), warnings=warnings)


def subject_warnings(prompt: str, subject: str, span: tuple[int, int], offsets: list[tuple[int, int]]) -> list[str]:
    """Why a trace of this subject may not mean what the user thinks (it still runs)."""
    warnings = []
    text = subject.strip()
    count = (prompt.count(text) or prompt.casefold().count(text.casefold())) if text else 0
    if count > 1:
        try:
            first = subject_tokens(prompt, text, offsets)
        except InvalidParameters:  # the typed text is not what the selected span covers
            first = None
        if first == span:  # the tokens traced are the first of several occurrences
            warnings.append(
                f"The subject '{text}' occurs {count} times in the prompt; only its first occurrence "
                f"(tokens {span[0]}–{span[1] - 1}) is corrupted. Select the tokens to trace another one."
            )
    words = [i for i, (start, end) in enumerate(offsets) if end > start]  # special tokens have no text
    if words and span[0] <= words[0] and span[1] > words[-1]:
        warnings.append(
            "The subject is the whole prompt, so every token is corrupted and the trace cannot tell "
            "the subject's tokens from the rest; give a prompt that continues after the subject."
        )
    return warnings


def _tokenize(tokenizer: Any, prompt: str) -> tuple[list[int], list[tuple[int, int]], list[str]]:
    """Ids, character offsets and readable texts (the prompt's own characters) of the tokens."""
    ids, offsets = _encode_with_offsets(tokenizer, prompt)
    if not ids:
        raise InvalidParameters("The prompt has no tokens.")
    tokens = [
        prompt[start:end] if end > start else tokenizer.convert_ids_to_tokens(token_id)
        for token_id, (start, end) in zip(ids, offsets)
    ]
    return ids, offsets, tokens


@torch.inference_mode()
def preview_prompt(model: Any, tokenizer: Any, prompt: str, k: int) -> PromptPreview:
    """The prompt's tokens (for the panel's chips) and the model's top-``k`` next tokens
    (the targets it offers): one forward pass, no noise."""
    if not prompt.strip():
        raise InvalidParameters("The prompt is empty.")
    ids, offsets, tokens = _tokenize(tokenizer, prompt)
    device = next(model.parameters()).device
    logits = model(torch.tensor([ids], device=device), use_cache=False, logits_to_keep=1).logits
    probs = torch.softmax(logits[0, -1].float(), dim=-1)
    return PromptPreview(
        prompt=prompt,
        tokens=tokens,
        offsets=[(int(a), int(b)) for a, b in offsets],
        top_predictions=top_predictions(tokenizer, probs, k),
    )


def _encode_with_offsets(tokenizer: Any, prompt: str) -> tuple[list[int], list[tuple[int, int]]]:
    """Token ids and each token's character span in ``prompt`` ((0, 0) for special tokens).

    Fast tokenizers report offsets; for others the span of token ``i`` is where the decoded
    prefix of ``i + 1`` tokens ends, which is how ROME locates subjects.
    """
    if getattr(tokenizer, "is_fast", False):
        encoded = tokenizer(prompt, return_offsets_mapping=True)
        return list(encoded["input_ids"]), [(int(a), int(b)) for a, b in encoded["offset_mapping"]]
    ids = list(tokenizer(prompt)["input_ids"])
    special = set(getattr(tokenizer, "all_special_ids", []))
    offsets, previous = [], 0
    for i, token_id in enumerate(ids):
        if token_id in special:
            offsets.append((previous, previous))
            continue
        end = len(tokenizer.decode(ids[: i + 1], skip_special_tokens=True))
        offsets.append((previous, max(previous, end)))
        previous = max(previous, end)
    return ids, offsets


def needs_space(prompt: str, text: str) -> bool:
    """Whether an object written after the prompt is separated by a space, as in
    "… the city of" + " Paris" (but not "北京是" + "中国")."""
    return (
        bool(prompt and text)
        and not prompt[-1].isspace()
        and not text[0].isspace()
        and (prompt[-1].isascii() and text[0].isascii())
    )


def target_token_id(tokenizer: Any, prompt: str, text: str) -> int:
    """The first token of ``text`` as the model would read it right after ``prompt``."""
    if not text.strip():
        raise InvalidParameters("The target is empty.")
    continued = prompt + (" " if needs_space(prompt, text) else "") + text
    prompt_ids = list(tokenizer(prompt)["input_ids"])
    full_ids = list(tokenizer(continued)["input_ids"])
    if full_ids[: len(prompt_ids)] == prompt_ids and len(full_ids) > len(prompt_ids):
        return int(full_ids[len(prompt_ids)])
    alone = tokenizer(continued[len(prompt) :], add_special_tokens=False)["input_ids"]
    if not alone:
        raise InvalidParameters(f"The target '{text}' has no tokens.")
    return int(alone[0])


def token_text(tokenizer: Any, token_id: int) -> str:
    return tokenizer.decode([int(token_id)])


def top_predictions(tokenizer: Any, probs: torch.Tensor, k: int) -> list[Prediction]:
    """The ``k`` most likely tokens of a (vocab,) probability vector."""
    values, indices = probs.float().topk(min(k, probs.shape[-1]))
    return [
        Prediction(token=token_text(tokenizer, i), token_id=int(i), prob=float(p))
        for p, i in zip(values.tolist(), indices.tolist())
    ]


def choose_target(
    tokenizer: Any,
    prompt: str,
    clean_probs: torch.Tensor,
    target: str | None,
    target_id: int | None,
) -> tuple[int, list[str]]:
    """The traced token and any warning about it.

    An explicit id is taken as is; an expected object is traced even when the clean model
    predicts something else (that is worth seeing), with a warning saying so; with neither,
    the model's own top prediction.
    """
    vocab = clean_probs.shape[-1]
    if target_id is not None:
        if not 0 <= target_id < vocab:
            raise InvalidParameters(f"Token id {target_id} is outside the vocabulary (0 … {vocab - 1}).")
        return int(target_id), []
    top_id = int(clean_probs.argmax())
    if target is None or not target.strip():
        return top_id, []
    chosen = target_token_id(tokenizer, prompt, target)
    if chosen >= vocab:
        raise InvalidParameters(f"The target '{target}' starts with a token the model has no output for.")
    warnings = []
    if chosen != top_id:
        warnings.append(
            f"The model predicts '{token_text(tokenizer, top_id)}' (p={float(clean_probs[top_id]):.3f}), "
            f"not '{token_text(tokenizer, chosen)}' (p={float(clean_probs[chosen]):.3f}); "
            f"the trace follows '{token_text(tokenizer, chosen)}'."
        )
    return chosen, warnings
