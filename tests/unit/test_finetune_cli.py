"""``workbench-cli finetune`` in-process on the tiny model folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from peft import PeftModel
from transformers import AutoModelForCausalLM

from workbench.cli import main


@pytest.fixture()
def data_file(tmp_path: Path) -> Path:
    path = tmp_path / "qa.jsonl"
    records = [{"prompt": f"Q: where is tower {i}? A:", "completion": " Paris"} for i in range(10)]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("method", ["lora", "prompt", "prefix", "ia3"])
def test_finetune_prints_final_losses_and_writes_a_peft_folder(
    tiny_model_dir: Path, data_file: Path, tmp_path: Path, capsys, method: str
) -> None:
    out = tmp_path / "adapter"
    code = main(
        [
            "finetune",
            "--model",
            str(tiny_model_dir),
            "--method",
            method,
            "--data",
            str(data_file),
            "--epochs",
            "2",
            "--lr",
            "0.01",
            "--rank",
            "2",
            "--virtual-tokens",
            "4",
            "--batch-size",
            "4",
            "--out",
            str(out),
            "--json",
            "--quiet",
        ]
    )
    assert code == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["method"] == method and summary["steps"] == 6  # 9 training examples, batches of 4
    assert summary["train_loss"] > 0 and summary["eval_loss"] > 0 and summary["base_eval_loss"] > 0
    assert Path(summary["adapter_dir"]) == out
    PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(tiny_model_dir), str(out))


def test_bad_data_exits_2_with_a_one_line_reason(tiny_model_dir: Path, tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"prompt": "a", "completion": "b"}\n{"prompt": "a"}\n', encoding="utf-8")
    code = main(
        ["finetune", "--model", str(tiny_model_dir), "--data", str(bad), "--out", str(tmp_path / "o"), "--quiet"]
    )
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "bad.jsonl, line 2" in err
    assert not (tmp_path / "o" / "adapter_config.json").exists()


@pytest.mark.parametrize("rate", ["0", "-1", "nan"])
def test_a_learning_rate_that_is_not_positive_is_refused(
    tiny_model_dir: Path, data_file: Path, tmp_path: Path, capsys, rate: str
) -> None:
    code = main(["finetune", "--model", str(tiny_model_dir), "--data", str(data_file), "--lr", rate,
                 "--out", str(tmp_path / "o"), "--quiet"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "learning rate must be positive" in err
    assert not (tmp_path / "o" / "adapter_config.json").exists()
