"""What is layered on the loaded base weights while a job runs: adapters in use, edits applied.

Stored with every run (``ModelSession.layered_state``), because a run's result depends on
more than the model it names: a trace taken with a LoRA on, or after a ROME edit, is not a
trace of the base weights, and a reopened run must say so.  Torch-free, so the GUI thread
can rebuild it from the store (``codec.params_from_json``) and describe it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LayeredAdapter:
    """An adapter that changed what the model computed (active and switched on, or merged)."""

    name: str
    method: str
    """``lora``, ``ia3``, ``prompt``, ``prefix`` or ``bitfit``."""


@dataclass(frozen=True)
class LayeredEdit:
    """An edit that was in the weights (an enabled entry of the edit ledger)."""

    edit_id: int
    method: str
    summary: str
    """The ledger's line ("ROME L3: Anoda is located in → Pakelia")."""


@dataclass(frozen=True)
class ModelState:
    """The adapters and edits on top of the base weights; empty for the plain base weights.

    Adapters that were loaded but switched off, and edits switched off in the ledger, are
    left out: they did not take part in the computation.
    """

    adapters: tuple[LayeredAdapter, ...] = ()
    merged: bool = False
    """The adapters were folded into the weights rather than computed beside them."""
    edits: tuple[LayeredEdit, ...] = ()

    @property
    def base_weights(self) -> bool:
        return not self.adapters and not self.edits
