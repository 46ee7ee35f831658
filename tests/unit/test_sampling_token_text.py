"""Display strings of single tokens must read as they do inside the generated text."""

from __future__ import annotations

from tokenizers import Tokenizer, decoders, models, pre_tokenizers
from transformers import PreTrainedTokenizerFast

from workbench.core.sampling.recording import TokenText


def _sentencepiece_style_tokenizer() -> PreTrainedTokenizerFast:
    """A word-level tokenizer with the Metaspace pre-tokenizer/decoder of Llama-style models."""
    vocab = {"<unk>": 0, "▁a": 1, "a": 2, "▁Paris": 3, "▁is": 4, "ris": 5, "▁Pa": 6}
    backend = Tokenizer(models.WordLevel(vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    backend.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    return PreTrainedTokenizerFast(tokenizer_object=backend, unk_token="<unk>")


def test_sentencepiece_word_start_keeps_its_space() -> None:
    tokenizer = _sentencepiece_style_tokenizer()
    assert tokenizer.decode([3]) == "Paris"  # the decoder strips the first token's space …
    assert TokenText(tokenizer)([3, 4, 5]) == (" Paris", " is", "ris")  # … the display does not


def test_tokens_joined_give_the_decoded_text(tiny_tokenizer) -> None:
    ids = tiny_tokenizer("the cat sat on the mat", add_special_tokens=False)["input_ids"]
    shown = TokenText(tiny_tokenizer)(ids)
    assert "".join(shown) == tiny_tokenizer.decode(ids)
