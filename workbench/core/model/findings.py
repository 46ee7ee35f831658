"""What was measured on a model pack's weights, handed to every import of them.

Some findings take too long to measure at install time — the averaged causal trace over 100
known facts is about half an hour on two CPU cores, checking which of the 895 real-world facts
the model knows about three minutes — yet they hold for every copy of the same weights, since
a pack is pinned to one GGUF by its SHA-256.  So they are measured once (``tools/real_model/
trace.py --save-finding``, ``workbench-cli models known-facts``), kept here under the weights'
checksum, and given to each import of those weights: a fresh install's card already says where
the model's MLP and attention sites peak, and its labs can take "100 known facts" at once.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from workbench.base.paths import REAL_WORLD_DIR, RESOURCES_DIR

FINDINGS_DIR = RESOURCES_DIR / "model_findings"
CARD_HEADING = "## Where facts are stored (averaged causal trace)"
KNOWN_FACTS_FILE = "known_facts.json"
"""Which facts of the real-world set the model knows (written by ``editing.known_facts``)."""


def finding_path(sha256: str) -> Path:
    return FINDINGS_DIR / f"{sha256[:16]}.json"


def known_facts_path(sha256: str) -> Path:
    return FINDINGS_DIR / f"{sha256[:16]}.{KNOWN_FACTS_FILE}"


def read_finding(sha256: str) -> dict[str, Any] | None:
    """The stored finding for the weights with this GGUF checksum, if any was measured."""
    path = finding_path(sha256) if sha256 else None
    if path is None or not path.is_file():
        return None
    finding: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return finding if finding.get("source_sha256") == sha256 else None


def save_finding(finding: dict[str, Any]) -> Path:
    path = finding_path(str(finding["source_sha256"]))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(finding, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def trace_section(finding: dict[str, Any]) -> str:
    """The card's section on the averaged trace: how it was measured, then per kind where the
    indirect effect peaks overall, at the last subject token and at the last token."""
    trace = finding["averaged_trace"]
    lines = [
        CARD_HEADING,
        "",
        f"Measured by LLM Workbench on {finding['measured']} ({finding['device']}, {finding['dtype']}): the "
        f"indirect effect averaged over {trace['facts_traced']} facts of the real-world fact set that the model "
        f"knows ({trace['language']}; {trace['samples']} noise samples each, {trace['num_layers']} layers; "
        f"mean p(true object) clean {trace['mean_high']:.3f}, subject corrupted {trace['mean_low']:.3f}).",
        "",
    ]
    for kind, peak in trace["peaks"].items():
        lines.append(
            f"- **{kind}**: strongest at the {peak['group']}, layer {peak['layer']} (effect {peak['effect']:.3f}); "
            f"at the last subject token it peaks at layer {peak['last_subject_peak_layer']}, "
            f"at the last token at layer {peak['last_token_peak_layer']}."
        )
    return "\n".join(lines) + "\n"


def with_findings(markdown: str, sha256: str) -> str:
    """``markdown`` (a model card) with the trace section for these weights put in place of an
    older one, or appended; unchanged when nothing was measured on them."""
    finding = read_finding(sha256)
    if finding is None or "averaged_trace" not in finding:
        return markdown
    kept = markdown.split(CARD_HEADING, 1)[0].rstrip()
    return (kept + "\n\n" if kept else "") + trace_section(finding)


def apply_findings(folder: Path, sha256: str) -> None:
    """Give an imported model what was measured on its weights: the card's trace section (in
    place of an older one) and the known facts, unless the folder has its own.  Also run on
    an existing install, which may predate the findings."""
    card = folder / "README.md"
    old = card.read_text(encoding="utf-8") if card.is_file() else ""
    new = with_findings(old, sha256)
    if new != old:
        card.write_text(new, encoding="utf-8")
    known = known_facts_path(sha256)
    if known.is_file() and not (folder / KNOWN_FACTS_FILE).exists() and _measured_on_this_fact_file(known):
        shutil.copyfile(known, folder / KNOWN_FACTS_FILE)


def _measured_on_this_fact_file(known: Path) -> bool:
    """Whether the stored known facts were checked on the fact file as it is now (an edited
    fact file changes case ids and answers; the labs then check the model themselves)."""
    stored = json.loads(known.read_text(encoding="utf-8"))
    facts = REAL_WORLD_DIR / "facts.jsonl"
    return bool(stored.get("fact_file_sha256") == file_sha256(facts))


def file_sha256(path: Path) -> str:
    """The checksum a known-facts file records of the fact file it was measured on."""
    return hashlib.sha256(path.read_bytes()).hexdigest()
