"""The adapters layered on a session's model: load, stack, toggle, merge, save, remove.

``peft`` injects LoRA and IA3 layers into the base model in place, so ``session.model``
itself computes with them (its module paths keep working for tracing and editing, with the
original module under ``base_layer``).  Prompt and prefix tuning leave the base untouched
and only act through the ``PeftModel`` wrapper, so ``AdapterStack.model`` is the module to
call for "the model as adapted".  BitFit changes the base biases in place; the stack keeps
the originals so it can be toggled and removed.  The stack always knows exactly what is
applied (``state()``) and ``clear()`` gives back the base model.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import torch
from peft import PeftConfig, PeftType, get_peft_model, get_peft_model_state_dict
from peft.mapping import PEFT_TYPE_TO_PREFIX_MAPPING
from safetensors.torch import load_file, save_file
from torch import nn

from workbench.base.errors import InvalidParameters
from workbench.core.finetune.methods import (
    bitfit_parameters,
    build_peft_config,
    init_soft_prompt_from_text,
    train_only,
)
from workbench.core.finetune.params import AdapterState, AppliedAdapter, Method, MethodConfig
from workbench.core.model.arch import ArchAdapter

BITFIT_FILE = "bitfit.safetensors"
"""BitFit has no PEFT format: its folder holds the trained biases under their module names."""

_PEFT_METHODS: dict[str, Method] = {"LORA": "lora", "IA3": "ia3", "PROMPT_TUNING": "prompt", "PREFIX_TUNING": "prefix"}
_PREFIXES = tuple(PEFT_TYPE_TO_PREFIX_MAPPING[PeftType[t]] for t in _PEFT_METHODS)


def adapter_name(text: str) -> str:
    """A valid adapter name: ``peft`` keys modules by it (so no dots) and finds an adapter's
    weights by it, so it must not hide inside a tuner's prefix (``lora_``, ``ia3_`` …)."""
    name = re.sub(r"[^A-Za-z0-9_-]+", "_", text).strip("_") or "adapter"
    if any(name in prefix for prefix in _PREFIXES):
        name = f"{name}_adapter"
    return name


@dataclass
class _Entry:
    method: Method
    source: str
    trainable: int
    biases: dict[str, nn.Parameter] = field(default_factory=dict)
    """BitFit only: the live bias parameters, by name."""
    original: dict[str, torch.Tensor] = field(default_factory=dict)
    """BitFit only: the base model's biases."""
    trained: dict[str, torch.Tensor] = field(default_factory=dict)
    """BitFit only: the trained biases while they are swapped out."""


class AdapterStack:
    """Everything layered on one base model, and the operations that change it.

    A ``ModelSession`` holds one as ``session.adapters`` (see ``job.adapter_stack``).  Any
    change while merged first unmerges, so ``merged`` never describes stale weights.

    ``merge_lock`` says why the merged state must not change now (``None``: it may).  The
    session sets it while model edits are in the weights: an edit restores the exact weights
    it replaced when reverted, so an update merged or unmerged under it would be dropped or
    subtracted twice.
    """

    def __init__(self, base: nn.Module, merge_lock: Callable[[], str | None] = lambda: None) -> None:
        self.base = base
        self.merge_lock = merge_lock
        self._peft: Any = None
        self._entries: dict[str, _Entry] = {}
        self._active: list[str] = []
        self._enabled = True
        self._merged = False
        self._grad_flags: dict[str, bool] = {}

    # -- what is applied -------------------------------------------------------------
    @property
    def model(self) -> nn.Module:
        """The model as adapted: the one to call for generation and evaluation."""
        if self._peft is not None and self._enabled and self._active_peft():
            return self._peft
        return self.base

    @property
    def names(self) -> list[str]:
        return list(self._entries)

    @property
    def virtual_tokens(self) -> int:
        """Positions the active soft prompt or prefix takes from the context (0 for others)."""
        if self.model is self.base or not self._prompt_learning():
            return 0
        return int(self._peft.active_peft_config.num_virtual_tokens)

    def state(self) -> AdapterState:
        return AdapterState(
            adapters=[
                AppliedAdapter(name, e.method, e.source, e.trainable, name in self._active)
                for name, e in self._entries.items()
            ],
            enabled=self._enabled,
            merged=self._merged,
        )

    # -- training and loading --------------------------------------------------------
    def attach_for_training(
        self, name: str, config: MethodConfig, tokenizer: Any, arch: ArchAdapter | None, source: str
    ) -> nn.Module:
        """Add a fresh, trainable adapter to a bare base model; returns the module to train."""
        if self._entries:
            raise RuntimeError("clear() the applied adapters before attaching one for training")
        self._remember_grad_flags()
        if config.method == "bitfit":
            biases = bitfit_parameters(self.base)
            train_only(self.base, biases)
            entry = _Entry("bitfit", source, 0, biases, original={n: p.detach().clone() for n, p in biases.items()})
            model = self.base
        else:
            self._peft = get_peft_model(self.base, build_peft_config(config, self.base, arch), adapter_name=name)
            if config.method == "prompt" and config.prompt_init == "text":
                init_soft_prompt_from_text(self._peft, name, tokenizer, config.prompt_init_text)
            self._peft.eval()  # new layers (LoRA's dropout) start in training mode
            entry = _Entry(config.method, source, 0)
            model = self._peft
        entry.trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
        self._entries[name] = entry
        self._active, self._enabled = [name], True
        return model

    def load(self, folder: str | Path, name: str = "", source: str = "") -> str:
        """Apply the adapter saved in ``folder`` as the one active adapter; returns its name.

        ``source`` is what the adapter list shows as its origin (default: the folder).
        """
        folder = Path(folder).expanduser()
        name = adapter_name(name or folder.name)
        if name in self._entries:
            raise InvalidParameters(f"An adapter named '{name}' is already applied; choose another name.")
        self._unmerge()
        if (folder / "adapter_config.json").is_file():
            self._load_peft(folder, name)
        elif (folder / BITFIT_FILE).is_file():
            self._load_bitfit(folder, name)
        else:
            raise InvalidParameters(
                f"{folder} is not an adapter folder: it has neither adapter_config.json nor {BITFIT_FILE}."
            )
        self._entries[name].source = source or str(folder)
        self._active = [name]
        self._apply()
        return name

    def _load_peft(self, folder: Path, name: str) -> None:
        if any(e.method == "bitfit" for e in self._entries.values()):
            raise InvalidParameters("Remove the BitFit biases before applying a PEFT adapter.")
        try:
            config = PeftConfig.from_pretrained(str(folder))
        except (ValueError, TypeError, OSError) as error:
            raise InvalidParameters(f"{folder}/adapter_config.json is not a PEFT configuration ({error}).") from None
        method = _PEFT_METHODS.get(str(config.peft_type.value))
        if method is None:
            raise InvalidParameters(
                f"{folder} holds a {config.peft_type.value} adapter, which the workbench does not apply."
            )
        kinds = {e.method for e in self._entries.values()}
        if kinds and method not in kinds:
            raise InvalidParameters(
                f"A {method} adapter cannot be layered on {', '.join(sorted(kinds))} adapters (peft combines "
                "adapters of one kind only); clear the applied adapters first."
            )
        config.inference_mode = True
        first = self._peft is None
        self._remember_grad_flags()
        try:
            if first:
                self._peft = get_peft_model(self.base, config, adapter_name=name)
            self._peft.load_adapter(str(folder), adapter_name=name)
            self._peft.eval()  # new layers (LoRA's dropout) start in training mode
        except (ValueError, RuntimeError, OSError, KeyError) as error:
            if first:
                self._remove_peft()
            elif name in self._peft.peft_config:
                self._peft.delete_adapter(name)
            raise InvalidParameters(f"The adapter in {folder} does not fit this model: {error}") from None
        size = sum(t.numel() for t in get_peft_model_state_dict(self._peft, adapter_name=name).values())
        self._entries[name] = _Entry(method, str(folder), size)

    def _load_bitfit(self, folder: Path, name: str) -> None:
        if self._peft is not None:
            raise InvalidParameters("Remove the PEFT adapters before applying BitFit biases.")
        if self._entries:
            raise InvalidParameters("One set of BitFit biases is applied already; remove it first.")
        saved = load_file(str(folder / BITFIT_FILE))
        biases = bitfit_parameters(self.base)
        misfit = [n for n, t in saved.items() if n not in biases or biases[n].shape != t.shape]
        if misfit or not saved:
            raise InvalidParameters(f"The BitFit biases in {folder} do not fit this model ({', '.join(misfit[:3])}).")
        live = {n: biases[n] for n in saved}
        self._remember_grad_flags()
        self._entries[name] = _Entry(
            method="bitfit",
            source=str(folder),
            trainable=sum(t.numel() for t in saved.values()),
            biases=live,
            original={n: p.detach().clone() for n, p in live.items()},
            trained={n: t.to(live[n].device, live[n].dtype) for n, t in saved.items()},
        )

    def save(self, name: str, folder: str | Path) -> Path:
        """Write adapter ``name`` to ``folder``: the standard PEFT files, or BitFit's biases."""
        folder = Path(folder).expanduser()
        folder.mkdir(parents=True, exist_ok=True)
        entry = self._entries[name]
        if entry.method == "bitfit":
            biases = entry.trained or {n: p.detach() for n, p in entry.biases.items()}
            save_file({n: t.contiguous().cpu() for n, t in biases.items()}, str(folder / BITFIT_FILE))
        else:
            # peft writes a non-"default" adapter into a sub-folder of its name; write beside
            # the target and move the files up, so ``folder`` itself is the adapter folder.
            with tempfile.TemporaryDirectory(dir=folder) as scratch:
                self._peft.save_pretrained(scratch, selected_adapters=[name])
                written = next(Path(scratch).rglob("adapter_config.json")).parent
                for path in written.iterdir():
                    if path.is_file():
                        shutil.move(str(path), folder / path.name)
        entry.source = str(folder)
        return folder

    # -- stacking, toggling, merging -------------------------------------------------
    def activate(self, names: list[str] | tuple[str, ...]) -> None:
        """Make exactly ``names`` active (several LoRA or IA3 adapters stack)."""
        unknown = [n for n in names if n not in self._entries]
        if unknown:
            raise InvalidParameters(f"No adapter named {', '.join(unknown)} is applied.")
        if not names:
            raise InvalidParameters("Choose at least one adapter to activate (or disable adapters).")
        methods = {self._entries[n].method for n in names}
        if len(names) > 1 and methods & {"prompt", "prefix", "bitfit"}:
            raise InvalidParameters("Only LoRA or IA3 adapters can be stacked; prompt, prefix and BitFit work alone.")
        self._unmerge()
        self._active = list(names)
        self._apply()

    def set_enabled(self, enabled: bool) -> None:
        """Switch every adapter off (the base model) or back on, keeping them loaded."""
        self._unmerge()
        self._enabled = enabled
        self._apply()

    def merge(self) -> None:
        """Fold the active LoRA/IA3 adapters into the base weights (faster inference).

        The layers stay in place so ``unmerge`` can subtract the update again; the base
        weights come back up to float rounding.
        """
        names = self._active_peft()
        if not names or self._entries[names[0]].method not in ("lora", "ia3"):
            raise InvalidParameters(
                "Only active LoRA or IA3 adapters can be merged: prompt and prefix tuning add "
                "virtual tokens, and BitFit already changes the weights themselves."
            )
        if not self._merged:
            self._check_merge_lock()
        if not self._enabled:
            self.set_enabled(True)
        self._merge()

    def unmerge(self) -> None:
        self._unmerge()

    def clear(self) -> None:
        """Remove every adapter: the base model exactly as it was (biases, layers, grads)."""
        self._unmerge()
        for entry in self._entries.values():
            if entry.method == "bitfit":
                _copy_into(entry.biases, entry.original)
        if self._peft is not None:
            self._remove_peft()
        for name, parameter in self.base.named_parameters():
            if name in self._grad_flags:
                parameter.requires_grad_(self._grad_flags[name])
        self._entries.clear()
        self._active, self._enabled, self._grad_flags = [], True, {}

    @contextmanager
    def disabled(self) -> Iterator[nn.Module]:
        """The base model for the duration of the block, then the adapters exactly as before.

        A merged update is taken out and put back around the block with nothing changing the
        weights in between, so this may pass the merge lock.
        """
        was_enabled, was_merged = self._enabled, self._merged
        self._unmerge(locked=False)
        self._enabled = False
        self._apply()
        try:
            yield self.base
        finally:
            self._enabled = was_enabled
            self._apply()
            if was_merged:
                self._merge()

    # -- internals -------------------------------------------------------------------
    def _active_peft(self) -> list[str]:
        return [n for n in self._active if self._entries[n].method != "bitfit"]

    def _apply(self) -> None:
        """Make the model compute with exactly the active, enabled adapters."""
        for name, entry in self._entries.items():
            if entry.method != "bitfit":
                continue
            wanted = self._enabled and name in self._active
            applied = not entry.trained
            if applied and not wanted:
                entry.trained = {n: p.detach().clone() for n, p in entry.biases.items()}
                _copy_into(entry.biases, entry.original)
            elif wanted and not applied:
                _copy_into(entry.biases, entry.trained)
                entry.trained = {}
        if self._peft is None:
            return
        names = self._active_peft()
        if self._prompt_learning():
            if names:  # the wrapper prepends the active soft prompt; ``model`` skips it when off
                self._peft.set_adapter(names[0])
        elif self._enabled and names:
            self._peft.base_model.set_adapter(names)
            self._peft.base_model.enable_adapter_layers()
        else:
            self._peft.base_model.disable_adapter_layers()

    def _merge(self) -> None:
        if not self._merged:
            self._peft.base_model.merge_adapter(self._active_peft())
            self._merged = True

    def _unmerge(self, locked: bool = True) -> None:
        if self._merged:
            if locked:
                self._check_merge_lock()
            self._peft.base_model.unmerge_adapter()
            self._merged = False

    def _check_merge_lock(self) -> None:
        reason = self.merge_lock()
        if reason:
            raise InvalidParameters(reason)

    def _prompt_learning(self) -> bool:
        return bool(next(iter(self._peft.peft_config.values())).is_prompt_learning)

    def _remove_peft(self) -> None:
        """Take the PEFT layers out of the base model without merging them."""
        if not self._prompt_learning():
            self._peft.base_model.unload()
        self._peft = None

    def _remember_grad_flags(self) -> None:
        if not self._grad_flags:
            self._grad_flags = {n: p.requires_grad for n, p in self.base.named_parameters()}


def _copy_into(parameters: dict[str, nn.Parameter], values: dict[str, torch.Tensor]) -> None:
    with torch.no_grad():
        for name, value in values.items():
            parameters[name].copy_(value)
