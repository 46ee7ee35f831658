"""LoRA on SmolLM2 on the CPU: a few steps of a quick run already lower the loss."""

from __future__ import annotations

import json

from workbench.base.jobs import CancelToken, JobContext, Progress, run_job
from workbench.core.finetune.params import DataConfig, FinetuneParams, MethodConfig, TrainConfig

COUNTRIES = {
    "France": "Paris", "Italy": "Rome", "Spain": "Madrid", "Germany": "Berlin", "Japan": "Tokyo",
    "Egypt": "Cairo", "Canada": "Ottawa", "Peru": "Lima", "Kenya": "Nairobi", "Norway": "Oslo",
    "Greece": "Athens", "Chile": "Santiago",
}  # fmt: skip


def test_a_quick_lora_run_lowers_the_loss_of_a_new_answer_format(fresh_smollm2, tmp_path) -> None:
    data = tmp_path / "format.jsonl"
    data.write_text(
        "\n".join(
            json.dumps({"prompt": f"Capital of {country}?", "completion": f" >>> {city.upper()} <<<"})
            for country, city in COUNTRIES.items()
        ),
        encoding="utf-8",
    )
    params = FinetuneParams(
        method=MethodConfig(method="lora", rank=4),
        data=DataConfig(source=str(data), eval_fraction=0.25, max_length=32),
        train=TrainConfig(max_steps=6, batch_size=3, learning_rate=3e-3, eval_every=3, patience=0),
        output_dir=str(tmp_path / "adapter"),
    )
    result = run_job(params, JobContext(model=fresh_smollm2), Progress(lambda *a: None, min_interval=0), CancelToken())
    losses = result.curves["train_loss"].values
    assert result.steps == 6 and len(losses) >= 2
    assert losses[-1] < losses[0]
    assert result.eval_loss is not None and result.base_eval_loss is not None
    assert result.eval_loss < 0.7 * result.base_eval_loss
