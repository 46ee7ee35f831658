"""The active model: an eval-mode causal LM, its tokenizer, its architecture adapter.

A model of a family without an adapter still loads, with ``adapter=None`` and family
``"unknown"``: sampling, evaluation, RAG answers and PEFT fine-tuning work on any causal LM
through the transformers API.  Only features that must find a module by role (causal
tracing, ROME, T-Patcher, the logit lens) call ``require_adapter()``, which raises
``UnsupportedArchitecture`` naming the supported families — so nothing ever guesses a path.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch

from workbench.base.errors import NoModelLoaded, UnsupportedArchitecture
from workbench.base.jobs import CancelToken, JobContext, Progress, job
from workbench.core.model import loading
from workbench.core.model.arch import ArchAdapter, adapter_for
from workbench.core.model.files import fingerprint, inspect_folder
from workbench.core.model.footprint import check_fits, estimate_footprint
from workbench.core.model.hf_config import model_config, text_config
from workbench.core.model.resolve import resolve_folder
from workbench.core.model.spec import LoadModelParams, ModelInfo, ModelSpec, UnloadModelParams
from workbench.core.model.state import LayeredAdapter, LayeredEdit, ModelState

if TYPE_CHECKING:
    from workbench.core.editing.ledger import EditLedger
    from workbench.core.finetune.adapters import AdapterStack

ProgressLike = Callable[..., Any]

UNKNOWN_FAMILY = "unknown"


class ModelSession:
    """One loaded model and everything the jobs need to know about it.

    Build one with ``ModelSession.load(spec)`` (or ``wrap`` for a model already in memory).
    """

    def __init__(
        self,
        model: torch.nn.Module,
        tokenizer: Any,
        spec: ModelSpec,
        *,
        path: str = "",
        fingerprint: str = "",
    ) -> None:
        self.model: torch.nn.Module | None = model
        self.tokenizer = tokenizer
        self.spec = spec
        self.path = path
        self.fingerprint = fingerprint
        first = next(model.parameters())
        self.device: torch.device = first.device
        self.dtype: torch.dtype = first.dtype
        self.adapters: AdapterStack | None = None
        """PEFT adapters / BitFit layered on the model (fine-tuning lab); None until first used."""
        self.edits: EditLedger | None = None
        """ROME / T-Patcher edits layered on the base model (editing lab); None until first used."""
        self._adapter_error: UnsupportedArchitecture | None = None
        try:
            self.adapter: ArchAdapter | None = adapter_for(model)
        except UnsupportedArchitecture as error:
            self.adapter = None
            self._adapter_error = error
        generation_config = getattr(model, "generation_config", None)
        if generation_config is not None and generation_config.pad_token_id is None:
            generation_config.pad_token_id = tokenizer.pad_token_id
        self._info = self._describe()

    # -- construction -----------------------------------------------------------------
    @classmethod
    def load(
        cls,
        spec: ModelSpec,
        progress: Progress | ProgressLike | None = None,
        cancel: CancelToken | None = None,
        *,
        cache_dir: Path | str | None = None,
    ) -> ModelSession:
        """Resolve ``spec``, load tokenizer and weights, place them, and check the adapter.

        Progress is reported per stage and Cancel is honoured between stages (a stage itself,
        such as reading the weights, runs to its end).  ``cache_dir`` overrides the Hugging
        Face hub cache for hub ids.
        """
        report = progress if progress is not None else (lambda *args, **kwargs: None)
        cancel = cancel if cancel is not None else CancelToken()

        def stage(fraction: float, message: str) -> None:
            cancel.raise_if_cancelled()
            report(fraction, message)

        stage(0.0, f"Finding {spec.label}")
        folder = resolve_folder(spec, cache_dir=cache_dir)
        files = inspect_folder(folder, allow_pickle=spec.allow_pickle)
        weights_fingerprint = fingerprint(files)
        device = loading.choose_device(spec.device)
        dtype = loading.choose_dtype(spec.dtype, device)
        stage(0.04, "Reading the config")
        config = loading.load_config(files, spec)
        stage(0.06, "Estimating the memory it needs")
        if not spec.offload:
            check_fits(estimate_footprint(config, trust_remote_code=spec.trust_remote_code), dtype, device)
        stage(0.08, "Loading the tokenizer")
        tokenizer = loading.load_tokenizer(files, spec)
        stage(0.15, f"Loading the weights ({str(dtype).removeprefix('torch.')})")
        model = loading.load_weights(files, spec, config, device, dtype)
        session: ModelSession | None = None
        try:
            stage(0.85, f"Moving the model to {device}")
            model = loading.move_to_device(model, device)
            stage(0.95, "Checking the architecture")
            session = cls(model, tokenizer, spec, path=str(folder), fingerprint=weights_fingerprint)
            cancel.raise_if_cancelled()
        except BaseException:
            del model, session  # the traceback keeps this frame alive; let the weights go
            _free_memory(device)
            raise
        report(1.0, f"Loaded {spec.label}")
        return session

    @classmethod
    def wrap(cls, model: torch.nn.Module, tokenizer: Any, spec: ModelSpec | None = None) -> ModelSession:
        """A session around a model already in memory (tests, freshly trained models).

        Its fingerprint hashes the config and every parameter, which is exact but reads all
        the weights — fine for the small models this is meant for.
        """
        model.eval()
        digest = hashlib.sha256(model_config(model).to_json_string().encode())
        for name, tensor in model.state_dict().items():
            digest.update(name.encode())
            digest.update(tensor.detach().cpu().contiguous().view(-1).view(torch.uint8).numpy())
        if tokenizer.pad_token is None and tokenizer.eos_token is not None:
            tokenizer.pad_token = tokenizer.eos_token
        spec = spec if spec is not None else ModelSpec(source="folder", name="in-memory")
        return cls(model, tokenizer, spec, fingerprint=digest.hexdigest())

    # -- use --------------------------------------------------------------------------
    @property
    def info(self) -> ModelInfo:
        """What the status bar shows; recomputed while loaded (adapters change the counts)."""
        if self.model is not None:
            self._info = self._describe()
        return self._info

    @property
    def family(self) -> str:
        return self.adapter.family if self.adapter is not None else UNKNOWN_FAMILY

    def layered_state(self) -> ModelState:
        """The adapters in use and the edits applied now, as each run stores them.

        Read from the adapter stack's and the ledger's own bookkeeping (no tensor is touched),
        so the worker can ask before every job.
        """
        adapters: tuple[LayeredAdapter, ...] = ()
        merged = False
        if self.adapters is not None:
            stack = self.adapters.state()
            if stack.enabled or stack.merged:
                adapters = tuple(LayeredAdapter(a.name, a.method) for a in stack.adapters if a.active)
                merged = stack.merged and bool(adapters)
        edits = tuple(
            LayeredEdit(entry.edit_id, entry.method, entry.summary)
            for entry in (self.edits.entries() if self.edits is not None else [])
            if entry.enabled
        )
        return ModelState(adapters=adapters, merged=merged, edits=edits)

    def require_adapter(self) -> ArchAdapter:
        """The adapter, or ``UnsupportedArchitecture`` with the supported families."""
        if self.adapter is None:
            assert self._adapter_error is not None
            raise self._adapter_error
        return self.adapter

    def require_loaded(self) -> torch.nn.Module:
        if self.model is None:
            raise NoModelLoaded()
        return self.model

    def unload(self) -> None:
        """Drop the model and tokenizer and give their memory back (CUDA cache included)."""
        if self.model is None:
            return
        self._info = self._describe()
        self.model = None
        self.tokenizer = None
        self.adapter = None
        self.adapters = None
        self.edits = None
        _free_memory(self.device)

    def _describe(self) -> ModelInfo:
        model = self.model
        assert model is not None
        config = text_config(model)
        parameters = {id(p): p for p in model.parameters()}
        buffers = {id(b): b for b in model.buffers()}
        num_parameters = sum(p.numel() for p in parameters.values())
        memory = sum(t.numel() * t.element_size() for t in (*parameters.values(), *buffers.values()))
        num_layers = (
            self.adapter.num_layers(model)
            if self.adapter is not None
            else int(getattr(config, "num_hidden_layers", 0) or 0)
        )
        max_positions = getattr(config, "max_position_embeddings", None) or getattr(config, "n_ctx", 0)
        return ModelInfo(
            label=self.spec.label,
            family=self.family,
            model_type=str(model_config(model).model_type),
            num_layers=int(num_layers),
            hidden_size=int(getattr(config, "hidden_size", 0) or 0),
            vocab_size=int(getattr(config, "vocab_size", 0) or 0),
            max_positions=int(max_positions or 0),
            num_parameters=int(num_parameters),
            device=str(self.device),
            dtype=str(self.dtype).removeprefix("torch."),
            memory_bytes=int(memory),
            fingerprint=self.fingerprint,
            path=self.path,
        )


def _free_memory(device: torch.device) -> None:
    gc.collect()
    if device.type == "cuda":
        torch.cuda.empty_cache()


@job(LoadModelParams, saves_run=False)
def load_model_job(
    ctx: JobContext[ModelSession, Any], params: LoadModelParams, progress: Progress, cancel: CancelToken
) -> ModelInfo:
    """Job: replace the active model by ``params.spec``.

    The old model is unloaded first so two large models never share the memory.
    """
    if ctx.model is not None:
        ctx.model.unload()
        ctx.model = None
    session = ModelSession.load(params.spec, progress, cancel)
    ctx.model = session
    return session.info


@job(UnloadModelParams, saves_run=False)
def unload_model_job(
    ctx: JobContext[ModelSession, Any], params: UnloadModelParams, progress: Progress, cancel: CancelToken
) -> None:
    """Job: free the active model and leave the context without one."""
    if ctx.model is not None:
        progress(0.0, f"Unloading {ctx.model.spec.label}")
        ctx.model.unload()
        ctx.model = None
    progress(1.0, "No model loaded")
