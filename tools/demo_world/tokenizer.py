"""The demo model's tokenizer: byte-level BPE with one token per Chinese character.

Byte-level BPE (as GPT-2) can encode any text.  Its usual pre-tokenizer, though, keeps a
run of Hanzi together as one "word", so merges would cross word boundaries (``是黑`` in
``斑马的颜色是黑白``) and the object's first token would depend on the prompt before it.
Splitting every CJK character off first makes Chinese tokenization compositional: a prompt
followed by its object tokenizes as the prompt's tokens then the object's, exactly as in
English where the object starts with a space.  A two- or three-character Chinese name is
then two or three tokens.
"""

from __future__ import annotations

from collections.abc import Iterable

from tokenizers import Regex, Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import PreTrainedTokenizerFast

END_OF_TEXT = "<|endoftext|>"
CJK_CHARACTER = "[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
"""CJK punctuation, unified ideographs and full-width forms: one pre-token each."""


def train_tokenizer(texts: Iterable[str], vocab_size: int, max_length: int) -> PreTrainedTokenizerFast:
    """Train the BPE on ``texts`` and wrap it as a Hugging Face fast tokenizer."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Split(Regex(CJK_CHARACTER), behavior="isolated"),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        ]
    )
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=[END_OF_TEXT],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(texts, trainer=trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token=END_OF_TEXT,
        eos_token=END_OF_TEXT,
        unk_token=END_OF_TEXT,
        pad_token=END_OF_TEXT,
        model_max_length=max_length,
    )
