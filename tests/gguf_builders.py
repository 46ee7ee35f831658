"""Tiny GGUF files written in the test itself with ``gguf``'s writer (no downloads).

``write_tiny_llama_gguf`` stores a tiny Llama (from ``model_builders``) the way llama.cpp's
converter does: llama.cpp tensor names, Q/K rows permuted for its rotary layout, a byte-level
BPE tokenizer in the metadata.  A plain module, imported by the tests that need ``gguf``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
from model_builders import build_tiny_llama, build_tiny_tokenizer


def _permute(weights: np.ndarray, n_head: int) -> np.ndarray:
    """llama.cpp's ``LlamaModel.permute`` (convert_hf_to_gguf.py): HF rotary halves → interleaved."""
    return (
        weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:])
        .swapaxes(1, 2)
        .reshape(weights.shape)
    )


def write_tiny_llama_gguf(
    path: Path,
    *,
    quant: str = "F32",
    licence: str = "mit",
    architecture: str = "llama",
    seed: int = 0,
) -> tuple[Any, Any]:
    """Write a 2-layer Llama and its tokenizer to ``path``; returns ``(model, tokenizer)``.

    ``quant`` is ``F32`` or ``Q8_0`` (2-D weights quantised, norms kept F32);
    ``architecture`` may be set to a name transformers does not know, for refusal tests.
    """
    import gguf

    tokenizer = build_tiny_tokenizer()
    model = build_tiny_llama(len(tokenizer), seed=seed, bos_token_id=0, eos_token_id=0, tie_word_embeddings=False)
    config = model.config
    n_head, n_kv = config.num_attention_heads, config.num_key_value_heads
    state = {name: tensor.detach().float().numpy() for name, tensor in model.state_dict().items()}

    writer = gguf.GGUFWriter(str(path), architecture)
    writer.add_name("Tiny Llama")
    writer.add_license(licence)
    writer.add_context_length(config.max_position_embeddings)
    writer.add_embedding_length(config.hidden_size)
    writer.add_block_count(config.num_hidden_layers)
    writer.add_feed_forward_length(config.intermediate_size)
    writer.add_head_count(n_head)
    writer.add_head_count_kv(n_kv)
    writer.add_rope_dimension_count(config.hidden_size // n_head)
    writer.add_rope_freq_base(float(config.rope_parameters["rope_theta"]))
    writer.add_layer_norm_rms_eps(config.rms_norm_eps)
    writer.add_vocab_size(config.vocab_size)
    file_type = gguf.LlamaFileType.ALL_F32 if quant == "F32" else gguf.LlamaFileType.MOSTLY_Q8_0
    writer.add_file_type(file_type)

    vocab = tokenizer.get_vocab()
    tokens = [token for token, _ in sorted(vocab.items(), key=lambda item: item[1])]
    merges = json.loads(tokenizer.backend_tokenizer.to_str())["model"]["merges"]
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    special = set(tokenizer.all_special_tokens)
    writer.add_token_types([3 if token in special else 1 for token in tokens])
    writer.add_token_merges([m if isinstance(m, str) else " ".join(m) for m in merges])
    writer.add_bos_token_id(0)
    writer.add_eos_token_id(0)
    writer.add_add_bos_token(False)

    def add(name: str, array: np.ndarray) -> None:
        array = np.ascontiguousarray(array, dtype=np.float32)
        if quant == "Q8_0" and array.ndim == 2:
            packed = gguf.quants.quantize(array, gguf.GGMLQuantizationType.Q8_0)
            writer.add_tensor(name, packed, raw_shape=packed.shape, raw_dtype=gguf.GGMLQuantizationType.Q8_0)
        else:
            writer.add_tensor(name, array)

    add("token_embd.weight", state["model.embed_tokens.weight"])
    add("output_norm.weight", state["model.norm.weight"])
    add("output.weight", state["lm_head.weight"])
    for i in range(config.num_hidden_layers):
        hf = f"model.layers.{i}."
        add(f"blk.{i}.attn_norm.weight", state[hf + "input_layernorm.weight"])
        add(f"blk.{i}.attn_q.weight", _permute(state[hf + "self_attn.q_proj.weight"], n_head))
        add(f"blk.{i}.attn_k.weight", _permute(state[hf + "self_attn.k_proj.weight"], n_kv))
        add(f"blk.{i}.attn_v.weight", state[hf + "self_attn.v_proj.weight"])
        add(f"blk.{i}.attn_output.weight", state[hf + "self_attn.o_proj.weight"])
        add(f"blk.{i}.ffn_norm.weight", state[hf + "post_attention_layernorm.weight"])
        add(f"blk.{i}.ffn_gate.weight", state[hf + "mlp.gate_proj.weight"])
        add(f"blk.{i}.ffn_up.weight", state[hf + "mlp.up_proj.weight"])
        add(f"blk.{i}.ffn_down.weight", state[hf + "mlp.down_proj.weight"])

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return model, tokenizer
