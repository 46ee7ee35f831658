"""The Hugging Face config of a loaded model, with its type.

``nn.Module.__getattr__`` is annotated to return ``Tensor | Module``, so ``model.config``
type-checks as neither and every ``.get_text_config()`` on it would be an error; the labs
read the config through these two functions instead of each silencing the checker.
Neither imports torch or transformers at run time (the window starts before they load).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from torch import nn
    from transformers import PretrainedConfig


def model_config(model: nn.Module) -> PretrainedConfig:
    """``model.config``: every model the workbench loads is a transformers ``PreTrainedModel``."""
    return cast("PretrainedConfig", model.config)


def text_config(model: nn.Module) -> PretrainedConfig:
    """The language model's own config (the text part of a multimodal one)."""
    return model_config(model).get_text_config()
