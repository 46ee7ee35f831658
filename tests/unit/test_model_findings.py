"""Findings measured once on a pack's weights reach every import of them: the card's trace
section and the known facts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.base.paths import REAL_WORLD_DIR
from workbench.core.model import findings
from workbench.core.model.findings import (
    CARD_HEADING,
    KNOWN_FACTS_FILE,
    apply_findings,
    file_sha256,
    known_facts_path,
    read_finding,
    save_finding,
    with_findings,
)
from workbench.core.model.packs import find_pack

SHA = "ab" * 32


def a_finding(sha256: str = SHA, mlp_layer: int = 3) -> dict:
    peak = {"group": "last subject token", "layer": mlp_layer, "effect": 0.29,
            "last_subject_peak_layer": mlp_layer, "last_token_peak_layer": 19}  # fmt: skip
    return {
        "source_sha256": sha256, "model": "Tiny", "measured": "2026-12-05", "device": "cpu", "dtype": "float32",
        "averaged_trace": {
            "facts_traced": 100, "facts_skipped": 0, "language": "en", "samples": 10, "num_layers": 30,
            "mean_high": 0.46, "mean_low": 0.002, "peaks": {"mlp": peak},
        },
    }  # fmt: skip


@pytest.fixture()
def findings_dir(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "findings"
    monkeypatch.setattr(findings, "FINDINGS_DIR", folder)
    return folder


def test_the_trace_section_is_appended_once_and_replaced_when_measured_again(findings_dir) -> None:
    save_finding(a_finding(mlp_layer=3))
    card = with_findings("# Tiny\n\nProvenance.\n", SHA)
    assert card.startswith("# Tiny\n\nProvenance.\n\n" + CARD_HEADING)
    assert "**mlp**: strongest at the last subject token, layer 3" in card
    assert "100 facts" in card and "10 noise samples" in card

    save_finding(a_finding(mlp_layer=5))
    again = with_findings(card, SHA)
    assert again.count(CARD_HEADING) == 1 and "layer 5 (effect" in again and "layer 3 (effect" not in again


def test_other_weights_get_nothing(findings_dir) -> None:
    save_finding(a_finding())
    assert with_findings("# Other\n", "cd" * 32) == "# Other\n"
    assert read_finding("") is None


def test_a_finding_stored_under_a_colliding_prefix_is_not_taken_for_other_weights(findings_dir) -> None:
    save_finding(a_finding())
    assert read_finding(SHA[:16] + "ff" * 24) is None


def test_apply_findings_copies_known_facts_measured_on_the_current_fact_file_only(findings_dir, tmp_path) -> None:
    facts_sha = file_sha256(REAL_WORLD_DIR / "facts.jsonl")
    findings_dir.mkdir()
    model = tmp_path / "model"
    model.mkdir()
    (model / "README.md").write_text("# Tiny\n", encoding="utf-8")

    known_facts_path(SHA).write_text(json.dumps({"fact_file_sha256": "0" * 64, "facts": []}), encoding="utf-8")
    apply_findings(model, SHA)
    assert not (model / KNOWN_FACTS_FILE).exists(), "known facts of an older fact file are not handed on"

    known_facts_path(SHA).write_text(json.dumps({"fact_file_sha256": facts_sha, "facts": []}), encoding="utf-8")
    apply_findings(model, SHA)
    assert json.loads((model / KNOWN_FACTS_FILE).read_text())["fact_file_sha256"] == facts_sha

    (model / KNOWN_FACTS_FILE).write_text('{"mine": true}', encoding="utf-8")
    apply_findings(model, SHA)
    assert json.loads((model / KNOWN_FACTS_FILE).read_text()) == {"mine": True}, "the model's own file is kept"


def test_the_smollm2_pack_ships_its_trace_and_its_known_facts_for_the_current_fact_file() -> None:
    """Fails when the fact file changes without measuring the known facts again, or when the
    pack moves to other weights without measuring them."""
    pack = find_pack("SmolLM2-135M-Instruct")
    finding = read_finding(pack.gguf_sha256)
    assert finding is not None and finding["averaged_trace"]["facts_traced"] >= 100
    assert set(finding["averaged_trace"]["peaks"]) == {"hidden", "mlp", "attn"}
    known = json.loads(known_facts_path(pack.gguf_sha256).read_text(encoding="utf-8"))
    facts_sha = file_sha256(REAL_WORLD_DIR / "facts.jsonl")
    assert known["fact_file_sha256"] == facts_sha and known["known"]["en"] >= 100


def test_the_gemma_pack_ships_its_known_facts_for_the_current_fact_file() -> None:
    known = json.loads(known_facts_path(find_pack("Gemma-3-270M").gguf_sha256).read_text(encoding="utf-8"))
    facts_sha = file_sha256(REAL_WORLD_DIR / "facts.jsonl")
    assert known["fact_file_sha256"] == facts_sha and known["known"] == {"en": 302, "zh": 89}
