"""ROME's key covariance: E[kkᵀ] of the down-projection inputs, cached in memory and in a project."""

from __future__ import annotations

import numpy as np
import torch
from model_builders import build_tiny_gpt2

from workbench.core.editing.covariance import RUN_KIND, CovarianceCache, key_covariance, rows_key, token_windows
from workbench.core.model.arch import adapter_for
from workbench.store.project import ProjectStore


def test_covariance_is_the_mean_outer_product_of_the_layer_keys(tiny_tokenizer) -> None:
    model = build_tiny_gpt2(len(tiny_tokenizer))
    adapter = adapter_for(model)
    text = "The Eiffel Tower is located in the city of Paris."
    matrix = key_covariance(model, tiny_tokenizer, adapter, 1, [text], tokens=1000)
    keys = []
    handle = adapter.module(model, "mlp_down", 1).register_forward_pre_hook(lambda m, a: keys.append(a[0][0]))
    with torch.no_grad():
        model(torch.tensor([tiny_tokenizer(text)["input_ids"]]))
    handle.remove()
    k = keys[0].double()
    np.testing.assert_allclose(matrix, (k.T @ k / k.shape[0]).numpy(), rtol=1e-4, atol=1e-6)


def test_corpus_rows_start_with_the_tokens_an_edit_prompt_starts_with(tiny_tokenizer) -> None:
    """A tokenizer that opens every text with <bos> (Gemma's) opens every corpus row with it
    too, so the keys in C are read in the context the edit prompt's keys are read in."""
    from copy import deepcopy

    from tokenizers.processors import TemplateProcessing

    with_bos = deepcopy(tiny_tokenizer)
    bos = with_bos.bos_token_id
    with_bos.backend_tokenizer.post_processor = TemplateProcessing(
        single=f"{with_bos.bos_token} $A", special_tokens=[(with_bos.bos_token, bos)]
    )
    rows = token_windows(with_bos, ["Paris is in France. Rome is in Italy."], tokens=100, window=128)
    assert [row[0] for row in rows] == [bos, bos]
    assert rows[1] == with_bos("Rome is in Italy.")["input_ids"]
    # … and such rows are cached apart from rows estimated without the <bos> (earlier versions)
    assert rows_key(tiny_tokenizer) == ""
    assert rows_key(with_bos) == f"+special:{bos}"


def test_a_second_request_is_served_from_memory_and_a_new_session_from_the_project(tiny_tokenizer, tmp_path) -> None:
    model = build_tiny_gpt2(len(tiny_tokenizer))
    adapter = adapter_for(model)
    corpus = tmp_path / "corpus.txt"
    corpus.write_text(
        "Once upon a time a giraffe lived near the river.\n\n北京是中国的首都。",
        encoding="utf-8",
    )
    store = ProjectStore.create(tmp_path / "project.wbproj")
    options = {
        "fingerprint": "abc",
        "corpus": str(corpus),
        "tokens": 500,
        "store": store,
    }
    cache = CovarianceCache()
    first = cache.get(model, tiny_tokenizer, adapter, 2, **options)
    second = cache.get(model, tiny_tokenizer, adapter, 2, **options)
    assert cache.computed == 1 and second is first
    fresh = CovarianceCache()  # a later session of the same project
    again = fresh.get(model, tiny_tokenizer, adapter, 2, **options)
    assert fresh.computed == 0 and np.array_equal(again, first)
    assert [run.kind for run in store.list_runs()] == [RUN_KIND]
    other_layer = fresh.get(model, tiny_tokenizer, adapter, 1, **options)
    assert fresh.computed == 1 and not np.array_equal(other_layer, first)
    store.close()
