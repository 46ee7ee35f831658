"""The edit ledger: toggling and reverting are exact, order is kept, export round-trips."""

from __future__ import annotations

import torch
from model_builders import build_tiny_gpt2
from transformers import AutoModelForCausalLM

from workbench.core.editing.ledger import EditLedger
from workbench.core.editing.params import EditRequest
from workbench.core.editing.rome import rank_one_edit
from workbench.core.model.arch import adapter_for


def random_edit(model, layer: int, seed: int, subject: str):
    adapter = adapter_for(model)
    weight = adapter.down_proj_weight(model, layer)
    generator = torch.Generator().manual_seed(seed)
    key = torch.randn(weight.shape[1], generator=generator)
    value = torch.randn(weight.shape[0], generator=generator)
    request = EditRequest(prompt="{} is in", subject=subject, target_new=" Rome")
    return rank_one_edit(request, layer, weight, key, value, key.double())


def weights(model) -> dict[str, torch.Tensor]:
    return {name: p.detach().clone() for name, p in model.state_dict().items()}


def same(a: dict[str, torch.Tensor], b: dict[str, torch.Tensor]) -> bool:
    return all(torch.equal(a[name], b[name]) for name in a)


def test_toggle_and_revert_give_back_the_exact_weights_and_keep_the_order(
    tiny_tokenizer,
) -> None:
    model = build_tiny_gpt2(len(tiny_tokenizer))
    ledger = EditLedger(model, adapter_for(model))
    pristine = weights(model)
    first = ledger.add(random_edit(model, 1, 1, "A"))
    only_first = weights(model)
    second = ledger.add(random_edit(model, 1, 2, "B"))
    third = ledger.add(random_edit(model, 2, 3, "C"))
    both = weights(model)
    assert [e.request.subject for e in ledger.entries()] == ["A", "B", "C"]
    assert ledger.toggle(second) is False and ledger.toggle(third) is False
    assert same(weights(model), only_first)
    assert ledger.toggle(second) and ledger.toggle(third)
    assert same(weights(model), both)
    ledger.revert(first)
    assert [e.edit_id for e in ledger.entries()] == [
        second,
        third,
    ] and ledger.state().model_modified
    ledger.revert_all()
    assert same(weights(model), pristine) and not ledger.state().model_modified and len(ledger) == 0


def test_export_is_loaded_by_plain_transformers_with_the_edit_in_place(tiny_tokenizer, tmp_path) -> None:
    model = build_tiny_gpt2(len(tiny_tokenizer))
    ledger = EditLedger(model, adapter_for(model))
    ledger.add(random_edit(model, 1, 1, "A"))
    ledger.toggle(ledger.add(random_edit(model, 0, 2, "B")))  # disabled: not exported
    live = weights(model)
    ids = torch.tensor([tiny_tokenizer("The Eiffel Tower is in")["input_ids"]])
    with torch.no_grad():
        expected = model(ids).logits
    ledger.export(tmp_path / "edited", tiny_tokenizer)
    assert same(weights(model), live)  # exporting leaves the live model as it was
    loaded = AutoModelForCausalLM.from_pretrained(tmp_path / "edited").eval()
    with torch.no_grad():
        torch.testing.assert_close(loaded(ids).logits, expected)
