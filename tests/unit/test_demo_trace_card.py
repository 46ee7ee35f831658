"""The demo model card's causal-tracing section, measured on a tiny model."""

from __future__ import annotations

import shutil

import numpy as np
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from tools.demo_world.model_card import TRACING_MARKER
from tools.demo_world.trace_card import peaks_table, trace_into_card
from workbench.base.jobs import Progress
from workbench.core.tracing.results import TOKEN_GROUPS, AveragingResult

CARD = f"# A card\n\nintro\n\n{TRACING_MARKER}\n## Causal tracing\n\nnot measured yet\n\n## Limitations\n\nthe end\n"
SUBJECTS = {
    "en": ["The Eiffel Tower", "Danielle Darrieux", "a giraffe", "Paris", "Lumora", "the zebra"],
    "zh": ["长颈鹿", "斑马", "小明", "北京", "杭州", "中国"],
}


def _known_records(model_dir) -> list[dict[str, object]]:
    """Records whose target is what the tiny model predicts, so tracing does not skip them."""
    model = AutoModelForCausalLM.from_pretrained(model_dir).eval()
    tokenizer = AutoTokenizer.from_pretrained(model_dir)
    records = []
    for language, subjects in SUBJECTS.items():
        # the Chinese prompt ends in ASCII: a random tiny model's next byte-level token after a
        # Hanzi is often a partial character that does not decode on its own
        prompt = "{} lives near the" if language == "en" else "{}住在河边, near the"
        for subject in subjects:
            ids = tokenizer(prompt.format(subject), return_tensors="pt")["input_ids"]
            with torch.inference_mode():
                predicted = int(model(input_ids=ids).logits[0, -1].argmax())
            target = tokenizer.decode([predicted])
            if tokenizer(target)["input_ids"][:1] == [predicted]:
                records.append({"subject": subject, "prompt": prompt, "target_true": target, "language": language})
    assert {r["language"] for r in records} == {"en", "zh"}, "no round-tripping prediction to trace"
    return records


def test_tracing_replaces_only_the_cards_tracing_section_with_measured_effects(tiny_model_dir, tmp_path):
    folder = tmp_path / "model"
    shutil.copytree(tiny_model_dir, folder)
    (folder / "README.md").write_text(CARD, encoding="utf-8")
    records = _known_records(folder)
    results = trace_into_card(folder, records, Progress(lambda *a: None), count=1, samples=2)
    card = (folder / "README.md").read_text(encoding="utf-8")
    assert card.startswith("# A card\n\nintro\n\n") and card.endswith("## Limitations\n\nthe end\n")
    assert "not measured yet" not in card and card.count("## Causal tracing") == 1
    for language, heading in (("en", "### English facts"), ("zh", "### Chinese facts")):
        result = results[language]
        assert result.facts_traced == 1 and heading in card
        last_token_mlp = result.effects["mlp"][result.groups.index("last token")]
        assert "| last token | " + " | ".join(f"{v:.3f}" for v in last_token_mlp) + " |" in card
        assert all(line in card for line in peaks_table(result))


def test_peaks_table_names_the_strongest_layer_at_the_subject_and_at_the_last_token():
    effects = np.zeros((len(TOKEN_GROUPS), 4))
    effects[TOKEN_GROUPS.index("last subject token"), 1] = 0.4
    effects[TOKEN_GROUPS.index("first subject token"), 2] = 0.3
    effects[TOKEN_GROUPS.index("last token"), 3] = 0.6
    effects[TOKEN_GROUPS.index("first subsequent token"), 0] = 0.9  # not a group the card shows
    result = AveragingResult(
        kinds=("mlp",),
        num_layers=4,
        groups=TOKEN_GROUPS,
        effects={"mlp": effects},
        group_counts=np.ones(len(TOKEN_GROUPS)),
        facts_total=1,
        facts_traced=1,
        facts_skipped=0,
        mean_high=0.9,
        mean_low=0.1,
    )
    assert peaks_table(result)[2] == "| MLP | L1 (last subject token) 0.400 | L3 (last token) 0.600 |"
