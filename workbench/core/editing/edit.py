"""The contract between an editing method and the edit ledger.

ROME produces a weight delta, T-Patcher a patch neuron; the ledger layers both on the base
model, toggles and undoes them, and exports the result, without knowing which is which.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from workbench.core.editing.params import EditMethod, EditRequest

if TYPE_CHECKING:
    from torch import nn

    from workbench.core.model.arch import ArchAdapter


class AppliedEdit(Protocol):
    """One computed edit, installable on and removable from the model it was computed for."""

    method: EditMethod
    request: EditRequest
    layer: int

    def install(self, model: nn.Module, adapter: ArchAdapter) -> None:
        """Put the edit into the model (idempotent: installing twice changes nothing)."""

    def uninstall(self, model: nn.Module, adapter: ArchAdapter) -> None:
        """Take the edit out again, restoring the exact weights/behaviour before ``install``."""

    def summary(self) -> str:
        """One line for the ledger ("ROME L3: Anoda is located in → Pakelia")."""
