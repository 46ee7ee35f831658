"""The edits layered on a session's base model: list, toggle, revert, export.

Every edit is an ``AppliedEdit`` (ROME's rank-one delta, T-Patcher's patch neuron) and
restores exactly what it found when uninstalled.  So the ledger changes the set of enabled
edits by taking every installed edit out, newest first — which gives back the loaded
weights bit for bit — and putting the enabled ones back in order.  Edits are computed on
the model as it was when they were made (sequential editing), so an edit switched off
changes what the later ones were computed against; that is the experiment, not a bug.

The base model is ``session.model``: PEFT adapters of the fine-tuning lab (LoRA/IA3 inject
their layers in place and keep the original module as ``base_layer``) sit on top of it,
and the down-projection the ledger edits is the base layer's weight.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from torch import nn

from workbench.base.errors import InvalidParameters
from workbench.core.editing.covariance import CovarianceCache
from workbench.core.editing.edit import AppliedEdit
from workbench.core.editing.params import LedgerEntry, LedgerState
from workbench.core.model.arch import ArchAdapter


@dataclass(eq=False)
class _Slot:
    edit_id: int
    edit: AppliedEdit
    enabled: bool = True


class EditLedger:
    """The ordered edits of one base model and which of them are in it now."""

    def __init__(self, model: nn.Module, adapter: ArchAdapter) -> None:
        self.model = model
        self.adapter = adapter
        self.covariances = CovarianceCache()
        """Key covariances of this model's layers, computed or loaded once per session."""
        self.reference_effects: dict[str, np.ndarray] = {}
        """Averaged MLP effects by fact file: where ROME edits when a fact's trace is flat."""
        self._slots: list[_Slot] = []
        self._installed: list[_Slot] = []
        """Slots whose edit is in the model now, in installation order."""
        self._next_id = 1

    # -- changes -----------------------------------------------------------------------
    def add(self, edit: AppliedEdit) -> int:
        """Install ``edit`` on top of the enabled edits; returns its id."""
        slot = _Slot(self._next_id, edit)
        self._next_id += 1
        edit.install(self.model, self.adapter)
        self._slots.append(slot)
        self._installed.append(slot)
        return slot.edit_id

    def toggle(self, edit_id: int) -> bool:
        """Switch an edit off or back on; returns whether it is now enabled."""
        slot = self._slot(edit_id)
        slot.enabled = not slot.enabled
        self._reinstall()
        return slot.enabled

    def revert(self, edit_id: int) -> None:
        """Remove an edit from the model and the ledger."""
        self.revert_many([edit_id])

    def revert_many(self, edit_ids: list[int]) -> None:
        """Remove several edits at once (one re-installation, not one per edit)."""
        slots = [self._slot(edit_id) for edit_id in edit_ids]
        self._uninstall_all()
        self._slots = [slot for slot in self._slots if slot not in slots]
        self._install_enabled()

    def revert_all(self) -> None:
        """Back to the loaded weights, ledger empty."""
        self._uninstall_all()
        self._slots.clear()

    # -- reading -----------------------------------------------------------------------
    @property
    def in_model(self) -> bool:
        """Whether any edit is in the model's weights now (an enabled edit of the ledger)."""
        return bool(self._installed)

    def entries(self) -> list[LedgerEntry]:
        return [
            LedgerEntry(
                edit_id=slot.edit_id,
                method=slot.edit.method,
                request=slot.edit.request,
                layer=slot.edit.layer,
                enabled=slot.enabled,
                summary=slot.edit.summary(),
            )
            for slot in self._slots
        ]

    def edits(self, enabled_only: bool = True) -> list[AppliedEdit]:
        return [slot.edit for slot in self._slots if slot.enabled or not enabled_only]

    def edit(self, edit_id: int) -> AppliedEdit:
        return self._slot(edit_id).edit

    def state(self) -> LedgerState:
        return LedgerState(entries=self.entries(), model_modified=self.in_model)

    def __len__(self) -> int:
        return len(self._slots)

    # -- export ------------------------------------------------------------------------
    def export(
        self,
        folder: str | Path,
        tokenizer: Any = None,
        materialise: Callable[[nn.Module, ArchAdapter, dict[int, list[AppliedEdit]]], nn.Module] | None = None,
    ) -> Path:
        """``save_pretrained`` of a copy of the model with the enabled edits in its weights
        (and the tokenizer), so plain ``transformers`` loads the edited model.

        Weight edits (ROME) are copied as they are; edits that are not weights (T-Patcher's
        patch neurons) are taken out before the copy and written into it by ``materialise``
        (T-Patcher's ``materialise_patches``), grouped by layer.
        """
        folder = Path(folder).expanduser()
        if folder.exists() and any(folder.iterdir()):
            raise InvalidParameters(f"The folder {folder} is not empty; choose a new or empty folder.")
        patches: dict[int, list[AppliedEdit]] = {}
        for edit in self.edits():
            if edit.method != "rome":
                patches.setdefault(edit.layer, []).append(edit)
        if patches and materialise is None:
            raise InvalidParameters("These edits cannot be written as weights without T-Patcher's exporter.")
        self._uninstall_all()
        try:
            for slot in self._slots:
                if slot.enabled and slot.edit.method == "rome":
                    slot.edit.install(self.model, self.adapter)
                    self._installed.append(slot)
            exported = copy.deepcopy(self.model)
        finally:
            self._reinstall()
        if patches:
            assert materialise is not None
            exported = materialise(exported, self.adapter, patches)
        folder.mkdir(parents=True, exist_ok=True)
        # nn.Module.__getattr__ hides save_pretrained (a transformers or PEFT model has it)
        exported.save_pretrained(folder)  # type: ignore[operator]  # nn.Module.__getattr__ types the PEFT/transformers method as Tensor | Module
        if tokenizer is not None:
            tokenizer.save_pretrained(folder)
        return folder

    # -- internals ---------------------------------------------------------------------
    def _slot(self, edit_id: int) -> _Slot:
        for slot in self._slots:
            if slot.edit_id == edit_id:
                return slot
        raise InvalidParameters(f"There is no edit {edit_id} in the ledger.")

    def _uninstall_all(self) -> None:
        while self._installed:
            slot = self._installed.pop()
            slot.edit.uninstall(self.model, self.adapter)

    def _install_enabled(self) -> None:
        for slot in self._slots:
            if slot.enabled:
                slot.edit.install(self.model, self.adapter)
                self._installed.append(slot)

    def _reinstall(self) -> None:
        self._uninstall_all()
        self._install_enabled()
