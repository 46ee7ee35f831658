"""The few things decoding needs from a Hugging Face causal LM, in one place.

Encoding the prompt, one cached forward pass, the end-of-sequence ids and the context limit:
greedy/sampling (``decode``) and beam search (``beam``) both go through this wrapper.

A soft prompt or prefix trained in the fine-tuning lab (prompt tuning, prefix tuning; book
§4.5.1) enters here, on the first forward pass only: its virtual token embeddings go before
the prompt's, or its key/value prefix becomes the initial cache.  Every later step runs the
base model on that cache, which is what PEFT's own ``generate`` does.
"""

from __future__ import annotations

import torch

from workbench.base.errors import InvalidParameters
from workbench.core.model.kv_cache import returned_cache, with_cache
from workbench.core.model.logits_keep import keep_last
from workbench.core.sampling.params import SamplingParams


class LanguageModel:
    """A causal LM and its tokenizer as seen by the decoders (inference only)."""

    def __init__(self, model, tokenizer, device: torch.device | None = None, soft_prompt=None) -> None:
        """``soft_prompt``: a PEFT prompt-learning model around ``model`` whose active adapter
        is prepended (None: the bare model)."""
        self.model = model
        self.soft_prompt = soft_prompt
        self.virtual_tokens = 0 if soft_prompt is None else int(soft_prompt.active_peft_config.num_virtual_tokens)
        self.tokenizer = tokenizer
        self.device = device if device is not None else next(model.parameters()).device
        self.vocab_size = int(model.get_output_embeddings().weight.shape[0])
        config = model.config.get_text_config() if hasattr(model.config, "get_text_config") else model.config
        self.max_positions: int | None = getattr(config, "max_position_embeddings", None) or getattr(
            config, "n_positions", None
        )

    def eos_ids(self) -> frozenset[int]:
        """End-of-sequence ids as ``generate`` sees them: the generation config first, then the tokenizer."""
        generation_config = getattr(self.model, "generation_config", None)
        eos = getattr(generation_config, "eos_token_id", None)
        if eos is None:
            eos = getattr(self.model.config, "eos_token_id", None)
        if eos is None:
            eos = self.tokenizer.eos_token_id
        if eos is None:
            return frozenset()
        return frozenset([eos] if isinstance(eos, int) else eos)

    @property
    def has_chat_template(self) -> bool:
        return bool(getattr(self.tokenizer, "chat_template", None))

    def encode(self, text: str, chat: bool = False) -> list[int]:
        """Prompt ids the way a person passes ``tokenizer(prompt)`` to ``generate`` (BOS where the
        model adds one); with ``chat`` and a model that has a chat template, ``text`` is a user
        turn followed by the assistant's opening, as ``apply_chat_template`` writes it."""
        if chat and self.has_chat_template:
            rendered = self.tokenizer.apply_chat_template(
                [{"role": "user", "content": text}], add_generation_prompt=True, tokenize=False
            )
            return list(self.tokenizer(rendered, add_special_tokens=False)["input_ids"])
        return list(self.tokenizer(text)["input_ids"])

    def check_request(self, prompt_ids: list[int], params: SamplingParams) -> None:
        """Model-dependent checks: ids in the vocabulary and the whole run within the context."""
        if not prompt_ids:
            raise InvalidParameters("The prompt encodes to no tokens; type some text.")
        bad = [i for i in params.forced_prefix_ids if i >= self.vocab_size]
        if bad:
            raise InvalidParameters(f"Token id {bad[0]} is outside the model's vocabulary of {self.vocab_size}.")
        total = self.virtual_tokens + len(prompt_ids) + params.max_new_tokens
        if self.max_positions is not None and total > self.max_positions:
            virtual = f" after the soft prompt's {self.virtual_tokens} virtual tokens" if self.virtual_tokens else ""
            raise InvalidParameters(
                f"The prompt ({len(prompt_ids)} tokens) plus {params.max_new_tokens} new tokens{virtual} exceeds "
                f"the model's context of {self.max_positions} tokens; shorten one of them."
            )

    @property
    def identity(self) -> tuple[int, str | None]:
        """What a step-mode session was started on: the model and the active soft prompt."""
        adapter = None if self.soft_prompt is None else str(self.soft_prompt.active_adapter)
        return id(self.model), adapter

    def forward(self, input_ids: torch.Tensor, cache, keep: int = 1):
        """Run ``input_ids`` [B, T] after ``cache``; float32 logits of the last ``keep`` positions and the cache."""
        extra = keep_last(self.model, keep)
        ids: torch.Tensor | None = input_ids
        if cache is None and self.soft_prompt is not None:
            extra.update(self._soft_prompt_inputs(input_ids))
            ids = None if "inputs_embeds" in extra else input_ids
            cache = extra.pop("cache", None)
        output = self.model(input_ids=ids, use_cache=True, **with_cache(self.model, cache), **extra)
        return output.logits[:, -keep:].float(), returned_cache(output)

    def _soft_prompt_inputs(self, input_ids: torch.Tensor) -> dict:
        """First-pass inputs with the soft prompt: embeddings before the prompt's (prompt tuning)
        or the learned key/value prefix as the cache, with a mask that covers it (prefix tuning)."""
        batch = input_ids.shape[0]
        learned = self.soft_prompt.get_prompt(batch_size=batch)
        if isinstance(learned, torch.Tensor):
            embeddings = self.model.get_input_embeddings()(input_ids)
            return {"inputs_embeds": torch.cat([learned.to(embeddings.dtype), embeddings], dim=1)}
        mask = torch.ones(batch, self.virtual_tokens + input_ids.shape[1], dtype=torch.long, device=input_ids.device)
        return {"cache": learned, "attention_mask": mask}
