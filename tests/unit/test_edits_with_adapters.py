"""Model edits and merged adapters change the same weights; neither may silently undo the other.

ROME restores the exact down-projection it replaced when an edit is reverted, so a LoRA
update merged into that weight after the edit would vanish with the revert (and a later
unmerge would subtract it a second time).  The session refuses such merge changes instead.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch
from model_builders import build_tiny_gpt2
from test_edit_ledger import random_edit, same, weights
from test_finetune_adapters import trained_adapter

from workbench.base.errors import InvalidParameters
from workbench.base.jobs import CancelToken, JobContext, Progress
from workbench.core.editing.jobs import ledger_of
from workbench.core.finetune.jobs import adapter_operation_job, adapter_stack
from workbench.core.finetune.params import AdapterOperationParams, MethodConfig
from workbench.core.model.session import ModelSession

LORA_ON_THE_MLP = MethodConfig(method="lora", rank=4, target_modules=("mlp.c_proj", "attn.c_attn"))


@pytest.fixture()
def session_with_lora(tiny_tokenizer, tmp_path: Path) -> tuple[ModelSession, JobContext]:
    trained_adapter(tiny_tokenizer, tmp_path / "mlp", LORA_ON_THE_MLP)
    session = ModelSession.wrap(build_tiny_gpt2(len(tiny_tokenizer)), tiny_tokenizer)
    ctx = JobContext(model=session)
    operate(ctx, "load", folder=str(tmp_path / "mlp"))
    return session, ctx


def operate(ctx: JobContext, action: str, **fields) -> object:
    return adapter_operation_job(ctx, AdapterOperationParams(action=action, **fields), Progress(), CancelToken())


def test_merging_is_refused_while_an_edit_is_in_the_model(session_with_lora) -> None:
    session, ctx = session_with_lora
    model = session.require_loaded()
    before = weights(model)
    edit_id = ledger_of(session).add(random_edit(model, 1, 1, "A"))
    edited = weights(model)
    with pytest.raises(InvalidParameters, match="ledger"):
        operate(ctx, "merge")
    assert same(weights(model), edited) and not adapter_stack(session).state().merged
    ledger_of(session).revert(edit_id)
    assert same(weights(model), before)
    assert operate(ctx, "merge").merged  # with the ledger empty, merging works again


@pytest.mark.parametrize("action", ["unmerge", "disable", "clear"])
def test_an_edit_made_on_merged_weights_pins_the_merge(session_with_lora, action: str) -> None:
    session, ctx = session_with_lora
    model = session.require_loaded()
    pristine = weights(model)
    operate(ctx, "merge")
    merged = weights(model)
    ledger = ledger_of(session)
    edit_id = ledger.add(random_edit(model, 1, 1, "A"))
    with pytest.raises(InvalidParameters, match="ledger"):
        operate(ctx, action)
    assert adapter_stack(session).state().merged
    ledger.revert(edit_id)
    assert same(weights(model), merged)
    operate(ctx, "unmerge")
    for name, tensor in weights(model).items():  # unmerging subtracts: equal up to rounding
        torch.testing.assert_close(tensor, pristine[name])


def test_comparing_base_and_adapter_keeps_working_with_edits_in_place(session_with_lora) -> None:
    """The A/B comparison unmerges and merges back around the base run: no edit moves between."""
    session, ctx = session_with_lora
    model = session.require_loaded()
    operate(ctx, "merge")
    ledger_of(session).add(random_edit(model, 1, 1, "A"))
    edited = weights(model)
    with adapter_stack(session).disabled():
        pass
    for name, tensor in weights(model).items():
        torch.testing.assert_close(tensor, edited[name])
    assert adapter_stack(session).state().merged
