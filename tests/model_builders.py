"""Tiny random-weight models and a tokenizer built in a blink (no downloads), for tests and benches.

A plain module (not conftest) so test files import it by name: two conftest.py files
would shadow each other under the same module name.
"""

from __future__ import annotations

_TOKENIZER_CORPUS = [
    "The Eiffel Tower is located in the city of Paris.",
    "Danielle Darrieux's mother tongue is French.",
    "Once upon a time a giraffe lived near the river and told stories to the zebras.",
    "context: Lumora is a city in Vestland. question: Where is Lumora? answer: Vestland",
    "长颈鹿住在河边，斑马的颜色是黑白相间的。",
    "北京是中国的首都。小明出生在杭州，他的母语是汉语。",
    "0 1 2 3 4 5 6 7 8 9 , . ! ? : ; ' \" ( ) - ",
]


def build_tiny_tokenizer(vocab_size: int = 400):
    """A byte-level BPE trained in a blink on a few bilingual lines (HF fast tokenizer)."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=vocab_size,
        special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(_TOKENIZER_CORPUS * 4, trainer=trainer)
    fast = PreTrainedTokenizerFast(
        tokenizer_object=tokenizer,
        bos_token="<|endoftext|>",
        eos_token="<|endoftext|>",
        unk_token="<|endoftext|>",
    )
    return fast


def build_tiny_gpt2(vocab_size: int, seed: int = 0, n_layer: int = 3, n_embd: int = 32):
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel

    torch.manual_seed(seed)
    config = GPT2Config(
        vocab_size=vocab_size,
        n_positions=64,
        n_embd=n_embd,
        n_layer=n_layer,
        n_head=4,
        bos_token_id=0,
        eos_token_id=0,
    )
    return GPT2LMHeadModel(config).eval()


def build_tiny_llama(vocab_size: int, seed: int = 0, **config):
    """A 2-layer Llama: the gated-MLP, grouped-query family beside GPT-2's Conv1D one.

    ``config`` overrides the ``LlamaConfig`` fields (special-token ids, context length,
    initialiser range, heads) where a test needs them.
    """
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    torch.manual_seed(seed)
    settings = {
        "hidden_size": 32,
        "intermediate_size": 64,
        "num_hidden_layers": 2,
        "num_attention_heads": 4,
        "num_key_value_heads": 2,
        "max_position_embeddings": 64,
        **config,
    }
    return LlamaForCausalLM(LlamaConfig(vocab_size=vocab_size, **settings)).eval()


def build_tiny_gemma3(vocab_size: int, seed: int = 0):
    """A 2-layer Gemma 3 text model: its MLP output passes an RMSNorm before the residual
    stream (so the down-projection's output and the MLP's contribution differ), and its
    embedding module scales by √d itself."""
    import torch
    from transformers import Gemma3ForCausalLM, Gemma3TextConfig

    torch.manual_seed(seed)
    config = Gemma3TextConfig(
        vocab_size=vocab_size, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=4, num_key_value_heads=2, head_dim=8, max_position_embeddings=64,
        sliding_window=4, layer_types=["sliding_attention", "full_attention"],
        bos_token_id=0, eos_token_id=0, pad_token_id=0,
    )  # fmt: skip
    return Gemma3ForCausalLM(config).eval()


def build_tiny_neox(vocab_size: int, seed: int = 1):
    """A 2-layer GPT-NeoX: parallel attention and MLP, Linear (not Conv1D) weights."""
    import torch
    from transformers import GPTNeoXConfig, GPTNeoXForCausalLM

    torch.manual_seed(seed)
    config = GPTNeoXConfig(
        vocab_size=vocab_size, hidden_size=32, intermediate_size=64, num_hidden_layers=2,
        num_attention_heads=4, max_position_embeddings=64, bos_token_id=0, eos_token_id=0,
    )  # fmt: skip
    return GPTNeoXForCausalLM(config).eval()
